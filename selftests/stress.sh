#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: for STRESS_MINUTES minutes (default 2), all at once, member links
# flap at random, members leave and join (standby or not), data addresses
# come and go, members go offline and online, test addresses, targets, FDT
# and probing change, a second group is created, filled and deleted, and
# readers dump everything, while TCP transfers and a ping flood run from a
# peer behind the switch to the group.  e0 is never touched, so a member
# always stays active: every transfer must arrive intact.  At the end the
# group must settle (every data address bound to an active member, the
# spread even), the kernel log must be clean, the module must unload (and,
# under a kernel with kmemleak, leave no leak) and load again.
#
#   host ns "h"                         switch ns "sw"        peer ns "pr"
#   +------------------------------+    +---------------+     +--------------+
#   | ipmp0 192.0.2.10, ::10       |    |      br0      |     | veth0        |
#   |       (+ 192.0.2.2x, ::2x)   |    | p0..p3 q0 q1 -+ p9 -+ 192.0.2.1    |
#   | [ e0  e1  e2  e3 ]           |----+               |     | 198.51.100.1 |
#   | ipmp1 (now and then) [f0 f1] |----+               |     | tbf 8mbit    |
#   +------------------------------+    +---------------+     +--------------+
#
# A pulled cable is "ip -n sw link set pN down".  The events of each kind
# are counted and printed; commands the module refuses (taking the last
# usable member offline, removing what is not there, ...) are counted
# apart, but a tool that crashes or hangs fails the test.
source "$(dirname "$0")/lib.sh"

ktap_header
require_cmd socat ping tc sha256sum timeout
MINUTES=${STRESS_MINUTES:-2}
if [[ ! $MINUTES =~ ^([0-9]+|[0-9]*\.[0-9]+)$ ]] || [[ $MINUTES =~ ^[0.]+$ ]]; then
	fail "STRESS_MINUTES is a positive number of minutes" "got '$MINUTES'"
	ktap_finish
fi
SECS=$(awk -v m="$MINUTES" 'BEGIN { s = int(m * 60 + 0.5); print (s > 0 ? s : 1) }')

