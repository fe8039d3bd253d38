package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import io.orbita.workspace.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs queued imports. A node claims one import with a lease ({@code FOR UPDATE SKIP LOCKED}), applies it batch by
 * batch, and commits each batch together with its counters, error rows and position: a crash leaves whole batches
 * only, and the next node to take the expired lease resumes right after the last committed row.
 */
@Component
class ImportRunner {

    static final int BATCH = 5000;
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);

    private final JdbcClient jdbc;
    private final Imports imports;
    private final ImportFiles files;
    private final TransactionTemplate tx;
    private final Clock clock;

    ImportRunner(JdbcClient jdbc, Imports imports, ImportFiles files, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.imports = imports;
        this.files = files;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${orbita.imports.poll:250ms}")
    void poll() {
        claim().ifPresent(this::run);
    }

    /**
     * Files of imports that will never run again are dropped: failed and cancelled ones, and uploads nobody mapped
     * within a week (a done import drops its own at once). Counters and error rows stay for the report.
     */
    @Scheduled(cron = "0 41 3 * * *")
    void dropStaleFiles() {
        jdbc.sql("""
                        delete from import_file f using import_job j
                        where j.workspace_id = f.workspace_id and j.id = f.import_id
                          and (j.status in ('failed', 'cancelled') or (j.status = 'uploaded' and j.created_at < ?))""")
                .param(Timestamp.from(clock.instant().minus(Duration.ofDays(7)))).update();
    }

    private Optional<Claimed> claim() {
        Timestamp now = Timestamp.from(clock.instant());
        return tx.execute(s -> jdbc.sql("""
                        update import_job j set status = 'running', locked_until = ?, started_at = coalesce(started_at, ?)
                        from (select workspace_id, id from import_job
                              where status in ('queued', 'running') and (locked_until is null or locked_until < ?)
                              order by created_at limit 1 for update skip locked) next
                        where j.workspace_id = next.workspace_id and j.id = next.id
                        returning j.workspace_id, j.id, j.actor_user_id, j.actor_key_id, j.actor_name""")
                .params(Timestamp.from(clock.instant().plus(LEASE)), now, now)
                .query((rs, n) -> {
                    long user = rs.getLong(3);
                    Long userId = rs.wasNull() ? null : user;
                    long key = rs.getLong(4);
                    Long keyId = rs.wasNull() ? null : key;
                    return new Claimed(WorkspaceId.of(rs.getLong(1)), rs.getLong(2), userId, keyId, rs.getString(5));
                })
                .optional());
    }

    private void run(Claimed c) {
        ImportJob job = imports.get(c.workspace(), c.id());
        ImportTarget target = imports.target(job.kind());
        // The import acts as whoever started it, so the audit log and consent history name them.
        OrbitaPrincipal by = new OrbitaPrincipal(c.userId(), c.keyId(), c.workspace(), null, Role.MARKETER,
                c.actorName(), c.userId() == null ? null : c.actorName());
        Map<Integer, String> mapping = new LinkedHashMap<>();
        job.mapping().forEach((column, field) -> mapping.put(Integer.parseInt(column), field));
        try (TableReader reader = TableReader.open(files.open(c.workspace(), c.id()), Imports.format(job))) {
            if (reader.hasNext()) {
                reader.next();
            }
            long rowNo = 1;
            ImportStatistics statistics = new ImportStatistics(jdbc, tx, target.table(), BATCH);
            for (long skip = 0; skip < job.rowsDone() && reader.hasNext(); skip++) {
                reader.next();
                rowNo++;
            }
            // The next batch is read and prepared on a thread of its own while this one is written: the writing is
            // mostly the database's work, the reading and validation all Java's, so the two overlap on two cores.
            try (ExecutorService ahead = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("import-ahead").factory())) {
                Read read = new Read(reader, mapping, rowNo);
                Future<Ahead> next = ahead.submit(() -> read.next(target, by, job));
                while (true) {
                    Ahead batch = awaited(next);
                    if (batch == null) {
                        break;
                    }
                    next = ahead.submit(() -> read.next(target, by, job));
                    Applied applied = applyBatch(c, by, target, batch.prepared(), batch.rowsBefore(), batch.read(), batch.empty());
                    if (applied == Applied.CANCELLED) {
                        return;
                    }
                    statistics.written(batch.rowsBefore() + batch.read() - job.rowsDone());
                    if (applied == Applied.POSITION_MOVED) {
                        // The stored position is not where this run left it: the database lost batches this run had
                        // committed (a crash with unflushed commits, see applyBatch), or another node took the job
                        // over. Going on would skip rows silently; let the job be claimed again from the stored position.
                        log.warn("Import {} of workspace {}: the stored position is not the one this run reached; resuming from it",
                                c.id(), c.workspace());
                        jdbc.sql("update import_job set locked_until = null where workspace_id = ? and id = ? and status = 'running'")
                                .params(c.workspace().value(), c.id()).update();
                        return;
                    }
                }
            }
            finish(c, "done", null);
        } catch (InterruptedException shuttingDown) {
            // The node is stopping while it waits for the batch read ahead: nothing of that batch was written, so the
            // import is not failed; its lease runs out and the next node (or this one restarted) resumes it.
            Thread.currentThread().interrupt();
            log.info("Import {} of workspace {} interrupted; it resumes from its last committed batch", c.id(), c.workspace());
        } catch (Exception e) {
            log.warn("Import {} of workspace {} failed", c.id(), c.workspace(), e);
            finish(c, "failed", "stopped: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** One batch read and prepared ahead, with where it lies in the file (data rows before it, rows read, empty rows). */
    private record Ahead(ImportTarget.Prepared prepared, long rowsBefore, int read, int empty) {
    }

    /** The file's rows, read a batch at a time by the thread ahead (only ever one batch at a time). */
    private static final class Read {
        private final TableReader reader;
        private final Map<Integer, String> mapping;
        private long rowNo;

        Read(TableReader reader, Map<Integer, String> mapping, long rowNo) {
            this.reader = reader;
            this.mapping = mapping;
            this.rowNo = rowNo;
        }

        /** The next batch, prepared by the target; null at the end of the file. */
        Ahead next(ImportTarget target, OrbitaPrincipal by, ImportJob job) {
            if (!reader.hasNext()) {
                return null;
            }
            List<ImportTarget.Row> rows = new ArrayList<>(BATCH);
            int empty = 0;
            int read = 0;
            while (reader.hasNext() && read < BATCH) {
                Map<String, String> values = mapped(reader.next(), mapping);
                rowNo++;
                read++;
                if (values.isEmpty()) {
                    empty++;
                } else {
                    rows.add(new ImportTarget.Row(rowNo, values));
                }
            }
            ImportTarget.Batch batch = new ImportTarget.Batch(rows, job.sourceLabel(), job.tags());
            return new Ahead(rows.isEmpty() ? new ImportTarget.Unprepared(batch) : target.prepare(by, batch),
                    rowNo - 1 - read, read, empty);
        }
    }

    /** The batch read ahead; a failure there (a broken file) is the import's failure, with its own message. */
    private static Ahead awaited(Future<Ahead> next) throws Exception {
        try {
            return next.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A row's non-blank cells by the field their column is mapped to. */
    private static Map<String, String> mapped(List<String> cells, Map<Integer, String> mapping) {
        // Sized for every mapped column: no rehash per row (a million rows allocated 80 MB of tables growing).
        Map<String, String> values = LinkedHashMap.newLinkedHashMap(mapping.size());
        for (Map.Entry<Integer, String> m : mapping.entrySet()) {
            String cell = m.getKey() < cells.size() ? cells.get(m.getKey()) : null;
            String value = cell == null ? "" : FieldRules.strip(cell);
            if (!value.isEmpty()) {
                values.put(m.getValue(), value);
            }
        }
        return values;
    }

    private enum Applied { DONE, CANCELLED, POSITION_MOVED }

    /**
     * Applies one batch with the job's counters and position, if the job is still running and its stored position is
     * {@code rowsBefore}, the data rows this run has read before the batch.
     */
    private Applied applyBatch(Claimed c, OrbitaPrincipal by, ImportTarget target, ImportTarget.Prepared batch, long rowsBefore,
                               int read, int empty) {
        return tx.execute(s -> {
            // The commit does not wait for its WAL to reach the disk (the flush costs an import about as much as a
            // tenth of its rows). Safe for the import's guarantees: a batch's contacts, consent records, error rows,
            // ContactsChanged publications and the job's counters and position commit together, so a crash of the
            // database can only lose a tail of whole batches together with the position that counted them, and the
            // run resumes from the position that survived (see the position check below). WAL is written in order, so
            // any later synchronous commit (a segment listener's, the job's "done") makes every earlier batch durable
            // too: nothing durable can depend on a lost batch.
            jdbc.sql("set local synchronous_commit = off").update();
            // The position check is what makes the unflushed commit safe while this process lives on (a database
            // crash that lost the last batches leaves the stored position behind this run's); it also stops a run
            // whose lease another node took over.
            record Job(String status, long rowsDone) {
            }
            Job job = jdbc.sql("select status, rows_done from import_job where workspace_id = ? and id = ? for update")
                    .params(c.workspace().value(), c.id()).query((rs, n) -> new Job(rs.getString(1), rs.getLong(2))).single();
            if (!job.status().equals("running")) {
                return Applied.CANCELLED;
            }
            if (job.rowsDone() != rowsBefore) {
                return Applied.POSITION_MOVED;
            }
            ImportTarget.Result r = batch.batch().rows().isEmpty() ? new ImportTarget.Result(0, 0, 0, List.of()) : target.apply(by, batch);
            for (ImportTarget.RowError e : r.errors()) {
                jdbc.sql("insert into import_error (workspace_id, import_id, row_no, field, value, reason) values (?, ?, ?, ?, ?, ?)")
                        .params(c.workspace().value(), c.id(), e.rowNo(), e.field(), e.value(), e.reason()).update();
            }
            long skippedRows = r.errors().stream().map(ImportTarget.RowError::rowNo).distinct().count() + empty;
            jdbc.sql("""
                            update import_job set rows_done = rows_done + ?, created = created + ?, updated = updated + ?,
                                unchanged = unchanged + ?, skipped = skipped + ?, locked_until = ?
                            where workspace_id = ? and id = ?""")
                    .params(read, r.created(), r.updated(), r.unchanged(), skippedRows,
                            Timestamp.from(clock.instant().plus(LEASE)), c.workspace().value(), c.id())
                    .update();
            return Applied.DONE;
        });
    }

    private void finish(Claimed c, String status, String message) {
        jdbc.sql("""
                        update import_job set status = ?, message = coalesce(?, message), finished_at = ?, locked_until = null
                        where workspace_id = ? and id = ? and status = 'running'""")
                .params(status, message, Timestamp.from(clock.instant()), c.workspace().value(), c.id()).update();
        if (status.equals("done")) {
            // The file is no longer needed once every row is applied; the error rows stay for the report.
            files.delete(c.workspace(), c.id());
        }
    }

    private record Claimed(WorkspaceId workspace, long id, Long userId, Long keyId, String actorName) {
    }
}
