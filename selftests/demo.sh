#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": an IPMP group at work, narrated one step per line.  A peer on
# the same switch talks to the group's two data addresses while cables are
# pulled and plugged back, and while a switch port stops forwarding with
# its link up, which only probes can see.
#
#   host ns "h"                          switch ns "sw"              peer ns "peer"
#   ipmp0 192.0.2.10/24 192.0.2.11/24
#     [ net0  net1  (net2: standby, later) ] -- veth -- br0 [ port0 port1 port2 portp ]
#                                                         portp -- veth -- eth0 192.0.2.1/24
source "$(dirname "$0")/lib.sh"

setup_ns h sw peer
H=$NS_h
SW=$NS_sw
P=$NS_peer
A1=192.0.2.10
A2=192.0.2.11
h() { ip netns exec "$H" "$@"; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; h "$@"; }
peer() { printf 'peer$ %s\n' "$*"; ip netns exec "$P" "$@"; }
peer_ping() { printf 'peer$ ping -c 1 %s\n' "$1"; ip netns exec "$P" ping -c 1 -W 2 "$1" | grep 'bytes from'; }
kmsg() { dmesg_since_mark | sed -n 's/^.*ipmp[0-9]*: /  kernel: /p'; }
settle() { wait_for "$1" 10 "${@:2}" >/dev/null; }

mac_of() { h cat "/sys/class/net/$1/address"; }
# The member a data address is bound to (empty when unbound).
inbound() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | sed -n "s/^$1://p"; }
bound_to() { [[ $(inbound "$1") == "$2" ]]; }
spread() { local a b; a=$(inbound $A1) b=$(inbound $A2); [[ -n $a && -n $b && $a != "$b" ]]; }
# The peer's neighbour entry for an address has this MAC.
peer_sees() { ip -n "$P" neigh show "$1" dev eth0 | grep -qi "lladdr $2 "; }

ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add net$i type veth peer name port$i netns "$SW"
	ip -n "$SW" link set port$i master br0 up
done
ip -n "$P" link add eth0 type veth peer name portp netns "$SW"
ip -n "$SW" link set portp master br0 up
ip -n "$P" addr add 192.0.2.1/24 dev eth0
ip -n "$P" link set eth0 up
# The story is IPv4: no IPv6 link-local address on the group to spread too.
h sysctl -qw net.ipv6.conf.default.disable_ipv6=1

dmesg_mark
say "Create the group ipmp0 of net0 and net1, and give it two data addresses."
run "$IPMPADM" create ipmp0
run "$IPMPADM" add ipmp0 net0 net1
run ip link set ipmp0 up
run ip addr add $A1/24 dev ipmp0
run ip addr add $A2/24 dev ipmp0
settle "group ok" ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
settle "addresses spread" spread
kmsg

say "Each data address is bound to one member (INBOUND); both may send (OUTBOUND)."
run "$IPMPSTAT" -g
run "$IPMPSTAT" -i
run "$IPMPSTAT" -n -a
NET0=$(mac_of net0) NET1=$(mac_of net1) NET2=$(mac_of net2)
echo "  (net0 is $NET0, net1 is $NET1)"

say "The peer 192.0.2.1 pings both addresses: it learns a different MAC for each."
peer_ping $A1
peer_ping $A2
peer ip neigh show dev eth0

say "A stream from the peer: a ping every 10 ms to each address, in the background."
echo "peer$ ping -q -i 0.01 -c 300 $A1 &"
ip netns exec "$P" ping -q -i 0.01 -c 300 -W 1 $A1 >"$_lib_tmp/ping1" 2>&1 &
PING1=$!
echo "peer$ ping -q -i 0.01 -c 300 $A2 &"
ip netns exec "$P" ping -q -i 0.01 -c 300 -W 1 $A2 >"$_lib_tmp/ping2" 2>&1 &
PING2=$!
FAILED=$(inbound $A1)
SURVIVOR=$([[ $FAILED == net0 ]] && echo net1 || echo net0)
dmesg_mark
say "Pull $FAILED's cable (its switch port goes down): $A1 moves to $SURVIVOR."
ip -n "$SW" link set "port${FAILED#net}" down
settle "$FAILED failed" ipmpstat_is "$H" -i INTERFACE,STATE "$FAILED:failed"
settle "$A1 on $SURVIVOR" bound_to $A1 "$SURVIVOR"
settle "peer sees $SURVIVOR for $A1" peer_sees $A1 "$(mac_of "$SURVIVOR")"
run "$IPMPSTAT" -g
run "$IPMPSTAT" -n -a
kmsg

