#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privilege and namespaces.  Changes need CAP_NET_ADMIN over the network
# namespace: the root of a user namespace may configure groups in a
# network namespace that namespace owns, and nothing in the initial one (reads
# stay allowed); nothing is reachable across namespaces by ifindex; a member
# moved to another namespace leaves its group cleanly and can join one
# there; a test address answers ARP on its own member's segment only.
# (netlink.sh has the unprivileged user without a user namespace, group.sh
# a group device refused a move, teardown.sh a bare member's move.)
#
#   initial ns: ipmpi [ si0 ]                 ns "u": owned by a user namespace
#   ns "h": ipmp0 [ e0 -- sw1 -- peer a      ns "o": where e0 moves
#                   e1 -- sw2 -- peer b ]
source "$(dirname "$0")/lib.sh"

require_cmd unshare nsenter python3
ktap_header
echo 0 > /sys/module/ipmp/parameters/link_damp_ms

DENIED="permission denied: changes need CAP_NET_ADMIN"
genl_py=$SELFTEST_DIR/genl.py
ifindex() { ip netns exec "$1" cat "/sys/class/net/$2/ifindex"; }

# userns [unshare options] CMD...: CMD as root of a new user namespace (and
# whatever else the options unshare), with no privilege outside it.  A user
# namespace cannot be made inside a chroot, and vm-run's guest runs the
# tests in one: then unshare starts from PID 1's root, through the dynamic
# loader (its libraries are not there), and puts CMD back into ours.
chroot_dir() {
	local d
	for d in /proc/1/root/*/; do
		if [[ $d -ef / && -e $d/proc/self ]]; then
			d=${d#/proc/1/root}
			echo "${d%/}"
			return
		fi
	done
	return 1
}
userns() {
	local root ldso
	if [[ / -ef /proc/1/root/ ]]; then
		unshare --user --map-root-user "$@"
		return
	fi
	root=$(chroot_dir) || { echo "security.sh: cannot find our root under PID 1's" >&2; return 1; }
	ldso=$(readlink -f "$(ldd "$(command -v unshare)" | awk '/ld-linux/ { print $1 }')")
	nsenter --target 1 --mount --root -- "$root$ldso" --library-path "$root${ldso%/*}" \
		"$root$(command -v unshare)" --user --map-root-user --root="$root" --wd="$PWD" "$@"
}
userns_only() { userns "$@"; }

userns true 2>/dev/null || skip_all "cannot create a user namespace here"

# A user namespace owning network namespace "u", held by a sleep; u CMD
# runs CMD in both as that namespace's root.
userns --net sleep 600 &
defer kill $!
find_u() {
	local p
	for p in $(pgrep -x sleep); do
		[[ $(readlink "/proc/$p/ns/net") != "$(readlink /proc/self/ns/net)" ]] || continue
		UPID=$p
		return 0
	done
	return 1
}
poll 10 find_u || { fail "a user namespace owning a netns is made" "no sleep in another netns"; ktap_finish; }
defer kill "$UPID"
u() { nsenter --target "$UPID" --user --net --preserve-credentials "$@"; }
check "u's root is in its own user namespace" \
	test "$(readlink /proc/$UPID/ns/user)" != "$(readlink /proc/self/ns/user)"

# A group of the initial namespace, for that root to try to change.
ip link add si0 type veth peer name si1
defer ip link del si0
"$IPMPADM" create ipmpi
"$IPMPADM" add ipmpi si0
GI=$(cat /sys/class/net/ipmpi/ifindex)
"$IPMPADM" save >"$_lib_tmp/init.saved"

# The user namespace's root, in its own network namespace.
check "in its own netns, a user namespace's root can make veths" \
	u ip link add v0 type veth peer name v1
check "create a group" u "$IPMPADM" create ipmpu
check "add a member" u "$IPMPADM" add ipmpu v0
check "change its settings" u "$IPMPADM" set ipmpu fdt 2000 failback no
check "give it a test address" u "$IPMPADM" test-address add v0 192.0.2.31/24
check "and a target" u "$IPMPADM" target add ipmpu 192.0.2.1
check "see them" eval 'u "$IPMPADM" save ipmpu | grep -q "fdt 2000" && u "$IPMPADM" save ipmpu | grep -q 192.0.2.31'
check "the initial netns does not see its group" \
	eval '! "$IPMPSTAT" -g -P -o GROUP | grep -qx ipmpu'
check "it does not see the initial netns' group" \
	eval '! u "$IPMPSTAT" -g -P -o GROUP | grep -qx ipmpi'
check "nor reach it by its ifindex" \
	eval '! u python3 "$genl_py" group-get group.ifindex=u32:$GI 2>/dev/null | grep -q "ifname=ipmpi$"'
check "nor a device of the initial netns by its ifindex" \
	eval '! u python3 "$genl_py" member-add member.ifindex=u32:$(cat /sys/class/net/si1/ifindex) member.group-ifindex=u32:$(u cat /sys/class/net/ipmpu/ifindex) 2>/dev/null && ! ip -o link show si1 | grep -q master'
check "it can delete its group" u "$IPMPADM" delete ipmpu

# The same user namespace's root has no privilege in the initial netns.
check "reads in the initial netns are allowed" \
	eval 'userns_only "$IPMPSTAT" -g -P -o GROUP | grep -qx ipmpi'
check_err "creating a group there is refused" "$DENIED" userns_only "$IPMPADM" create ipmpx
check_err "deleting one" "$DENIED" userns_only "$IPMPADM" delete ipmpi
check_err "changing its settings" "$DENIED" userns_only "$IPMPADM" set ipmpi fdt 2000
check_err "adding a member" "$DENIED" userns_only "$IPMPADM" add ipmpi si1
check_err "taking one offline" "$DENIED" userns_only "$IPMPADM" offline si0
check_err "removing one" "$DENIED" userns_only "$IPMPADM" remove ipmpi si0
check_err "giving it a test address" "$DENIED" \
	userns_only "$IPMPADM" test-address add si0 192.0.2.41/24
check_err "adding a target" "$DENIED" userns_only "$IPMPADM" target add ipmpi 192.0.2.1
check "and nothing changed" eval '"$IPMPADM" save | cmp - "$_lib_tmp/init.saved"'
check_err "joining the probes group is refused too" "permission denied" \
	userns_only "$IPMPADM" monitor probes

# A member moved to another namespace leaves its group (which keeps its
# place, replace.sh): its data address moves to the other member, and over
# there it is a plain device that can join a group of that namespace.  Moved
# back, it takes its place again.
setup_ns h o sw1 sw2 a b
H=$NS_h
O=$NS_o
h() { ip netns exec "$H" "$@"; }
answers() { ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null; }
bound_to() { ipmpstat_is "$H" -a ADDRESS,INBOUND "$1:$2"; }
for i in 1 2; do
	sw=NS_sw$i
	switch_new "${!sw}"
	switch_port "${!sw}" "$H" e$((i - 1)) p0
	ip -n "$H" link set e$((i - 1)) up
done
switch_host "$NS_sw1" "$NS_a" q0 192.0.2.1/24
switch_host "$NS_sw2" "$NS_b" q0 192.0.2.2/24
# Probing off: the members' segments are apart, and a target found on one
# (over IPv6, from ff02::1) would fail the member of the other.
h "$IPMPADM" create ipmp0 probing off
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24

# ARP for a test address is answered on its own member's segment only.
check "a test address answers on its member's segment" answers "$NS_a" 192.0.2.31
check "the other member's answers on its own" answers "$NS_b" 192.0.2.32
check_fail "but not on the other member's segment" answers "$NS_b" 192.0.2.31
check "where it stays unresolved" \
	eval '! ip -n "$NS_b" neigh show 192.0.2.31 | grep -q lladdr'
check_fail "nor the other way round" answers "$NS_a" 192.0.2.32

h ip addr add 192.0.2.10/24 dev ipmp0
h ip addr add 192.0.2.11/24 dev ipmp0
A_ON_E0=$(h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | awk -F: '$2 == "e0" { print $1; exit }')
check "a data address is bound to e0" test -n "$A_ON_E0"
dmesg_mark
check "a member can be moved to another netns" h ip link set e0 netns "$O"
check "it left its group, which keeps its place" \
	ipmpstat_is "$H" -i INTERFACE,STATE e0:removed
check "which logged it" dmesg_has "interface e0 was removed from IPMP group ipmp0"
wait_for "its data address moves to the other member" 5 bound_to "$A_ON_E0" e1
check "over there it has no master" eval '! ip -n "$O" -o link show e0 | grep -q master'
ip -n "$O" link set e0 up
check "and can join a group of that netns" eval '
	ip netns exec "$O" "$IPMPADM" create ipmp0 &&
	ip netns exec "$O" "$IPMPADM" add ipmp0 e0 &&
	ipmpstat_is "$O" -i INTERFACE,GROUP e0:ipmp0'
check "without its test address of the first" \
	eval '! ip netns exec "$O" "$IPMPADM" show | grep -q 192.0.2.31'
check "moved back, it leaves that group" \
	eval 'ip -n "$O" link set e0 netns "$H" && ipmpstat_is "$O" -i INTERFACE,STATE e0:removed'
wait_for "and takes its place in the first again" 10 \
	ipmpstat_is "$H" -i INTERFACE,GROUP e0:ipmp0
check "with its test address" eval 'h "$IPMPADM" show | grep -q "e0:.*testaddr 192.0.2.31/24"'
check "no device is a member in two namespaces" \
	eval '! ip -n "$O" -o link show type veth | grep -q "master ipmp"'

ktap_finish
