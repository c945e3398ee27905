#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# detect.sh: how long a system takes to stop using a member whose path
# died while its link stayed up, for ipmp (probe-based, FDT F) and, on the
# same topology in the same run, bonding active-backup with the ARP
# monitor and team (teamd's activebackup runner, arp_ping link watcher),
# each tuned to the same detection budget F; then how many failures each
# reports with nothing broken while one CPU of the guest is kept busy.
#
#   netns dt-h (system under test)    netns dt-sw           netns dt-p
#     e1 --------------------------- p1 --+
#     e2 --------------------------- p2 --+-- br0 -- pp ---- eth0 10.0.0.1/24
#     master: ipmp0 | bond0 | team0        (the switch)      (the router: the
#       data address 10.0.0.10/24                             probe target)
#       ipmp's test addresses 10.0.0.11 (e1), 10.0.0.12 (e2)
#
# The budgets, worst case from the break to the verdict:
#   ipmp  FDT = F (ipmpadm create ipmp0 fdt F failback no)
#   bond  arp_interval I, arp_missed_max M (default 2): the active slave is
#         down once its last ARP reply is more than M*I + I/2 old, checked
#         every I, and that reply came up to I before the break, so
#         (M + 1.5) x I = F: I = F / 3.5 (29, 143, 286 ms);
#         arp_validate all, arp_ip_target 10.0.0.1
#   team  interval I, missed_max M (default 3): a port goes down at the
#         first tick with M + 1 ticks in a row without a reply, and the
#         reply to the tick before the break may still have come, so
#         (M + 2) x I = F: I = F / 5 (20, 100, 200 ms);
#         validate_active and validate_inactive, as bonding's all, and
#         send_always: without it the backup sends no requests, so no
#         reply ever validates it and it never comes up
#
# One break: find the member in use (ipmp: the member the data address is
# bound to; bond: the active slave; team: the active port), set its
# switch-side port to the disabled state (bridge link set ... state 0: the
# switch forwards nothing to or from it, its carrier stays on), and wait
# for the system's verdict: ipmp reports the member failed, bonding's
# active slave changes, teamd's active port changes.  Both moments are
# taken from event streams read the same way (a monitor's lines stamped
# with the guest's clock as they come): the switch's own port-state event
# (bridge monitor) and the system's (ipmpadm monitor; ip monitor and
# bonding's active_slave; teamnl monitor).  Detection = the difference.
# Then the port forwards again, the script waits until the member is
# usable again and SETTLE ms more.  No system moves back to the repaired
# member (ipmp runs with failback no), so the breaks alternate the
# members.
#
# False failures: each system at budget 100 ms for MINUTES (ipmp) or
# OTHER_MINUTES (bond, team) with a busy loop on one CPU and nothing
# broken; every member failure it reports is counted.
#
# Run as root in a throwaway guest (it makes netns dt-h, dt-sw, dt-p and
# loads bonding and team):
#
#   bench/detect.sh [-n BREAKS] [-F "BUDGET_MS..."] [-S "SYSTEM..."]
#                   [-s SETTLE_MS] [-m MINUTES] [-M OTHER_MINUTES]
#                   [-o FILE.json]
#
#   defaults: 10 breaks a system and budget, budgets "100 500 1000",
#   systems "ipmp bond team", 1000 ms settle, false failures for 10
#   minutes (ipmp) and 2 minutes (bond, team); minutes may have a
#   fraction (-m 0.5), 0 skips that part
#
# Exit status: 0 when it measured, 1 when it could not (setup failed, a
# member did not come back), 2 on usage errors; the figures never fail
# it.  A break that no verdict follows within 3 x the budget + 5 s is
# recorded as undetected.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=detect
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"

breaks=10
budgets="100 500 1000"
systems="ipmp bond team"
settle=1000
minutes=10
other_minutes=2
json=

options "n:breaks F:budgets S:systems s:settle m:minutes M:other_minutes o:json" "$@"
numbers breaks settle
for v in minutes other_minutes; do
	[[ ${!v} =~ ^[0-9]+(\.[0-9]+)?$ ]] || bad "$v '${!v}' is not a number of minutes"
