-- hub/consent: the hub Patients a search leaves out (or, under opt-in, shows) for one requesting organisation, as a
-- set the search's SQL probes by index instead of a list bound into every statement. A set is named by the
-- SHA-256 of its sorted members, so every hub replica that decides the same exceptions writes and reads the same
-- rows, and a set never changes once written; a consent change yields a new set. Sets unused for a day are
-- deleted (SearchExceptionSets), long after any replica last used them (re-announced hourly while in use).
create table consent_exception_set (
    set_key    varchar(64) primary key,
    members    integer     not null,
    used_at    timestamptz not null default now()
);
create index consent_exception_set_used_idx on consent_exception_set (used_at);

create table consent_exception (
    set_key    varchar(64) not null references consent_exception_set (set_key) on delete cascade,
    patient_id varchar(64) not null,
    primary key (set_key, patient_id)
);
