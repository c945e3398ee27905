#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# outage.sh: how long traffic stops when the link of the member carrying
# it is pulled, for ipmp (link-based) and, on the same topology in the same
# run, bonding active-backup (miimon 100 and 10 ms) and team (teamd's
# activebackup runner, ethtool link watcher).
#
#   netns bo-h (system under test)    netns bo-sw           netns bo-p
#     e1 --------------------------- p1 --+
#     e2 --------------------------- p2 --+-- br0 -- pp ---- eth0 10.0.0.1/24
#     master: ipmp0 | bond0 | team0        (the switch)      (the peer: sender)
#       data address 10.0.0.10/24 (receiver)
#
# The peer sends numbered UDP datagrams to the data address at RATE a
# second (bench/udpflood send); a receiver on the system under test
# (bench/udpflood recv) keeps the arrival stamps.  One failover: find the
# member that carries the traffic (ipmp: the member the data address is
# bound to; bond: the active slave; team: the active port), set its
# switch-side veth peer down (its carrier goes off), wait WINDOW ms, read
# the receiver's longest gap between two arrivals in that time (the
# outage) and the datagrams lost, set the link up again, wait until the
# member is usable again and SETTLE ms more.  The next failover pulls the
# member carrying the traffic then: none of the systems moves it back, so
# the two members fail in turn.  Before each pull the receiver's longest
# gap over the last 200 ms of quiet is kept too: the noise floor.
#
# Run as root in a throwaway guest (it makes netns bo-h, bo-sw, bo-p,
# loads bonding and team, and sets ipmp's link_damp_ms to 0 while it
# runs: 20 failovers in a minute would otherwise be damped as flapping):
#
#   bench/outage.sh [-n FAILOVERS] [-r RATE] [-w WINDOW_MS] [-s SETTLE_MS]
#                   [-S "SYSTEM..."] [-o FILE.json]
#
#   defaults: 20 failovers, 10000 datagrams/s, 1500 ms window, 1000 ms
#   settle, systems "ipmp bond100 bond10 team"
#
# Exit status: 0 when it measured, 1 when it could not (setup failed, no
# traffic, the tools missing), 2 on usage errors; the figures never fail
# it.  A failover after which the traffic did not move is recorded as
# such, with the whole window as its outage.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=outage
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"

failovers=20
rate=10000
window=1500
settle=1000
systems="ipmp bond100 bond10 team"
json=

options "n:failovers r:rate w:window s:settle S:systems o:json" "$@"
numbers failovers rate window settle
((failovers >= 1 && rate >= 100 && rate <= 200000 && window >= 200)) ||
	bad "failovers >= 1, rate 100 to 200000, window >= 200 ms"
for s in $systems; do
	[[ $s =~ ^(ipmp|bond100|bond10|team)$ ]] || bad "system '$s': one of ipmp bond100 bond10 team"
done
[[ -n $systems ]] || bad "no systems"

H=bo-h
SW=bo-sw
P=bo-p
ADDR=10.0.0.10
PEER=10.0.0.1
PORT=5001
WORK=$(mktemp -d /tmp/outage.XXXXXX)
RECV_PID=
SEND_PID=
MASTER=

h() { ip netns exec "$H" "$@"; }

stop_traffic() {
	reap "$SEND_PID"
	reap "$RECV_PID"
	SEND_PID='' RECV_PID=''
}

teardown() {
	stop_traffic
	[[ $MASTER != team0 ]] || h teamd -t team0 -k >/dev/null 2>&1 || true
	MASTER=
	del_ns "$H" "$SW" "$P"
}

cleanup() {
	set +e
	teardown
	restore_param
	rm -rf "$WORK"
}
trap cleanup EXIT

build_topology() {
	bridge_topology 2 "pp:$P:$PEER/24"
}

# The system under test: $1 is ipmp, bond100, bond10 or team.  The members
# are down when they join (bonding and team want them so), and the master
# brings them up.
setup_ipmp() {
	h "$IPMPADM" create ipmp0
	h "$IPMPADM" add ipmp0 e1 e2
	h "$IPMPADM" set ipmp0 probing off
	MASTER=ipmp0
}

setup_bond() {
	h ip link add bond0 type bond mode active-backup miimon "$1"
	h ip link set e1 master bond0
	h ip link set e2 master bond0
	MASTER=bond0
}

setup_team() {
	MASTER=team0
	h teamd -d -t team0 -c '{"runner": {"name": "activebackup"},
		"link_watch": {"name": "ethtool"},
		"ports": {"e1": {}, "e2": {}}}' >/dev/null 2>&1
}