done
((breaks >= 1)) || bad "at least 1 break"
[[ -n ${budgets// /} ]] || bad "no budgets"
for f in $budgets; do
	if [[ ! $f =~ ^[0-9]+$ ]] || ((f < 100 || f > 30000)); then
		bad "budget '$f': a number of ms, 100 to 30000"
	fi
done
[[ -n ${systems// /} ]] || bad "no systems"
for s in $systems; do
	[[ $s =~ ^(ipmp|bond|team)$ ]] || bad "system '$s': one of ipmp bond team"
done

H=dt-h
SW=dt-sw
P=dt-p
ADDR=10.0.0.10
TARGET=10.0.0.1
TEST1=10.0.0.11
TEST2=10.0.0.12
WORK=$(mktemp -d /tmp/detect.XXXXXX)
MASTER=
LOG_TAG=
MON_PIDS=()
BUSY_PID=

h() { ip netns exec "$H" "$@"; }

# DETECT_LOGS=DIR keeps each system's event streams there.
stop_monitors() {
	local p f
	for p in "${MON_PIDS[@]}"; do
		kill -- "-$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	MON_PIDS=()
	[[ -z ${DETECT_LOGS:-} || -z $LOG_TAG ]] || for f in sw h; do
		[[ ! -f $WORK/$f.log ]] || cp "$WORK/$f.log" "$DETECT_LOGS/$LOG_TAG.$f.log"
	done
}

stop_busy() {
	reap "$BUSY_PID"
	BUSY_PID=
}

teardown() {
	stop_monitors
	[[ $MASTER != team0 ]] || h teamd -t team0 -k >/dev/null 2>&1 || true
	MASTER=
	del_ns "$H" "$SW" "$P"
}

cleanup() {
	set +e
	stop_busy
	teardown
	rm -rf "$WORK"
}
trap cleanup EXIT

build_topology() {
	bridge_topology 2 "pp:$P:$TARGET/24"
}

# The interval for bonding (I = F / 3.5) and team (I = F / 5), in ms.
bond_interval() { echo $(((2 * $1 + 3) / 7)); }
team_interval() { echo $((($1 + 2) / 5)); }

# The system under test, $1 at budget $2.  The members are down when they
# join (bonding and team want them so); the master brings them up.
setup_ipmp() {
	h "$IPMPADM" create ipmp0 fdt "$1" failback no
	h "$IPMPADM" add ipmp0 e1 e2
	MASTER=ipmp0
}

setup_bond() {
	h ip link add bond0 type bond mode active-backup arp_interval "$(bond_interval "$1")" \
		arp_missed_max 2 arp_ip_target "$TARGET" arp_validate all
	h ip link set e1 master bond0
	h ip link set e2 master bond0
	MASTER=bond0
}

setup_team() {
	MASTER=team0
	h teamd -d -t team0 -c "{\"runner\": {\"name\": \"activebackup\"},
		\"link_watch\": {\"name\": \"arp_ping\", \"interval\": $(team_interval "$1"),
			\"missed_max\": 3, \"source_host\": \"$ADDR\",
			\"target_host\": \"$TARGET\", \"validate_active\": true,
			\"validate_inactive\": true, \"send_always\": true},
		\"ports\": {\"e1\": {}, \"e2\": {}}}" >/dev/null 2>&1
}

setup_system() {
	case $1 in
	ipmp) setup_ipmp "$2" ;;
	bond) setup_bond "$2" ;;
	team) setup_team "$2" ;;
	esac
	h ip link set "$MASTER" up
	h ip link set e1 up
	h ip link set e2 up
	h ip addr add "$ADDR/24" dev "$MASTER"
	if [[ $1 == ipmp ]]; then
		h "$IPMPADM" test-address add e1 "$TEST1/24"
		h "$IPMPADM" test-address add e2 "$TEST2/24"
		h "$IPMPADM" target add ipmp0 "$TARGET"
	fi
}

# Start command $2... in netns $1 with its output lines stamped with the
# guest's clock (us) as they come, into file $WORK/$3.  In a session of its
# own, so that the monitor and the reader stop together.  bond's stream
# is its link events turned into "active SLAVE" each time bonding's
# active slave changes (read in the netns's own sysfs).
# shellcheck disable=SC2016 # for the shell in the netns
STAMP='while IFS= read -r l; do printf "%s %s\n" "${EPOCHREALTIME/./}" "$l"; done'
# shellcheck disable=SC2016
BOND_STAMP='prev=; while IFS= read -r l; do
	read -r cur </sys/class/net/bond0/bonding/active_slave || cur=
	[[ $cur == "$prev" ]] || printf "%s active %s\n" "${EPOCHREALTIME/./}" "${cur:-none}"
	prev=$cur; done'
start_monitor() {
	local ns=$1 file=$2 reader=$3
	shift 3
	: >"$WORK/$file"
	setsid ip netns exec "$ns" bash -c "$(printf '%q ' "$@") | { $reader; }" >"$WORK/$file" 2>/dev/null &
	MON_PIDS+=($!)
}

start_monitors() {
	start_monitor "$SW" sw.log "$STAMP" bridge monitor link
	case $MASTER in
	ipmp0) start_monitor "$H" h.log "$STAMP" "$IPMPADM" monitor ;;
	bond0) start_monitor "$H" h.log "$BOND_STAMP" ip monitor link ;;
	team0) start_monitor "$H" h.log "$STAMP" stdbuf -oL teamnl team0 monitor all ;;
	esac
	sleep 1
}

