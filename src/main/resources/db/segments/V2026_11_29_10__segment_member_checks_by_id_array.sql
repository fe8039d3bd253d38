-- Cheaper reference checks on segment memberships (issue 3, import throughput). Same guarantees as
-- V2026_11_28_20: every new membership names an existing segment and contact of its workspace, both locked FOR KEY SHARE
-- so that neither can be deleted before the membership commits.
--
-- The locking queries joined the contact table to the statement's new rows. A locking join is the expensive part: for
-- every locked row PostgreSQL also carries the joined row along (to re-check it should the locked row change), and that
-- cost about as much as writing the membership itself. When the new rows belong to one workspace, which is every
-- statement Orbita writes, the distinct ids are collected into an array first and the rows are locked by a plain index
-- scan on "id = any(ids)". Measured in psql with the backend's own CPU time, 100,000 memberships written in batches of
-- 5,000 cost 0.39-0.42 s instead of 0.54-0.63 s, whether the ids are one run (an import) or scattered; the check now
-- costs about 0.1 s of that. Rows of several workspaces in one statement keep the join.

create or replace function segment_member_refs_exist() returns trigger language plpgsql as $$
declare
    ws         bigint;
    last_ws    bigint;
    ids        bigint[];
    wanted     bigint;
    existing   bigint;
begin
    select min(workspace_id), max(workspace_id) into ws, last_ws from new_rows;
    if ws is null then
        return null;
    end if;
    if ws = last_ws then
        select array_agg(distinct segment_id) into ids from new_rows;
        select count(*) into existing from (
            select 1 from segment s where s.workspace_id = ws and s.id = any(ids) for key share of s) x;
        wanted := cardinality(ids);
    else
        select count(*) into wanted from (select distinct workspace_id, segment_id from new_rows) r;
        select count(*) into existing from (
            select 1 from segment s join (select distinct workspace_id, segment_id from new_rows) r
                on s.workspace_id = r.workspace_id and s.id = r.segment_id
            for key share of s) x;
    end if;
    if existing <> wanted then
        raise exception 'insert on table "%" names a segment that does not exist', tg_table_name
            using errcode = 'foreign_key_violation';
    end if;
    if tg_table_name = 'segment_member' then
        if ws = last_ws then
            select array_agg(distinct contact_id) into ids from new_rows;
            select count(*) into existing from (
                select 1 from contact c where c.workspace_id = ws and c.id = any(ids) for key share of c) x;
            wanted := cardinality(ids);
        else
            select count(*) into wanted from (select distinct workspace_id, contact_id from new_rows) r;
            select count(*) into existing from (
                select 1 from contact c join (select distinct workspace_id, contact_id from new_rows) r
                    on c.workspace_id = r.workspace_id and c.id = r.contact_id
                for key share of c) x;
        end if;
        if existing <> wanted then
            raise exception 'insert on table "%" names a contact that does not exist', tg_table_name
                using errcode = 'foreign_key_violation';
        end if;
    end if;
    return null;
end $$;
