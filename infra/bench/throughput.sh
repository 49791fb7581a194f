#!/usr/bin/env bash
# Data-plane throughput and latency, as ratios against HAProxy and nginx measured side by side in one run
# (see shared design BENCHMARKS.md). Not a test: it prints a Markdown table and writes it to
# infra/bench/results/. Everything listens on loopback only; every load run is bounded in time.
#
#   infra/bench/throughput.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--connections N]
#                             [--loops "1 2"] [--no-rate]
#
# For each event-loop count T: HAProxy with nbthread T (default buffers, and tune.bufsize 65536), nginx with
# T workers, Ballast with T event loops started by data-plane/bin/ballast-data-plane (its shipped JVM
# settings). Rows: HTTP/1.1 2 B / 16 KiB / 1 MiB (wrk), h2c (h2load); at T=1 also a constant-rate row at 50 %
# of HAProxy's maximum with p50/p99/p99.9 from an HdrHistogram (RateLoad.java, latency from the intended send
# time). Also: req per CPU-second, RSS after each run, bytes allocated per request on Ballast's event loops
# (JFR jdk.ThreadAllocationStatistics around one run), the longest GC pause in Ballast's GC log.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The 1-minute load average before the benchmark starts anything: above ~1 something else shares the machine.
load_before=$(cut -d' ' -f1 /proc/loadavg)
rounds=3 duration=10 connections=64 warmup=10 loops_list="1 2" rate_row=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --loops) loops_list=$2; shift 2 ;;
    --no-rate) rate_row=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" > /dev/null 2>&1; }
if ! need haproxy || ! need nginx || ! need wrk || ! need h2load || ! need python3; then
  echo "Installing haproxy, nginx-light, wrk, nghttp2-client and python3 from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy nginx-light wrk nghttp2-client python3 > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
done
hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
if [[ $rate_row == 1 && ! -f "$hdr" ]]; then
  mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 > /dev/null
fi

work=$(mktemp -d /tmp/ballast-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

B1=18081 B2=18082 CP=18094

# --- backends: one nginx with two workers serving two ports, fixed bodies of 2 B, 16 KiB and 1 MiB --------
mkdir -p "$work/www" "$work/nginx-backend"
head -c 16384 /dev/zero | tr '\0' 'x' > "$work/www/16k"
head -c 1048576 /dev/zero | tr '\0' 'x' > "$work/www/1m"
# mktemp makes the directory 0700; nginx workers run as an unprivileged user and must read the files.
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/16k" "$work/www/1m"
cat > "$work/nginx-backend/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx-backend/nginx.pid;
error_log $work/nginx-backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$B1; root $work/www; location = / { return 200 "ok"; } }
  server { listen 127.0.0.1:$B2; root $work/www; location = / { return 200 "ok"; } }
}
CONF
nginx -c "$work/nginx-backend/nginx.conf" -e "$work/nginx-backend/error.log" &
pids+=($!)

