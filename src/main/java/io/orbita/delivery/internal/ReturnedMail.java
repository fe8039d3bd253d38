package io.orbita.delivery.internal;

import io.orbita.delivery.MailReturned;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * What came back about a message sets its state: a bounce makes it {@code bounced}, a complaint {@code complained}.
 * A soft bounce after delivery still marks the message bounced (the recipient did not get it); replies change nothing.
 */
@Component
class ReturnedMail {

    private final JdbcClient jdbc;
    private final java.time.Clock clock;

    ReturnedMail(JdbcClient jdbc, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(MailReturned e) {
        if (e.messageId() == null) {
            return;
        }
        String state = switch (e.kind()) {
            case "bounce" -> "bounced";
            case "complaint" -> "complained";
            default -> null;
        };
        if (state == null) {
            return;
        }
        String answer = e.kind().equals("bounce")
                ? "bounced" + (e.hard() ? " (hard)" : " (soft)") + (e.status() == null ? "" : " " + e.status())
                        + (e.reason() == null ? "" : " " + e.reason())
                : "complaint from the recipient";
        jdbc.sql("""
                update outbox_message set state = ?, last_answer = ?, updated_at = ?
                where workspace_id = ? and id = ? and state in ('sent', 'sending', 'deferred', 'bounced')""")
                .params(state, answer, java.sql.Timestamp.from(clock.instant()), e.workspace().value(), e.messageId()).update();
    }
}
