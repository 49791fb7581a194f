#!/usr/bin/env bash
# Runs every test: unit, control plane (embedded PostgreSQL), data-plane integration and
# conformance, and the end-to-end suite (real processes, a real browser) against the packaged jars.
# First installs, from Debian, what the tests use that a fresh machine lacks: HAProxy (the reference
# the conformance suite compares against), Chromium with its driver (the console's browser tests),
# Patroni, etcd and PostgreSQL 15 (the primary failover test), yamllint (the deployment files) and
# keepalived, curl and iproute2 (the VIP failover test, which runs as root in network namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v haproxy > /dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
command -v chromium > /dev/null 2>&1 || missing+=(chromium)
command -v chromedriver > /dev/null 2>&1 || missing+=(chromium-driver)
[[ -x /usr/bin/patroni ]] || missing+=(patroni)
command -v etcd > /dev/null 2>&1 || missing+=(etcd-server)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql-15)
command -v psql > /dev/null 2>&1 || missing+=(postgresql-client-15)
/usr/bin/python3 -c 'import etcd, psycopg2' > /dev/null 2>&1 || missing+=(python3-etcd python3-psycopg2)
command -v yamllint > /dev/null 2>&1 || missing+=(yamllint)
# The VIP failover test: keepalived (VRRP) in network namespaces, probing /ready with curl.
[[ -x /usr/sbin/keepalived ]] || missing+=(keepalived)
command -v curl > /dev/null 2>&1 || missing+=(curl)
# The TLS tests: openssl s_client (SNI, alerts, session resumption) and openssl req (certificates).
command -v openssl > /dev/null 2>&1 || missing+=(openssl)
command -v ip > /dev/null 2>&1 || missing+=(iproute2)
# The systemd units are checked with systemd's own verifier.
command -v systemd-analyze > /dev/null 2>&1 || missing+=(systemd)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing test prerequisites from Debian: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" > /dev/null
fi

mvn -B verify "$@"
