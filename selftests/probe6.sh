#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 probing: a member with an IPv4 test address also probes over IPv6
# from the link-local address derived from its MAC, or from a configured
# one; targets found by all-nodes discovery (ff02::1), from the IPv6
# default route, or static; NS and echo answered on the test address; the
# IPv4+IPv6 rule (failure needs both, repair needs either); a member that
# probes over IPv6 only.
#
#   host ns "h"                                switch ns "sw"       router "r"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q0 ] -- 192.0.2.1
#                                                                     + fe80::...
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw r
H=$NS_h
SW=$NS_sw
R=$NS_r
h() { ip netns exec "$H" "$@"; }
r() { ip netns exec "$R" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
t_is() { ipmpstat_is "$H" -t "$@"; }
# The modified EUI-64 link-local address of a MAC (RFC 4291).
eui64() {
	local IFS=: m
	read -ra m <<< "$1"
	printf 'fe80::%x:%x:%x:%x\n' $(((0x${m[0]} ^ 2) << 8 | 0x${m[1]})) \
		$((0x${m[2]} << 8 | 0xff)) $((0xfe << 8 | 0x${m[3]})) \
		$((0x${m[4]} << 8 | 0x${m[5]}))
}
mac() { ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'; }
ll() { ip -n "$1" -6 -br addr show dev "$2" scope link | awk '{ sub(/\/.*/, "", $3); print $3 }'; }
# ipmpstat -t's line of IF for its IPv6 test address: "IF MODE TESTADDR
# TARGET...", as printed (TESTADDR has a ':').
t6() {
	h "$IPMPSTAT" -n -t | awk -v i="$1" '$1 == i && $3 ~ /:/' | grep .
}
# t6_has IF MODE TESTADDR TARGET: that line, TARGET among its targets
t6_has() {
	local l
	l=$(t6 "$1") || return
	[[ $l =~ ^$1\ +$2\ +$3\ (.*)$ ]] && [[ " ${BASH_REMATCH[1]} " == *" $4 "* ]]
}
t6_addr() { t6 "$1" | awk '{ print $3 }'; }
drop4_at() {	# the switch drops IPv4 and ARP arriving at a port
	ip netns exec "$SW" tc filter add dev "$1" ingress pref 2 protocol ip matchall action drop &&
		ip netns exec "$SW" tc filter add dev "$1" ingress pref 3 protocol arp matchall action drop
}
pass4_at() {
	ip netns exec "$SW" tc filter del dev "$1" ingress pref 2 &&
		ip netns exec "$SW" tc filter del dev "$1" ingress pref 3
}
drop6_at() { ip netns exec "$SW" tc filter add dev "$1" ingress pref 4 protocol ipv6 matchall action drop; }
pass6_at() { ip netns exec "$SW" tc filter del dev "$1" ingress pref 4; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
switch_host "$SW" "$R" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0 fdt 1000
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
h "$IPMPADM" target add ipmp0 192.0.2.1

T0=$(eui64 "$(mac "$H" e0)")
T1=$(eui64 "$(mac "$H" e1)")
wait_for "the router has its link-local address" 5 eval '[ -n "$(ll "$R" eth0)" ]'
RLL=$(ll "$R" eth0)
diag "e0 $T0, e1 $T1, router $RLL"

check "no test address: no IPv6 probing either" \
	eval '! t6 e0 && i_is INTERFACE,PROBE e0:disabled'
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24
wait_for "an IPv4 test address brings IPv6 probing from e0's MAC-derived link-local address" 5 \
	eval '[ "$(t6_addr e0)" = "$T0" ]'
check "ipmpadm show names it" \
	eval 'h "$IPMPADM" show | grep -q "e0: .* testaddr6 $T0"'
check "the group's own link-local address is not a member's test address" \
	eval 'a=$(ll "$H" ipmp0); [ -n "$a" ] && [ "$a" != "$T0" ] && [ "$a" != "$T1" ]'
wait_for "the router is found by all-nodes discovery (MODE multicast)" 8 \
	t6_has e0 multicast "$T0" "$RLL"
wait_for "and probed from both members" 8 \
	eval 't6_has e1 multicast "$T1" "$RLL" && i_is INTERFACE,PROBE e1:ok'
check "a peer reaches the test address: NS and echo are answered" \
	r ping -6 -c 1 -W 2 "$T0%eth0"
check "the router resolved it to e0's MAC" \
	eval 'r ip -6 neigh show "$T0" dev eth0 | grep -q "lladdr $(mac "$H" e0)"'

# A configured link-local test address replaces the derived one.
check_err "a global IPv6 test address is refused" "must be a link-local unicast address" \
	h "$IPMPADM" test-address add e1 2001:db8::32
check_err "so is another member's" "already used by another member" \
	h "$IPMPADM" test-address add e1 "$T0"
check "a configured IPv6 test address" h "$IPMPADM" test-address add e1 fe80::32
wait_for "replaces the derived one" 5 t6_has e1 multicast fe80::32 "$RLL"
check "a peer pings it on e1" r ping -6 -c 1 -W 2 "fe80::32%eth0"
check "ipmpadm save keeps it, not the derived one" \
	eval 'h "$IPMPADM" save | grep -qx "test-address add e1 fe80::32" && ! h "$IPMPADM" save | grep -q "$T0"'
check "deleting it brings the derived one back" h "$IPMPADM" test-address del e1 fe80::32
wait_for "on e1" 5 eval '[ "$(t6_addr e1)" = "$T1" ]'

# Targets: static, then the default route's next hop.
check "a static IPv6 target" h "$IPMPADM" target add ipmp0 "$RLL"
wait_for "MODE static for IPv6" 5 \
	eval 't6_has e0 static "$T0" "$RLL" && [ "$(t6 e0 | wc -w)" = 4 ]'
check "the IPv4 line keeps its own" t_is INTERFACE,MODE,TESTADDR e0:static:192.0.2.31
check_err "a multicast IPv6 target is refused" "a target must be a unicast address" \
	h "$IPMPADM" target add ipmp0 ff02::1
check "deleting it" h "$IPMPADM" target del ipmp0 "$RLL"
h ip -6 route add default via "$RLL" dev ipmp0
wait_for "the IPv6 default route's next hop (MODE routes)" 5 \
	eval 't6_has e0 routes "$T0" "$RLL" && [ "$(t6 e0 | wc -w)" = 4 ]'
wait_for "probes are answered in both families" 8 \
	eval 'i_is INTERFACE,PROBE,STATE e0:ok:ok && i_is INTERFACE,PROBE,STATE e1:ok:ok'

# The IPv4+IPv6 rule.
drop4_at p0
check_fail "IPv4 lost on e0, IPv6 answered: e0 is not failed" \
	poll 3 i_is INTERFACE,STATE e0:failed
dmesg_mark
drop6_at p0
wait_for "both lost: e0 fails" 4 i_is INTERFACE,PROBE,STATE e0:failed:failed
check "as a member failure" dmesg_has "IP interface failure detected on e0 of group ipmp0"
check "e1 is not failed" i_is INTERFACE,STATE e1:ok
pass6_at p0
wait_for "IPv6 back, IPv4 still lost: either repairs e0" 5 \
	i_is INTERFACE,PROBE,STATE e0:ok:ok
pass4_at p0

# IPv6 only: configured link-local test addresses, no IPv4 one.
h "$IPMPADM" test-address del e0 192.0.2.31
h "$IPMPADM" test-address del e1 192.0.2.32
check "without IPv4 test addresses the derived ones go" \
	eval '! t6 e0 && i_is INTERFACE,PROBE e0:disabled'
h "$IPMPADM" test-address add e0 fe80::31
h "$IPMPADM" test-address add e1 fe80::32
wait_for "IPv6-only probing" 8 \
	eval 't6_has e0 routes fe80::31 "$RLL" && i_is INTERFACE,PROBE e0:ok'
check "ipmpstat -t has one line for e0" \
	eval '[ "$(h "$IPMPSTAT" -t -P -o INTERFACE | grep -cx e0)" = 1 ]'
dmesg_mark
port_drop "$SW" p0
wait_for "a dead path is detected over IPv6 alone" 3 \
	i_is INTERFACE,LINK,PROBE,STATE e0:up:failed:failed
check "its data address moved to e1" \
	eval 'h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | grep -qx 192.0.2.10:e1'
port_pass "$SW" p0
wait_for "and repaired" 5 i_is INTERFACE,PROBE,STATE e0:ok:ok

ktap_finish
