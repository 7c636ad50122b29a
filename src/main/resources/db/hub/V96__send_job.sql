-- "Send to my PACS" (hub/send): a clinician's send of one study to their organisation's configured PACS, run in
-- the background; the row is the progress the page polls. The audit trail holds the export itself.
create table send_job (
    id            varchar(36)  primary key,
    organization  varchar(128) not null,
    subject       varchar(128) not null,
    username      varchar(128),
    study_uid     varchar(64)  not null,
    destination   varchar(256) not null,
    state         varchar(16)  not null check (state in ('queued', 'running', 'completed', 'failed')),
    total         integer      not null,
    completed     integer      not null default 0,
    failed        integer      not null default 0,
    reason        text,
    created_at    timestamptz  not null,
    finished_at   timestamptz
);
create index send_job_subject on send_job (subject, created_at desc);