say "The peer's view: both addresses now at $SURVIVOR's MAC ($(mac_of "$SURVIVOR")); what the pings lost:"
peer ip neigh show dev eth0
wait "$PING1" "$PING2" || true
printf '%s: %s\n' $A1 "$(grep 'packet loss' "$_lib_tmp/ping1")" \
	$A2 "$(grep 'packet loss' "$_lib_tmp/ping2")"

dmesg_mark
say "Plug $FAILED's cable back: repair, and failback spreads the addresses again."
ip -n "$SW" link set "port${FAILED#net}" up
settle "group ok" ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
settle "addresses spread" spread
MOVED=$(bound_to $A1 "$FAILED" && echo $A1 || echo $A2)
settle "peer sees $FAILED for $MOVED" peer_sees $MOVED "$(mac_of "$FAILED")"
run "$IPMPSTAT" -n -a
peer ip neigh show dev eth0
kmsg

dmesg_mark
say "Add net2 as a standby, then pull net1's cable: the standby takes over net1's address."
run "$IPMPADM" add ipmp0 net2 standby
run "$IPMPSTAT" -i
OLD=$(bound_to $A1 net1 && echo $A1 || echo $A2)
ip -n "$SW" link set port1 down
settle "net2 active" ipmpstat_is "$H" -i INTERFACE,ACTIVE net2:yes
settle "$OLD on net2" bound_to $OLD net2
settle "peer sees net2 for $OLD" peer_sees $OLD "$NET2"
run "$IPMPSTAT" -i
run "$IPMPSTAT" -n -a
peer_ping $OLD
kmsg

dmesg_mark
say "Pull the other cables: the group fails, ipmp0 loses its carrier, the addresses are unbound."
ip -n "$SW" link set port0 down
ip -n "$SW" link set port2 down
settle "group failed" ipmpstat_is "$H" -g GROUP,STATE ipmp0:failed
run "$IPMPSTAT" -g
run "$IPMPSTAT" -n -a
run ip -br link show ipmp0
kmsg

dmesg_mark
say "Plug the cables back: repair, net2 returns to standby, the addresses spread over net0 and net1."
for i in 0 1 2; do ip -n "$SW" link set port$i up; done
settle "group ok" ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
settle "net2 inactive" ipmpstat_is "$H" -i INTERFACE,ACTIVE net2:no
settle "addresses spread" spread
run "$IPMPSTAT" -i
run "$IPMPSTAT" -n -a
peer_ping $A1
peer_ping $A2
kmsg

dmesg_mark
say "A switch port can stop forwarding while its link stays up: only probes see that. Give each member a test address and the group a target (the peer), FDT 1 s."
run "$IPMPADM" set ipmp0 fdt 1000
run "$IPMPADM" test-address add net0 192.0.2.30/24
run "$IPMPADM" test-address add net1 192.0.2.31/24
run "$IPMPADM" test-address add net2 192.0.2.32/24
run "$IPMPADM" target add ipmp0 192.0.2.1
settle "probes answered" eval 'ipmpstat_is "$H" -i INTERFACE,PROBE net0:ok && ipmpstat_is "$H" -i INTERFACE,PROBE net1:ok'
run "$IPMPSTAT" -n -t
run "$IPMPSTAT" -i
kmsg

dmesg_mark
VICTIM=$(inbound $A1)
say "$VICTIM's switch port stops forwarding; its link stays up. Probing fails it within the FDT and $A1 moves."
printf 'switch$ bridge link set dev port%s state 0\n' "${VICTIM#net}"
ip netns exec "$SW" bridge link set dev "port${VICTIM#net}" state 0
settle "$VICTIM failed by probes" ipmpstat_is "$H" -i INTERFACE,LINK,PROBE,STATE "$VICTIM:up:failed:failed"
settle "$A1 moved" eval '! bound_to $A1 "$VICTIM"'
run "$IPMPSTAT" -i
run "$IPMPSTAT" -n -a
kmsg
ms_of() { dmesg | grep -F -- "$1" | tail -1 | sed 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/'; }
T0=$(ms_of "(port${VICTIM#net}) entered disabled state") T1=$(ms_of "IP interface failure detected on $VICTIM")
[[ -n $T0 && -n $T1 ]] && echo "  (detected $((10#$T1 - 10#$T0)) ms after the port stopped forwarding, FDT 1000 ms)"
peer_ping $A1

dmesg_mark
say "The port forwards again: 10 answered probes in a row repair $VICTIM."
printf 'switch$ bridge link set dev port%s state 3\n' "${VICTIM#net}"
ip netns exec "$SW" bridge link set dev "port${VICTIM#net}" state 3
settle "$VICTIM repaired" ipmpstat_is "$H" -i INTERFACE,PROBE,STATE "$VICTIM:ok:ok"
settle "addresses spread" spread
run "$IPMPSTAT" -i
kmsg

say "Delete the group: its members are released."
run "$IPMPADM" delete ipmp0
run ip -br link
