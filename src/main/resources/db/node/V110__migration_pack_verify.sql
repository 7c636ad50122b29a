-- Owned by io.ponte.node.migrate: `ponte migrate` marks the files of a pack verified by SOP Instance UID once
-- the pack was read back (issue 12, migration writing packs); this finds them among the unverified rows.
create index migration_file_unverified_sop_idx on migration_file (source, sop_instance_uid)
    where verified_at is null and sop_instance_uid is not null;
