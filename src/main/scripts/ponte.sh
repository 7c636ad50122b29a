#!/usr/bin/env bash
# Ponte's one entry point.
#   ponte.sh up       install what is missing, build, start services + hub + node A + node B, print where
#                     to go and how to log in; stays in the foreground (Ctrl-C stops everything it started)
#   ponte.sh down     stop what `up` started (from another shell)
#   ponte.sh status   what runs, and where
#   ponte.sh test     the whole test suite: prerequisites, services, `mvn verify`, src/bench compiled; stops the
#                     services it started
#   ponte.sh install  only install the prerequisites (Debian/Ubuntu packages, the OHIF viewer); used by .ci/run
#   ponte.sh install-viewer  only install the OHIF viewer (npm @ohif/app) into target/tools/ohif
#   ponte.sh faults [SCENARIO...]  the fault suite (docs/operations.md, "Fault suite"); exit 1 if any scenario fails
#   ponte.sh load [--minutes N] [--clinicians N]  the load suite (docs/operations.md, "Load suite"); exit 1 on any
#                     error or a heap that grows
#
# Ports (override by environment when the defaults are taken): PONTE_HUB_PORT 8080, PONTE_NODE_A_PORT 8081,
# PONTE_NODE_B_PORT 8082, PONTE_HUB_DIMSE_PORT 11110, PONTE_NODE_A_DIMSE_PORT 11112, PONTE_NODE_B_DIMSE_PORT 11113,
# PONTE_KEYCLOAK_PORT 8180, PONTE_AZURITE_PORT 10000. PONTE_BIND (127.0.0.1) is where hub and nodes listen.
set -euo pipefail
LOG_TAG=ponte
SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SCRIPTS/lib.sh"

export PONTE_KEYCLOAK_PORT=${PONTE_KEYCLOAK_PORT:-8180}
export PONTE_AZURITE_PORT=${PONTE_AZURITE_PORT:-10000}
HUB_PORT=${PONTE_HUB_PORT:-8080}
NODE_A_PORT=${PONTE_NODE_A_PORT:-8081}
NODE_B_PORT=${PONTE_NODE_B_PORT:-8082}
NODE_A_DIMSE_PORT=${PONTE_NODE_A_DIMSE_PORT:-11112}
NODE_B_DIMSE_PORT=${PONTE_NODE_B_DIMSE_PORT:-11113}
HUB_DIMSE_PORT=${PONTE_HUB_DIMSE_PORT:-11110}
BIND=${PONTE_BIND:-127.0.0.1}
KEYCLOAK="http://127.0.0.1:$PONTE_KEYCLOAK_PORT"
REALM_URL="$KEYCLOAK/realms/ponte"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
JAVA=${PONTE_JAVA:-java}
JAVA_OPTS=${PONTE_JAVA_OPTS:--Xmx1g}
APPS=(hub node-a node-b)
SCRIPT_VARIABLES="PONTE_HUB_PORT PONTE_HUB_DIMSE_PORT PONTE_NODE_A_PORT PONTE_NODE_B_PORT PONTE_NODE_A_DIMSE_PORT PONTE_NODE_B_DIMSE_PORT
  PONTE_KEYCLOAK_PORT PONTE_AZURITE_PORT PONTE_BIND PONTE_SKIP_BUILD PONTE_JAVA PONTE_JAVA_OPTS PONTE_KEYCLOAK_JAVA_HOME
  PONTE_DATABASES PONTE_STARTED_FILE PONTE_KEEP_DATA"
# Azurite's well-known development account (public, documented by Microsoft; never a production secret).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

