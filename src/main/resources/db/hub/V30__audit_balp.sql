-- What a BALP AuditEvent needs beyond V2: the HTTP status the caller was answered (one outcome, the same in
-- the answer and the record), the request id (X-Request-Id, also sent to the node), and the OAuth token by
-- BALP's "Minimal" pattern (jti and iss; sub and client_id are already there).
-- chain_version says which columns a row's hash covers: 1 for rows written before this migration (their
-- hashes stay valid), 2 for rows that hash the new columns too. Rewriting a 2 into a 1 changes the hash.
alter table audit_record add column chain_version smallint not null default 1;
alter table audit_record add column status smallint;
alter table audit_record add column request_id varchar(64);
alter table audit_record add column token_id varchar(128);
alter table audit_record add column token_issuer varchar(255);
create index audit_record_request_idx on audit_record (request_id);
