#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rules of probe-based detection beyond a dead path (probe.sh): a
# silent target beside a working one fails nobody and is left out as dead;
# all targets silent is a group failure, not member failures; probing can be
# turned off and on; targets too slow for the FDT make it grow, and it comes
# back once they are fast again.
#
#   host ns "h"                                switch ns "sw"     targets
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q1 q2 ] -- r1 192.0.2.1
#   data address 192.0.2.10                                          -- r2 192.0.2.2
#   the switch drops at a port with tc (ingress matchall), or delays
#   what a target sends with netem
source "$(dirname "$0")/lib.sh"

require_cmd tc
ktap_header
setup_ns h sw r1 r2
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
sw() { ip netns exec "$SW" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
g_is() { ipmpstat_is "$H" -g "$@"; }
drop_at() { port_drop "$SW" "$1"; }
pass_at() { port_pass "$SW" "$1"; }
# Both target ports at once (one tc process), so that neither target can
# answer after the other stopped.
drop_targets() {
	printf 'filter add dev %s ingress pref 1 matchall action drop\n' q1 q2 |
		sw tc -batch -
}
both() { i_is INTERFACE,"$1" e0:"$2" && i_is INTERFACE,"$1" e1:"$2"; }
either_failed() { i_is INTERFACE,STATE e0:failed || i_is INTERFACE,STATE e1:failed; }
fdt_current() { h "$IPMPADM" show ipmp0 -j | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["fdt_current"])'; }
fdt_is() { [ "$(fdt_current)" = "$1" ]; }
fdt_above() { (($(fdt_current) > $1)); }

PARAMS=/sys/module/ipmp/parameters
modprobe ipmp
old_retry=$(cat $PARAMS/target_retry_ms)
old_settle=$(cat $PARAMS/fdt_settle_ms)
defer sh -c "echo $old_retry >$PARAMS/target_retry_ms; echo $old_settle >$PARAMS/fdt_settle_ms"
echo 3000 >$PARAMS/target_retry_ms
echo 2000 >$PARAMS/fdt_settle_ms

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
h "$IPMPADM" target add ipmp0 192.0.2.1
h "$IPMPADM" target add ipmp0 192.0.2.2
wait_for "probes to two targets are answered on both members" 10 both PROBE ok

# One target stops answering; the other still does.
dmesg_mark
drop_at q2
check_fail "a silent target beside a working one fails no member" \
	poll 3 either_failed
check "it is left out as dead by both members" eval \
	'dmesg_has "probe target 192.0.2.2 is dead from e0" && dmesg_has "probe target 192.0.2.2 is dead from e1"'
pass_at q2
wait_for "once it answers again it is probed again after the retry time" 10 \
	eval 'ip netns exec "$NS_r2" ip neigh show 192.0.2.31 | grep -q lladdr'
check "both members stayed ok" both STATE ok

# Every target goes silent: nobody can tell one member from the other.
wait_for "both members ok before the targets go silent" 10 both PROBE ok
dmesg_mark
drop_targets
wait_for "all targets silent: the group fails" 5 \
	dmesg_has "All IP interfaces in group ipmp0 are now unusable"
check "it is a group failure, not member failures" \
	eval '! dmesg_has "IP interface failure detected"'
check "ipmpstat -g shows the group failed" g_is GROUP,STATE ipmp0:failed
check "both members are failed by their probes" both PROBE failed
check "the group device has lost its carrier" \
	eval 'h ip -o link show ipmp0 | grep -q NO-CARRIER'
pass_at q1
pass_at q2
wait_for "the targets back: the group is usable again" 5 \
	dmesg_has "At least 1 IP interface"
wait_for "and both members are repaired" 5 both STATE ok
check "the group is ok" g_is GROUP,STATE ipmp0:ok

# Probing off: members are watched by their links only.
dmesg_mark
check "probing is turned off" h "$IPMPADM" set ipmp0 probing off
check "it is logged" dmesg_has "probe-based failure detection disabled for group ipmp0"
check "PROBE is disabled on both members" both PROBE disabled
check "ipmpstat -g shows no FDT" g_is GROUP,FDT ipmp0:
check "ipmpadm show says so" eval 'h "$IPMPADM" show ipmp0 | grep -q "probing off"'
drop_at p0
check_fail "a dead path goes unnoticed without probing" \
	poll 2 i_is INTERFACE,STATE e0:failed
check "probing is turned on again" h "$IPMPADM" set ipmp0 probing on
wait_for "and the dead path fails e0" 5 i_is INTERFACE,PROBE,STATE e0:failed:failed
check "as a member failure" dmesg_has "IP interface failure detected on e0 of group ipmp0"
pass_at p0
wait_for "e0 is repaired" 5 i_is INTERFACE,STATE e0:ok
check_err "probing takes on or off" "probing" \
	h "$IPMPADM" set ipmp0 probing maybe

# Targets too slow for FDT 500 ms (probe interval 71 ms): both answer
# 60 ms late, later than a probe waits, so it is their round-trip times,
# not lost probes, that count.
wait_for "both members ok before the targets slow down" 10 both PROBE ok
h "$IPMPADM" set ipmp0 fdt 500
# A guest too slow for 500 ms itself (the debug kernel under emulation)
# raises the FDT in force at once; it comes back once its probes keep up.
wait_for "the FDT in force is the FDT" 30 fdt_is 500
dmesg_mark
for i in 1 2; do
	ns=NS_r$i
	ip netns exec "${!ns}" tc qdisc add dev eth0 root netem delay 60ms
done
wait_for "slow targets make the FDT grow" 10 fdt_above 500
check "it is logged" dmesg_has 'Cannot meet requested failure detection time of 500 ms'
diag "FDT in force: $(fdt_current) ms; $(dmesg_since_mark | grep -F 'Cannot meet' | head -1)"
check "ipmpstat -g shows the FDT in force" \
	eval 'h "$IPMPSTAT" -g -P -o FDT | grep -qvx "0.50s"'
check_fail "no member fails for slow targets" poll 4 either_failed
for i in 1 2; do
	ns=NS_r$i
	ip netns exec "${!ns}" tc qdisc del dev eth0 root
done
# Back means the kernel said so: in a guest that is slow itself the FDT
# in force may rise again after it.
wait_for "fast targets bring the FDT back, and it is logged" 40 \
	dmesg_has 'Improved failure detection time 500 ms for group "ipmp0"'
diag "FDT in force now: $(fdt_current) ms"
check "both members stayed ok" both STATE ok

ktap_finish
