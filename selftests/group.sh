#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Group devices: created and deleted through rtnetlink and generic netlink,
# module autoloading by either alias, group names and their refusals,
# settings, and namespaces.
#
#   ns "h": ipmp0, ipmp1, ipmp2        ns "o": another namespace
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h o
H=$NS_h
O=$NS_o
h() { ip netns exec "$H" "$@"; }
o() { ip netns exec "$O" "$@"; }
g_is() { ipmpstat_is "$H" -g "$@"; }	# g_is FIELDS LINE
module_loaded() { grep -q '^ipmp ' /proc/modules; }
kind_is_ipmp() { ip -n "$H" -d -o link show "$1" | grep -q ' ipmp '; }
groups_in() { ip netns exec "$1" "$IPMPSTAT" -g -P -o GROUP | sort | tr '\n' ' '; }
settings_kept() {
	h "$IPMPADM" show -j ipmp0 | python3 -c '
import json, sys
g = json.load(sys.stdin)[0]
sys.exit(not (g["fdt"] == 5000 and g["failback"] in (False, "no")))'
}
usage_exits_2() { h "$IPMPADM" create 2>/dev/null; test $? = 2; }

# Autoloading: by the rtnl link kind, and by the genl family name.
if module_loaded; then rmmod ipmp; fi
check "ip link add loads ipmp.ko by its alias" h ip link add ipmp0 type ipmp
check "the module is loaded" module_loaded
check "the device is of kind ipmp" kind_is_ipmp ipmp0
check "it is an Ethernet device" test "$(h cat /sys/class/net/ipmp0/type)" = 1
check "ip link del deletes it" h ip link del ipmp0
check_fail "it is gone" h ip link show ipmp0
rmmod ipmp
check "ipmpadm loads ipmp.ko by its genl family alias" h "$IPMPADM" show
check "the module is loaded again" module_loaded

# Creation through genl, with settings.
check "ipmpadm create makes a group device" \
	h "$IPMPADM" create ipmp0 group web fdt 5000 failback no
check "ipmpstat -g shows its name and state" g_is GROUP,GROUPNAME,STATE ipmp0:web:failed
check_fail "the group device is created down" is_up "$H" ipmp0
check "settings are kept" settings_kept
h "$IPMPADM" create ipmp1
check "the group name defaults to the device name" g_is GROUP,GROUPNAME ipmp1:ipmp1

# Group names and their refusals.
check_err "a duplicate group name is refused" \
	"group name is already used by another group" \
	h "$IPMPADM" create ipmp2 group web
check_fail "and no device is created" h ip link show ipmp2
check_err "a group name with a space is refused" \
	"group name must be printable with no spaces" \
	h "$IPMPADM" create ipmp2 group "a b"
check_err "a group name over 31 bytes is refused" \
	"group name is longer than 31 bytes" \
	h "$IPMPADM" create ipmp2 group abcdefghijabcdefghijabcdefghij01
check "a group name of 31 bytes is accepted" \
	h "$IPMPADM" create ipmp2 group abcdefghijabcdefghijabcdefghij0
check_err "renaming onto a used name is refused" \
	"group name is already used by another group" \
	h "$IPMPADM" set ipmp1 group web
check "renaming a group works" h "$IPMPADM" set ipmp1 group db
check "the new name shows" g_is GROUP,GROUPNAME ipmp1:db
check_err "an fdt below 100 ms is refused" "fdt must be between 100 and 3600000 ms" \
	h "$IPMPADM" set ipmp1 fdt 99
check_err "an existing device name is refused" \
	"a device with this name already exists" h "$IPMPADM" create lo
check_err "a group device with its own address is refused" \
	"an IPMP group has no address of its own" \
	h ip link add ipmp9 address 02:00:00:00:00:01 type ipmp
check_err "deleting a device that is no group is refused" "no such IPMP group" \
	h "$IPMPADM" delete lo

# Namespaces: groups are per netns and stay in theirs.
check "a namespace may reuse a group name" o "$IPMPADM" create ipmp0 group web
check "each namespace sees its own groups only" test "$(groups_in "$O")" = "ipmp0 "
check_fail "a group device cannot move to another namespace" \
	h ip link set ipmp1 netns "$O"

check "ipmpadm delete removes a group" h "$IPMPADM" delete ipmp2
check_fail "it is gone" h ip link show ipmp2
check "usage errors exit 2" usage_exits_2

ktap_finish
