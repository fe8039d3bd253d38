-- The workspace of a contact and of a consent record is checked once per statement instead of once per row (issue 3,
-- import throughput).
--
-- A foreign key runs "select 1 from workspace ... for key share" for every inserted row: measured with a psql session's
-- own CPU time, inserting 100,000 contacts with their first consent record cost 2.1 s of backend CPU with the two
-- workspace foreign keys and 1.4 s without them, a third of the database's share of an import. The same guarantee for
-- a whole statement is one anti-join over the statement's new rows (the transition table that the search queue trigger
-- on contact already collects) against the workspace primary key.
--
-- What the foreign keys did and what replaces it:
--   * no contact or consent record of a workspace that does not exist: the insert triggers below;
--   * workspace_id never moves: contacts are never moved between workspaces; a row trigger refuses it, fired only by
--     an UPDATE that names the column (no writer does), so updates pay nothing;
--   * deleting a workspace deletes its contacts and consent records: the delete trigger on workspace.
-- Unlike the key share lock of a foreign key, the check does not stop a workspace from being deleted by a concurrent
-- transaction between the check and the commit; the application never deletes workspaces while they are in use.

create function workspace_must_exist() returns trigger language plpgsql as $$
begin
    if exists (select 1 from new_rows n where not exists (select 1 from workspace w where w.id = n.workspace_id)) then
        raise exception 'insert or update on table "%" violates the workspace reference', tg_table_name
            using errcode = 'foreign_key_violation';
    end if;
    return null;
end $$;

create function workspace_id_is_fixed() returns trigger language plpgsql as $$
begin
    raise exception 'the workspace of a row of "%" cannot change', tg_table_name using errcode = 'foreign_key_violation';
end $$;

alter table contact drop constraint contact_workspace_id_fkey;
create trigger contact_workspace_exists after insert on contact
    referencing new table as new_rows for each statement execute function workspace_must_exist();
create trigger contact_workspace_fixed before update of workspace_id on contact
    for each row when (old.workspace_id is distinct from new.workspace_id) execute function workspace_id_is_fixed();

alter table consent_event drop constraint consent_event_workspace_id_fkey;
create trigger consent_event_workspace_exists after insert on consent_event
    referencing new table as new_rows for each statement execute function workspace_must_exist();
create trigger consent_event_workspace_fixed before update of workspace_id on consent_event
    for each row when (old.workspace_id is distinct from new.workspace_id) execute function workspace_id_is_fixed();

-- The cascade the foreign keys had. Other tables that reference contact keep their own cascades from it.
create function workspace_deleted_drop_contacts() returns trigger language plpgsql as $$
begin
    delete from consent_event e using old_rows o where e.workspace_id = o.id;
    delete from contact c using old_rows o where c.workspace_id = o.id;
    return null;
end $$;

create trigger workspace_deleted_drop_contacts after delete on workspace
    referencing old table as old_rows for each statement execute function workspace_deleted_drop_contacts();
