package io.orbita.segments.internal;

import io.orbita.activity.ActivityEvent;
import io.orbita.activity.EventsAttached;
import io.orbita.activity.EventsRecorded;
import io.orbita.audience.ContactsChanged;
import io.orbita.audience.ContactsDeleted;
import io.orbita.commerce.Orders;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionDataChanged;
import io.orbita.segments.ConditionKind;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Segment;
import io.orbita.segments.SegmentMembershipChanged;
import io.orbita.segments.Sql;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code segment_member} equal to what each rule says. A full refresh compares the whole segment in one
 * statement (periodically, for time-based conditions, and when a rule changes); when a contact's data or consent, orders,
 * events, opens and clicks, replies, bounces or suppression change, only that contact is re-evaluated, and only in the
 * segments whose conditions read what changed (module events, see {@link ConditionKind.Source}). Each entry and exit
 * is written to {@code segment_membership_change} and published as {@link SegmentMembershipChanged}, except on a
 * segment's very first fill, which is its baseline rather than news. Refreshes of one segment are serialized by an
 * advisory lock, so nodes and listeners never race.
 */
@Service
public class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);
    private static final int EVENT_CHUNK = 1000;
    /** A refresh that moved this many members changes segment_member enough to re-read its statistics. */
    private static final int ANALYZE_AFTER = 50_000;
    /** "Is one of the contacts re-evaluated": the ids bound once in the statement's "among" part. */
    private static final String AMONG = " = any(cast((select a.ids from among a) as bigint[]))";

    /** What one refresh changed. */
    public record Result(long segmentId, int entered, int left, long size) {
    }

    private final JdbcClient jdbc;
    private final SegmentStore segments;
    private final RuleCompiler compiler;
    private final BuiltInSegments builtIns;
    private final Aggregates aggregates;
    private final io.orbita.commerce.Carts carts;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final java.time.Duration refreshEvery;

    Membership(JdbcClient jdbc, SegmentStore segments, RuleCompiler compiler, BuiltInSegments builtIns, Aggregates aggregates,
               io.orbita.commerce.Carts carts, ApplicationEventPublisher events, TransactionTemplate tx, Clock clock,
               @org.springframework.beans.factory.annotation.Value("${orbita.segments.refresh-every:PT15M}") java.time.Duration refreshEvery) {
        this.refreshEvery = refreshEvery;
        this.jdbc = jdbc;
        this.segments = segments;
        this.compiler = compiler;
        this.builtIns = builtIns;
        this.aggregates = aggregates;
        this.carts = carts;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** The query selecting the ids of the contacts matching the predicate (optionally only among the given ones). */
    public static Sql select(RuleContext ctx, Predicate p, Collection<Long> among) {
        Sql sql = new Sql();
        sql.append("select c.id from contact c where c.workspace_id = ").bind(ctx.workspace().value());
        if (among != null) {
            sql.append(" and c.id = any(cast(").bind(among.toArray(Long[]::new)).append(" as bigint[]))");
        }
        return matching(sql, p);
    }

    private static Sql matching(Sql sql, Predicate p) {
        sql.append(" and (");
        p.appendTo(sql);
        sql.append(")");
        return sql;
    }

    /** Re-evaluates every member of a rule segment. */
    public Result refresh(WorkspaceId ws, long segmentId) {
        return tx.execute(status -> {
            lock(segmentId);
            Segment s = segments.find(ws, segmentId).orElse(null);
            if (s == null || s.isList()) {
                return new Result(segmentId, 0, 0, s == null ? 0 : s.size());
            }
            RuleContext ctx = compiler.context(ws);
            Predicate p = compiler.compile(ctx, s.id(), s.rule(), "rule");
            Result r = apply(ctx, s, p, null, s.refreshedAt() != null);
            long size = jdbc.sql("select count(*) from segment_member where workspace_id = ? and segment_id = ?")
                    .params(ws.value(), segmentId).query(Long.class).single();
            jdbc.sql("update segment set size = ?, refreshed_at = ? where workspace_id = ? and id = ?")
                    .params(size, Timestamp.from(ctx.now()), ws.value(), segmentId).update();
            snapshot(ws, segmentId, ctx, size);
            return new Result(segmentId, r.entered(), r.left(), size);
        });
    }

    /**
     * Re-evaluates the given contacts in every rule segment of the workspace whose conditions react to the change
     * (see {@link ConditionKind#reactsTo()}; null: a list's members changed).
     */
    public List<Result> reevaluate(WorkspaceId ws, Collection<Long> contactIds, ConditionKind.Source changed) {
        if (contactIds.isEmpty()) {
            return List.of();
        }
        Long[] ids = new LinkedHashSet<>(contactIds).toArray(Long[]::new);
        // Read lazily: most batches of events touch no segment at all and should cost no more than the segment list.
        RuleContext ctx = null;
        List<Result> out = new ArrayList<>();
        for (Segment s : segments.rules(ws)) {
            // Segments not filled yet are evaluated too: a contact committed after the first fill's snapshot would
            // otherwise be missed until the periodic refresh.
            if (!compiler.reactsTo(ws, s.rule(), changed)) {
                continue;
            }
            if (ctx == null) {
                ctx = compiler.context(ws).forFewContacts();
            }
            RuleContext context = ctx;
            Predicate p;
            try {
                p = compiler.compile(ctx, s.id(), s.rule(), "rule");
            } catch (ValidationException e) {
                log.warn("segment {} of workspace {} has an invalid rule, skipped: {}", s.id(), ws, e.getMessage());
                continue;
            }
            long started = System.nanoTime();
            Result r = tx.execute(status -> {
                lock(s.id());
                Result applied = apply(context, s, p, ids, true);
                if (applied.entered() != 0 || applied.left() != 0) {
                    jdbc.sql("update segment set size = size + ? where workspace_id = ? and id = ?")
                            .params(applied.entered() - applied.left(), ws.value(), s.id()).update();
                }
                return applied;
            });
            if (log.isDebugEnabled()) {
                // The benchmark reads these lines (bench/segments_bench.py): the cost of one re-evaluation, commit included.
                log.debug("SEGMENT-REEVALUATED contacts={} segment={} ms={}", ids.length, s.id(),
                        String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - started) / 1e6));
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Brings the segment's members in line with its rule: all of them, or only the contacts {@code among} (ids in any
     * order; bound once and referred to by every part of the statement, because decoding a bound array of thousands of
     * ids costs the database more than using it).
     */
    private Result apply(RuleContext ctx, Segment s, Predicate p, Long[] among, boolean record) {
        WorkspaceId ws = ctx.workspace();
        Timestamp now = Timestamp.from(ctx.now());
        if (among == null) {
            // A full refresh compares two whole sets. A nested loop over segment_member is the trap here: right after a
            // segment is created its statistics say "empty", and a loop that rescans the table per target row also
            // rescans every row this statement has inserted so far (invisible to it, but read), which made the first
            // fill of a 960,000-contact segment run for more than ten minutes. Hash joins do it in seconds.
            jdbc.sql("set local enable_nestloop = off").update();
        }
        Sql sql = new Sql().append("with ");
        Sql target = new Sql().append("select c.id from contact c where c.workspace_id = ").bind(ws.value());
        if (among != null) {
            sql.append("among as materialized (select cast(").bind(among).append(" as bigint[]) as ids), ");
            target.append(" and c.id").append(AMONG);
        }
        // The difference in one pass: a full join can only be hashed or merged, never looped, whatever the statistics.
        sql.append("target as materialized (").append(matching(target, p)).append("), current_members as materialized ("
                + "select m.contact_id from segment_member m where m.workspace_id = ").bind(ws.value())
                .append(" and m.segment_id = ").bind(s.id());
        if (among != null) {
            sql.append(" and m.contact_id").append(AMONG);
        }
        sql.append("), diff as materialized (select coalesce(t.id, m.contact_id) as id, t.id is not null as entered"
                + " from target t full join current_members m on m.contact_id = t.id where t.id is null or m.contact_id is null),"
                + " gone as (delete from segment_member m where m.workspace_id = ").bind(ws.value())
                .append(" and m.segment_id = ").bind(s.id());
        if (among != null) {
            // Bounded by the contacts' keys too, so the delete looks them up instead of hashing the segment's members.
            sql.append(" and m.contact_id").append(AMONG);
        }
        sql.append(" and m.contact_id in (select d.id from diff d where not d.entered) returning m.contact_id),"
                + " came as (insert into segment_member (workspace_id, segment_id, contact_id, since) select ").bind(ws.value())
                .append(", ").bind(s.id()).append(", d.id, ").bind(now).append(" from diff d where d.entered returning contact_id)");
        if (record) {
            sql.append(", logged as (insert into segment_membership_change (workspace_id, segment_id, contact_id, entered, at)"
                    + " select ").bind(ws.value()).append("::bigint, ").bind(s.id()).append("::bigint, contact_id, true, cast(").bind(now)
                    .append(" as timestamptz) from came union all select ").bind(ws.value()).append("::bigint, ").bind(s.id())
                    .append("::bigint, contact_id, false, cast(").bind(now).append(" as timestamptz) from gone)")
                    .append(" select true, contact_id from came union all select false, contact_id from gone");
        } else {
            // The first fill is the baseline, not news: nothing to log or return (the CTEs run to completion anyway).
            sql.append(" select true, null::bigint from came limit 0");
        }
        List<Long> entered = new ArrayList<>();
        List<Long> left = new ArrayList<>();
        jdbc.sql(sql.text()).params(sql.params()).query((rs, n) -> {
            (rs.getBoolean(1) ? entered : left).add(rs.getLong(2));
            return null;
        }).list();
        if (record) {
            publish(ws, s.id(), entered, left, ctx.now());
        }
        if (entered.size() + left.size() >= ANALYZE_AFTER) {
            // Fresh statistics for the next plans that read the members (counts, listings, membership conditions).
            jdbc.sql("analyze segment_member").update();
        }
        return new Result(s.id(), entered.size(), left.size(), -1);
    }

    /** Publishes changes of a segment or list in chunks, so one huge refresh never makes one huge event. */
    public void publish(WorkspaceId ws, long segmentId, List<Long> entered, List<Long> left, Instant at) {
        for (int i = 0; i < Math.max(entered.size(), left.size()); i += EVENT_CHUNK) {
            events.publishEvent(new SegmentMembershipChanged(ws, segmentId,
                    List.copyOf(entered.subList(Math.min(i, entered.size()), Math.min(i + EVENT_CHUNK, entered.size()))),
                    List.copyOf(left.subList(Math.min(i, left.size()), Math.min(i + EVENT_CHUNK, left.size()))), at));
        }
    }

    private void lock(long segmentId) {
        jdbc.sql("select pg_advisory_xact_lock(7105, cast(? % 2147483647 as int))").params(segmentId).query((rs, n) -> 1).list();
    }

    private void snapshot(WorkspaceId ws, long segmentId, RuleContext ctx, long size) {
        jdbc.sql("""
                        insert into segment_size (workspace_id, segment_id, day, size) values (?, ?, ?, ?)
                        on conflict (workspace_id, segment_id, day) do update set size = excluded.size""")
                .params(ws.value(), segmentId, ctx.today(), size).update();
    }

    /** Records today's size of a list (lists have no rule to refresh). */
    public void snapshotList(WorkspaceId ws, long segmentId) {
        RuleContext ctx = compiler.context(ws);
        long size = jdbc.sql("select count(*) from segment_member where workspace_id = ? and segment_id = ?")
                .params(ws.value(), segmentId).query(Long.class).single();
        jdbc.sql("update segment set size = ?, refreshed_at = ? where workspace_id = ? and id = ?")
                .params(size, Timestamp.from(ctx.now()), ws.value(), segmentId).update();
        snapshot(ws, segmentId, ctx, size);
    }

    /**
     * Full refresh of every segment of every workspace, which also creates missing built-in segments. Segments another
     * node refreshed within the last half interval are skipped, so several nodes share the work instead of repeating it.
     */
    @Scheduled(fixedDelayString = "${orbita.segments.refresh-every:PT15M}", initialDelayString = "${orbita.segments.first-refresh-after:PT2M}")
    void refreshAll() {
        Timestamp fresh = Timestamp.from(clock.instant().minus(refreshEvery.dividedBy(2)));
        for (Long id : jdbc.sql("select id from workspace order by id").query(Long.class).list()) {
            refreshWorkspace(WorkspaceId.of(id), fresh);
        }
    }

    /** Full refresh of the segments of one workspace not refreshed since {@code notSince} (lists: their daily size). */
    public void refreshWorkspace(WorkspaceId ws, Timestamp notSince) {
        builtIns.ensure(ws);
        try {
            // Data loaded in bulk without events (the demo generator) gets its aggregates here; RFM scores move with
            // every buyer, so they are recomputed before the segments that read them.
            tx.executeWithoutResult(status -> {
                aggregates.rebuildIfMissing(ws);
                aggregates.rescore(ws);
            });
        } catch (RuntimeException e) {
            log.warn("aggregates of workspace {} not updated: {}", ws, e.getMessage());
        }
        for (Long segmentId : jdbc.sql("select id from segment where workspace_id = ? and (refreshed_at is null or refreshed_at < ?) order by id")
                .params(ws.value(), notSince).query(Long.class).list()) {
            try {
                Segment s = segments.find(ws, segmentId).orElse(null);
                if (s != null && s.isList()) {
                    snapshotList(ws, segmentId);
                } else {
                    refresh(ws, segmentId);
                }
            } catch (RuntimeException e) {
                log.warn("refresh of segment {} of workspace {} failed: {}", segmentId, ws, e.getMessage());
            }
        }
    }

    /**
     * Fills the workspace's segments that were never filled (built-in segments created while listing), one after
     * another on a background thread: several heavy first fills at once would compete for the same database CPUs, and
     * none of them may hold up the request that created the segments.
     */
    public void fillLater(WorkspaceId ws) {
        if (!filling.add(ws.value())) {
            return;
        }
        background.execute(() -> {
            try {
                for (Segment s : segments.rules(ws)) {
                    if (s.refreshedAt() == null) {
                        try {
                            refresh(ws, s.id());
                        } catch (RuntimeException e) {
                            log.warn("first fill of segment {} of workspace {} failed: {}", s.id(), ws, e.getMessage());
                        }
                    }
                }
            } finally {
                filling.remove(ws.value());
            }
        });
    }

    private final Set<Long> filling = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("segments-fill").factory());

    @jakarta.annotation.PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** A new workspace gets its built-in segments at once, counted (empty workspaces count in no time). */
    @ApplicationModuleListener
    void on(io.orbita.workspace.WorkspaceCreated created) {
        // The segments must be visible (committed) before they are filled: a contact committed in between is then
        // either seen by the fill or re-evaluated by its own listener, never missed by both.
        TransactionTemplate own = new TransactionTemplate(tx.getTransactionManager());
        own.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        own.executeWithoutResult(status -> builtIns.ensure(created.workspace()));
        for (Segment s : segments.rules(created.workspace())) {
            if (s.refreshedAt() == null) {
                own.executeWithoutResult(status -> refresh(created.workspace(), s.id()));
            }
        }
    }

    /**
     * The one durable listener of event batches: each batch costs one publication in the event registry (stored,
     * started, completed) rather than one per interested module, which was a tenth of the ingestion's CPU. The carts go
     * first and in the same transaction, so cart conditions re-evaluated just after see the cart this batch left; a
     * failure rolls all of it back and the registry retries the whole batch (the aggregates count each batch once).
     */
    @ApplicationModuleListener
    void on(EventsRecorded recorded) {
        followEvents(recorded.workspace(), recorded.events());
    }

    /** An identify gave a contact a visitor's earlier events: they count as the contact's from now on, cart included. */
    @ApplicationModuleListener
    void on(EventsAttached attached) {
        followEvents(attached.workspace(), attached.events());
    }

    private void followEvents(WorkspaceId ws, List<ActivityEvent> batch) {
        carts.follow(ws, batch);
        Set<Long> ids = new LinkedHashSet<>();
        for (ActivityEvent e : batch) {
            if (e.contactId() != null) {
                ids.add(e.contactId());
            }
        }
        // First the event aggregates the rules read (see Aggregates for why not in the recording transaction).
        aggregates.eventsRecorded(ws, batch);
        reevaluate(ws, ids, ConditionKind.Source.EVENTS);
    }

    @ApplicationModuleListener
    void on(Orders.OrderRecorded order) {
        if (order.contactId() != null) {
            reevaluate(order.workspace(), List.of(order.contactId()), ConditionKind.Source.ORDERS);
        }
    }

    @ApplicationModuleListener
    void on(ContactsChanged changed) {
        reevaluate(changed.workspace(), changed.contactIds(), ConditionKind.Source.CONTACT);
    }

    /** Opens and clicks (tracking), replies, bounces and suppressions (delivery): see {@link ConditionDataChanged}. */
    @ApplicationModuleListener
    void on(ConditionDataChanged changed) {
        reevaluate(changed.workspace(), changed.contactIds(), changed.source());
    }

    /**
     * In the deleting transaction, before the contact rows go: the members' rows would go by the contact's delete
     * trigger, but then no segment's size would know; the aggregates and the entered/left history have no key to go by.
     * No "left" records: the contact did not leave a segment, it is gone (journeys have nobody to act on).
     */
    @EventListener
    void on(ContactsDeleted deleted) {
        WorkspaceId ws = deleted.workspace();
        Long[] ids = deleted.contactIds().toArray(Long[]::new);
        jdbc.sql("""
                        with gone as (delete from segment_member m using segment sg
                                      where sg.workspace_id = ? and m.workspace_id = sg.workspace_id and m.segment_id = sg.id
                                        and m.contact_id = any(cast(? as bigint[]))
                                      returning m.segment_id)
                        update segment s set size = s.size - g.n
                        from (select segment_id, count(*) as n from gone group by segment_id) g
                        where s.workspace_id = ? and s.id = g.segment_id""")
                .params(ws.value(), ids, ws.value()).update();
        jdbc.sql("delete from segment_membership_change where workspace_id = ? and contact_id = any(cast(? as bigint[]))")
                .params(ws.value(), ids).update();
        aggregates.contactsDeleted(ws, deleted.contactIds());
    }
}
