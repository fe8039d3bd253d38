package io.orbita.delivery.inbound;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps inbound tables small: soft bounces older than the counting window can no longer count, and stored inbound
 * messages are kept for {@code orbita.inbound.keep-messages}. Deletes are idempotent, so every node may run this.
 */
@Component
class InboundHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(InboundHousekeeping.class);

    private final JdbcClient jdbc;
    private final InboundProperties properties;
    private final Clock clock;

    InboundHousekeeping(JdbcClient jdbc, InboundProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(cron = "0 40 3 * * *")
    void clean() {
        clean(clock.instant());
    }

    int clean(Instant now) {
        int soft = jdbc.sql("delete from soft_bounce where at < ?")
                .param(Timestamp.from(now.minus(properties.softBounceWindow()))).update();
        int messages = jdbc.sql("delete from inbound_message where received_at < ?")
                .param(Timestamp.from(now.minus(properties.keepMessages()))).update();
        if (soft + messages > 0) {
            log.info("Inbound housekeeping: {} old soft bounces and {} old inbound messages removed", soft, messages);
        }
        return soft + messages;
    }
}
