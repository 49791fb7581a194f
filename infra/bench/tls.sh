#!/usr/bin/env bash
# TLS at the edge: Ballast's data plane (BoringSSL through netty-tcnative) against HAProxy (Debian's, OpenSSL 3)
# in one run, with the same ECDSA P-256 certificate and one thread each (see shared design BENCHMARKS.md).
# Not a test: it prints a Markdown table and writes it to infra/bench/results/tls-<time>.md. Loopback only;
# every load run is bounded in time.
#
#   infra/bench/tls.sh [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--connections N] [--testssl]
#
# The certificate is Ballast's "default" one, so wrk and h2load (which send SNI "127.0.0.1") get it too.
# Rows: full handshakes per second with one request per connection (wrk with "Connection: close": wrk's
# OpenSSL client never resumes, so each connection is a full TLS 1.3 handshake), keep-alive HTTPS req/s (wrk),
# HTTP/2 over TLS req/s (h2load, ALPN h2); CPU milliseconds per handshake from /proc of each proxy process.
# With --testssl, also runs Debian's testssl.sh (--fast) against Ballast's listener and lists every finding rated
# HIGH or CRITICAL (it takes a few minutes).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# A 30 s warm-up per row: the JIT needs it on the handshake path (measured 2026-12-02: after 3 s Ballast spent
# 0.89 ms of CPU per handshake, most of it in the C2 compiler; after 25 s 0.27 ms, like HAProxy's 0.28 ms).
rounds=3 duration=10 warmup=30 connections=32 testssl=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --testssl) testssl=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" > /dev/null 2>&1; }
if ! need haproxy || ! need nginx || ! need wrk || ! need h2load || ! need openssl || { [[ $testssl == 1 ]] && ! need testssl; }; then
  echo "Installing haproxy, nginx-light, wrk, nghttp2-client, openssl and testssl.sh from Debian..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy nginx-light wrk nghttp2-client openssl testssl.sh > /dev/null
fi
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
done

work=$(mktemp -d /tmp/ballast-tls-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Ports of their own (throughput.sh uses 18081-18200), so both scripts can be run on one machine.
B1=18581 CP=18594 HA=18600 HA_H2=18601 DP=18610 DP_TLS=18611 DP_ADMIN=18612
HOST=bench.example.com

# --- the certificate: ECDSA P-256 from a local CA (so testssl.sh can be given the CA and judge the setup rather
# than complain of a self-signed leaf), with revocation URIs; the chain is leaf then CA ---------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -keyout "$work/ca-key.pem" -out "$work/ca.pem" \
  -subj "/CN=Ballast bench CA" 2> /dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/leaf.csr" -subj "/CN=$HOST" 2> /dev/null
cat > "$work/leaf.ext" <<EXT
subjectAltName = DNS:$HOST
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/ocsp
crlDistributionPoints = URI:http://127.0.0.1:9/ca.crl
EXT
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial -days 90 \
  -extfile "$work/leaf.ext" -out "$work/leaf.pem" 2> /dev/null
cat "$work/leaf.pem" "$work/ca.pem" > "$work/cert.pem"
cat "$work/cert.pem" "$work/key.pem" > "$work/haproxy.pem"

# --- backend: nginx answering "ok" --------------------------------------------------------------------------
mkdir -p "$work/nginx-backend"
cat > "$work/nginx-backend/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx-backend/nginx.pid;
error_log $work/nginx-backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$B1; location / { return 200 "ok"; } }
}
CONF
nginx -c "$work/nginx-backend/nginx.conf" -e "$work/nginx-backend/error.log" &
pids+=($!)

# --- HAProxy: one thread, TLS 1.2+ with the same certificate, ALPN h2 and http/1.1 ----------------------------
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4000
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HA ssl crt $work/haproxy.pem alpn h2,http/1.1
  default_backend be
backend be
  server b1 127.0.0.1:$B1
CONF
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=($!); ha_pid=$!

