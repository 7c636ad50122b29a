-- Scored identity matching (hub/identity): the review list gets the scorer's reasons, and every link and unlink
-- is kept in an append-only history, so an unlink can be seen and undone (linked again) rather than lost.

-- Why the matcher proposed the pair ("name 0.95 (goncalves, maria) unmatched: silva; birth date exact; sex same").
alter table identity_match_candidate add column reasons varchar(1000);
alter table identity_match_candidate add column reviewed_note varchar(500);
create index identity_match_candidate_b_idx on identity_match_candidate (patient_b);

create table identity_link_history (
    id           bigserial    primary key,
    patient_id   varchar(64)  not null references patient (id),
    regional_id  varchar(64)  not null,
    action       varchar(8)   not null check (action in ('link', 'unlink')),
    -- deterministic: stated (admin, or a shared regional identifier); manual: a reviewer; scored: the matcher.
    method       varchar(16)  not null,
    score        numeric(5, 4),
    at           timestamptz  not null,
    by_user      varchar(128) not null,
    reason       varchar(1000)
);
create index identity_link_history_regional_idx on identity_link_history (regional_id, id);
create index identity_link_history_patient_idx on identity_link_history (patient_id, id);
revoke update, delete, truncate on identity_link_history from "${appRole}";

-- Regional ids the matcher gives the persons it creates: REG-M<n>, apart from the ids a region assigns.
create sequence regional_person_auto_seq;
