#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data plane seen from the wire and from peers: data addresses spread
# over the members, ARP and NA carrying each address's member MAC, one
# broadcast/multicast nominee (no duplicates, no DAD failures), failover
# with counted announcements, offline/online, duplicate MACs, link damping,
# and a group over VLAN members.
#
#   host ns "h"                          switch ns "sw"            peers
#   ipmp0 [ e0 e1 e2 ] ---- veth ----- br0 [ p0 p1 p2  a0 b0 ] -- pa, pb
#   ipmp1 [ e3.100 e4.100 ] - veth --- br1 [ p3.100 p4.100 c0 ] -- pc
source "$(dirname "$0")/lib.sh"

ktap_header
echo 0 > /sys/module/ipmp/parameters/link_damp_ms
setup_ns h sw pa pb pc
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
sw() { ip -n "$SW" "$@"; }
mac() { h cat "/sys/class/net/$1/address"; }
# The member an address is bound to (ipmpstat -a INBOUND).
inbound() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | sed 's/\\:/#/g' | \
	awk -F: -v a="${1//:/#}" '$1 == a { print $2 }'; }
# The MAC a peer has for an address.
peer_mac() { ip -n "$1" neigh show "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'; }
peer_has() { test "$(peer_mac "$1" "$2")" = "$(mac "$3")"; }
moved_off() { local now; now=$(inbound "$1"); test -n "$now" -a "$now" != "$2"; }
bound_counts() { h "$IPMPSTAT" -n -i -P -o INTERFACE,ACTIVE | grep ':yes$' | cut -d: -f1 | \
	while read -r m; do h "$IPMPADM" show -j | python3 -c "
import json, sys
for g in json.load(sys.stdin):
    for m in g['members']:
        if m['ifname'] == '$m': print(m['naddrs'])"; done | sort -n | tr '\n' ' '; }
spread_even() {
	local c; c=($(bound_counts))
	((${#c[@]} > 0 && c[-1] - c[0] <= 1))
}

sw link add br0 type bridge
sw link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$SW"
	sw link set p$i master br0 up
done
for p in a b; do
	ns=NS_p$p
	ip -n "${!ns}" link add eth0 type veth peer name ${p}0 netns "$SW"
	sw link set ${p}0 master br0 up
	ip -n "${!ns}" link set eth0 up
done
PA=$NS_pa
PB=$NS_pb
ip -n "$PA" addr add 192.0.2.1/24 dev eth0
ip -n "$PB" addr add 192.0.2.2/24 dev eth0
ip -n "$PA" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$PB" addr add 2001:db8::2/64 dev eth0 nodad

h "$IPMPADM" create ipmp0 announce 3 announce-interval 300
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
h ip addr add 192.0.2.11/24 dev ipmp0
h ip addr add 192.0.2.12/24 dev ipmp0
h ip addr add 2001:db8::10/64 dev ipmp0 nodad
# An IPv4 data address bound to member $1.
addr_on() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | grep "^192\.0\.2\..*:$1\$" | head -1 | cut -d: -f1; }

# Binding and spread: with the group's link-local address, five addresses
# over two members, so each member holds at least one IPv4 address.
wait_for "every data address is bound" 5 \
	eval 'test -z "$(h "$IPMPSTAT" -n -a -P -o INBOUND | grep -x -- --)"'
check "addresses are spread evenly" spread_even
X=$(addr_on e0)
Y=$(addr_on e1)
check "each member holds IPv4 addresses" test -n "$X" -a -n "$Y"

# Inbound spreading: a peer learns a different MAC for each member's address.
check "peer a reaches $X on e0" ip netns exec "$PA" ping -c 2 -W 2 "$X"
check "peer a reaches $Y on e1" ip netns exec "$PA" ping -c 2 -W 2 "$Y"
check "peer a learned e0's MAC for $X" peer_has "$PA" "$X" e0
check "peer a learned e1's MAC for $Y" peer_has "$PA" "$Y" e1
check "peer b reaches $Y and learns e1's MAC" \
	eval 'ip netns exec "$PB" ping -c 1 -W 2 "$Y" >/dev/null && peer_has "$PB" "$Y" e1'
check "peer a reaches 2001:db8::10" ip netns exec "$PA" ping -6 -c 2 -W 2 2001:db8::10
check "the NA carried the MAC of 2001:db8::10's member" \
	peer_has "$PA" 2001:db8::10 "$(inbound 2001:db8::10)"

for i in 20 21 22 23 24; do h ip addr add 192.0.2.$i/24 dev ipmp0; done
check "adding addresses keeps the spread even" spread_even
h "$IPMPADM" add ipmp0 e2
check "a new member takes its share" spread_even
for i in 20 21 22; do h ip addr del 192.0.2.$i/24 dev ipmp0; done
check "removing addresses keeps the spread even" spread_even
check "ipmpstat -a lists the group's addresses" \
	eval 'h "$IPMPSTAT" -n -a -P -o ADDRESS,STATE,GROUP | grep -qx "192.0.2.10:up:ipmp0"'

# Outbound spreading: flows are hashed over the active members, each flow
# keeps one member (and its MAC) for all its frames.
flows_by_mac() {	# "MAC PORT" of every UDP frame to port 9 in capture $1
	tcpdump -r "$1" -n -e udp and dst port 9 2>/dev/null | \
		sed -n 's/^[^ ]* \([0-9a-f:]*\) > .*\.\([0-9]*\) > 192\.0\.2\.1\.9:.*/\1 \2/p'
}
OUT=$(mktemp -p /tmp out.XXXXXX)
ip netns exec "$PA" tcpdump -i eth0 -U -w "$OUT" udp and dst port 9 2>/dev/null &
OUTDUMP=$!
wait_for "the outbound capture is running" 30 test -s "$OUT"
for p in $(seq 40000 40015); do
	for n in 1 2 3; do
		echo "$n" | h socat -u - "UDP4-SENDTO:192.0.2.1:9,bind=$X:$p"
	done
done
wait_for "48 datagrams arrived" 5 eval 'test "$(flows_by_mac "$OUT" | wc -l)" -ge 48'
kill $OUTDUMP; wait $OUTDUMP 2>/dev/null || true
check "flows leave through more than one member" \
	test "$(flows_by_mac "$OUT" | cut -d' ' -f1 | sort -u | wc -l)" -ge 2
check "every frame carries a member's MAC" \
	test -z "$(flows_by_mac "$OUT" | cut -d' ' -f1 | sort -u | grep -vxF -e "$(mac e0)" -e "$(mac e1)" -e "$(mac e2)")"
check "each flow keeps one member" \
	test "$(flows_by_mac "$OUT" | sort -u | wc -l)" = "$(flows_by_mac "$OUT" | cut -d' ' -f2 | sort -u | wc -l)"

# One nominee: nothing is received or answered twice.
no_dup() { ! ip netns exec "$PA" "$@" 2>&1 | grep -q 'DUP!'; }
h sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
check "no duplicate echo replies" no_dup ping -c 5 -i 0.2 192.0.2.10
check "no duplicate replies to a broadcast ping" no_dup ping -b -c 3 -i 0.2 192.0.2.255
# A switch that floods unicast (as it does when it forgets a MAC): frames for
# one member reach every member and must still be delivered once.
sw link set br0 type bridge ageing_time 0
check "flooded unicast to e0's address (the group's MAC) is delivered once" \
	no_dup ping -c 5 -i 0.2 "$(addr_on e0)"
check "flooded unicast to e1's address is delivered once" \
	no_dup ping -c 5 -i 0.2 "$(addr_on e1)"
sw link set br0 type bridge ageing_time 30000
ip -n "$PA" neigh flush dev eth0
check "no duplicate ARP replies" \
	eval 'ip netns exec "$PA" ping -c 3 -i 0.2 192.0.2.11 | grep -q " 0% packet loss" && ! ip netns exec "$PA" ping -c 3 -i 0.2 192.0.2.11 | grep -q DUP'
nominee() { h "$IPMPSTAT" -i -P -o INTERFACE,FLAGS | grep ':..bmM' | cut -d: -f1; }
check "the nominee holds the group's multicast addresses" \
	eval 'ip -n "$H" maddr show dev "$(nominee)" | grep -q 33:33:ff:00:00:10'
check "the other members do not" \
	eval 'for m in e0 e1; do [ "$m" = "$(nominee)" ] || ! ip -n "$H" maddr show dev $m | grep -q 33:33:ff:00:00:10 || exit 1; done'
h ip addr add 2001:db8::20/64 dev ipmp0
wait_for "an IPv6 address passes DAD" 10 \
	eval '! h ip -6 addr show dev ipmp0 | grep "2001:db8::20" | grep -q tentative'
check "without a DAD failure from reflected probes" \
	eval '! h ip -6 addr show dev ipmp0 | grep "2001:db8::20" | grep -q dadfailed'
check "the group's link-local address passed DAD too" \
	eval '! h ip -6 addr show dev ipmp0 scope link | grep -q dadfailed'

# Failover: the bound member's cable is pulled.
count_garp() {	# gratuitous ARPs for $2 from MAC $3 in capture $1
	tcpdump -r "$1" -n -e "arp and ether src $3 and arp[14:4] = arp[24:4]" 2>/dev/null | \
		grep -c "tell $2" || true
}
count_na() {	# unsolicited NAs for $2 from MAC $3 in capture $1
	tcpdump -r "$1" -n -e "ether src $3 and icmp6 and ip6[40] = 136" 2>/dev/null | \
		grep -c "tgt is $2" || true
}
capture() {	# capture ARP and ICMPv6 at peer a into $CAP
	CAP=$(mktemp -p /tmp cap.XXXXXX)
	ip netns exec "$PA" tcpdump -i eth0 -U -w "$CAP" arp or icmp6 2>/dev/null &
	TCPDUMP=$!
	wait_for "the capture is running" 30 test -s "$CAP"
}
# A fixed wait on purpose: what is checked is that nothing more comes, so
# the capture runs past three more announce intervals (300 ms) first.
capture_stop() { sleep 1; kill $TCPDUMP; wait $TCPDUMP 2>/dev/null || true; }
pull() { sw link set "p$(echo "$1" | tr -dc 0-9 | cut -c1)" "$2"; }

# Both peers know both addresses before the failure.
ip netns exec "$PA" ping -c 1 -W 2 192.0.2.10 >/dev/null
ip netns exec "$PB" ping -c 1 -W 2 192.0.2.11 >/dev/null
ip netns exec "$PA" ping -6 -c 1 -W 2 2001:db8::10 >/dev/null
A10=$(inbound 192.0.2.10)
A11=$(inbound 192.0.2.11)
capture
dmesg_mark
pull "$A10" down
wait_for "192.0.2.10 moves off its failed member" 5 moved_off 192.0.2.10 "$A10"
NEW=$(inbound 192.0.2.10)
wait_for "peer a gets the surviving member's MAC" 1 peer_has "$PA" 192.0.2.10 "$NEW"
wait_for "peer b has the right MAC for its address too" 1 \
	peer_has "$PB" 192.0.2.11 "$(inbound 192.0.2.11)"
check "the spread is even over the survivors" spread_even
check "no address stays on the failed member" \
	eval '! h "$IPMPSTAT" -n -a -P -o INBOUND | grep -qx "$A10"'
wait_for "three announcements have gone out" 5 \
	eval 'test "$(count_garp "$CAP" 192.0.2.10 "$(mac "$NEW")")" -ge 3'
capture_stop
check "exactly announce-count gratuitous ARPs for the address" \
	test "$(count_garp "$CAP" 192.0.2.10 "$(mac "$NEW")")" = 3
check "peer a still reaches 192.0.2.10" ip netns exec "$PA" ping -c 2 -W 2 192.0.2.10
pull "$A10" up
wait_for "the member is repaired and takes its share back" 5 \
	eval 'ipmpstat_is "$H" -i INTERFACE,STATE "$A10:ok" && spread_even'

# The same for IPv6: unsolicited NAs with the override flag.
ip netns exec "$PA" ping -6 -c 1 -W 2 2001:db8::10 >/dev/null
B10=$(inbound 2001:db8::10)
capture
pull "$B10" down
wait_for "2001:db8::10 moves off its failed member" 5 moved_off 2001:db8::10 "$B10"
NEW6=$(inbound 2001:db8::10)
wait_for "peer a gets the surviving member's MAC for it" 1 \
	peer_has "$PA" 2001:db8::10 "$NEW6"
wait_for "three unsolicited NAs have gone out" 5 \
	eval 'test "$(count_na "$CAP" 2001:db8::10 "$(mac "$NEW6")")" -ge 3'
capture_stop
check "exactly announce-count NAs for the address" \
	test "$(count_na "$CAP" 2001:db8::10 "$(mac "$NEW6")")" = 3
check "they carry the override flag" \
	eval 'tcpdump -r "$CAP" -n -v "icmp6 and ip6[40] = 136" 2>/dev/null | grep -A1 "tgt is 2001:db8::10" | grep -q "override"'
pull "$B10" up
wait_for "and repaired again" 5 ipmpstat_is "$H" -i INTERFACE,STATE "$B10:ok"

# Offline and online.
check "if_mpadm -d offlines a member" h "$IF_MPADM" -d e1
check "it is offline" ipmpstat_is "$H" -i INTERFACE,STATE e1:offline
check "its addresses moved away" eval '! h "$IPMPSTAT" -n -a -P -o INBOUND | grep -qx e1'
h "$IF_MPADM" -d e2
check_err "the last usable member cannot be offlined" \
	"cannot offline the last usable member of the group" h "$IF_MPADM" -d e0
check "if_mpadm -r brings members back" eval 'h "$IF_MPADM" -r e1 && h "$IF_MPADM" -r e2'
wait_for "they are ok and active" 5 \
	eval 'ipmpstat_is "$H" -i INTERFACE,ACTIVE,STATE e1:yes:ok && ipmpstat_is "$H" -i INTERFACE,ACTIVE,STATE e2:yes:ok'

# Duplicate hardware addresses: the later member is offlined with flag h.
OLD2=$(mac e2)
h ip link set e2 address "$(mac e0)"
wait_for "a member with another's MAC is offlined, flag h" 5 \
	ipmpstat_is "$H" -i INTERFACE,FLAGS,STATE 'e2:------h:offline'
h ip link set e2 address "$OLD2"
wait_for "with its own MAC back it is ok" 5 ipmpstat_is "$H" -i INTERFACE,STATE e2:ok

# Damping: a third link-up within the window holds repair until stable.
# The window leaves a slow (debug) guest room for the three flaps.
echo 20000 > /sys/module/ipmp/parameters/link_damp_ms
dmesg_mark
for i in 1 2 3; do
	sw link set p2 down
	wait_for "" 5 ipmpstat_is "$H" -i INTERFACE,LINK e2:down >/dev/null
	sw link set p2 up
	wait_for "" 5 ipmpstat_is "$H" -i INTERFACE,LINK e2:up >/dev/null
done
check "a flapping link holds repair" ipmpstat_is "$H" -i INTERFACE,LINK,STATE e2:up:failed
check "the flapping is logged" dmesg_since_mark_grep "The link on e2 is flapping"
wait_for "repair follows once the link is stable" 30 ipmpstat_is "$H" -i INTERFACE,STATE e2:ok
echo 0 > /sys/module/ipmp/parameters/link_damp_ms

# A single-member group detects and reports failure.
h ip link add e9 type veth peer name p9 netns "$SW"
sw link set p9 up
h "$IPMPADM" create ipmp9
h "$IPMPADM" add ipmp9 e9
h ip link set ipmp9 up
wait_for "a single-member group is ok" 5 ipmpstat_is "$H" -g GROUP,STATE ipmp9:ok
sw link set p9 down
wait_for "its member's failure fails the group" 5 \
	eval 'ipmpstat_is "$H" -i INTERFACE,STATE e9:failed && ipmpstat_is "$H" -g GROUP,STATE ipmp9:failed'
sw link set p9 up
wait_for "and its repair restores it" 5 ipmpstat_is "$H" -g GROUP,STATE ipmp9:ok

# A group over VLAN members.
PC=$NS_pc
sw link add br1 type bridge
sw link set br1 up
for i in 3 4; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$SW"
	h ip link set e$i up
	h ip link add link e$i name e$i.100 type vlan id 100
	sw link set p$i up
	sw link add link p$i name p$i.100 type vlan id 100
	sw link set p$i.100 master br1 up
done
ip -n "$PC" link add eth0 type veth peer name c0 netns "$SW"
sw link set c0 master br1 up
ip -n "$PC" link set eth0 up
ip -n "$PC" addr add 198.51.100.1/24 dev eth0
check "VLAN devices join a group" \
	eval 'h "$IPMPADM" create ipmp1 && h "$IPMPADM" add ipmp1 e3.100 e4.100'
h ip link set ipmp1 up
h ip addr add 198.51.100.10/24 dev ipmp1
check "a peer on the VLAN reaches the group" ip netns exec "$PC" ping -c 2 -W 2 198.51.100.10
V=$(inbound 198.51.100.10)
pull "$V" down
wait_for "the address fails over to the other VLAN member" 5 moved_off 198.51.100.10 "$V"
check "the peer still reaches it" ip netns exec "$PC" ping -c 2 -W 2 198.51.100.10

ktap_finish
