-- Owned by io.ponte.node.fixity: when an instance's copies (cache file, blob) were last re-read and compared with
-- its SHA-256, and what that check found (OK, REPAIRED, UNREPAIRABLE, DEFERRED). Null until its first check.
alter table instance add column fixity_checked_at timestamptz;
alter table instance add column fixity_outcome varchar(16);
-- The job samples the least recently verified instances first. Receipt counts as a verification (the SHA-256 was
-- computed from the bytes as they arrived), so a stream of new instances cannot starve the oldest ones.
create index instance_fixity_due_idx on instance ((coalesce(fixity_checked_at, received_at)), sop_instance_uid);
-- The health check and the unrepairable gauge count these; they are few (ideally none).
create index instance_fixity_unrepairable_idx on instance (sop_instance_uid) where fixity_outcome = 'UNREPAIRABLE';
