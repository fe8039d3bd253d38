-- Memberships are found by segment only (issue 3, import throughput). A workspace has tens of segments, so "the segments
-- of this contact" and "delete this contact's memberships" go through the workspace's segments, one primary key probe
-- (workspace, segment, contact) each, instead of a second index that every new membership had to enter: measured in
-- psql with the backend's own CPU time, 100,000 memberships in batches of 5,000 cost 0.24-0.25 s without it against
-- 0.35-0.37 s with it, and an import of a million new contacts writes a million memberships or more.
--
-- Readers by contact: the contact card (SegmentCardSections), the ContactsDeleted listener (Membership) and the trigger
-- below; all name the segment table so the planner loops over the segments. The change log keeps its contact index:
-- it is keyed by segment and change, not by contact.

drop index segment_member_contact_idx;

-- The transition table has no statistics: joined as it is, the planner hashed all of segment_member (0.19 s for 1,000
-- deleted contacts of a million members). With the ids as an array it probes each segment's key instead (7 ms for
-- 10,000 contacts in 14 segments).
create or replace function contact_deleted_drop_memberships() returns trigger language plpgsql as $$
declare
    ws  bigint;
    ids bigint[];
begin
    for ws, ids in select workspace_id, array_agg(id) from old_rows group by workspace_id loop
        delete from segment_member m using segment s
        where s.workspace_id = ws and m.workspace_id = ws and m.segment_id = s.id and m.contact_id = any(ids);
    end loop;
    return null;
end $$;
