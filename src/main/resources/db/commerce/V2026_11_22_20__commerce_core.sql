-- Products and how they relate, orders with their lines, contracts with renewal dates, and carts.

create table product (
    workspace_id  bigint        not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    sku           text          not null,
    name          text          not null,
    category      text,
    price         numeric(14, 2),
    currency      char(3)       not null default 'RUB',
    active        boolean       not null default true,
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null,
    primary key (workspace_id, id),
    unique (workspace_id, sku)
);
create index product_category_idx on product (workspace_id, category);

-- Manual relations that drive cross-sell letters.
create table product_relation (
    workspace_id  bigint not null,
    product_id    bigint not null,
    related_id    bigint not null,
    kind          text   not null check (kind in ('first_necessity', 'secondary', 'upgrade')),
    primary key (workspace_id, product_id, kind, related_id),
    foreign key (workspace_id, product_id) references product (workspace_id, id) on delete cascade,
    foreign key (workspace_id, related_id) references product (workspace_id, id) on delete cascade,
    check (product_id <> related_id)
);

create table customer_order (
    workspace_id  bigint        not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    external_id   text          not null,
    contact_id    bigint,
    company_id    bigint,
    placed_at     timestamptz   not null,
    status        text          not null check (status in ('placed', 'paid', 'shipped', 'cancelled', 'refunded')),
    total         numeric(14, 2) not null,
    currency      char(3)       not null default 'RUB',
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null,
    primary key (workspace_id, id),
    unique (workspace_id, external_id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete set null (contact_id),
    foreign key (workspace_id, company_id) references company (workspace_id, id) on delete set null (company_id)
);
-- Purchase history per client, newest first; "counts as a purchase" is a status filter used everywhere.
create index customer_order_contact_idx on customer_order (workspace_id, contact_id, placed_at desc) where contact_id is not null;
create index customer_order_company_idx on customer_order (workspace_id, company_id, placed_at desc) where company_id is not null;

create table order_line (
    workspace_id  bigint         not null,
    order_id      bigint         not null,
    line_no       int            not null,
    product_id    bigint,
    sku           text           not null,
    name          text,
    quantity      numeric(14, 3) not null check (quantity > 0),
    price         numeric(14, 2) not null check (price >= 0),
    primary key (workspace_id, order_id, line_no),
    foreign key (workspace_id, order_id) references customer_order (workspace_id, id) on delete cascade,
    foreign key (workspace_id, product_id) references product (workspace_id, id) on delete set null (product_id)
);
create index order_line_product_idx on order_line (workspace_id, product_id) where product_id is not null;

create table contract (
    workspace_id  bigint         not null references workspace (id) on delete cascade,
    id            bigint generated always as identity,
    external_id   text           not null,
    contact_id    bigint,
    company_id    bigint,
    plan          text           not null,
    starts_on     date           not null,
    renews_on     date,
    amount        numeric(14, 2),
    period        text           not null default 'month' check (period in ('month', 'quarter', 'year', 'once')),
    currency      char(3)        not null default 'RUB',
    status        text           not null check (status in ('trial', 'active', 'expired', 'cancelled')),
    created_at    timestamptz    not null,
    updated_at    timestamptz    not null,
    primary key (workspace_id, id),
    unique (workspace_id, external_id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete set null (contact_id),
    foreign key (workspace_id, company_id) references company (workspace_id, id) on delete set null (company_id),
    check (renews_on is null or renews_on >= starts_on)
);
create index contract_renewal_idx on contract (workspace_id, renews_on) where status in ('trial', 'active');
create index contract_contact_idx on contract (workspace_id, contact_id) where contact_id is not null;
create index contract_company_idx on contract (workspace_id, company_id) where company_id is not null;

-- The current cart of a contact, kept from cart_updated events; cleared by an order.
create table cart (
    workspace_id  bigint         not null,
    contact_id    bigint         not null,
    lines         jsonb          not null default '[]',
    total         numeric(14, 2) not null default 0,
    currency      char(3)        not null default 'RUB',
    updated_at    timestamptz    not null,
    primary key (workspace_id, contact_id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);
create index cart_idle_idx on cart (workspace_id, updated_at);
