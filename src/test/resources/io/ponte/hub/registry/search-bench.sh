#!/usr/bin/env bash
# Registry search at 100,000 studies (BENCH_STUDIES): seeds a scratch database with the hub migrations and synthetic
# rows, then times with pgbench, printing p50/p95/p99 per shape, the SQL of
#   fhir.*  ImagingStudyQuery/ImagingStudyReader's FHIR search (page of 20 + 1, then the capped count);
#   qido.*  StudyMatchSql.sql()'s QIDO-RS page (limit 101, unrestricted scope: no consent condition), the page's rows
#           joined to their patients and their other names (patient_name_variant: one lateral probe per row);
#   qido.*.subselects  with BENCH_BEFORE=1, the same page with the two correlated subselects the probe replaced
#           (timed right after the same shape with the probe).
# The shapes' conditions are ImagingStudyQuery's (PatientID with its system); StudyMatchSql's are alike.
# JMH is not in the offline Maven repository, hence pgbench.
# Usage: src/test/resources/io/ponte/hub/registry/search-bench.sh   (PostgreSQL on 127.0.0.1:5432, user postgres)
#   BENCH_STUDIES=1000000 for a million studies (patients and links scale with it; seeded in ~2 min here);
#   BENCH_KEEP=1 keeps the database afterwards and reuses it if seeded at the same scale;
#   BENCH_ONLY=qido times only the files whose name starts so; SECONDS_PER_SCENARIO (default 10);
#   PONTE_TEST_DB_SUFFIX names the scratch database.
set -euo pipefail
shopt -s nullglob
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../../../../.." && pwd)"
DB=ponte_hub_bench${PONTE_TEST_DB_SUFFIX:-}
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
STUDIES=${BENCH_STUDIES:-100000}
PATIENTS=$((STUDIES * 3 / 10))
LINKED=$((PATIENTS / 10))
seeded() { $PSQL -d "$DB" -Atc "select count(*) = $STUDIES from imaging_study" 2>/dev/null | grep -qx t; }
if [ -n "${BENCH_KEEP:-}" ] && seeded; then
  echo "reusing $DB ($STUDIES studies)"
else
  $PSQL -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
  # As Flyway migrates (src/bench/sql/patient-name-plans.sh does the same): in version order (V100 after V99, not
  # after V1), its appRole placeholder replaced, its history table present (V31 revokes rights on it).
  $PSQL -d "$DB" -c "create table flyway_schema_history (installed_rank integer primary key)"
  for f in $(ls "$ROOT"/src/main/resources/db/hub/V*.sql | sort -V); do
    sed "s/\${appRole}/${PONTE_HUB_DB_APP_USER:-ponte_app}/g" "$f" | $PSQL -d "$DB" -f -
  done
  $PSQL -d "$DB" -v studies="$STUDIES" -v patients="$PATIENTS" -v linked="$LINKED" <<'SQL'
-- 100,000 studies, 30,000 local patients over 3 sites, 10% of patients linked in pairs across sites (at the default
-- scale); 10% of patients with an ideographic and a phonetic name (patient_name_variant, V103/V104).
-- Triggers (and foreign-key checks) off while bulk loading: the name-word triggers (V98, V103) run per row with
-- plans cached on the empty tables, quadratic at 300,000 patients; patient_name_word is filled once at the end.
set session_replication_role = replica;
insert into patient (id, site_id, identifier_system, identifier_value, family_name, given_names, version_id, last_updated, name_search)
select 'p' || g, s, 'urn:ponte:site:' || s || ':mrn', 'MRN' || g, 'Family' || (g % 5000), 'Given', 1, now(), 'family' || (g % 5000) || '^given'
from generate_series(1, :patients) g, lateral (select (array['hospital-a','hospital-b','clinic-norte'])[1 + g % 3] as s) x;
insert into patient_name_variant (patient_id, representation, name_search, family_name, given_names)
select 'p' || g, r, lower(f) || '^' || lower(gv), f, gv
from generate_series(10, :patients, 10) g,
     lateral (values ('IDE', '山田' || (g % 5000), '太郎'), ('SYL', 'やまだ' || (g % 5000), 'たろう')) v (r, f, gv);
insert into regional_person select 'REG' || g, now(), now() from generate_series(1, :linked / 2) g;
insert into identity_link (patient_id, regional_id, method, linked_at, linked_by)
select 'p' || g, 'REG' || ((g + 1) / 2), 'deterministic', now(), 'bench' from generate_series(1, :linked) g;
-- With the page's columns since V98, as the publisher writes them (modalities sorted, '\'-separated).
insert into imaging_study (id, study_instance_uid, site_id, patient_id, started, version_id, last_updated, content_sha256, resource_json,
                           description, number_of_series, number_of_instances, accession_number, modalities_in_study)
