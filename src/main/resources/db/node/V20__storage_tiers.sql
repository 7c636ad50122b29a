-- Blob access tiers by policy (node/storage TierPolicyJob) and rehydration out of the Archive tier.
-- last_accessed_at is written at most once a day per study (a retrieve's conditional UPDATE), so
-- reads do not turn into a write per instance.
alter table study add column last_accessed_at timestamptz;
-- The tier the policy last applied to the whole study (instances may be warmer after a rehydration).
alter table study add column access_tier varchar(8) not null default 'HOT';
-- When the policy next has to look at the study (null: at the next run); the job reads only due rows.
alter table study add column tier_due_at timestamptz;
create index study_tier_due_idx on study (tier_due_at nulls first);

alter table instance add column access_tier varchar(8) not null default 'HOT';
-- Set while a move out of the Archive tier is pending for this instance's blob.
alter table instance add column rehydrating_since timestamptz;
