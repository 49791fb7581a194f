#!/usr/bin/env bash
# Failover at default health settings (see ../shared/design/BENCHMARKS.md): three backend processes behind
# one data plane, GETs at a fixed rate, one backend killed with SIGKILL part-way. Reports the time from the
# kill to the last request the proxy sent to it, to it leaving rotation, and the count of failed client
# requests (goal: zero). Not a test: prints a Markdown table and writes it to infra/bench/results/.
# Loopback only; bounded in time.
#
#   infra/bench/failover.sh [--rate N] [--seconds N] [--kill-after N] [--rounds N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/infra/bench/failover"
rate=200 seconds=25 kill_after=5 rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --kill-after) kill_after=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v curl > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl > /dev/null; }
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
done

work=$(mktemp -d /tmp/ballast-failover.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

CP=18194 PROXY=18192 ADMIN=18193 B=(18181 18182 18183)
admin_token="bench-admin-$(openssl rand -hex 8)" dp_token="bench-dp-$(openssl rand -hex 8)"
QUARKUS_HTTP_PORT=$CP BALLAST_HTTPS=off BALLAST_DATA_DIR="$work/cp" BALLAST_ADMIN_TOKEN="$admin_token" BALLAST_DATAPLANE_TOKEN="$dp_token" \
  java -jar "$root/control-plane/target/quarkus-app/quarkus-run.jar" > "$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$CP/q/health/ready" > /dev/null && break; sleep 0.5; done
api() { curl -fs -o /dev/null -X "$1" "http://127.0.0.1:$CP/api/v1$2" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
# Every health, outlier and retry setting at its default (API.md); only the probe path is named.
api POST /pools '{"name":"web","healthCheck":{"path":"/healthz"}}'
api POST /routes '{"name":"web","pool":"web"}'

BALLAST_CP_URLS="http://127.0.0.1:$CP" BALLAST_DP_TOKEN="$dp_token" BALLAST_NODE_ID=failover-bench \
  BALLAST_LISTEN="127.0.0.1:$PROXY" BALLAST_ADMIN_LISTEN="127.0.0.1:$ADMIN" BALLAST_CACHE_DIR="$work/dp" \
  BALLAST_EVENT_LOOPS=1 java -Xmx512m -jar "$root/data-plane/target/ballast-data-plane.jar" > "$work/dp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$ADMIN/ready" > /dev/null && break; sleep 0.5; done

results=()
for round in $(seq 1 "$rounds"); do
  backend_pids=()
  for i in 0 1 2; do
    java "$here/Backend.java" "b$i" "${B[$i]}" > "$work/b$i.log" 2>&1 &
    backend_pids+=($!)
    pids+=($!)
  done
  for i in 0 1 2; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${B[$i]}/" > /dev/null && break; sleep 0.2; done
    api POST /pools/web/backends "{\"name\":\"b$i\",\"host\":\"127.0.0.1\",\"port\":${B[$i]}}" || true
  done
  for _ in $(seq 1 120); do
    [[ "$(curl -fs "http://127.0.0.1:$ADMIN/metrics" | grep -c '^ballast_backend_up{pool="web",backend="b[012]"} 1')" == 3 ]] && break
    sleep 0.5
  done
  out=$(java "$here/Failover.java" "http://127.0.0.1:$PROXY" "http://127.0.0.1:$ADMIN" b1 "${backend_pids[1]}" \
    "$rate" "$seconds" "$kill_after")
  echo "$out" > "$work/round-$round.txt"
  val() { echo "$out" | sed -n "s/^$1=//p"; }
  results+=("| $round | $(val requests) | $(val failed) | $(val kill_to_last_attempt_ms) | $(val attempts_to_victim_after_kill) | $(val kill_to_out_of_rotation_ms) |")
  for i in 0 2; do kill "${backend_pids[$i]}" 2>/dev/null || true; done
  wait "${backend_pids[@]}" 2>/dev/null || true
  for i in 0 1 2; do api DELETE "/pools/web/backends/b$i" || true; done
  sleep 1
done

table=$(cat <<TABLE
### Failover at default health settings ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))

One data plane (one event loop), three backends, GETs at $rate req/s for ${seconds}s, backend b1 killed (SIGKILL)
after ${kill_after}s. Active checks at their defaults (5s interval, 3 failures); outlier detection and retries at theirs.

| round | client requests | failed client requests | kill → last attempt to b1 (ms) | attempts to b1 after kill | kill → out of rotation (ms) |
|---|---|---|---|---|---|
$(printf '%s\n' "${results[@]}")
TABLE
)
echo "$table"
mkdir -p "$root/infra/bench/results"
echo "$table" > "$root/infra/bench/results/failover-$(date -u +%Y%m%d-%H%M%S).md"
