package io.orbita.delivery.internal;

import io.orbita.delivery.MailReturned;
import io.orbita.delivery.ReturnedMailChanged;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * What came back about a message sets its state: a bounce makes it {@code bounced}, a complaint {@code complained}.
 * A soft bounce after delivery still marks the message bounced (the recipient did not get it); replies change nothing.
 * Then the contact's segments learn of it ({@link ReturnedMailChanged}): only now, because the "bounced" condition reads
 * the message's state, while the reply, the suppression and the consent were committed with the inbound message.
 */
@Component
class ReturnedMail {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final java.time.Clock clock;

    ReturnedMail(JdbcClient jdbc, ApplicationEventPublisher events, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(MailReturned e) {
        setState(e);
        if (e.contactId() != null && e.workspace() != null && !e.kind().equals("auto_reply")) {
            events.publishEvent(new ReturnedMailChanged(e.workspace(), List.of(e.contactId())));
        }
    }

    private void setState(MailReturned e) {
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
