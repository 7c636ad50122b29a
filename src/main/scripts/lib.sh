# Shared by services.sh and ponte.sh (sourced, not run). Everything a script starts is tracked by a
# pidfile under target/run/ and stopped by that PID only, never by a process name.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
RUN="$ROOT/target/run"
LOGS="$ROOT/target/logs"

# Never fails: a closed terminal or pipe must not abort a cleanup half-way.
log() { printf '[%s] %s\n' "${LOG_TAG:-ponte}" "$*" >&2 || true; }
die() { log "ERROR: $*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Runs `apt-get update` at most once per script run, and only when something has to be installed.
APT_UPDATED=${APT_UPDATED:-}
apt_update_once() {
  [ -z "$APT_UPDATED" ] || return 0
  command -v apt-get >/dev/null || die "this script installs with apt-get (Debian/Ubuntu) only"
  log "apt-get update"
  as_root apt-get update -qq </dev/null || die "apt-get update failed"
  APT_UPDATED=1
}

apt_install() { # apt_install PACKAGE...
  [ $# -gt 0 ] || return 0
  apt_update_once
  log "apt-get install $*"
  # Packages such as orthanc or postgresql start their daemon on install; Ponte starts what it needs itself,
  # on its own ports, so daemons are kept from starting during the install (policy-rc.d exit 101).
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && made_policy=1
  fi
  local status=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null || status=$?
  if [ -n "$made_policy" ]; then as_root rm -f "$policy"; fi
  [ $status -eq 0 ] || die "apt-get install $* failed"
}

apt_available() { # apt_available PACKAGE: the package has an install candidate
  apt_update_once
  [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]
}

port_in_use() { # port_in_use PORT: something listens on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_for() { # wait_for NAME SECONDS PID_OR_EMPTY COMMAND...: true once COMMAND succeeds
  local name=$1 seconds=$2 pid=$3; shift 3
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited during start-up"; return 1
    fi
    sleep 1
  done
  log "$name did not answer within ${seconds}s"; return 1
}

# Starts COMMAND in the background with its output in target/logs/NAME.log and its PID in
# target/run/NAME.pid. It runs in a session of its own (setsid, which execs: same PID), so a Ctrl-C or
# hang-up in the terminal reaches only the starting script, whose trap then stops everything in order.
start_tracked() { # start_tracked NAME COMMAND...
  local name=$1; shift
  mkdir -p "$RUN" "$LOGS"
  nohup setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

tracked_pid() { # tracked_pid NAME MARKER: the live PID of NAME whose command line contains MARKER
  local pidfile="$RUN/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  # A stale pidfile may name a PID the system has since reused for something else: check the command.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"; then
    echo "$pid"; return 0
  fi
  return 1
}

# With DONE (a line the service logs once it has shut down cleanly), a process that lingers after saying
# so is killed at once: Azurite logs "successfully closed" and then may idle for minutes on its timers.
stop_tracked() { # stop_tracked NAME MARKER [DONE]: TERM, up to 30 s grace, then KILL; removes the pidfile
  local pid done=${3:-}
  if pid=$(tracked_pid "$1" "$2"); then
    log "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      if [ -n "$done" ] && grep -q -- "$done" "$LOGS/$1.log" 2>/dev/null; then
        sleep 1; kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        break
      fi
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$1 (pid $pid) ignored TERM for 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$1.pid"
}

# ---------------------------------------------------------------- JDKs
java_major() { # java_major JDK_HOME: feature version (17, 21, 25...) or nothing
  local home=$1 version=""
  [ -x "$home/bin/java" ] || return 1
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F= '/java.specification.version/ {gsub(/ /,"",$2); print $2}')
  fi
  echo "${version%%.*}"
}

keycloak_jdk() { # the newest installed JDK >= 21 (Keycloak 26 needs Java 21+; the app itself runs on 17)
  if [ -n "${PONTE_KEYCLOAK_JAVA_HOME:-}" ]; then
    local major; major=$(java_major "$PONTE_KEYCLOAK_JAVA_HOME") || major=0
    [ "${major:-0}" -ge 21 ] || { log "PONTE_KEYCLOAK_JAVA_HOME=$PONTE_KEYCLOAK_JAVA_HOME is not a JDK 21+"; return 1; }
    echo "$PONTE_KEYCLOAK_JAVA_HOME"; return 0
  fi
  local candidates=("${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*)
  if command -v java >/dev/null; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local best="" best_major=0 candidate major
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    major=$(java_major "$candidate" 2>/dev/null) || continue
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}


# ---------------------------------------------------------------- OHIF viewer
OHIF_VERSION=3.13.2
OHIF_REBASE=2   # bump when install_ohif rebases differently, so an older install is redone
OHIF_HOME="$ROOT/target/tools/ohif"
# install_ohif: the prebuilt OHIF v3 viewer from npm (@ohif/app's dist/, never a CDN) into target/tools/ohif,
# rebased from / to /viewer/ (the hub serves it there) and without its sample app-config.js (the hub writes its
# own, pointing at its /dicomweb and Keycloak). Once per version; `ponte.sh install-viewer` runs only this.
install_ohif() {
  local marker="$OHIF_HOME/.ponte-ohif-$OHIF_VERSION-$OHIF_REBASE"
  [ -f "$marker" ] && return 0
  command -v npm >/dev/null || die "npm is needed to install the OHIF viewer (Debian: npm)"
  log "installing the OHIF viewer $OHIF_VERSION from npm into target/tools/ohif"
  local work; work=$(mktemp -d "${TMPDIR:-/tmp}/ponte-ohif.XXXXXX")
  (cd "$work" && npm pack --silent --loglevel=error "@ohif/app@$OHIF_VERSION" </dev/null >/dev/null) \
    || { rm -rf "$work"; die "npm could not fetch @ohif/app@$OHIF_VERSION"; }
  tar -xzf "$work"/ohif-app-*.tgz -C "$work" package/dist || { rm -rf "$work"; die "the OHIF package has no dist/"; }
  local dist="$work/package/dist"
  # The build assumes it lives at /: its page, its webpack public path and its silent-refresh page are rebased.
  sed -i 's#window.PUBLIC_URL="/"#window.PUBLIC_URL="/viewer/"#g; s#\(href\|src\)="/#\1="/viewer/#g' "$dist/index.html"
  grep -rlF '__webpack_require__.p = "/";' "$dist" --include='*.js' \
    | xargs -r sed -i 's#__webpack_require__.p = "/";#__webpack_require__.p = "/viewer/";#'
  sed -i 's#url(/#url(/viewer/#g' "$dist"/*.css   # fonts referenced from the root
  sed -i '/cdnjs.cloudflare.com/d' "$dist/silent-refresh.html"   # a CDN script; the viewer runs without it
  grep -q 'window.PUBLIC_URL="/viewer/"' "$dist/index.html" || { rm -rf "$work"; die "OHIF's index.html changed shape"; }
  rm -f "$dist/app-config.js" "$dist/_headers" "$dist/_redirects" "$dist/serve.json"
  touch "$dist/.ponte-ohif-$OHIF_VERSION-$OHIF_REBASE"
  rm -rf "$OHIF_HOME"; mkdir -p "$(dirname "$OHIF_HOME")"; mv "$dist" "$OHIF_HOME"; rm -rf "$work"
}
