package io.orbita.audience;

import io.orbita.platform.Bulk;
import io.orbita.platform.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/** Turns a bulk result into an import result: item problems become error rows with the file's row number and cell. */
public final class ImportResults {

    private ImportResults() {
    }

    public static ImportTarget.Result of(Bulk.Result result, ImportTarget.Batch batch) {
        List<ImportTarget.RowError> errors = new ArrayList<>();
        for (Bulk.ItemResult item : result.items()) {
            if (!item.failed()) {
                continue;
            }
            ImportTarget.Row row = batch.rows().get(item.index());
            for (FieldProblem p : item.errors()) {
                String field = p.field() == null || p.field().isEmpty() ? null : p.field();
                errors.add(new ImportTarget.RowError(row.rowNo(), field, field == null ? null : row.values().get(field), p.message()));
            }
        }
        return new ImportTarget.Result(result.created(), result.updated(), result.unchanged(), errors);
    }
}
