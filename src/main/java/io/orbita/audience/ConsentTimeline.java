package io.orbita.audience;

import io.orbita.platform.TimelineSource;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Consent changes on the contact timeline. */
@Component
class ConsentTimeline implements TimelineSource {

    private final JdbcClient jdbc;

    ConsentTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Entry> entries(WorkspaceId ws, long contactId, Instant notAfter, int limit) {
        return jdbc.sql("""
                        select id, status, at, method, source, actor from consent_event
                        where workspace_id = ? and contact_id = ? and at <= ? order by at desc, id desc limit ?""")
                .params(ws.value(), contactId, Timestamp.from(notAfter), limit)
                .query((rs, n) -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("method", rs.getString(4));
                    details.put("source", rs.getString(5));
                    details.put("actor", rs.getString(6));
                    return new Entry(rs.getTimestamp(3).toInstant(), "consent", rs.getString(2), rs.getLong(1),
                            rs.getString(2), details);
                })
                .list();
    }
}
