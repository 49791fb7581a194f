#!/usr/bin/env bash
# Memory and GC of the data plane with the settings it ships with (issue 10's memory and GC goals; issue 16's
# data-plane memory at scale). Not a test: it prints a Markdown table and writes it to
# infra/bench/results/memory-<date>.md. Loopback only; every load run is bounded in time.
#
#  1. GC under load: one plain route to two nginx backends, one event loop; its maximum req/s (wrk, after a
#     warm-up), then constant-rate load (RateLoad.java) at 80 % of it for --duration seconds (default 300). From
#     the GC log: the longest pause and the pause count while the constant-rate run lasted, and the longest pause
#     before it (start-up and warm-up); the RSS sampled every second during the run (highest and last).
#  2. A fleet's config: 1 001 pools, 10 002 backends (RouteTable.java --pools; all but the load's pool point at
#     addresses where nothing listens, so they are held, probed and routed, but down), one event loop. The RSS
#     after --settle seconds with its health checks running and a wrk run through it, and the heap after a full GC.
# Both data planes start from a snapshot cache (no control plane), through data-plane/bin/ballast-data-plane.
#
#   infra/bench/memory.sh [--duration SECONDS] [--settle SECONDS] [--pools N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The 1-minute load average before the benchmark starts anything: above ~1 something else shares the machine.
load_before=$(cut -d' ' -f1 /proc/loadavg)
duration=300 settle=60 pools=1001 connections=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --pools) pools=$2; shift 2 ;;
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
hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
[[ -f "$hdr" ]] || mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 > /dev/null

