#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The carrier poll (kernel/linkpoll.c).  Linkwatch reports the carrier of a
# device that is its own link (a physical NIC; here dummy devices, whose
# carrier "ip link set carrier" sets) up to a second late, so such members
# can be polled too (link_poll_ms; off by default).  Their carrier fails and repairs them with the poll and
# without it (link_poll_ms 0: linkwatch's NETDEV_CHANGE alone), their data
# address moves, and members leaving and groups deleted while the poll runs
# every millisecond and carriers flip leave the kernel clean.  How much
# sooner the poll acts is a matter of timing, for a benchmark on a quiet
# machine, not for this test: in an emulated guest one command can take
# longer than linkwatch's second.
#
#   host ns "h": ipmp0 [ d0 d1 ] (dummy), 192.0.2.10/24
source "$(dirname "$0")/lib.sh"

ktap_header
PARAM=/sys/module/ipmp/parameters/link_poll_ms
echo 0 > /sys/module/ipmp/parameters/link_damp_ms
setup_ns h
H=$NS_h
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
inbound() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | sed -n 's/^192\.0\.2\.10://p'; }
carrier() { h ip link set "$1" carrier "$2"; }

check "the poll is off by default: detection is event driven" test "$(cat $PARAM)" = 0
check_fail "a poll interval that is not a number is refused" sh -c "echo 10ms > $PARAM"
for i in 0 1 2; do
	h ip link add d$i type dummy
	# A dummy device has no multicast of its own; members need it.
	h ip link set d$i multicast on
done
h "$IPMPADM" create ipmp0
check "dummy devices join a group" h "$IPMPADM" add ipmp0 d0 d1
# Turned on with members already in: their group's poll starts.
echo 10 > $PARAM
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
wait_for "both are ok" 10 i_is INTERFACE,LINK,STATE d0:up:ok
check "d1 too" i_is INTERFACE,LINK,STATE d1:up:ok

X=$(inbound)
if [ "$X" = d0 ]; then Y=d1; else Y=d0; fi
carrier "$X" off
wait_for "$X's carrier lost: $X failed, the address on $Y" 10 \
	eval 'i_is INTERFACE,LINK,STATE $X:down:failed && [ "$(inbound)" = $Y ]'
carrier "$X" on
wait_for "its carrier back: repaired" 10 i_is INTERFACE,LINK,STATE "$X:up:ok"

echo 0 > $PARAM
carrier d0 off
wait_for "poll off: linkwatch alone fails d0" 10 i_is INTERFACE,LINK,STATE d0:down:failed
carrier d0 on
wait_for "and repairs it" 10 i_is INTERFACE,LINK,STATE d0:up:ok
echo 10 > $PARAM
carrier d1 off
wait_for "poll on again: d1 fails" 10 i_is INTERFACE,LINK,STATE d1:down:failed
carrier d1 on
wait_for "and is repaired" 10 i_is INTERFACE,LINK,STATE d1:up:ok
h ip link set d0 down
wait_for "an administratively downed member fails" 10 i_is INTERFACE,LINK,STATE d0:down:failed
h ip link set d0 up
wait_for "and comes back" 10 i_is INTERFACE,LINK,STATE d0:up:ok

# Churn: carriers flip as fast as they can while members leave and join
# and groups come and go; the poll must never touch a member or group
# that is gone (KASAN and the splat check of the runner watch this).
dmesg_mark
echo 1 > $PARAM
for ((i = 0; i < 3000; i++)); do
	echo "link set d$((i % 3)) carrier $( (((i / 3) % 2)) && echo on || echo off)"
done >"$_lib_tmp/flips"
h ip -force -batch "$_lib_tmp/flips" 2>/dev/null &
flipper=$!
for ((i = 0; i < 8; i++)); do
	h "$IPMPADM" create ipmp1 >/dev/null
	h "$IPMPADM" add ipmp1 d2 >/dev/null
	h "$IPMPADM" remove ipmp0 d1 >/dev/null
	h "$IPMPADM" add ipmp0 d1 >/dev/null
	h "$IPMPADM" delete ipmp1 >/dev/null
done
wait "$flipper" || true
echo 10 > $PARAM
check "churn under the poll: no kernel warning" \
	eval '! dmesg_since_mark | grep -qE "WARNING|BUG|KASAN|refcount|use-after-free"'
for d in d0 d1 d2; do carrier $d on; done
wait_for "afterwards every member is ok" 10 \
	eval 'i_is INTERFACE,LINK,STATE d0:up:ok && i_is INTERFACE,LINK,STATE d1:up:ok'
check "and the address is on one of them" eval '[ -n "$(inbound)" ]'
h "$IPMPADM" delete ipmp0
check_fail "the group deletes with its poll" h ip link show ipmp0
echo 0 > $PARAM

ktap_finish
