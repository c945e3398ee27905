#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failover of the data path, as a peer sees it: TCP streams to the data
# addresses survive pulled cables, standby activation, failback and a member
# leaving the group, byte for byte; pings lose (almost) nothing when the
# bound member fails; the peer's ARP and neighbour entries follow the
# addresses to their new members.
#
#   host ns "h"                     switch ns "sw"             peer ns "pr"
#   +------------------------+      +--------------------+     +---------------+
#   | ipmp0  192.0.2.10/24   |      |        br0         |     | veth0         |
#   |        2001:db8::10/64 |      | p0  p1  p2     p9 -+-----+ 192.0.2.1/24  |
#   | [ e0  e1  e2 standby ] |      +-|---|---|----------+     | 2001:db8::1   |
#   +---|---|---|------------+        |   |   |                | tbf 20mbit    |
#       |   |   +----- veth ----------+---+---+                +---------------+
#       |   +--------- veth ----------+---+
#       +------------- veth ----------+
#
# A pulled cable is "ip -n sw link set pN down": eN loses its carrier.
# A stream runs at the peer's rate limit, and never further than the test
# lets it: at each step the test allows it a few MiB more, and the rest
# only after the last, so every step falls in the middle of a transfer
# however slow the machine.
source "$(dirname "$0")/lib.sh"

ktap_header
require_cmd socat ping tc ss sha256sum python3
# Links flap on purpose here; damping has a test of its own (datapath.sh).
DAMP=/sys/module/ipmp/parameters/link_damp_ms
damp_was=$(cat "$DAMP")
restore_damp() { echo "$damp_was" > "$DAMP"; }
defer restore_damp
echo 0 > "$DAMP"

setup_ns h sw pr
H=$NS_h
SW=$NS_sw
PR=$NS_pr
h() { ip netns exec "$H" "$@"; }
pr() { ip netns exec "$PR" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }	# i_is FIELDS LINE
g_is() { ipmpstat_is "$H" -g "$@"; }	# g_is FIELDS LINE
pull() { ip -n "$SW" link set "p${1#e}" down; }	# pull eN: its cable
plug() { ip -n "$SW" link set "p${1#e}" up; }
mac() { h cat "/sys/class/net/$1/address"; }
now() { echo "${EPOCHREALTIME/./}"; }		# microseconds
secs() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); }

