-- How many contacts the fixed list has (skipped included): a large campaign's report is served from a cache.
alter table campaign add column recipient_count bigint;
update campaign c set recipient_count = (select count(*) from campaign_recipient r
                                         where r.workspace_id = c.workspace_id and r.campaign_id = c.id)
where c.started_at is not null;