# ---------------------------------------------------------------- prerequisites
install_prerequisites() {
  local need=()
  command -v curl >/dev/null || need+=(curl)
  command -v unzip >/dev/null || need+=(unzip)
  command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || need+=(maven)
  command -v npm >/dev/null || need+=(nodejs npm)
  command -v dcmdump >/dev/null || need+=(dcmtk)
  command -v Orthanc >/dev/null || [ -x /usr/sbin/Orthanc ] || need+=(orthanc)
  dpkg -s orthanc-dicomweb >/dev/null 2>&1 || need+=(orthanc-dicomweb)
  command -v kubectl >/dev/null || need+=(kubernetes-client)   # for `kubectl kustomize` of k8s/
  command -v dciodvfy >/dev/null || need+=(dicom3tools)       # checks the demo studies against their IODs
  command -v chromium >/dev/null || need+=(chromium)   # the browser tests' headless browser (Debian's, never a download)
  if ! { command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q; } \
      && ! ls -d /etc/postgresql/*/main >/dev/null 2>&1; then
    need+=(postgresql)
  fi
  apt_install "${need[@]}"
  # Keycloak 26 runs on Java 21+, which not every release packages (Debian 12 has 17 only).
  if ! keycloak_jdk >/dev/null; then
    local jdk
    for jdk in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt_available "$jdk"; then apt_install "$jdk"; break; fi
    done
    keycloak_jdk >/dev/null || die "Keycloak needs a JDK 21 or newer and this release packages none.
  Install one (e.g. Eclipse Temurin 21+ under /usr/lib/jvm or /opt) or set PONTE_KEYCLOAK_JAVA_HOME."
  fi
}

build() {
  log "building the application (mvn package -DskipTests); log: target/logs/build.log"
  mkdir -p "$LOGS"
  if ! (cd "$ROOT" && mvn -B -ntp package -DskipTests </dev/null >"$LOGS/build.log" 2>&1); then
    grep -E '^\[ERROR\]' "$LOGS/build.log" | head -20 >&2 || true
    die "the build failed; see target/logs/build.log"
  fi
}

# ---------------------------------------------------------------- hub and nodes
app_port() { case $1 in hub) echo "$HUB_PORT" ;; node-a) echo "$NODE_A_PORT" ;; node-b) echo "$NODE_B_PORT" ;; esac; }

# The settings each process gets. Nodes validate the realm's bearer tokens (the hub's, for DICOMweb) and
# authenticate to the hub as their own confidential client.
start_app() { # start_app hub|node-a|node-b
  local name=$1 port; port=$(app_port "$1")
  # The demo profile: the only one (besides dev and test) that accepts the demo realm's client secrets.
  local settings=(QUARKUS_PROFILE=demo PONTE_HTTP_PORT="$port" QUARKUS_HTTP_HOST="$BIND"
    PONTE_PUBLIC_URL="http://127.0.0.1:$port" PONTE_OIDC_URL="$REALM_URL")
  local args jvm=()
  case $name in
    hub)
      settings+=(PONTE_HUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/ponte_hub"
        PONTE_OIDC_CLIENT_ID=ponte-hub PONTE_OIDC_SECRET=ponte-hub-secret PONTE_HUB_VIEWER_DIR="$OHIF_HOME"
        PONTE_HUB_DIMSE_PORT="$HUB_DIMSE_PORT" PONTE_HUB_DIMSE_BIND_ADDRESS="$BIND")
      # Where the hub finds each site's node (map keys with dashes do not survive environment variables).
      jvm=(-Dponte.hub.federation.node-url.hospital-a="http://127.0.0.1:$NODE_A_PORT"
        -Dponte.hub.federation.node-url.hospital-b="http://127.0.0.1:$NODE_B_PORT")
      args=(--role hub) ;;
    node-*)
      node_settings "hospital-${name#node-}"
      settings+=("${NODE_SETTINGS[@]}")
      args=(--role node --site "hospital-${name#node-}") ;;
  esac
  log "starting $name on http://$BIND:$port; log: target/logs/$name.log"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags
  start_tracked "$name" env "${UNSET_SCRIPT_VARIABLES[@]}" "${settings[@]}" "$JAVA" $JAVA_OPTS "${jvm[@]}" -jar "$JAR" serve "${args[@]}"
}

# What a node of SITE is given, in NODE_SETTINGS: the serving node and a `ponte node ...` command run beside it
# (same database, cache and Blob) alike.
node_settings() { # node_settings hospital-a|hospital-b
  local site=$1 letter=${1#hospital-} dimse
  [ "$letter" = a ] && dimse=$NODE_A_DIMSE_PORT || dimse=$NODE_B_DIMSE_PORT
  NODE_SETTINGS=(PONTE_NODE_DB_URL="jdbc:postgresql://127.0.0.1:5432/ponte_node_$letter"
    PONTE_OIDC_CLIENT_ID="ponte-node-$site" PONTE_OIDC_SECRET="ponte-node-$site-secret"
    PONTE_NODE_DIMSE_PORT="$dimse" PONTE_HUB_URL="http://127.0.0.1:$HUB_PORT"
    PONTE_NODE_STORAGE_BLOB_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$PONTE_AZURITE_PORT/devstoreaccount1;"
    PONTE_NODE_CACHE_DIR="$ROOT/target/run/cache-$site"
    # The demo publishes a study 5 s after its last instance, not the production 30 s.
    PONTE_NODE_PUBLISH_QUIET_PERIOD=5s)
}

# This script's own variables stay out of the application's environment (env -u each): SmallRye Config would read
# e.g. PONTE_HUB_PORT as a setting ponte.hub.port.
UNSET_SCRIPT_VARIABLES=()
for variable in $SCRIPT_VARIABLES; do UNSET_SCRIPT_VARIABLES+=(-u "$variable"); done
unset variable

app_ready() { curl -fs "http://127.0.0.1:$1/q/health/ready" 2>/dev/null | grep -q '"status" *: *"UP"'; }

wait_app() { # wait_app NAME
  local name=$1 port pid; port=$(app_port "$1"); pid=$(cat "$RUN/$name.pid")
  if ! wait_for "$name" 240 "$pid" app_ready "$port"; then
    log "last lines of target/logs/$name.log:"; tail -n 40 "$LOGS/$name.log" >&2 || true
    return 1
  fi
  log "$name is ready on port $port"
}

stop_apps() { # all at once: each gets TERM and up to 30 s to shut down gracefully
  local name pids=()
  for name in "${APPS[@]}"; do stop_tracked "$name" "$JAR" & pids+=($!); done
  wait "${pids[@]}" 2>/dev/null || true
}

# ---------------------------------------------------------------- sample studies
# The demo studies (DemoCatalogue: two hospitals, one person known at both) are generated by the application
# itself, sent to each node's DIMSE port by dcmtk's storescu as a PACS would, and the person's two MRNs are
# linked at the hub by the admin. The UIDs are derived from names, so every run sends the same studies.
token_for() { # token_for USER
  curl -fs "$REALM_URL/protocol/openid-connect/token" -d grant_type=password -d client_id=ponte-web \
    -d username="$1" -d password=ponte-demo | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}

load_samples() {
  local dir="$ROOT/target/demo-samples" site dimse admin
  log "generating the demo studies into target/demo-samples"
  "$JAVA" -jar "$JAR" demo samples --out "$dir" >"$LOGS/samples.log" 2>&1 || die "could not generate samples; see target/logs/samples.log"
  for site in hospital-a hospital-b; do
    [ "$site" = hospital-a ] && dimse=$NODE_A_DIMSE_PORT || dimse=$NODE_B_DIMSE_PORT
    log "sending $site's studies to its node by C-STORE (storescu → 127.0.0.1:$dimse)"
    TCP_NODELAY=1 storescu -aec PONTE -aet DEMO_PACS +sd +r 127.0.0.1 "$dimse" "$dir/$site" >>"$LOGS/samples.log" 2>&1 \
      || die "storescu to $site failed; see target/logs/samples.log"
  done
  wait_until_retrievable "$dir"
  # Every demo patient is published now, so the matcher has run: it linked Maria's two records on its own and
  # put the uncertain pairs on the authority's review list. The admin then states her regional id (the one
  # maria.patient's token carries); the matcher's link yields to it, its pair stays listed as linked.
  admin=$(token_for ponte.admin)
  [ -n "$admin" ] || die "could not get a token for ponte.admin"
  for links in "$dir"/identity-links/*.json; do
    curl -fs -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' --data-binary "@$links" \
      "http://127.0.0.1:$HUB_PORT/api/identity/links/$(basename "$links" .json)" >/dev/null \
      || die "could not link identities at the hub ($links)"
  done
  demo_identity_review "$dir"
  # The demo consent, recorded as the admin does from a patient's signed form, through the same API a patient
  # uses (POST /fhir/Consent). After the studies are retrievable: the hub must know the patient it names.
  # wait_until_retrievable above retrieves as each owning hospital's clinician, whom consent always permits.
  for consent in "$dir"/consents/*.json; do
    curl -fs -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/fhir+json' \
      --data-binary "@$consent" "http://127.0.0.1:$HUB_PORT/fhir/Consent" >/dev/null \
      || die "could not record the demo consent at the hub ($consent)"
  done
  log "$(cat "$dir/consents/ready-line.txt")"
  demo_sharing "$dir"
  demo_archive "$dir"
}

# The identity review shows each of its states: rita.authority keeps one proposed pair apart (DemoCatalogue.KEPT_APART,
# identity-review/reject-<MRN>.json), the other stays open for whoever tries the page. Best effort, like the sharing.
demo_identity_review() { # demo_identity_review SAMPLES_DIR
  local dir=$1 token decision mrn id
  token=$(token_for rita.authority)
  [ -n "$token" ] || { log "no token for rita.authority: no identity pair kept apart"; return 0; }
  for decision in "$dir"/identity-review/reject-*.json; do
    [ -f "$decision" ] || continue
    mrn=$(basename "$decision" .json); mrn=${mrn#reject-}
    # The open pair naming that MRN: one pair object per line, its id first.
    id=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$HUB_PORT/api/identity/candidates?status=open" \
      | sed 's/{"id":/\n{"id":/g' | { grep -F "\"value\":\"$mrn\"" || true; } | sed -n 's/^{"id":\([0-9]*\).*/\1/p' | head -1)
    if [ -z "$id" ]; then log "no open identity pair names $mrn: nothing kept apart"; continue; fi
    curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "@$decision" \
      "http://127.0.0.1:$HUB_PORT/api/identity/candidates/$id/reject" >/dev/null \
      && log "rita.authority kept identity pair $id ($mrn) apart (see /authority/identity)" \
      || log "could not keep identity pair $id apart"
  done
}

