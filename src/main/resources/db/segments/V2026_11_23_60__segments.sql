-- Rule segments and static lists, their stored membership, the entered/left history and a daily size snapshot.

create table segment (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    kind          text        not null check (kind in ('rule', 'list')),
    name          text        not null check (length(name) between 1 and 200),
    description   text,
    -- The rule tree (see RuleCompiler); null for static lists.
    rule          jsonb,
    -- Stable key of a built-in segment (e.g. 'type_partner', 'rfm_champions'); null for the user's own.
    built_in      text,
    size          bigint      not null default 0,
    refreshed_at  timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (workspace_id, id),
    check ((kind = 'rule') = (rule is not null))
);
create unique index segment_built_in_uq on segment (workspace_id, built_in) where built_in is not null;

-- Who is in a segment or list now. For rule segments it is kept by the refresh; for lists by hand and the API.
create table segment_member (
    workspace_id  bigint      not null,
    segment_id    bigint      not null,
    contact_id    bigint      not null,
    since         timestamptz not null,
    primary key (workspace_id, segment_id, contact_id),
    foreign key (workspace_id, segment_id) references segment (workspace_id, id) on delete cascade,
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);
-- "Which segments is this contact in" (contact card, incremental re-evaluation).
create index segment_member_contact_idx on segment_member (workspace_id, contact_id);

-- Entered/left records: journeys start from these.
create table segment_membership_change (
    workspace_id  bigint      not null,
    id            bigint generated always as identity,
    segment_id    bigint      not null,
    contact_id    bigint      not null,
    entered       boolean     not null,
    at            timestamptz not null,
    primary key (workspace_id, id),
    foreign key (workspace_id, segment_id) references segment (workspace_id, id) on delete cascade
);
create index segment_membership_change_segment_idx on segment_membership_change (workspace_id, segment_id, id desc);
create index segment_membership_change_contact_idx on segment_membership_change (workspace_id, contact_id, id desc);

-- Size of each segment per day, written by the periodic refresh (the "size over time" chart).
create table segment_size (
    workspace_id  bigint not null,
    segment_id    bigint not null,
    day           date   not null,
    size          bigint not null,
    primary key (workspace_id, segment_id, day),
    foreign key (workspace_id, segment_id) references segment (workspace_id, id) on delete cascade
);

-- Per-workspace settings of the segmentation: the purchase cycle that separates active from formerly active clients.
create table segment_settings (
    workspace_id        bigint primary key references workspace (id) on delete cascade,
    purchase_cycle_days int    not null default 180 check (purchase_cycle_days between 1 and 3650)
);

-- Indexes the compiled rules lean on.
-- Purchases: every purchase condition reads only orders that count, per contact, by time, summing totals.
create index customer_order_purchase_idx on customer_order (workspace_id, contact_id, placed_at desc) include (total)
    where contact_id is not null and status not in ('cancelled', 'refunded');
-- Behaviour: "performed event X in a period" looks up by type then contact.
create index activity_event_type_contact_idx on activity_event (workspace_id, type, contact_id, occurred_at)
    where contact_id is not null;
-- Contact type conditions (and the built-in segments by type) are plain equality tests on the column.
create index contact_type_idx on contact (workspace_id, contact_type) where contact_type is not null;
