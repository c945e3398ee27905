#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ipmpadm add moves a new member's global addresses to the group, as
# Solaris does, and puts them back when the member is refused; addresses
# from DHCP or autoconfiguration are not moved.
#
#   host ns "h": ipmp0 [ e0 ] + e1 (192.0.2.9/24, 2001:db8::9/64) -- switch "sw" -- peer 192.0.2.1
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw peer
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
has_addr() { h ip -o addr show dev "$1" | grep -qF " $2 "; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
switch_host "$SW" "$NS_peer" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0
h "$IPMPADM" add ipmp0 e0
h ip link set ipmp0 up
h ip link set e1 up
h ip addr add 192.0.2.9/24 dev e1
h ip -6 addr add 2001:db8::9/64 dev e1 nodad

# Refused for another reason: the addresses stay where they were.
h ip link set e1 multicast off
check_err "a member refused after its addresses moved..." \
	"device does not support multicast" h "$IPMPADM" add ipmp0 e1
check "...gets them back" eval 'has_addr e1 192.0.2.9/24 && has_addr e1 2001:db8::9/64'
check "and the group does not keep them" \
	eval '! has_addr ipmp0 192.0.2.9/24 && ! has_addr ipmp0 2001:db8::9/64'
h ip link set e1 multicast on

h "$IPMPADM" add ipmp0 e1 >"$_lib_tmp/moved" 2>&1
check "ipmpadm add moves the member's addresses to the group" \
	eval 'has_addr ipmp0 192.0.2.9/24 && has_addr ipmp0 2001:db8::9/64'
check "and says so" eval 'grep -qx "ipmpadm: moved 192.0.2.9/24 from e1 to ipmp0" "$_lib_tmp/moved" &&
	grep -qx "ipmpadm: moved 2001:db8::9/64 from e1 to ipmp0" "$_lib_tmp/moved"'
check "e1 is a member without global addresses" \
	eval 'has_master "$H" e1 ipmp0 && ! h ip -o addr show dev e1 scope global | grep -q .'
wait_for "the moved address is a data address at once" 5 \
	eval 'h "$IPMPSTAT" -n -a -P -o ADDRESS | grep -qx 192.0.2.9'
check "a peer reaches it" ip netns exec "$NS_peer" ping -c 1 -W 2 192.0.2.9

h "$IPMPADM" remove ipmp0 e1
h ip addr add 192.0.2.77/24 dev e1 valid_lft 300 preferred_lft 300
check_err "a dynamic address is not moved: the member is refused" \
	"192.0.2.77/24 is configured by DHCP or autoconfiguration" h "$IPMPADM" add ipmp0 e1
check "nothing moved" eval 'has_addr e1 192.0.2.77/24 && ! has_addr ipmp0 192.0.2.77/24 && ! has_master "$H" e1 ipmp0'

ktap_finish
