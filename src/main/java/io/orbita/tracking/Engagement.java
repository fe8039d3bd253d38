package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Opens and clicks as figures, for reports, segments and journeys. "Human" leaves out machine hits (privacy proxies,
 * link scanners); "all" counts everything. A message (one letter to one recipient) counts as opened once when it has
 * any open or any click: a click proves the letter was opened even when its images were blocked.
 */
@Service
public class Engagement {

    /** Unique figures count messages, totals count hits. */
    public record Figures(long uniqueOpens, long totalOpens, long uniqueClicks, long totalClicks) {
    }

    /** The same figures without and with machine hits. */
    public record Summary(Figures human, Figures all) {
    }

    /** Clicks on one URL: unique counts messages that clicked it. */
    public record LinkClicks(String url, long uniqueClicks, long totalClicks) {
    }

    private final JdbcClient jdbc;

    Engagement(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Summary summary(WorkspaceId ws, long messageId) {
        return summary(ws, List.of(messageId));
    }

    /** Figures over a set of messages, such as all letters of a campaign or of one A/B variant. */
    public Summary summary(WorkspaceId ws, Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return new Summary(new Figures(0, 0, 0, 0), new Figures(0, 0, 0, 0));
        }
        return jdbc.sql(SUMMARY_FROM_EVENTS + " where workspace_id = ? and message_id = any(cast(? as bigint[]))")
                .params(ws.value(), messageIds.toArray(Long[]::new))
                .query((rs, n) -> summaryOf(rs))
                .single();
    }

    /**
     * The summary's select over {@code tracking_event}, for a module that picks the messages with its own where clause
     * (campaigns pick them by a join on their recipient table, where a million ids as a parameter would not scale);
     * read a row with {@link #summaryOf}.
     */
    public static final String SUMMARY_FROM_EVENTS = """
            select count(distinct message_id) filter (where not machine),
                   count(*) filter (where kind = 'open' and not machine),
                   count(distinct message_id) filter (where kind = 'click' and not machine),
                   count(*) filter (where kind = 'click' and not machine),
                   count(distinct message_id),
                   count(*) filter (where kind = 'open'),
                   count(distinct message_id) filter (where kind = 'click'),
                   count(*) filter (where kind = 'click')
            from tracking_event""";

    public static Summary summaryOf(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Summary(new Figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                new Figures(rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
    }

    /** Clicks per URL over a set of messages, most clicked first. */
    public List<LinkClicks> clicksByUrl(WorkspaceId ws, Collection<Long> messageIds, boolean includeMachine) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select url, count(distinct message_id), count(*) from tracking_event
                        where workspace_id = ? and kind = 'click' and message_id = any(cast(? as bigint[]))
                          and (? or not machine)
                        group by url order by 2 desc, 3 desc, url""")
                .params(ws.value(), messageIds.toArray(Long[]::new), includeMachine)
                .query((rs, n) -> new LinkClicks(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                .list();
    }

    /** When the contact last opened or clicked a letter (people only, not machines), or empty when never. */
    public Optional<Instant> lastEngagedAt(WorkspaceId ws, long contactId) {
        return Optional.ofNullable(lastEngagedAt(ws, List.of(contactId)).get(contactId));
    }

    /** As {@link #lastEngagedAt(WorkspaceId, long)} for many contacts; contacts who never engaged are absent. */
    public Map<Long, Instant> lastEngagedAt(WorkspaceId ws, Collection<Long> contactIds) {
        Map<Long, Instant> out = new HashMap<>();
        if (contactIds.isEmpty()) {
            return out;
        }
        jdbc.sql("""
                        select contact_id, max(at) from tracking_event
                        where workspace_id = ? and contact_id = any(cast(? as bigint[])) and not machine
                        group by contact_id""")
                .params(ws.value(), contactIds.toArray(Long[]::new))
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .list().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Hits between two instants, for charts of opens and clicks over time: (hour, kind) counts, humans only unless asked. */
    public List<Bucket> hourly(WorkspaceId ws, Collection<Long> messageIds, Instant from, Instant to, boolean includeMachine) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select date_trunc('hour', at), kind, count(*) from tracking_event
                        where workspace_id = ? and message_id = any(cast(? as bigint[])) and at >= ? and at < ?
                          and (? or not machine)
                        group by 1, 2 order by 1, 2""")
                .params(ws.value(), messageIds.toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to), includeMachine)
                .query((rs, n) -> new Bucket(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3)))
                .list();
    }

    /** Hits of one kind (open or click) in the hour starting at {@code hour}. */
    public record Bucket(Instant hour, String kind, long hits) {
    }
}
