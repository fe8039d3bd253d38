-- Sending in each recipient's local time: a campaign's send window (local wall-clock times; null: none) and the
-- workspace's quiet hours for marketing letters (null: none). A window or quiet hours may wrap midnight (22:00-07:00).
alter table campaign add column window_start time, add column window_end time;
alter table campaign_settings add column quiet_start time, add column quiet_end time;
-- The recipient's time zone as fixed with the list (contact's custom field time_zone, else its company's, else the
-- workspace's), and the earliest time its letter may go out.
alter table campaign_recipient add column time_zone text, add column not_before timestamptz;
