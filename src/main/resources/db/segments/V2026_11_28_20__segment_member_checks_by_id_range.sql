-- Cheaper reference checks on segment memberships (issue 3, import throughput). Same guarantees as
-- V2026_11_25_31: every new membership names an existing segment and contact, both locked FOR KEY SHARE.
--
-- 1. A statement that inserted nothing is not checked at all. Every re-evaluation statement has an insert for the
--    segment's new members and one for their change records, and most insert nothing (a batch of new contacts enters
--    one or two of the workspace's segments, and is evaluated against all of them): eight of every nine checks were
--    of empty sets.
-- 2. The contacts of one statement are usually one short run of ids (a batch of contacts imported or created
--    together). Then they are found with one scan of that id range of the primary key, instead of one descent of the
--    index per membership: in psql, writing 100,000 memberships with their change records cost 0.75-0.77 s of backend
--    CPU with the range against 0.83-0.88 s per contact (0.64-0.66 s without any contact check). Scattered ids (a
--    re-evaluation after events) keep the lookup per contact, which is what they cost before.

create or replace function segment_member_refs_exist() returns trigger language plpgsql as $$
declare
    wanted     bigint;
    existing   bigint;
    workspaces bigint;
    first_id   bigint;
    last_id    bigint;
    ws         bigint;
begin
    perform 1 from new_rows limit 1;
    if not found then
        return null;
    end if;
    select count(*) into wanted from (select distinct workspace_id, segment_id from new_rows) r;
    select count(*) into existing from (
        select 1 from segment s join (select distinct workspace_id, segment_id from new_rows) r
            on s.workspace_id = r.workspace_id and s.id = r.segment_id
        for key share of s) x;
    if existing <> wanted then
        raise exception 'insert on table "%" names a segment that does not exist', tg_table_name
            using errcode = 'foreign_key_violation';
    end if;
    if tg_table_name = 'segment_member' then
        select count(distinct (workspace_id, contact_id)), count(distinct workspace_id), min(contact_id), max(contact_id),
               min(workspace_id)
            into wanted, workspaces, first_id, last_id, ws from new_rows;
        if workspaces = 1 and last_id - first_id < 4 * wanted then
            select count(*) into existing from (
                select 1 from contact c
                where c.workspace_id = ws and c.id between first_id and last_id
                  and c.id in (select contact_id from new_rows)
                for key share of c) x;
        else
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
