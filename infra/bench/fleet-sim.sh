#!/usr/bin/env bash
# 100 data planes against one control plane (issue 16). Not a test: it prints a Markdown table and writes it to
# infra/bench/results/fleet-sim-<date>.md.
#
# One control plane (embedded PostgreSQL, through its launcher), 2 real data planes and N simulated ones
# (FleetSimulator.java: one JVM, one real WebSocket each, wire v1), at P pools × B backends (one PUT /config):
#  a. W single-backend writes, one after the other: commit returned → last of the N simulated acks, → last of
#     N + 2 (the real ones' /status), and the control plane's own record (GET /revisions/{n} propagation);
#  b. the control plane restarted (SIGTERM, started again): time until every data plane reconnected and acked the
#     current revision, reconnect attempts and connections per second at the peak;
#  c. the control plane's heap (jstat) and CPU (/proc/<pid>/stat, its JVM and PostgreSQL) during a and b.
# Every step is bounded in time, the whole run to 12 minutes (about 5 at full size on a quiet machine).
#
#   infra/bench/fleet-sim.sh [--data-planes N] [--pools N] [--backends N] [--writes N] [--heartbeat-in-flight all|nonzero]
# (all: heartbeats list every backend's in-flight count, zeros too, as the data plane does; nonzero: only the non-zero)
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
work=$(mktemp -d /tmp/ballast-bench-fleet-sim.XXXXXX)
echo "logs in $work" >&2
exec python3 "$root/infra/bench/fleet_sim.py" --root "$root" --work "$work" "$@"
