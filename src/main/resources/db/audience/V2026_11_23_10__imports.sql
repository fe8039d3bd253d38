-- Imports of CSV and XLSX files. The file itself is kept in PostgreSQL (in chunks) so that any node can run or resume
-- the import; progress is committed batch by batch together with the rows it describes.
create table import_job (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    kind          text        not null,
    status        text        not null check (status in ('uploaded', 'queued', 'running', 'done', 'failed', 'cancelled')),
    file_name     text        not null,
    file_format   text        not null check (file_format in ('csv', 'xlsx')),
    encoding      text,
    delimiter     text,
    file_bytes    bigint      not null,
    headers       jsonb       not null default '[]',
    mapping       jsonb       not null default '{}',
    source_label  text,
    tags          text[]      not null default '{}',
    rows_done     bigint      not null default 0,
    created       bigint      not null default 0,
    updated       bigint      not null default 0,
    unchanged     bigint      not null default 0,
    skipped       bigint      not null default 0,
    message       text,
    actor_user_id bigint,
    actor_key_id  bigint,
    actor_name    text        not null,
    created_at    timestamptz not null,
    started_at    timestamptz,
    finished_at   timestamptz,
    locked_until  timestamptz,
    primary key (workspace_id, id)
);
create index import_job_pending_idx on import_job (status, locked_until) where status in ('queued', 'running');

create table import_file (
    workspace_id  bigint not null,
    import_id     bigint not null,
    chunk_no      int    not null,
    data          bytea  not null,
    primary key (workspace_id, import_id, chunk_no),
    foreign key (workspace_id, import_id) references import_job (workspace_id, id) on delete cascade
);

create table import_error (
    workspace_id  bigint not null,
    import_id     bigint not null,
    row_no        bigint not null,
    field         text,
    value         text,
    reason        text   not null,
    foreign key (workspace_id, import_id) references import_job (workspace_id, id) on delete cascade
);
create index import_error_job_idx on import_error (workspace_id, import_id, row_no);
