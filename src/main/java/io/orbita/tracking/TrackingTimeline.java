package io.orbita.tracking;

import io.orbita.platform.TimelineSource;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A contact's opens and clicks on its timeline; machine hits stay off it, as they say nothing about the person. */
@Component
class TrackingTimeline implements TimelineSource {

    private final JdbcClient jdbc;

    TrackingTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Entry> entries(WorkspaceId ws, long contactId, Instant notAfter, int limit) {
        return jdbc.sql("""
                        select id, kind, at, message_id, url, via from tracking_event
                        where workspace_id = ? and contact_id = ? and at <= ? and not machine
                        order by at desc, id desc limit ?""")
                .params(ws.value(), contactId, Timestamp.from(notAfter), limit)
                .query((rs, n) -> {
                    Map<String, Object> details = new HashMap<>();
                    details.put("messageId", rs.getLong(4));
                    if (rs.getString(5) != null) {
                        details.put("url", rs.getString(5));
                    }
                    if (rs.getString(6) != null) {
                        details.put("via", rs.getString(6));
                    }
                    return new Entry(rs.getTimestamp(3).toInstant(), "mail", rs.getString(2), rs.getLong(1),
                            rs.getString(2), details);
                })
                .list();
    }
}
