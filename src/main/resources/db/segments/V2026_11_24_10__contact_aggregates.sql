-- Per-contact aggregates the rule compiler reads instead of scanning orders and events on every count. They are kept
-- by the segments module (io.orbita.segments.internal.Aggregates) from the OrderRecorded and EventsRecorded events:
-- each affected contact's rows are recomputed from the source tables (idempotent, so a redelivered event is harmless),
-- and the RFM scores, which are relative to all buyers, are recomputed by the periodic refresh. Backfilled here.
-- No foreign keys to contact: a deleted contact's rows are never reached (every condition starts from contact c) and
-- the backfill of millions of rows should not pay a check per row; Aggregates removes them with the contact.

-- Purchases per contact (orders that count: not cancelled, not refunded) and the RFM scores 1..5 in quintiles.
create table contact_purchase_summary (
    workspace_id  bigint      not null,
    contact_id    bigint      not null,
    orders        int         not null,
    revenue       numeric     not null,
    first_at      timestamptz not null,
    last_at       timestamptz not null,
    r             smallint,
    f             smallint,
    m             smallint,
    primary key (workspace_id, contact_id)
);

-- Purchases per contact and product category: "bought from category X within the last N days / ever".
create table contact_category_purchase (
    workspace_id  bigint      not null,
    contact_id    bigint      not null,
    category      text        not null,
    last_at       timestamptz not null,
    primary key (workspace_id, contact_id, category)
);
create index contact_category_purchase_idx on contact_category_purchase (workspace_id, category, last_at) include (contact_id);

-- Events per contact and type: how many in all, the last one, and the times of the last ten (newest first), so that
-- "at least N times since T" (N up to 10) is recent[N] >= T, one row per contact and event type.
create table contact_event_summary (
    workspace_id  bigint        not null,
    contact_id    bigint        not null,
    type          text          not null,
    total         int           not null,
    last_at       timestamptz   not null,
    recent        timestamptz[] not null,
    primary key (workspace_id, contact_id, type)
);
create index contact_event_summary_type_idx on contact_event_summary (workspace_id, type, last_at) include (contact_id);

set local work_mem = '256MB';

insert into contact_purchase_summary (workspace_id, contact_id, orders, revenue, first_at, last_at)
select workspace_id, contact_id, count(*), coalesce(sum(total), 0), min(placed_at), max(placed_at)
from customer_order
where contact_id is not null and status not in ('cancelled', 'refunded')
group by workspace_id, contact_id;

update contact_purchase_summary s set r = x.r, f = x.f, m = x.m
from (select workspace_id, contact_id,
             ceil(5 * cume_dist() over (partition by workspace_id order by last_at))::smallint as r,
             ceil(5 * cume_dist() over (partition by workspace_id order by orders))::smallint as f,
             ceil(5 * cume_dist() over (partition by workspace_id order by revenue))::smallint as m
      from contact_purchase_summary) x
where s.workspace_id = x.workspace_id and s.contact_id = x.contact_id;

insert into contact_category_purchase (workspace_id, contact_id, category, last_at)
select o.workspace_id, o.contact_id, p.category, max(o.placed_at)
from customer_order o
join order_line l on l.workspace_id = o.workspace_id and l.order_id = o.id
join product p on p.workspace_id = l.workspace_id and p.id = l.product_id
where o.contact_id is not null and o.status not in ('cancelled', 'refunded') and p.category is not null
group by o.workspace_id, o.contact_id, p.category;

insert into contact_event_summary (workspace_id, contact_id, type, total, last_at, recent)
select workspace_id, contact_id, type, count(*), max(occurred_at), (array_agg(occurred_at order by occurred_at desc))[1:10]
from activity_event
where contact_id is not null
group by workspace_id, contact_id, type;

analyze contact_purchase_summary;
analyze contact_category_purchase;
analyze contact_event_summary;
