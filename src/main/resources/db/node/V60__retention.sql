-- Retention and legal hold (issue 12), owned by io.ponte.node.retention.
-- Each study's retention class (OUTPATIENT, INPATIENT, UNDECIDED: kept as long as inpatient) and the first day
-- it may be deleted, decided at ingest from the first instance's header (a later instance can only lengthen
-- it). Existing studies are left null here and decided on the node's first run from their indexed metadata,
-- with the rules configured then; a null end is never deleted.
alter table study add column retention_class varchar(16);
alter table study add column retention_ends_on date;
-- Legal hold: while held_at is set the study is never deleted, whatever its retention says.
alter table study add column held_at timestamptz;
alter table study add column held_by varchar(128);
alter table study add column hold_reason varchar(1000);
create index study_retention_due_idx on study (retention_ends_on) where held_at is null;
create index study_retention_undecided_idx on study (study_instance_uid) where retention_ends_on is null;
create index study_held_idx on study (held_at) where held_at is not null;

-- A study being deleted after its retention ended. Its index rows are removed in the same transaction that
-- writes these rows, so from then on it is not served (QIDO, WADO, publication); its objects are then removed
-- and the rows here last, with the audit record. A rerun finishes whatever is left here.
create table retention_deletion (
    study_instance_uid  varchar(64)  primary key,
    patient_id          varchar(64),
    retention_class     varchar(16),
    retention_ends_on   date,
    instances           integer      not null,
    withdrawn_at        timestamptz  not null,
    withdrawn_by        varchar(128)
);

create table retention_deletion_object (
    study_instance_uid  varchar(64)  not null references retention_deletion (study_instance_uid),
    sop_instance_uid    varchar(64)  not null,
    cache_path          varchar(512),
    blob_name           varchar(512) not null,
    primary key (study_instance_uid, sop_instance_uid)
);

-- Withdrawals of studies from the hub's registry, sent by the publisher like publications (no reference to
-- study: the row outlives the study it withdraws).
create table publication_withdrawal (
    study_instance_uid  varchar(64)   primary key,
    enqueued_at         timestamptz   not null,
    attempts            integer       not null default 0,
    next_attempt_at     timestamptz,
    sent_at             timestamptz,
    last_status         integer,
    last_error          varchar(1000),
    last_attempt_at     timestamptz
);
create index publication_withdrawal_unsent_idx on publication_withdrawal (next_attempt_at) where sent_at is null;
