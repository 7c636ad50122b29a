-- The patient's access log, a patient's own AuditEvent search and the authority's AuditEvent search by patient or
-- study read audit rows by one item of a comma-joined list column (patient_ids, regional_ids, study_uids). As a
-- string search that was a scan of the whole table, which grows by a row per access, for every page a patient
-- opens. These indexes hold each list's items; the queries ask string_to_array(column, ',') @> array[id]
-- (AuditEventQuery.listContains), the same expression, so PostgreSQL can use them.
-- On a large audit table the build takes a while and holds off audit writes meanwhile; "if not exists" lets an
-- operator build them beforehand with "create index concurrently" (docs/operations.md, Upgrading).
create index if not exists audit_record_patient_ids_idx on audit_record using gin (string_to_array(patient_ids, ','));
create index if not exists audit_record_regional_ids_idx on audit_record using gin (string_to_array(regional_ids, ','));
create index if not exists audit_record_study_uids_idx on audit_record using gin (string_to_array(study_uids, ','));
