#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# datapath.sh: what each system costs on the data path.  iperf3 TCP with 1
# and with 4 streams, and the rate of 64-byte UDP datagrams, from a client
# netns through one veth to a server netns, the client's end of the veth
# bare or the only member of an ipmp group, a bond (active-backup) or a
# team (teamd, activebackup):
#
#   netns dp-S-a                           netns dp-S-b
#     10.1.0.1/24 on a0 | ipmp0 | bond0 | team0
#       a0 ------------------------------- b0 10.1.0.2/24 (iperf3 -s)
#
# for S in bare ipmp bond team, all four set up at once.  R rounds, each
# running every test on every system in a rotated order, so that a
# disturbance from outside falls on each alike; the figures are medians,
# and their ratios to bare.
#
# Run as root in a throwaway guest (it makes netns dp-*-a and dp-*-b):
#
#   bench/datapath.sh [-t SECONDS] [-r ROUNDS] [-o FILE.json]
#
#   defaults: 5 s a test, 3 rounds
#
# Exit status: 0 when it measured, 1 when it could not (setup failed, a
# test gave no figure), 2 on usage errors; the figures never fail it.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=datapath
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"

secs=5
rounds=3
json=

options "t:secs r:rounds o:json" "$@"
numbers secs rounds
((secs >= 1 && rounds >= 1)) || bad "seconds and rounds >= 1"

SYSTEMS=(bare ipmp bond team)
TESTS=(tcp1 tcp4 udp64)
WORK=$(mktemp -d /tmp/datapath.XXXXXX)

cleanup() {
	local s
	set +e
	for s in "${SYSTEMS[@]}"; do
		[[ ! -s $WORK/$s.iperf.pid ]] || kill "$(<"$WORK/$s.iperf.pid")" 2>/dev/null
		[[ $s != team ]] || ip netns exec dp-team-a teamd -t team0 -k >/dev/null 2>&1
		del_ns "dp-$s-a" "dp-$s-b"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# System $1: the client's end a0 bare or under a master, which gets the
# address; the server's end b0 and its iperf3 server.
setup() {
	local s=$1 a=dp-$1-a b=dp-$1-b dev=a0
	make_ns "$a"
	make_ns "$b"
	ip -n "$a" link add a0 type veth peer name b0 netns "$b"
	case $s in
	ipmp)
		ip netns exec "$a" "$IPMPADM" create ipmp0
		ip netns exec "$a" "$IPMPADM" add ipmp0 a0
		ip netns exec "$a" "$IPMPADM" set ipmp0 probing off
		dev=ipmp0
		;;
	bond)
		ip -n "$a" link add bond0 type bond mode active-backup miimon 100
		ip -n "$a" link set a0 master bond0
		dev=bond0
		;;
	team)
		ip netns exec "$a" teamd -d -t team0 -c '{"runner": {"name": "activebackup"},
			"link_watch": {"name": "ethtool"}, "ports": {"a0": {}}}' >/dev/null 2>&1
		dev=team0
		;;
	esac
	ip -n "$a" link set a0 up
	ip -n "$a" link set "$dev" up
	ip -n "$a" addr add 10.1.0.1/24 dev "$dev"
	ip -n "$b" link set b0 up
	ip -n "$b" addr add 10.1.0.2/24 dev b0
	ip netns exec "$b" iperf3 -s -D -I "$WORK/$s.iperf.pid" >/dev/null
}

# The server answers, through the system's path: ping until it does.
reachable() {
	local i
	for ((i = 0; i < 50; i++)); do
		! ip netns exec "dp-$1-a" ping -c 1 -W 1 10.1.0.2 >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	return 1
}

# Test $2 on system $1, round $3: iperf3's JSON in $WORK.
run_test() {
	local args
	case $2 in
	tcp1) args=(-P 1) ;;
	tcp4) args=(-P 4) ;;
	udp64) args=(-u -l 64 -b 0) ;;
	esac
	ip netns exec "dp-$1-a" iperf3 -c 10.1.0.2 -t "$secs" -J "${args[@]}" \
		>"$WORK/$1.$2.$3.json" 2>&1 || die "$1: iperf3 $2 failed: $(head -c 300 "$WORK/$1.$2.$3.json")"
}

command -v iperf3 >/dev/null || die "iperf3 is needed"
command -v python3 >/dev/null || die "python3 is needed for the result"
[[ -x $IPMPADM ]] || die "$IPMPADM is not built"
load_ipmp
modprobe bonding max_bonds=0 || die "cannot load bonding"
if ! command -v teamd >/dev/null; then
	die "team needs teamd (Debian: libteam-utils)"
fi
modprobe -a team team_mode_activebackup || die "cannot load team"

start=$SECONDS
echo "datapath: ${SYSTEMS[*]}; tests ${TESTS[*]}, $secs s each, $rounds rounds; $(nproc) CPUs, kernel $(uname -r)"
for s in "${SYSTEMS[@]}"; do
	setup "$s" || die "$s: could not set up"
done
for s in "${SYSTEMS[@]}"; do
	reachable "$s" || die "$s: the server does not answer ping through the system"
done
for ((r = 1; r <= rounds; r++)); do
	for ((k = 0; k < ${#SYSTEMS[@]}; k++)); do
		s=${SYSTEMS[(k + r - 1) % ${#SYSTEMS[@]}]}
		for t in "${TESTS[@]}"; do
			run_test "$s" "$t" "$r"
		done
		echo "  round $r: $s done"
	done
done

[[ -n $json ]] || json=/dev/stdout
SYSTEMS="${SYSTEMS[*]}" TESTS="${TESTS[*]}" ROUNDS=$rounds SECS=$secs \
ELAPSED=$((SECONDS - start)) KERNEL=$(uname -r) NCPU=$(nproc) \
python3 - "$WORK" "$json" <<'EOF'
import json
import os
import statistics
import sys

work, out = sys.argv[1], sys.argv[2]
env = os.environ
systems, tests = env["SYSTEMS"].split(), env["TESTS"].split()


def figure(test, j):
    end = j["end"]
    if test == "udp64":
        s = end["sum"]
        return (s["packets"] - s["lost_packets"]) / s["seconds"]
    return end["sum_received"]["bits_per_second"] / 1e6


r = {
    "guest": {"kernel": env["KERNEL"], "cpus": int(env["NCPU"])},
    "parameters": {"seconds": int(env["SECS"]), "rounds": int(env["ROUNDS"]),
                   "units": {"tcp1": "Mbit/s", "tcp4": "Mbit/s", "udp64": "datagrams/s received"}},
    "elapsed_s": int(env["ELAPSED"]),
    "systems": {},
}
for s in systems:
    r["systems"][s] = {}
    for t in tests:
        v = [figure(t, json.load(open(f"{work}/{s}.{t}.{i}.json")))
             for i in range(1, int(env["ROUNDS"]) + 1)]
        r["systems"][s][t] = {"median": statistics.median(v), "samples": v}
for s in systems:
    for t in tests:
        base = r["systems"]["bare"][t]["median"]
        r["systems"][s][t]["ratio_to_bare"] = r["systems"][s][t]["median"] / base if base else None
with open(out, "w") as f:
    json.dump(r, f, indent=2)
    f.write("\n")
EOF
