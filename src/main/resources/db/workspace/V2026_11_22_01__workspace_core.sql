-- Workspaces, users and their roles, API keys, the audit log and login throttling.
-- Every tenant-owned table is keyed by workspace_id first, so a workspace-sharded PostgreSQL stays possible.

create table workspace (
    id          bigint generated always as identity primary key,
    name        text        not null check (length(name) between 1 and 200),
    time_zone   text        not null default 'Europe/Moscow',
    created_at  timestamptz not null
);

create table app_user (
    id             bigint generated always as identity primary key,
    email          text        not null,
    display_name   text        not null,
    position       text,
    phone          text,
    photo_url      text,
    password_hash  text        not null,
    enabled        boolean     not null default true,
    created_at     timestamptz not null
);
create unique index app_user_email_uq on app_user (lower(email));

create table membership (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    user_id       bigint      not null references app_user (id) on delete cascade,
    role          text        not null check (role in ('OWNER', 'ADMIN', 'MARKETER', 'SALES_MANAGER', 'ANALYST')),
    created_at    timestamptz not null,
    primary key (workspace_id, user_id)
);
create index membership_user_idx on membership (user_id);

create table api_key (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    name          text        not null,
    prefix        text        not null,
    secret_hash   text        not null,
    role          text        not null check (role in ('OWNER', 'ADMIN', 'MARKETER', 'SALES_MANAGER', 'ANALYST')),
    created_by    bigint      references app_user (id) on delete set null,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    primary key (workspace_id, id)
);
-- Keys are looked up by hash before the workspace is known; the hash is of a 256-bit random secret.
create unique index api_key_secret_uq on api_key (secret_hash);

create table audit_log (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    at            timestamptz not null,
    actor         text        not null,
    action        text        not null,
    entity_type   text        not null,
    entity_id     text,
    details       jsonb       not null default '{}',
    primary key (workspace_id, id)
);

create table login_failure (
    email      text        not null,
    ip         text        not null,
    failed_at  timestamptz not null
);
create index login_failure_email_idx on login_failure (lower(email), failed_at);
create index login_failure_ip_idx on login_failure (ip, failed_at);

-- HTTP sessions in PostgreSQL so any node can serve any request (schema of Spring Session JDBC).
create table spring_session (
    primary_id             char(36) not null,
    session_id             char(36) not null,
    creation_time          bigint   not null,
    last_access_time       bigint   not null,
    max_inactive_interval  int      not null,
    expiry_time            bigint   not null,
    principal_name         varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id  char(36)     not null,
    attribute_name      varchar(200) not null,
    attribute_bytes     bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id) on delete cascade
);
