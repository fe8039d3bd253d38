package io.orbita.segments.internal;

import io.orbita.activity.ActivityEvent;
import io.orbita.commerce.Orders;
import io.orbita.platform.WorkspaceId;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps the per-contact aggregates the compiled rules read (purchase summary with RFM scores, purchases per category,
 * events per type with the times of the last ten) equal to the orders and events they summarize. Purchase rows are
 * updated in the transaction that records the order (before it commits), so whoever sees an order also sees its
 * summary. Event rows are updated incrementally right after the events commit, by the listener that then re-evaluates the
 * contacts ({@link Membership}), so event ingestion does not wait for them. Each affected
 * contact's rows are recomputed from the source rows through the per-contact indexes, so the upkeep is idempotent and
 * costs a few index reads per contact. RFM scores are relative to all buyers; {@link #rescore} recomputes them in the
 * periodic refresh (a new buyer has no scores until then).
 */
@Component
public class Aggregates {

    static final String COUNTED = PurchaseConditions.COUNTED;

    /**
     * The contact filters the statements below are formatted with: the given contacts, or all of the workspace
     * ({@code contact_id} is a column of the orders and events only, so it needs no table alias).
     */
    private static final String SOME_CONTACTS = "contact_id = any(cast(? as bigint[]))";
    private static final String ANY_CONTACT = "contact_id is not null";

    /** Purchase summary rows from the counted orders (parameter: workspace, then the filter's). */
    private static final String PURCHASE_SUMMARY = """
            insert into contact_purchase_summary (workspace_id, contact_id, orders, revenue, first_at, last_at)
            select o.workspace_id, o.contact_id, count(*), coalesce(sum(o.total), 0), min(o.placed_at), max(o.placed_at)
            from customer_order o where o.workspace_id = ? and %s and\s""" + COUNTED + """

            group by o.workspace_id, o.contact_id
            on conflict (workspace_id, contact_id) do update set orders = excluded.orders, revenue = excluded.revenue,
                first_at = excluded.first_at, last_at = excluded.last_at""";

    /** Last purchase per contact and category (parameters as above). */
    private static final String CATEGORY_PURCHASES = """
            insert into contact_category_purchase (workspace_id, contact_id, category, last_at)
            select o.workspace_id, o.contact_id, p.category, max(o.placed_at)
            from customer_order o
            join order_line l on l.workspace_id = o.workspace_id and l.order_id = o.id
            join product p on p.workspace_id = l.workspace_id and p.id = l.product_id
            where o.workspace_id = ? and %s and p.category is not null and\s""" + COUNTED + """

            group by o.workspace_id, o.contact_id, p.category""";

    /** Events per contact and type with the times of the last ten (parameters as above). */
    private static final String EVENT_SUMMARY = """
            insert into contact_event_summary (workspace_id, contact_id, type, total, last_at, recent)
            select e.workspace_id, e.contact_id, e.type, count(*), max(e.occurred_at),
                   (array_agg(e.occurred_at order by e.occurred_at desc))[1:10]
            from activity_event e
            where e.workspace_id = ? and %s
            group by e.workspace_id, e.contact_id, e.type""";

    private final JdbcClient jdbc;

    Aggregates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void on(Orders.OrderRecorded order) {
        if (order.contactId() != null) {
            ordersChanged(order.workspace(), List.of(order.contactId()));
        }
    }

    /** Recomputes the purchase rows of these contacts (keeping their RFM scores until the next rescore). */
    public void ordersChanged(WorkspaceId ws, Collection<Long> contactIds) {
        if (contactIds.isEmpty()) {
            return;
        }
        Long[] ids = lock(ws, contactIds);
        jdbc.sql("""
                        delete from contact_purchase_summary s where s.workspace_id = ? and s.contact_id = any(cast(? as bigint[]))
                          and not exists (select 1 from customer_order o where o.workspace_id = s.workspace_id
                                          and o.contact_id = s.contact_id and\s""" + COUNTED + ")")
                .params(ws.value(), ids).update();
        jdbc.sql(PURCHASE_SUMMARY.formatted(SOME_CONTACTS)).params(ws.value(), ids).update();
        jdbc.sql("delete from contact_category_purchase where workspace_id = ? and contact_id = any(cast(? as bigint[]))")
                .params(ws.value(), ids).update();
        jdbc.sql(CATEGORY_PURCHASES.formatted(SOME_CONTACTS)).params(ws.value(), ids).update();
    }

    /**
     * Adds newly recorded events to their contacts' event rows: counts grow, the last time and the last ten times
     * merge. Incremental rather than recomputed from the log, because a recount reads every partition of the event
     * log per contact and cut ingestion from 14.5k to 5.7k events/s. Each event reaches this once (only newly stored
     * events are published; a replayed idempotency key publishes nothing); the one exception, a publication re-run
     * after a crash between this listener's commit and the registry marking it complete, would count a batch twice. Rows are taken in (contact, type) order, so two
     * listeners adding to the same contacts wait for each other instead of deadlocking.
     */
    public void eventsRecorded(WorkspaceId ws, Collection<ActivityEvent> events) {
        List<ActivityEvent> known = events.stream().filter(e -> e.contactId() != null).toList();
        if (known.isEmpty()) {
            return;
        }
        Long[] contacts = known.stream().map(ActivityEvent::contactId).toArray(Long[]::new);
        String[] types = known.stream().map(ActivityEvent::type).toArray(String[]::new);
        java.sql.Timestamp[] times = known.stream().map(e -> java.sql.Timestamp.from(e.occurredAt()))
                .toArray(java.sql.Timestamp[]::new);
        jdbc.sql("""
                        insert into contact_event_summary as s (workspace_id, contact_id, type, total, last_at, recent)
                        select ?, b.contact_id, b.type, count(*), max(b.at), (array_agg(b.at order by b.at desc))[1:10]
                        from unnest(cast(? as bigint[]), cast(? as text[]), cast(? as timestamptz[])) as b(contact_id, type, at)
                        group by b.contact_id, b.type
                        order by b.contact_id, b.type
                        on conflict (workspace_id, contact_id, type) do update
                        set total = s.total + excluded.total,
                            last_at = greatest(s.last_at, excluded.last_at),
                            recent = (select array_agg(t order by t desc)
                                      from (select t from unnest(s.recent || excluded.recent) t order by t desc limit 10) ten)""")
                .params(ws.value(), contacts, types, times).update();
    }

    /**
     * Removes the rows of deleted contacts. The tables have no foreign key to contact (see the migration: the bulk
     * backfill and the event upkeep should not pay a check per row), so nothing else would.
     */
    public void contactsDeleted(WorkspaceId ws, Collection<Long> contactIds) {
        Long[] ids = lock(ws, contactIds);
        for (String table : List.of("contact_purchase_summary", "contact_category_purchase", "contact_event_summary")) {
            jdbc.sql("delete from " + table + " where workspace_id = ? and contact_id = any(cast(? as bigint[]))")
                    .params(ws.value(), ids).update();
        }
    }

    /** The RFM scores of every buyer of the workspace: quintiles of last purchase, number of orders and revenue. */
    public void rescore(WorkspaceId ws) {
        jdbc.sql("""
                        update contact_purchase_summary s set r = x.r, f = x.f, m = x.m
                        from (select contact_id,
                                     ceil(5 * cume_dist() over (order by last_at))::smallint as r,
                                     ceil(5 * cume_dist() over (order by orders))::smallint as f,
                                     ceil(5 * cume_dist() over (order by revenue))::smallint as m
                              from contact_purchase_summary where workspace_id = ?) x
                        where s.workspace_id = ? and s.contact_id = x.contact_id
                          and (s.r, s.f, s.m) is distinct from (x.r, x.f, x.m)""")
                .params(ws.value(), ws.value()).update();
    }

    /**
     * Rebuilds the workspace's aggregates from scratch when orders or events exist that they do not reflect at all (data
     * loaded in bulk without events, e.g. by the demo generator). Cheap to ask when they are there.
     */
    public boolean rebuildIfMissing(WorkspaceId ws) {
        boolean purchases = jdbc.sql("""
                        select exists (select 1 from customer_order o where o.workspace_id = ? and o.contact_id is not null and\s""" + COUNTED + """
                        ) and not exists (select 1 from contact_purchase_summary where workspace_id = ?)""")
                .params(ws.value(), ws.value()).query(Boolean.class).single();
        boolean events = jdbc.sql("""
                        select exists (select 1 from activity_event where workspace_id = ? and contact_id is not null)
                           and not exists (select 1 from contact_event_summary where workspace_id = ?)""")
                .params(ws.value(), ws.value()).query(Boolean.class).single();
        if (purchases) {
            jdbc.sql("delete from contact_category_purchase where workspace_id = ?").params(ws.value()).update();
            jdbc.sql(PURCHASE_SUMMARY.formatted(ANY_CONTACT)).params(ws.value()).update();
            jdbc.sql(CATEGORY_PURCHASES.formatted(ANY_CONTACT)).params(ws.value()).update();
            rescore(ws);
        }
        if (events) {
            jdbc.sql(EVENT_SUMMARY.formatted(ANY_CONTACT)).params(ws.value()).update();
        }
        return purchases || events;
    }

    /** Serializes upkeep of the same contacts (in id order, so two batches never wait for each other in a circle). */
    private Long[] lock(WorkspaceId ws, Collection<Long> contactIds) {
        Long[] ids = new TreeSet<>(contactIds).toArray(Long[]::new);
        jdbc.sql("select pg_advisory_xact_lock(7106, hashtext(? || ':' || x)) from unnest(cast(? as bigint[])) x")
                .params(String.valueOf(ws.value()), ids).query((rs, n) -> 1).list();
        return ids;
    }
}
