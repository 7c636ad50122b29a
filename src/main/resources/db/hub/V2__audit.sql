-- Who accessed what: one row per FHIR read/search, study publish and identity change, denials included.
-- Append-only (the trigger below refuses UPDATE and DELETE) and hash-chained: each row stores
-- sha256(prev_hash || canonical row), so an edit made past the trigger (e.g. by a superuser) is detectable.
-- Columns follow what a BALP AuditEvent needs (agent, source, entity, purpose, outcome) so it can be
-- rendered as one later.
create table audit_record (
    seq             bigint       primary key,
    recorded_at     timestamptz  not null,
    action          varchar(32)  not null,
    resource_type   varchar(32),
    outcome         varchar(16)  not null,
    error_code      varchar(64),
    subject         varchar(128),
    username        varchar(128),
    client_id       varchar(128),
    organization    varchar(128),
    roles           varchar(255),
    site            varchar(64),
    purpose         varchar(64)  not null,
    patient_ids     text,
    patient_identifiers text,
    regional_ids    text,
    study_uids      text,
    query           text,
    detail          text,
    client_address  varchar(64),
    prev_hash       varchar(64)  not null,
    hash            varchar(64)  not null,
    constraint audit_record_hash_uq unique (hash)
);
create index audit_record_time_idx on audit_record (recorded_at);
create index audit_record_username_idx on audit_record (username, recorded_at);

create function audit_record_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_record is append-only';
end;
$$;
create trigger audit_record_no_update before update or delete on audit_record
    for each row execute function audit_record_append_only();
create trigger audit_record_no_truncate before truncate on audit_record
    for each statement execute function audit_record_append_only();
