-- Identity cross-reference: local patients (registry.patient) that are the same person share a regional id.
-- This slice links deterministically (an admin states which identifiers belong together); the scored
-- demographic matching and the authority's review come later and use identity_match_candidate.
create table regional_person (
    regional_id  varchar(64)  primary key,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null
);

-- A local patient belongs to at most one regional person.
create table identity_link (
    patient_id   varchar(64)  primary key references patient (id),
    regional_id  varchar(64)  not null references regional_person (regional_id),
    -- deterministic: stated identifiers; manual: authority decision; scored: accepted candidate.
    method       varchar(16)  not null check (method in ('deterministic', 'manual', 'scored')),
    score        numeric(5, 4),
    linked_at    timestamptz  not null,
    linked_by    varchar(128) not null
);
create index identity_link_regional_idx on identity_link (regional_id);

-- Pairs the scored matcher proposes for review (not used by this slice).
create table identity_match_candidate (
    id            bigserial    primary key,
    patient_a     varchar(64)  not null references patient (id),
    patient_b     varchar(64)  not null references patient (id),
    score         numeric(5, 4) not null,
    status        varchar(16)  not null check (status in ('open', 'accepted', 'rejected')),
    created_at    timestamptz  not null,
    reviewed_by   varchar(128),
    reviewed_at   timestamptz,
    constraint identity_match_candidate_pair_uq unique (patient_a, patient_b),
    constraint identity_match_candidate_order_ck check (patient_a < patient_b)
);
create index identity_match_candidate_open_idx on identity_match_candidate (status) where status = 'open';
