-- New contacts are queued for the search indexer as id ranges, one row per inserting statement (issue 3, import
-- throughput).
--
-- The insert trigger wrote one contact_search_queue row per new contact: a million queue rows for a million-row import,
-- about 8% of the database's work in it (pg_stat_statements), and as many deletes for the indexer afterwards. A
-- statement's new contacts are covered by the range of their ids: identity values come from one sequence, so the range
-- may also hold ids of other statements running at the same moment, which is harmless (the indexer indexes whatever
-- contact it finds in a range, each statement has its own range row, and indexing twice writes the same text) and it
-- may hold ids of no contact at all (gaps), which the indexer simply finds nothing for.
--
-- A range row commits with the contacts it covers, so an indexer that sees the row also sees them. Renames still queue
-- single contacts in contact_search_queue (the update trigger is unchanged).

create table contact_search_range (
    workspace_id  bigint not null,
    id            bigint generated always as identity,
    from_id       bigint not null,
    to_id         bigint not null,
    primary key (workspace_id, id),
    check (from_id <= to_id),
    foreign key (workspace_id) references workspace (id) on delete cascade
);

create or replace function contact_search_queue_inserted() returns trigger language plpgsql as $$
begin
    insert into contact_search_range (workspace_id, from_id, to_id)
    select workspace_id, min(id), max(id) from new_rows group by workspace_id;
    return null;
end $$;
