-- The node's index of what it holds: the attributes QIDO-RS and the ImagingStudy publisher need, and each
-- instance's DICOM JSON metadata (bulk data left out) so /metadata never re-reads the objects.
create table study (
    study_instance_uid       varchar(64)  primary key,
    patient_id               varchar(64),
    issuer_of_patient_id     varchar(64),
    patient_name             varchar(324),
    patient_birth_date       varchar(8),
    patient_sex              varchar(16),
    study_date               varchar(8),
    study_time               varchar(16),
    accession_number         varchar(16),
    study_id                 varchar(16),
    study_description        varchar(64),
    referring_physician_name varchar(324),
    created_at               timestamptz  not null,
    -- last time an instance of this study arrived: the publisher waits for the study to be quiet.
    last_received_at         timestamptz  not null
);
create index study_patient_idx on study (patient_id, issuer_of_patient_id);
create index study_date_idx on study (study_date);
create index study_accession_idx on study (accession_number);

create table series (
    series_instance_uid  varchar(64)  primary key,
    study_instance_uid   varchar(64)  not null references study (study_instance_uid),
    modality             varchar(16),
    series_number        integer,
    series_description   varchar(64),
    created_at           timestamptz  not null
);
create index series_study_idx on series (study_instance_uid);

create table instance (
    sop_instance_uid     varchar(64)  primary key,
    series_instance_uid  varchar(64)  not null references series (series_instance_uid),
    study_instance_uid   varchar(64)  not null references study (study_instance_uid),
    sop_class_uid        varchar(64)  not null,
    transfer_syntax_uid  varchar(64)  not null,
    instance_number      integer,
    number_of_frames     integer,
    rows_                integer,
    columns_             integer,
    bits_allocated       integer,
    size_bytes           bigint       not null,
    sha256               char(64)     not null,
    -- relative path in the local cache; null once evicted (the object is then read from Blob).
    cache_path           varchar(512),
    blob_name            varchar(512) not null,
    -- PENDING until the Blob upload is confirmed; only UPLOADED instances may be evicted from the cache.
    blob_state           varchar(16)  not null default 'PENDING',
    blob_attempts        integer      not null default 0,
    blob_next_attempt_at timestamptz,
    metadata             jsonb        not null,
    source_protocol      varchar(16)  not null,
    source_caller        varchar(128),
    received_at          timestamptz  not null,
    last_accessed_at     timestamptz
);
create index instance_series_idx on instance (series_instance_uid);
create index instance_study_idx on instance (study_instance_uid);
create index instance_blob_pending_idx on instance (blob_next_attempt_at) where blob_state = 'PENDING';
