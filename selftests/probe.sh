#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Probe-based failure detection: a path that dies while its link stays up
# (the switch drops what one member sends) is detected within the FDT and
# repaired within 2 x FDT; probing needs targets; target refusals.
#
#   host ns "h"                                switch ns "sw"       router "r"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q0 ] -- 192.0.2.1
#   data address 192.0.2.10; the switch stops forwarding at p0, or drops
#   e0's frames there (tc)
source "$(dirname "$0")/lib.sh"

ktap_header
require_cmd tcpdump
setup_ns h sw r
H=$NS_h
SW=$NS_sw
R=$NS_r
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
# Kernel timestamp in ms of the first line holding $1 after the last mark
# (empty when there is none).
ts_ms() { awk '{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); printf "%d\n", t * 1000 }'; }
kts() { dmesg | sed -n "\|$_lib_mark|,\$p" | grep -F -- "$1" | head -1 | ts_ms; }
within() {	# within T0 T1 MAX: T1 is known and T1 - T0 is in [0, MAX]
	[ -n "$1" ] && [ -n "$2" ] && (($2 - $1 >= 0 && $2 - $1 <= $3))
}
drop_at() { port_drop "$SW" "$1"; }
pass_at() { port_pass "$SW" "$1"; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
switch_host "$SW" "$R" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0 fdt 1000
ipv4_only "$H" ipmp0	# IPv4 probing here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24

check "without targets PROBE is unknown" i_is INTERFACE,PROBE e0:unknown
check "its STATE is unknown, yet it is active" i_is INTERFACE,STATE,ACTIVE e0:unknown:yes
check_fail "probing has nothing to lose without targets" \
	poll 2 i_is INTERFACE,STATE e0:failed
check "a static target is added" h "$IPMPADM" target add ipmp0 192.0.2.1
wait_for "probes are answered on both members" 5 \
	eval 'i_is INTERFACE,PROBE e0:ok && i_is INTERFACE,PROBE e1:ok'
check "the target saw them from each test address" \
	eval 'ip -n "$R" neigh show 192.0.2.31 | grep -q lladdr && ip -n "$R" neigh show 192.0.2.32 | grep -q lladdr'

check_err "a duplicate target is refused" "the group already has this target" \
	h "$IPMPADM" target add ipmp0 192.0.2.1
check_err "a data address is refused as a target" \
	"a target cannot be an address of the group" h "$IPMPADM" target add ipmp0 192.0.2.10
check_err "so is a test address" \
	"a target cannot be an address of the group" h "$IPMPADM" target add ipmp0 192.0.2.32
check_err "a multicast target is refused" "a target must be a unicast address" \
	h "$IPMPADM" target add ipmp0 224.0.0.1
for t in 2 3 4 5; do h "$IPMPADM" target add ipmp0 192.0.2.20$t; done
check_err "a sixth target is refused" "a group has at most 5 targets" \
	h "$IPMPADM" target add ipmp0 192.0.2.206
for t in 2 3 4 5; do h "$IPMPADM" target del ipmp0 192.0.2.20$t; done
check_err "deleting an unknown target is refused" "the group has no such target" \
	h "$IPMPADM" target del ipmp0 192.0.2.207
wait_for "probes are answered again" 5 \
	eval 'i_is INTERFACE,PROBE e0:ok && i_is INTERFACE,PROBE e1:ok'

# The probe interval, FDT / 7 times a random factor in [0.5, 1]: at FDT
# 700 ms e0's echo requests reach the target 50 to 100 ms apart, 75 on
# average.  Over 10 s the mean gap must be at least 69 ms (75 less five
# standard deviations of the mean of 130 such gaps; intervals drawn from
# the lower half only would make it about 63) and at most 110 ms (late
# timers under emulation); no gap under 40 ms (a timer never fires early;
# the stamps jitter by a few ms).
probe_gaps() {	# probe_gaps CAPTURE: "COUNT MEAN_MS MIN_MS"
	tcpdump -nn -tt -r "$1" 2>/dev/null | awk '
		{ t = $1 * 1000; if (n++) { g = t - p; s += g; if (n == 2 || g < min) min = g } p = t }
		END { if (n > 1) printf "%d %.1f %.1f\n", n, s / (n - 1), min; else print "0 0 0" }'
}
h "$IPMPADM" set ipmp0 fdt 700
sleep 1
capture "$R" eth0 "icmp[icmptype] = icmp-echo and src host 192.0.2.31"
sleep 10
capture_end "$cap_pid" "$_lib_tmp/eth0.$R"
read -r n mean min <<<"$(probe_gaps "$_lib_tmp/eth0.$R.cap")"
diag "FDT 700 ms: $n probes from e0 in 10 s, mean gap $mean ms, shortest $min ms"
check "FDT 700: the mean probe interval is within FDT / 7 x [0.5, 1]" \
	awk -v m="$mean" 'BEGIN { exit !(m >= 69 && m <= 110) }'
check "FDT 700: no probe follows the last sooner than FDT / 14 allows" \
	awk -v m="$min" 'BEGIN { exit !(m >= 40) }'

# A dead path with the link up, for two FDTs: the switch port stops
# forwarding.  Detection and repair times are measured between the kernel's
# own messages: the bridge's port state change and ipmp's verdict.
path_failure() {
	local fdt=$1 t0 t1 t2
	h "$IPMPADM" set ipmp0 fdt "$fdt"
	wait_for "FDT $fdt: both members ok" 10 \
		eval 'i_is INTERFACE,STATE e0:ok && i_is INTERFACE,PROBE e0:ok'
	dmesg_mark
	ip netns exec "$SW" bridge link set dev p0 state 0
	t0=$(kts "(p0) entered disabled state")
	wait_for "FDT $fdt: the dead path fails e0" $((fdt * 3 / 1000 + 3)) \
		i_is INTERFACE,LINK,PROBE,STATE e0:up:failed:failed
	t1=$(kts "IP interface failure detected on e0")
	diag "FDT $fdt ms: failure detected after $((${t1:-0} - ${t0:-0})) ms"
	check "FDT $fdt: detected within the FDT" within "$t0" "$t1" "$fdt"
	check "FDT $fdt: its data address moved to e1" \
		eval 'h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | grep -qx 192.0.2.10:e1'
	check "FDT $fdt: e1 is not failed" i_is INTERFACE,STATE e1:ok
	dmesg_mark
	ip netns exec "$SW" bridge link set dev p0 state 3
	t1=$(kts "(p0) entered forwarding state")
	wait_for "FDT $fdt: the path back repairs e0" $((fdt * 4 / 1000 + 3)) \
		i_is INTERFACE,PROBE,STATE e0:ok:ok
	t2=$(kts "IP interface repair detected on e0")
	diag "FDT $fdt ms: repair detected after $((${t2:-0} - ${t1:-0})) ms"
	check "FDT $fdt: repaired within 2 x FDT" within "$t1" "$t2" $((2 * fdt))
}
path_failure 500
path_failure 2000

check "removing the test address stops probing" h "$IPMPADM" test-address del e0 192.0.2.31
check "PROBE is disabled" i_is INTERFACE,PROBE e0:disabled
drop_at p0
check_fail "and a dead path goes unnoticed, as with link-based detection only" \
	poll 2 i_is INTERFACE,STATE e0:failed
pass_at p0

ktap_finish
