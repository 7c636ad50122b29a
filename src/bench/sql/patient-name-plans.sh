#!/usr/bin/env bash
# FHIR Patient?name= at 300,000 patients: EXPLAIN (ANALYZE, BUFFERS) of the hub's count statement,
# generic plan, by each shape it has used (docs/performance.md, "FHIR Patient?name=").
#
# Creates a scratch database of its own (ponte_hub_namebench), applies the hub's Flyway migrations
# (src/main/resources/db/hub) in version order with psql, loads patient-name-plans.sql's synthetic
# patients, prints one line per value and shape, and drops the database again (also on failure).
# The full plans stay in target/bench/patient-name-plans.txt.
#
#   src/bench/sql/patient-name-plans.sh
#
# PostgreSQL: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), with rights to create a database.
set -euo pipefail

cd "$(dirname "$0")/../../.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
DB="${PONTE_NAMEBENCH_DB:-ponte_hub_namebench}"
APP_ROLE="${PONTE_HUB_DB_APP_USER:-ponte_app}"
OUT=target/bench
PLANS="$OUT/patient-name-plans.txt"
mkdir -p "$OUT"

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
drop() { psql_admin -c "drop database if exists $DB with (force)" >/dev/null; }
trap drop EXIT

drop
psql_admin -c "create database $DB"

# Flyway's own bookkeeping table first: V31 revokes the application role's rights on it.
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "create table flyway_schema_history (
    installed_rank integer primary key, version varchar(50), description varchar(200) not null,
    type varchar(20) not null, script varchar(1000) not null, checksum integer,
    installed_by varchar(100) not null, installed_on timestamp not null default now(),
    execution_time integer not null, success boolean not null)"
rank=0
for file in $(ls src/main/resources/db/hub/V*__*.sql | sort -V); do
  rank=$((rank + 1))
  name=$(basename "$file")
  version=${name%%__*}
  version=${version#V}
  # Flyway's one placeholder in these migrations.
  sed "s/\${appRole}/$APP_ROLE/g" "$file" | psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f - >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "insert into flyway_schema_history values ($rank, '$version',
      '$(echo "${name#*__}" | sed 's/\.sql$//; s/_/ /g')', 'SQL', '$name', null, current_user, now(), 0, true)"
done
echo "schema: $rank migrations applied to $DB"

start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -v plans="$PLANS" -f src/bench/sql/patient-name-plans.sql
echo "load and plans: $(($(date +%s) - start)) s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# One line per value and shape: the three runs' execution times, their median, the last run's buffers
# (its top node's: everything the statement read).
echo
printf '%-12s %-11s %-26s %9s  %s\n' value shape "ms (runs 1, 2, 3)" median "buffers (3rd run)"
awk '
  /^ *### / { key = $2 " " $3; run = 0; next }
  /Buffers:/ && !top { buffers = $0; sub(/^ *Buffers: */, "", buffers); top = 1 }
  /Execution Time:/ {
    t[++run] = $3
    top = 0
    if (run == 3) {
      split(key, k, " ")
      m = t[1] + t[2] + t[3] - (t[1] < t[2] ? (t[1] < t[3] ? t[1] : t[3]) : (t[2] < t[3] ? t[2] : t[3])) \
          - (t[1] > t[2] ? (t[1] > t[3] ? t[1] : t[3]) : (t[2] > t[3] ? t[2] : t[3]))
      printf "%-12s %-11s %-26s %9.1f  %s\n", k[1], k[2], t[1] ", " t[2] ", " t[3], m, buffers
    }
  }
' "$PLANS"
