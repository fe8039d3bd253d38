package io.orbita.audience;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the planner statistics of the table one import fills in step with it.
 *
 * <p>Without statistics PostgreSQL guesses that a workspace holds half a percent of a table's rows. The first import
 * into a new installation, or into a workspace the last ANALYZE did not see, then looks up "these 5,000 emails of the
 * workspace" by reading the whole workspace, since it looks smaller than 5,000 index probes: 30 ms a batch instead of
 * 3 at a million contacts, growing with every batch. And without statistics of the unique index on lower(email), the
 * same 5,000 emails look like they could match every row: a sequential scan. Autovacuum corrects both eventually, but
 * its first look comes a minute or more into an import that takes half a minute. So the runner analyzes the table
 * (0.2 s at a million contacts) after the first batch and each time the import has quadrupled what it wrote, and only
 * while the import has added more than a quarter of the rows the statistics know of: a few times for a big import into
 * a small table, never for a small import into a big one.
 */
final class ImportStatistics {

    private static final Logger log = LoggerFactory.getLogger(ImportStatistics.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final String table;
    private long nextLookAt;

    ImportStatistics(JdbcClient jdbc, TransactionTemplate tx, String table, long firstLookAt) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.table = table;
        this.nextLookAt = firstLookAt;
    }

    /** Called after each committed batch with the rows the import has written so far. */
    void written(long rows) {
        if (rows < nextLookAt) {
            return;
        }
        nextLookAt = rows * 4;
        try {
            tx.executeWithoutResult(s -> {
                double known = jdbc.sql("select reltuples from pg_class where oid = cast(? as regclass)")
                        .param(table).query(Double.class).single();
                if (known < 0 || rows * 4 > known) {
                    // Autovacuum may be analyzing the table right now; then it is doing this job and we need not wait.
                    jdbc.sql("set local lock_timeout = '200ms'").update();
                    jdbc.sql("analyze " + table).update();
                }
            });
        } catch (DataAccessException busy) {
            log.debug("statistics of {} not refreshed: {}", table, busy.getMessage());
        }
    }
}