# The authority dashboard shows sharing, so the demo shares: ana.clinic (Clínica Norte) retrieves a study of each
# hospital through the hub (cross-site retrievals, audited like any other) and opens one emergency access, which
# waits for rita.authority's review. Best effort: the demo stays usable if either fails.
demo_sharing() { # demo_sharing SAMPLES_DIR
  local dir=$1 site study uid token
  token=$(token_for ana.clinic)
  [ -n "$token" ] || { log "no token for ana.clinic: the dashboard's sharing figures stay at 0"; return 0; }
  for site in hospital-a hospital-b; do
    study=$(find "$dir/$site" -mindepth 1 -maxdepth 1 -type d | sort | head -1)
    [ -n "$study" ] || continue
    uid=$(study_uid_of "$(find "$study" -type f | head -1)")
    [ -n "$uid" ] && retrieved_instances "$token" "$uid" >/dev/null
  done
  curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data '{"patient": "urn:ponte:site:hospital-a:mrn|HA-100234", "reason": "Demo: unconscious patient in A&E"}' \
    "http://127.0.0.1:$HUB_PORT/api/emergency-access" >/dev/null \
    || log "could not open the demo emergency access (the dashboard shows none to review)"
  log "ana.clinic (Clínica Norte) retrieved a study of each hospital and opened an emergency access (see /authority)"
}