# Whether member $1 is usable: probed and ok (ipmp), its ARP monitor says
# up (bond), its link watch says up (team).
usable() {
	local v
	case $MASTER in
	ipmp0) v=$(h "$IPMPSTAT" -i -P -o INTERFACE,PROBE,STATE | sed -n "s/^$1://p")
		[[ $v == ok:ok ]] ;;
	bond0) v=$(h cat "/sys/class/net/$1/bonding_slave/mii_status")
		[[ $v == up ]] ;;
	team0) v=$(h teamdctl team0 state item get "ports.$1.link_watches.up" 2>/dev/null)
		[[ $v == true ]] ;;
	esac
}

# Wait up to $2 seconds for both members to be usable and one in use.
wait_ready() {
	local i a
	for ((i = 0; i < $2 * 5; i++)); do
		if usable e1 && usable e2; then
			a=$(active 2>/dev/null || true)
			[[ $a != e[12] ]] || return 0
		fi
		sleep 0.2
	done
	return 1
}

# Lines of file $1 from line $2 on (from 0).
LINES_OUT=()
lines_from() {
	local all=()
	mapfile -t all <"$WORK/$1"
	LINES_OUT=("${all[@]:$2}")
}

count_lines() {
	wc -l <"$WORK/$1"
}

# MATCH: the stamp of the first line of $1 from line $2 on that matches
# the regular expression $3, or nothing.  No fork: the loop that calls it
# runs every 50 ms.
first_match() {
	local l
	MATCH=
	lines_from "$1" "$2"
	for l in "${LINES_OUT[@]}"; do
		if [[ ${l#* } =~ $3 ]]; then
			MATCH=${l%% *}
			return 0
		fi
	done
}

# What says that the system stopped using member $1.
verdict_re() {
	case $MASTER in
	ipmp0) echo "^member $1 group ipmp0 .*state failed" ;;
	bond0) echo "^active (none|e[12])\$" ;;
	team0) echo "activeport" ;;
	esac
}

# The teamnl stream shows the new active port by ifindex; bond's shows
# the name.  Whether verdict line (from first_match's $3) names a member
# other than $1 is checked here for bond; team's activeport changes only
# when the runner moves away from the failed port.
verdict_ok() {
	local line=$1 a=$2
	case $MASTER in
	bond0) [[ $line != "active $a" ]] ;;
	*) true ;;
	esac
}