declare -A PID PORT H2PORT
start_haproxy() { # name threads port bufsize-line
  cat > "$work/$1.cfg" <<CONF
global
  nbthread $2
  maxconn 4000
  $4
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$3
  bind 127.0.0.1:$(( $3 + 1 )) proto h2
  default_backend be
backend be
  balance roundrobin
  server b1 127.0.0.1:$B1
  server b2 127.0.0.1:$B2
CONF
  haproxy -f "$work/$1.cfg" -db > "$work/$1.log" 2>&1 &
  pids+=($!); PID[$1]=$!; PORT[$1]=$3; H2PORT[$1]=$(( $3 + 1 ))
}
start_nginx() { # name workers port
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<CONF
worker_processes $2;
daemon off;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream be { server 127.0.0.1:$B1; server 127.0.0.1:$B2; keepalive 128; }
  server {
    listen 127.0.0.1:$3;
    listen 127.0.0.1:$(( $3 + 1 )) http2;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  nginx -c "$work/$1/nginx.conf" -e "$work/$1/error.log" &
  pids+=($!); PID[$1]=$!; PORT[$1]=$3; H2PORT[$1]=$(( $3 + 1 ))
}

# --- Ballast: a control plane to configure it, one data plane per event-loop count -----------------------
admin_token="bench-admin-$(openssl rand -hex 8)" dp_token="bench-dp-$(openssl rand -hex 8)"
QUARKUS_HTTP_PORT=$CP BALLAST_HTTPS=off BALLAST_DATA_DIR="$work/cp" BALLAST_ADMIN_TOKEN="$admin_token" BALLAST_DATAPLANE_TOKEN="$dp_token" \
  java -jar "$root/control-plane/target/quarkus-app/quarkus-run.jar" > "$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$CP/q/health/ready" > /dev/null && break; sleep 0.5; done
api() { curl -fs -o /dev/null -X POST "http://127.0.0.1:$CP/api/v1$1" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' -d "$2"; }
api /pools '{"name":"bench","healthCheck":{"path":"/","interval":"5s"}}'
api /pools/bench/backends "{\"host\":\"127.0.0.1\",\"port\":$B1}"
api /pools/bench/backends "{\"host\":\"127.0.0.1\",\"port\":$B2}"
api /routes '{"name":"bench","pool":"bench"}'

start_ballast() { # name loops port
  # JFR here records only per-thread allocation totals (for bytes per request); the GC log gives pauses.
  cat > "$work/$1.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">100 ms</setting></event>
</configuration>
JFC
  JAVA_OPTS="-Xlog:gc:file=$work/$1-gc.log -XX:StartFlightRecording=name=alloc,settings=$work/$1.jfc,filename=$work/$1.jfr" \
  BALLAST_CP_URLS="http://127.0.0.1:$CP" BALLAST_DP_TOKEN="$dp_token" BALLAST_NODE_ID="$1" \
  BALLAST_LISTEN="127.0.0.1:$3" BALLAST_ADMIN_LISTEN="127.0.0.1:$(( $3 + 1 ))" BALLAST_CACHE_DIR="$work/$1-cache" \
  BALLAST_EVENT_LOOPS=$2 BALLAST_ACCESS_LOG=off "$root/data-plane/bin/ballast-data-plane" > "$work/$1.log" 2>&1 &
  pids+=($!); PID[$1]=$!; PORT[$1]=$3; H2PORT[$1]=$3
}

port=18100
for t in $loops_list; do
  start_haproxy "haproxy-$t" "$t" $port ""; port=$((port + 10))
  start_haproxy "haproxy64k-$t" "$t" $port "tune.bufsize 65536"; port=$((port + 10))
  start_nginx "nginx-$t" "$t" $port; port=$((port + 10))
  start_ballast "ballast-$t" "$t" $port; port=$((port + 10))
done
for t in $loops_list; do
  for _ in $(seq 1 120); do
    [[ "$(curl -s "http://127.0.0.1:${PORT[ballast-$t]}/" 2>/dev/null)" == ok ]] && break
    sleep 0.5
  done
done

# Every proxy must really serve every body before anything is measured: a 403 or 404 is fast and wrong.
for p in "${!PORT[@]}"; do
  for check in "/ 2" "/16k 16384" "/1m 1048576"; do
    read -r path size <<< "$check"
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:${PORT[$p]}$path")
    [[ "$got" == "200 $size" ]] || { echo "$p $path answered '$got', expected '200 $size'; see $work" >&2; exit 1; }
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# nginx: the master plus its workers.
cpu_of() { local t=0; for q in $1 $(pgrep -P "$1" || true); do t=$(( t + $(cpu_ticks "$q") )); done; echo $t; }
rss_of() { local t=0; for q in $1 $(pgrep -P "$1" || true); do t=$(( t + $(awk '/VmRSS/ {print $2}' "/proc/$q/status") )); done; echo $(( t / 1024 )); }

run_wrk() { # port path seconds threads -> "rps p99_ms"
  wrk -t"$4" -c"$connections" -d"$3"s --latency "http://127.0.0.1:$1$2" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p99 = v }
    END { printf "%.0f %.2f\n", rps, p99 }'
}
run_h2() { # port seconds threads -> "rps"
  h2load -t"$3" -c"$connections" -m10 -D"$2" --warm-up-time=1 "http://127.0.0.1:$1/" 2>/dev/null \
    | awk '/finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") { print $(i-1); exit } }'
}

results="$work/results.txt"
: > "$results"
for t in $loops_list; do
  proxies=("haproxy-$t" "haproxy64k-$t" "nginx-$t" "ballast-$t")
  for path in / /16k /1m h2; do
    for p in "${proxies[@]}"; do
      if [[ $path == h2 ]]; then run_h2 "${H2PORT[$p]}" "$warmup" "$t" > /dev/null || true
      else run_wrk "${PORT[$p]}" "$path" "$warmup" "$t" > /dev/null; fi
    done
    for round in $(seq 1 "$rounds"); do
      for p in "${proxies[@]}"; do
        before=$(cpu_of "${PID[$p]}")
        if [[ $path == h2 ]]; then rps=$(run_h2 "${H2PORT[$p]}" "$duration" "$t" || true); p99=-
        else read -r rps p99 < <(run_wrk "${PORT[$p]}" "$path" "$duration" "$t"); fi
        after=$(cpu_of "${PID[$p]}")
        echo "$t $path ${p%-*} $round ${rps:-0} $p99 $(( after - before )) $(rss_of "${PID[$p]}")" >> "$results"
        echo "  T=$t $path round $round $p: ${rps:-failed} req/s, p99 $p99 ms" >&2
      done
    done
  done
done

# --- bytes allocated per request: event-loop threads' allocation totals before and after one run ----------
alloc_of() { # jfr file -> total bytes allocated so far by the event-loop threads (latest sample of each)
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import json, sys
last = {}
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]; name = (v.get("thread") or {}).get("javaName") or ""
    if "eventloop" in name:
        last[name] = max(last.get(name, 0), v["allocated"])
print(sum(last.values()))'
}
alloc_rows=""
for t in $loops_list; do
  p="ballast-$t"
  for path in / /16k; do
    jcmd "${PID[$p]}" JFR.dump name=alloc filename="$work/$p-a.jfr" > /dev/null
    read -r rps _ < <(run_wrk "${PORT[$p]}" "$path" "$duration" "$t")
    sleep 0.3
    jcmd "${PID[$p]}" JFR.dump name=alloc filename="$work/$p-b.jfr" > /dev/null
    a=$(alloc_of "$work/$p-a.jfr") b=$(alloc_of "$work/$p-b.jfr")
    per=$(awk -v a="$a" -v b="$b" -v r="$rps" -v d="$duration" 'BEGIN { printf "%.0f", (b - a) / (r * d) }')
    alloc_rows+="| $t | HTTP/1.1 $path | $per |"$'\n'
  done
done

# --- constant rate at 50 % of HAProxy's maximum (T=1, small body), open loop, HdrHistogram ----------------
rate_rows=""
first_t=${loops_list%% *}
if [[ $rate_row == 1 ]]; then
  hmax=$(awk -v t="$first_t" '$1 == t && $2 == "/" && ($3 == "haproxy" || $3 == "haproxy64k") { if ($5 > m) m = $5 } END { print m + 0 }' "$results")
  target=$(( hmax / 2 ))
  for round in $(seq 1 "$rounds"); do
    for p in "haproxy-$first_t" "ballast-$first_t"; do
      out=$(java -cp "$hdr" "$root/infra/bench/RateLoad.java" 127.0.0.1 "${PORT[$p]}" / "$target" "$connections" "$duration")
      echo "$p $round $out" >> "$work/rate.txt"
      echo "  rate $target/s round $round $p: $out (sent ok errors p50 p99 p99.9 max)" >&2
    done
  done
  rate_rows=$(awk -v target="$target" '
    function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
    { k = $1; n[k]++; e[k] += $5; p50[k, n[k]] = $6; p99[k, n[k]] = $7; p999[k, n[k]] = $8; if ($9 > mx[k]) mx[k] = $9 }
    END { for (k in n) { for (i = 1; i <= n[k]; i++) { a[i] = p50[k, i]; b[i] = p99[k, i]; c[i] = p999[k, i] }
      printf "| %s | %d/s | %.2f | %.2f | %.2f | %.2f | %d |\n", k, target, median(a, n[k]), median(b, n[k]), median(c, n[k]), mx[k], e[k] } }' "$work/rate.txt" | sort)
fi

gc_rows=""
for t in $loops_list; do
  worst=$(grep -o 'Pause[^)]*) [0-9.]*ms\|Pause.* [0-9.]*ms' "$work/ballast-$t-gc.log" | grep -o '[0-9.]*ms$' | tr -d 'ms' | sort -g | tail -1)
  count=$(grep -c 'Pause' "$work/ballast-$t-gc.log" || true)
  gc_rows+="| $t | ${worst:-none} | $count |"$'\n'
done

hz=$(getconf CLK_TCK)
date_now=$(date -u +%Y-%m-%dT%H:%MZ)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(java -version 2>&1 | head -1)"
table=$(awk -v hz="$hz" -v dur="$duration" '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { key = $1 SUBSEP $2 SUBSEP $3; n[key]++; rps[key, n[key]] = $5; p99[key, n[key]] = $6; cpu[key, n[key]] = $7; rss[key] = $8; ts[$1] = 1; paths[$2] = 1 }
  END {
    print "| loops | workload | proxy | req/s (median) | p99 ms | req per CPU-second | RSS MiB | Ballast / proxy |"
    print "|---|---|---|---|---|---|---|---|"
    split("/ /16k /1m h2", order, " ")
    split("haproxy haproxy64k nginx ballast", names, " ")
    for (t in ts) for (o = 1; o <= 4; o++) {
      path = order[o]
      if (!(path in paths)) continue
      for (k = 1; k <= 4; k++) {
        key = t SUBSEP path SUBSEP names[k]; m = n[key]
        if (m == 0) continue
        for (i = 1; i <= m; i++) { a[i] = rps[key, i]; b[i] = p99[key, i]; c[i] = cpu[key, i] }
        med[names[k]] = median(a, m); mp99[names[k]] = (path == "h2") ? "-" : sprintf("%.2f", median(b, m)); mcpu = median(c, m)
        pc[names[k]] = (mcpu > 0) ? sprintf("%.0f", med[names[k]] * dur / (mcpu / hz)) : "-"
        mrss[names[k]] = rss[key]
      }
      best = (med["haproxy64k"] > med["haproxy"]) ? "haproxy64k" : "haproxy"
      for (k = 1; k <= 4; k++) {
        nm = names[k]
        ratio = (nm == "ballast") ? sprintf("**%.2f× best HAProxy**", med["ballast"] / med[best]) : ((med[nm] > 0) ? sprintf("%.2f", med["ballast"] / med[nm]) : "-")
        printf "| %s | %s | %s | %.0f | %s | %s | %s | %s |\n", t, (path == "h2" ? "h2c" : "HTTP/1.1 " path), (nm == "haproxy64k" ? "haproxy bufsize 64k" : nm), med[nm], mp99[nm], pc[nm], mrss[nm], ratio
      }
    }
  }' "$results" | (read -r h1; read -r h2; echo "$h1"; echo "$h2"; sort -t'|' -k2,2n -s))

mkdir -p "$root/infra/bench/results"
out="$root/infra/bench/results/throughput-$(date -u +%Y%m%d-%H%M).md"
{
  echo "Throughput, $date_now, $machine. wrk -t<loops> -c$connections and h2load -c$connections -m10, ${duration}s × $rounds rounds interleaved after ${warmup}s warm-up; two nginx backends (2 workers). Ballast runs through data-plane/bin/ballast-data-plane (its shipped JVM settings). Load average before the run: $load_before on $(nproc) cores (above ~1 something else shared the machine and absolute numbers are noisy; the ratios measured side by side are the result)."
  echo
  echo "$table"
  echo
  echo "Constant rate (open loop, latency from the intended send time, HdrHistogram), HTTP/1.1 2 B, $connections connections, ${duration}s:"
  echo
  echo "| proxy | rate | p50 ms | p99 ms | p99.9 ms | max ms | errors |"
  echo "|---|---|---|---|---|---|---|"
  echo "$rate_rows"
  echo
  echo "Ballast, bytes allocated per request on the event-loop threads (JFR jdk.ThreadAllocationStatistics around one ${duration}s run):"
  echo
  echo "| loops | workload | bytes / request |"
  echo "|---|---|---|"
  echo -n "$alloc_rows"
  echo
  echo "Ballast, GC pauses over the whole run (GC log):"
  echo
  echo "| loops | longest pause ms | pauses |"
  echo "|---|---|---|"
  echo -n "$gc_rows"
} | tee "$out"
echo "written to $out (raw data in $work)" >&2
