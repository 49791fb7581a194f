#!/bin/sh
# keepalived's health check for a Ballast data plane: exit 0 when GET /ready on its admin port answers 200.
# /ready answers 503 from the first moment of a drain (SIGTERM, POST /drain), which moves the VIP away
# while the node still serves. One quick retry absorbs a single lost probe; the whole check stays well
# under keepalived's one-second timeout (a data plane that is gone refuses at once).
# Usage: check-ready.sh [READY_URL]   (default http://127.0.0.1:9901/ready)
url=${1:-http://127.0.0.1:9901/ready}
probe() { curl -fsS -o /dev/null --max-time 0.3 "$url" 2> /dev/null; }
probe && exit 0
sleep 0.1
probe
