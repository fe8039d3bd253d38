-- The workspace check of contacts and consent records (V2026_11_25_30), cheaper for the statements Orbita writes: all
-- rows of one workspace. Their lowest and highest workspace id are one pass over the new rows with no hash table, and
-- when the two are equal a single lookup answers; rows of several workspaces keep the anti-join. Measured in psql with
-- the backend's own CPU time: inserting 100,000 consent records in batches of 5,000 cost 0.22-0.26 s instead of
-- 0.27-0.28 s; an import pays this check twice per batch (contacts and their consent records).

create or replace function workspace_must_exist() returns trigger language plpgsql as $$
declare
    lowest  bigint;
    highest bigint;
begin
    select min(workspace_id), max(workspace_id) into lowest, highest from new_rows;
    if lowest is null then
        return null;
    end if;
    if lowest = highest then
        if not exists (select 1 from workspace w where w.id = lowest) then
            raise exception 'insert or update on table "%" violates the workspace reference', tg_table_name
                using errcode = 'foreign_key_violation';
        end if;
    elsif exists (select 1 from new_rows n where not exists (select 1 from workspace w where w.id = n.workspace_id)) then
        raise exception 'insert or update on table "%" violates the workspace reference', tg_table_name
            using errcode = 'foreign_key_violation';
    end if;
    return null;
end $$;
