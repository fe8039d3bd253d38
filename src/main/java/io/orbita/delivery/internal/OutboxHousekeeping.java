package io.orbita.delivery.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Drops the stored bytes of finished messages after {@code orbita.delivery.keep-raw} (30 days by default): at about
 * 3 KB compressed per message they are most of the outbox's size, while the row (state, recipient, SMTP answer,
 * dates) stays for reports. Messages still to be sent (queued, sending, deferred) keep theirs: their bytes are what
 * goes out on the next attempt. Idempotent, so every node may run it; in chunks, so no transaction holds many rows.
 */
@Component
public class OutboxHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(OutboxHousekeeping.class);

    /** States in which a message will not be sent again. */
    static final String FINISHED = "'sent', 'failed', 'bounced', 'complained', 'suppressed', 'cancelled'";
    private static final int CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration keepRaw;

    OutboxHousekeeping(JdbcClient jdbc, Clock clock, @Value("${orbita.delivery.keep-raw:P30D}") Duration keepRaw) {
        if (keepRaw.isNegative() || keepRaw.isZero()) {
            throw new IllegalArgumentException("orbita.delivery.keep-raw must be positive, not " + keepRaw);
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.keepRaw = keepRaw;
    }

    @Scheduled(cron = "${orbita.delivery.keep-raw-cron:0 47 3 * * *}")
    void clean() {
        dropOldBodies();
    }

    /** Drops the bytes of messages finished before now minus the retention; the number of messages affected. */
    public int dropOldBodies() {
        Timestamp before = Timestamp.from(clock.instant().minus(keepRaw));
        int total = 0;
        int n;
        do {
            n = jdbc.sql("""
                            update outbox_message set raw_gz = null
                            where (workspace_id, id) in (
                                select workspace_id, id from outbox_message
                                where raw_gz is not null and state in (%s) and updated_at < ?
                                limit %d)""".formatted(FINISHED, CHUNK))
                    .param(before).update();
            total += n;
        } while (n == CHUNK);
        if (total > 0) {
            log.info("Outbox housekeeping: the stored bytes of {} messages finished before {} dropped", total, before.toInstant());
        }
        return total;
    }
}
