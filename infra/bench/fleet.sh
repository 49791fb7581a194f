#!/usr/bin/env bash
# Write cost at fleet scale (issue 16; see ../../shared/design/BENCHMARKS.md, "Write cost"). Not a
# test: it prints a Markdown table and writes it to infra/bench/results/fleet-<date>.md.
#
#  1. bulk load: 1 000 pools of 10 backends, one REST write each (1 000 revisions);
#  2. 100 single backend writes (add, delete, ...) on that config: REST round trip p50 / p99;
#  3. declarative apply (PUT /config) of the whole exported config: one backend changed, every pool
#     changed, nothing changed.
# One control plane (embedded PostgreSQL, through its launcher) and one data plane connected to it,
# all on loopback; every step is bounded in time.
#
#   infra/bench/fleet.sh [--pools N] [--backends N] [--writes N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
need() { command -v "$1" > /dev/null 2>&1; }
if ! need python3 || ! need curl; then
  echo "Installing python3 and curl from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 curl > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests -pl control-plane,data-plane -am package)
done
work=$(mktemp -d /tmp/ballast-bench-fleet.XXXXXX)
exec python3 "$root/infra/bench/fleet.py" --root "$root" --work "$work" "$@"
