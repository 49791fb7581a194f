#!/usr/bin/env bash
# Config propagation and scale (see ../../shared/design/BENCHMARKS.md). Not a test: it prints a
# Markdown table and writes it to infra/bench/results/propagation-<date>.md.
#
#  1. propagation: 3 data planes, 100 changes one after another; per change the time from commit to
#     the last of the 3 acks, as the control plane records it (GET /revisions/{n} propagation);
#  2. scale: a config of 1 000 pools and 10 000 backends: time to commit it (REST round trip,
#     including validation, building, hashing and storing the snapshot), to build and hash the
#     snapshot alone, from commit to the data plane's ack, end to end (write sent to the data plane
#     serving it), failed requests of a wrk run against that data plane during the swap, and the
#     data plane's resident memory holding it.
# Everything listens on loopback; every load run is bounded in time.
#
#   infra/bench/propagation.sh [--changes N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
changes=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --changes) changes=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" > /dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need python3 || ! need curl; then
  echo "Installing nginx-light, wrk, python3 and curl from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk python3 curl > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
done
[[ -d "$root/shared-model/target/classes" ]] || (cd "$root" && mvn -B -q -DskipTests -pl shared-model compile)
work=$(mktemp -d /tmp/ballast-bench-propagation.XXXXXX)
(cd "$root" && mvn -B -q -pl shared-model dependency:build-classpath -Dmdep.outputFile="$work/classpath" > /dev/null)

exec python3 "$root/infra/bench/propagation.py" --root "$root" --work "$work" --changes "$changes"
