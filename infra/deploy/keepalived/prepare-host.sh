#!/bin/sh
# Run once per data-plane host (as root, e.g. from a systemd oneshot or the provisioning tool), before keepalived:
# puts the VIP on the loopback interface as well, and tells the kernel to answer ARP only for addresses of the
# interface asked on. keepalived still decides who owns the VIP on the network (it adds it to the real interface
# and announces it); the loopback copy only keeps the VIP a local address on every host, so that a node that has
# just lost the VIP can still finish the answers it was sending from it instead of black-holing them (the
# classic LVS direct-routing set-up). Idempotent.
# Usage: prepare-host.sh VIP        (an IPv4 address, no prefix)
set -eu
vip=${1:?usage: prepare-host.sh VIP}
sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
ip -4 addr show dev lo | grep -q " $vip/32 " || ip addr add "$vip/32" dev lo
