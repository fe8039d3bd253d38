package io.orbita.audience;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports of CSV and XLSX files in three steps: upload (format detected, columns read), mapping (columns to fields,
 * source label, tags; a preview of the first rows), then a background run ({@link ImportRunner}) with live progress,
 * cancellation and a downloadable error file.
 */
@Service
public class Imports {

    public static final int PREVIEW_ROWS = 10;

    /** The first rows of a file, for the mapping step. */
    public record Preview(List<String> headers, List<List<String>> rows, Map<String, String> suggestedMapping) {
    }

    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final ImportFiles files;
    private final Map<String, ImportTarget> targets = new LinkedHashMap<>();
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    Imports(JdbcClient jdbc, ImportFiles files, List<ImportTarget> targets, AuditLog audit, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.files = files;
        // The order people meet them in the upload form: contacts first, the most common import.
        List<String> order = List.of("contacts", "companies", "products", "orders");
        targets.stream().sorted(java.util.Comparator.comparingInt(t -> order.indexOf(t.kind()) < 0 ? 99 : order.indexOf(t.kind())))
                .forEach(t -> this.targets.put(t.kind(), t));
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public Set<String> kinds() {
        return targets.keySet();
    }

    public ImportTarget target(String kind) {
        ImportTarget t = targets.get(kind);
        if (t == null) {
            throw new ValidationException(FieldProblem.of("kind", "import.kind", "kind must be one of: " + String.join(", ", targets.keySet()),
                    String.join(", ", targets.keySet())));
        }
        return t;
    }

    /** Stores the file and reads its columns. The file is not applied until {@link #start}. */
    @Transactional
    public ImportJob upload(OrbitaPrincipal by, String kind, String fileName, InputStream content) throws IOException {
        target(kind);
        String name = fileName == null || fileName.isBlank() ? "import" : fileName.strip();
        BufferedInputStream in = new BufferedInputStream(content, 64 * 1024);
        in.mark(64 * 1024 + 1);
        byte[] head = in.readNBytes(64 * 1024);
        in.reset();
        if (head.length == 0) {
            throw new ValidationException(FieldProblem.of("file", "import.empty", "the file is empty"));
        }
        TableReader.Format format;
        try {
            format = TableReader.detect(head, name);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(FieldProblem.of("file", "import.format", e.getMessage()));
        }
        long id = jdbc.sql("""
                        insert into import_job (workspace_id, kind, status, file_name, file_format, encoding, delimiter, file_bytes,
                            actor_user_id, actor_key_id, actor_name, created_at)
                        values (?, ?, 'uploaded', ?, ?, ?, ?, 0, ?, ?, ?, ?) returning id""")
                .params(by.workspace().value(), kind, name.length() > 200 ? name.substring(0, 200) : name, format.format(),
                        format.encoding(), format.delimiter(), by.userId(), by.apiKeyId(), by.isUser() ? by.email() : by.displayName(), Timestamp.from(clock.instant()))
                .query(Long.class).single();
        long size = files.store(by.workspace(), id, in);
        List<String> headers = readHeaders(by.workspace(), id, format);
        jdbc.sql("update import_job set file_bytes = ?, headers = ?::jsonb, mapping = ?::jsonb where workspace_id = ? and id = ?")
                .params(size, json.writeValueAsString(headers), json.writeValueAsString(suggest(by.workspace(), kind, headers)),
                        by.workspace().value(), id)
                .update();
        audit.record(by, "import.uploaded", "import", id, Map.of("kind", kind, "file", name, "bytes", size));
        return get(by.workspace(), id);
    }

    public Preview preview(WorkspaceId ws, long id) {
        ImportJob job = get(ws, id);
        List<List<String>> rows = new ArrayList<>();
        try (TableReader reader = TableReader.open(files.open(ws, id), format(job))) {
            if (reader.hasNext()) {
                reader.next();
            }
            while (reader.hasNext() && rows.size() < PREVIEW_ROWS) {
                rows.add(reader.next());
            }
        } catch (Exception e) {
            throw new ValidationException(FieldProblem.of("file", "import.unreadable", "the file cannot be read: " + e.getMessage()));
        }
        return new Preview(job.headers(), rows, job.mapping());
    }

    /**
     * Sets the mapping and queues the import.
     *
     * @param mapping column index (0-based, as text) to field key; columns left out are ignored
     */
    @Transactional
    public ImportJob start(OrbitaPrincipal by, long id, Map<String, String> mapping, String sourceLabel, List<String> tags) {
        ImportJob job = get(by.workspace(), id);
        if (!job.status().equals("uploaded")) {
            throw new ValidationException(FieldProblem.of("status", "import.started", "this import has already been started"));
        }
        ImportTarget target = target(job.kind());
        Problems p = new Problems();
        Map<String, String> clean = new LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        target.fields(by.workspace()).forEach(f -> known.add(f.key()));
        Set<String> used = new HashSet<>();
        (mapping == null ? Map.<String, String>of() : mapping).forEach((column, field) -> {
            if (field == null || field.isBlank()) {
                return;
            }
            int index;
            try {
                index = Integer.parseInt(column);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= job.headers().size()) {
                p.add("mapping." + column, "import.column", "no column " + column + " in the file");
            } else if (!known.contains(field)) {
                p.add("mapping." + column, "import.field", "unknown field '" + field + "'", field);
            } else if (!used.add(field)) {
                p.add("mapping." + column, "import.fieldTwice", "field '" + field + "' is mapped from two columns", field);
            } else {
                clean.put(Integer.toString(index), field);
            }
        });
        for (ImportTarget.Field f : target.fields(by.workspace())) {
            if (f.required() && !used.contains(f.key())) {
                p.add("mapping", "import.required", "map a column to the required field '" + f.key() + "'", f.key());
            }
        }
        String label = sourceLabel == null || sourceLabel.isBlank() ? null : sourceLabel.strip();
        if (label != null && label.length() > 200) {
            p.add("sourceLabel", "field.tooLong", "must be at most 200 characters", 200);
        }
        List<String> cleanTags = tags == null ? List.of() : tags.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        if (cleanTags.stream().anyMatch(t -> t.length() > FieldRules.MAX_TAG_LENGTH || t.contains(","))) {
            p.add("tags", "tag.invalid", "a tag must be 1 to 64 characters without commas", FieldRules.MAX_TAG_LENGTH);
        }
        p.throwIfAny();
        jdbc.sql("""
                        update import_job set status = 'queued', mapping = ?::jsonb, source_label = ?, tags = ?
                        where workspace_id = ? and id = ?""")
                .params(json.writeValueAsString(clean), label, cleanTags.toArray(String[]::new), by.workspace().value(), id)
                .update();
        audit.record(by, "import.started", "import", id, Map.of("mapping", clean));
        return get(by.workspace(), id);
    }

    @Transactional
    public ImportJob cancel(OrbitaPrincipal by, long id) {
        ImportJob job = get(by.workspace(), id);
        if (!job.finished()) {
            jdbc.sql("update import_job set status = 'cancelled', finished_at = ?, message = ? where workspace_id = ? and id = ?")
                    .params(Timestamp.from(clock.instant()), "cancelled after " + job.rowsDone() + " rows", by.workspace().value(), id)
                    .update();
            audit.record(by, "import.cancelled", "import", id, Map.of("rowsDone", job.rowsDone()));
        }
        return get(by.workspace(), id);
    }

    public ImportJob get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(this::map).optional()
                .orElseThrow(() -> new NotFoundException("import", id));
    }

