-- Opens and clicks of sent letters. Append-only and large, so partitioned by month like activity_event; partitions
-- are created ahead by the application (TrackingHousekeeping), and the default partition takes anything else.
-- Machine hits (privacy proxies, link scanners, HEAD requests) are kept and flagged, never dropped: reports show human
-- figures by default and both on demand.
create sequence tracking_event_id_seq;

create table tracking_event (
    workspace_id    bigint      not null,
    id              bigint      not null default nextval('tracking_event_id_seq'),
    message_id      bigint      not null,
    contact_id      bigint,
    kind            text        not null check (kind in ('open', 'click')),
    url             text,
    at              timestamptz not null,
    user_agent      text,
    -- The client's network, never its full address: IPv4 /24, IPv6 /48.
    ip_network      text,
    machine         boolean     not null,
    machine_reason  text,
    -- An image proxy that fetched on a person's behalf (google, yahoo): a real open, so not a machine one.
    via             text,
    primary key (workspace_id, at, id)
) partition by range (at);

create table tracking_event_default partition of tracking_event default;

create index tracking_event_message_idx on tracking_event (workspace_id, message_id, kind, at);
create index tracking_event_contact_idx on tracking_event (workspace_id, contact_id, at desc) where contact_id is not null;

-- Kinds of mailing a contact has dropped in the preference centre (only opt-outs are stored; service mail is exempt).
create table mailing_opt_out (
    workspace_id  bigint      not null,
    contact_id    bigint      not null,
    kind          text        not null check (kind in ('news', 'content', 'event', 'promo')),
    at            timestamptz not null,
    message_id    bigint,
    primary key (workspace_id, contact_id, kind),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);
create index mailing_opt_out_kind_idx on mailing_opt_out (workspace_id, kind, contact_id);
