#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test bed itself: the guest kernel, namespaces with veth and a bridge,
# and loading ipmp by hand and by either alias.
#
#   +-- h1 --------+      +-- sw ------------+      +-- h2 --------+
#   | v1 192.0.2.1 |------| s1 -- br0 -- s2  |------| v2 192.0.2.2 |
#   +--------------+      +------------------+      +--------------+
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2154,SC2317 # NS_* come from setup_ns; check calls functions
set -e
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

ktap_header
ktap_plan 6

kernel_is_expected() {
	local release
	release=$(uname -r)
	echo "running $release, expected ${VM_KVER:-6.1.*}"
	[[ $release == 6.1.* && $release == "${VM_KVER:-$release}" ]]
}
check "the guest runs the Debian 6.1 kernel" kernel_is_expected

setup_ns h1 sw h2
ip -n "$NS_sw" link add br0 type bridge
ip -n "$NS_sw" link set br0 up
add_veth v1 s1 "$NS_sw" "$NS_h1"
add_veth v2 s2 "$NS_sw" "$NS_h2"
ip -n "$NS_sw" link set s1 master br0
ip -n "$NS_sw" link set s2 master br0
ip -n "$NS_h1" addr add 192.0.2.1/24 dev v1
ip -n "$NS_h2" addr add 192.0.2.2/24 dev v2
wait_for "h1 pings h2 through a bridge in a third netns" 10 \
	in_ns "$NS_h1" ping -c 1 -W 1 192.0.2.2

ipmp_loaded() {
	[[ -d /sys/module/ipmp ]]
}

# vm-run loads ipmp before the test unless --no-module: start unloaded.
if ipmp_loaded; then
	modprobe -r ipmp || true
fi

# Succeeds if ipmp is not loaded, "$@" succeeds and ipmp is loaded after it.
loads_ipmp() {
	if ipmp_loaded; then
		echo "ipmp is loaded already"
		return 1
	fi
	"$@" && ipmp_loaded
}

unloads_ipmp() {
	rmmod ipmp && ! ipmp_loaded
}

check "modprobe ipmp loads the module" loads_ipmp modprobe ipmp
check "rmmod ipmp unloads it" unloads_ipmp
check "ip link add h0 type ipmp autoloads it (rtnl-link-ipmp)" \
	loads_ipmp ip link add h0 type ipmp
ip link del h0 2>/dev/null || true
rmmod ipmp 2>/dev/null || true
check "a lookup of genl family ipmp autoloads it" \
	loads_ipmp genl ctrl get name ipmp

ktap_finish
