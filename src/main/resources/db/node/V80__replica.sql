-- Owned by io.ponte.node.storage.replica: the second copy of every instance in another Blob account.
-- PENDING until the replica's copy is written and verified (size, and the SHA-256 of the bytes sent, and the
-- store's MD5 when it keeps one), then REPLICATED. Existing rows start PENDING too: switching a replica on later
-- copies everything already held. Nothing reads these columns while no replica is configured.
alter table instance add column replica_state varchar(16) not null default 'PENDING';
alter table instance add column replica_attempts integer not null default 0;
-- Null: due now. A failure pushes it out (exponential back-off), so an outage of the replica account costs
-- nothing but a growing backlog.
alter table instance add column replica_next_attempt_at timestamptz;
alter table instance add column replicated_at timestamptz;
create index instance_replica_pending_idx on instance (replica_next_attempt_at nulls first)
    where replica_state = 'PENDING';
