-- The authority's review of emergency (break-glass) accesses (hub/oversight): one row per reviewed grant.
-- A grant without a row awaits review. The review itself is also an audit record.
create table emergency_review (
    grant_id     varchar(64)  primary key references emergency_grant (id),
    reviewed_by  varchar(128) not null,
    reviewed_at  timestamptz  not null,
    comment      text         not null
);