select 's' || g, '2.25.' || (1000000000 + g), p.site_id, p.id,
       timestamptz '2015-01-01' + (g::bigint * 7919 % 3650) * interval '1 day' + (g % 86400) * interval '1 second',
       1, timestamptz '2024-01-01' + (g % 700) * interval '1 hour', md5(g::text) || md5(g::text),
       '{"resourceType":"ImagingStudy","id":"s' || g || '","description":"' || repeat('x', 1500) || '"}',
       'Study ' || g, 2, 40, 'ACC' || g,
       case when g % 4 = 1 then array_to_string(array(select unnest(array[m, 'SR']) order by 1), '\') else m end
from generate_series(1, :studies) g join patient p on p.id = 'p' || (1 + g % :patients),
     lateral (select (array['CT','MR','CR','US','DX'])[1 + g % 5] as m) x;
insert into imaging_study_modality select 's' || g, (array['CT','MR','CR','US','DX'])[1 + g % 5] from generate_series(1, :studies) g;
insert into imaging_study_modality select 's' || g, 'SR' from generate_series(1, :studies, 4) g;
insert into patient_name_word (word, patient_id)
select distinct w, p.id
from patient p,
     lateral (select p.name_search as n union all select v.name_search from patient_name_variant v where v.patient_id = p.id) names,
     regexp_split_to_table(lower(names.n), '[ ^=,]+') as w
where w <> '';
set session_replication_role = origin;
vacuum analyze;
SQL
fi
SYS="'urn:ponte:site:' || (array['hospital-a','hospital-b','clinic-norte'])[1 + :n % 3] || ':mrn'"
PERSON="select p.id from patient p where ((p.identifier_system = $SYS and p.identifier_value = 'MRN' || :n)) union select l2.patient_id from patient p join identity_link l1 on l1.patient_id = p.id join identity_link l2 on l2.regional_id = l1.regional_id where ((p.identifier_system = $SYS and p.identifier_value = 'MRN' || :n))"
PAGE="select s.id, s.study_instance_uid, s.patient_id, s.resource_json from imaging_study s where true"
ORDER="order by s.started desc nulls last, s.id limit 21 offset 0"
# StudyMatchSql.sql(), its withheld column false (an unrestricted scope), limit 101 (OHIF's study list); its other
# names by one lateral probe per row, or by the two subselects it replaced (qido.*.subselects).
other() { echo "(select array[v.family_name, v.given_names] from patient_name_variant v where v.patient_id = p.id and v.representation = '$1' order by v.name_search limit 1)"; }
SUBSELECTS="$(other IDE), $(other SYL)"
LATERAL="o.ide[2:3], o.syl[2:3]"
LATERAL_JOIN="left join lateral (select min(array[v.name_search, v.family_name, v.given_names]) filter (where v.representation = 'IDE') ide, min(array[v.name_search, v.family_name, v.given_names]) filter (where v.representation = 'SYL') syl from patient_name_variant v where v.patient_id = p.id) o on true"
qido_page() { # other names' columns, their join, where-suffix
  echo "select false, s.study_instance_uid, s.site_id, s.started, s.description, p.identifier_system, p.identifier_value, p.family_name, p.given_names, p.birth_date, p.gender, s.patient_id, s.modalities_in_study, s.number_of_series, s.number_of_instances, s.accession_number, $1 from (select s.id, s.study_instance_uid, s.site_id, s.started, s.description, s.patient_id, s.modalities_in_study, s.number_of_series, s.number_of_instances, s.accession_number from imaging_study s where true $3 order by s.started desc nulls last, s.id limit 101 offset 0) s join patient p on p.id = s.patient_id $2 order by s.started desc nulls last, s.id"
}
scenario() { # name, \set lines, where-suffix
  printf '%b\n%s %s %s;\nselect count(*) from (select 1 from imaging_study s where true %s limit 1001) c;\n' \
    "$2" "$PAGE" "$3" "$ORDER" "$3" > "$WORK/fhir.$1.sql"
  printf '%b\n%s;\n' "$2" "$(qido_page "$LATERAL" "$LATERAL_JOIN" "$3")" > "$WORK/qido.$1.sql"
  if [ -n "${BENCH_BEFORE:-}" ]; then
    printf '%b\n%s;\n' "$2" "$(qido_page "$SUBSELECTS" "" "$3")" > "$WORK/qido.$1.subselects.sql"
  fi
}
scenario patient.identifier "\\\\set n random(1, $PATIENTS)" "and s.patient_id in ($PERSON)"
scenario identifier "\\\\set n random(1, $STUDIES)" "and s.study_instance_uid in ('2.25.' || (1000000000 + :n))"
scenario patient+started+modality "\\\\set n random(1, $PATIENTS)" "and s.patient_id in ($PERSON) and s.started >= timestamptz '2016-01-01' and s.started < timestamptz '2024-01-01' and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT','MR','SR'))"
scenario started-30-days '\\set d random(0, 3500)' "and (s.started >= timestamptz '2015-01-01' + :d * interval '1 day' and s.started < timestamptz '2015-01-01' + (:d + 30) * interval '1 day')"
scenario modality+started-7-days '\\set d random(0, 3500)' "and s.started >= timestamptz '2015-01-01' + :d * interval '1 day' and s.started < timestamptz '2015-01-01' + (:d + 7) * interval '1 day' and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT'))"
scenario modality-only '' "and exists (select 1 from imaging_study_modality m where m.study_id = s.id and m.code in ('CT'))"
cd "$WORK"
for f in "${BENCH_ONLY:-}"*.sql; do
  rm -f pgbench_log.*
  pgbench -h 127.0.0.1 -U postgres -n -c 1 -T "${SECONDS_PER_SCENARIO:-10}" -l -f "$f" "$DB" > out.txt
  cat pgbench_log.* | awk '{print $3}' | sort -n | awk -v q="${f%.sql}" '{a[NR]=$1} END {
    printf "%-42s n=%-6d p50=%7.2f ms  p95=%7.2f ms  p99=%7.2f ms\n", q, NR, a[int(NR*0.5)]/1000, a[int(NR*0.95)]/1000, a[int(NR*0.99)]/1000}'
done
[ -n "${BENCH_KEEP:-}" ] || $PSQL -d postgres -c "drop database $DB"
