-- Packed objects (issue 12), owned by io.ponte.node.index (PackIndex) and written by io.ponte.node.storage.pack.
-- A pack is one blob holding several instances of one series, Part 10 bytes one after another, followed by a
-- self-describing index (docs/architecture.md, "Object layout"). A packed instance has blob_name = the pack
-- and pack_offset = where its bytes start in it; null: the instance has a blob of its own.
alter table instance add column pack_offset bigint;
-- The object counters (singles and packs) and the job's choice of series read these.
create index instance_packed_blob_idx on instance (blob_name) where pack_offset is not null;

-- The packing journal: a row per pack being made, written before its blob is, so that a kill -9 at any point
-- leaves nothing unaccounted for. WRITING: the blob may exist but no instance points at it (the next run
-- deletes it); SWITCHED: the instances point at it in the same transaction that set this state, and the
-- single blobs listed in pack_superseded_blob may still exist (the next run deletes them). The row goes once
-- nothing is left to clean up.
create table pack_journal (
    blob_name            varchar(512)  primary key,
    study_instance_uid   varchar(64)   not null,
    series_instance_uid  varchar(64)   not null,
    state                varchar(16)   not null,
    instances            integer       not null,
    size_bytes           bigint        not null,
    started_at           timestamptz   not null,
    switched_at          timestamptz
);

create table pack_superseded_blob (
    blob_name       varchar(512)  primary key,
    pack_blob_name  varchar(512)  not null references pack_journal (blob_name)
);

-- The job's choice of series to pack looks at unpacked instances only: after packing, those are the recent ones.
create index instance_unpacked_series_idx on instance (series_instance_uid, received_at) where pack_offset is null;
