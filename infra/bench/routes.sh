#!/usr/bin/env bash
# Routing-table cost: req/s through a data plane whose table holds only the route the load takes, against one
# whose table holds that route among 1 000 (exact hosts, wildcard hosts, and prefixes with header conditions on
# the load's own host), measured side by side in one run (BENCHMARKS.md): both data planes run at once, each
# from a snapshot cache written by RouteTable.java (no control plane), one event loop each; wrk (keep-alive,
# 64 connections) runs against them in turn, A B B A …, after a warm-up of each; then the lookup alone is
# timed in one JVM (RouteTable.java --lookup). Prints a Markdown table and
# writes it to infra/bench/results/. Loopback only; every load run is bounded in time.
#
#   infra/bench/routes.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--routes N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The 1-minute load average before the benchmark starts anything: above ~1 something else shares the machine.
load_before=$(cut -d' ' -f1 /proc/loadavg)
rounds=3 duration=10 warmup=10 routes=1000 connections=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --routes) routes=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" > /dev/null 2>&1; }
if ! need nginx || ! need wrk; then
  echo "Installing nginx-light and wrk from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk > /dev/null
fi
jar="$root/data-plane/target/ballast-data-plane.jar"
[[ -f "$jar" ]] || (cd "$root" && mvn -B -q -pl data-plane -am -DskipTests package)

work=$(mktemp -d /tmp/ballast-routes.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

B1=18281 B2=18282 HOST=bench.example.com
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$B1; location = / { return 200 "ok"; } }
  server { listen 127.0.0.1:$B2; location = / { return 200 "ok"; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)

declare -A PORT PID
start_dp() { # name routes port
  java -cp "$jar" "$root/infra/bench/RouteTable.java" "$2" "$work/$1-cache" "$HOST" $B1 $B2 > /dev/null
  # No reachable control plane: each serves the snapshot in its cache, as after a restart without one.
  BALLAST_CP_URLS="http://127.0.0.1:9" BALLAST_NODE_ID="$1" BALLAST_LISTEN="127.0.0.1:$3" \
    BALLAST_ADMIN_LISTEN="127.0.0.1:$(( $3 + 1 ))" BALLAST_CACHE_DIR="$work/$1-cache" BALLAST_EVENT_LOOPS=1 \
    BALLAST_ACCESS_LOG=off "$root/data-plane/bin/ballast-data-plane" > "$work/$1.log" 2>&1 &
  pids+=($!); PORT[$1]=$3; PID[$1]=$!
}
start_dp "one-route" 1 18290
start_dp "$routes-routes" "$routes" 18292
for p in "${!PORT[@]}"; do
  for _ in $(seq 1 120); do
    [[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:${PORT[$p]}/" 2>/dev/null)" == ok ]] && break
    sleep 0.5
  done
  [[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:${PORT[$p]}/")" == ok ]] || { echo "$p does not serve; see $work" >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
run_wrk() { # name seconds -> "rps p99_ms cpu_us_per_request" (the data plane's own user+system CPU over the run)
  local before after out
  before=$(cpu_ticks "${PID[$1]}")
  out=$(wrk -t1 -c"$connections" -d"$2"s --latency -H "Host: $HOST" "http://127.0.0.1:${PORT[$1]}/" 2>/dev/null)
  after=$(cpu_ticks "${PID[$1]}")
  echo "$out" | awk -v t=$(( after - before )) -v hz="$ticks_per_second" '
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p99 = v }
    END { printf "%.0f %.2f %.2f\n", rps, p99, (n > 0 ? t / hz * 1e6 / n : 0) }'
}

names=("one-route" "$routes-routes")
for p in "${names[@]}"; do run_wrk "$p" "$warmup" > /dev/null; done
: > "$work/results.txt"
for round in $(seq 1 "$rounds"); do
  # A B, then B A: neither table always runs right after the other's load.
  order=("${names[@]}"); (( round % 2 == 0 )) && order=("${names[1]}" "${names[0]}")
  for p in "${order[@]}"; do
    echo "$p $(run_wrk "$p" "$duration")" >> "$work/results.txt"
  done
done
cp "$work/results.txt" "$work/rounds.txt"

table=$(awk -v many="$routes-routes" '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { n[$1]++; r[$1, n[$1]] = $2; q[$1, n[$1]] = $3; u[$1, n[$1]] = $4 }
  END {
    print "| routing table | req/s (median) | p99 ms (median) | / 1 route | CPU µs per request (median) | / 1 route (CPU) |"
    print "|---|---|---|---|---|---|"
    for (k in n) { for (i = 1; i <= n[k]; i++) { a[i] = r[k, i]; b[i] = q[k, i]; c[i] = u[k, i] } med[k] = median(a, n[k]); p99[k] = median(b, n[k]); cpu[k] = median(c, n[k]) }
    printf "| 1 route | %.0f | %.2f | 1.00 | %.2f | 1.00 |\n", med["one-route"], p99["one-route"], cpu["one-route"]
    printf "| %s | %.0f | %.2f | %.3f | %.2f | %.3f |\n", many, med[many], p99[many], med[many] / med["one-route"], cpu[many], cpu[many] / cpu["one-route"]
  }' "$work/results.txt")
# The lookup alone, in one JVM (less exposed to a busy machine than req/s): ns per match, median of 7.
lookup=$(java -cp "$jar" "$root/infra/bench/RouteTable.java" --lookup "$routes")
header="Routing table, $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)); one event loop each, wrk -c$connections, ${rounds}×${duration}s interleaved"
out="$root/infra/bench/results/routes-$(date -u +%Y%m%d-%H%M).md"
mkdir -p "$(dirname "$out")"
rounds_line=$(awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}' "$work/rounds.txt")
printf '%s\n\n%s\n\nRoutingTable.match alone: %s\n\nCPU per request: the data plane process'"'"'s user+system CPU over a round divided by the requests wrk completed (less exposed to a busy machine than req/s). Load average before the run: %s (above ~1 something else shared the machine: read the ratios, not the absolute numbers).\n\nRounds in run order (req/s): %s.\n' \
  "$header" "$table" "$lookup" "$load_before" "$rounds_line" | tee "$out"
