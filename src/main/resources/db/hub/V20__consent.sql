-- Consent (hub/consent): the patient's sharing choices, the emergency (break-glass) grants, and the epoch that
-- tells every hub instance when its cached decisions are stale.

-- One row per FHIR Consent (IHE PCF Basic). The FHIR JSON is stored as served; the columns beside it are what the
-- decision reads. A consent names a person: by regional id when the named Patient is linked (or the regional id
-- itself was named), and/or by the hub Patient it named (a local patient, linked or not), so that a consent
-- recorded for a local identifier follows that patient into a person when it is linked later.
create table consent (
    id              varchar(64)  primary key,
    regional_id     varchar(64),
    patient_id      varchar(64)  references patient (id),
    status          varchar(24)  not null check (status in ('active', 'inactive', 'entered-in-error')),
    -- Consent.dateTime: when the patient consented. The newest applicable consent wins.
    consented_at    timestamptz  not null,
    -- The provisions flattened for the decision (JSON: base rule and its exceptions; see ConsentRule).
    rules           text         not null,
    -- 'patient' (the patient's own token) or 'paper' (an admin recorded a signed form on their behalf).
    source          varchar(16)  not null check (source in ('patient', 'paper')),
    recorded_by     varchar(128) not null,
    recorded_at     timestamptz  not null,
    version_id      integer      not null,
    last_updated    timestamptz  not null,
    resource_json   text         not null,
    constraint consent_person_ck check (regional_id is not null or patient_id is not null)
);
create index consent_regional_idx on consent (regional_id, consented_at desc) where regional_id is not null;
create index consent_patient_idx on consent (patient_id, consented_at desc) where patient_id is not null;
create index consent_consented_idx on consent (consented_at desc);

-- A clinician's emergency access to one person's studies, for a bounded time, with a stated reason.
create table emergency_grant (
    id                  varchar(64)  primary key,
    username            varchar(128) not null,
    subject             varchar(128),
    organization        varchar(128),
    regional_id         varchar(64),
    patient_id          varchar(64)  references patient (id),
    -- The identifier the clinician gave (system|value or Patient/<id>), as given.
    patient_reference   varchar(400) not null,
    reason              text         not null,
    starts_at           timestamptz  not null,
    ends_at             timestamptz  not null,
    ended_at            timestamptz,
    ended_by            varchar(128),
    constraint emergency_grant_person_ck check (regional_id is not null or patient_id is not null),
    constraint emergency_grant_period_ck check (ends_at > starts_at)
);
create index emergency_grant_regional_idx on emergency_grant (regional_id, ends_at) where regional_id is not null;
create index emergency_grant_patient_idx on emergency_grant (patient_id, ends_at) where patient_id is not null;
create index emergency_grant_username_idx on emergency_grant (username, starts_at desc);

-- Decisions are cached per hub instance. Every change that can alter one (a consent, a grant, an identity link)
-- bumps this one row in the writer's transaction; each request reads it (a primary-key read) and drops its
-- cache when it moved. The bump is transactional, so a reader never sees the new epoch before the change.
-- identity_link belongs to hub/identity: the trigger on it is here because only consent caches persons.
create table consent_epoch (
    id     smallint primary key check (id = 1),
    epoch  bigint   not null
);
insert into consent_epoch (id, epoch) values (1, 1);

create function consent_epoch_bump() returns trigger language plpgsql as $$
begin
    update consent_epoch set epoch = epoch + 1 where id = 1;
    return null;
end;
$$;
create trigger consent_epoch_consent after insert or update or delete on consent
    for each statement execute function consent_epoch_bump();
create trigger consent_epoch_grant after insert or update or delete on emergency_grant
    for each statement execute function consent_epoch_bump();
create trigger consent_epoch_identity after insert or update or delete on identity_link
    for each statement execute function consent_epoch_bump();