work=$(mktemp -d /tmp/ballast-memory.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

B1=18681 B2=18682 HOST=127.0.0.1
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
start_dp() { # name port cache-args...
  local name=$1 port=$2; shift 2
  java -cp "$jar" "$root/infra/bench/RouteTable.java" "$@" > "$work/$name-table.txt"
  # No reachable control plane: each serves the snapshot in its cache, as after a restart without one.
  BALLAST_CP_URLS="http://127.0.0.1:9" BALLAST_NODE_ID="$name" BALLAST_LISTEN="127.0.0.1:$port" \
    BALLAST_ADMIN_LISTEN="127.0.0.1:$(( port + 1 ))" BALLAST_CACHE_DIR="$work/$name-cache" BALLAST_EVENT_LOOPS=1 \
    BALLAST_ACCESS_LOG=off JAVA_OPTS="-Xlog:gc:file=$work/$name-gc.log:uptime" \
    "$root/data-plane/bin/ballast-data-plane" > "$work/$name.log" 2>&1 &
  pids+=($!); PORT[$name]=$port; PID[$name]=$!
  for _ in $(seq 1 120); do
    [[ "$(curl -s "http://127.0.0.1:$port/" 2>/dev/null)" == ok ]] && return 0
    sleep 0.5
  done
  echo "$name does not serve; see $work" >&2; exit 1
}
rss_mib() { awk '/VmRSS/ {printf "%.0f\n", $2 / 1024}' "/proc/$1/status"; }
uptime_s() { # seconds since the JVM of $1 started, as its GC log counts them
  local start_ticks hz boot_up
  start_ticks=$(awk '{print $22}' "/proc/$1/stat"); hz=$(getconf CLK_TCK); boot_up=$(cut -d' ' -f1 /proc/uptime)
  awk -v u="$boot_up" -v s="$start_ticks" -v hz="$hz" 'BEGIN { printf "%.3f\n", u - s / hz }'
}
# "longest_ms count" of the pauses in GC log $1 whose uptime stamp lies in [$2, $3)
pauses() {
  awk -v from="$2" -v to="$3" '/Pause/ && !/start/ {
      t = $1; gsub(/[\[\]s]/, "", t); ms = $NF; sub(/ms$/, "", ms)
      if (t + 0 >= from && t + 0 < to) { n++; if (ms + 0 > max) max = ms + 0 } }
    END { printf "%.3f %d\n", max, n }' "$1"
}

# --- 1. GC under constant load -----------------------------------------------------------------------------
mkdir -p "$work/small-cache"
start_dp small 18690 1 "$work/small-cache" "$HOST" $B1 $B2
wrk -t1 -c"$connections" -d15s "http://127.0.0.1:18690/" > /dev/null 2>&1
max_rps=$(wrk -t1 -c"$connections" -d10s "http://127.0.0.1:18690/" 2>/dev/null | awk '/Requests\/sec/ { printf "%.0f", $2 }')
rate=$(( max_rps * 8 / 10 ))
echo "Maximum ${max_rps} req/s; constant rate ${rate} req/s for ${duration}s..."
run_from=$(uptime_s "${PID[small]}")
java -cp "$hdr" "$root/infra/bench/RateLoad.java" 127.0.0.1 18690 / "$rate" "$connections" "$duration" > "$work/rate.txt" &
load_pid=$!
rss_max=0 rss_last=0
while kill -0 "$load_pid" 2>/dev/null; do
  rss_last=$(rss_mib "${PID[small]}"); (( rss_last > rss_max )) && rss_max=$rss_last
  sleep 1
done
wait "$load_pid"
run_to=$(uptime_s "${PID[small]}")
read -r sent ok errors p50 p99 p999 maxlat < "$work/rate.txt"
read -r run_pause run_count <<< "$(pauses "$work/small-gc.log" "$run_from" "$run_to")"
read -r before_pause before_count <<< "$(pauses "$work/small-gc.log" 0 "$run_from")"

# --- 2. A fleet's config -------------------------------------------------------------------------------------
mkdir -p "$work/fleet-cache"
start_dp fleet 18692 --pools "$pools" 10 "$work/fleet-cache" "$HOST" $B1 $B2
sleep "$settle"
fleet_rps=$(wrk -t1 -c"$connections" -d10s "http://127.0.0.1:18692/" 2>/dev/null | awk '/Requests\/sec/ { printf "%.0f", $2 }')
fleet_rss=$(rss_mib "${PID[fleet]}")
jcmd "${PID[fleet]}" GC.run > /dev/null 2>&1 || true
sleep 1
heap_after_gc=$(jcmd "${PID[fleet]}" GC.heap_info 2>/dev/null | awk '/total/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); t += v } } END { printf "%.0f", t / 1024 }')
fleet_rss_after=$(rss_mib "${PID[fleet]}")

out="$root/infra/bench/results/memory-$(date -u +%Y%m%d-%H%M).md"
mkdir -p "$(dirname "$out")"
{
  echo "Data-plane memory and GC, $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores ($(uname -m)), $(java -version 2>&1 | head -1); the shipped launcher settings (data-plane/bin/ballast-data-plane), one event loop. Load average before the run: $load_before (above ~1 something else shared the machine: pauses and latencies then include time the process waited for a core)."
  echo
  echo "| measure | value | goal |"
  echo "|---|---|---|"
  echo "| maximum req/s (wrk -c$connections, 2 B) | $max_rps | |"
  echo "| constant rate, 80 % of it, ${duration}s (RateLoad, open loop) | ${rate}/s: ok $ok, errors $errors, p50 $p50 / p99 $p99 / p99.9 $p999 / max $maxlat ms | |"
  echo "| longest GC pause during the constant-rate run | $run_pause ms ($run_count pauses) | ≤ 10 ms |"
  echo "| longest GC pause before it (start-up, warm-up, maximum run) | $before_pause ms ($before_count pauses) | |"
  echo "| RSS during the run: highest / at the end | $rss_max / $rss_last MiB | ≤ 128 MiB |"
  echo "| RSS holding $(cut -d: -f2 "$work/fleet-table.txt" | sed 's/^ //'), ${settle}s of health checks, then 10 s of wrk ($fleet_rps req/s) | $fleet_rss MiB | ≤ 256 MiB |"
  echo "| same, live heap after a full GC / RSS after it | $heap_after_gc / $fleet_rss_after MiB | |"
} | tee "$out"
echo "(written to $out; logs in $work)"
