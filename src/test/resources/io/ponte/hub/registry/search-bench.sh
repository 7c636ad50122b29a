#!/usr/bin/env bash
# Registry search at 100,000 studies: seeds a scratch database with the hub migrations and synthetic rows, then
# times the SQL that ImagingStudyQuery/ImagingStudyReader issue per search (page of 20 + 1, then the capped count)
# with pgbench, printing p50/p95/p99. JMH is not in the offline Maven repository, hence pgbench.
# Usage: src/test/resources/io/ponte/hub/registry/search-bench.sh   (PostgreSQL on 127.0.0.1:5432, user postgres)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../../../../.." && pwd)"
DB=ponte_hub_bench${PONTE_TEST_DB_SUFFIX:-}
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
$PSQL -d postgres -c "drop database if exists $DB" -c "create database $DB"
for f in "$ROOT"/src/main/resources/db/hub/V*.sql; do $PSQL -d "$DB" -f "$f"; done
$PSQL -d "$DB" <<'SQL'
-- 100,000 studies, 30,000 local patients over 3 sites, 10% of patients linked in pairs across sites.
insert into patient (id, site_id, identifier_system, identifier_value, family_name, given_names, version_id, last_updated, name_search)
select 'p' || g, s, 'urn:ponte:site:' || s || ':mrn', 'MRN' || g, 'Family' || (g % 5000), 'Given', 1, now(), 'family' || (g % 5000) || '^given'
from generate_series(1, 30000) g, lateral (select (array['hospital-a','hospital-b','clinic-norte'])[1 + g % 3] as s) x;
insert into regional_person select 'REG' || g, now(), now() from generate_series(1, 1500) g;
insert into identity_link (patient_id, regional_id, method, linked_at, linked_by)
select 'p' || g, 'REG' || ((g + 1) / 2), 'deterministic', now(), 'bench' from generate_series(1, 3000) g;
insert into imaging_study (id, study_instance_uid, site_id, patient_id, started, version_id, last_updated, content_sha256, resource_json)
select 's' || g, '2.25.' || (1000000000 + g), p.site_id, p.id,
       timestamptz '2015-01-01' + (g * 7919 % 3650) * interval '1 day' + (g % 86400) * interval '1 second',
       1, timestamptz '2024-01-01' + (g % 700) * interval '1 hour', md5(g::text) || md5(g::text),
       '{"resourceType":"ImagingStudy","id":"s' || g || '","description":"' || repeat('x', 1500) || '"}'
from generate_series(1, 100000) g join patient p on p.id = 'p' || (1 + g % 30000);
insert into imaging_study_modality select 's' || g, (array['CT','MR','CR','US','DX'])[1 + g % 5] from generate_series(1, 100000) g;
insert into imaging_study_modality select 's' || g, 'SR' from generate_series(1, 100000, 4) g;
analyze;
SQL
SYS="'urn:ponte:site:' || (array['hospital-a','hospital-b','clinic-norte'])[1 + :n % 3] || ':mrn'"
PERSON="select p.id from patient p where ((p.identifier_system = $SYS and p.identifier_value = 'MRN' || :n)) union select l2.patient_id from patient p join identity_link l1 on l1.patient_id = p.id join identity_link l2 on l2.regional_id = l1.regional_id where ((p.identifier_system = $SYS and p.identifier_value = 'MRN' || :n))"
PAGE="select s.id, s.study_instance_uid, s.patient_id, s.resource_json from imaging_study s where true"
ORDER="order by s.started desc nulls last, s.id limit 21 offset 0"
scenario() { # name, \set lines, where-suffix
  printf '%b\n%s %s %s;\nselect count(*) from (select 1 from imaging_study s where true %s limit 1001) c;\n' \
    "$2" "$PAGE" "$3" "$ORDER" "$3" > "$WORK/$1.sql"
}
scenario patient.identifier '\\set n random(1, 30000)' "and s.patient_id in ($PERSON)"
scenario identifier '\\set n random(1, 100000)' "and s.study_instance_uid in ('2.25.' || (1000000000 + :n))"
scenario patient+started+modality '\\set n random(1, 30000)' "and s.patient_id in ($PERSON) and s.started >= timestamptz '2016-01-01' and s.started < timestamptz '2024-01-01' and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT','MR','SR'))"
scenario started-30-days '\\set d random(0, 3500)' "and (s.started >= timestamptz '2015-01-01' + :d * interval '1 day' and s.started < timestamptz '2015-01-01' + (:d + 30) * interval '1 day')"
scenario modality+started-7-days '\\set d random(0, 3500)' "and s.started >= timestamptz '2015-01-01' + :d * interval '1 day' and s.started < timestamptz '2015-01-01' + (:d + 7) * interval '1 day' and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT'))"
scenario modality-only '' "and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT'))"
cd "$WORK"
for f in *.sql; do
  rm -f pgbench_log.*
  pgbench -h 127.0.0.1 -U postgres -n -c 1 -T "${SECONDS_PER_SCENARIO:-10}" -l -f "$f" "$DB" > out.txt
  cat pgbench_log.* | awk '{print $3}' | sort -n | awk -v q="${f%.sql}" '{a[NR]=$1} END {
    printf "%-26s n=%-6d p50=%7.2f ms  p95=%7.2f ms  p99=%7.2f ms\n", q, NR, a[int(NR*0.5)]/1000, a[int(NR*0.95)]/1000, a[int(NR*0.99)]/1000}'
done
$PSQL -d postgres -c "drop database $DB"
