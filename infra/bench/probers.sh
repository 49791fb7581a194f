#!/usr/bin/env bash
# Probe load per backend with 10 data planes (issue 16, "Prober sharding"). Not a test: it prints a Markdown
# table and writes it to infra/bench/results/probers-<date>.md.
#
# One control plane (embedded PostgreSQL, through its launcher), N real data-plane processes connected to it,
# and B backends served by one Python process that counts the health checks each backend answers. A pool of
# those backends with a 1 s health check is measured, each phase for a fixed window after a settling time:
#   1. probers: N   (every data plane probes every backend: what every data plane did before prober sharding)
#   2. probers unset (the default: 3 once the fleet is larger than 5)
#   3. probers: 1
#   4. the control plane stopped: every data plane falls back to probing every backend itself.
#
#   infra/bench/probers.sh [--dataplanes N] [--backends B] [--window SECONDS]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
need() { command -v "$1" > /dev/null 2>&1; }
if ! need python3; then
  echo "Installing python3 from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests -pl control-plane,data-plane -am package)
done
work=$(mktemp -d /tmp/ballast-bench-probers.XXXXXX)
exec python3 "$root/infra/bench/probers.py" --root "$root" --work "$work" "$@"
