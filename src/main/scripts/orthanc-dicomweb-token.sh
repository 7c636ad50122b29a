#!/usr/bin/env bash
# Keeps a clinic's Orthanc pulling from the Ponte hub over DICOMweb past token expiry.
#
# Orthanc's DICOMweb plugin sends a fixed header per DicomWeb.Servers entry, and the hub's tokens live
# minutes (realm accessTokenLifespan 300 s), so a pasted token fails with 401 once it expires. This
# script fetches a token for the clinic's PACS client (client credentials grant, e.g. clinic-norte-pacs
# in realm-config/) and rewrites the entry through Orthanc's REST API (PUT /dicom-web/servers/{name},
# DICOMweb plugin 1.0+), again and again before the token expires. Run it beside Orthanc (a systemd
# service, docs/operations.md "Connecting a clinic's PACS"), or with --once from a timer.
#
#   orthanc-dicomweb-token.sh [--once]
#
# Environment (defaults in brackets):
#   PONTE_TOKEN_URL            Keycloak token endpoint [http://127.0.0.1:8180/realms/ponte/protocol/openid-connect/token]
#   PONTE_PACS_CLIENT_ID       the clinic's PACS client [clinic-norte-pacs]
#   PONTE_PACS_CLIENT_SECRET   its secret; or PONTE_PACS_CLIENT_SECRET_FILE, a file holding it (required)
#   PONTE_HUB_DICOMWEB_URL     the hub's DICOMweb base [http://127.0.0.1:8080/dicomweb/]
#   ORTHANC_URL                Orthanc's REST API [http://127.0.0.1:8042]
#   ORTHANC_SERVER             the DicomWeb.Servers entry to keep fresh [ponte]
#   ORTHANC_CREDENTIALS        user:password for Orthanc's REST API, when it asks for one [none]
#   ORTHANC_SERVER_OPTIONS     more members of the entry, as JSON without braces, e.g. '"Timeout": 60'
#                              (the PUT replaces the whole entry) [none]
#   PONTE_RENEW_FRACTION       renew after this percentage of the token's lifetime [60]
#
# Neither the secret nor a token is ever on a command line (ps) or in the output.
set -euo pipefail

TOKEN_URL=${PONTE_TOKEN_URL:-http://127.0.0.1:8180/realms/ponte/protocol/openid-connect/token}
CLIENT_ID=${PONTE_PACS_CLIENT_ID:-clinic-norte-pacs}
HUB_URL=${PONTE_HUB_DICOMWEB_URL:-http://127.0.0.1:8080/dicomweb/}
ORTHANC=${ORTHANC_URL:-http://127.0.0.1:8042}
SERVER=${ORTHANC_SERVER:-ponte}
FRACTION=${PONTE_RENEW_FRACTION:-60}
ONCE=false
case "${1:-}" in
  --once) ONCE=true ;;
  "") ;;
  *) echo "usage: $0 [--once]" >&2; exit 2 ;;
esac

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) orthanc-dicomweb-token: $*" >&2; }

secret() {
  if [ -n "${PONTE_PACS_CLIENT_SECRET:-}" ]; then
    printf %s "$PONTE_PACS_CLIENT_SECRET"
  elif [ -n "${PONTE_PACS_CLIENT_SECRET_FILE:-}" ]; then
    tr -d '\r\n' <"$PONTE_PACS_CLIENT_SECRET_FILE"
  else
    log "set PONTE_PACS_CLIENT_SECRET or PONTE_PACS_CLIENT_SECRET_FILE"
    exit 2
  fi
}

# One renewal: prints the token's lifetime in seconds on success.
renew() {
  local answer token expires
  answer=$(secret | curl -sS --fail --max-time 20 "$TOKEN_URL" \
    -d grant_type=client_credentials --data-urlencode "client_id=$CLIENT_ID" \
    --data-urlencode client_secret@-) || { log "no token from $TOKEN_URL for $CLIENT_ID"; return 1; }
  token=$(printf %s "$answer" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  expires=$(printf %s "$answer" | sed -n 's/.*"expires_in":\([0-9]*\).*/\1/p')
  if [ -z "$token" ] || [ -z "$expires" ]; then
    log "the token endpoint answered without access_token/expires_in"
    return 1
  fi
  local auth=()
  if [ -n "${ORTHANC_CREDENTIALS:-}" ]; then
    auth=(--config -)
  fi
  # The body (with the token) goes through a file descriptor, the Orthanc credentials through stdin.
  if ! {
    if [ ${#auth[@]} -gt 0 ]; then printf 'user = "%s"\n' "$ORTHANC_CREDENTIALS"; fi
  } | curl -sS --fail --max-time 20 "${auth[@]}" -o /dev/null -X PUT \
    -H 'Content-Type: application/json' \
    --data-binary @<(printf '{"Url":"%s","HttpHeaders":{"Authorization":"Bearer %s"}%s}' \
      "$HUB_URL" "$token" "${ORTHANC_SERVER_OPTIONS:+,$ORTHANC_SERVER_OPTIONS}") \
    "$ORTHANC/dicom-web/servers/$SERVER"; then
    log "Orthanc at $ORTHANC refused the update of DicomWeb server '$SERVER'"
    return 1
  fi
  echo "$expires"
}

while true; do
  if lifetime=$(renew); then
    log "DicomWeb server '$SERVER' has a fresh token for $CLIENT_ID (valid ${lifetime}s)"
    $ONCE && exit 0
    pause=$((lifetime * FRACTION / 100))
    [ "$pause" -ge 1 ] || pause=1
  else
    $ONCE && exit 1
    pause=10
  fi
  sleep "$pause"
done
