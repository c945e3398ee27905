#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle under load: rmmod ipmp while a ping flood and probes run (the
# groups go, the bare devices carry traffic again); a namespace deleted
# with groups, members, data and test addresses and probes running in it;
# a member device deleted in the middle of a failover to it; and a module
# reload followed by ipmpadm restore of what ipmpadm save printed, which
# gives the same state.  (teardown.sh has the same without load.)  The
# harness fails the run on any splat or leak these provoke; each part also
# checks the kernel log of its own.
#
#   host ns "h": ipmp0 [ e0 e1 e2 ] -- switch "sw" br0 -- peer "p" 192.0.2.1
#   test addresses 192.0.2.31-33, target 192.0.2.1, data 192.0.2.10-13
source "$(dirname "$0")/lib.sh"

require_cmd ping tc
ktap_header
echo 0 > /sys/module/ipmp/parameters/link_damp_ms

SPLAT='WARNING:|BUG:|BUG |Oops|Call Trace|refcount_t|unregister_netdevice: waiting|list_(add|del) corruption'
no_splat() { ! dmesg_since_mark | grep -E "$SPLAT"; }
module_loaded() { grep -q '^ipmp ' /proc/modules; }

# A group in netns $1 on switch $2, its peer $3 at 192.0.2.1: members
# e0 e1 e2 with test addresses, probing 192.0.2.1, data addresses up.
group_up() {
	local ns=$1 sw=$2 peer=$3 i
	switch_new "$sw"
	for i in 0 1 2; do
		switch_port "$sw" "$ns" e$i p$i
	done
	switch_host "$sw" "$peer" q0 192.0.2.1/24
	ip netns exec "$ns" "$IPMPADM" create ipmp0 fdt 1000 announce 3 announce-interval 500
	ip netns exec "$ns" "$IPMPADM" add ipmp0 e0 e1 e2
	for i in 0 1 2; do
		ip netns exec "$ns" "$IPMPADM" test-address add e$i 192.0.2.3$((i + 1))/24
	done
	ip netns exec "$ns" "$IPMPADM" target add ipmp0 192.0.2.1
	ip -n "$ns" link set ipmp0 up
	for i in 0 1 2 3; do
		ip -n "$ns" addr add 192.0.2.1$i/24 dev ipmp0
	done
}
probes_ok() { ipmpstat_is "$1" -i INTERFACE,PROBE,STATE "$2:ok:ok"; }
all_probing() { probes_ok "$1" e0 && probes_ok "$1" e1 && probes_ok "$1" e2; }
flood() {	# flood NS ADDR: a ping flood in the background until killed
	ip netns exec "$1" ping -f -q -W 1 "$2" >"$_lib_tmp/flood.$1" 2>&1 &
	FLOOD=$!
	defer kill "$FLOOD"
}
received() { awk '/packets transmitted/ { print $4 }' "$_lib_tmp/flood.$1"; }
rx_packets() { ip -n "$1" -s -j link show dev "$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
# flowing NS DEV: the flood reaches DEV in NS (200 more packets than now)
flowing() {
	local ns=$1 dev=$2 base
	base=$(rx_packets "$ns" "$dev") || return
	poll 20 eval '(($(rx_packets "$ns" "$dev") >= base + 200))'
}

# 1. rmmod while a ping flood and the probes run.
setup_ns h sw p
H=$NS_h
P=$NS_p
group_up "$H" "$NS_sw" "$P"
wait_for "three members probe 192.0.2.1" 15 all_probing "$H"
dmesg_mark
flood "$P" 192.0.2.10
# One ping lost beside a flood on a loaded host is no failure: with -w,
# ping tries once a second until one is answered.
check "a peer reaches the data address" ip netns exec "$P" ping -c 1 -w 10 192.0.2.11
check "the flood reaches the group" flowing "$H" ipmp0
check "rmmod ipmp with traffic and probes running works" timeout 120 rmmod ipmp
check "the group is gone" eval '! ip -n "$H" link show ipmp0 2>/dev/null'
check "its members are plain devices again" \
	eval '! ip -n "$H" -o link | grep -q "master ipmp"'
kill -INT "$FLOOD"	# ping prints its counts on SIGINT
wait "$FLOOD" 2>/dev/null || true
check "the flood had been answered" test "$(received "$P")" -gt 0
ip -n "$H" addr add 192.0.2.20/24 dev e0
check "a bare device carries traffic again" \
	ip netns exec "$P" ping -c 1 -w 10 192.0.2.20
check "the kernel logged no warning" no_splat
check "the module loads again" modprobe ipmp
echo 0 > /sys/module/ipmp/parameters/link_damp_ms

# 2. A namespace deleted with all of that running inside.
G=gone-$$
ip netns add "$G"
ip -n "$G" link set lo up
setup_ns sw2 p2
group_up "$G" "$NS_sw2" "$NS_p2"
wait_for "a group in a namespace to delete probes" 15 all_probing "$G"
flood "$NS_p2" 192.0.2.10
check "the flood reaches that group" flowing "$G" ipmp0
dmesg_mark
check "deleting the namespace works" ip netns del "$G"
wait_for "its members leave their group" 30 \
	eval 'dmesg_has "interface e2 was removed from IPMP group ipmp0"'
wait_for "and its devices are gone from the switch" 30 \
	eval '! ip -n "$NS_sw2" link show p0 2>/dev/null'
check "the kernel logged no warning" no_splat

# 3. A member deleted during a failover: e0 fails, its addresses move to
# e1 and e2 and are being announced there (3 times, 500 ms apart) when e1
# is deleted.
ip netns del "$H"
ip netns del "$NS_sw"
ip netns del "$P"
setup_ns h3 sw3 p3
H=$NS_h3
P=$NS_p3
group_up "$H" "$NS_sw3" "$P"
wait_for "the group is ok" 15 ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
bound_to() {	# how many of 192.0.2.10-13 are bound to member $1
	ip netns exec "$H" "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND |
		grep -c "^192\.0\.2\.1[0-3]:$1\$"
}
flood "$P" 192.0.2.10
dmesg_mark
ip -n "$H" link set e0 down
wait_for "e0 fails over to e1 and e2" 5 \
	eval 'test "$(bound_to e0)" = 0 && test $(($(bound_to e1) + $(bound_to e2))) = 4'
check "e1 is deleted while the moved addresses are being announced" \
	ip -n "$H" link del e1
wait_for "every address ends on the last member" 10 \
	eval 'test "$(bound_to e2)" = 4'
check "which the peer reaches" ip netns exec "$P" ping -c 1 -w 10 192.0.2.13
check "the deleted member's place is kept" \
	ipmpstat_is "$H" -i INTERFACE,STATE e1:removed
check "the kernel logged no warning" no_splat

# 4. save, module reload, restore: the same state.
ip netns exec "$H" "$IPMPADM" create ipmp1 group db fdt 3000 failback no announce 1
ip -n "$H" link add e5 type veth peer name p5 netns "$NS_sw3"
ip -n "$H" link add e6 type veth peer name p6 netns "$NS_sw3"
ip netns exec "$H" "$IPMPADM" add ipmp1 e5
ip netns exec "$H" "$IPMPADM" add ipmp1 e6 standby
ip netns exec "$H" "$IPMPADM" test-address add e5 198.51.100.5/24
ip netns exec "$H" "$IPMPADM" target add ipmp1 198.51.100.1
ip -n "$H" link set e0 up
ip netns exec "$H" "$IPMPADM" remove ipmp0 e1
ip netns exec "$H" "$IPMPADM" save >"$_lib_tmp/saved"
check "the configuration is saved" test -s "$_lib_tmp/saved"
kill "$FLOOD" 2>/dev/null
check "rmmod ipmp works" timeout 120 rmmod ipmp
check "modprobe ipmp works" modprobe ipmp
check "ipmpadm restore applies the saved configuration" \
	ip netns exec "$H" "$IPMPADM" restore "$_lib_tmp/saved"
check "ipmpadm save prints what it printed before the reload" \
	eval 'ip netns exec "$H" "$IPMPADM" save | diff "$_lib_tmp/saved" -'
check "the kernel logged no warning" no_splat

ktap_finish
