#!/usr/bin/env bash
# Data-plane throughput and latency, as ratios against HAProxy and nginx measured side by side in
# one run (see ../shared/design/BENCHMARKS.md). Not a test: it prints a Markdown table and writes it
# to infra/bench/results/. Everything listens on loopback only; every load run is bounded in time.
#
#   infra/bench/throughput.sh [--rounds N] [--duration SECONDS] [--connections N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=3 duration=10 connections=64 warmup=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" > /dev/null 2>&1; }
if ! need haproxy || ! need nginx || ! need wrk || ! need h2load; then
  echo "Installing haproxy, nginx-light, wrk and nghttp2-client from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy nginx-light wrk nghttp2-client > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
done

work=$(mktemp -d /tmp/ballast-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

B1=18081 B2=18082 HAPROXY=18090 NGINX=18091 BALLAST=18092 BALLAST_ADMIN=18093 CP=18094

# --- backends: one nginx, two servers, fixed bodies of 2 B, 16 KiB and 1 MiB ---------------------
mkdir -p "$work/www" "$work/nginx-backend" "$work/nginx-proxy"
head -c 16384 /dev/zero | tr '\0' 'x' > "$work/www/16k"
head -c 1048576 /dev/zero | tr '\0' 'x' > "$work/www/1m"
# mktemp makes the directory 0700; nginx workers run as an unprivileged user and must read the files.
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/16k" "$work/www/1m"
cat > "$work/nginx-backend/nginx.conf" <<CONF
worker_processes 1;
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

# --- HAProxy: one thread, round robin, keep-alive to the backends ---------------------------------
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY
  bind 127.0.0.1:$((HAPROXY + 10)) proto h2
  default_backend be
backend be
  balance roundrobin
  server b1 127.0.0.1:$B1
  server b2 127.0.0.1:$B2
CONF
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=($!)
haproxy_pid=$!

# --- nginx as a proxy: one worker, upstream keep-alive --------------------------------------------
cat > "$work/nginx-proxy/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx-proxy/nginx.pid;
error_log $work/nginx-proxy/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream be { server 127.0.0.1:$B1; server 127.0.0.1:$B2; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX;
    listen 127.0.0.1:$((NGINX + 10)) http2;
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$work/nginx-proxy/nginx.conf" -e "$work/nginx-proxy/error.log" &
pids+=($!)
nginx_proxy_pid=$!

# --- Ballast: a control plane to configure it, one data plane with one event loop -----------------
admin_token="bench-admin-$(openssl rand -hex 8)" dp_token="bench-dp-$(openssl rand -hex 8)"
QUARKUS_HTTP_PORT=$CP BALLAST_DATA_DIR="$work/cp" BALLAST_ADMIN_TOKEN="$admin_token" BALLAST_DATAPLANE_TOKEN="$dp_token" \
  java -jar "$root/control-plane/target/quarkus-app/quarkus-run.jar" > "$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$CP/q/health/ready" > /dev/null && break; sleep 0.5; done
api() { curl -fs -o /dev/null -X POST "http://127.0.0.1:$CP/api/v1$1" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' -d "$2"; }
api /pools '{"name":"bench","healthCheck":{"path":"/","interval":"5s"}}'
api /pools/bench/backends "{\"host\":\"127.0.0.1\",\"port\":$B1}"
api /pools/bench/backends "{\"host\":\"127.0.0.1\",\"port\":$B2}"
api /routes '{"name":"bench","pool":"bench"}'
BALLAST_CP_URLS="http://127.0.0.1:$CP" BALLAST_DP_TOKEN="$dp_token" BALLAST_NODE_ID=bench \
  BALLAST_LISTEN="127.0.0.1:$BALLAST" BALLAST_ADMIN_LISTEN="127.0.0.1:$BALLAST_ADMIN" BALLAST_CACHE_DIR="$work/dp" \
  BALLAST_EVENT_LOOPS=1 BALLAST_ACCESS_LOG=off java -Xmx512m -jar "$root/data-plane/target/ballast-data-plane.jar" > "$work/dp.log" 2>&1 &
pids+=($!)
ballast_pid=$!
for _ in $(seq 1 120); do
  [[ "$(curl -s "http://127.0.0.1:$BALLAST/" 2>/dev/null)" == ok ]] && break
  sleep 0.5
done
[[ "$(curl -s "http://127.0.0.1:$BALLAST/")" == ok ]] || { echo "Ballast did not serve; see $work/dp.log" >&2; exit 1; }

# Every proxy must really serve every body before anything is measured: a 403 or 404 is fast and wrong.
for p in haproxy nginx ballast; do
  port=$([[ $p == haproxy ]] && echo $HAPROXY || ([[ $p == nginx ]] && echo $NGINX || echo $BALLAST))
  for check in "/ 2" "/16k 16384" "/1m 1048576"; do
    read -r path size <<< "$check"
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port$path")
    [[ "$got" == "200 $size" ]] || { echo "$p $path answered '$got', expected '200 $size'; see $work" >&2; exit 1; }
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# wrk prints "Requests/sec: N" and, with --latency, a "99% Xms" line; both normalised here.
run_wrk() { # port path seconds -> "rps p99_ms"
  wrk -t1 -c"$connections" -d"$3"s --latency "http://127.0.0.1:$1$2" 2>/dev/null | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p99 = v }
    END { printf "%.0f %.2f\n", rps, p99 }'
}

declare -A PID=([haproxy]=$haproxy_pid [nginx]=$nginx_proxy_pid [ballast]=$ballast_pid)
declare -A PORT=([haproxy]=$HAPROXY [nginx]=$NGINX [ballast]=$BALLAST)
proxies=(haproxy nginx ballast)
results="$work/results.txt"
: > "$results"

for path in / /16k /1m; do
  for p in "${proxies[@]}"; do run_wrk "${PORT[$p]}" "$path" "$warmup" > /dev/null; done
  for round in $(seq 1 "$rounds"); do
    for p in "${proxies[@]}"; do
      before=$(cpu_ticks "${PID[$p]}")
      read -r rps p99 < <(run_wrk "${PORT[$p]}" "$path" "$duration")
      after=$(cpu_ticks "${PID[$p]}")
      echo "$path $p $round $rps $p99 $(( after - before )) $(rss_mib "${PID[$p]}")" >> "$results"
      echo "  $path round $round $p: $rps req/s, p99 $p99 ms" >&2
    done
  done
done

# h2load: HTTP/2 with prior knowledge (h2c), 64 connections × 10 streams, bounded by time.
h2_result() { # port -> "rps"
  h2load -c"$connections" -m10 -D"$duration" --warm-up-time=2 "http://127.0.0.1:$1/" 2>/dev/null \
    | awk '/finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") print $(i-1) }' | head -1
}
h2ports=([0]=$((HAPROXY + 10)) [1]=$((NGINX + 10)) [2]=$BALLAST)
for round in $(seq 1 "$rounds"); do
  for i in 0 1 2; do
    rps=$(h2_result "${h2ports[$i]}" || true)
    echo "h2 ${proxies[$i]} $round ${rps:-0} 0 0 0" >> "$results"
    echo "  h2 round $round ${proxies[$i]}: ${rps:-failed} req/s" >&2
  done
done

hz=$(getconf CLK_TCK)
date_now=$(date -u +%Y-%m-%dT%H:%MZ)
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
table=$(awk -v hz="$hz" -v dur="$duration" '
  function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } return (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
  { key = $1 SUBSEP $2; n[key]++; rps[key, n[key]] = $4; p99[key, n[key]] = $5; cpu[key, n[key]] = $6; rss[key] = $7; paths[$1] = 1 }
  END {
    print "| workload | proxy | req/s (median) | p99 ms | req per CPU-second | RSS MiB | Ballast / proxy req/s |"
    print "|---|---|---|---|---|---|---|"
    split("/ /16k /1m h2", order, " ")
    split("haproxy nginx ballast", names, " ")
    for (o = 1; o <= 4; o++) {
      path = order[o]
      if (!(path in paths)) continue
      for (k = 1; k <= 3; k++) {
        key = path SUBSEP names[k]; m = n[key]
        for (i = 1; i <= m; i++) { a[i] = rps[key, i]; b[i] = p99[key, i]; c[i] = cpu[key, i] }
        med[names[k]] = median(a, m); mp99 = median(b, m); mcpu = median(c, m)
        per_cpu = (mcpu > 0) ? sprintf("%.0f", med[names[k]] * dur / (mcpu / hz)) : "-"
        row[k] = sprintf("| %s | %s | %.0f | %s | %s | %s |", (path == "h2" ? "h2c /" : "HTTP/1.1 " path), names[k], med[names[k]], (path == "h2" ? "-" : sprintf("%.2f", mp99)), (path == "h2" ? "-" : per_cpu), (path == "h2" ? "-" : rss[key]))
      }
      for (k = 1; k <= 3; k++) {
        ratio = (names[k] == "ballast") ? "" : ((med[names[k]] > 0) ? sprintf("%.2f", med["ballast"] / med[names[k]]) : "-")
        print row[k] " " ratio " |"
      }
    }
  }' "$results")

mkdir -p "$root/infra/bench/results"
out="$root/infra/bench/results/throughput-$(date -u +%Y%m%d-%H%M).md"
{
  echo "Throughput, $date_now, $machine; wrk -t1 -c$connections, ${duration}s × $rounds rounds interleaved after ${warmup}s warm-up; one worker/thread/event loop each; two nginx backends."
  echo
  echo "$table"
} | tee "$out"
echo "written to $out" >&2
