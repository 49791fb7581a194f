#!/usr/bin/env bash
# Starts the whole Ballast system on this machine: the control plane on its embedded PostgreSQL,
# two data planes, two demo backends, a demo pool and route. Ctrl-C stops everything.
#
# It is a demonstration of high availability, so a component that exits does NOT stop the rest:
# the script says what happened and checks that traffic still flows. From another terminal:
#   start.sh kill NAME      SIGKILL one component (control-plane, demo-1, demo-2, dp-1, dp-2)
#   start.sh stop NAME      SIGTERM one component (a clean shutdown)
#   start.sh restart NAME   start a component that exited again (inside the running quick start)
#
# Ports (override with the environment): control plane 9000 (HTTPS 9443, CP_TLS_PORT), data planes 8080
# and 8081 (admin 9901 and 9902), demo backends 9101 and 9102. State lives in .ballast-quickstart/ at the
# project root. The data planes talk to the control plane over wss:// on its HTTPS port, pinned to the
# fingerprint of the self-signed certificate it generated once in .ballast-quickstart/data/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state="${BALLAST_QUICKSTART_DIR:-$root/.ballast-quickstart}"
run="$state/run"
components=(control-plane demo-1 demo-2 dp-1 dp-2)
self="infra/quickstart/start.sh"

# ---- start.sh kill|stop|restart NAME: talks to a running quick start through $state/run ----------
if [[ $# -gt 0 ]]; then
  action=$1 name=${2:-}
  if [[ ! " ${components[*]} " == *" $name "* || ! "$action" =~ ^(kill|stop|restart)$ ]]; then
    echo "usage: $self [kill|stop|restart control-plane|demo-1|demo-2|dp-1|dp-2]" >&2
    exit 2
  fi
  main_pid=$(cat "$run/start.pid" 2>/dev/null || true)
  if [[ -z "$main_pid" ]] || ! kill -0 "$main_pid" 2>/dev/null; then
    echo "No quick start is running (start it with $self)." >&2
    exit 1
  fi
  pid=$(cat "$run/$name.pid" 2>/dev/null || true)
  case "$action" in
    kill|stop)
      if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then echo "$name is not running." >&2; exit 1; fi
      signal=$([[ "$action" == kill ]] && echo KILL || echo TERM)
      kill -"$signal" "$pid"
      echo "Sent SIG$signal to $name (pid $pid); watch the quick start's terminal."
      ;;
    restart)
      if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$name is already running (pid $pid)." >&2; exit 1; fi
      touch "$run/$name.restart"
      for _ in $(seq 1 20); do [[ -e "$run/$name.restart" ]] || break; sleep 0.5; done
      if [[ -e "$run/$name.restart" ]]; then rm -f "$run/$name.restart"; echo "The quick start did not pick up the request." >&2; exit 1; fi
      echo "$name started again (pid $(cat "$run/$name.pid" 2>/dev/null || echo '?'))."
      ;;
  esac
  exit 0
fi

