#!/usr/bin/env bash
# PostgreSQL primary failover under Patroni, with Ballast on top (BENCHMARKS.md "HA"; TESTING.md
# scenario 10). One etcd, two PostgreSQL 15 nodes under Patroni 3.0 (synchronous_mode, ttl 10 s,
# loop_wait 2 s, configs from infra/deploy/patroni/), two control planes on a multi-host
# BALLAST_DB_URL, one data plane with steady traffic, a steady stream of writes; each round SIGKILLs
# the primary's postmaster. Checks: writes resume within ttl + 10 s, every 2xx write is present and
# recorded once, revision numbers are 1..N, the data plane converges on the newest revision, no
# proxied request fails. Prints a Markdown table and writes it to infra/bench/results/.
# Not part of `mvn verify` (about 3 minutes); loopback only, free ports, one temp dir, all removed.
#
#   infra/bench/patroni-failover.sh [--rounds N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

missing=()
[[ -x /usr/bin/patroni ]] || missing+=(patroni)
command -v etcd > /dev/null 2>&1 || missing+=(etcd-server)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql-15)
command -v psql > /dev/null 2>&1 || missing+=(postgresql-client-15)
/usr/bin/python3 -c 'import etcd, psycopg2' 2> /dev/null || missing+=(python3-etcd python3-psycopg2)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing from Debian: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" > /dev/null
fi
# The Debian package starts a default cluster and an etcd of its own; this script uses neither.
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$root/$jar" ]] || (cd "$root" && mvn -B -q -DskipTests package -pl control-plane,data-plane -am)
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
ROUNDS=$rounds /usr/bin/python3 "$root/infra/bench/patroni_failover.py" | tee "$out"
summary=$(tail -n 1 "$out")

mkdir -p "$root/infra/bench/results"
result="$root/infra/bench/results/patroni-failover-$(date -u +%Y%m%d-%H%M).md"
/usr/bin/python3 - "$summary" > "$result" <<'PY'
import json, platform, os, sys, time
s = json.loads(sys.argv[1])
print("### PostgreSQL primary failover under Patroni (%s, %d cores, %s)" % (time.strftime("%Y-%m-%d", time.gmtime()), os.cpu_count(), platform.machine()))
print()
print("Patroni 3.0.2, etcd 3.4, PostgreSQL 15, synchronous_mode, ttl %d s, loop_wait %d s, primary_start_timeout 0;"
      " two control planes on a multi-host URL (targetServerType=primary), one data plane with traffic;"
      " the primary's postmaster killed with SIGKILL while writes stream through both control planes." % (s["ttl"], s["loop_wait"]))
print()
print("| round | killed | promoted | write outage (s): kill → first 2xx write | longest gap between 2xx writes (s) | writes | not 2xx |")
print("|---|---|---|---|---|---|---|")
for r in s["rounds"]:
    print("| %d | %s | %s | %.1f | %.1f | %d | %d |" % (r["round"], r["killed"], r["promoted"], r["outage_s"], r["gap_s"], r["writes"], r["not_2xx"]))
print()
print("Every 2xx write present and recorded once; revisions 1..%d without duplicates; the data plane converged on the newest;"
      " %d proxied requests, %d failed." % (s["revisions"], s["proxied_ok"], s["proxied_failed"]))
PY
cat "$result"
echo "written to $result"
