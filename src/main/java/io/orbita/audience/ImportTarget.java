package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import java.util.List;
import java.util.Map;

/**
 * What an import can load: contacts and companies here, products and orders in commerce. The import engine reads the
 * file, maps columns to {@link #fields} and hands rows to {@link #apply} in batches; a target validates every row and
 * reports the bad ones instead of failing the batch.
 */
public interface ImportTarget {

    /** {@code contacts}, {@code companies}, {@code products}, {@code orders}. */
    String kind();

    /**
     * The table this import fills, with a {@code workspace_id} column: the runner keeps its planner statistics in step
     * while the import grows it (see {@link ImportStatistics}).
     */
    String table();

    /** The fields a column can be mapped to, custom fields included. */
    List<Field> fields(WorkspaceId workspace);

    /** Applies one batch in the caller's transaction. */
    Result apply(OrbitaPrincipal by, Batch batch);

    /**
     * The work on a batch that needs no transaction (building inputs, validating them), which the runner does on a
     * thread of its own while the batch before is being written. By default there is none.
     */
    default Prepared prepare(OrbitaPrincipal by, Batch batch) {
        return new Unprepared(batch);
    }

    /** Applies a prepared batch in the caller's transaction. */
    default Result apply(OrbitaPrincipal by, Prepared prepared) {
        return apply(by, prepared.batch());
    }

    /**
     * @param key       the field name in the API ({@code email}, {@code firstName}, {@code customFields.level})
     * @param labelKey  message key of its label (or the label itself for custom fields)
     * @param aliases   header texts that map to it automatically, lower case ("e-mail", "почта", "фамилия")
     */
    record Field(String key, String labelKey, boolean required, List<String> aliases) {
    }

    /** One data row: non-empty cells by field key, and its row number in the file (header is row 1). */
    record Row(long rowNo, Map<String, String> values) {
    }

    /** Rows to apply, with the import's source label and tags. */
    record Batch(List<Row> rows, String sourceLabel, List<String> tags) {
    }

    /**
     * A batch with what {@link #prepare} made of it: each target that prepares has its own record, and only its
     * {@link #apply(OrbitaPrincipal, Prepared)} takes it.
     */
    interface Prepared {
        Batch batch();
    }

    /** A batch as read, for targets with nothing to prepare (and for a batch of empty rows). */
    record Unprepared(Batch batch) implements Prepared {
    }

    /** One rejected cell or row, for the error file. */
    record RowError(long rowNo, String field, String value, String reason) {
    }

    record Result(int created, int updated, int unchanged, List<RowError> errors) {
    }
}
