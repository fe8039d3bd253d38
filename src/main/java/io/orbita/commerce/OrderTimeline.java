package io.orbita.commerce;

import io.orbita.platform.TimelineSource;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Orders on the contact timeline. */
@Component
class OrderTimeline implements TimelineSource {

    private final JdbcClient jdbc;

    OrderTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Entry> entries(WorkspaceId ws, long contactId, Instant notAfter, int limit) {
        return jdbc.sql("""
                        select id, external_id, placed_at, status, total, currency from customer_order
                        where workspace_id = ? and contact_id = ? and placed_at <= ?
                        order by placed_at desc, id desc limit ?""")
                .params(ws.value(), contactId, Timestamp.from(notAfter), limit)
                .query((rs, n) -> new Entry(rs.getTimestamp(3).toInstant(), "order", rs.getString(4), rs.getLong(1),
                        rs.getString(2), Map.of("externalId", rs.getString(2), "status", rs.getString(4),
                        "total", rs.getBigDecimal(5), "currency", rs.getString(6))))
                .list();
    }
}
