#!/usr/bin/env bash
# Declarative Ballast configuration from CI: validate a file, dry-run it, apply it and wait until
# every connected data plane runs it. Needs only bash and curl (7.76+).
#
#   BALLAST_URL=https://ballast.example.net BALLAST_TOKEN=... ballast-config.sh validate ballast.yaml
#   ... ballast-config.sh plan  ballast.yaml     # dry run: what would change, and the revision it is based on
#   ... ballast-config.sh apply ballast.yaml     # dry run, then apply on that revision, then wait for the fleet
#
# Settings (environment): BALLAST_URL, BALLAST_TOKEN (viewer is enough for validate; admin to
# apply), BALLAST_PRUNE [true: delete what the file does not name], BALLAST_WAIT [60s],
# BALLAST_MESSAGE [the change message stored with the revision].
# Exit codes: 0 done, 1 refused (invalid file, conflict, unsafe change), 2 applied but the fleet
# did not converge within BALLAST_WAIT, 3 usage.
set -euo pipefail

cmd=${1:-}; file=${2:-}
[[ -n $cmd && -f $file ]] || { echo "usage: $0 validate|plan|apply <file.yaml>" >&2; exit 3; }
: "${BALLAST_URL:?set BALLAST_URL}" "${BALLAST_TOKEN:?set BALLAST_TOKEN}"
prune=${BALLAST_PRUNE:-true}
wait_for=${BALLAST_WAIT:-60s}
message=${BALLAST_MESSAGE:-"applied by CI"}
api="${BALLAST_URL%/}/api/v1"
body=$(mktemp); trap 'rm -f "$body"' EXIT

# call METHOD PATH [curl args...]: prints the HTTP status; the answer is in $body.
call() {
  local method=$1 path=$2; shift 2
  curl -sS -o "$body" -w '%{http_code}' -X "$method" "$api$path" \
    -H "Authorization: Bearer $BALLAST_TOKEN" -H 'Content-Type: application/yaml' "$@"
}

# The answers are compact JSON; these two fields are all the script needs from them.
field() { sed -n "s/.*\"$1\":\([0-9a-z]*\).*/\1/p" "$body" | head -n1; }

case $cmd in
  validate)
    status=$(call POST "/config/validate?prune=$prune" --data-binary @"$file")
    cat "$body"; echo
    [[ $status == 200 ]] || { echo "the file is not valid (HTTP $status)" >&2; exit 1; }
    ;;
  plan|apply)
    status=$(call PUT "/config?dryRun=true&prune=$prune" --data-binary @"$file")
    cat "$body"; echo
    [[ $status == 200 ]] || { echo "dry run refused (HTTP $status)" >&2; exit 1; }
    base=$(field revision)
    echo "dry run against revision $base" >&2
    [[ $cmd == apply ]] || exit 0
    # If-Match: refuse to apply over a revision someone wrote after the dry run was reviewed.
    status=$(call PUT "/config?prune=$prune&wait=converged&timeout=$wait_for" --data-binary @"$file" \
      -H "If-Match: \"$base\"" -H "X-Ballast-Change-Message: $message")
    cat "$body"; echo
    case $status in
      200) echo "applied; revision $(field revision) runs on every connected data plane" >&2 ;;
      202) echo "applied, but some data planes have not acked within $wait_for (see 'pending')" >&2; exit 2 ;;
      412) echo "the configuration changed since the dry run; run the pipeline again" >&2; exit 1 ;;
      *)   echo "apply refused (HTTP $status)" >&2; exit 1 ;;
    esac
    ;;
  *) echo "unknown command $cmd" >&2; exit 3 ;;
esac
