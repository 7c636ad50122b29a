#!/usr/bin/env bash
# Starts and stops the real services Ponte needs, on loopback, by PID:
#   PostgreSQL 15 (the machine's on 127.0.0.1:5432 when it answers, else Debian's, installed and started),
#   Keycloak 26.5.6 (Maven Central zip, unpacked under target/, run on a Java 21+ JDK, realm from realm-config/),
#   Azurite 3.37.0 (npm, installed under target/tools/).
# Usage: services.sh start|stop|status
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
RUN="$ROOT/target/services"
KEYCLOAK_VERSION=26.5.6
AZURITE_VERSION=3.37.0
KEYCLOAK_PORT=${PONTE_KEYCLOAK_PORT:-8180}
AZURITE_PORT=${PONTE_AZURITE_PORT:-10000}
DATABASES=${PONTE_DATABASES:-"ponte_hub ponte_node_a ponte_node_b ponte_hub_test ponte_node_test"}

log() { printf '[services] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

wait_for() { # wait_for NAME SECONDS COMMAND...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$name did not answer within ${seconds}s"; return 1
}

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q; }

start_postgres() {
  if command -v pg_isready >/dev/null && pg_ready; then
    log "PostgreSQL answers on 127.0.0.1:5432"
  else
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      log "installing Debian's postgresql"
      as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local version; version=$(ls /etc/postgresql | sort -V | tail -1)
    # Local development trusts loopback, as the CI and developer machines do.
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for PostgreSQL 60 pg_ready
  fi
  for db in $DATABASES; do
    if [ -z "$(psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$db'")" ]; then
      psql -h 127.0.0.1 -U postgres -qc "create database $db" && log "created database $db"
    fi
  done
}

java21() { # a JDK 21+ among the installed ones, for Keycloak
  local candidate
  for candidate in ${PONTE_KEYCLOAK_JAVA_HOME:-} /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] || continue
    local major; major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /,"",$2); print $2}')
    if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

keycloak_home() { echo "$ROOT/target/keycloak/keycloak-$KEYCLOAK_VERSION"; }

start_keycloak() {
  local home; home=$(keycloak_home)
  if curl -fs "http://127.0.0.1:$KEYCLOAK_PORT/realms/ponte" >/dev/null 2>&1; then
    log "Keycloak already answers on $KEYCLOAK_PORT"; return 0
  fi
  if [ ! -x "$home/bin/kc.sh" ]; then
    log "resolving Keycloak $KEYCLOAK_VERSION through Maven"
    (cd "$ROOT" && mvn -B -q dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip \
        -DoutputDirectory="$ROOT/target/keycloak")
    (cd "$ROOT/target/keycloak" && unzip -q -o "keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
  fi
  local jdk; jdk=$(java21) || { log "Keycloak needs Java 21+; install e.g. openjdk-21-jdk or Temurin"; return 1; }
  mkdir -p "$home/data/import" "$RUN"
  rm -f "$home"/data/import/*.json
  cp "$ROOT"/realm-config/*.json "$home/data/import/"
  log "starting Keycloak on 127.0.0.1:$KEYCLOAK_PORT (JDK $jdk)"
  # Dev mode keeps its data in an embedded H2 under target/: a fresh realm import on every fresh checkout.
  JAVA_HOME="$jdk" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    nohup "$home/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
      --hostname="http://127.0.0.1:$KEYCLOAK_PORT" --import-realm --health-enabled=true --cache=local >"$RUN/keycloak.log" 2>&1 &
  echo $! >"$RUN/keycloak.pid"
  wait_for Keycloak 180 curl -fs "http://127.0.0.1:$KEYCLOAK_PORT/realms/ponte/.well-known/openid-configuration"
}

start_azurite() {
  if curl -s "http://127.0.0.1:$AZURITE_PORT/" >/dev/null 2>&1; then
    log "Azurite already answers on $AZURITE_PORT"; return 0
  fi
  local tools="$ROOT/target/tools/azurite"
  if [ ! -x "$tools/node_modules/.bin/azurite-blob" ]; then
    log "installing Azurite $AZURITE_VERSION from npm"
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund --prefix "$tools" "azurite@$AZURITE_VERSION" >/dev/null)
  fi
  mkdir -p "$RUN" "$ROOT/target/azurite-data"
  log "starting Azurite on 127.0.0.1:$AZURITE_PORT"
  nohup "$tools/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
    --location "$ROOT/target/azurite-data" --skipApiVersionCheck --loose >"$RUN/azurite.log" 2>&1 &
  echo $! >"$RUN/azurite.pid"
  wait_for Azurite 60 curl -s "http://127.0.0.1:$AZURITE_PORT/"
}

stop_one() {
  local pidfile="$RUN/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start_postgres; start_azurite; start_keycloak; log "services are up" ;;
  stop) stop_one keycloak; stop_one azurite ;;
  status)
    pg_ready && echo "postgresql: up" || echo "postgresql: down"
    curl -fs "http://127.0.0.1:$KEYCLOAK_PORT/realms/ponte" >/dev/null && echo "keycloak: up" || echo "keycloak: down"
    curl -s "http://127.0.0.1:$AZURITE_PORT/" >/dev/null && echo "azurite: up" || echo "azurite: down" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
