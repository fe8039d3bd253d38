-- Idempotency keys are only ever found by (workspace_id, key); created_at serves the daily expiry alone. A B-tree on it
-- cost one more index insertion for every keyed event. Keys are appended in time order, so a BRIN index (a few pages,
-- updated only when a block range is summarized) finds the old rows for the expiry just as well.
drop index activity_idempotency_age_idx;
create index activity_idempotency_age_brin on activity_idempotency using brin (created_at);
