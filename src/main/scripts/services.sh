#!/usr/bin/env bash
# Starts and stops the real services Ponte needs, on loopback, by PID:
#   PostgreSQL 15 (the machine's on 127.0.0.1:5432 when it answers, else Debian's, installed and started),
#   Keycloak 26.5.6 (Maven Central zip, unpacked under target/, run on a JDK 21+, realm from realm-config/),
#   Azurite 3.37.0 (npm, installed under target/tools/).
#
# Usage: services.sh start [postgresql|keycloak|azurite]...   (default: all three)
#        services.sh stop  [postgresql|keycloak|azurite]...   (default: all this checkout started)
#        services.sh status
# `start` is idempotent: a service that already answers is used as it is and is NOT recorded as started.
# It prints on stdout the names of the services it did start, so that a caller (ponte.sh test) can stop
# exactly those and leave alone what was running before. Messages go to stderr; logs to target/logs/.
#
# Environment: PONTE_KEYCLOAK_PORT (8180), PONTE_AZURITE_PORT (10000), PONTE_KEYCLOAK_JAVA_HOME (a JDK 21+;
# default: the newest JDK >= 21 found in $JAVA_HOME, /usr/lib/jvm/* or on the PATH), PONTE_DATABASES.
set -euo pipefail
LOG_TAG=services
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEYCLOAK_VERSION=26.5.6
AZURITE_VERSION=3.37.0
KEYCLOAK_PORT=${PONTE_KEYCLOAK_PORT:-8180}
AZURITE_PORT=${PONTE_AZURITE_PORT:-10000}
PG_PORT=5432
DATABASES=${PONTE_DATABASES:-"ponte_hub ponte_node_a ponte_node_b ponte_hub_test ponte_node_test"}
KEYCLOAK_HOME="$ROOT/target/keycloak/keycloak-$KEYCLOAK_VERSION"
AZURITE_HOME="$ROOT/target/tools/azurite"

# Says that this run started NAME: on stdout (for callers) and, when $PONTE_STARTED_FILE is set, in that
# file at once, so that a caller interrupted during a slow start still knows what to stop.
started() {
  echo "$1"
  if [ -n "${PONTE_STARTED_FILE:-}" ]; then echo "$1" >>"$PONTE_STARTED_FILE"; fi
}

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { pg_isready -h 127.0.0.1 -p "$PG_PORT" -q; }