setup_system() {
	case $1 in
	ipmp) setup_ipmp ;;
	bond100) setup_bond 100 ;;
	bond10) setup_bond 10 ;;
	team) setup_team ;;
	esac
	h ip link set "$MASTER" up
	h ip link set e1 up
	h ip link set e2 up
	h ip addr add "$ADDR/24" dev "$MASTER"
}

# Whether member $1 is usable again after its link came back.
usable() {
	local v
	case $MASTER in
	ipmp0) v=$(h "$IPMPSTAT" -i -P -o INTERFACE,STATE | sed -n "s/^$1://p") ;;
	bond0) v=$(h cat "/sys/class/net/$1/bonding_slave/mii_status") ;;
	team0) v=$(h teamdctl team0 state item get "ports.$1.link_watches.up" 2>/dev/null ||
		h teamdctl team0 state item get "ports.$1.link.up") ;;
	esac
	[[ $v == ok || $v == up || $v == true ]]
}

wait_usable() {
	local i
	for ((i = 0; i < 100; i++)); do
		! usable "$1" || return 0
		sleep 0.05
	done
	return 1
}

# Ask the receiver for a report of the segment since the last one, and
# leave its fields in SEG (recv lost maxgap_us open_us end_us lossspan_us).  SEGS counts the
# lines the receiver printed: its "ready" and its reports.
SEGS=0
mark() {
	local i lines
	kill -USR1 "$RECV_PID"
	SEGS=$((SEGS + 1))
	for ((i = 0; i < 500; i++)); do
		mapfile -t lines <"$WORK/recv.out"
		((${#lines[@]} < SEGS)) || break
		sleep 0.01
	done
	((${#lines[@]} >= SEGS)) || die "the receiver does not report"
	read -r _ _ _ recv _ lost _ gap _ open _ end _ span _ <<<"${lines[SEGS - 1]}"
	SEG="$recv $lost $gap $open $end $span"
}

# Datagrams the system under test dropped for want of room in a socket:
# they count as lost, and should be none.
rcvbuf_errors() {
	# shellcheck disable=SC2016 # awk's fields
	h awk '$1 == "Udp:" && $2 != "InDatagrams" { print $6 }' /proc/net/snmp
}

start_traffic() {
	local i
	local lines=()
	: >"$WORK/recv.out"
	# Not through h(): $! must be the receiver itself (ip netns exec execs).
	ip netns exec "$H" "$UDPFLOOD" recv "$PORT" >"$WORK/recv.out" &
	RECV_PID=$!
	for ((i = 0; i < 500; i++)); do
		mapfile -t lines <"$WORK/recv.out"
		((${#lines[@]} == 0)) || break
		sleep 0.02
	done
	[[ ${lines[0]:-} == ready* ]] || die "$1: the receiver did not start"
	SEGS=1
	ip netns exec "$P" "$UDPFLOOD" send "$ADDR" "$PORT" "$rate" >"$WORK/send.out" &
	SEND_PID=$!
	for ((i = 0; i < 50; i++)); do
		sleep 0.2
		mark
		read -r recv _ <<<"$SEG"
		((recv == 0)) || break
	done
	((recv > 0)) || die "$1: no datagram reached the receiver in 10 s"
	sleep 1
	mark
}

# One system, all its failovers; appends one JSON object a failover to
# $WORK/$1.samples and the sender's figures to $WORK/$1.sender.
run_system() {
	local sys=$1 i a b recv lost gap end quiet moved t0 back errs0 span
	teardown
	build_topology || die "$sys: could not build the topology"
	setup_system "$sys" || die "$sys: could not set up"
	for ((i = 0; i < 100; i++)); do
		a=$(active 2>/dev/null || true)
		[[ $a != e[12] ]] || break
		sleep 0.1
	done
	[[ $a == e[12] ]] || die "$sys: no member carries the data address after 10 s"
	start_traffic "$sys"
	errs0=$(rcvbuf_errors)
	: >"$WORK/$sys.samples"
	for ((i = 1; i <= failovers; i++)); do
		a=$(active)
		[[ $a == e[12] ]] || die "$sys: failover $i: no active member ('$a')"
		mark
		sleep 0.2
		mark
		read -r _ _ quiet _ <<<"$SEG"
		t0=$EPOCHREALTIME
		ip -n "$SW" link set "p${a#e}" down
		sleep_ms "$window"
		mark
		read -r recv lost gap _ end span <<<"$SEG"
		b=$(active)
		moved=true
		[[ $b != "$a" && $b == e[12] ]] || moved=false
		# When the traffic came back, from the start of the pull command.
		back=$((end - ${t0/./}))
		printf '{"failed": "%s", "outage_us": %d, "loss_span_us": %d, "lost": %d, "received": %d, "quiet_maxgap_us": %d, "moved": %s, "back_after_pull_us": %d}\n' \
			"$a" "$gap" "$span" "$lost" "$recv" "$quiet" "$moved" "$back" >>"$WORK/$sys.samples"
		printf '  %-8s %2d: %s down, outage %7.1f ms, loss span %7.1f ms, %5d lost%s\n' "$sys" "$i" "$a" \
			"$(awk -v g="$gap" 'BEGIN { printf "%.1f", g / 1000 }')" \
			"$(awk -v g="$span" 'BEGIN { printf "%.1f", g / 1000 }')" "$lost" \
			"$($moved || echo ", the traffic did not move (still on '$b')")"
		ip -n "$SW" link set "p${a#e}" up
		wait_usable "$a" || die "$sys: $a not usable 5 s after its link came back"
		sleep_ms "$settle"
	done
	kill "$SEND_PID"
	wait "$SEND_PID" || true
	SEND_PID=''
	cat "$WORK/send.out" >"$WORK/$sys.sender"
	echo "rcvbuf_errors $(($(rcvbuf_errors) - errs0))" >>"$WORK/$sys.sender"
	teardown
}

command -v python3 >/dev/null || die "python3 is needed for the result"
[[ -x $IPMPADM && -x $IPMPSTAT ]] || die "$IPMPADM or $IPMPSTAT is not built"
UDPFLOOD=${UDPFLOOD:-$TOP/bench/udpflood}
if [[ ! -x $UDPFLOOD || $TOP/bench/udpflood.c -nt $UDPFLOOD ]]; then
	UDPFLOOD=$WORK/udpflood
	cc -O2 -o "$UDPFLOOD" "$TOP/bench/udpflood.c" || die "cannot build bench/udpflood"
fi
load_ipmp
[[ $systems != *bond* ]] || modprobe bonding max_bonds=0 || die "cannot load bonding"
if [[ $systems == *team* ]]; then
	if ! command -v teamd >/dev/null || ! command -v teamdctl >/dev/null; then
		die "team needs teamd and teamdctl (Debian: libteam-utils)"
	fi
	modprobe -a team team_mode_activebackup || die "cannot load team"
fi
zero_param /sys/module/ipmp/parameters/link_damp_ms

start=$SECONDS
say "outage: systems $systems; $failovers failovers each, $rate datagrams/s, window $window ms, settle $settle ms; $(nproc) CPUs, kernel $(uname -r)"
for sys in $systems; do
	run_system "$sys"
done

[[ -n $json ]] || json=/dev/stdout
SYSTEMS=$systems FAILOVERS=$failovers RATE=$rate WINDOW=$window SETTLE=$settle \
ELAPSED=$((SECONDS - start)) KERNEL=$(uname -r) NCPU=$(nproc) \
python3 - "$WORK" "$json" <<'EOF'
import json
import os
import statistics
import sys

work, out = sys.argv[1], sys.argv[2]
env = os.environ
r = {
    "guest": {"kernel": env["KERNEL"], "cpus": int(env["NCPU"])},
    "parameters": {
        "failovers": int(env["FAILOVERS"]), "rate_per_s": int(env["RATE"]),
        "window_ms": int(env["WINDOW"]), "settle_ms": int(env["SETTLE"]),
        "datagram_bytes": 32, "pull": "switch-side veth peer set down",
        "sender": "peer (netns bo-p)", "receiver": "system under test, on its data address",
    },
    "elapsed_s": int(env["ELAPSED"]),
    "systems": {},
}
for sys_name in env["SYSTEMS"].split():
    samples = [json.loads(line) for line in open(f"{work}/{sys_name}.samples")]
    sender = open(f"{work}/{sys_name}.sender").read().split()
    out_ms = [s["outage_us"] / 1000 for s in samples]
    span_ms = [s["loss_span_us"] / 1000 for s in samples]
    lost = [s["lost"] for s in samples]
    quiet = [s["quiet_maxgap_us"] / 1000 for s in samples]
    r["systems"][sys_name] = {
        "outage_ms": {"median": statistics.median(out_ms), "max": max(out_ms)},
        "loss_span_ms": {"median": statistics.median(span_ms), "max": max(span_ms)},
        "lost": {"median": statistics.median(lost), "max": max(lost)},
        "quiet_maxgap_ms": {"median": statistics.median(quiet), "max": max(quiet)},
        "not_moved": sum(1 for s in samples if not s["moved"]),
        "sender": {"sent": int(sender[1]), "rate_per_s": float(sender[3]),
                   "skipped": int(sender[5])},
        "receiver_rcvbuf_errors": int(sender[7]),
        "samples": samples,
    }
with open(out, "w") as f:
    json.dump(r, f, indent=2)
    f.write("\n")
EOF
