-- Campaigns: one letter (a template) to segments and static lists, sent once; see io.orbita.campaigns.Campaigns.
create table campaign (
    workspace_id      bigint      not null references workspace (id) on delete cascade,
    id                bigint generated always as identity,
    name              text        not null check (length(name) between 1 and 200),
    kind              text        not null check (kind in ('news', 'content', 'event', 'promo', 'service')),
    state             text        not null default 'draft'
                                  check (state in ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    -- Segment ids (rule segments and static lists alike) to send to, and to leave out.
    include_ids       bigint[]    not null default '{}',
    exclude_ids       bigint[]    not null default '{}',
    template_id       bigint      not null,
    -- Each recipient's personal manager sends when they have one; else this sender.
    from_name         text,
    from_email        text,
    subject           text,
    preheader         text,
    scheduled_at      timestamptz,
    -- Set when the recipient list was fixed; the counts below are of that moment.
    started_at        timestamptz,
    finished_at       timestamptz,
    duplicates        bigint      not null default 0,
    -- A/B test of subjects (null ab_subjects: none): 2 to 5 Liquid subjects, numbered from 1; ab_share percent of the
    -- recipients get them split evenly, the rest wait for the winner by ab_metric, decided ab_wait after the test letters
    -- were queued with a two-proportion z-test at 95%; with no significant winner ab_default goes.
    ab_subjects       text[],
    ab_share          int         check (ab_share between 2 and 90),
    ab_metric         text        check (ab_metric in ('open_rate', 'click_rate')),
    ab_wait_minutes   int         check (ab_wait_minutes between 0 and 10080),
    ab_default        int,
    ab_decide_at      timestamptz,
    ab_winner         int,
    ab_significant    boolean,
    -- When a test letter of it last went out (the pre-send checklist asks for one).
    test_sent_at      timestamptz,
    -- The worker's lease (FOR UPDATE SKIP LOCKED claims): a node that dies lets another resume after it ends.
    locked_until      timestamptz,
    created_by        bigint,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    primary key (workspace_id, id)
);
create index campaign_due_idx on campaign (scheduled_at) where state in ('scheduled', 'sending');
create index campaign_list_idx on campaign (workspace_id, id desc);

-- The recipient list as fixed when sending started: one row per contact, with why it was skipped or which outbox
-- message it became. Rows without both are still to be queued (that is the position pause and restart resume from).
create table campaign_recipient (
    workspace_id      bigint      not null,
    campaign_id       bigint      not null,
    contact_id        bigint      not null,
    email             text        not null,
    manager_id        bigint,
    skip_reason       text        check (skip_reason in ('unsubscribed', 'suppressed', 'opted_out', 'frequency_cap', 'invalid')),
    message_id        bigint,
    -- The A/B variant (1-based) the recipient gets; null in an A/B campaign: waiting for the winner.
    variant           smallint,
    queued_at         timestamptz,
    -- Set from tracking's Unsubscribed event when the recipient unsubscribed through this letter.
    unsubscribed_at   timestamptz,
    primary key (workspace_id, campaign_id, contact_id),
    foreign key (workspace_id, campaign_id) references campaign (workspace_id, id) on delete cascade
);
-- The worker's position: the next pending recipients in contact order.
create index campaign_recipient_pending_idx on campaign_recipient (workspace_id, campaign_id, contact_id)
    where message_id is null and skip_reason is null;
-- The frequency cap: marketing letters a contact was queued in the last days.
create index campaign_recipient_contact_idx on campaign_recipient (workspace_id, contact_id, queued_at)
    where queued_at is not null;
create index campaign_recipient_message_idx on campaign_recipient (workspace_id, message_id) where message_id is not null;

create table campaign_settings (
    workspace_id        bigint primary key references workspace (id) on delete cascade,
    -- At most this many marketing (non-service) campaign letters per contact in 7 days; 0 = no cap.
    weekly_cap          int    not null default 3 check (weekly_cap between 0 and 100),
    attribution_days    int    not null default 7 check (attribution_days between 1 and 90)
);
