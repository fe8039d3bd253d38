-- The consent history is keyed by contact (issue 3, import throughput).
--
-- Every read of consent_event asks for one contact's history, newest first (the contact card, the timeline); nothing
-- looks a record up by its id alone. The primary key (workspace_id, id) was an index that only writes paid for: one
-- more index entry for every imported contact's first consent record. The primary key now leads with the contact and
-- replaces consent_event_contact_idx; "order by id desc" reads it backwards.
alter table consent_event drop constraint consent_event_pkey;
drop index consent_event_contact_idx;
alter table consent_event add primary key (workspace_id, contact_id, id);