# One prior is archived, as a hospital's tier policy does to an old study, so that the clinician timeline shows what
# a study in the Archive tier goes through: archived; once opened, being restored (the demo simulates a 30 s
# rehydration, Azure takes hours); then online. The operator's command does it (`ponte node archive`, beside the
# serving node), after the studies are retrievable and shared: a retrieve of it would start its restore. The study
# is DemoCatalogue.ARCHIVED (DIR/archived/study.txt: site and Study Instance UID). Best effort.
DEMO_ARCHIVED_LINE=""
demo_archive() { # demo_archive SAMPLES_DIR
  local dir=$1 site uid
  [ -f "$dir/archived/study.txt" ] || return 0
  read -r site uid <"$dir/archived/study.txt"
  log "archiving one of Maria's priors at $site as an operator would (ponte node archive); log: target/logs/archive.log"
  node_settings "$site"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags
  if env "${UNSET_SCRIPT_VARIABLES[@]}" QUARKUS_PROFILE=demo "${NODE_SETTINGS[@]}" "$JAVA" $JAVA_OPTS -jar "$JAR" \
      node archive --site "$site" --study "$uid" --by ponte.sh >"$LOGS/archive.log" 2>&1; then
    DEMO_ARCHIVED_LINE="$(cat "$dir/archived/ready-line.txt")"
    log "$(grep -F "study $uid is archived" "$LOGS/archive.log" || tail -n 1 "$LOGS/archive.log")"
  else
    log "could not archive study $uid at $site (every study shows online); see target/logs/archive.log"
  fi
}

# Whether SITE's node holds STUDY only in the Archive tier (archived, or being restored), as the hub's timeline asks
# it (with the hub's own client): asking starts no restore, where a retrieve would.
archived_at_node() { # archived_at_node SITE STUDY_UID
  local port token
  [ "$1" = hospital-a ] && port=$NODE_A_PORT || port=$NODE_B_PORT
  token=$(curl -fs "$REALM_URL/protocol/openid-connect/token" -d grant_type=client_credentials \
    -d client_id=ponte-hub -d client_secret=ponte-hub-secret | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] && curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/dicomweb/availability?study=$2" \
    2>/dev/null | grep -Eq '"state" *: *"(ARCHIVED|RESTORING)"'
}

# The ready line is a promise that every demo study can be fetched, so it is checked the way a user would:
# each study retrieved whole through the hub (WADO-RS, from its node) by a clinician of the owning hospital,
# with as many instances as were sent. Listing is not enough: an index can list what the store lost.
study_uid_of() { dcmdump -q +P 0020,000D "$1" 2>/dev/null | sed -n 's/.*\[\([0-9.]*\)\].*/\1/p' | head -1; }

