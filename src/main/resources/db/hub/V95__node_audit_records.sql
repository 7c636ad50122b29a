-- Records a node sent (issue 10): their source is the node (source_site), their id there (source_record_id)
-- makes the node's re-sends idempotent, and they say what a hub row cannot: the DICOM peer's AE title, how many
-- instances moved, and when it happened at the node (occurred_at; recorded_at stays the hub's append time).
-- chain_version 3 rows hash these columns too; version 1 and 2 rows keep their form.
alter table audit_record add column source_site varchar(64);
alter table audit_record add column source_record_id varchar(64);
alter table audit_record add column peer_ae varchar(16);
alter table audit_record add column instance_count integer;
alter table audit_record add column occurred_at timestamptz;
create unique index audit_record_source_uq on audit_record (source_site, source_record_id)
    where source_record_id is not null;

-- Retention (ponte audit purge): what an operator removed from the start of the chain. The latest anchor's
-- hash is the prev_hash of the first kept row, so the chain still verifies from there. Written only by the
-- owner role running the purge; the application may read it, never write it.
create table audit_anchor (
    through_seq    bigint        primary key,
    hash           varchar(64)   not null,
    purged_before  timestamptz   not null,
    purged_rows    bigint        not null,
    purged_at      timestamptz   not null,
    purged_by      varchar(128)  not null
);
revoke insert, update, delete, truncate on audit_anchor from "${appRole}";
