package io.orbita.audience;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An import and how far it got. {@code rowsDone} counts data rows already committed: a restarted import resumes
 * after them, so no row is applied twice and none is lost.
 *
 * @param mapping column index (as text) to field key; unmapped columns are ignored
 * @param status  uploaded (waiting for the mapping), queued, running, done, failed, cancelled
 */
public record ImportJob(long id, String kind, String status, String fileName, String fileFormat, String encoding,
                        String delimiter, long fileBytes, List<String> headers, Map<String, String> mapping,
                        String sourceLabel, List<String> tags, long rowsDone, long created, long updated, long unchanged,
                        long skipped, String message, Instant createdAt, Instant startedAt, Instant finishedAt) {

    public boolean finished() {
        return status.equals("done") || status.equals("failed") || status.equals("cancelled");
    }
}
