package io.orbita.activity;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Housekeeping of the event log. Keeps monthly partitions of {@code activity_event} ready: {@value #MONTHS_BACK} months back at first start and
 * {@value #MONTHS_AHEAD} months ahead always. Only future months are ever added later, and events more than a day in
 * the future are refused, so the default partition never holds rows of a month being created.
 */
@Component
class EventLogHousekeeping {

    static final int MONTHS_BACK = 24;
    static final int MONTHS_AHEAD = 3;
    private static final Logger log = LoggerFactory.getLogger(EventLogHousekeeping.class);
    private static final long LOCK = 0x0B17A_0002L;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    EventLogHousekeeping(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** Replays are recognised for this long; older idempotency keys are forgotten so the table stays small. */
    static final java.time.Duration KEEP_IDEMPOTENCY_KEYS = java.time.Duration.ofDays(30);

    @Scheduled(cron = "0 23 3 * * *")
    void forgetOldIdempotencyKeys() {
        jdbc.sql("delete from activity_idempotency where created_at < ?")
                .param(java.sql.Timestamp.from(clock.instant().minus(KEEP_IDEMPOTENCY_KEYS))).update();
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(cron = "0 17 3 * * *")
    void ensure() {
        YearMonth now = YearMonth.from(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        tx.executeWithoutResult(s -> {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query((rs, n) -> 1).list();
            boolean first = jdbc.sql("select count(*) = 0 from pg_inherits where inhparent = 'activity_event'::regclass and inhrelid <> 'activity_event_default'::regclass")
                    .query(Boolean.class).single();
            YearMonth from = first ? now.minusMonths(MONTHS_BACK) : now;
            for (YearMonth m = from; !m.isAfter(now.plusMonths(MONTHS_AHEAD)); m = m.plusMonths(1)) {
                String name = "activity_event_" + m.getYear() + "_" + String.format("%02d", m.getMonthValue());
                boolean exists = jdbc.sql("select to_regclass(?) is not null").param(name).query(Boolean.class).single();
                if (!exists) {
                    jdbc.sql("create table " + name + " partition of activity_event for values from ('" + m.atDay(1)
                            + " 00:00:00+00') to ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')").update();
                    log.debug("created partition {}", name);
                }
            }
        });
    }
}
