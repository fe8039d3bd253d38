package io.orbita.tracking.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps monthly partitions of {@code tracking_event} ready: the current month and {@value #MONTHS_AHEAD} ahead. Hits are
 * always stamped with the time of arrival, so the default partition only ever catches what arrives in a month whose
 * partition could not be made in time.
 */
@Component
class TrackingHousekeeping implements InitializingBean {

    static final int MONTHS_AHEAD = 3;
    private static final long LOCK = 0x0B17A_0070L;
    private static final Logger log = LoggerFactory.getLogger(TrackingHousekeeping.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    TrackingHousekeeping(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** Before the web server takes hits: a hit stored in the default partition would block making its month's partition. */
    @Override
    public void afterPropertiesSet() {
        try {
            ensurePartitions();
        } catch (RuntimeException e) {
            log.warn("could not prepare tracking_event partitions; hits go to the default partition", e);
        }
    }

    @Scheduled(cron = "0 19 3 * * *")
    void ensurePartitions() {
        YearMonth now = YearMonth.from(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        tx.executeWithoutResult(s -> {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query((rs, n) -> 1).list();
            for (YearMonth m = now; !m.isAfter(now.plusMonths(MONTHS_AHEAD)); m = m.plusMonths(1)) {
                String name = "tracking_event_" + m.getYear() + "_" + String.format("%02d", m.getMonthValue());
                boolean exists = jdbc.sql("select to_regclass(?) is not null").param(name).query(Boolean.class).single();
                if (!exists) {
                    jdbc.sql("create table " + name + " partition of tracking_event for values from ('" + m.atDay(1)
                            + " 00:00:00+00') to ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')").update();
                }
            }
        });
    }
}
