-- The hub's registry: which study lives where, for which local patient. The FHIR JSON is stored as served;
-- the columns beside it exist only to search it (QIDO-RS at the hub is answered from here too, so every
-- search column is indexed and a search is one query).

-- One row per local patient identifier (system + value) seen at the hub. Linking the same person across
-- sites is identity's job (V3); demographics come from the latest study that named the patient.
create table patient (
    id                 varchar(64)  primary key,
    site_id            varchar(64)  not null,
    identifier_system  varchar(255) not null,
    identifier_value   varchar(128) not null,
    family_name        varchar(200),
    given_names        varchar(200),
    birth_date         date,
    gender             varchar(16),
    version_id         integer      not null,
    last_updated       timestamptz  not null,
    constraint patient_identifier_uq unique (identifier_system, identifier_value)
);
create index patient_identifier_value_idx on patient (identifier_value);

create table imaging_study (
    id                  varchar(64)  primary key,
    -- DICOM Study Instance UID (identifier urn:dicom:uid); one site owns it.
    study_instance_uid  varchar(64)  not null,
    site_id             varchar(64)  not null,
    patient_id          varchar(64)  not null references patient (id),
    started             timestamptz,
    version_id          integer      not null,
    last_updated        timestamptz  not null,
    -- SHA-256 of the normalised content without meta: an identical re-publish changes nothing.
    content_sha256      varchar(64)  not null,
    resource_json       text         not null,
    constraint imaging_study_uid_uq unique (study_instance_uid)
);
-- A patient's studies, newest first (the common clinician and QIDO query).
create index imaging_study_patient_started_idx on imaging_study (patient_id, started desc nulls last, id);
-- Date-range searches without a patient, and the default order.
create index imaging_study_started_idx on imaging_study (started desc nulls last, id);
create index imaging_study_last_updated_idx on imaging_study (last_updated);

-- Modalities in the study (ImagingStudy.modality and series.modality), DICOM DCM codes.
create table imaging_study_modality (
    study_id  varchar(64) not null references imaging_study (id) on delete cascade,
    code      varchar(16) not null,
    primary key (study_id, code)
);
create index imaging_study_modality_code_idx on imaging_study_modality (code, study_id);
