package io.orbita.segments.internal;

import io.orbita.audience.Contacts;
import io.orbita.audience.ImportTarget;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.Segment;
import io.orbita.segments.Segments;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds existing contacts to static lists from a file: an email column and a list column (the list's id or name; a
 * name no list has yet creates that list). Unknown emails are reported in the error file.
 */
@Component
class ListImportTarget implements ImportTarget {

    private final Contacts contacts;
    private final Segments segments;
    private final JdbcClient jdbc;

    ListImportTarget(Contacts contacts, @Lazy Segments segments, JdbcClient jdbc) {
        this.contacts = contacts;
        this.segments = segments;
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "list_members";
    }

    @Override
    public String table() {
        return "segment_member";
    }

    @Override
    public List<Field> fields(WorkspaceId workspace) {
        return List.of(new Field("email", "lists.import.email", true, List.of("email", "e-mail", "почта", "электронная почта", "адрес")),
                new Field("list", "lists.import.list", true, List.of("list", "список", "название списка")));
    }

    @Override
    public Result apply(OrbitaPrincipal by, Batch batch) {
        WorkspaceId ws = by.workspace();
        List<RowError> errors = new ArrayList<>();
        Set<String> emails = new LinkedHashSet<>();
        for (Row row : batch.rows()) {
            String email = row.values().get("email");
            String list = row.values().get("list");
            if (email == null || email.isBlank()) {
                errors.add(new RowError(row.rowNo(), "email", "", "email is required"));
            } else if (list == null || list.isBlank()) {
                errors.add(new RowError(row.rowNo(), "list", "", "list is required"));
            } else {
                emails.add(email.strip());
            }
        }
        Map<String, Long> ids = contacts.findIdsByEmails(ws, emails);
        Map<String, List<Long>> byList = new LinkedHashMap<>();
        for (Row row : batch.rows()) {
            String email = row.values().get("email");
            String list = row.values().get("list");
            if (email == null || email.isBlank() || list == null || list.isBlank()) {
                continue;
            }
            Long id = ids.get(email.strip());
            if (id == null) {
                errors.add(new RowError(row.rowNo(), "email", email, "no contact with this email"));
            } else {
                byList.computeIfAbsent(list.strip(), k -> new ArrayList<>()).add(id);
            }
        }
        int added = 0;
        int unchanged = 0;
        for (var e : byList.entrySet()) {
            long listId = resolve(by, e.getKey());
            int n = segments.addToList(by, listId, e.getValue());
            added += n;
            unchanged += e.getValue().size() - n;
        }
        return new Result(added, 0, unchanged, errors);
    }

    /** The list with this id or name, created when no list has the name. */
    private long resolve(OrbitaPrincipal by, String key) {
        WorkspaceId ws = by.workspace();
        if (key.matches("\\d{1,18}")) {
            Long id = jdbc.sql("select id from segment where workspace_id = ? and kind = 'list' and id = ?")
                    .params(ws.value(), Long.parseLong(key)).query(Long.class).optional().orElse(null);
            if (id != null) {
                return id;
            }
        }
        Long byName = jdbc.sql("select min(id) from segment where workspace_id = ? and kind = 'list' and lower(name) = ?")
                .params(ws.value(), key.toLowerCase(Locale.ROOT)).query(Long.class).optional().orElse(null);
        if (byName != null) {
            return byName;
        }
        Segment created = segments.create(by, "list", new Segments.SegmentInput(key.length() > 200 ? key.substring(0, 200) : key, null, null));
        return created.id();
    }
}
