-- Who holds a claim on the durable queues (read by io.ponte.node.index: UploadQueue, PackIndex, ReplicaQueue,
-- DeadClaims). A claim still pushes the row's next attempt ahead (the lease), and now also names the run that made
-- it: a random id on which that process holds a session advisory lock for as long as it lives (ClaimOwner). A kill -9
-- ends the session and so the lock, so any process can tell a dead run's claims from a live one's (pg_locks) and
-- release them at once instead of waiting out the lease. Null: not claimed (or claimed by a release before this one,
-- whose lease still applies).
alter table instance
    add column blob_claimed_by bigint,
    -- The claim took the instance out of its hold for a pack at ingest: released, it is held for a pack again.
    add column blob_claim_held boolean not null default false,
    add column replica_claimed_by bigint;

-- The release looks only at claimed rows: few at any time (what runs have in flight).
create index instance_blob_claimed_by_idx on instance (blob_claimed_by) where blob_claimed_by is not null;
create index instance_replica_claimed_by_idx on instance (replica_claimed_by) where replica_claimed_by is not null;
