#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Members: joining through ipmpadm and "ip link set master", every refusal of
# the join validation with its message, link failure and repair, standby,
# MTU.
#
#   host ns "h"                      switch ns "sw"
#   +----------------------+         +-----------------+
#   | ipmp0 [ e0  e1  e2 ] |         |      br0        |
#   +---------|---|---|----+         |  p0   p1   p2   |
#             |   |   +--- veth -----+---|----|----+   |
#             |   +------- veth ---------|----+        |
#             +----------- veth ---------+             |
#                                    +-----------------+
source "$(dirname "$0")/lib.sh"

ktap_header
# Links flap on purpose here; damping has a test of its own (datapath.sh).
echo 0 > /sys/module/ipmp/parameters/link_damp_ms
setup_ns h sw
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }	# i_is FIELDS LINE
g_is() { ipmpstat_is "$H" -g "$@"; }	# g_is FIELDS LINE
carrier_is() { test "$(h cat /sys/class/net/ipmp0/carrier)" = "$1"; }
mtu_is() { test "$(h cat /sys/class/net/ipmp0/mtu)" = "$1"; }

ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$SW"
	ip -n "$SW" link set p$i master br0 up
done

h "$IPMPADM" create ipmp0
h ip link set ipmp0 up
check "an empty group is failed" g_is GROUP,STATE ipmp0:failed
check "an empty group has no carrier" carrier_is 0

dmesg_mark
check "ipmpadm add brings members in" h "$IPMPADM" add ipmp0 e0 e1
check "they are enslaved to the group" \
	eval 'has_master "$H" e0 ipmp0 && has_master "$H" e1 ipmp0'
check "joining brings a member up" is_up "$H" e1
check "the join is logged" \
	dmesg_since_mark_grep "interface e0 was added to IPMP group ipmp0"
wait_for "both members become active" 10 g_is GROUP,STATE ipmp0:ok
check "e0 is active, its link up, its state ok" \
	i_is INTERFACE,ACTIVE,LINK,STATE e0:yes:up:ok
check "the group has carrier" carrier_is 1

check "ip link set master adds a member" h ip link set e2 master ipmp0
check "ipmpstat lists it" i_is INTERFACE,GROUP e2:ipmp0
check "ip link set nomaster removes it" h ip link set e2 nomaster
check "the removal is logged" \
	dmesg_since_mark_grep "interface e2 was removed from IPMP group ipmp0"
check_fail "it is no longer listed" i_is INTERFACE e2

# Refusals, each with its message, through both entry points.
check_err "loopback is refused" "loopback device cannot be a member" \
	h "$IPMPADM" add ipmp0 lo
check_err "loopback is refused by ip link too" "loopback device cannot be a member" \
	h ip link set lo master ipmp0
h ip link add t0 type ipip local 192.0.2.2 remote 192.0.2.1
check_err "a non-Ethernet device is refused" "device is not an Ethernet device" \
	h "$IPMPADM" add ipmp0 t0
check_err "the group itself is refused" "cannot add a group to itself" \
	h "$IPMPADM" add ipmp0 ipmp0
h "$IPMPADM" create ipmp1
check_err "another IPMP group is refused" "groups cannot be nested" \
	h "$IPMPADM" add ipmp0 ipmp1
check_err "a member of another group is refused" \
	"device is already a member of an IPMP group" h "$IPMPADM" add ipmp1 e0
h ip link add e3 type veth peer name p3 netns "$SW"
h ip link add br9 type bridge
h ip link set e3 master br9
check_err "a device enslaved elsewhere is refused" \
	"device is already enslaved to another master" h "$IPMPADM" add ipmp0 e3
h ip link set e3 nomaster
h ip addr add 192.0.2.9/24 dev e3
# (ipmpadm add moves such addresses to the group: addmove.sh)
check_err "a device with IPv4 addresses is refused" \
	"device has IPv4 addresses" h ip link set e3 master ipmp0
h ip addr flush dev e3
h ip -6 addr add 2001:db8::9/64 dev e3 nodad
check_err "a device with IPv6 global addresses is refused" \
	"device has IPv6 global addresses" h ip link set e3 master ipmp0
h ip -6 addr flush dev e3 scope global
h ip link set e3 multicast off
check_err "a device without multicast is refused" \
	"device does not support multicast" h "$IPMPADM" add ipmp0 e3
