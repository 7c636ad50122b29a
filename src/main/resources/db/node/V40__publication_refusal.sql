-- A refusal the hub says is final (a study UID registered by another site, ponte:study-owned-by-another-site):
-- the row is kept, with the hub's code in refused_reason, and is no longer sent (next_attempt_at null), instead of
-- being retried forever. A rebuild (new instances of the study) clears it and tries once more.
alter table publication_outbox add column refused_at timestamptz;
alter table publication_outbox add column refused_reason varchar(100);
