#!/usr/bin/env bash
# High availability of Ballast itself, measured (see ../shared/design/BENCHMARKS.md, "HA"): runs the HA
# end-to-end scenarios with real processes over several rounds and prints, per scenario and round, the
# failover time and the failed client requests:
#   - sigterm / sigkill: keepalived VIP over two data-plane hosts (network namespaces, needs root), steady GET
#     load through the VIP; failover_ms = from the signal to the VIP on the other host (polled every ~50 ms);
#   - return-after-*: the stopped node comes back (no preemption expected);
#   - same-port-restart: a new data plane takes the port (SO_REUSEPORT) while the old one drains, keep-alive
#     load; failover_ms = from SIGTERM to the old process's exit;
#   - control-plane-sigkill-*: one of two control planes killed; failover_ms = until the data plane reconnected
#     to the survivor (one round); failed = API reads through a Ballast pool of control planes that failed.
# Not a test: writes a Markdown table to infra/bench/results/ha-<date>.md. Bounded (about 5 minutes).
#
#   infra/bench/ha.sh [--rounds N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "ha.sh: the VIP scenarios build network namespaces and need root" >&2; exit 2; }
missing=()
[[ -x /usr/sbin/keepalived ]] || missing+=(keepalived)
command -v curl > /dev/null || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
fi
cd "$root"
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$jar" ]] || mvn -B -q -DskipTests package
done
results_file=infra/e2e/target/ha-results.txt
rm -f "$results_file"
set +e
mvn -B -q -pl infra/e2e verify -Dballast.ha.rounds="$rounds" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='VipFailoverEndToEndTest,ZeroDowntimeRestartEndToEndTest,ControlPlaneFailoverEndToEndTest' > /tmp/ballast-ha-bench.log 2>&1
status=$?
set -e
[[ -f "$results_file" ]] || { echo "ha.sh: no results; see /tmp/ballast-ha-bench.log" >&2; exit 1; }

out="infra/bench/results/ha-$(date -u +%Y%m%d-%H%M).md"
{
  echo "## HA scenarios ($(date -u +%F), $(nproc) cores, $(uname -r), $rounds rounds)"
  echo
  echo "| scenario | round | failover (ms) | failed requests | note |"
  echo "|---|---|---|---|---|"
  sed -E 's/^HA-RESULT round=([0-9]+) scenario=([^ ]+) failover_ms=([0-9-]+) failed=([0-9]+) note="(.*)"$/| \2 | \1 | \3 | \4 | \5 |/' \
    "$results_file" | sort -t'|' -k2,2 -k3,3n
  echo
  [[ $status -eq 0 ]] && echo "All assertions of the scenarios held." || echo "Some assertion failed (exit $status): see /tmp/ballast-ha-bench.log."
} | tee "$out"
echo "written to $out"
exit $status
