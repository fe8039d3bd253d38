-- The outbox: one row per message, claimed by workers of any node with FOR UPDATE SKIP LOCKED and a lease.

create table outbox_message (
    workspace_id     bigint      not null references workspace (id) on delete cascade,
    id               bigint generated always as identity,
    contact_id       bigint,
    recipient        text        not null,
    kind             text        not null check (kind in ('transactional', 'marketing')),
    state            text        not null check (state in ('queued', 'sending', 'sent', 'deferred', 'failed', 'bounced',
                                                           'complained', 'suppressed', 'cancelled')),
    -- What to send: a template or inline source, plus caller data; the sender as chosen at enqueue time.
    template_id      bigint,
    subject          text,
    html             text,
    text_body        text,
    data             jsonb       not null default '{}',
    from_name        text        not null,
    from_address     text        not null,
    reply_to         text,
    idempotency_key  text,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null,
    claimed_until    timestamptz,
    claimed_by       text,
    last_answer      text,
    relay            text,
    message_id       text,
    envelope_from    text,
    -- The exact bytes that went to the relay, gzip-compressed; written once, before the first attempt.
    raw_gz           bytea,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    sent_at          timestamptz,
    primary key (workspace_id, id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete set null (contact_id)
);
create unique index outbox_message_idempotency_idx on outbox_message (workspace_id, idempotency_key)
    where idempotency_key is not null;
-- The workers' queue spans workspaces: due rows, and rows whose lease ran out (a node died while sending).
create index outbox_message_due_idx on outbox_message (next_attempt_at) where state in ('queued', 'deferred');
create index outbox_message_lease_idx on outbox_message (claimed_until) where state = 'sending';
create index outbox_message_state_idx on outbox_message (workspace_id, state, updated_at desc);

-- Sending domains with their DKIM keys; private keys are sealed with the installation secret (AES-GCM).
create table sending_domain (
    workspace_id     bigint      not null references workspace (id) on delete cascade,
    id               bigint generated always as identity,
    domain           text        not null,
    ascii_domain     text        not null,
    rsa_selector     text        not null,
    rsa_private      bytea       not null,
    rsa_public       bytea       not null,
    ed_selector      text,
    ed_private       bytea,
    ed_public        bytea,
    check_result     jsonb,
    checked_at       timestamptz,
    verified         boolean     not null default false,
    created_at       timestamptz not null,
    primary key (workspace_id, id),
    unique (workspace_id, ascii_domain)
);

-- Mail received by the local capture server (the embedded default when no relay is configured).
create table captured_mail (
    workspace_id     bigint      not null references workspace (id) on delete cascade,
    id               bigint generated always as identity,
    received_at      timestamptz not null,
    mail_from        text        not null,
    recipients       text        not null,
    subject          text,
    raw              bytea       not null,
    primary key (workspace_id, id)
);
create index captured_mail_age_idx on captured_mail (received_at);
