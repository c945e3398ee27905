#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Announcements of many addresses at once (kernel/announce.c).  When a
# member fails, each of its thousands of data addresses is announced
# announce_count times from the member it moved to, announce_interval_ms
# apart, and none is lost on the way: the announcements leave in batches,
# so that a member's queue (here the veth peer's backlog, bounded by
# netdev_max_backlog; a NIC's qdisc on real hardware) never takes a burst
# of thousands.  The peer's capture counts every address's announcements
# and the time between them.
#
#   host ns "h": ipmp0 [ e0 e1 ], N addresses in 10.1.0.0/16
#       e0, e1 -- switch ns "sw" (br0) -- eth0 in ns "peer", captured
source "$(dirname "$0")/lib.sh"

N=${ANNOUNCE_ADDRS:-4000}
COUNT=3
INTERVAL_MS=300

ktap_header
require_cmd tcpdump
echo 0 > /sys/module/ipmp/parameters/link_damp_ms
setup_ns h sw peer
H=$NS_h SW=$NS_sw PR=$NS_peer
h() { ip netns exec "$H" "$@"; }
switch_new "$SW"
switch_port "$SW" "$H" e0 p0
switch_port "$SW" "$H" e1 p1
switch_host "$SW" "$PR" p9 10.1.255.254/16

addr_of() { echo "10.1.$(($1 / 250)).$(($1 % 250 + 1))"; }
# ADDRESS:INBOUND of every data address (IPv4 only: the link-local is
# announced too, and is no subject here).
bindings() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | grep '^10\.1\.'; }
bound_to() { bindings | grep -c ":$1\$"; }
all_bound() { [[ $(bindings | grep -c ':e[01]$') == "$N" ]]; }
both_ok() {
	ipmpstat_is "$H" -i INTERFACE,STATE e0:ok && ipmpstat_is "$H" -i INTERFACE,STATE e1:ok
}

h "$IPMPADM" create ipmp0
h "$IPMPADM" add ipmp0 e0 e1
check "announcements: $COUNT, $INTERVAL_MS ms apart" \
	h "$IPMPADM" set ipmp0 announce "$COUNT" announce-interval "$INTERVAL_MS"
h ip link set e0 up
h ip link set e1 up
h ip link set ipmp0 up
for ((i = 0; i < N; i++)); do
	echo "addr add $(addr_of "$i")/16 dev ipmp0"
done >"$_lib_tmp/addrs"
check "$N data addresses are added" h ip -batch "$_lib_tmp/addrs"
wait_for "all $N are bound to e0 or e1" 120 all_bound
wait_for "both members are ok" 30 both_ok
moved=$(bound_to e0)
diag "e0 holds $moved addresses, e1 $(bound_to e1);" \
	"netdev_max_backlog $(cat /proc/sys/net/core/netdev_max_backlog)"
check "the addresses are spread over both members" \
	test "$moved" -ge $((N / 2 - 1)) -a "$moved" -le $((N / 2 + 1))

# Pull e0's cable: its addresses all move to e1 and are announced there.
ip netns exec "$PR" tcpdump -i eth0 -U -B 65536 -s 64 \
	-w "$_lib_tmp/cap" arp >/dev/null 2>"$_lib_tmp/tcpdump.err" &
cap=$!
wait_for "the capture is running" 30 grep -q 'listening on' "$_lib_tmp/tcpdump.err"
expect=$((moved * COUNT))
captured() {
	local n
	n=$(ip netns exec "$PR" tcpdump -nn -r "$_lib_tmp/cap" 2>/dev/null | wc -l)
	((n >= expect))
}
# Frames the CPUs' backlogs dropped (softnet_stat's second column).
backlog_drops() {
	local sum=0 d
	while read -r _ d _; do
		sum=$((sum + 16#$d))
	done </proc/net/softnet_stat
	echo "$sum"
}
drops0=$(backlog_drops)
ip -n "$SW" link set p0 down
wait_for "e0 fails and its addresses move to e1" 30 \
	eval '[[ $(bound_to e1) == "$N" ]]'
# Every announcement of the last address is due (COUNT - 1) intervals
# after its first; a lost one never comes, so this wait ends on the
# count or on time, and the counts below tell which.
poll 60 captured
kill -INT "$cap"
wait "$cap"
grep -v '^$' "$_lib_tmp/tcpdump.err" | diag
diag "backlog drops during the failover: $(($(backlog_drops) - drops0))"
h ip -s link show e1 | diag
check "the capture dropped nothing" \
	grep -q '^0 packets dropped by kernel' "$_lib_tmp/tcpdump.err"

# Per address: how many gratuitous ARPs (sender IP = target IP, from e1's
# MAC) and the shortest time between two of them.
e1mac=$(h cat /sys/class/net/e1/address)
ip netns exec "$PR" tcpdump -nn -tt -e -r "$_lib_tmp/cap" 2>/dev/null |
	awk -v mac="$e1mac" '
	$2 == mac && / Request who-has / {
		for (i = 1; i < NF; i++)
			if ($i == "who-has") { a = $(i + 1); t = $(i + 3) }
		sub(/,$/, "", t)
		if (a != t)
			next
		if (a in last && (!(a in gap) || $1 - last[a] < gap[a]))
			gap[a] = $1 - last[a]
		last[a] = $1
		n[a]++
	}
	END { for (a in n) printf "%s %d %.3f\n", a, n[a], (a in gap) ? gap[a] : -1 }
	' >"$_lib_tmp/per-addr"
seen=$(grep -c '^10\.1\.' "$_lib_tmp/per-addr")
short=$(awk -v c=$COUNT '$2 < c' "$_lib_tmp/per-addr" | wc -l)
extra=$(awk -v c=$COUNT '$2 > c' "$_lib_tmp/per-addr" | wc -l)
close=$(awk -v ms=$INTERVAL_MS '$3 >= 0 && $3 < ms / 2000' "$_lib_tmp/per-addr" | wc -l)
gap=$(awk '$3 >= 0 { if (!m || $3 < m) m = $3 } END { print m + 0 }' "$_lib_tmp/per-addr")
diag "announced: $seen addresses of $moved moved; $short announced fewer than" \
	"$COUNT times, $extra more; shortest gap ${gap} s"
check "every one of the $moved moved addresses is announced" test "$seen" = "$moved"
check "each of them $COUNT times, none fewer" test "$short" = 0
check "and none more" test "$extra" = 0
check "an address's announcements are about $INTERVAL_MS ms apart, never under half" \
	test "$close" = 0

ip -n "$SW" link set p0 up
wait_for "e0 is repaired" 30 both_ok
wait_for "and takes back half of the addresses" 60 \
	eval '(( $(bound_to e0) >= N / 2 - 1 ))'

ktap_finish
