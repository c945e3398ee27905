#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family itself, with hand-made requests (genl.py):
# strict policies and their messages, read-only attributes, missing
# attributes, privilege, notifications, dumps that resume, and
# all-or-nothing changes.
#
#   ns "h": ipmp0 [ e0 e1 ], ipmp1 [ e2 ], ipmp5 [ e5 ], then 300 more groups
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw
H=$NS_h
h() { ip netns exec "$H" "$@"; }
genl() { ip netns exec "$H" python3 "$SELFTEST_DIR/genl.py" "$@"; }
ifindex() { h cat "/sys/class/net/$1/ifindex"; }
nobody() {
	ip netns exec "$H" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
replies() { genl "$@" 2>/dev/null; }
count_replies() { replies "$@" | grep -c '\.ifindex='; }

for i in 0 1 2; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$NS_sw"
done
h "$IPMPADM" create ipmp0
h "$IPMPADM" create ipmp1
h "$IPMPADM" add ipmp0 e0 e1
h "$IPMPADM" add ipmp1 e2
G0=$(ifindex ipmp0)
G1=$(ifindex ipmp1)
E0=$(ifindex e0)
E2=$(ifindex e2)

check "group-get returns the group" \
	eval 'replies group-get group.ifindex=u32:$G0 | grep -qx group.nmembers=2'
check_err "an unknown attribute is refused" "Unknown attribute type" \
	genl group-get group.ifindex=u32:$G0 group.99=u32:1
check_err "a read-only attribute is refused with its reason" \
	"group state is read-only" genl group-set group.ifindex=u32:$G0 group.state=u8:0
check_err "a wrongly sized attribute is refused" "error: EINVAL" \
	genl group-get group.ifindex=u8:1
check_err "a request without its object is refused" "missing group attributes" \
	genl group-get
check_err "a member without ifindex is refused" "missing member ifindex" \
	genl member-add member.group-ifindex=u32:$G0
check_err "an out-of-range flag is refused" "error: ERANGE" \
	genl group-set group.ifindex=u32:$G0 group.failback=u8:2
check_err "an unknown group is refused" "no such IPMP group" \
	genl group-get group.ifindex=u32:$E0
check_err "a device that is no member is refused" \
	"device is not a member of an IPMP group" \
	genl member-get member.ifindex=u32:"$(ifindex lo)"
check_err "removing a member from the wrong group is refused" \
	"device is not a member of this group" \
	genl member-del member.ifindex=u32:$E2 member.group-ifindex=u32:$G0
check "a member dump can be filtered by group" \
	test "$(count_replies --dump member-get member.group-ifindex=u32:$G1)" = 1
check_err "a member dump with a malformed filter is refused, not unfiltered" \
	"EINVAL: invalid attribute length" \
	genl --dump member-get member.group-ifindex=u16:$G1
check_err "and so is an address dump" "EINVAL: invalid attribute length" \
	genl --dump addr-get addr.group-ifindex=u16:$G1

# A refused change changes nothing.
check_err "a change with one bad setting is refused" "fdt must be between" \
	genl group-set group.ifindex=u32:$G0 group.name=str:other group.fdt=u32:5
check "and nothing of it was applied" \
	eval 'replies group-get group.ifindex=u32:$G0 | grep -qx group.name=ipmp0'

# Privilege: reads are for everyone, changes need CAP_NET_ADMIN.
check "an unprivileged user can read groups" \
	eval 'nobody "$IPMPSTAT" -g -P -o GROUP | grep -qx ipmp0'
check_err "an unprivileged user cannot create a group" \
	"ipmpadm: create ipmp7: permission denied: changes need CAP_NET_ADMIN" \
	nobody "$IPMPADM" create ipmp7
check_err "nor add a member" "add e1 to ipmp1: permission denied: changes need CAP_NET_ADMIN" \
	nobody "$IPMPADM" add ipmp1 e1
check_fail "and nothing was created" h ip link show ipmp7

# Notifications on the events group: every change, with its command.
MON=$(mktemp -p /tmp mon.XXXXXX)
ip netns exec "$H" python3 "$SELFTEST_DIR/genl.py" --monitor 60 >"$MON" &
MONPID=$!
# A loaded host can take seconds to start python: wait for the socket.
wait_for "the monitor has joined the events group" 30 nl_joined "$H" "$MONPID"
h "$IPMPADM" create ipmp5
h ip link add e5 type veth peer name p5 netns "$NS_sw"
h "$IPMPADM" add ipmp5 e5
ip -n "$NS_sw" link set p5 up
h ip link set ipmp5 up
h ip addr add 198.51.100.5/24 dev ipmp5
wait_for "member and address notifications arrive" 10 \
	eval 'grep -q "^addr.group-ifindex=" "$MON" && grep -q "^member.state=0" "$MON"'
kill $MONPID 2>/dev/null; wait $MONPID 2>/dev/null || true
check "a new group is announced" grep -qx group-new "$MON"
check "a new member is announced" grep -qx member-add "$MON"
check "member state changes are announced" grep -qx member-set "$MON"
check "group state changes are announced" grep -qx group-set "$MON"
check "an address binding is announced" grep -qx addr-get "$MON"
check "an unprivileged user can listen too" \
	eval 'nobody python3 "$SELFTEST_DIR/genl.py" --monitor 0.5 >/dev/null'

# Dumps resume across messages.
for i in $(seq 10 309); do echo "link add g$i type ipmp"; done | h ip -batch -
check "a dump of 303 groups returns each once" \
	test "$(replies --dump group-get | grep group.ifindex= | sort -u | wc -l)" = 303
check "and no group twice" \
	test "$(replies --dump group-get | grep -c group.ifindex=)" = 303

ktap_finish