modprobe ipmp
setup_ns h sw pr
H=$NS_h
SW=$NS_sw
PR=$NS_pr
h() { ip netns exec "$H" "$@"; }
pr() { ip netns exec "$PR" "$@"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/stress.XXXXXX")
stop_all() {
	local f
	for f in "$T"/*.pid; do
		[[ ! -e $f ]] || kill "$(cat "$f")" 2>/dev/null
	done
	rm -rf "$T"
}
defer stop_all

V4=192.0.2.10
V6=2001:db8::10
PORT=5001
# Seconds a tool may take before it counts as hung: a debug kernel on a
# busy emulated guest takes tens of seconds for a command now and then.
KILL_AFTER=120

ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for p in e0:p0 e1:p1 e2:p2 e3:p3 f0:q0 f1:q1; do
	ip -n "$H" link add "${p%:*}" type veth peer name "${p#*:}" netns "$SW"
	ip -n "$SW" link set "${p#*:}" master br0 up
done
ip -n "$PR" link add veth0 type veth peer name p9 netns "$SW"
ip -n "$SW" link set p9 master br0 up
pr ip link set veth0 up
pr ip addr add 192.0.2.1/24 dev veth0
pr ip addr add 198.51.100.1/24 dev veth0
pr ip -6 addr add 2001:db8::1/64 dev veth0 nodad
# Transfers last long enough for failovers to land in the middle of them.
pr tc qdisc add dev veth0 root tbf rate 8mbit burst 16k latency 400ms

h "$IPMPADM" create ipmp0 announce 2 announce-interval 300
h "$IPMPADM" add ipmp0 e0 e1 e2 e3
h ip link set ipmp0 up
h ip addr add "$V4/24" dev ipmp0
h ip -6 addr add "$V6/64" dev ipmp0 nodad
h ip link set f0 up
h ip link set f1 up
is_active() { ipmpstat_is "$H" -i INTERFACE,ACTIVE "$1:yes"; }
all_active() { is_active e0 && is_active e1 && is_active e2 && is_active e3; }
wait_for "e0..e3 are active" 20 all_active
wait_for "the peer reaches $V4" 20 pr ping -c 1 -W 2 "$V4"
check "the peer reaches $V6" pr ping -6 -c 1 -W 5 "$V6"

# The clock all the loops stop by (END is set when they start).
END=0
running() { (($(date +%s) < END)); }
# A random sleep of 0.0X to 0.$1 s (1 <= $1 <= 9).
nap() { sleep "0.$((RANDOM % $1))$((RANDOM % 10))"; }
pick() { local a=("$@"); echo "${a[RANDOM % $#]}"; }

# tool NAME [h|sw] CMD...: one event of loop NAME (h, sw: in that netns);
# a refusal (exit 1 or 2) is counted as such, a crash, a kill or a hang
# (exit > 2) as a failure.  One line per event in $T/NAME.log: "STATUS MS".
# (nsenter: "ip netns exec" remounts /sys, which costs an emulated guest
# most of a second; the tools need only the netns.)
tool() {
	local name=$1 rc=0 t0
	shift
	case $1 in
	h) set -- nsenter "--net=/run/netns/$H" "${@:2}" ;;
	sw) set -- nsenter "--net=/run/netns/$SW" "${@:2}" ;;
	esac
	t0=$(_usecs_now)
	timeout -k 5 "$KILL_AFTER" "$@" >/dev/null 2>>"$T/$name.err" || rc=$?
	echo "$rc $((($(_usecs_now) - t0) / 1000))" >>"$T/$name.log"
}
# loop NAME FUNCTION: FUNCTION (one round of events) over and over until
# END, in the background.
loop() {
	local name=$1 fn=$2
	(
		while running; do
			"$fn" "$name"
		done
		touch "$T/$name.done"
	) &
	echo $! >"$T/$name.pid"
}

flap() {	# pull and plug a member's cable, any member but e0
	local p
	p=$(pick p1 p2 p3 q0 q1)
	tool "$1" sw ip link set "$p" down
	nap 5
	tool "$1" sw ip link set "$p" up
	nap 5
}
members() {	# leave and join again, sometimes as a standby
	local m
	m=$(pick e1 e2 e3)
	tool "$1" h "$IPMPADM" remove ipmp0 "$m"
	nap 5
	if ((RANDOM % 3)); then
		tool "$1" h "$IPMPADM" add ipmp0 "$m"
	else
		tool "$1" h "$IPMPADM" add ipmp0 "$m" standby
	fi
	nap 5
	tool "$1" h "$IPMPADM" set "$(pick e1 e2 e3)" standby "$(pick on off off)"
	nap 5
}
addresses() {	# data addresses other than $V4 and $V6 come and go
	local n a
	n=$((20 + RANDOM % 8))
	a=$(pick "192.0.2.$n/24" "2001:db8::$n/64")
	if nsenter "--net=/run/netns/$H" ip -o addr show dev ipmp0 | grep -qF " ${a%/*}/"; then
		tool "$1" h ip addr del "$a" dev ipmp0
	elif [[ $a == *:* ]]; then
		tool "$1" h ip addr add "$a" dev ipmp0 nodad
	else
		tool "$1" h ip addr add "$a" dev ipmp0
	fi
	nap 3
}
offline() {	# if_mpadm -d, then -r
	local m
	m=$(pick e1 e2 e3)
	tool "$1" h "$IF_MPADM" -d "$m"
	nap 9
	tool "$1" h "$IF_MPADM" -r "$m"
	nap 5
}
probes() {	# test addresses (never on e0), targets, FDT, probing
	local m n
	m=$(pick e1 e2 e3 f0 f1)
	n=$((31 + RANDOM % 5))
	case $((RANDOM % 7)) in
	0|1) tool "$1" h "$IPMPADM" test-address add "$m" "192.0.2.$n/24" ;;
	2|3) tool "$1" h "$IPMPADM" test-address del "$m" "$(nsenter "--net=/run/netns/$H" "$IPMPSTAT" -n -t -P -o INTERFACE,TESTADDR |
		sed -n "s/^$m://p" | grep -v -e -- -e '^$' || echo "192.0.2.$n")" ;;
	4) tool "$1" h "$IPMPADM" target add ipmp0 "$(pick 192.0.2.1 192.0.2.99)" ;;
	5) tool "$1" h "$IPMPADM" target del ipmp0 "$(pick 192.0.2.1 192.0.2.99)" ;;
	6) tool "$1" h "$IPMPADM" set ipmp0 fdt "$(pick 700 1000 2000 10000)" \
		probing "$(pick on on off)" failback "$(pick yes yes no)" ;;
	esac
	nap 5
}
groups() {	# a second group: created, filled, deleted
	tool "$1" h "$IPMPADM" create ipmp1 fdt 1000
	tool "$1" h "$IPMPADM" add ipmp1 f0
	if ((RANDOM % 2)); then
		tool "$1" h "$IPMPADM" add ipmp1 f1 standby
	else
		tool "$1" h "$IPMPADM" add ipmp1 f1
	fi
	tool "$1" h ip link set ipmp1 up
	tool "$1" h ip addr add 198.51.100.10/24 dev ipmp1
	nap 9
	((RANDOM % 2)) || tool "$1" h "$IPMPADM" remove ipmp1 "$(pick f0 f1)"
	if ((RANDOM % 2)); then
		tool "$1" h "$IPMPADM" delete ipmp1
	else
		tool "$1" h ip link del ipmp1
	fi
	nap 5
}
readers() {	# every dump, while it all changes
	tool "$1" h "$IPMPSTAT" -n -a
	tool "$1" h "$IPMPSTAT" -n -i
	tool "$1" h "$IPMPSTAT" -n -g
	tool "$1" h "$IPMPSTAT" -n -t
	tool "$1" h "$IPMPADM" show -j
	tool "$1" h "$IPMPADM" save
	nap 3
}
LOOPS="flap members addresses offline probes groups readers"

# TCP transfers of $T/src from the peer to $V4, one after another until
# END, each checked: both ends exit 0 and the sha256 matches.  One line
# per transfer in $T/streams: "ok|bad BYTES SECONDS [why]".
# kmemleak (a debug kernel): what came before is not this test's.
LEAK=/sys/kernel/debug/kmemleak
if [[ -w $LEAK ]]; then
	echo scan >"$LEAK"
	echo clear >"$LEAK"
fi
dmesg_mark
head -c $((1 << 20)) /dev/urandom >"$T/src"
SRC_SUM=$(sha256sum <"$T/src" | cut -d' ' -f1)
listening() { nsenter "--net=/run/netns/$H" ss -Hltn "sport = :$PORT" | grep -q .; }
transfer() {
	local t0 rrc=0 src=0 sum why=
	rm -f "$T/recv"
	t0=$(date +%s)
	h timeout 240 socat -u "TCP-LISTEN:$PORT,reuseaddr" "OPEN:$T/recv,creat,trunc" \
		2>>"$T/streams.err" &
	local rpid=$!
	# (A debug guest under churn can take tens of seconds to start socat.)
	poll 120 listening || why=" no listener"
	pr timeout 240 socat -u "OPEN:$T/src,rdonly" "TCP:$V4:$PORT" 2>>"$T/streams.err" || src=$?
	wait "$rpid" || rrc=$?
	sum=$(sha256sum <"$T/recv" 2>/dev/null | cut -d' ' -f1)
	((src == 0)) || why+=" sender exit $src"
	((rrc == 0)) || why+=" receiver exit $rrc"
	[[ $sum == "$SRC_SUM" ]] || why+=" sha256 differs"
	echo "$([[ -z $why ]] && echo ok || echo bad) $(stat -c %s "$T/recv" 2>/dev/null || echo 0)" \
		"$(($(date +%s) - t0))$why" >>"$T/streams"
}
# From here on the churn runs: setting up (a kmemleak scan on a debug
# kernel takes minutes) is not part of it.
END=$(($(date +%s) + SECS))
(
	while running; do
		transfer
	done
	touch "$T/streams.done"
) &
echo $! >"$T/streams.pid"

pr ping -f -i 0.002 -q -w "$SECS" "$V4" >"$T/flood" 2>&1 &
echo $! >"$T/flood.pid"
pr ping -6 -q -i 0.2 -w "$SECS" "$V6" >"$T/ping6" 2>&1 &
echo $! >"$T/ping6.pid"

for l in $LOOPS; do
	loop "$l" "$l"
done
diag "stress: $SECS s of churn ($LOOPS), TCP transfers and a ping flood"

# Every loop ends by END, after its round and the last transfer's end.
all_done() {
	local l
	for l in $LOOPS streams; do
		[[ -e $T/$l.done ]] || return 1
	done
}
sleep "$SECS"
wait_for "every loop stops in time" 300 all_done
poll 15 eval '! kill -0 "$(cat "$T/flood.pid")" 2>/dev/null' || true

total=0
crashes=0
for l in $LOOPS; do
	n=$(wc -l <"$T/$l.log" 2>/dev/null || echo 0)
	refused=$(awk '$1 == 1 || $1 == 2' "$T/$l.log" 2>/dev/null | wc -l)
	bad=$(awk '$1 > 2' "$T/$l.log" 2>/dev/null | wc -l)
	total=$((total + n))
	crashes=$((crashes + bad))
	diag "$l: $n events, $refused refused, $bad crashed or hung;" \
		"ms each: $(awk '{ s += $2; if ($2 > m) m = $2 } END { if (NR) printf "mean %d, max %d", s / NR, m }' \
			"$T/$l.log" 2>/dev/null)"
	if ((bad)); then
		awk '$1 > 2' "$T/$l.log" | sort | uniq -c | sed 's/^/  exit status: /' | diag
	fi
	check "$l: events happened" test "$n" -gt 0
done
diag "events in all: $total in $SECS s"
check "no tool crashed or hung" test "$crashes" -eq 0
sort "$T"/*.err 2>/dev/null | uniq -c | sort -rn | head -n 12 | sed 's/^/stderr: /' | diag

ntransfers=$(wc -l <"$T/streams" 2>/dev/null || echo 0)
nok=$(grep -c '^ok ' "$T/streams" 2>/dev/null || true)
diag "TCP: $ntransfers transfers of 1 MiB, $nok intact; seconds each:" \
	"$(awk '{ print $3 }' "$T/streams" 2>/dev/null | sort -n | uniq -c | awk '{ printf "%s x%s ", $2, $1 }')"
check "TCP: transfers completed" test "${nok:-0}" -gt 0
check "TCP: every transfer arrived intact, both ends exit 0" eval 'test -s "$T/streams" && ! grep -v "^ok " "$T/streams"'
flood=$(grep -E 'packets transmitted' "$T/flood" || true)
diag "ping flood: $flood"
diag "ping -6: $(grep -E 'packets transmitted' "$T/ping6" || true)"
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$flood")
check "the ping flood got replies" test "${received:-0}" -gt 0

# The final state: every cable in, every member back, nothing standby or
# offline, no test address; then everything active, every data address
# bound to an active member, the spread even.
h "$IPMPADM" delete ipmp1 2>/dev/null || true
for m in e1 e2 e3; do
	ip -n "$SW" link set "p${m#e}" up
	has_master "$H" "$m" ipmp0 || h "$IPMPADM" add ipmp0 "$m" || true
	h "$IF_MPADM" -r "$m" 2>/dev/null || true
	h "$IPMPADM" set "$m" standby off || true
	for a in $(h "$IPMPSTAT" -n -t -P -o INTERFACE,TESTADDR | sed -n "s/^$m://p" | grep -v -e -- -e '^$'); do
		h "$IPMPADM" test-address del "$m" "$a" || true
	done
done
h "$IPMPADM" set ipmp0 probing off failback yes
h "$IPMPSTAT" -n -i | diag
wait_for "at rest, e0..e3 are active again" 60 all_active
active=$(h "$IPMPSTAT" -n -i -P -o INTERFACE,ACTIVE | sed -n 's/:yes$//p')
bound_to_active() {
	local line a m
	h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND >"$T/addrs"
	cat "$T/addrs"
	[[ -s $T/addrs ]] || return 1
	while IFS= read -r line; do
		m=${line##*:}
		grep -qxF -- "$m" <<<"$active" || return 1
	done <"$T/addrs"
}
wait_for "every data address is bound to an active member" 10 bound_to_active
naddrs() {
	h "$IPMPADM" show -j | python3 -c '
import json, sys
for g in json.load(sys.stdin):
	if g["ifname"] == "ipmp0":
		for m in g["members"]:
			print(m["ifname"], m["naddrs"])'
}
spread_even() {
	local counts
	naddrs
	counts=$(naddrs | awk '{ print $2 }' | sort -n)
	[[ -n $counts ]] && (($(tail -n 1 <<<"$counts") - $(head -n 1 <<<"$counts") <= 1))
}
check "the spread is even (max - min <= 1)" spread_even
check "the peer reaches $V4 at rest" pr ping -c 1 -W 5 "$V4"

# The kernel log, then unloading: the groups go with their namespace.
SPLAT='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Call Trace|lockdep|circular locking|suspicious RCU|sleeping function called|refcount_t|list_add corruption|list_del corruption|unreferenced object'
check "no kernel warning during the stress" eval '! dmesg_since_mark | grep -E "$SPLAT"'
for l in "${_lib_netns[@]}"; do
	ip netns del "$l"
done
_lib_netns=()
unloaded() { modprobe -r ipmp 2>&1; }
wait_for "the module unloads" 30 unloaded
if [[ -w $LEAK ]]; then
	# Reported once 5 s old and unchanged over two scans.
	sleep 5
	echo scan >"$LEAK"
	echo scan >"$LEAK"
	check "kmemleak finds no leak" eval '! grep -A 20 "unreferenced object" "$LEAK"'
else
	skip "kmemleak finds no leak" "this kernel has no kmemleak"
fi
check "the module loads again" modprobe ipmp
check "no kernel warning at unload" eval '! dmesg_since_mark | grep -E "$SPLAT"'
ktap_finish
