-- Segment memberships check their segment and contact once per statement instead of once per row (issue 3, import
-- throughput).
--
-- Every imported contact enters "Potential clients" (and any rule segment it matches): one segment_member row and one
-- segment_membership_change row, written by the ContactsChanged listener in batches of thousands. Their three foreign
-- keys ran a "select ... for key share" per row each. Measured with a psql session's own CPU time, writing 100,000
-- memberships with their change records cost 2.3 s of backend CPU with the foreign keys, 0.9 s without them and 1.2 s
-- with the statement-level checks below. In an import that is more than the contact rows themselves cost.
--
-- The checks keep what the foreign keys guaranteed:
--   * a membership names an existing segment and an existing contact, and a change record an existing segment;
--   * the rows referenced are locked FOR KEY SHARE, as a foreign key does, so a contact or segment deleted at the same
--     moment waits for the writer's commit and then takes the new rows with it (no orphans);
--   * deleting a contact or a segment deletes its memberships (and a segment its change records): the delete triggers;
--   * the referencing columns never change (no writer updates them; a row trigger that fires only for an UPDATE naming
--     them refuses it).

create function segment_member_refs_exist() returns trigger language plpgsql as $$
declare
    wanted bigint;
    found  bigint;
begin
    select count(*) into wanted from (select distinct workspace_id, segment_id from new_rows) r;
    select count(*) into found from (
        select 1 from segment s join (select distinct workspace_id, segment_id from new_rows) r
            on s.workspace_id = r.workspace_id and s.id = r.segment_id
        for key share of s) x;
    if found <> wanted then
        raise exception 'insert on table "%" names a segment that does not exist', tg_table_name
            using errcode = 'foreign_key_violation';
    end if;
    if tg_table_name = 'segment_member' then
        select count(*) into wanted from (select distinct workspace_id, contact_id from new_rows) r;
        select count(*) into found from (
            select 1 from contact c join (select distinct workspace_id, contact_id from new_rows) r
                on c.workspace_id = r.workspace_id and c.id = r.contact_id
            for key share of c) x;
        if found <> wanted then
            raise exception 'insert on table "%" names a contact that does not exist', tg_table_name
                using errcode = 'foreign_key_violation';
        end if;
    end if;
    return null;
end $$;

create function segment_refs_are_fixed() returns trigger language plpgsql as $$
begin
    raise exception 'the segment or contact of a row of "%" cannot change', tg_table_name using errcode = 'foreign_key_violation';
end $$;

alter table segment_member drop constraint segment_member_workspace_id_segment_id_fkey;
alter table segment_member drop constraint segment_member_workspace_id_contact_id_fkey;
create trigger segment_member_refs_exist after insert on segment_member
    referencing new table as new_rows for each statement execute function segment_member_refs_exist();
create trigger segment_member_refs_fixed before update of workspace_id, segment_id, contact_id on segment_member
    for each row when (old.workspace_id is distinct from new.workspace_id or old.segment_id is distinct from new.segment_id
                       or old.contact_id is distinct from new.contact_id)
    execute function segment_refs_are_fixed();

alter table segment_membership_change drop constraint segment_membership_change_workspace_id_segment_id_fkey;
create trigger segment_membership_change_refs_exist after insert on segment_membership_change
    referencing new table as new_rows for each statement execute function segment_member_refs_exist();
create trigger segment_membership_change_refs_fixed before update of workspace_id, segment_id on segment_membership_change
    for each row when (old.workspace_id is distinct from new.workspace_id or old.segment_id is distinct from new.segment_id)
    execute function segment_refs_are_fixed();

-- The cascades the foreign keys had.
create function segment_deleted_drop_members() returns trigger language plpgsql as $$
begin
    delete from segment_member m using old_rows o where m.workspace_id = o.workspace_id and m.segment_id = o.id;
    delete from segment_membership_change m using old_rows o where m.workspace_id = o.workspace_id and m.segment_id = o.id;
    return null;
end $$;
create trigger segment_deleted_drop_members after delete on segment
    referencing old table as old_rows for each statement execute function segment_deleted_drop_members();

create function contact_deleted_drop_memberships() returns trigger language plpgsql as $$
begin
    delete from segment_member m using old_rows o where m.workspace_id = o.workspace_id and m.contact_id = o.id;
    return null;
end $$;
create trigger contact_deleted_drop_memberships after delete on contact
    referencing old table as old_rows for each statement execute function contact_deleted_drop_memberships();
