package io.orbita.campaigns.internal;

import io.orbita.tracking.Unsubscribed;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Notes on the campaign recipient that the unsubscribe came through its letter, for the report's unsubscribes. */
@Component
class UnsubscribeRecorder {

    private final JdbcClient jdbc;

    UnsubscribeRecorder(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener
    void on(Unsubscribed e) {
        jdbc.sql("""
                        update campaign_recipient set unsubscribed_at = ?
                        where workspace_id = ? and message_id = ? and unsubscribed_at is null""")
                .params(Timestamp.from(e.at()), e.workspace().value(), e.messageId()).update();
    }
}
