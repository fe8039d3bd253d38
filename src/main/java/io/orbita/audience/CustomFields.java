package io.orbita.audience;

import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Definitions of custom fields per workspace, and the checking of values against them. */
@Service
public class CustomFields {

    public static final Set<String> ENTITIES = Set.of("contact", "company");

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    CustomFields(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public List<CustomField> list(WorkspaceId ws, String entity) {
        return jdbc.sql("select id, entity, key, label, type, options from custom_field where workspace_id = ? and entity = ? order by key")
                .params(ws.value(), entity)
                .query((rs, n) -> new CustomField(rs.getLong("id"), rs.getString("entity"), rs.getString("key"),
                        rs.getString("label"), CustomFieldType.fromCode(rs.getString("type")), strings(rs.getArray("options"))))
                .list();
    }

    @Transactional
    public CustomField define(OrbitaPrincipal by, String entity, String key, String label, String type, List<String> options) {
        Problems p = new Problems();
        if (entity == null || !ENTITIES.contains(entity)) {
            p.add("entity", "customField.entity", "entity must be contact or company");
        }
        String k = key == null ? "" : key.strip();
        if (!k.matches("[a-z][a-z0-9_]{0,62}")) {
            p.add("key", "customField.key", "key must start with a Latin letter and contain only a-z, 0-9 and _ (up to 63)");
        }
        String l = label == null || label.isBlank() ? k : label.strip();
        if (l.length() > 200) {
            p.add("label", "field.tooLong", "label must be at most 200 characters", 200);
        }
        CustomFieldType t = CustomFieldType.fromCode(type);
        if (t == null) {
            p.add("type", "customField.type", "type must be one of text, number, date, boolean, choice");
        }
        List<String> opts = options == null ? List.of()
                : options.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (t == CustomFieldType.CHOICE && opts.isEmpty()) {
            p.add("options", "customField.options", "a choice field needs at least one option");
        }
        p.throwIfAny();
        boolean exists = jdbc.sql("select exists (select 1 from custom_field where workspace_id = ? and entity = ? and key = ?)")
                .params(by.workspace().value(), entity, k).query(Boolean.class).single();
        if (exists) {
            throw new ConflictException(FieldProblem.of("key", "customField.exists", "a field with this key already exists"));
        }
        List<String> stored = t == CustomFieldType.CHOICE ? opts : List.of();
        long id = jdbc.sql("""
                        insert into custom_field (workspace_id, entity, key, label, type, options, created_at)
                        values (?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(by.workspace().value(), entity, k, l, t.code(), stored.toArray(String[]::new),
                        Timestamp.from(clock.instant()))
                .query(Long.class).single();
        audit.record(by, "customField.created", "custom_field", id, Map.of("entity", entity, "key", k, "type", t.code()));
        return new CustomField(id, entity, k, l, t, stored);
    }

    /** Removes the definition and the values stored under its key. */
    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        var field = jdbc.sql("delete from custom_field where workspace_id = ? and id = ? returning entity, key")
                .params(by.workspace().value(), id)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).optional()
                .orElseThrow(() -> new NotFoundException("custom field", id));
        String table = field.getKey().equals("company") ? "company" : "contact";
        // "??" is pgjdbc's escape for the jsonb key-exists operator "?".
        jdbc.sql("update " + table + " set custom_fields = custom_fields - ? where workspace_id = ? and custom_fields ?? ?")
                .params(field.getValue(), by.workspace().value(), field.getValue()).update();
        audit.record(by, "customField.deleted", "custom_field", id, Map.of("key", field.getValue()));
    }

    /** The fields of one entity kind in a workspace, for checking many values at once. */
    public Schema schema(WorkspaceId ws, String entity) {
        Map<String, CustomField> byKey = new TreeMap<>();
        list(ws, entity).forEach(f -> byKey.put(f.key(), f));
        return new Schema(byKey);
    }

    /** Checks custom field values; a key with value null removes that field. */
    public record Schema(Map<String, CustomField> fields) {

        public Map<String, Object> apply(Map<String, Object> current, Map<String, Object> changes, Problems problems) {
            Map<String, Object> result = new LinkedHashMap<>(current == null ? Map.of() : current);
            changes.forEach((key, raw) -> {
                CustomField f = fields.get(key);
                String path = "customFields." + key;
                if (f == null) {
                    problems.add(path, "customField.unknown", "no custom field '" + key + "' is defined", key);
                } else if (raw == null || (raw instanceof String s && s.isBlank())) {
                    result.remove(key);
                } else {
                    try {
                        result.put(key, f.type().normalize(raw, f.options()));
                    } catch (IllegalArgumentException e) {
                        problems.add(path, "customField.value", f.label() + ": " + e.getMessage(), f.label());
                    }
                }
            });
            return result;
        }
    }

    private static List<String> strings(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
