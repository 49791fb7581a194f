#!/usr/bin/env bash
# Starts the whole Ballast system on this machine: the control plane on its embedded PostgreSQL,
# two data planes, two demo backends, a demo pool and route. Ctrl-C stops everything.
#
# Ports (override with the environment): control plane 9000, data planes 8080 and 8081 (admin 9901
# and 9902), demo backends 9101 and 9102. State lives in .ballast-quickstart/ at the project root.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state="${BALLAST_QUICKSTART_DIR:-$root/.ballast-quickstart}"
cp_port="${CP_PORT:-9000}"
dp_ports=("${DP1_PORT:-8080}" "${DP2_PORT:-8081}")
admin_ports=("${DP1_ADMIN_PORT:-9901}" "${DP2_ADMIN_PORT:-9902}")
backend_ports=("${BACKEND1_PORT:-9101}" "${BACKEND2_PORT:-9102}")
mkdir -p "$state/logs"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Ballast..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped. State is kept in $state (delete it to start afresh)."
  exit 0
}
trap stop_all INT TERM EXIT

for port in "$cp_port" "${dp_ports[@]}" "${admin_ports[@]}" "${backend_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use; set CP_PORT, DP1_PORT, ... to free ports." >&2
    exit 1
  fi
done

if [[ "${BALLAST_SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building Ballast (mvn package, tests skipped; the first build downloads dependencies)..."
  (cd "$root" && mvn -B -q -DskipTests package) || { echo "Build failed." >&2; exit 1; }
fi

# Tokens are generated once and kept, so data planes and scripts know them across restarts.
token() {
  local file="$state/$1.token"
  [[ -s "$file" ]] || { echo "blst_$(openssl rand -hex 24)" > "$file"; chmod 600 "$file"; }
  cat "$file"
}
admin_token=$(token admin)
dataplane_token=$(token dataplane)

echo "Starting the control plane on :$cp_port (embedded PostgreSQL in $state/data)..."
QUARKUS_HTTP_PORT="$cp_port" BALLAST_DATA_DIR="$state/data" \
  BALLAST_ADMIN_TOKEN="$admin_token" BALLAST_DATAPLANE_TOKEN="$dataplane_token" \
  java -jar "$root/control-plane/target/quarkus-app/quarkus-run.jar" > "$state/logs/control-plane.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$cp_port/q/health/ready" > /dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The control plane exited; see $state/logs/control-plane.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$cp_port/q/health/ready" > /dev/null || { echo "The control plane did not become ready." >&2; exit 1; }

for i in 0 1; do
  java "$root/infra/quickstart/DemoBackend.java" "${backend_ports[$i]}" "demo-$((i + 1))" > "$state/logs/backend-$((i + 1)).log" 2>&1 &
  pids+=($!)
done

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

for i in 0 1; do
  BALLAST_CP_URLS="http://127.0.0.1:$cp_port" BALLAST_DP_TOKEN="$dataplane_token" BALLAST_NODE_ID="dp-$((i + 1))" \
    BALLAST_LISTEN="0.0.0.0:${dp_ports[$i]}" BALLAST_ADMIN_LISTEN="127.0.0.1:${admin_ports[$i]}" \
    BALLAST_CACHE_DIR="$state/dp-$((i + 1))" \
    java -jar "$root/data-plane/target/ballast-data-plane.jar" > "$state/logs/dp-$((i + 1)).log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:${admin_ports[$i]}/ready" > /dev/null && break
    sleep 0.5
  done
done

cat <<MSG

Ballast is running.
  Web console (sign in with the token): http://127.0.0.1:$cp_port/
  Control plane (REST API, OpenAPI):  http://127.0.0.1:$cp_port/api/v1   http://127.0.0.1:$cp_port/q/swagger-ui
  Admin token:                        $admin_token
  Data plane 1 (proxy, admin):        http://127.0.0.1:${dp_ports[0]}/   http://127.0.0.1:${admin_ports[0]}/status
  Data plane 2 (proxy, admin):        http://127.0.0.1:${dp_ports[1]}/   http://127.0.0.1:${admin_ports[1]}/status
  Demo backends:                      http://127.0.0.1:${backend_ports[0]}/   http://127.0.0.1:${backend_ports[1]}/
  Logs:                               $state/logs/

Try:  curl http://127.0.0.1:${dp_ports[0]}/        (run it twice: round robin over both demo backends)
      curl -H "Authorization: Bearer $admin_token" http://127.0.0.1:$cp_port/api/v1/pools
Press Ctrl-C to stop everything.
MSG
wait -n "${pids[@]}" || true
echo "A component exited; see $state/logs/." >&2
