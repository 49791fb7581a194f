#!/usr/bin/env bash
# Plain-path A/B (issue 14's "none of this may cost the plain path"): the data plane of an earlier commit
# (--base, default the last commit before the traffic-management work) against this checkout's, side by side
# in one run. Both serve one plain route to the same two nginx backends from the same snapshot cache (written
# by RouteTable.java, no control plane), one event loop each, each with its own version's launcher settings;
# wrk (keep-alive, 64 connections) runs against them in turn, A B B A …, per path, after a warm-up of each.
# Prints a Markdown table and writes it to infra/bench/results/plain-path-ab-<date>.md. Loopback only;
# every load run is bounded in time. Run it on a quiet machine: the goal is a ratio within 3 %.
#
#   infra/bench/plain-ab.sh [--base REV] [--rounds N] [--duration SECONDS] [--warmup SECONDS]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The 1-minute load average before the benchmark starts anything: above ~1 something else shares the machine.
load_before=$(cut -d' ' -f1 /proc/loadavg)
base=ef97242^1 rounds=4 duration=5 warmup=5 connections=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
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
base_commit=$(git -C "$root" rev-parse --short "$base")
now_commit=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- data-plane shared-model || echo "+changes")

work=$(mktemp -d /tmp/ballast-plain-ab.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/base" 2>/dev/null || true
}
trap cleanup EXIT

echo "Building the data plane of $base ($base_commit)..."
git -C "$root" worktree add -q --detach "$work/base" "$base"
(cd "$work/base" && mvn -B -q -o -pl data-plane -am -DskipTests package > "$work/base-build.log" 2>&1) \
  || (cd "$work/base" && mvn -B -q -pl data-plane -am -DskipTests package > "$work/base-build.log" 2>&1) \
  || { echo "the base did not build; see $work/base-build.log" >&2; exit 1; }

B1=18381 B2=18382 HOST=bench.example.com
mkdir -p "$work/nginx/www"
# nginx's workers (www-data) must read the body file: mktemp made the directory private.
chmod 755 "$work" "$work/nginx" "$work/nginx/www"
head -c 16384 /dev/zero | tr '\0' 'x' > "$work/nginx/www/16k"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$B1; root $work/nginx/www; location = / { return 200 "ok"; } }
  server { listen 127.0.0.1:$B2; root $work/nginx/www; location = / { return 200 "ok"; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)

declare -A PORT PID
start_dp() { # name checkout port
  mkdir -p "$work/$1-cache"
  java -cp "$jar" "$root/infra/bench/RouteTable.java" 1 "$work/$1-cache" "$HOST" $B1 $B2 > /dev/null
  # No reachable control plane: each serves the snapshot in its cache, as after a restart without one.
  BALLAST_CP_URLS="http://127.0.0.1:9" BALLAST_NODE_ID="$1" BALLAST_LISTEN="127.0.0.1:$3" \
    BALLAST_ADMIN_LISTEN="127.0.0.1:$(( $3 + 1 ))" BALLAST_CACHE_DIR="$work/$1-cache" BALLAST_EVENT_LOOPS=1 \
    BALLAST_ACCESS_LOG=off BALLAST_DATA_PLANE_JAR="$2/data-plane/target/ballast-data-plane.jar" \
    "$2/data-plane/bin/ballast-data-plane" > "$work/$1.log" 2>&1 &
  pids+=($!); PORT[$1]=$3; PID[$1]=$!
}
start_dp before "$work/base" 18390
start_dp now "$root" 18392
for p in before now; do
  for _ in $(seq 1 120); do
    [[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:${PORT[$p]}/" 2>/dev/null)" == ok ]] && break
    sleep 0.5
  done
  [[ "$(curl -s -H "Host: $HOST" "http://127.0.0.1:${PORT[$p]}/")" == ok ]] || { echo "$p does not serve; see $work" >&2; exit 1; }
  size=$(curl -s -H "Host: $HOST" "http://127.0.0.1:${PORT[$p]}/16k" | wc -c)
  [[ "$size" == 16384 ]] || { echo "$p answers /16k with $size bytes; see $work" >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
run_wrk() { # name path seconds -> "rps cpu_us_per_request" (the data plane's own user+system CPU over the run)
  local before after out
  before=$(cpu_ticks "${PID[$1]}")
  out=$(wrk -t1 -c"$connections" -d"$3"s -H "Host: $HOST" "http://127.0.0.1:${PORT[$1]}$2" 2>/dev/null)
  after=$(cpu_ticks "${PID[$1]}")
  echo "$out" | awk -v t=$(( after - before )) -v hz="$ticks_per_second" '
    /requests in/ { n = $1 } /Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.2f\n", rps, (n > 0 ? t / hz * 1e6 / n : 0) }'
}

: > "$work/rounds.txt"
for path in / /16k; do
  for p in before now; do run_wrk "$p" "$path" "$warmup" > /dev/null; done
  for round in $(seq 1 "$rounds"); do
    order=(before now); (( round % 2 == 0 )) && order=(now before)
    for p in "${order[@]}"; do
      echo "$path $p $(run_wrk "$p" "$path" "$duration")" >> "$work/rounds.txt"
    done
  done
done

table=$(awk '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { k = $1 SUBSEP $2; n[k]++; r[k, n[k]] = $3; c[k, n[k]] = $4; if (!($1 in seen)) { seen[$1] = 1; paths[++np] = $1 } }
  END {
    print "| path | before req/s (median) | now req/s (median) | now / before | CPU µs per request, before / now | now / before (CPU) |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= np; i++) {
      for (side = 0; side < 2; side++) {
        k = paths[i] SUBSEP (side ? "now" : "before")
        for (j = 1; j <= n[k]; j++) { a[j] = r[k, j]; b[j] = c[k, j] }
        m[side] = median(a, n[k]); u[side] = median(b, n[k])
      }
      printf "| %s | %.0f | %.0f | %.3f | %.2f / %.2f | %.3f |\n", paths[i], m[0], m[1], m[1] / m[0], u[0], u[1], u[1] / u[0]
    }
  }' "$work/rounds.txt")
rounds_line=$(awk '{printf "%s%s %s %s (%s µs)", (NR > 1 ? ", " : ""), $1, $2, $3, $4}' "$work/rounds.txt")
header="Plain-path A/B, $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores ($(uname -m)): before = $base ($base_commit), now = $now_commit; one plain route, two nginx backends, one event loop each, wrk -t1 -c$connections, ${rounds}×${duration}s interleaved per path after ${warmup}s warm-up"
out="$root/infra/bench/results/plain-path-ab-$(date -u +%Y%m%d-%H%M).md"
mkdir -p "$(dirname "$out")"
printf '%s\n\n%s\n\nCPU per request is the data plane process'"'"'s user+system CPU over a round divided by the requests wrk completed: less exposed to a busy machine than req/s, which needs a quiet one. Load average before the run: %s (above ~1 something else shared the machine: read the ratios with care).\n\nRounds in run order (req/s): %s.\n' \
  "$header" "$table" "$load_before" "$rounds_line" | tee "$out"
