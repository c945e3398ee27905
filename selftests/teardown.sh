#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown leaves nothing behind: deleting a group with members, deleting a
# member device, moving a member away, deleting a namespace with groups, and
# unloading the module with live groups.  The harness fails the run on any
# kernel splat or leak report these provoke.
#
#   ns "h": ipmp0 [ e0 e1 ... ] -- veth -- ns "sw": p0 p1 ...     ns "o"
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw o
H=$NS_h
SW=$NS_sw
O=$NS_o
h() { ip netns exec "$H" "$@"; }
veths() { for i in "$@"; do ip -n "$H" link add e$i type veth peer name p$i netns "$SW"; done; }
g_is() { ipmpstat_is "$H" -g "$@"; }
no_member_left() { ! ip -n "$H" -o link | grep -q 'master ipmp'; }
group_gone() { ! ip -n "$H" link show "$1" >/dev/null 2>&1; }

veths 0 1
h "$IPMPADM" create ipmp0
h "$IPMPADM" add ipmp0 e0 e1
check "deleting a group with members works" h "$IPMPADM" delete ipmp0
check "its members are released" no_member_left
h "$IPMPADM" create ipmp0
check "released members can join again" h "$IPMPADM" add ipmp0 e0 e1

dmesg_mark
check "deleting a member device works" h ip link del e1
check "the member leaves; the group keeps its place (replace.sh)" \
	ipmpstat_is "$H" -i INTERFACE,STATE e1:removed
check "its removal is logged" \
	dmesg_since_mark_grep "interface e1 was removed from IPMP group ipmp0"
check "the other member stays" has_master "$H" e0 ipmp0

check "moving a member to another namespace works" h ip link set e0 netns "$O"
check "it left the group" g_is GROUP,STATE ipmp0:failed
check_fail "and is no member over there" has_master "$O" e0 ipmp0

veths 5
h "$IPMPADM" add ipmp0 e5
check "ip link del of a group with members works" h ip link del ipmp0
check "its member is released" no_member_left

# A namespace holding groups and members goes away.
dmesg_mark
G="gone-$$"
ip netns add "$G"
ip -n "$G" link add v0 type veth peer name v1
ip netns exec "$G" "$IPMPADM" create ipmp0
ip netns exec "$G" "$IPMPADM" add ipmp0 v0 v1
ip netns exec "$G" "$IPMPADM" create ipmp1
check "deleting a namespace with groups works" ip netns del "$G"
wait_for "its groups release their members" 20 \
	dmesg_since_mark_grep "interface v1 was removed from IPMP group ipmp0"

# rmmod with live groups, members, standby and a failed member.
h "$IPMPADM" create ipmp0
h "$IPMPADM" create ipmp1
veths 6 7
h "$IPMPADM" add ipmp0 e5 e6
h "$IPMPADM" add ipmp1 e7 standby
ip -n "$SW" link set p6 down
check "rmmod ipmp with live groups works" rmmod ipmp
check "the groups are gone" eval 'group_gone ipmp0 && group_gone ipmp1'
check "the members are released" no_member_left
check "the module loads again" modprobe ipmp
h "$IPMPADM" create ipmp0
check "and works again" h "$IPMPADM" add ipmp0 e5 e6 e7

ktap_finish