cp_port="${CP_PORT:-9000}"
cp_tls_port="${CP_TLS_PORT:-9443}"
dp_ports=("${DP1_PORT:-8080}" "${DP2_PORT:-8081}")
admin_ports=("${DP1_ADMIN_PORT:-9901}" "${DP2_ADMIN_PORT:-9902}")
backend_ports=("${BACKEND1_PORT:-9101}" "${BACKEND2_PORT:-9102}")
mkdir -p "$state/logs" "$run"
rm -f "$run"/*.pid "$run"/*.restart
echo $$ > "$run/start.pid"

declare -A pid_of=()
stop_all() {
  local rc=$1
  trap - INT TERM EXIT
  echo
  echo "Stopping Ballast..."
  local name
  for name in "${!pid_of[@]}"; do kill "${pid_of[$name]}" 2>/dev/null || true; done
  for name in "${!pid_of[@]}"; do wait "${pid_of[$name]}" 2>/dev/null || true; done
  rm -f "$run"/*.pid "$run"/*.restart
  echo "Stopped. State is kept in $state (delete it to start afresh)."
  exit "$rc"
}
trap 'stop_all $?' EXIT
trap 'stop_all 0' INT TERM

for port in "$cp_port" "$cp_tls_port" "${dp_ports[@]}" "${admin_ports[@]}" "${backend_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use; set CP_PORT, DP1_PORT, ... to free ports." >&2
    exit 1
  fi
done

# Maven 3.8 writes colour codes even with -B, so its output goes to a log (stripped of escape
# sequences) and the terminal gets one plain line per module as the reactor reaches it.
build() {
  local log="$state/logs/build.log" started=$SECONDS downloading=0 line
  echo "Building Ballast (tests skipped; the first build downloads dependencies; log: $log)"
  : > "$log"
  if ! (cd "$root" && mvn -B -DskipTests -pl control-plane,data-plane -am package 2>&1) \
      | sed -u 's/\x1b\[[0-9;]*[A-Za-z]//g' | while IFS= read -r line; do
          printf '%s\n' "$line" >> "$log"
          if [[ "$line" =~ ^\[INFO\]\ Building\ (.+[^ ])\ +\[([0-9]+/[0-9]+)\]$ ]]; then
            printf '  [%s] %s (%ds)\n' "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}" $((SECONDS - started))
          elif [[ $downloading == 0 && "$line" == Downloading\ from* ]]; then
            downloading=1; echo "  downloading dependencies..."
          fi
        done; then
    echo "Build failed; the end of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  echo "  built in $((SECONDS - started))s"
}
[[ "${BALLAST_SKIP_BUILD:-0}" == 1 ]] || build

# Tokens are generated once and kept, so data planes and scripts know them across restarts.
token() {
  local file="$state/$1.token"
  [[ -s "$file" ]] || { echo "blst_$(openssl rand -hex 24)" > "$file"; chmod 600 "$file"; }
  cat "$file"
}
admin_token=$(token admin)
dataplane_token=$(token dataplane)

# Starts one component in the background; its pid goes to $run/NAME.pid for `start.sh kill NAME`.
launch() {
  local name=$1 i
  case "$name" in
    control-plane)
      QUARKUS_HTTP_PORT="$cp_port" QUARKUS_HTTP_SSL_PORT="$cp_tls_port" BALLAST_DATA_DIR="$state/data" \
        BALLAST_ADMIN_TOKEN="$admin_token" BALLAST_DATAPLANE_TOKEN="$dataplane_token" \
        "$root/control-plane/bin/ballast-control-plane" >> "$state/logs/control-plane.log" 2>&1 &
      ;;
    demo-*)
      i=${name#demo-}
      java "$root/infra/quickstart/DemoBackend.java" "${backend_ports[$((i - 1))]}" "$name" >> "$state/logs/backend-$i.log" 2>&1 &
      ;;
    dp-*)
      i=${name#dp-}
      BALLAST_CP_URLS="https://127.0.0.1:$cp_tls_port" BALLAST_CP_PIN="sha256:$cp_fingerprint" \
        BALLAST_DP_TOKEN="$dataplane_token" BALLAST_NODE_ID="$name" \
        BALLAST_LISTEN="0.0.0.0:${dp_ports[$((i - 1))]}" BALLAST_ADMIN_LISTEN="127.0.0.1:${admin_ports[$((i - 1))]}" \
        BALLAST_CACHE_DIR="$state/$name" \
        "$root/data-plane/bin/ballast-data-plane" >> "$state/logs/$name.log" 2>&1 &
      ;;
  esac
  pid_of[$name]=$!
  echo "$!" > "$run/$name.pid"
}

running() { [[ -n "${pid_of[$1]:-}" ]] && kill -0 "${pid_of[$1]}" 2>/dev/null; }

echo "Starting the control plane on :$cp_port (embedded PostgreSQL in $state/data)..."
launch control-plane
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$cp_port/q/health/ready" > /dev/null && break
  running control-plane || { echo "The control plane exited; see $state/logs/control-plane.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$cp_port/q/health/ready" > /dev/null || { echo "The control plane did not become ready." >&2; exit 1; }
# The pin of the control plane's self-signed certificate (generated once, kept in the data directory; the
# control plane also prints it at start): the data planes accept exactly that certificate on wss://.
cp_fingerprint=$(openssl x509 -in "$state/data/cp-tls-cert.pem" -noout -fingerprint -sha256 | sed 's/^.*=//; s/://g' | tr 'A-F' 'a-f')
[[ "$cp_fingerprint" =~ ^[0-9a-f]{64}$ ]] || { echo "Cannot read the control plane's certificate in $state/data." >&2; exit 1; }

launch demo-1
launch demo-2

api() {
  curl -s -o /dev/null -w '%{http_code}' -X "$1" "http://127.0.0.1:$cp_port/api/v1$2" \
    -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
# Create the demo config once; 409 means it is already there from an earlier run.
status=$(api POST /pools '{"name":"demo","healthCheck":{"path":"/healthz","interval":"2s"}}')
[[ "$status" == 201 || "$status" == 409 ]] || echo "warning: creating the demo pool answered $status" >&2
for i in 0 1; do
  status=$(api POST /pools/demo/backends "{\"name\":\"demo-$((i + 1))\",\"host\":\"127.0.0.1\",\"port\":${backend_ports[$i]}}")
  [[ "$status" == 201 || "$status" == 409 ]] || echo "warning: creating backend demo-$((i + 1)) answered $status" >&2
done
status=$(api POST /routes '{"name":"demo","pool":"demo"}')
[[ "$status" == 201 || "$status" == 409 ]] || echo "warning: creating the demo route answered $status" >&2

launch dp-1
launch dp-2
for i in 0 1; do
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:${admin_ports[$i]}/ready" > /dev/null && break
    sleep 0.5
  done
done

cat <<MSG

Ballast is running.
  Web console (sign in with the token): http://127.0.0.1:$cp_port/
  REST API, its reference:            http://127.0.0.1:$cp_port/api/v1   http://127.0.0.1:$cp_port/q/swagger-ui
  Admin token:                        $admin_token   (also in $state/admin.token)
  Control plane over HTTPS:           https://127.0.0.1:$cp_tls_port/   (self-signed; the data planes connect
                                      over wss:// pinned to sha256:$cp_fingerprint)
  Data plane 1 (proxy, admin):        http://127.0.0.1:${dp_ports[0]}/   http://127.0.0.1:${admin_ports[0]}/status
  Data plane 2 (proxy, admin):        http://127.0.0.1:${dp_ports[1]}/   http://127.0.0.1:${admin_ports[1]}/status
  Demo backends:                      http://127.0.0.1:${backend_ports[0]}/   http://127.0.0.1:${backend_ports[1]}/
  Logs:                               $state/logs/

Try this, in another terminal (this one reports what happens):
  curl http://127.0.0.1:${dp_ports[0]}/                       # a few times: demo-1, demo-2, demo-1 ...
  $self kill demo-1            # a backend dies: traffic continues on demo-2
  $self stop control-plane     # data planes keep serving their last configuration
  $self restart demo-1         # bring back any component (also dp-1, dp-2, control-plane)
  Drain demo-2 in the console (Pools > demo > demo-2 > Drain): new requests go to demo-1 only.
Press Ctrl-C to stop everything.

MSG

# Sends a few requests through every running data plane and says who answered them.
probe() {
  local i port ok answers body who
  for i in 0 1; do
    running "dp-$((i + 1))" || continue
    port=${dp_ports[$i]} ok=0 answers=""
    for _ in $(seq 1 10); do
      if body=$(curl -fs --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null); then
        ok=$((ok + 1))
        who=$(sed -n 's/^Hello from \([^ ]*\).*/\1/p' <<< "$body")
        [[ -z "$who" || " $answers " == *" $who "* ]] || answers="$answers $who"
      fi
    done
    echo "  checked: $ok of 10 requests through :$port answered${answers:+ (by${answers})}"
  done
}

