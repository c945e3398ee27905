#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The listeners: ipmpstat -p with nothing probing refuses, as on Solaris;
# ipmpadm monitor survives a burst of notifications it is too slow for.
# Monitors are stopped (SIGSTOP) while the group binds many data addresses
# (a notification each), then let go: an unprivileged one, whose receive
# buffer the kernel caps at net.core.rmem_max, loses some and says so in
# its output (text and JSON) and goes on; root's, with the 8 MiB buffer it
# asks for, loses none.
#
#   host ns "h": ipmp0 [ e0 ] -- switch ns "sw" -- peer 192.0.2.1
#   data addresses 198.18.X.Y/32, N of them, added by one "ip -batch"
source "$(dirname "$0")/lib.sh"

require_cmd setpriv
ktap_header
setup_ns h sw peer
H=$NS_h
SW=$NS_sw
D=$(mktemp -d)
defer rm -rf "$D"
h() { ip netns exec "$H" "$@"; }
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
N=2000

switch_new "$SW"
switch_port "$SW" "$H" e0 p0
switch_host "$SW" "$NS_peer" q0 192.0.2.1/24
h "$IPMPADM" create ipmp0
h "$IPMPADM" add ipmp0 e0
h ip link set e0 up
h ip link set ipmp0 up

# Nothing probes: no member has a test address.
check_err "ipmpstat -p with nothing probing: an error..." \
	"ipmpstat: probe-based failure detection is disabled" h "$IPMPSTAT" -p
status=0
timeout 20 ip netns exec "$H" "$IPMPSTAT" -p 2>/dev/null || status=$?
check "...at once, with exit status 1 (got $status)" test "$status" = 1

declare -A pid
start() {
	local name=$1
	shift
	ip netns exec "$H" "$@" >"$D/$name" 2>"$D/$name.err" &
	pid[$name]=$!
	defer kill -CONT "${pid[$name]}"
	defer kill "${pid[$name]}"
}
# joined NAME: the monitor has its socket in a multicast group.
joined() { nl_joined "$H" "${pid[$1]}"; }
bound() { grep -c '^address 198\.18\..* inbound e0$' "$D/$1"; }
bound_json() { grep -c '"address": "198\.18\..*"inbound": "e0"' "$D/$1"; }

start root "$IPMPADM" monitor
start user "${nobody[@]}" "$IPMPADM" monitor
start userj "${nobody[@]}" "$IPMPADM" monitor -j
wait_for "the monitors listen" 30 eval 'joined root && joined user && joined userj'
for m in root user userj; do kill -STOP "${pid[$m]}"; done

for ((i = 0; i < N; i++)); do
	echo "addr add 198.18.$((i / 250)).$((i % 250 + 1))/32 dev ipmp0"
done >"$D/batch"
t0=$(_usecs_now)
h ip -batch "$D/batch"
t1=$(_usecs_now)
diag "$N data addresses bound in $(((t1 - t0) / 1000)) ms"
for m in root user userj; do kill -CONT "${pid[$m]}"; done

# Minutes for a debug kernel: the poll ends as soon as all have come.
wait_for "root's monitor reports all $N bindings" 300 \
	eval '(($(bound root) >= N))'
diag "rmem_max $(cat /proc/sys/net/core/rmem_max); reported: root $(bound root), unprivileged $(bound user) (text) $(bound_json userj) (JSON)"
check "root's monitor lost nothing" eval '! grep -q "^monitor lost" "$D/root"'
wait_for "the unprivileged monitor says it lost notifications" 20 \
	grep -qx "monitor lost: some notifications were not read in time" "$D/user"
check "and warns on stderr" \
	grep -q "some notifications were lost: ipmpadm monitor did not read them in time" "$D/user.err"
wait_for "the JSON one too, as a JSON object" 20 \
	grep -qx '{"object": "monitor", "event": "lost"}' "$D/userj"
check "they lost some, not all" \
	eval '(($(bound user) < N && $(bound_json userj) < N))'

# After the gap, reports go on.
h ip addr add 198.51.100.7/32 dev ipmp0
wait_for "after the gap the monitors report again" 10 \
	eval 'grep -q "^address 198.51.100.7 group ipmp0 inbound e0$" "$D/user" &&
	      grep -q "\"address\": \"198.51.100.7\"" "$D/userj"'

ktap_finish