retrieved_instances() { # retrieved_instances TOKEN STUDY_UID → instances in the hub's WADO-RS answer, or 0
  curl -fs -H "Authorization: Bearer $1" -H 'Accept: multipart/related; type="application/dicom"' \
    "http://127.0.0.1:$HUB_PORT/dicomweb/studies/$2" 2>/dev/null | grep -ac '^Content-Type: application/dicom' || true
}

# The demo's archived study (demo_archive) is retrieved too while it is not archived yet; once it is (a run with
# PONTE_KEEP_DATA keeps it so), its node's word that it holds it in the Archive tier counts instead: a retrieve
# would only start its restore.
wait_until_retrievable() { # wait_until_retrievable SAMPLES_DIR
  local dir=$1 site token study uid sent got pending=() waiting tokens total archived=""
  log "waiting until every demo study is retrievable through the hub"
  [ -f "$dir/archived/study.txt" ] && read -r _ archived <"$dir/archived/study.txt"
  for site in hospital-a hospital-b; do
    for study in "$dir/$site"/*/; do
      uid=$(study_uid_of "$(find "$study" -type f | head -1)")
      sent=$(find "$study" -type f | wc -l)
      pending+=("$site $uid $sent")
    done
  done
  total=${#pending[@]}
  for _ in $(seq 1 90); do
    waiting=()
    tokens=("$(token_for bruno.hospa)" "$(token_for carla.hospb)")
    for entry in "${pending[@]}"; do
      read -r site uid sent <<<"$entry"
      [ "$site" = hospital-a ] && token=${tokens[0]} || token=${tokens[1]}
      if [ "$uid" = "$archived" ] && archived_at_node "$site" "$uid"; then
        log "study $uid at $site is archived (from an earlier run): held, not retrieved"
        continue
      fi
      got=$(retrieved_instances "$token" "$uid")
      [ "${got:-0}" -ge "$sent" ] || waiting+=("$entry")
    done
    if [ ${#waiting[@]} -eq 0 ]; then
      log "all $total demo studies are retrievable through the hub"
      return 0
    fi
    pending=("${waiting[@]}")
    sleep 2
  done
  log "not retrievable through the hub after 180 s (site, StudyInstanceUID, instances sent):"
  printf '  %s\n' "${pending[@]}" >&2
  die "the demo studies are not all retrievable; see target/logs/hub.log, node-a.log and node-b.log"
}

# `up` runs the demo on its own databases and caches, fresh each time: what an earlier run (another checkout,
# a cleaned target/, an older build's demo) left there must not decide what this one shows.
DEMO_DATABASES="ponte_hub ponte_node_a ponte_node_b"
reset_demo_state() {
  if [ -n "${PONTE_KEEP_DATA:-}" ]; then
    log "PONTE_KEEP_DATA is set: keeping the demo databases and caches of an earlier run"
    return 0
  fi
  log "starting from fresh demo databases and caches ($DEMO_DATABASES; PONTE_KEEP_DATA=1 keeps them)"
  local db
  for db in $DEMO_DATABASES; do
    psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)" >/dev/null \
      && psql -h 127.0.0.1 -U postgres -qc "create database $db" >/dev/null \
      || die "could not recreate database $db"
  done
  rm -rf "$ROOT/target/run/cache-hospital-a" "$ROOT/target/run/cache-hospital-b"
}

# ---------------------------------------------------------------- up / down / status
print_ready() {
  cat <<EOF

Ponte is ready
  Hub                 http://127.0.0.1:$HUB_PORT   (FHIR /fhir, DICOMweb /dicomweb, /api/me, health /q/health)
  Clinician workspace http://127.0.0.1:$HUB_PORT/   (sign in as ana.clinic / ponte-demo; search "goncalves", born 1968-04-12)
  Send to my PACS     a timeline's button sends a study to CLINIC_NORTE at 127.0.0.1:11114 (run: mkdir -p /tmp/pacs && TCP_NODELAY=1 storescp -aet CLINIC_NORTE -od /tmp/pacs 11114)
  Viewer (OHIF)       http://127.0.0.1:$HUB_PORT/viewer   (sign in as ana.clinic / ponte-demo)
  Patient portal      http://127.0.0.1:$HUB_PORT/portal   (sign in as maria.patient / ponte-demo; Português or English)
  $(cat "$ROOT/target/demo-samples/consents/ready-line.txt" 2>/dev/null || echo "Demo consent: none recorded")
  ${DEMO_ARCHIVED_LINE:-Archived prior      none (see target/logs/archive.log)}
  Authority dashboard http://127.0.0.1:$HUB_PORT/authority (rita.authority / ponte-demo)
  Identity review     http://127.0.0.1:$HUB_PORT/authority/identity (rita.authority: link or keep apart the pairs the matcher was unsure of)
  Hub DIMSE           127.0.0.1:$HUB_DIMSE_PORT AE PONTE_HUB   (C-FIND/C-GET/C-MOVE as calling AE CLINIC_NORTE, e.g.
                      TCP_NODELAY=1 findscu -S -aet CLINIC_NORTE -aec PONTE_HUB 127.0.0.1 $HUB_DIMSE_PORT -k QueryRetrieveLevel=STUDY -k PatientID=HA-100234 -k StudyInstanceUID)
  Node hospital-a     http://127.0.0.1:$NODE_A_PORT   (DICOMweb for the hub only; DIMSE port $NODE_A_DIMSE_PORT)
  Node hospital-b     http://127.0.0.1:$NODE_B_PORT   (DICOMweb for the hub only; DIMSE port $NODE_B_DIMSE_PORT)
  Keycloak            $REALM_URL
  Keycloak console    $KEYCLOAK/admin   (admin / admin)
  Demo logins, password ponte-demo (DEMO ONLY, never in production):
    ana.clinic      clinician at clinic-norte        bruno.hospa   clinician at hospital-a
    carla.hospb     clinician at hospital-b          maria.patient patient REG-000001
    rita.authority  regional health authority        ponte.admin   administrator
  Clinic PACS client  clinic-norte-pacs / clinic-norte-pacs-secret (client credentials, DICOMweb reads for clinic-norte;
                      keep Orthanc's token fresh: src/main/scripts/orthanc-dicomweb-token.sh, docs/operations.md)

  Try it:
    TOKEN=\$(curl -s $REALM_URL/protocol/openid-connect/token \\
      -d grant_type=password -d client_id=ponte-web -d username=ana.clinic -d password=ponte-demo \\
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$HUB_PORT/api/me
    # Maria Gonçalves is HB-5521 at hospital-b and HA-100234 at hospital-a: one search finds both sites' studies
    curl -s -H "Authorization: Bearer \$TOKEN" 'http://127.0.0.1:$HUB_PORT/fhir/ImagingStudy?patient.identifier=urn:ponte:site:hospital-b:mrn%7CHB-5521'
    # the same through DICOMweb (QIDO-RS), then one study's instances (WADO-RS, through the hub from its node)
    curl -s -H "Authorization: Bearer \$TOKEN" 'http://127.0.0.1:$HUB_PORT/dicomweb/studies?PatientID=HA-100234'
    curl -s -H "Authorization: Bearer \$TOKEN" -H 'Accept: multipart/related; type="application/dicom"' \\
      http://127.0.0.1:$HUB_PORT/dicomweb/studies/<StudyInstanceUID> -o study.multipart
    # a study's thumbnail, drawn at its node (also .../instances/<SOP>/frames/1/rendered?window=40,400)
    curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$HUB_PORT/dicomweb/studies/<StudyInstanceUID>/thumbnail -o thumb.jpg

  Commands, with the settings this run gave hub and node-a (without them the jar refuses the demo secrets,
  and a node command would check a cache other than node-a's):
    QUARKUS_PROFILE=demo java -jar target/quarkus-app/quarkus-run.jar audit verify   (also: audit purge --before DATE)
    QUARKUS_PROFILE=demo PONTE_NODE_CACHE_DIR=$ROOT/target/run/cache-hospital-a \\
      java -jar target/quarkus-app/quarkus-run.jar node verify --site hospital-a
      (also: node pack --site hospital-a [--quiet-period 7d], node rebuild-index --site hospital-a,
       node archive --site hospital-a --study UID, migrate --site hospital-a --from DIR)

  Logs: target/logs/   Stop: Ctrl-C here, or src/main/scripts/ponte.sh down
EOF
}

UP_CLEANED=""
up_cleanup() {
  [ -z "$UP_CLEANED" ] || return 0
  UP_CLEANED=1
  trap '' INT PIPE   # a second Ctrl-C, or a closed pipe (ponte.sh up | tee), must not cut the cleanup short
  log "stopping Ponte"
  stop_apps
  local started; started=$(sort -u "$RUN/up.services" 2>/dev/null || true)
  # shellcheck disable=SC2086 # one name per word
  [ -z "$started" ] || "$SCRIPTS/services.sh" stop $started || true
  rm -f "$RUN/up.services" "$RUN/ponte-up.pid"
  log "stopped"
}

up() {
  local pid
  if pid=$(tracked_pid ponte-up ponte.sh); then die "Ponte is already up (pid $pid); see 'ponte.sh status'"; fi
  for name in "${APPS[@]}"; do
    local port variable; port=$(app_port "$name"); variable=$(echo "PONTE_${name//-/_}_PORT" | tr '[:lower:]' '[:upper:]')
    if port_in_use "$port"; then die "port $port (for $name) is taken; stop what uses it or set $variable"; fi
  done
  if port_in_use "$NODE_A_DIMSE_PORT"; then die "DIMSE port $NODE_A_DIMSE_PORT is taken; set PONTE_NODE_A_DIMSE_PORT"; fi
  if port_in_use "$NODE_B_DIMSE_PORT"; then die "DIMSE port $NODE_B_DIMSE_PORT is taken; set PONTE_NODE_B_DIMSE_PORT"; fi
  if port_in_use "$HUB_DIMSE_PORT"; then die "DIMSE port $HUB_DIMSE_PORT (hub) is taken; set PONTE_HUB_DIMSE_PORT"; fi

  mkdir -p "$RUN"
  echo $$ >"$RUN/ponte-up.pid"
  trap up_cleanup EXIT
  trap 'exit 130' INT TERM HUP
  install_prerequisites
  install_ohif
  [ -n "${PONTE_SKIP_BUILD:-}" ] && [ -f "$JAR" ] || build
  : >"$RUN/up.services"
  PONTE_STARTED_FILE="$RUN/up.services" "$SCRIPTS/services.sh" start >/dev/null || die "services did not start"
  reset_demo_state
  for name in "${APPS[@]}"; do start_app "$name"; done
  for name in "${APPS[@]}"; do wait_app "$name" || die "$name did not become ready"; done
  load_samples
  print_ready
  # Foreground until Ctrl-C / `ponte.sh down` (TERM); if a process dies, say so and stop the rest.
  while true; do
    for name in "${APPS[@]}"; do
      tracked_pid "$name" "$JAR" >/dev/null || die "$name stopped unexpectedly; see target/logs/$name.log"
    done
    sleep 2 & wait $! || true
  done
}

down() {
  local pid
  if pid=$(tracked_pid ponte-up ponte.sh); then
    log "asking 'ponte.sh up' (pid $pid) to stop"
    kill -TERM "$pid"
    for _ in $(seq 1 180); do kill -0 "$pid" 2>/dev/null || { log "Ponte is down"; return 0; }; sleep 0.5; done
    log "'ponte.sh up' did not stop within 90 s; stopping its processes directly"
  fi
  up_cleanup
}

status() {
  "$SCRIPTS/services.sh" status
  local name port pid state
  for name in "${APPS[@]}"; do
    port=$(app_port "$name")
    if app_ready "$port"; then state=up; else state=down; fi
    pid=$(tracked_pid "$name" "$JAR") && pid=" (pid $pid)" || pid=""
    printf '%-11s %-5s %s\n' "$name" "$state" "http://127.0.0.1:$port$pid"
  done
}

# ---------------------------------------------------------------- test
TEST_STARTED_FILE=""
test_cleanup() {
  trap '' INT PIPE
  local started; started=$(sort -u "$TEST_STARTED_FILE" 2>/dev/null || true)
  # shellcheck disable=SC2086 # one name per word
  [ -z "$started" ] || "$SCRIPTS/services.sh" stop $started || true
  rm -f "$TEST_STARTED_FILE"
}

run_tests() { # run_tests [MAVEN ARGS...]
  local pid
  if pid=$(tracked_pid ponte-up ponte.sh); then
    die "'ponte.sh up' runs from this checkout (pid $pid); stop it first: the build replaces the jar it runs"
  fi
  install_prerequisites
  install_ohif
  trap test_cleanup EXIT
  trap 'exit 130' INT TERM HUP
  # Only the services this run starts are stopped at the end; ones already running stay as they were.
  mkdir -p "$RUN"
  TEST_STARTED_FILE=$(mktemp "$RUN/test-services.XXXXXX")
  PONTE_STARTED_FILE="$TEST_STARTED_FILE" "$SCRIPTS/services.sh" start >/dev/null || die "services did not start"
  export PONTE_TEST_KEYCLOAK="$KEYCLOAK"
  log "running the test suite: mvn verify (unit tests: surefire, *IT: failsafe)"
  local status=0
  (cd "$ROOT" && mvn -B -ntp verify "$@" </dev/null) || status=$?
  log "mvn verify exited with $status"
  if [ $status -eq 0 ]; then
    # src/bench is compiled by no test; without this a change to the shared test code breaks the
    # benchmarks and the fault and load suites unnoticed.
    log "compiling src/bench (benchmarks, fault and load suites): mvn -Pbench test-compile"
    (cd "$ROOT" && mvn -B -ntp -q -Pbench test-compile "$@" </dev/null) || status=$?
  fi
  if [ $status -ne 0 ]; then
    log "reports: target/surefire-reports, target/failsafe-reports; processes started by ITs: target/it-logs;" \
      "services: target/logs"
  fi
  return $status
}

# ---------------------------------------------------------------- faults
# Builds the jar and compiles the suites of src/bench (mvn -Pbench test-compile) and their classpath
# (target/faults-cp.txt), unless PONTE_SKIP_BUILD=1 and both are there already.
compile_suite() { # compile_suite CLASS_PATH_OF_THE_MAIN (e.g. io/ponte/faults/FaultSuite)
  [ -n "${PONTE_SKIP_BUILD:-}" ] && [ -f "$JAR" ] || build
  if [ -z "${PONTE_SKIP_BUILD:-}" ] || [ ! -f "$ROOT/target/test-classes/$1.class" ] \
      || [ ! -f "$ROOT/target/faults-cp.txt" ]; then
    log "compiling the suites (mvn -Pbench test-compile); log: target/logs/faults-build.log"
    (cd "$ROOT" && mvn -B -ntp -Pbench test-compile \
      && mvn -B -ntp dependency:build-classpath -Dmdep.outputFile=target/faults-cp.txt -Dmdep.includeScope=test) \
      </dev/null >"$LOGS/faults-build.log" 2>&1 || die "the suites did not compile; see target/logs/faults-build.log"
  fi
}

# The fault suite (src/bench/java/io/ponte/faults): real hubs and nodes from target/quarkus-app, one fault per
# scenario, on loopback, against the shared services, which it never stops (outages are proxies it cuts, a
# PostgreSQL cluster of its own, a tmpfs it fills: root is needed for the last two). PONTE_SKIP_BUILD=1 reuses
# the jar and the compiled suite.
run_faults() { run_suite faults io.ponte.faults.FaultSuite "$@"; }

# ---------------------------------------------------------------- load
# The load suite (src/bench/java/io/ponte/load): a hub and two nodes of its own (target/quarkus-app, as `up` runs
# them), both nodes ingesting by C-STORE at full speed while simulated clinicians search and retrieve through the
# hub; percentiles per operation, ingest rates, heap after GC every 30 s. Loopback only; never stops a service.
run_load() { run_suite load io.ponte.load.LoadSuite "$@"; }

# run_suite NAME MAIN-CLASS [ARGS...]: dcmtk (both suites send with storescu), the shared services up (stopped again only if this started
# them), the jar and src/bench compiled, then the suite's main with its own test-database suffix.
run_suite() {
  local name=$1 main=$2 pid status=0
  shift 2
  if pid=$(tracked_pid ponte-up ponte.sh); then
    die "'ponte.sh up' runs from this checkout (pid $pid); stop it first: the build replaces the jar it runs"
  fi
  command -v storescu >/dev/null && command -v dump2dcm >/dev/null || apt_install dcmtk
  trap test_cleanup EXIT
  trap 'exit 130' INT TERM HUP
  mkdir -p "$RUN" "$LOGS"
  TEST_STARTED_FILE=$(mktemp "$RUN/$name-services.XXXXXX")
  PONTE_STARTED_FILE="$TEST_STARTED_FILE" "$SCRIPTS/services.sh" start >/dev/null || die "services did not start"
  compile_suite "${main//.//}"
  log "running the $name suite${1:+ ($*)}; the processes' logs: target/it-logs/"
  (cd "$ROOT" && PONTE_TEST_KEYCLOAK="$KEYCLOAK" PONTE_TEST_DB_SUFFIX="${PONTE_TEST_DB_SUFFIX:-_$name}" \
    "$JAVA" -Xmx512m -cp "target/test-classes:target/classes:$(cat target/faults-cp.txt)" "$main" "$@") \
    || status=$?
  return $status
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  test) shift; run_tests "$@" ;;
  install) install_prerequisites; install_ohif; log "prerequisites are installed" ;;
  install-viewer) install_ohif; log "the OHIF viewer is installed in $OHIF_HOME" ;;
  faults) shift; run_faults "$@" ;;
  load) shift; run_load "$@" ;;
  *) sed -n '2,/^set -euo pipefail$/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
