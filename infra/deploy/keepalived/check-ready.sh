#!/bin/sh
# keepalived's health check for a Ballast data plane: exit 0 when GET /ready answers 200 on one of the given
# admin URLs (several for the two systemd slots, ballast-data-plane@blue / @green, during a handover).
# /ready answers 503 from the first moment of a drain (SIGTERM, POST /drain), which moves the VIP away while
# the node still serves. One quick retry absorbs a single lost probe; the whole check stays well under
# keepalived's one-second timeout (a data plane that is gone refuses at once).
# Usage: check-ready.sh [READY_URL ...]   (default http://127.0.0.1:9901/ready)
[ $# -gt 0 ] || set -- http://127.0.0.1:9901/ready
probe() {
  for url in "$@"; do
    curl -fsS -o /dev/null --max-time 0.3 "$url" 2> /dev/null && return 0
  done
  return 1
}
probe "$@" && exit 0
sleep 0.1
probe "$@"
