-- A/B tests of more than the subject: ab_kind says what the variants (ab_subjects, kept as the variants' values) vary:
-- subject (Liquid subjects), from_name (sender names), template (template ids: the content), send_time (local times
-- HH:MM at which each variant's letters go). Attributed revenue joins the winning metrics (Welch's t-test).
alter table campaign add column ab_kind text not null default 'subject'
    check (ab_kind in ('subject', 'from_name', 'template', 'send_time'));
alter table campaign drop constraint campaign_ab_metric_check;
alter table campaign add constraint campaign_ab_metric_check check (ab_metric in ('open_rate', 'click_rate', 'revenue'));
