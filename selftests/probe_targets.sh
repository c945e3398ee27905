#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Targets found without configuration: the next hops of the default route
# through the group, else reachable neighbours of the group, with hosts
# that answer an all-hosts echo preferred to neighbours; a host that stops
# answering is dropped; probing with found targets detects a dead path.
#
#   host ns "h"                                switch ns "sw"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q1 q2 ] -- r1 192.0.2.1
#   data address 192.0.2.10                                         -- r2 192.0.2.2
#   r1 and r2 ignore echo to all-hosts until told otherwise (Linux's
#   default, net.ipv4.icmp_echo_ignore_broadcasts=1)
source "$(dirname "$0")/lib.sh"

require_cmd tc ping
ktap_header
setup_ns h sw r1 r2
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
sw() { ip netns exec "$SW" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
t_is() { ipmpstat_is "$H" -t "$@"; }
both_t() { t_is INTERFACE,MODE,TARGETS "e0:$1:$2" && t_is INTERFACE,MODE,TARGETS "e1:$1:$2"; }
both() { i_is INTERFACE,"$1" e0:"$2" && i_is INTERFACE,"$1" e1:"$2"; }
either_failed() { i_is INTERFACE,STATE e0:failed || i_is INTERFACE,STATE e1:failed; }
targets_of() { h "$IPMPSTAT" -n -t -P -o INTERFACE,TARGETS | sed -n "s/^$1://p"; }
has_targets() {	# has_targets IF ADDR...: IF's targets are these, in any order
	local got want
	got=$(targets_of "$1" | tr ' ' '\n' | sort | tr '\n' ' ')
	shift
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ]
}
answer_mcast() { ip netns exec "$1" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
for i in 1 2; do
	ns=NS_r$i
	switch_host "$SW" "${!ns}" q$i 192.0.2.$i/24
done

h "$IPMPADM" create ipmp0 fdt 1000
ipv4_only "$H" ipmp0	# IPv4 probing here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24

check "with nothing to find, MODE is unknown" both_t unknown ""
check "and PROBE is unknown" both PROBE unknown
check "so is STATE, yet both are usable" eval \
	'both STATE unknown && ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok'
check_fail "nobody is failed for want of targets" poll 2 either_failed

h ip route add default via 192.0.2.1 dev ipmp0
wait_for "the default route's next hop becomes the target" 5 both_t routes 192.0.2.1
wait_for "it answers both members" 5 both PROBE ok
check "ipmpadm show names the mode" \
	eval 'h "$IPMPADM" show ipmp0 | grep -q "targets 192.0.2.1 (routes)"'

drop_at() { port_drop "$SW" "$1"; }
pass_at() { port_pass "$SW" "$1"; }
drop_at p0
wait_for "a dead path behind e0 is detected with the found target" 5 \
	i_is INTERFACE,LINK,PROBE,STATE e0:up:failed:failed
pass_at p0
wait_for "and its repair" 5 i_is INTERFACE,STATE e0:ok

# Without the route: the neighbours the group's own traffic reached.
h ip route del default
# (unless the router's neighbour entry happens to be reachable just then)
wait_for "without the route its next hop is no longer a route target" 5 \
	eval '! t_is INTERFACE,MODE e0:routes && ! t_is INTERFACE,MODE e1:routes'
# A fresh entry: ARP makes it reachable at once (a stale one would wait
# for the kernel's delayed probe).
h ip neigh flush dev ipmp0
check "a peer is reached from the data address" h ping -c 1 -W 2 -I 192.0.2.10 192.0.2.1
wait_for "the reachable neighbour becomes the target" 5 both_t neighbours 192.0.2.1
wait_for "it answers both members" 5 both PROBE ok

# Hosts that answer all-hosts come before neighbours, in the order heard.
answer_mcast "$NS_r1"
answer_mcast "$NS_r2"
wait_for "hosts that answer an all-hosts echo become the targets" 10 \
	eval 'has_targets e0 192.0.2.1 192.0.2.2 && has_targets e1 192.0.2.1 192.0.2.2'
check "MODE is multicast" both_t multicast "$(targets_of e0)"
wait_for "they answer both members" 5 both PROBE ok

dmesg_mark
drop_at q2
wait_for "a host that stops answering is dropped" 10 \
	dmesg_has "probe target 192.0.2.2 of group ipmp0 is gone"
check "the other host stays" eval 'has_targets e0 192.0.2.1 && has_targets e1 192.0.2.1'
check "nobody failed meanwhile" eval '! dmesg_has "IP interface failure detected"'

pass_at q2

check "a static target replaces the found ones" h "$IPMPADM" target add ipmp0 192.0.2.1
check "MODE is static" both_t static 192.0.2.1
check "deleting it brings the found ones back" h "$IPMPADM" target del ipmp0 192.0.2.1
wait_for "MODE is multicast again" 5 \
	eval 't_is INTERFACE,MODE e0:multicast && t_is INTERFACE,MODE e1:multicast'
wait_for "and probes are answered" 5 both PROBE ok

ktap_finish
