-- Inbound mail (bounces, complaints, replies) and the suppression list that every send checks.

-- Addresses no mail may go to, per workspace. The address is stored normalized (trimmed, lower-case).
create table suppression (
    workspace_id       bigint      not null references workspace (id) on delete cascade,
    id                 bigint generated always as identity,
    address            text        not null,
    reason             text        not null check (reason in ('hard_bounce', 'soft_bounce_limit', 'complaint',
                                                             'unsubscribed', 'manual', 'import')),
    source_message_id  bigint,
    note               text,
    created_at         timestamptz not null,
    primary key (workspace_id, id),
    unique (workspace_id, address)
);
create index suppression_address_trgm_idx on suppression using gin (address gin_trgm_ops);

-- Every soft bounce, so that N of them within a window suppress the address.
create table soft_bounce (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    address       text        not null,
    at            timestamptz not null,
    reason        text,
    message_id    bigint,
    primary key (workspace_id, address, at)
);

-- Every inbound message as it arrived (raw size-limited), what it was classified as and what was done about it.
-- Mail that names no workspace (no valid bounce address, no known Message-ID) is kept with a null workspace and is
-- visible to nobody through the UI; it exists for operators.
create table inbound_message (
    id              bigint generated always as identity primary key,
    workspace_id    bigint references workspace (id) on delete cascade,
    received_at     timestamptz not null,
    channel         text        not null check (channel in ('smtp', 'imap', 'api')),
    envelope_from   text,
    envelope_to     text,
    subject         text,
    from_address    text,
    kind            text        not null check (kind in ('bounce', 'complaint', 'auto_reply', 'reply', 'other')),
    message_id      bigint,
    contact_id      bigint,
    classification  jsonb       not null,
    effects         jsonb       not null default '[]',
    raw             bytea       not null,
    raw_size        integer     not null,
    truncated       boolean     not null default false
);
create index inbound_message_ws_idx on inbound_message (workspace_id, id);
