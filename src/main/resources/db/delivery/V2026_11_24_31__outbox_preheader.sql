-- A preheader replacing the template's own (a campaign's override; see Outbox.BatchMessage). Null: the template's.
alter table outbox_message add column preheader text;
