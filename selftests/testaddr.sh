#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test addresses belong to the module: absent from the IP stack, answered
# (ARP and ICMP echo, nothing else) on their own member only, never moved
# to another member, refused when another member or a data address has it.
#
#   host ns "h"                          switch ns "sw"          peer "p"
#   ipmp0 [ e0 e1 e2(standby) ] -- veth -- br0 [ p0 p1 p2 q0 ] -- eth0
#   test addresses: e0 192.0.2.31, e1 192.0.2.32, e2 192.0.2.33
source "$(dirname "$0")/lib.sh"

ktap_header
echo 0 > /sys/module/ipmp/parameters/link_damp_ms
setup_ns h sw p
H=$NS_h
SW=$NS_sw
P=$NS_p
h() { ip netns exec "$H" "$@"; }
p() { ip netns exec "$P" "$@"; }
mac() { h cat "/sys/class/net/$1/address"; }
peer_mac() { ip -n "$P" neigh show "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'; }
answers() { p ping -c 1 -W 1 "$1" >/dev/null; }
resolves_to() { ip -n "$P" neigh flush dev eth0; answers "$1" && test "$(peer_mac "$1")" = "$(mac "$2")"; }
nowhere_in_stack() { ! ip -n "$H" -o addr show | grep -q "$1"; }
cannot_bind() {
	h python3 -c '
import errno, socket, sys
s = socket.socket()
try:
    s.bind((sys.argv[1], 0))
except OSError as e:
    sys.exit(e.errno != errno.EADDRNOTAVAIL)
sys.exit(1)' "$1"
}
no_tcp() { ! p timeout 3 socat -T 2 - "TCP:$1:22,connect-timeout=2" </dev/null >/dev/null 2>&1; }

ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$SW"
	ip -n "$SW" link set p$i master br0 up
done
ip -n "$P" link add eth0 type veth peer name q0 netns "$SW"
ip -n "$SW" link set q0 master br0 up
ip -n "$P" link set eth0 up
ip -n "$P" addr add 192.0.2.1/24 dev eth0
h "$IPMPADM" create ipmp0
ipv4_only "$H" ipmp0	# IPv4 test addresses here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h "$IPMPADM" add ipmp0 e2 standby
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0

check "a test address is given to a member" \
	h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24
h "$IPMPADM" test-address add e2 192.0.2.33/24
check "ipmpadm show lists it" eval 'h "$IPMPADM" show | grep -q "e0:.*testaddr 192.0.2.31/24"'
check "it is on no device of the IP stack" nowhere_in_stack 192.0.2.31
check "an application cannot bind it" cannot_bind 192.0.2.31
check "a peer can ping it" answers 192.0.2.31
check "it resolves to its member's MAC" resolves_to 192.0.2.31 e0
check "every member answers for its own" resolves_to 192.0.2.32 e1
check "an inactive standby member answers too" resolves_to 192.0.2.33 e2
check "nothing but echo is answered" no_tcp 192.0.2.31
check "ipmpstat -a does not list test addresses" \
	eval '! h "$IPMPSTAT" -n -a -P -o ADDRESS | grep -q "192.0.2.3[123]"'

check_err "a test address used by another member is refused" \
	"test address is already used by another member" \
	h "$IPMPADM" test-address add e1 192.0.2.31/24
check_err "a data address is refused as a test address" \
	"test address is a data address of the group" \
	h "$IPMPADM" test-address add e1 192.0.2.10/24
check_err "a multicast test address is refused" "test address must be a unicast address" \
	h "$IPMPADM" test-address add e1 224.0.0.5
check_err "a non-member has no test address" "device is not a member of an IPMP group" \
	h "$IPMPADM" test-address add lo 192.0.2.40
check "a refused request changed nothing" eval 'h "$IPMPADM" show | grep -q "e1:.*testaddr 192.0.2.32/24"'

# Test addresses never fail over.
ip -n "$SW" link set p0 down
wait_for "the member fails" 5 ipmpstat_is "$H" -i INTERFACE,STATE e0:failed
check_fail "its test address is not answered by others" answers 192.0.2.31
check "the data address still is" answers 192.0.2.10
ip -n "$SW" link set p0 up
wait_for "the member is repaired (unknown: it has no target)" 5 \
	ipmpstat_is "$H" -i INTERFACE,STATE e0:unknown
wait_for "its test address answers again" 5 answers 192.0.2.31

check "a test address can be replaced" h "$IPMPADM" test-address add e0 192.0.2.41/24
check_fail "the old one is gone" answers 192.0.2.31
check "the new one answers" answers 192.0.2.41
check "a test address is deleted" h "$IPMPADM" test-address del e0 192.0.2.41
check_fail "and no longer answered" answers 192.0.2.41
check_err "deleting an address the member lacks is refused" \
	"the member has no such test address" h "$IPMPADM" test-address del e1 192.0.2.99

ktap_finish
