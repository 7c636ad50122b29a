-- What this node served and received (issue 10): one row per DIMSE association and study, per STOW-RS request
-- and study, per WADO-RS/QIDO-RS request of the hub; never one per instance. Rows are written by one writer
-- thread in batches (NodeAuditLog) and never changed; node_audit_outbox holds those not yet accepted by the
-- hub, which appends them to its own audit chain with this node as their source.
create table node_audit_record (
    record_id     uuid          primary key,
    occurred_at   timestamptz   not null,
    -- ingest (DIMSE, STOW-RS), retrieve (WADO-RS) or query (QIDO-RS)
    event         varchar(16)   not null,
    protocol      varchar(16)   not null,
    -- success, denied, invalid or error: the hub's vocabulary
    outcome       varchar(16)   not null,
    -- HTTP status of the answer (DIMSE: null; its failure status is in error_code)
    status        integer,
    error_code    varchar(64),
    peer_ae       varchar(16),
    peer_address  varchar(64),
    subject       varchar(128),
    client_id     varchar(128),
    caller_site   varchar(64),
    -- the hub's X-Request-Id on a retrieve, the caller's (or a fresh) one on STOW-RS
    request_id    varchar(64),
    study_uid     varchar(64),
    -- PatientID at this site, from the index when the study is known
    patient_id    varchar(64),
    instances     integer,
    failed        integer,
    detail        varchar(1000)
);
create index node_audit_record_time_idx on node_audit_record (occurred_at);

create table node_audit_outbox (
    record_id        uuid          primary key references node_audit_record (record_id),
    attempts         integer       not null default 0,
    next_attempt_at  timestamptz   not null,
    last_status      integer,
    last_error       varchar(1000),
    last_attempt_at  timestamptz
);
create index node_audit_outbox_due_idx on node_audit_outbox (next_attempt_at);
