-- Letters: brand layouts, reusable Liquid snippets, templates and every saved version of them.

create table content_layout (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    name          text        not null,
    html          text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (workspace_id, id),
    unique (workspace_id, name)
);

-- Snippets are what {% include 'name' %} and {% render 'name' %} resolve to: nothing else can be included.
create table content_snippet (
    workspace_id  bigint      not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    name          text        not null,
    body          text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (workspace_id, id),
    unique (workspace_id, name)
);

-- The template row holds the current version's content, so rendering reads one row; versions keep the history.
create table content_template (
    workspace_id    bigint      not null references workspace (id) on delete cascade,
    id              bigint generated always as identity,
    name            text        not null,
    kind            text        not null check (kind in ('service', 'news', 'content', 'event', 'promo')),
    scenario        text,
    subject         text        not null,
    preheader       text,
    html            text        not null,
    text            text,
    layout_id       bigint,
    library_code    text,
    current_version int         not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (workspace_id, id),
    foreign key (workspace_id, layout_id) references content_layout (workspace_id, id)
);
create index content_template_name_idx on content_template (workspace_id, lower(name));

create table content_template_version (
    workspace_id  bigint      not null,
    template_id   bigint      not null,
    version       int         not null,
    subject       text        not null,
    preheader     text,
    html          text        not null,
    text          text,
    layout_id     bigint,
    saved_at      timestamptz not null,
    saved_by      text,
    primary key (workspace_id, template_id, version),
    foreign key (workspace_id, template_id) references content_template (workspace_id, id) on delete cascade
);
