-- Segment conditions "replied" and "bounced" (ReturnedMailConditions) look these up per contact.
create index inbound_message_reply_contact_idx on inbound_message (workspace_id, contact_id, received_at)
    where kind = 'reply' and contact_id is not null;
create index outbox_message_bounced_contact_idx on outbox_message (workspace_id, contact_id, updated_at)
    where state = 'bounced' and contact_id is not null;