V4=192.0.2.10
V6=2001:db8::10
ANNOUNCE_MS=1000
MB=$((1 << 20))
T=$(mktemp -d "${TMPDIR:-/tmp}/failover.XXXXXX")
# spawn NAME CMD...: run CMD in the background, its pid in $T/NAME.pid and,
# once it is done, its exit status in $T/NAME.rc.  Whatever still runs is
# killed by that pid at the end: a function given as CMD execs its program.
spawn() {
	local name=$1
	shift
	("$@" &
	 echo $! >"$T/$name.pid"
	 wait $!
	 echo $? >"$T/$name.rc") &
}
stop_all() {
	local f
	for f in "$T"/*.pid; do
		[[ ! -e $f ]] || kill "$(cat "$f")" 2>/dev/null
	done
	rm -rf "$T"
}
defer stop_all

# The member a data address is bound to (ipmpstat -a INBOUND), '' if none.
inbound() {
	local esc=${1//:/\\:} line
	while IFS= read -r line; do
		[[ $line == "$esc:"* ]] && { echo "${line#"$esc:"}"; return; }
	done < <(h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND)
}
bound_is() { test "$(inbound "$1")" = "$2"; }	# bound_is ADDR IF
# bound_off ADDR IF...: bound, to none of IF...
bound_off() {
	local addr=$1 m i
	shift
	m=$(inbound "$addr")
	echo "$addr is bound to '${m}'"
	[[ -n $m ]] || return 1
	for i in "$@"; do
		[[ $m != "$i" ]] || return 1
	done
}
# The MAC the peer has for ADDR, '' if it has none.
peer_lladdr() {
	pr ip neigh show "$1" dev veth0 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
peer_has() {	# peer_has ADDR MAC
	local l
	l=$(peer_lladdr "$1")
	echo "the peer has $1 at '$l', expected $2"
	test "$l" = "$2"
}
# The peer's entry for ADDR is the MAC of its member, and that is not OLD.
peer_follows() {	# peer_follows ADDR OLD
	local m
	m=$(inbound "$1")
	[[ -n $m && $m != "$2" ]] || { echo "$1 is still bound to '$m'"; return 1; }
	peer_has "$1" "$(mac "$m")"
}
# snmp NS GROUP FIELD: a counter of /proc/net/snmp or netstat, e.g. Tcp RetransSegs
snmp() {
	ip netns exec "$1" cat /proc/net/snmp /proc/net/netstat |
		awk -v g="$2:" -v f="$3" '$1 == g {
			if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i }
			else { print $c; exit } }'
}
echos_above() { (($(snmp "$H" Icmp InEchos) >= $1)); }
# Back to the start: every cable in, e0 and e1 active, e2 standing by.
all_ok() {
	g_is GROUP,STATE ipmp0:ok && i_is INTERFACE,ACTIVE e0:yes &&
		i_is INTERFACE,ACTIVE e1:yes && i_is INTERFACE,ACTIVE,FLAGS 'e2:no:is-----'
}
# The active non-standby member other than $1.
other_of() { if [[ $1 == e0 ]]; then echo e1; else echo e0; fi; }

# Streams: the peer's socat reads $T/src (random data) from a fifo, fed by
# NAME.feed up to the byte count in $T/NAME.limit, and sends it to a socat
# on the host that writes it to $T/NAME.out; the ends are spawned as
# NAME.send and NAME.recv.
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
size_ge() {	# size_ge FILE BYTES
	local s
	s=$(size "$1")
	echo "$1 has $s bytes, waiting for $2"
	((s >= $2))
}
stream_done() { [[ -e $T/$1.recv.rc && -e $T/$1.send.rc ]]; }
# Still under way: neither end is done and some bytes are still to come.
stream_running() {	# stream_running NAME TOTAL
	local s
	s=$(size "$T/$1.out")
	echo "$1: $s of $2 bytes received"
	! stream_done "$1" && ((s < $2))
}
# What the stream went through: "USECS LABEL at N MiB" lines in $T/NAME.events,
# and the bytes received and allowed, sampled, as "USECS BYTES LIMIT" in
# $T/NAME.samples.
event() {	# event NAME LABEL
	local n
	n=$(size "$T/$1.out")
	printf '%s %s at %d.%d MiB\n' "$(now)" "$2" $((n / MB)) $((n % MB * 10 / MB)) \
		>>"$T/$1.events"
}
# (python: shell loops forking stat(1) or dd(1) slow an emulated guest down.)
feeder() {	# feeder NAME
	exec python3 -c '
import os, sys, time
src, fifo, limitf = sys.argv[1:4]
total, sent = os.path.getsize(src), 0
with open(src, "rb") as data, open(fifo, "wb") as out:
	while sent < total:
		try:
			with open(limitf) as f:
				limit = min(int(f.read()), total)
		except ValueError:
			limit = sent
		if sent >= limit:
			time.sleep(0.02)
			continue
		buf = data.read(min(1 << 16, limit - sent))
		out.write(buf)
		out.flush()
		sent += len(buf)
' "$T/src" "$T/$1.fifo" "$T/$1.limit"
}
# allow NAME BYTES: let the stream send that many bytes in all, or more
allow() {
	local limit
	limit=$(cat "$T/$1.limit" 2>/dev/null || echo 0)
	((limit >= $2)) && return
	echo "$2" >"$T/$1.limit.new"
	mv "$T/$1.limit.new" "$T/$1.limit"
}
# step NAME: right before a step, allow 6 MiB past what has arrived, so
# that the stream flows during the step.
step() { allow "$1" $(($(size "$T/$1.out") + 6 * MB)); }
# moves_on NAME DESC FROM: a MiB more than FROM (at most what had arrived
# when the step was done) arrives; the stream may go 2 MiB past FROM.  So
# a stream that starts with 4 MiB and takes N steps stays within 4 + 8N
# MiB until the test allows it all.
moves_on() {
	allow "$1" $(($3 + 2 * MB))
	wait_for "$2" 30 size_ge "$T/$1.out" $(($3 + MB))
}
sampler() {
	exec python3 -c '
import os, sys, time
out, limitf, done, samples = sys.argv[1:5]
last = None
with open(samples, "w") as f:
	while not os.path.exists(done):
		try:
			n = os.stat(out).st_size
		except FileNotFoundError:
			n = 0
		try:
			with open(limitf) as lf:
				limit = int(lf.read())
		except (FileNotFoundError, ValueError):
			limit = last[1] if last else 0
		if (n, limit) != last:
			f.write("%d %d %d\n" % (time.time() * 1e6, n, limit))
			last = (n, limit)
		time.sleep(0.01)
' "$T/$1.out" "$T/$1.limit" "$T/$1.recv.rc" "$T/$1.samples"
}
# The longest time without a received byte after each event, in ms, from
# the first byte and leaving out the waits for the test to allow more: a
# stall counts for the last event before its end.
stalls() {
	awk 'FNR == NR { et[++ne] = $1; el[ne] = substr($0, index($0, " ") + 1); next }
	     $2 == 0 { lim = $3; next }
	     !n++ { lp = $1; ls = $2; lim = $3; next }
	     $3 != lim {
		if (ls >= lim && $3 > ls) lp = $1	# allowed on again
		lim = $3
	     }
	     $2 != ls {
		for (k = ne; k > 1 && et[k] > $1; k--) ;
		if ($1 - lp > st[k]) st[k] = $1 - lp
		lp = $1; ls = $2
	     }
	     END { for (k = 1; k <= ne; k++)
			printf "%s, longest stall %d ms\n", el[k], st[k] / 1000 }' \
		"$T/$1.events" "$T/$1.samples"
}
listening() { h ss -Hltn "sport = :$1" | grep -q .; }
# stream_start NAME PORT LISTEN CONNECT: socat addresses, LISTEN on PORT
stream_start() {
	local name=$1 port=$2 listen=$3 connect=$4

	rm -f "$T/$name".*
	mkfifo "$T/$name.fifo"
	allow "$name" $((4 * MB))
	snmp "$PR" Tcp RetransSegs >"$T/$name.retrans"
	snmp "$PR" TcpExt TCPTimeouts >"$T/$name.timeouts"
	spawn "$name.recv" ip netns exec "$H" timeout 180 \
		socat -u "$listen,reuseaddr" "OPEN:$T/$name.out,creat,trunc" \
		2>"$T/$name.recv.err"
	if ! poll 10 listening "$port"; then
		diag "$name: socat does not listen on $port (exit status" \
			"$(cat "$T/$name.recv.rc" 2>/dev/null))"
		diag <"$T/$name.recv.err"
		return 1
	fi
	spawn "$name.send" ip netns exec "$PR" timeout 180 \
		socat -u "OPEN:$T/$name.fifo,rdonly" "$connect" 2>"$T/$name.send.err"
	spawn "$name.feed" feeder "$name" 2>"$T/$name.feed.err"
	event "$name" start
	spawn "$name.sampler" sampler "$name"
}
rc_is_0() {	# rc_is_0 FILE [ERR]: the exit status recorded in FILE is 0
	local rc
	rc=$(cat "$1" 2>/dev/null)
	echo "exit status '${rc:-none}'"
	[[ -z ${2:-} ]] || cat "$2"
	test "$rc" = 0
}
same_data() {
	local a b
	a=$(sha256sum <"$T/src")
	b=$(sha256sum <"$1")
	echo "sent $a, received $b ($(size "$1") bytes)"
	test "$a" = "$b"
}
# The end of a stream: both ends exit 0, the data arrived intact.
stream_end() {	# stream_end NAME LABEL STARTED
	local name=$1 label=$2 t0=$3

	allow "$name" "$TOTAL"
	wait_for "$label: the transfer completes" 120 stream_done "$name"
	diag "$label: $(($(size "$T/$name.out") / MB)) MiB in $(secs $(($(now) - t0))) s," \
		"$(($(snmp "$PR" Tcp RetransSegs) - $(cat "$T/$name.retrans")))" \
		"segments retransmitted, $(($(snmp "$PR" TcpExt TCPTimeouts) - \
		$(cat "$T/$name.timeouts"))) retransmission timeouts"
	poll 10 test -e "$T/$name.sampler.rc"
	stalls "$name" | sed "s/^/$label: /" | diag
	check "$label: the receiver exits 0 (no reset)" \
		rc_is_0 "$T/$name.recv.rc" "$T/$name.recv.err"
	check "$label: the sender exits 0 (no reset)" \
		rc_is_0 "$T/$name.send.rc" "$T/$name.send.err"
	check "$label: the data arrived intact (sha256)" same_data "$T/$name.out"
	rm -f "$T/$name.out"
}

# The network: three members on a bridge, the peer behind a rate limit so
# that a transfer lasts long enough to pull cables in the middle of it.
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for i in 0 1 2; do
	ip -n "$H" link add e$i type veth peer name p$i netns "$SW"
	ip -n "$SW" link set p$i master br0 up
done
ip -n "$PR" link add veth0 type veth peer name p9 netns "$SW"
ip -n "$SW" link set p9 master br0 up
pr ip link set veth0 up
pr ip addr add 192.0.2.1/24 dev veth0
pr ip -6 addr add 2001:db8::1/64 dev veth0 nodad
pr tc qdisc add dev veth0 root tbf rate 20mbit burst 32k latency 400ms

h "$IPMPADM" create ipmp0
h "$IPMPADM" add ipmp0 e0 e1
h "$IPMPADM" add ipmp0 e2 standby
check "announcements: 3, $ANNOUNCE_MS ms apart" \
	h "$IPMPADM" set ipmp0 announce 3 announce-interval "$ANNOUNCE_MS"
h ip link set ipmp0 up
h ip addr add "$V4/24" dev ipmp0
h ip -6 addr add "$V6/64" dev ipmp0 nodad
wait_for "e0 and e1 are active, e2 stands by" 10 all_ok
check "$V4 is bound to e0 or e1" bound_off "$V4" e2
check "$V6 is bound to e0 or e1" bound_off "$V6" e2
check "the peer reaches $V4" pr ping -c 1 -W 5 "$V4"
check "the peer reaches $V6" pr ping -6 -c 1 -W 5 "$V6"
h ip -o addr show dev ipmp0 | awk '{ print $4 }' | diag
for i in e0 e1 e2; do
	diag "$i $(mac "$i")"
done
h "$IPMPSTAT" -n -a | diag

head -c $((32 * MB)) /dev/urandom >"$T/src"
TOTAL=$(size "$T/src")

# A stream to each data address while its member's cable is pulled, then
# the other active member's (the standby carries everything), then both come
# back (failback).  After each step the stream must move on by a MiB.
failover_stream() {	# failover_stream NAME ADDR PORT LISTEN CONNECT
	local name=$1 addr=$2 x y t0 t ta mark

	if ! stream_start "$name" "$3" "$4" "$5"; then
		fail "$name: the stream starts"
		return
	fi
	t0=$(now)
	wait_for "$name: the stream flows" 30 size_ge "$T/$name.out" "$MB"
	x=$(inbound "$addr")
	y=$(other_of "$x")
	if [[ $x != e[01] ]]; then
		fail "$name: $addr is bound to e0 or e1" "it is bound to '$x'"
		stream_end "$name" "$name" "$t0"
		return
	fi
	diag "$name: $addr is on $x; pulling $x, then $y"

	check "$name: still under way when $x's cable is pulled" \
		stream_running "$name" "$TOTAL"
	event "$name" "$x's cable pulled"
	step "$name"
	t=$(now)
	pull "$x"
	mark=$(size "$T/$name.out")
	wait_for "$name: $addr leaves $x" 5 bound_off "$addr" "$x"
	ta=$(now)
	wait_for "$name: standby e2 is activated" 5 i_is INTERFACE,ACTIVE e2:yes
	moves_on "$name" "$name: the stream goes on after $x failed" "$mark"
	diag "$name: $x's cable pulled: $addr moved to $(inbound "$addr") within" \
		"$(secs $((ta - t))) s, the stream went on within $(secs $(($(now) - t))) s"

	check "$name: still under way when $y's cable is pulled" \
		stream_running "$name" "$TOTAL"
	event "$name" "$y's cable pulled"
	step "$name"
	t=$(now)
	pull "$y"
	mark=$(size "$T/$name.out")
	wait_for "$name: $addr moves to e2, the last active member" 5 \
		bound_is "$addr" e2
	ta=$(now)
	moves_on "$name" "$name: the stream goes on over e2 alone" "$mark"
	diag "$name: $y's cable pulled: $addr moved to e2 within" \
		"$(secs $((ta - t))) s, the stream went on within $(secs $(($(now) - t))) s"

	check "$name: still under way when the cables are plugged back" \
		stream_running "$name" "$TOTAL"
	event "$name" "both cables back"
	step "$name"
	t=$(now)
	plug "$x"
	plug "$y"
	wait_for "$name: failback: e0 and e1 active, e2 standby again" 10 all_ok
	check "$name: $addr leaves e2" bound_off "$addr" e2
	diag "$name: cables back: failback within $(secs $(($(now) - t))) s," \
		"$addr on $(inbound "$addr")"
	stream_end "$name" "$name" "$t0"
}
failover_stream ipv4 "$V4" 5001 "TCP4-LISTEN:5001,bind=$V4" "TCP4:$V4:5001"
failover_stream ipv6 "$V6" 5002 "TCP6-LISTEN:5002,bind=[$V6]" "TCP6:[$V6]:5002"

# Pings every 10 ms while the cable of their address's member is pulled.
wait_for "all members ok before the ping test" 10 all_ok
x=$(inbound "$V4")
pr ping -c 1 -W 2 "$V4" >/dev/null
check "the peer has $V4 at $x's MAC" peer_has "$V4" "$(mac "$x")"
base=$(snmp "$H" Icmp InEchos)
spawn ping ip netns exec "$PR" ping -n -q -i 0.01 -c 300 -W 1 "$V4" \
	>"$T/ping.out" 2>&1
wait_for "pings arrive" 20 echos_above $((base + 50))
pull "$x"
wait_for "the pings end" 60 test -e "$T/ping.rc"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$T/ping.out")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$T/ping.out")
dups=$(sed -n 's/.* +\([0-9]*\) duplicates.*/\1/p' "$T/ping.out")
lost=$((${sent:-0} - ${got:-0}))
diag "ping loss: $lost of ${sent:-?} ($x's cable pulled; ${dups:-0} duplicates)"
grep -v '^$' "$T/ping.out" | diag
check "all 300 pings are sent" test "${sent:-0}" = 300
check "at most 3 of them are lost (lost $lost)" test "$lost" -le 3
check "no reply comes twice (${dups:-0} duplicates)" test "${dups:-0}" = 0
check "the peer has $V4 at its new member's MAC" peer_follows "$V4" "$x"
plug "$x"
wait_for "failback after the ping test" 10 all_ok

# The peer's neighbour entry for the IPv6 address follows it within one
# announcement interval.
x=$(inbound "$V6")
pr ping -6 -c 2 -i 0.2 -W 2 "$V6" >/dev/null
check "the peer has $V6 at $x's MAC" peer_has "$V6" "$(mac "$x")"
# The peer's entry is polled alone, the fastest there is, until it changes
# or the interval is over; the time is that of the look that saw it change,
# from the end of the pull (ip itself can take a good part of a second in an
# emulated guest).
old=$(mac "$x")
seen=
tp=$(now)
pull "$x"
t0=$(now)
while t=$(now); ((t - t0 <= ANNOUNCE_MS * 1000)); do
	l=$(peer_lladdr "$V6")
	[[ -z $l || $l == "$old" ]] || { seen=$((t - t0)); break; }
	sleep 0.01
done
if [[ -n $seen ]]; then
	ok "the peer's entry for $V6 changes within $ANNOUNCE_MS ms"
	diag "the peer's entry for $V6 changed $(secs "$seen") s after $x's cable was" \
		"pulled (ip took $(secs $((t0 - tp))) s to pull it)"
else
	fail "the peer's entry for $V6 changes within $ANNOUNCE_MS ms" \
		"$(secs $(($(now) - t0))) s after $x's cable was pulled it is still:"
	pr ip -s neigh show "$V6" dev veth0 | diag
fi
check "it is the MAC of the member $V6 moved to" peer_follows "$V6" "$x"
check "the peer reaches $V6 at once" pr ping -6 -c 1 -W 1 "$V6"
plug "$x"
wait_for "failback after the IPv6 neighbour test" 10 all_ok

# A member leaves the group while a stream to its address flows: e0, the
# member whose MAC the group device took, when it holds one of the two
# addresses, else the member of the IPv4 address.  Fewer bytes: once past
# the removal the stream has nothing left to prove but its end.
if [[ $(inbound "$V4") != e0 && $(inbound "$V6") == e0 ]]; then
	addr=$V6 listen="TCP6-LISTEN:5003,bind=[$V6]" connect="TCP6:[$V6]:5003"
else
	addr=$V4 listen="TCP4-LISTEN:5003,bind=$V4" connect="TCP4:$V4:5003"
fi
head -c $((16 * MB)) /dev/urandom >"$T/src"
TOTAL=$(size "$T/src")
if stream_start leave 5003 "$listen" "$connect"; then
	t0=$(now)
	wait_for "leave: the stream to $addr flows" 30 size_ge "$T/leave.out" "$MB"
	x=$(inbound "$addr")
	y=$(other_of "$x")
	check "leave: still under way when $x leaves the group" \
		stream_running leave "$TOTAL"
	event leave "$x removed"
	step leave
	check "leave: ip link set $x nomaster" h ip link set "$x" nomaster
	mark=$(size "$T/leave.out")
	check_fail "leave: $x is no longer a member" has_master "$H" "$x" ipmp0
	wait_for "leave: $addr moves to $y" 5 bound_is "$addr" "$y"
	moves_on leave "leave: the stream goes on without $x" "$mark"
	check "leave: the standby e2 stays inactive, $y is enough" \
		i_is INTERFACE,ACTIVE e2:no
	stream_end leave leave "$t0"
	check "leave: $x joins again" h ip link set "$x" master ipmp0
	wait_for "leave: all members ok again" 10 all_ok
else
	fail "leave: the stream starts"
fi

ktap_finish
