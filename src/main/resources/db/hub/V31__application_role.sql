-- Two database roles (issue 13): Flyway migrates as the owner (PONTE_DB_USER); the running hub connects as
-- ${appRole} (PONTE_HUB_DB_APP_USER, default ponte_app), which may read and write the registry but may only
-- INSERT and SELECT audit rows. So a compromised application cannot rewrite the audit chain: UPDATE, DELETE
-- and TRUNCATE of audit_record are refused by grants, before the append-only trigger is even reached.
-- The role is created here when missing (LOGIN, no password: with password authentication an operator sets
-- one, see docs/operations.md); ponte.sh and the tests create it up front. Several migrations may race to
-- create it on one cluster, hence the exception handler.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = '${appRole}') then
        create role "${appRole}" login;
    end if;
exception when duplicate_object or unique_violation then null;
end
$$;

grant usage on schema public to "${appRole}";
grant select, insert, update, delete on all tables in schema public to "${appRole}";
grant usage, select on all sequences in schema public to "${appRole}";
-- Tables and sequences later migrations create (as the same owner) get the same grants by default. A new
-- append-only table must revoke UPDATE and DELETE itself, as below.
alter default privileges in schema public grant select, insert, update, delete on tables to "${appRole}";
alter default privileges in schema public grant usage, select on sequences to "${appRole}";

revoke update, delete, truncate on audit_record from "${appRole}";
revoke insert, update, delete, truncate on flyway_schema_history from "${appRole}";