# Explains an exit in terms of what keeps working, then proves it with a probe.
report_exit() {
  local name=$1 code=$2 others=() other
  for other in "${components[@]}"; do
    [[ "$other" != "$name" && "$other" == "${name%-*}-"* ]] && running "$other" && others+=("$other")
  done
  case "$name" in
    demo-*)
      if [[ ${#others[@]} -gt 0 ]]; then echo "$name exited (status $code); traffic continues on ${others[*]}."
      else echo "$name exited (status $code); no demo backend is left, so the data planes answer 503."; fi
      ;;
    dp-*)
      if [[ ${#others[@]} -gt 0 ]]; then echo "$name exited (status $code); traffic continues on ${others[*]} (clients of a real fleet follow a VIP or DNS)."
      else echo "$name exited (status $code); no data plane is left, so nothing serves traffic."; fi
      ;;
    control-plane)
      echo "The control plane exited (status $code); data planes keep serving their last configuration. The API and console are down until it returns."
      ;;
  esac
  probe
  echo "  start it again: $self restart $name"
}

# Watches every component once a second; Ctrl-C (the trap above) stops them all.
while true; do
  for name in "${components[@]}"; do
    if [[ -n "${pid_of[$name]:-}" ]] && ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      code=0
      { wait "${pid_of[$name]}"; } 2>/dev/null || code=$?
      unset "pid_of[$name]"
      rm -f "$run/$name.pid"
      report_exit "$name" "$code"
    fi
    if [[ -e "$run/$name.restart" ]]; then
      running "$name" || { launch "$name"; echo "$name started again (pid ${pid_of[$name]})."; }
      rm -f "$run/$name.restart"
    fi
  done
  sleep 1
done