h ip link set e3 multicast on
check_err "a device of another namespace cannot be named" "no such interface" \
	h "$IPMPADM" add ipmp0 p0
check_fail "refused devices are left alone" has_master "$H" e3 ipmp0

# Link failure and repair, as the carrier comes and goes.
dmesg_mark
ip -n "$SW" link set p0 down
wait_for "carrier loss fails e0" 10 i_is INTERFACE,LINK,STATE e0:down:failed
check "the group is degraded" g_is GROUP,STATE ipmp0:degraded
check "the link loss is logged" dmesg_since_mark_grep "The link has gone down on e0"
check "the failure is logged" \
	dmesg_since_mark_grep "IP interface failure detected on e0 of group ipmp0"
ip -n "$SW" link set p1 down
wait_for "losing every link fails the group" 10 g_is GROUP,STATE ipmp0:failed
check "a failed group has no carrier" carrier_is 0
check "the group failure is logged" \
	dmesg_since_mark_grep "All IP interfaces in group ipmp0 are now unusable"
ip -n "$SW" link set p0 up
wait_for "the first member back restores the group" 10 carrier_is 1
check "the recovery is logged" \
	dmesg_since_mark_grep "At least 1 IP interface (e0) in group ipmp0 is now usable"
check "the repair is logged" \
	dmesg_since_mark_grep "IP interface repair detected on e0 of group ipmp0"
check "the link coming up is logged" dmesg_since_mark_grep "The link has come up on e0"
ip -n "$SW" link set p1 up
wait_for "both members are ok again" 10 g_is GROUP,STATE ipmp0:ok
h ip link set e1 down
wait_for "admin down fails a member, flag d" 10 i_is INTERFACE,FLAGS,STATE 'e1:-----d-:failed'
h ip link set e1 up
wait_for "admin up repairs it" 10 i_is INTERFACE,STATE e1:ok

# Standby: inactive while enough members are active, used when one fails.
check "a standby member joins" h "$IPMPADM" add ipmp0 e2 standby
check "it is inactive, flags i and s" i_is INTERFACE,ACTIVE,FLAGS 'e2:no:is-----'
check "e0 is the broadcast and multicast nominee" i_is INTERFACE,FLAGS 'e0:--bmM--'
ip -n "$SW" link set p0 down
wait_for "standby is activated when an active member fails" 10 \
	i_is INTERFACE,ACTIVE,FLAGS 'e2:yes:-s-----'
check "the nominee moved to e1" i_is INTERFACE,FLAGS 'e1:--bmM--'
ip -n "$SW" link set p0 up
wait_for "standby steps back when the member is repaired" 10 \
	i_is INTERFACE,ACTIVE,FLAGS 'e2:no:is-----'
check "set standby off activates it" h "$IPMPADM" set e2 standby off
check "it is active" i_is INTERFACE,ACTIVE,FLAGS 'e2:yes:-------'

# Failback off: a repaired member stays inactive while it is not needed.
h "$IPMPADM" set e2 standby on
h "$IPMPADM" set ipmp0 failback no
ip -n "$SW" link set p1 down
wait_for "standby covers for e1" 10 i_is INTERFACE,ACTIVE e2:yes
ip -n "$SW" link set p1 up
wait_for "e1 is repaired" 10 i_is INTERFACE,STATE e1:ok
check "without failback e1 stays inactive" i_is INTERFACE,ACTIVE,FLAGS 'e1:no:i------'
check "and the standby stays active" i_is INTERFACE,ACTIVE e2:yes
h "$IPMPADM" set ipmp0 failback yes
check "turning failback on brings e1 back" i_is INTERFACE,ACTIVE e1:yes

# MTU of the group: the smallest of its members'.
h ip link set e1 mtu 1400
wait_for "the group takes the smallest member MTU" 5 mtu_is 1400
check_fail "raising the group above it is refused" h ip link set ipmp0 mtu 1500
h ip link set e1 mtu 1500
wait_for "and follows it back up" 5 mtu_is 1500

check "ipmpadm remove takes a member out" h "$IPMPADM" remove ipmp0 e2
check_fail "it is released" has_master "$H" e2 ipmp0
check_err "removing a non-member is refused" "not a member" \
	h "$IPMPADM" remove ipmp0 e2

ktap_finish
