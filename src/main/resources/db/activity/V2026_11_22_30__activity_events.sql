-- The append-only event log: site behaviour, API events, and later mail results. Partitioned by month so old months
-- can be detached or dropped and recent ones stay small. Partitions are created ahead by the application
-- (EventLogHousekeeping); anything outside them lands in the default partition, so no event is ever refused for its date.
create sequence activity_event_id_seq;

create table activity_event (
    workspace_id     bigint      not null,
    id               bigint      not null default nextval('activity_event_id_seq'),
    occurred_at      timestamptz not null,
    received_at      timestamptz not null,
    type             text        not null,
    contact_id       bigint,
    visitor_id       text,
    properties       jsonb       not null default '{}',
    source           text        not null,
    primary key (workspace_id, occurred_at, id)
) partition by range (occurred_at);

create table activity_event_default partition of activity_event default;

create index activity_event_contact_idx on activity_event (workspace_id, contact_id, occurred_at desc) where contact_id is not null;
create index activity_event_visitor_idx on activity_event (workspace_id, visitor_id, occurred_at) where visitor_id is not null;
create index activity_event_type_idx on activity_event (workspace_id, type, occurred_at desc);

-- Idempotency keys live outside the partitioned table: a unique key there would have to include occurred_at.
create table activity_idempotency (
    workspace_id  bigint      not null,
    key           text        not null,
    created_at    timestamptz not null,
    primary key (workspace_id, key)
);
create index activity_idempotency_age_idx on activity_idempotency (created_at);

-- The public key a website's tracker script uses; it can only record site events, never read anything.
create table site_key (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    key           text        not null primary key,
    allowed_origins text[]    not null default '{}',
    created_at    timestamptz not null
);
create index site_key_workspace_idx on site_key (workspace_id);

-- Which contact an anonymous website visitor turned out to be (set by identify).
create table visitor (
    workspace_id  bigint      not null,
    visitor_id    text        not null,
    contact_id    bigint      not null,
    identified_at timestamptz not null,
    primary key (workspace_id, visitor_id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);
