package io.orbita.campaigns;

import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.Engagement;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A campaign's figures: live progress while it sends, and the report afterwards. Definitions as in the product brief:
 * open rate = unique opens / delivered, click rate = unique clicks / delivered, CTOR = unique clicks / unique opens.
 *
 * <p>Outbox states are read with a read-only join on delivery's {@code outbox_message} (per message id of this
 * campaign), opens and clicks (with the definitions of tracking's {@code Engagement}) and attributed orders with
 * read-only joins on tracking's {@code tracking_event} and commerce's {@code customer_order}: each is one set-based
 * query where an API call per message, or a million message ids handed to one, would not scale.
 */
@Service
public class CampaignReports {

    /**
     * Where sending stands.
     *
     * @param total contacts in the fixed list (skipped included)
     * @param pending recipients not yet handed to the outbox
     * @param queued in the outbox, not yet sent (queued, sending, deferred)
     * @param sent accepted by a relay
     * @param failed given up, bounced at once, suppressed or cancelled by the outbox
     * @param skipped by reason: unsubscribed, suppressed, opted_out, frequency_cap, invalid, duplicate
     */
    public record Progress(String state, long total, long pending, long queued, long sent, long failed,
                           Map<String, Long> skipped) {

        public long skippedTotal() {
            return skipped.entrySet().stream().filter(e -> !e.getKey().equals("duplicate")).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** The report; rates are fractions (0.25 = 25%), null when their base is zero. */
    public record Report(long recipients, long sent, long delivered, long hardBounces, long softBounces,
                         long uniqueOpens, long totalOpens, Double openRate, long uniqueClicks, long totalClicks,
                         Double clickRate, Double ctor, long unsubscribes, long complaints, long orders,
                         BigDecimal revenue, int attributionDays, boolean includesMachine,
                         List<Engagement.LinkClicks> links, Progress progress) {
    }

    /**
     * One A/B variant's figures with the 95% Wilson interval of its open and click rates, and its attributed revenue
     * with the 95% t-interval of revenue per delivered letter.
     *
     * @param subject the variant's value: its subject, sender name, template id or send time (see {@code kind})
     */
    public record Variant(int variant, String subject, long recipients, long delivered, long uniqueOpens, long uniqueClicks,
                          Double openRate, double[] openRateCi, Double clickRate, double[] clickRateCi, String kind,
                          long orders, BigDecimal revenue, Double revenuePerLetter, double[] revenuePerLetterCi,
                          @com.fasterxml.jackson.annotation.JsonIgnore AbTest.RevenueSample revenueSample) {
    }

    /** One campaign of a side-by-side comparison: the campaign and its report. */
    public record Comparison(Campaign campaign, Report report) {
    }

    public static final int MAX_COMPARED = 5;

    private final JdbcClient jdbc;
    private final Campaigns campaigns;

    CampaignReports(JdbcClient jdbc, Campaigns campaigns, java.time.Clock clock,
                    @org.springframework.beans.factory.annotation.Value("${orbita.campaigns.report-cache-min-recipients:50000}") long cacheFrom) {
        this.jdbc = jdbc;
        this.campaigns = campaigns;
        this.clock = clock;
        this.cacheFrom = cacheFrom;
    }

    // ---- The cache for large campaigns -------------------------------------------------------------------------------
    //
    // A report of a million-recipient campaign reads a million recipient rows, their outbox rows and hundreds of
    // thousands of tracking events: seconds of database work, too slow for a page (the target is 300 ms) and too
    // heavy to repeat for every viewer and every htmx poll. Campaigns with at least `cacheFrom` recipients are served
    // from memory: a figure is kept for max(60 s, 20 × the time it took), and figures read in the last 10 minutes are
    // recomputed in the background before they expire, so a page someone is watching never pays the cost and is at
    // most about a minute behind. Smaller campaigns (every test, most real ones) are always computed afresh.

    private record CacheKey(String what, long ws, long id, boolean machine) {
    }

    private static final class Cached {
        final java.util.function.Supplier<Object> compute;
        volatile Object value;
        volatile long expiresAt;
        volatile long lastRead;
        volatile Instant computedAt;

        Cached(java.util.function.Supplier<Object> compute) {
            this.compute = compute;
        }

        void refresh() {
            long t0 = System.nanoTime();
            Object v = compute.get();
            long took = System.nanoTime() - t0;
            value = v;
            computedAt = Instant.now();
            expiresAt = System.nanoTime() + Math.max(Duration.ofSeconds(60).toNanos(), 20 * took);
        }
    }

    private final long cacheFrom;
    private final java.time.Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<CacheKey, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private <T> T cached(String what, WorkspaceId ws, long id, boolean machine, java.util.function.Supplier<T> compute) {
        Long size = jdbc.sql("select recipient_count from campaign where workspace_id = ? and id = ?").params(ws.value(), id)
                .query(Long.class).optional().orElse(null);
        if (size == null || size < cacheFrom) {
            return compute.get();
        }
        Cached c = cache.computeIfAbsent(new CacheKey(what, ws.value(), id, machine), k -> new Cached((java.util.function.Supplier<Object>) compute));
        c.lastRead = System.nanoTime();
        // A reader never waits for a background refresh: it gets the figures there are. It computes them itself only
        // the first time, or when the background refresh has not kept up for minutes.
        if (c.value == null || System.nanoTime() - c.expiresAt > Duration.ofMinutes(5).toNanos()) {
            synchronized (c) {
                if (c.value == null || System.nanoTime() - c.expiresAt > Duration.ofMinutes(5).toNanos()) {
                    c.refresh();
                }
            }
        }
        return (T) c.value;
    }

    /** When the figures shown for a large campaign were computed; null when they are live (a smaller campaign). */
    public Instant figuresAsOf(WorkspaceId ws, long id, boolean machine) {
        Cached c = cache.get(new CacheKey("report", ws.value(), id, machine));
        return c == null ? null : c.computedAt;
    }

    /**
     * After a start the cache is empty and the first viewer of a large campaign would wait seconds (4 s measured for a
     * million recipients with a cold database cache). So the figures of the large campaigns that people are likely to
     * open (sending or paused, or finished within the last week; the 20 newest) are computed once in the background,
     * as the page would ask for them; they are then forgotten after 10 minutes like any figure no one reads.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void warmUpAfterStart() {
        Thread.ofVirtual().name("campaign-report-warm-up").start(() -> {
            try {
                List<Map<String, Object>> recent = jdbc.sql("""
                                select workspace_id, id from campaign
                                where recipient_count >= ? and (state in ('sending', 'paused') or finished_at > now() - interval '7 days')
                                order by coalesce(finished_at, now()) desc limit 20""")
                        .params(cacheFrom).query().listOfRows();
                for (Map<String, Object> row : recent) {
                    WorkspaceId ws = new WorkspaceId(((Number) row.get("workspace_id")).longValue());
                    long id = ((Number) row.get("id")).longValue();
                    cachedProgress(ws, id);
                    cachedReport(ws, id, false);
                    cachedVariants(ws, id, false);
                    cachedHourly(ws, id, clock, false);
                }
            } catch (RuntimeException e) {
                // Shutting down, or the database is busy: the first viewer computes the figures as before.
                org.slf4j.LoggerFactory.getLogger(CampaignReports.class).info("campaign report warm-up skipped: {}", e.getMessage());
            }
        });
    }

    /** Keeps watched large campaigns' figures fresh in the background; forgets those no one looked at for 10 minutes. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${orbita.campaigns.report-cache-refresh:15s}")
    void refreshWatched() {
        long now = System.nanoTime();
        cache.entrySet().removeIf(e -> now - e.getValue().lastRead > Duration.ofMinutes(10).toNanos());
        for (Cached c : cache.values()) {
            if (c.expiresAt - System.nanoTime() < Duration.ofSeconds(20).toNanos()) {
                synchronized (c) {
                    try {
                        c.refresh();
                    } catch (RuntimeException e) {
                        // deleted meanwhile, or the database is busy: the next read computes it
                    }
                }
            }
        }
    }

    /** As {@link #progress}, from the cache for a large campaign. */
    public Progress cachedProgress(WorkspaceId ws, long id) {
        return cached("progress", ws, id, false, () -> progress(ws, id));
    }

    /** As {@link #report}, from the cache for a large campaign. */
    public Report cachedReport(WorkspaceId ws, long id, boolean includeMachine) {
        return cached("report", ws, id, includeMachine, () -> report(ws, id, includeMachine));
    }

    /** As {@link #hourly} up to now, from the cache for a large campaign. */
    public List<Engagement.Bucket> cachedHourly(WorkspaceId ws, long id, java.time.Clock clock, boolean includeMachine) {
        return cached("hourly", ws, id, includeMachine, () -> hourly(ws, id, clock.instant(), includeMachine));
    }

    /** As {@link #variants}, from the cache for a large campaign. */
    public List<Variant> cachedVariants(WorkspaceId ws, long id, boolean includeMachine) {
        return cached("variants", ws, id, includeMachine, () -> variants(ws, id, includeMachine));
    }

    public Progress progress(WorkspaceId ws, long id) {
        return progress(ws, id, outcomes(ws, id));
    }

    private Progress progress(WorkspaceId ws, long id, long[] f) {
        Campaign c = campaigns.get(ws, id);
        Map<String, Long> skipped = new LinkedHashMap<>();
        for (String r : List.of("unsubscribed", "suppressed", "opted_out", "frequency_cap", "invalid")) {
            skipped.put(r, 0L);
        }
        jdbc.sql("""
                        select skip_reason, count(*) from campaign_recipient
                        where workspace_id = ? and campaign_id = ? and skip_reason is not null group by 1""")
                .params(ws.value(), id).query((rs, n) -> skipped.put(rs.getString(1), rs.getLong(2))).list();
        skipped.put("duplicate", jdbc.sql("select duplicates from campaign where workspace_id = ? and id = ?")
                .params(ws.value(), id).query(Long.class).single());
        return new Progress(c.state(), f[0], f[1], f[2], f[3], f[4], skipped);
    }

    /**
     * The recipients' outcomes in one pass over the recipients and their outbox rows (a million of each in a large
     * campaign): progress (total, pending, queued, sent, failed) and the report's (queued letters, delivered, bounced,
     * failed, complained, unsubscribed).
     */
    private long[] outcomes(WorkspaceId ws, long id) {
        return jdbc.sql("""
                        select count(*),
                               count(*) filter (where r.skip_reason is null and r.message_id is null),
                               count(*) filter (where m.state in ('queued', 'sending', 'deferred')),
                               count(*) filter (where m.sent_at is not null),
                               count(*) filter (where m.state in ('failed', 'bounced', 'suppressed', 'cancelled') and m.sent_at is null),
                               count(*) filter (where r.skip_reason is null and r.message_id is not null),
                               count(*) filter (where r.skip_reason is null and m.state in ('sent', 'complained')),
                               count(*) filter (where r.skip_reason is null and m.state = 'bounced'),
                               count(*) filter (where r.skip_reason is null and m.state = 'failed'),
                               count(*) filter (where r.skip_reason is null and m.state = 'complained'),
                               count(*) filter (where r.skip_reason is null and r.unsubscribed_at is not null)
                        from campaign_recipient r
                        left join outbox_message m on m.workspace_id = r.workspace_id and m.id = r.message_id
                        where r.workspace_id = ? and r.campaign_id = ?""")
                .params(ws.value(), id)
                .query((rs, n) -> {
                    long[] v = new long[11];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = rs.getLong(i + 1);
                    }
                    return v;
                })
                .single();
    }

    /** @param includeMachine count opens and clicks of privacy proxies and link scanners too */
    public Report report(WorkspaceId ws, long id, boolean includeMachine) {
        long[] o = outcomes(ws, id);
        Progress p = progress(ws, id, o);
        long[] states = java.util.Arrays.copyOfRange(o, 5, 11);
        Engagement.Summary summary = summary(ws, id, null);
        Engagement.Figures f = includeMachine ? summary.all() : summary.human();
        long delivered = states[1];
        int days = campaigns.settings(ws).attributionDays();
        Object[] revenue = attributed(ws, id, days);
        return new Report(states[0], p.sent(), delivered, states[2], states[3], f.uniqueOpens(), f.totalOpens(),
                rate(f.uniqueOpens(), delivered), f.uniqueClicks(), f.totalClicks(), rate(f.uniqueClicks(), delivered),
                rate(f.uniqueClicks(), f.uniqueOpens()), states[5], states[4], (Long) revenue[0], (BigDecimal) revenue[1],
                days, includeMachine, clicksByUrl(ws, id, includeMachine), p);
    }

    /**
     * Campaigns side by side, in the order given: each campaign's report (humans only unless {@code includeMachine}).
     *
     * @throws io.orbita.platform.NotFoundException when an id is not a campaign of this workspace
     * @throws io.orbita.platform.ValidationException for no ids or more than {@link #MAX_COMPARED}
     */
    public List<Comparison> compare(WorkspaceId ws, List<Long> ids, boolean includeMachine) {
        List<Long> distinct = ids == null ? List.of() : ids.stream().distinct().toList();
        if (distinct.isEmpty() || distinct.size() > MAX_COMPARED) {
            throw new io.orbita.platform.ValidationException(io.orbita.platform.FieldProblem.of("ids", "campaign.compare",
                    "ids must name 1 to " + MAX_COMPARED + " campaigns"));
        }
        List<Campaign> found = distinct.stream().map(id -> campaigns.get(ws, id)).toList();
        return found.stream().map(c -> new Comparison(c, cachedReport(ws, c.id(), includeMachine))).toList();
    }

    /** Opens and clicks per hour from the start of sending, for the chart (at most 14 days). */
    public List<Engagement.Bucket> hourly(WorkspaceId ws, long id, Instant now, boolean includeMachine) {
        Campaign c = campaigns.get(ws, id);
        if (c.startedAt() == null) {
            return List.of();
        }
        Instant from = c.startedAt().truncatedTo(ChronoUnit.HOURS);
        Instant to = now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        if (to.isAfter(from.plus(Duration.ofDays(14)))) {
            to = from.plus(Duration.ofDays(14));
        }
        return hourly(ws, id, from, to, includeMachine);
    }

    /** The A/B variants' figures (empty without an A/B test); letters of the winner sent after the test count too. */
    public List<Variant> variants(WorkspaceId ws, long id, boolean includeMachine) {
        Campaign c = campaigns.get(ws, id);
        if (c.abTest() == null) {
            return List.of();
        }
        List<Variant> out = new java.util.ArrayList<>();
        Map<Integer, Object[]> revenue = revenueByVariant(ws, id, campaigns.settings(ws).attributionDays());
        for (int v = 1; v <= c.abTest().subjects().size(); v++) {
            long[] counts = jdbc.sql("""
                            select count(*), count(*) filter (where m.state in ('sent', 'complained'))
                            from campaign_recipient r
                            left join outbox_message m on m.workspace_id = r.workspace_id and m.id = r.message_id
                            where r.workspace_id = ? and r.campaign_id = ? and r.variant = ? and r.skip_reason is null""")
                    .params(ws.value(), id, v).query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
            Engagement.Summary s = summary(ws, id, v);
            Engagement.Figures f = includeMachine ? s.all() : s.human();
            AbTest.Sample opens = new AbTest.Sample(v, counts[1], f.uniqueOpens());
            AbTest.Sample clicks = new AbTest.Sample(v, counts[1], f.uniqueClicks());
            Object[] r = revenue.getOrDefault(v, new Object[] {0L, BigDecimal.ZERO, 0.0});
            BigDecimal sum = (BigDecimal) r[1];
            AbTest.RevenueSample money = new AbTest.RevenueSample(v, counts[1], sum.doubleValue(), (Double) r[2]);
            out.add(new Variant(v, c.abTest().subjects().get(v - 1), counts[0], counts[1], f.uniqueOpens(), f.uniqueClicks(),
                    rate(f.uniqueOpens(), counts[1]), opens.interval(), rate(f.uniqueClicks(), counts[1]), clicks.interval(),
                    c.abTest().kind(), (Long) r[0], sum, counts[1] == 0 ? null : money.mean(),
                    counts[1] == 0 ? null : money.interval(), money));
        }
        return out;
    }

    // Opens and clicks of a campaign's letters, with the definitions of tracking's Engagement (a message counts as
    // opened when it has any open or click; "human" leaves out machine hits), read with a semi-join on the campaign's
    // recipients: handing a million message ids to Engagement as an array cost seconds per query on a
    // million-recipient campaign (the array alone is ~10 MB of parameter).

    private static final String LETTERS = """
            message_id in (select message_id from campaign_recipient
                           where workspace_id = :ws and campaign_id = :id and message_id is not null
                             and (cast(:variant as int) is null or variant = cast(:variant as int)))""";

    private Engagement.Summary summary(WorkspaceId ws, long id, Integer variant) {
        return jdbc.sql(Engagement.SUMMARY_FROM_EVENTS + " where workspace_id = :ws and " + LETTERS)
                .param("ws", ws.value()).param("id", id).param("variant", variant)
                .query((rs, n) -> Engagement.summaryOf(rs))
                .single();
    }

    private List<Engagement.LinkClicks> clicksByUrl(WorkspaceId ws, long id, boolean includeMachine) {
        return jdbc.sql("""
                        select url, count(distinct message_id), count(*) from tracking_event
                        where workspace_id = :ws and kind = 'click' and (:machine or not machine)""" + " and " + LETTERS + """

                        group by url order by 2 desc, 3 desc, url""")
                .param("ws", ws.value()).param("id", id).param("variant", null).param("machine", includeMachine)
                .query((rs, n) -> new Engagement.LinkClicks(rs.getString(1), rs.getLong(2), rs.getLong(3))).list();
    }

    private List<Engagement.Bucket> hourly(WorkspaceId ws, long id, Instant from, Instant to, boolean includeMachine) {
        return jdbc.sql("""
                        select date_trunc('hour', at), kind, count(*) from tracking_event
                        where workspace_id = :ws and at >= :from and at < :to and (:machine or not machine)""" + " and " + LETTERS + """

                        group by 1, 2 order by 1, 2""")
                .param("ws", ws.value()).param("id", id).param("variant", null).param("machine", includeMachine)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Engagement.Bucket(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3))).list();
    }

    /**
     * Orders (not cancelled or refunded) placed by a recipient within {@code days} after a human click, where the
     * contact's last human click before the order (last touch, any letter) was on this campaign's letter. Only orders
     * after the campaign started, of contacts who clicked one of its letters, can qualify: reading just those keeps it
     * fast when the recipients have millions of older orders.
     */
    private Object[] attributed(WorkspaceId ws, long id, int days) {
        return jdbc.sql("select count(*), coalesce(sum(total), 0) from (" + ATTRIBUTED_ORDERS + ") a")
                .params(days, id, ws.value(), ws.value(), id, ws.value(), ws.value(), id)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getBigDecimal(2)}).single();
    }

    /**
     * Per A/B variant: attributed orders, revenue, and the sum of squares of revenue per letter (for the variance),
     * with the attribution of {@link #attributed}.
     */
    private Map<Integer, Object[]> revenueByVariant(WorkspaceId ws, long id, int days) {
        Map<Integer, Object[]> out = new java.util.HashMap<>();
        jdbc.sql("""
                        with per_letter as (
                            select variant, message_id, count(*) as orders, sum(total) as revenue
                            from (""" + ATTRIBUTED_ORDERS + """
                            ) a group by variant, message_id)
                        select variant, sum(orders), sum(revenue), sum(revenue * revenue)::float8 from per_letter
                        where variant is not null group by variant""")
                .params(days, id, ws.value(), ws.value(), id, ws.value(), ws.value(), id)
                .query((rs, n) -> out.put(rs.getInt(1), new Object[] {rs.getLong(2), rs.getBigDecimal(3), rs.getDouble(4)}))
                .list();
        return out;
    }

    /**
     * The attributed orders with the variant and letter they are credited to (see {@link #attributed}). Parameters:
     * window days, campaign, workspace, workspace, campaign, workspace, workspace, campaign.
     */
    private static final String ATTRIBUTED_ORDERS = """
            select r.variant, r.message_id, o.total
            from customer_order o
            join lateral (select e.message_id from tracking_event e
                          where e.workspace_id = o.workspace_id and e.contact_id = o.contact_id
                            and e.kind = 'click' and not e.machine
                            and e.at <= o.placed_at and e.at > o.placed_at - make_interval(days => ?)
                          order by e.at desc limit 1) last on true
            join campaign_recipient r on r.workspace_id = o.workspace_id and r.campaign_id = ?
                                     and r.message_id = last.message_id
            where o.workspace_id = ? and o.status not in ('cancelled', 'refunded')
              and o.placed_at >= (select started_at from campaign where workspace_id = ? and id = ?)
              and o.contact_id in (select e.contact_id from tracking_event e
                                   where e.workspace_id = ? and e.kind = 'click' and not e.machine
                                     and e.contact_id is not null and e.message_id in (
                                         select message_id from campaign_recipient
                                         where workspace_id = ? and campaign_id = ? and message_id is not null))
            """;

    private static Double rate(long part, long base) {
        return base == 0 ? null : (double) part / base;
    }

    /** The report as CSV (one metric per line), for spreadsheets. */
    public String csv(WorkspaceId ws, long id, boolean includeMachine) {
        Campaign c = campaigns.get(ws, id);
        Report r = report(ws, id, includeMachine);
        StringBuilder out = new StringBuilder("metric,value\r\n");
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("campaign", c.name());
        rows.put("recipients", r.recipients());
        rows.put("sent", r.sent());
        rows.put("delivered", r.delivered());
        rows.put("hard_bounces", r.hardBounces());
        rows.put("soft_bounces", r.softBounces());
        rows.put("unique_opens", r.uniqueOpens());
        rows.put("total_opens", r.totalOpens());
        rows.put("open_rate", r.openRate());
        rows.put("unique_clicks", r.uniqueClicks());
        rows.put("total_clicks", r.totalClicks());
        rows.put("click_rate", r.clickRate());
        rows.put("ctor", r.ctor());
        rows.put("unsubscribes", r.unsubscribes());
        rows.put("complaints", r.complaints());
        rows.put("orders", r.orders());
        rows.put("revenue", r.revenue());
        r.progress().skipped().forEach((k, v) -> rows.put("skipped_" + k, v));
        for (Engagement.LinkClicks l : r.links()) {
            rows.put("clicks " + l.url(), l.uniqueClicks());
        }
        rows.forEach((k, v) -> out.append(cell(k)).append(',').append(cell(v == null ? "" : String.valueOf(v))).append("\r\n"));
        return out.toString();
    }

    /** Quotes a CSV cell, and defuses cells a spreadsheet would run as a formula. */
    static String cell(String v) {
        String s = v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?\\d+(\\.\\d+)?(E-?\\d+)?")) {
            s = "'" + s;
        }
        return s.matches("[\\w .:/%-]*") && !s.contains(",") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
