-- Packs in the replica (issue 12), owned by io.ponte.node.index (ReplicaPackIndex) and written by
-- io.ponte.node.storage.replica. An instance the primary holds in a pack is replicated as that pack: the same
-- object, under the same name, in the replica's container. replica_pack names the pack the replica holds the
-- instance in (at the instance's pack_offset); null: the replica holds it as an object of its own under its own
-- name (study/series/sop.dcm), as every instance was replicated before. An instance packed at the primary whose
-- replica_pack is not its pack is due for the pack's copy, replicated or not.
alter table instance add column replica_pack varchar(512);
create index instance_replica_pack_due_idx on instance (blob_name)
    where pack_offset is not null and replica_pack is distinct from blob_name;

-- The journal of the replica's pack copies, as pack_journal is the primary's: a row written before a byte of the
-- copy is, so that a kill -9 at any step leaves nothing unaccounted for. WRITING: the copy may exist in the
-- replica but no instance counts on it (a later run deletes it once it is older than the claim's lease);
-- ABANDONED: being deleted; SWITCHED: its instances were marked REPLICATED in it in the same transaction, and the
-- objects of their own the replica held them as (listed in replica_superseded_blob) may still exist. owner: the
-- copier that wrote the row, so that only it can switch it (two copiers never take the same pack).
create table replica_pack_journal (
    blob_name    varchar(512)  primary key,
    state        varchar(16)   not null,
    owner        varchar(36)   not null,
    started_at   timestamptz   not null,
    switched_at  timestamptz
);

create table replica_superseded_blob (
    blob_name       varchar(512)  primary key,
    pack_blob_name  varchar(512)  not null references replica_pack_journal (blob_name)
);
