#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Announcements of many addresses at once (kernel/announce.c).  When a
# member fails, each of its thousands of data addresses is announced
# announce_count times from the member it moved to, announce_interval_ms
# apart, and none is lost on the way: the announcements leave in batches,
# so that a member's queue (here the veth peer's backlog, bounded by
# netdev_max_backlog; a NIC's qdisc on real hardware) never takes a burst
# of thousands.  The peer's capture counts every address's announcements;
# the members' own captures of what leave them time them, and show that a
# second move, of other addresses, does not hurry the repeats of the first.
#
#   host ns "h": ipmp0 [ e0 e1 ], N addresses in 10.1.0.0/16,
#                e0 and e1 captured outgoing
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

# "TIME ADDRESS" for each gratuitous ARP request (sender IP = target IP)
# from MAC $2 in capture $1.
garps() {
	tcpdump -nn -tt -e -r "$1" 2>/dev/null | awk -v mac="$2" '
	$2 == mac && / Request who-has / {
		for (i = 1; i < NF; i++)
			if ($i == "who-has") { a = $(i + 1); t = $(i + 3) }
		sub(/,$/, "", t)
		if (a == t)
			print $1, a
	}'
}
# From "TIME ADDRESS" lines: "ADDRESS COUNT SHORTEST_GAP FIRST LAST" per
# address, SHORTEST_GAP -1 for an address seen once.
per_addr() {
	awk '
	{
		if ($2 in last && (!($2 in gap) || $1 - last[$2] < gap[$2]))
			gap[$2] = $1 - last[$2]
		if (!($2 in first))
			first[$2] = $1
		last[$2] = $1
		n[$2]++
	}
	END {
		for (a in n)
			printf "%s %d %.6f %s %s\n", a, n[a], (a in gap) ? gap[a] : -1, first[a], last[a]
	}'
}
# Addresses of per_addr file $1 whose shortest gap is under $2 % of the
# interval $3 ms.
hurried() {
	awk -v pc="$2" -v ms="$3" '$3 >= 0 && $3 * 100000 < pc * ms' "$1" | wc -l
}
shortest() {
	awk '$3 >= 0 { if (!m || $3 < m) m = $3 } END { printf "%.3f", m + 0 }' "$1"
}
# Frames the CPUs' backlogs dropped (softnet_stat's second column).
backlog_drops() {
	local sum=0 d
	while read -r _ d _; do
		sum=$((sum + 16#$d))
	done </proc/net/softnet_stat
	echo "$sum"
}
# Status 0 once capture $1 holds $2 gratuitous ARPs from MAC $3.
holds() { (($(garps "$1" "$3" | wc -l) >= $2)); }

e0mac=$(h cat /sys/class/net/e0/address)
e1mac=$(h cat /sys/class/net/e1/address)

# Pull e0's cable: its addresses all move to e1 and are announced there.
# The peer's capture says what arrived, e1's own (outgoing) when each
# left: the time between an address's announcements is the module's at
# the sender, and the host's queues' at the peer.
capture "$PR" eth0 arp
peer_cap=$cap_pid
capture "$H" e1 -Q out arp
e1_cap=$cap_pid
expect=$((moved * COUNT))
drops0=$(backlog_drops)
ip -n "$SW" link set p0 down
wait_for "e0 fails and its addresses move to e1" 30 \
	eval '[[ $(bound_to e1) == "$N" ]]'
# Every announcement of the last address is due (COUNT - 1) intervals
# after its first; a lost one never comes, so this wait ends on the
# count or on time, and the counts below tell which.
poll 60 holds "$_lib_tmp/eth0.$PR.cap" "$expect" "$e1mac"
capture_end "$peer_cap" "$_lib_tmp/eth0.$PR"
capture_end "$e1_cap" "$_lib_tmp/e1.$H"
diag "backlog drops during the failover: $(($(backlog_drops) - drops0))"
h ip -s link show e1 | diag
check "the capture dropped nothing" \
	grep -q '^0 packets dropped by kernel' "$_lib_tmp/eth0.$PR.err"

garps "$_lib_tmp/e1.$H.cap" "$e1mac" | per_addr >"$_lib_tmp/sent"
garps "$_lib_tmp/eth0.$PR.cap" "$e1mac" | per_addr >"$_lib_tmp/seen"
sent=$(awk '{ n += $2 } END { print n + 0 }' "$_lib_tmp/sent")
seen=$(grep -c '^10\.1\.' "$_lib_tmp/seen")
short=$(awk -v c=$COUNT '$2 < c' "$_lib_tmp/seen" | wc -l)
extra=$(awk -v c=$COUNT '$2 > c' "$_lib_tmp/seen" | wc -l)
diag "announced: $seen addresses of $moved moved; $short announced fewer than" \
	"$COUNT times, $extra more; $sent announcements left e1;" \
	"shortest gap at e1 $(shortest "$_lib_tmp/sent") s, at the peer $(shortest "$_lib_tmp/seen") s"
check "all $expect announcements leave e1" test "$sent" = "$expect"
check "every one of the $moved moved addresses is announced" test "$seen" = "$moved"
check "each of them $COUNT times, none fewer" test "$short" = 0
check "and none more" test "$extra" = 0
check "an address's announcements leave $INTERVAL_MS ms apart, never under 95% of it" \
	test "$(hurried "$_lib_tmp/sent" 95 $INTERVAL_MS)" = 0

ip -n "$SW" link set p0 up
wait_for "e0 is repaired" 30 both_ok
wait_for "and takes back half of the addresses" 60 \
	eval '(( $(bound_to e0) >= N / 2 - 1 ))'

# A move of some addresses does not hurry the repeats of others.  Fail
# e0 again, and repair it while e1 is still announcing what it took: the
# repair moves half of the addresses back to e0 (the first of e1's list,
# those it held before), which announces them from then on; the ones that
# stay on e1 keep their own time, neither hurried nor cut short.
COUNT=5
INTERVAL_MS=1000
check "announcements: $COUNT, $INTERVAL_MS ms apart" \
	h "$IPMPADM" set ipmp0 announce "$COUNT" announce-interval "$INTERVAL_MS"
moved=$(bound_to e0)
capture "$H" e0 -Q out arp
e0_cap=$cap_pid
capture "$H" e1 -Q out arp
e1_cap=$cap_pid
ip -n "$SW" link set p0 down
wait_for "e0 fails" 30 ipmpstat_is "$H" -i INTERFACE,STATE e0:failed
ip -n "$SW" link set p0 up
wait_for "e0 is repaired at once" 30 both_ok
wait_for "and takes back half of the addresses" 60 \
	eval '(( $(bound_to e0) >= N / 2 - 1 ))'
back=$(bound_to e0)
poll 60 holds "$_lib_tmp/e1.$H.cap" $((moved * COUNT)) "$e1mac"
poll 30 holds "$_lib_tmp/e0.$H.cap" $((back * COUNT)) "$e0mac"
capture_end "$e0_cap" "$_lib_tmp/e0.$H"
capture_end "$e1_cap" "$_lib_tmp/e1.$H"
garps "$_lib_tmp/e1.$H.cap" "$e1mac" | per_addr >"$_lib_tmp/e1"
garps "$_lib_tmp/e0.$H.cap" "$e0mac" | per_addr >"$_lib_tmp/e0"
# The first announcement from e0 after the repair; the addresses that
# stayed on e1 and whose announcements from there were under way then.
t0=$(awk '{ if (!m || $4 < m) m = $4 } END { printf "%.6f", m }' "$_lib_tmp/e0")
awk -v t="$t0" 'NR == FNR { back[$1] = 1; next }
	!($1 in back) && $4 < t && $5 > t' "$_lib_tmp/e0" "$_lib_tmp/e1" >"$_lib_tmp/under-way"
under_way=$(wc -l <"$_lib_tmp/under-way")
cut=$(awk -v c=$COUNT '$2 != c' "$_lib_tmp/under-way" | wc -l)
diag "$moved moved to e1, $back back to e0; $under_way being announced from e1" \
	"when e0 began, $(awk -v t="$t0" '{ if (!m || $4 < m) m = $4 } END { printf "%.3f", t - m }' "$_lib_tmp/e1") s" \
	"after e1's first; shortest gap at e1 $(shortest "$_lib_tmp/under-way") s"
check "e1 is still announcing what it took when e0 takes some back" \
	test "$under_way" -ge $((moved / 2))
check "those go on $INTERVAL_MS ms apart, never under 95% of it" \
	test "$(hurried "$_lib_tmp/under-way" 95 $INTERVAL_MS)" = 0
check "and each is announced $COUNT times from e1, no more, no fewer" test "$cut" = 0
check "e0 announces what it took back $COUNT times" \
	test "$(awk -v c=$COUNT '$2 == c' "$_lib_tmp/e0" | wc -l)" = "$back"

ktap_finish