# --- Ballast: a control plane holding the certificate, one data plane with one event loop ---------------------
admin_token="bench-admin-$(openssl rand -hex 8)" dp_token="bench-dp-$(openssl rand -hex 8)"
QUARKUS_HTTP_PORT=$CP QUARKUS_HTTP_SSL_PORT=$((CP + 1)) BALLAST_DATA_DIR="$work/cp" BALLAST_ADMIN_TOKEN="$admin_token" \
  BALLAST_DATAPLANE_TOKEN="$dp_token" java -jar "$root/control-plane/target/quarkus-app/quarkus-run.jar" > "$work/cp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$CP/q/health/ready" > /dev/null && break; sleep 0.5; done
api() { curl -fsS -o /dev/null -X POST "http://127.0.0.1:$CP/api/v1$1" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' -d "$2"; }
api /pools '{"name":"bench","healthCheck":{"path":"/","interval":"5s"}}'
api /pools/bench/backends "{\"host\":\"127.0.0.1\",\"port\":$B1}"
api /routes '{"name":"bench","pool":"bench"}'
api /certificates "$(python3 -c 'import json,sys; print(json.dumps({"name": "default", "certificate": open(sys.argv[1]).read(), "privateKey": open(sys.argv[2]).read()}))' "$work/cert.pem" "$work/key.pem")"

BALLAST_CP_URLS="http://127.0.0.1:$CP" BALLAST_DP_TOKEN="$dp_token" BALLAST_NODE_ID=bench-tls \
  BALLAST_LISTEN="127.0.0.1:$DP" BALLAST_TLS_LISTEN="127.0.0.1:$DP_TLS" BALLAST_ADMIN_LISTEN="127.0.0.1:$DP_ADMIN" \
  BALLAST_CACHE_DIR="$work/dp-cache" BALLAST_EVENT_LOOPS=1 BALLAST_ACCESS_LOG=off \
  "$root/data-plane/bin/ballast-data-plane" > "$work/dp.log" 2>&1 &
pids+=($!); dp_pid=$!

declare -A PORT=([haproxy]=$HA [ballast]=$DP_TLS) PID=([haproxy]=$ha_pid [ballast]=$dp_pid)
for p in haproxy ballast; do
  for _ in $(seq 1 120); do
    [[ "$(curl -sk --resolve "$HOST:${PORT[$p]}:127.0.0.1" "https://$HOST:${PORT[$p]}/" 2>/dev/null)" == ok ]] && break
    sleep 0.5
  done
  got=$(curl -sk --http2 -o /dev/null -w '%{http_code} %{http_version}' --resolve "$HOST:${PORT[$p]}:127.0.0.1" "https://$HOST:${PORT[$p]}/")
  [[ "$got" == "200 2" ]] || { echo "$p answered '$got' over h2, expected '200 2'; see $work" >&2; exit 1; }
  # The same leaf on both.
  fp=$(openssl s_client -connect "127.0.0.1:${PORT[$p]}" -servername $HOST < /dev/null 2> /dev/null | openssl x509 -noout -fingerprint -sha256)
  [[ "$fp" == "$(openssl x509 -in "$work/leaf.pem" -noout -fingerprint -sha256)" ]] || { echo "$p serves another certificate" >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_ms=$(( 1000 / $(getconf CLK_TCK) ))
run_wrk() { # port seconds [extra wrk args] -> "rps"
  local port=$1 seconds=$2; shift 2
  wrk -t1 -c"$connections" -d"$seconds"s "$@" "https://127.0.0.1:$port/" 2>/dev/null | awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
}
run_h2() { # port seconds -> "rps"
  h2load -t1 -c"$connections" -m10 -D"$2" --warm-up-time=1 "https://127.0.0.1:$1/" 2>/dev/null \
    | awk '/finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") { printf "%.0f\n", $(i-1); exit } }'
}

results="$work/results.txt"
: > "$results"
for row in handshake keepalive h2; do
  for p in haproxy ballast; do # warm-up (the JVM's JIT needs it; HAProxy gets the same)
    case $row in
      handshake) run_wrk "${PORT[$p]}" "$warmup" -H "Connection: close" > /dev/null ;;
      keepalive) run_wrk "${PORT[$p]}" "$warmup" > /dev/null ;;
      h2) run_h2 "${PORT[$p]}" "$warmup" > /dev/null || true ;;
    esac
  done
  for round in $(seq 1 "$rounds"); do
    for p in haproxy ballast; do
      before=$(cpu_ticks "${PID[$p]}")
      case $row in
        handshake) rps=$(run_wrk "${PORT[$p]}" "$duration" -H "Connection: close") ;;
        keepalive) rps=$(run_wrk "${PORT[$p]}" "$duration") ;;
        h2) rps=$(run_h2 "${PORT[$p]}" "$duration") ;;
      esac
      cpu_ms=$(( ($(cpu_ticks "${PID[$p]}") - before) * tick_ms ))
      echo "$row $p $round ${rps:-0} $cpu_ms" >> "$results"
    done
  done