    public List<ImportJob> recent(WorkspaceId ws, int limit) {
        return jdbc.sql(SELECT + " where workspace_id = ? order by id desc limit ?").params(ws.value(), limit).query(this::map).list();
    }

    public long errorCount(WorkspaceId ws, long id) {
        return jdbc.sql("select count(*) from import_error where workspace_id = ? and import_id = ?").params(ws.value(), id)
                .query(Long.class).single();
    }

    /** The error file: row, column, value, reason; UTF-8 with BOM so Excel opens it with Cyrillic intact. */
    public void writeErrors(WorkspaceId ws, long id, Writer out) throws IOException {
        ImportJob job = get(ws, id);
        Map<String, String> columnOf = new LinkedHashMap<>();
        job.mapping().forEach((column, field) -> columnOf.put(field, job.headers().get(Integer.parseInt(column))));
        out.write('\uFEFF');
        // Not closed here: the writer belongs to the caller (closing the printer would close the response stream).
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(';').get());
        csv.printRecord("row", "column", "value", "reason");
        jdbc.sql("select row_no, field, value, reason from import_error where workspace_id = ? and import_id = ? order by row_no")
                .params(ws.value(), id)
                .query(rs -> {
                    try {
                        String field = rs.getString(2);
                        csv.printRecord(rs.getLong(1), field == null ? "" : columnOf.getOrDefault(field, field),
                                rs.getString(3) == null ? "" : rs.getString(3), rs.getString(4));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        csv.flush();
    }

    static TableReader.Format format(ImportJob job) {
        return new TableReader.Format(job.fileFormat(), job.encoding(), job.delimiter());
    }

    private List<String> readHeaders(WorkspaceId ws, long id, TableReader.Format format) {
        try (TableReader reader = TableReader.open(files.open(ws, id), format)) {
            if (!reader.hasNext()) {
                throw new ValidationException(FieldProblem.of("file", "import.empty", "the file has no rows"));
            }
            List<String> headers = reader.next().stream().map(h -> h == null ? "" : h.strip()).toList();
            if (headers.stream().allMatch(String::isEmpty)) {
                throw new ValidationException(FieldProblem.of("file", "import.noHeader", "the first row must name the columns"));
            }
            return headers;
        } catch (ValidationException e) {
            throw e;
        } catch (Exception e) {
            throw new ValidationException(FieldProblem.of("file", "import.unreadable", "the file cannot be read: " + e.getMessage()));
        }
    }

    /** Maps columns whose header names a field (in English or Russian, any case) to that field. */
    private Map<String, String> suggest(WorkspaceId ws, String kind, List<String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        List<ImportTarget.Field> fields = target(kind).fields(ws);
        for (int i = 0; i < headers.size(); i++) {
            String h = headers.get(i).toLowerCase(Locale.ROOT).replace('ё', 'е').strip();
            for (ImportTarget.Field f : fields) {
                boolean match = f.key().toLowerCase(Locale.ROOT).equals(h) || f.aliases().contains(h);
                if (match && used.add(f.key())) {
                    out.put(Integer.toString(i), f.key());
                    break;
                }
            }
        }
        return out;
    }

    private static final String SELECT = """
            select id, kind, status, file_name, file_format, encoding, delimiter, file_bytes, headers::text as headers,
                   mapping::text as mapping, source_label, tags, rows_done, created, updated, unchanged, skipped, message,
                   created_at, started_at, finished_at
            from import_job
            """;

    private ImportJob map(ResultSet rs, int n) throws SQLException {
        return new ImportJob(rs.getLong("id"), rs.getString("kind"), rs.getString("status"), rs.getString("file_name"),
                rs.getString("file_format"), rs.getString("encoding"), rs.getString("delimiter"), rs.getLong("file_bytes"),
                json.readValue(rs.getString("headers"), LIST), json.readValue(rs.getString("mapping"), MAP),
                rs.getString("source_label"), Arrays.asList((String[]) rs.getArray("tags").getArray()), rs.getLong("rows_done"),
                rs.getLong("created"), rs.getLong("updated"), rs.getLong("unchanged"), rs.getLong("skipped"),
                rs.getString("message"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
