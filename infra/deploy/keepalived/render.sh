#!/bin/sh
# Renders keepalived.conf.template for one host. All values come from the environment:
#   NODE_NAME INTERFACE ROUTER_ID PRIORITY SELF_IP PEER_IP VIP (address/prefix) CHECK_SCRIPT READY_URL
# Example:
#   NODE_NAME=lb-a INTERFACE=eth0 ROUTER_ID=51 PRIORITY=150 SELF_IP=10.0.0.11 PEER_IP=10.0.0.12 \
#   VIP=10.0.0.100/24 CHECK_SCRIPT=/etc/keepalived/check-ready.sh \
#   READY_URL="http://127.0.0.1:9901/ready http://127.0.0.1:9902/ready" \
#   ./render.sh > /etc/keepalived/keepalived.conf
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for v in NODE_NAME INTERFACE ROUTER_ID PRIORITY SELF_IP PEER_IP VIP CHECK_SCRIPT READY_URL; do
  eval "val=\${$v:-}"
  if [ -z "$val" ]; then echo "render.sh: $v is not set" >&2; exit 2; fi
done
sed -e "s|\${NODE_NAME}|$NODE_NAME|g" -e "s|\${INTERFACE}|$INTERFACE|g" -e "s|\${ROUTER_ID}|$ROUTER_ID|g" \
    -e "s|\${PRIORITY}|$PRIORITY|g" -e "s|\${SELF_IP}|$SELF_IP|g" -e "s|\${PEER_IP}|$PEER_IP|g" \
    -e "s|\${VIP}|$VIP|g" -e "s|\${CHECK_SCRIPT}|$CHECK_SCRIPT|g" -e "s|\${READY_URL}|$READY_URL|g" \
    "$here/keepalived.conf.template"
