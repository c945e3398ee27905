#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NIC replacement: a member whose device goes away keeps its place (state
# removed); a device of the same name, new or renamed to it, takes the place
# with the member's standby flag and test address; failback follows the
# group; removing the member by hand forgets the place.
#
#   host ns "h"                                     switch ns "sw"       router "r"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) e2 (standby, 192.0.2.33) ]
#                                           -- br0 [ p0 p1 p2 q0 ] -- 192.0.2.1
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw r other
H=$NS_h
SW=$NS_sw
R=$NS_r
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
g_is() { ipmpstat_is "$H" -g "$@"; }
plug() { switch_port "$SW" "$H" "$1" "p${1#e}"; }	# a new NIC eN
ok_and() { i_is INTERFACE,PROBE,STATE "$1:ok:ok"; }

switch_new "$SW"
for i in 0 1 2; do plug e$i; done
switch_host "$SW" "$R" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0 fdt 1000
ipv4_only "$H" ipmp0	# IPv4 probing here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h "$IPMPADM" add ipmp0 e2 standby
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
for i in 0 1 2; do h "$IPMPADM" test-address add e$i 192.0.2.3$((i + 1))/24; done
h "$IPMPADM" target add ipmp0 192.0.2.1
wait_for "three members probing, e2 standing by" 10 \
	eval 'ok_and e0 && ok_and e1 && ok_and e2 && i_is INTERFACE,ACTIVE e2:no'

dmesg_mark
h ip link del e0
wait_for "e0 unplugged: its place is kept" 5 i_is INTERFACE,STATE e0:removed
check "it is logged" dmesg_has "interface e0 of group ipmp0 is gone: its place is kept"
check "the group is degraded" g_is GROUP,STATE ipmp0:degraded
check "the standby e2 stands in" i_is INTERFACE,ACTIVE e2:yes
check "ipmpadm show keeps e0's test address" \
	eval 'h "$IPMPADM" show ipmp0 | grep -q "e0: state removed.*testaddr 192.0.2.31/24"'
check "ipmpstat -g lists e0 as unusable" \
	eval 'h "$IPMPSTAT" -g -P -o INTERFACES | grep -q "\[e0\]"'

plug e0
wait_for "a new e0 takes the place" 5 dmesg_has "interface e0 took its place in IPMP group ipmp0 again"
check "it is a member of ipmp0" has_master "$H" e0 ipmp0
check "with its test address" ipmpstat_is "$H" -t INTERFACE,TESTADDR e0:192.0.2.31
wait_for "its probes are answered" 5 ok_and e0
wait_for "failback: e0 is active, e2 stands by again" 5 \
	eval 'i_is INTERFACE,ACTIVE e0:yes && i_is INTERFACE,ACTIVE e2:no'
check "the group is ok again" g_is GROUP,STATE ipmp0:ok

dmesg_mark
h ip link del e2
wait_for "the standby e2 unplugged" 5 i_is INTERFACE,STATE e2:removed
check "its place keeps the standby flag" i_is INTERFACE,FLAGS e2:is-----
plug e2
wait_for "e2 comes back as a standby" 5 \
	eval 'i_is INTERFACE,STATE,ACTIVE e2:ok:no && i_is INTERFACE,FLAGS e2:is-----'

# A device renamed to the name takes the place too, as after udev renames
# a new NIC; one of the same name in another namespace does not.
dmesg_mark
h ip link del e1
wait_for "e1 unplugged" 5 i_is INTERFACE,STATE e1:removed
ip -n "$NS_other" link add e1 type dummy
check_fail "an e1 in another namespace does not take the place" \
	poll 1 has_master "$H" e1 ipmp0
switch_port "$SW" "$H" tmp1 p1
check "a device named otherwise does not" i_is INTERFACE,STATE e1:removed
h ip link set tmp1 name e1
wait_for "renamed to e1, it takes the place" 5 has_master "$H" e1 ipmp0
wait_for "with its test address and probes" 5 \
	eval 'ok_and e1 && ipmpstat_is "$H" -t INTERFACE,TESTADDR e1:192.0.2.32'

# Without failback a member back in its place waits until it is needed.
h "$IPMPADM" set ipmp0 failback no
dmesg_mark
h ip link del e0
wait_for "failback no: e0 unplugged, e2 stands in" 5 \
	eval 'i_is INTERFACE,STATE e0:removed && i_is INTERFACE,ACTIVE e2:yes'
plug e0
wait_for "e0 takes its place" 5 has_master "$H" e0 ipmp0
wait_for "and stays inactive: e2 carries on" 5 \
	eval 'i_is INTERFACE,STATE,ACTIVE e0:ok:no && i_is INTERFACE,ACTIVE e2:yes'
h "$IPMPADM" set ipmp0 failback yes

# Refusals, and forgetting a place.
h ip link del e0
wait_for "e0 unplugged again" 5 i_is INTERFACE,STATE e0:removed
dmesg_mark
switch_port "$SW" "$H" tmp0 p0
h ip addr add 198.51.100.7/24 dev tmp0
h ip link set tmp0 name e0
wait_for "a new e0 with a global address is refused its place" 5 \
	dmesg_has "interface e0 cannot take its place in IPMP group ipmp0: device has IPv4 addresses"
check "the place is still kept" i_is INTERFACE,STATE e0:removed
h ip link del e0
check "ipmpadm remove forgets the place" h "$IPMPADM" remove ipmp0 e0
check "e0 is no longer listed" eval '! h "$IPMPSTAT" -i -P -o INTERFACE | grep -qx e0'
check "the group is ok without it" g_is GROUP,STATE ipmp0:ok
plug e0
check_fail "a new e0 no longer joins" poll 1 has_master "$H" e0 ipmp0
check_err "removing a place the group does not keep is refused" \
	"the group keeps no place of that name" h "$IPMPADM" remove ipmp0 e9
check "a group with a kept place can be deleted" \
	eval 'h ip link del e2 && poll 5 i_is INTERFACE,STATE e2:removed && h "$IPMPADM" delete ipmp0'

ktap_finish
