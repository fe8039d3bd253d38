-- Contacts, companies, custom field definitions and the consent history.
create extension if not exists pg_trgm;

create table custom_field (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    entity        text        not null check (entity in ('contact', 'company')),
    key           text        not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    label         text        not null,
    type          text        not null check (type in ('text', 'number', 'date', 'boolean', 'choice')),
    options       text[]      not null default '{}',
    created_at    timestamptz not null,
    primary key (workspace_id, id),
    unique (workspace_id, entity, key)
);

create table company (
    workspace_id            bigint      not null references workspace (id) on delete cascade,
    id                      bigint generated always as identity,
    name                    text        not null,
    inn                     text,
    industry                text,
    size                    text,
    website                 text,
    founded_on              date,
    cooperation_started_on  date,
    manager_id              bigint      references app_user (id) on delete set null,
    custom_fields           jsonb       not null default '{}',
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    primary key (workspace_id, id)
);
create unique index company_inn_uq on company (workspace_id, inn) where inn is not null;
create index company_name_trgm on company using gin (lower(name) gin_trgm_ops);
create index company_workspace_id_idx on company (workspace_id, id desc);

create table contact (
    workspace_id   bigint      not null references workspace (id) on delete cascade,
    id             bigint generated always as identity,
    email          text        not null,
    first_name     text,
    last_name      text,
    middle_name    text,
    position       text,
    phone          text,
    birthday       date,
    company_id     bigint,
    contact_type   text check (contact_type in ('private_person', 'corporate_client', 'partner', 'media', 'supplier')),
    source_label   text,
    source_kind    text check (source_kind in ('import', 'form', 'api', 'manual', 'offline_event')),
    manager_id     bigint      references app_user (id) on delete set null,
    tags           text[]      not null default '{}',
    custom_fields  jsonb       not null default '{}',
    consent_status text        not null default 'subscribed'
                               check (consent_status in ('subscribed', 'unsubscribed', 'bounced', 'complained')),
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    primary key (workspace_id, id),
    foreign key (workspace_id, company_id) references company (workspace_id, id) on delete set null (company_id)
);
-- The email is stored normalized (see EmailAddress); uniqueness ignores the case of the local part, as mailboxes do.
create unique index contact_email_uq on contact (workspace_id, lower(email));
-- Keyset paging newest first, and each filter of the contacts list, stay index-backed at a million contacts.
create index contact_workspace_id_idx on contact (workspace_id, id desc);
create index contact_company_idx on contact (workspace_id, company_id, id desc) where company_id is not null;
create index contact_tags_idx on contact using gin (tags);
create index contact_manager_idx on contact (workspace_id, manager_id, id desc) where manager_id is not null;
-- Free-text search over email and names ("ivan", "petrov@", "Иванов").
create index contact_search_trgm on contact using gin (
    (lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(middle_name, ''))) gin_trgm_ops);

create table consent_event (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    contact_id    bigint      not null,
    status        text        not null,
    at            timestamptz not null,
    method        text        not null,
    source        text,
    actor         text        not null,
    primary key (workspace_id, id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);
create index consent_event_contact_idx on consent_event (workspace_id, contact_id, id desc);
