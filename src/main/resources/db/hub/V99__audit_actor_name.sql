-- The actor's name as their token carried it when they acted (the OIDC "name" claim, e.g. "Ana Costa"), so that
-- the patient portal's access log and reviewers see a person, not a username. Recorded at write time: a name
-- looked up later could show someone else once an account is renamed, and the record must say who it was then.
-- Null for rows written before this migration, for service accounts and nodes (their username or client stays the
-- fallback). chain_version 4 rows hash it too; version 1 to 3 rows keep the form they were hashed with.
alter table audit_record add column actor_name varchar(255);

-- The same for the two reviews the authority's pages show by person: the clinician who opened an emergency
-- (break-glass) grant, and who decided an identity review pair. Null for older rows (pages show the username).
alter table emergency_grant add column clinician_name varchar(255);
alter table identity_match_candidate add column reviewed_by_name varchar(255);
