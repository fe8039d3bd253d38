package io.orbita.tracking.internal;

import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A workspace's tracking at a glance: human and machine hits since a moment, why machines were flagged, opt-outs. */
@Component
public class TrackingOverview {

    /** Hits of one kind (open or click) with one verdict: human (reason null, maybe via a proxy) or a machine reason. */
    public record Row(String kind, boolean machine, String reason, String via, long hits, long messages) {
    }

    public record Overview(long humanOpens, long humanClicks, long machineOpens, long machineClicks, List<Row> rows,
                           Map<String, Long> optOuts) {
    }

    private final JdbcClient jdbc;

    TrackingOverview(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Overview since(WorkspaceId ws, Instant from) {
        List<Row> rows = jdbc.sql("""
                        select kind, machine, machine_reason, via, count(*), count(distinct message_id) from tracking_event
                        where workspace_id = ? and at >= ?
                        group by 1, 2, 3, 4 order by 1 desc, 2, 5 desc""")
                .params(ws.value(), Timestamp.from(from))
                .query((rs, n) -> new Row(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6)))
                .list();
        long humanOpens = 0, humanClicks = 0, machineOpens = 0, machineClicks = 0;
        for (Row r : rows) {
            boolean open = Hit.OPEN.equals(r.kind());
            if (r.machine()) {
                machineOpens += open ? r.hits() : 0;
                machineClicks += open ? 0 : r.hits();
            } else {
                humanOpens += open ? r.hits() : 0;
                humanClicks += open ? 0 : r.hits();
            }
        }
        Map<String, Long> optOuts = new LinkedHashMap<>();
        for (var k : io.orbita.tracking.MailingKind.CHOOSABLE) {
            optOuts.put(k.code(), 0L);
        }
        jdbc.sql("select kind, count(*) from mailing_opt_out where workspace_id = ? group by kind")
                .param(ws.value())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list().forEach(e -> optOuts.put(e.getKey(), e.getValue()));
        return new Overview(humanOpens, humanClicks, machineOpens, machineClicks, rows, optOuts);
    }
}
