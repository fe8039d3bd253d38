-- Entered/left records are keyed by segment (issue 3, import throughput).
--
-- segment_membership_change is read per segment, newest first (the segment page, journeys), and deleted per contact;
-- nothing looks a record up by its id alone. The primary key (workspace_id, id) was an index only writes paid for, and
-- every imported contact writes a record for each segment it enters ("Potential clients" at least). The primary key
-- now leads with the segment and replaces segment_membership_change_segment_idx; "order by id desc" reads it backwards.
alter table segment_membership_change drop constraint segment_membership_change_pkey;
drop index segment_membership_change_segment_idx;
alter table segment_membership_change add primary key (workspace_id, segment_id, id);