# MATCH: the stamp of the first verdict on member $2 (regular expression
# $3) from line $1 of the system's stream on and not before the break at
# $4, or nothing.  A verdict before the break (bonding flapping on its
# own) is not this break's.
first_verdict() {
	local l re=$3
	MATCH=
	lines_from h.log "$1"
	for l in "${LINES_OUT[@]}"; do
		((${l%% *} >= $4)) || continue
		if [[ ${l#* } =~ $re ]] && verdict_ok "${l#* }" "$2"; then
			MATCH=${l%% *}
			return 0
		fi
	done
}

fdt_in_force() {
	h "$IPMPADM" show ipmp0 -j | grep -o '"fdt_current": *[0-9]*' | grep -o '[0-9]*$'
}

# Breaks for system $1 at budget $2: one JSON object a break appended to
# $WORK/samples.
run_breaks() {
	local sys=$1 fdt=$2 i end a n re sw0 h0 tb tv limit fin=null detected det_ms
	teardown
	build_topology || die "$sys: could not build the topology"
	setup_system "$sys" "$fdt" || die "$sys $fdt: could not set up"
	LOG_TAG=$sys-$fdt
	wait_ready "$sys" 60 || die "$sys $fdt: the members are not both usable after 60 s"
	start_monitors
	sleep 1
	limit=$((3 * fdt + 5000))
	for ((i = 1; i <= breaks; i++)); do
		a=$(active)
		[[ $a == e[12] ]] || die "$sys $fdt: break $i: no member in use ('$a')"
		n=${a#e}
		sw0=$(count_lines sw.log) h0=$(count_lines h.log) re=$(verdict_re "$a")
		ip netns exec "$SW" bridge link set dev "p$n" state 0
		tb='' tv=''
		end=$((${EPOCHREALTIME/./} + limit * 1000))
		while ((${EPOCHREALTIME/./} < end)); do
			[[ -n $tb ]] || { first_match sw.log "$sw0" "^[0-9]+: p${n}@.* state disabled"; tb=$MATCH; }
			[[ -z $tb ]] || { first_verdict "$h0" "$a" "$re" "$tb"; tv=$MATCH; }
			[[ -z $tv ]] || break
			sleep 0.05
		done
		[[ -n $tb ]] || die "$sys $fdt: break $i: the switch reported no port state change"
		detected=true det_ms=null
		if [[ -z $tv ]]; then
			detected=false
		else
			det_ms=$(awk -v a="$tb" -v b="$tv" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
		fi
		[[ $sys != ipmp ]] || fin=$(fdt_in_force)
		printf '{"system": "%s", "budget_ms": %d, "break": %d, "member": "%s", "detected": %s, "detect_ms": %s, "fdt_in_force_ms": %s}\n' \
			"$sys" "$fdt" "$i" "$a" "$detected" "$det_ms" "$fin" >>"$WORK/samples"
		printf '  %-4s %4d ms %2d: %s broken, %s%s\n' "$sys" "$fdt" "$i" "$a" \
			"$($detected && echo "detected after $det_ms ms" || echo "NOT detected in $limit ms")" \
			"$([[ $fin == null ]] || echo " (FDT in force $fin ms)")"
		ip netns exec "$SW" bridge link set dev "p$n" state 3
		wait_ready "$sys" $((4 * fdt / 1000 + 30)) ||
			die "$sys $fdt: $a not usable $((4 * fdt / 1000 + 30)) s after its path came back"
		sleep_ms "$settle"
	done
	teardown
}

# Failures system $1 reports at budget 100 ms over $2 minutes with one CPU
# kept busy: a JSON object appended to $WORK/false.
run_false() {
	local sys=$1 mins=$2 secs h0 d0 fails details load0 load1 stretched=null s0
	secs=$(awk -v m="$mins" 'BEGIN { printf "%d", m * 60 }')
	((secs > 0)) || return 0
	teardown
	build_topology || die "$sys: could not build the topology"
	setup_system "$sys" 100 || die "$sys 100: could not set up"
	LOG_TAG=$sys-false
	wait_ready "$sys" 60 || die "$sys 100: the members are not both usable after 60 s"
	start_monitors
	sleep 2
	h0=$(count_lines h.log)
	d0=$(dmesg | wc -l)
	s0=$(dmesg | grep -c 'Cannot meet requested failure detection time' || true)
	bash -c 'while :; do :; done' &
	BUSY_PID=$!
	read -r load0 _ </proc/loadavg
	say "  $sys: $mins minutes at budget 100 ms, one CPU busy, nothing broken ..."
	sleep "$secs"
	read -r load1 _ </proc/loadavg
	stop_busy
	lines_from h.log "$h0"
	case $sys in
	ipmp)
		fails=$(printf '%s\n' "${LINES_OUT[@]}" | grep -cE '^[0-9]+ member e[12] group ipmp0 .*state failed' || true)
		stretched=$(($(dmesg | grep -c 'Cannot meet requested failure detection time' || true) - s0))
		;;
	bond)
		fails=$(dmesg | tail -n +"$((d0 + 1))" | grep -c 'link status definitely down' || true)
		;;
	team)
		fails=$(printf '%s\n' "${LINES_OUT[@]}" | grep -cE 'linkup *(down|false|0)|link down' || true)
		;;
	esac
	details=$(printf '%s\n' "${LINES_OUT[@]}" | grep -cE 'state failed|^[0-9]+ active|activeport' || true)
	printf '{"system": "%s", "budget_ms": 100, "seconds": %d, "member_failures": %d, "verdict_events": %d, "fdt_stretched": %s, "guest_load_start": %s, "guest_load_end": %s}\n' \
		"$sys" "$secs" "$fails" "$details" "$stretched" "$load0" "$load1" >>"$WORK/false"
	say "  $sys: $fails member failures in $secs s ($details active-member changes)$([[ $stretched == null ]] || echo ", FDT stretched $stretched times")"
	teardown
}

command -v python3 >/dev/null || die "python3 is needed for the result"
[[ -x $IPMPADM && -x $IPMPSTAT ]] || die "$IPMPADM or $IPMPSTAT is not built"
command -v bridge >/dev/null || die "bridge (iproute2) is needed"
load_ipmp
[[ $systems != *bond* ]] || modprobe bonding max_bonds=0 || die "cannot load bonding"
if [[ $systems == *team* ]]; then
	for t in teamd teamdctl teamnl stdbuf; do
		command -v "$t" >/dev/null || die "team needs $t (Debian: libteam-utils, coreutils)"
	done
	modprobe -a team team_mode_activebackup || die "cannot load team"
fi

start=$SECONDS
: >"$WORK/samples"
: >"$WORK/false"
: >"$WORK/aborted"
say "detect: systems $systems; budgets $budgets ms; $breaks breaks each; false failures $minutes min (ipmp), $other_minutes min (others); $(nproc) CPUs, kernel $(uname -r)"
for fdt in $budgets; do
	say "  budget $fdt ms: bond arp_interval $(bond_interval "$fdt") ms, arp_missed_max 2; team interval $(team_interval "$fdt") ms, missed_max 3"
	for sys in $systems; do
		# A system that cannot go on is noted, and the others still run.
		(trap "set +e; teardown" EXIT; run_breaks "$sys" "$fdt") || echo "$sys $fdt" >>"$WORK/aborted"
	done
done
for sys in $systems; do
	if [[ $sys == ipmp ]]; then m=$minutes; else m=$other_minutes; fi
	(trap "set +e; stop_busy; teardown" EXIT; run_false "$sys" "$m") || echo "$sys false" >>"$WORK/aborted"
done

[[ -n $json ]] || json=/dev/stdout
SYSTEMS=$systems BUDGETS=$budgets BREAKS=$breaks SETTLE=$settle MINUTES=$minutes \
OTHER_MINUTES=$other_minutes ELAPSED=$((SECONDS - start)) KERNEL=$(uname -r) NCPU=$(nproc) \
python3 - "$WORK" "$json" <<'EOF'
import json
import os
import statistics
import sys

work, out = sys.argv[1], sys.argv[2]
env = os.environ
budgets = [int(b) for b in env["BUDGETS"].split()]
r = {
    "guest": {"kernel": env["KERNEL"], "cpus": int(env["NCPU"])},
    "parameters": {
        "breaks": int(env["BREAKS"]), "budgets_ms": budgets, "settle_ms": int(env["SETTLE"]),
        "false_minutes": {"ipmp": float(env["MINUTES"]), "others": float(env["OTHER_MINUTES"])},
        "break": "switch port of the member in use set to the disabled state (bridge link set state 0)",
        "ipmp": "fdt F, failback no, test addresses on both members, static target",
        "bond": "active-backup, arp_interval round(F / 3.5), arp_missed_max 2, arp_validate all",
        "team": "teamd activebackup, arp_ping interval round(F / 5), missed_max 3, "
                "validate_active and validate_inactive, send_always",
    },
    "elapsed_s": int(env["ELAPSED"]),
    "detection": {},
    "false_failures": {},
}
samples = [json.loads(line) for line in open(f"{work}/samples")]
for b in budgets:
    per = {}
    for name in env["SYSTEMS"].split():
        s = [x for x in samples if x["system"] == name and x["budget_ms"] == b]
        if not s:
            continue
        d = [x["detect_ms"] for x in s if x["detected"]]
        v = {
            "breaks": len(s), "undetected": sum(1 for x in s if not x["detected"]),
            "median_ms": statistics.median(d) if d else None,
            "max_ms": max(d) if d else None, "min_ms": min(d) if d else None,
            "samples": s,
        }
        v["median_to_budget"] = v["median_ms"] / b if d else None
        v["max_to_budget"] = v["max_ms"] / b if d else None
        per[name] = v
    bond = per.get("bond", {}).get("median_ms")
    for name, v in per.items():
        v["median_to_bond"] = v["median_ms"] / bond if bond and v["median_ms"] is not None else None
    r["detection"][str(b)] = per
r["aborted"] = [line.strip() for line in open(f"{work}/aborted") if line.strip()]
for line in open(f"{work}/false"):
    x = json.loads(line)
    r["false_failures"][x["system"]] = x
with open(out, "w") as f:
    json.dump(r, f, indent=2)
    f.write("\n")
EOF
