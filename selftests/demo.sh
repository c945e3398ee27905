#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": an IPMP group at work, narrated one step per line.
#
#   host ns "h"                       switch ns "sw"
#   ipmp0 [ net0  net1  net2(standby) ] -- veth -- br0 [ port0 port1 port2 ]
source "$(dirname "$0")/lib.sh"

setup_ns h sw
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; h "$@"; }
kmsg() { dmesg_since_mark | sed -n 's/^.*ipmp[0-9]*: /  kernel: /p'; }
settle() { wait_for "$1" 10 "${@:2}" >/dev/null; }

ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add net$i type veth peer name port$i netns "$SW"
	ip -n "$SW" link set port$i master br0 up
done

dmesg_mark
say "Create the group ipmp0 and put net0 and net1 in it; net2 waits as a standby."
run "$IPMPADM" create ipmp0 fdt 10000
run "$IPMPADM" add ipmp0 net0 net1
run "$IPMPADM" add ipmp0 net2 standby
run ip link set ipmp0 up
settle "group ok" ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
kmsg

say "The group and its members, as Solaris administrators know them."
run "$IPMPSTAT" -g
run "$IPMPSTAT" -i
run "$IPMPADM" show

dmesg_mark
say "Pull net0's cable (its switch port goes down): the standby takes over."
ip -n "$SW" link set port0 down
settle "net2 active" ipmpstat_is "$H" -i INTERFACE,ACTIVE net2:yes
run "$IPMPSTAT" -i
run "$IPMPSTAT" -g
kmsg

dmesg_mark
say "Pull net1's cable too: one member is left, the group is degraded."
ip -n "$SW" link set port1 down
settle "net1 failed" ipmpstat_is "$H" -i INTERFACE,STATE net1:failed
run "$IPMPSTAT" -i
kmsg

dmesg_mark
say "Pull the last cable: the group fails and ipmp0 loses its carrier."
ip -n "$SW" link set port2 down
settle "group failed" ipmpstat_is "$H" -g GROUP,STATE ipmp0:failed
run "$IPMPSTAT" -g
run ip -br link show ipmp0
kmsg

dmesg_mark
say "Plug the cables back: repair, and failback sends net2 back to standby."
for i in 0 1 2; do ip -n "$SW" link set port$i up; done
settle "group ok" ipmpstat_is "$H" -g GROUP,STATE ipmp0:ok
settle "net2 inactive" ipmpstat_is "$H" -i INTERFACE,ACTIVE net2:no
run "$IPMPSTAT" -i
run ip -br link show ipmp0
kmsg

say "Delete the group: its members are released."
run "$IPMPADM" delete ipmp0
run ip -br link
