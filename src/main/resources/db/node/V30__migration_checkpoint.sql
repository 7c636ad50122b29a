-- Owned by io.ponte.node.migrate: what `ponte migrate` has done with each file of a legacy archive, so that
-- a run killed at any point continues where it stopped and a later run moves only new or changed files.
-- A file is done when a row with its current size and mtime exists; a changed file is simply redone.
create table migration_file (
    source            varchar(1024) not null,  -- e.g. file:/archive/pacs1 (the canonical directory)
    path              varchar(4096) not null,  -- relative to the source, '/'-separated
    size_bytes        bigint        not null,
    mtime_ms          bigint        not null,
    -- MIGRATED (stored anew), DUPLICATE (already held), DICOMDIR, UNREADABLE (reason says why)
    outcome           varchar(16)   not null,
    sop_instance_uid  varchar(64),
    reason            varchar(1024),
    done_at           timestamptz   not null,
    -- when the Blob copy was re-read and its SHA-256 matched the index; null until then
    verified_at       timestamptz,
    primary key (source, path)
);
-- The verification pass looks for stored files not yet verified.
create index migration_file_unverified_idx on migration_file (source)
    where verified_at is null and sop_instance_uid is not null;
