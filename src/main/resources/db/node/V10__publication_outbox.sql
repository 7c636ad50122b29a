-- The publisher's outbox: one row per study, holding the ImagingStudy last built for it from the index.
-- A row is (re)built in the same transaction that reads the index, and sent later by the sender, so a hub
-- outage delays publication but loses nothing; the hub's conditional PUT makes a re-send harmless.
create table publication_outbox (
    study_instance_uid    varchar(64)   primary key references study (study_instance_uid) on delete cascade,
    -- FHIR JSON of the ImagingStudy, kept as text so the bytes sent are the bytes hashed. Null when the
    -- study cannot be published as indexed (e.g. no PatientID): last_error says why; a later instance rebuilds.
    payload               text,
    content_sha256        char(64),
    -- study.last_received_at the payload was built from: a newer one means later instances arrived.
    built_for_received_at timestamptz   not null,
    -- bumped on every rebuild; the sender marks a row sent only if it is still the generation it sent.
    generation            bigint        not null default 1,
    enqueued_at           timestamptz   not null,
    attempts              integer       not null default 0,
    next_attempt_at       timestamptz,
    sent_at               timestamptz,
    -- hash of the payload the hub last accepted: a rebuild with the same content needs no new send.
    sent_sha256           char(64),
    last_status           integer,
    last_error            varchar(1000),
    last_attempt_at       timestamptz
);
-- The sender's and the backlog gauge's only access path: unsent rows are few, sent ones are all studies.
create index publication_outbox_unsent_idx on publication_outbox (next_attempt_at) where sent_at is null;
-- The enqueuer looks for studies gone quiet since they were last built.
create index study_last_received_idx on study (last_received_at);
