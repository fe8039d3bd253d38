-- Free-text search over contacts moves out of the contact table (issue 3, import throughput).
--
-- A trigram GIN index on contact made every inserted contact update about forty GIN entries inside the writing
-- transaction; it bounded imports at ~13k rows/s. Now the searchable text lives in contact_search, filled in bulk by a
-- background indexer (ContactSearchIndexer) from contact_search_queue. The queue is written set-based by statement
-- triggers, so every writer (API, import, demo generator COPY, plain SQL) queues what it creates or renames. The list
-- search reads contact_search for indexed contacts and the contact rows themselves for queued ones, so results are
-- always current; only the speed of a search waits for the indexer.

create function contact_search_doc(email text, first_name text, last_name text, middle_name text) returns text
    language sql immutable parallel safe
    return lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(middle_name, ''));

create table contact_search (
    workspace_id  bigint not null,
    contact_id    bigint not null,
    doc           text   not null,
    primary key (workspace_id, contact_id),
    foreign key (workspace_id, contact_id) references contact (workspace_id, id) on delete cascade
);

-- Contacts whose contact_search row is missing or stale. No foreign key: an entry of a deleted contact is simply
-- dropped by the indexer, and the hot insert path pays for one small b-tree only.
create table contact_search_queue (
    workspace_id  bigint not null,
    contact_id    bigint not null,
    primary key (workspace_id, contact_id)
);

create function contact_search_queue_inserted() returns trigger language plpgsql as $$
begin
    insert into contact_search_queue (workspace_id, contact_id)
    select workspace_id, id from new_rows
    on conflict do nothing;
    return null;
end $$;

-- "do update" (not "do nothing") locks an entry the indexer is taking right now, so a rename that commits while the
-- indexer reads the old text waits for it and is queued again afterwards.
create function contact_search_queue_updated() returns trigger language plpgsql as $$
begin
    insert into contact_search_queue (workspace_id, contact_id)
    select n.workspace_id, n.id from new_rows n join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id
    where contact_search_doc(n.email, n.first_name, n.last_name, n.middle_name)
          is distinct from contact_search_doc(o.email, o.first_name, o.last_name, o.middle_name)
    on conflict (workspace_id, contact_id) do update set contact_id = excluded.contact_id;
    return null;
end $$;

create trigger contact_search_queue_ins after insert on contact
    referencing new table as new_rows for each statement execute function contact_search_queue_inserted();
create trigger contact_search_queue_upd after update on contact
    referencing old table as old_rows new table as new_rows for each statement execute function contact_search_queue_updated();

-- Existing contacts: filled here, and the index built once over the filled table (far cheaper than row by row).
insert into contact_search (workspace_id, contact_id, doc)
select workspace_id, id, contact_search_doc(email, first_name, last_name, middle_name) from contact;
create index contact_search_doc_trgm on contact_search using gin (doc gin_trgm_ops);

drop index contact_search_trgm;
-- The primary key (workspace_id, id) already serves "newest first" (a b-tree is read backwards just as well).
drop index contact_workspace_id_idx;

-- A foreign key check is a query per inserted row: the one from the consent history to its contact was a quarter of
-- the database's work in an import (one history row per new contact). Contacts are deleted in one place
-- (ContactStore.delete), which now deletes their history first; a workspace still takes its history with it.
alter table consent_event drop constraint consent_event_workspace_id_contact_id_fkey;