done

stamp=$(date -u +%Y%m%d-%H%M)
out="$root/infra/bench/results/tls-$stamp.md"
{
  echo "# TLS: Ballast vs HAProxy, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Same run, same ECDSA P-256 certificate, one thread each (Ballast: 1 event loop; HAProxy: nbthread 1), $connections"
  echo "connections, ${warmup}s warm-up per row, $rounds rounds of ${duration}s, median shown. $(nproc) cores, shared with whatever else ran. Ballast:"
  echo "$(grep -o 'BoringSSL[^,]*\|OpenSSL engine[^,]*' "$work/dp.log" | head -1 || true) $(java -version 2>&1 | head -1);"
  echo "HAProxy: $(haproxy -vv 2>/dev/null | grep -m1 'Running on OpenSSL' || haproxy -v | head -1)."
  echo
  echo "| row | HAProxy | Ballast | Ballast / HAProxy | CPU ms per 1000 (HAProxy / Ballast) |"
  echo "|---|---|---|---|---|"
  for row in handshake keepalive h2; do
    med() { awk -v r="$row" -v p="$1" -v f="$2" '$1 == r && $2 == p { print $f }' "$results" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
    h=$(med haproxy 4) b=$(med ballast 4) hc=$(med haproxy 5) bc=$(med ballast 5)
    label=$row
    [[ $row == handshake ]] && label="full handshakes/s (1 request per connection)"
    [[ $row == keepalive ]] && label="keep-alive HTTPS req/s"
    [[ $row == h2 ]] && label="HTTP/2 over TLS req/s"
    per() { awk -v c="$1" -v r="$2" -v d="$duration" 'BEGIN { if (r > 0) printf "%.1f", c / (r * d) * 1000; else print "-" }'; }
    echo "| $label | $h | $b | $(awk -v h="$h" -v b="$b" 'BEGIN { if (h > 0) printf "%.2f", b / h; else print "-" }') | $(per "$hc" "$h") / $(per "$bc" "$b") |"
  done
  echo
  echo "CPU per 1000 is the proxy process's user+system CPU over a run divided by the requests it served (for the"
  echo "handshake row: per 1000 handshakes). Raw rounds (row proxy round req/s cpu-ms):"
  echo
  sed 's/^/    /' "$results"
} > "$out"

if [[ $testssl == 1 ]]; then
  timeout 900 testssl --quiet --color 0 --fast --warnings off --add-ca "$work/ca.pem" --ip 127.0.0.1 \
    --jsonfile "$work/testssl.json" "https://$HOST:$DP_TLS/" > "$work/testssl.txt" 2>&1 || true
  {
    echo
    echo "## testssl.sh $(testssl --version 2>/dev/null | grep -m1 -o 'testssl.sh *[0-9][^ ]*' || true) --fast against Ballast's TLS listener"
    echo
    python3 - "$work/testssl.json" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
counts = {}
for f in findings:
    counts[f.get("severity", "?")] = counts.get(f.get("severity", "?"), 0) + 1
print("Findings by severity: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
print()
bad = [f for f in findings if f.get("severity") in ("HIGH", "CRITICAL")]
print(f"HIGH or CRITICAL: {len(bad)}")
for f in bad:
    print(f"- {f['id']}: {f.get('finding', '')} ({f['severity']})")
medium = [f for f in findings if f.get("severity") in ("MEDIUM", "LOW")]
print()
print("MEDIUM and LOW:")
for f in medium:
    print(f"- {f['id']}: {f.get('finding', '')} ({f['severity']})")
PY
  } >> "$out"
fi
cat "$out"
echo "(written to $out; logs in $work)"