start_postgresql() {
  if command -v pg_isready >/dev/null && pg_ready; then
    log "PostgreSQL answers on 127.0.0.1:$PG_PORT"
  else
    if ! ls -d /etc/postgresql/*/main >/dev/null 2>&1; then
      log "no PostgreSQL server on this machine: installing Debian's"
      apt_install postgresql
    fi
    local version; version=$(ls /etc/postgresql | sort -V | tail -1)
    # Development and tests trust loopback (user postgres, no password), as CI's server does.
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      log "letting loopback connect without a password (development only): $hba"
      as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    if pg_ready; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    else
      log "starting PostgreSQL $version"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
      mkdir -p "$RUN"; echo "$version" >"$RUN/postgresql.started"
      started postgresql
    fi
    wait_for PostgreSQL 60 "" pg_ready || die "PostgreSQL did not start; see /var/log/postgresql/"
  fi
  # The hub connects as ponte_app, which may only INSERT and SELECT audit rows; migrations run as postgres
  # (the owner) and grant it the rest (V31__application_role.sql). Trust authentication here: no password.
  if [ -z "$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_roles where rolname='ponte_app'")" ]; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create role ponte_app login" && log "created role ponte_app"
  fi
  local db
  for db in $DATABASES; do
    if [ -z "$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$db'")" ]; then
      psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database $db" && log "created database $db"
    fi
  done
}

stop_postgresql() {
  # Only a cluster this script started (it was down before) is stopped; the machine's own stays up.
  [ -f "$RUN/postgresql.started" ] || return 0
  local version; version=$(cat "$RUN/postgresql.started")
  log "stopping PostgreSQL $version (started by services.sh)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main stop || true
  rm -f "$RUN/postgresql.started"
}

# ---------------------------------------------------------------- Keycloak
realm_hash() { cat "$ROOT"/realm-config/*.json | sha256sum | cut -d' ' -f1; }

keycloak_answers() { curl -fs -o /dev/null "http://127.0.0.1:$KEYCLOAK_PORT/realms/ponte/.well-known/openid-configuration"; }

install_keycloak() {
  [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return 0
  log "fetching Keycloak $KEYCLOAK_VERSION (org.keycloak:keycloak-quarkus-dist zip) through Maven"
  mkdir -p "$ROOT/target/keycloak"
  (cd "$ROOT" && mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
      -DoutputDirectory="$ROOT/target/keycloak" </dev/null >&2) || die "could not fetch the Keycloak zip from Maven Central"
  command -v unzip >/dev/null || apt_install unzip
  (cd "$ROOT/target/keycloak" && unzip -q -o "keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
}

start_keycloak() {
  local hash restarted=""; hash=$(realm_hash)
  if tracked_pid keycloak "$KEYCLOAK_HOME" >/dev/null; then
    if [ "$(cat "$KEYCLOAK_HOME/data/realm.sha256" 2>/dev/null)" = "$hash" ]; then
      log "Keycloak (started by this checkout) already runs on $KEYCLOAK_PORT"; return 0
    fi
    log "realm-config/ changed since Keycloak started: restarting it to re-import the realm"
    stop_tracked keycloak "$KEYCLOAK_HOME"
    restarted=1   # it ran before this call: whoever started it stops it
  elif keycloak_answers; then
    log "Keycloak already answers on $KEYCLOAK_PORT with realm ponte (not started here; used as it is)"; return 0
  elif port_in_use "$KEYCLOAK_PORT"; then
    die "port $KEYCLOAK_PORT is taken by something that is not Keycloak with realm ponte; set PONTE_KEYCLOAK_PORT"
  fi
  install_keycloak
  local jdk; jdk=$(keycloak_jdk) || die "Keycloak $KEYCLOAK_VERSION needs a JDK 21 or newer and none is installed
  (looked in \$JAVA_HOME, /usr/lib/jvm, /opt). Install one, e.g. 'apt-get install openjdk-21-jdk-headless'
  where your release has it, or Temurin 21+; or point PONTE_KEYCLOAK_JAVA_HOME at one."
  # Keycloak imports a realm only when it does not exist yet, so a changed realm file needs a fresh
  # database: the dev-mode H2 under data/h2 is thrown away whenever realm-config/ differs from the last import.
  if [ "$(cat "$KEYCLOAK_HOME/data/realm.sha256" 2>/dev/null)" != "$hash" ]; then
    if [ -d "$KEYCLOAK_HOME/data/h2" ]; then log "realm-config/ changed: discarding Keycloak's dev database"; fi
    rm -rf "$KEYCLOAK_HOME/data/h2" "$KEYCLOAK_HOME/data/realm.sha256"
  fi
  mkdir -p "$KEYCLOAK_HOME/data/import"
  rm -f "$KEYCLOAK_HOME"/data/import/*.json
  cp "$ROOT"/realm-config/*.json "$KEYCLOAK_HOME/data/import/"
  log "starting Keycloak $KEYCLOAK_VERSION on http://127.0.0.1:$KEYCLOAK_PORT (JDK $jdk); log: target/logs/keycloak.log"
  # Dev mode: embedded H2 under target/, plain HTTP on loopback, admin/admin on the master realm (demo only).
  # Concurrent sign-ins of one user are allowed: the demo's few shared accounts sign in from several browsers,
  # tests and the viewer at once, and Keycloak 26's brute-force protection otherwise refuses every sign-in but
  # one as "user temporarily disabled" (logged as such, with no failed password before it). The realm's
  # protection against wrong passwords stays on. The --add-opens lets its worker threads reset their
  # thread-locals on Java 24+ instead of dying with IllegalAccessError.
  JAVA_HOME="$jdk" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    JAVA_OPTS_APPEND="--add-opens=java.base/java.lang=ALL-UNNAMED" \
    start_tracked keycloak "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
      --hostname="http://127.0.0.1:$KEYCLOAK_PORT" --import-realm --cache=local \
      --spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true
  [ -n "$restarted" ] || started keycloak
  if ! wait_for Keycloak 300 "$(cat "$RUN/keycloak.pid")" keycloak_answers; then
    tail -n 30 "$LOGS/keycloak.log" >&2 || true
    stop_tracked keycloak "$KEYCLOAK_HOME"
    die "Keycloak did not start; see target/logs/keycloak.log"
  fi
  echo "$hash" >"$KEYCLOAK_HOME/data/realm.sha256"
  log "Keycloak is up (realm ponte)"
}

# ---------------------------------------------------------------- Azurite
azurite_answers() { curl -s -I "http://127.0.0.1:$AZURITE_PORT/" 2>/dev/null | grep -qi '^server: azurite'; }

start_azurite() {
  if tracked_pid azurite "$AZURITE_HOME" >/dev/null && azurite_answers; then
    log "Azurite (started by this checkout) already runs on $AZURITE_PORT"; return 0
  elif azurite_answers; then
    log "Azurite already answers on $AZURITE_PORT (not started here; used as it is)"; return 0
  elif port_in_use "$AZURITE_PORT"; then
    die "port $AZURITE_PORT is taken by something that is not Azurite; set PONTE_AZURITE_PORT"
  fi
  if [ ! -x "$AZURITE_HOME/node_modules/.bin/azurite-blob" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing Azurite $AZURITE_VERSION from npm into target/tools/azurite"
    mkdir -p "$AZURITE_HOME"
    npm install --prefix "$AZURITE_HOME" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" </dev/null >&2 \
      || die "npm could not install azurite@$AZURITE_VERSION"
  fi
  mkdir -p "$ROOT/target/azurite-data"
  log "starting Azurite $AZURITE_VERSION (blob) on http://127.0.0.1:$AZURITE_PORT; log: target/logs/azurite.log"
  start_tracked azurite "$AZURITE_HOME/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
    --location "$ROOT/target/azurite-data" --skipApiVersionCheck --loose
  started azurite
  if ! wait_for Azurite 60 "$(cat "$RUN/azurite.pid")" azurite_answers; then
    tail -n 30 "$LOGS/azurite.log" >&2 || true
    stop_tracked azurite "$AZURITE_HOME" "successfully closed"
    die "Azurite did not start; see target/logs/azurite.log"
  fi
}

# ---------------------------------------------------------------- commands
status() {
  local name state
  if pg_ready 2>/dev/null; then state=up; else state=down; fi
  printf '%-11s %-5s %s\n' postgresql "$state" "127.0.0.1:$PG_PORT$([ -f "$RUN/postgresql.started" ] && echo ' (started here)')"
  for name in keycloak azurite; do
    local answers home pid owner=""
    if [ $name = keycloak ]; then answers=keycloak_answers home=$KEYCLOAK_HOME; else answers=azurite_answers home=$AZURITE_HOME; fi
    if $answers; then state=up; else state=down; fi
    if pid=$(tracked_pid $name "$home"); then owner=" (started here, pid $pid)"; fi
    local port; [ $name = keycloak ] && port=$KEYCLOAK_PORT || port=$AZURITE_PORT
    printf '%-11s %-5s %s\n' $name "$state" "http://127.0.0.1:$port$owner"
  done
}

names=("${@:2}")
case "${1:-}" in
  start)
    [ ${#names[@]} -gt 0 ] || names=(postgresql azurite keycloak)
    for name in "${names[@]}"; do
      case $name in
        postgresql|keycloak|azurite) "start_$name" ;;
        *) die "unknown service $name (postgresql, keycloak, azurite)" ;;
      esac
    done
    log "services are up" ;;
  stop)
    [ ${#names[@]} -gt 0 ] || names=(keycloak azurite postgresql)
    for name in "${names[@]}"; do
      case $name in
        keycloak) stop_tracked keycloak "$KEYCLOAK_HOME" ;;
        azurite) stop_tracked azurite "$AZURITE_HOME" "successfully closed" ;;
        postgresql) stop_postgresql ;;
        *) die "unknown service $name (postgresql, keycloak, azurite)" ;;
      esac
    done ;;
  status) status ;;
  *) echo "usage: $0 start|stop [postgresql|keycloak|azurite]... | status" >&2; exit 2 ;;
esac
