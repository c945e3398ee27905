#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scale.sh: how ipmp's control plane copes with many data addresses, many
# members and many groups.
#
#   netns sc-h: ipmp0                netns sc-sw                netns sc-w
#     e1 ---------------------------- p1 --+
#     ...                                  +-- br0 -- w0 ------ eth0
#     e32 --------------------------- p32 -+                    (bench/garpwatch)
#       data addresses 10.1.0.1/16, 10.1.0.2/16, ...
#
# 1. Failover against the number of data addresses: a group of 2 members
#    with N = 1, 100, 1000, 4000 data addresses (-a).  One failover: count
#    the addresses bound to the fullest member, start bench/garpwatch on the switch's far
#    side, pull its link (its switch-side veth peer down), and take the
#    arrival of the first gratuitous ARP of the address announced last:
#    the time from the pull to the last address announced.  Then the link
#    comes back, the addresses even out again, and the next failover
#    pulls e1 again.  Medians over R failovers (-r); ratio to N = 1.  How
#    long adding the N addresses took (ip -batch), against the same on a
#    dummy device in another netns: the address layer's own cost.
# 2. Failover against the number of members: M = 2, 8, 32 members (-m)
#    and 100 addresses (-A); ratio to M = 2.  The links are pulled by an
#    `ip -batch -` left running in the switch's netns, so that the clock
#    does not count the fork and exec of ip (tens of ms in a slow guest).
# 3. Groups: creating G groups (-g, default 1000) with one `ip -batch`
#    (rtnetlink) and deleting them the same way, against bonding devices
#    made and deleted with ip -batch: time in all and per group.  And
#    creating RESTORED groups (-G, default 100: it is much slower) with
#    one `ipmpadm restore` (one process, genl GROUP_NEW).
# 4. Dumping addresses over genl: a group with 1000, 5000 and 10000
#    addresses (-d); `ipmpstat -n -a` and `ipmpadm show -j`, the median of
#    3 runs, less the same with no address (the process's own cost); per
#    address, and its ratio to the per address at the smallest count
#    (1.0: linear).
# The CPU of probing 64 members at FDT 100 ms is bench/probe-cpu.sh's.
#
# The groups announce each moved address once (announce 1): the first
# round is what this measures, and repeats would land in the next
# failover's capture.  ipmp's link_damp_ms is set to 0 while it runs.
#
# Run as root in a throwaway guest (netns sc-h, sc-sw, sc-w, sc-d):
#
#   bench/scale.sh [-a "N..."] [-m "M..."] [-A N] [-r ROUNDS] [-g GROUPS]
#                  [-G RESTORED] [-d "N..."] [-o FILE.json]
#
#   defaults: -a "1 100 1000 4000" -m "2 8 32" -A 100 -r 5 -g 1000
#             -G 100 -d "1000 5000 10000"; an empty list skips its part,
#             -g 0 the groups
#
# Exit status: 0 when it measured, 1 when it could not (setup failed, an
# address was never announced), 2 on usage errors; the figures never fail
# it.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=scale
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"
GARPWATCH=${GARPWATCH:-$TOP/bench/garpwatch}

addr_list="1 100 1000 4000"
member_list="2 8 32"
member_addrs=100
rounds=5
groups=1000
restores=100
dump_list="1000 5000 10000"
json=

options "a:addr_list m:member_list A:member_addrs r:rounds g:groups G:restores d:dump_list o:json" "$@"
for v in $addr_list $dump_list; do
	[[ $v =~ ^[0-9]+$ ]] && ((v >= 1 && v <= 60000)) || bad "address count '$v': 1 to 60000"
done
for v in $member_list; do
	[[ $v =~ ^[0-9]+$ ]] && ((v >= 2 && v <= 250)) || bad "member count '$v': 2 to 250"
done
numbers member_addrs rounds groups restores
((member_addrs >= 1 && member_addrs <= 60000 && rounds >= 1 && groups <= 20000 &&
	restores >= 1 && restores <= 20000)) ||
	bad "-A 1 to 60000, -r at least 1, -g up to 20000, -G 1 to 20000"

H=sc-h
SW=sc-sw
W=sc-w
D=sc-d
FIRST=10.1.0.1
WORK=$(mktemp -d /tmp/scale.XXXXXX)
WATCH_PID=

# nsenter: ip netns exec would also mount /sys again, a good part of a
# second in a slow guest.
h() { nsenter --net="/run/netns/$H" "$@"; }

cleanup() {
	set +e
	[[ -z $WATCH_PID ]] || kill "$WATCH_PID" 2>/dev/null
	[[ -z ${PULLER_PID:-} ]] || kill "$PULLER_PID" 2>/dev/null
	wait 2>/dev/null
	del_ns "$H" "$SW" "$W" "$D"
	restore_param
	rm -rf "$WORK"
}
trap cleanup EXIT

# Microseconds now, with no fork.
now() { echo "${EPOCHREALTIME/./}"; }

# Milliseconds from $1 to $2 (us), with 3 decimals.
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1000 }'; }

# Address number $1 (from 0) of the data addresses: FIRST + $1.
addr() {
	local n=$((0x0a010001 + $1))
	echo "$((n >> 24)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# `ip -batch` lines that add ($1 = add) or delete addresses $2 .. $3 - 1
# on device $4.
addr_batch() {
	local i
	for ((i = $2; i < $3; i++)); do
		echo "addr $1 $(addr "$i")/16 dev $4"
	done
}

MAXM=0
for v in $member_list 2; do
	((v <= MAXM)) || MAXM=$v
done

# The members and the watcher on the bridge, the puller, and the dummy
# in netns sc-d.
build_topology() {
	bridge_topology "$MAXM" "w0:$W"
	start_puller
	make_ns "$D"
	ip -n "$D" link add d0 type dummy
	ip -n "$D" link set d0 up
}

# The links are pulled by one `ip -batch -` left running in netns sc-sw,
# fed a line at a time: the clock starts when the line is written, not
# before the fork and exec of an ip command (a good part of 100 ms in an
# emulated guest).
start_puller() {
	coproc PULLER { exec ip -n "$SW" -batch -; }
}

pull() {
	echo "link set $1 $2" >&"${PULLER[1]}"
}

# A group of $1 members, e1 .. e$1, link-based, announcing once.
make_group() {
	local i list=()
	h "$IPMPADM" create ipmp0 probing off announce 1
	for ((i = 1; i <= $1; i++)); do
		list+=("e$i")
	done
	h "$IPMPADM" add ipmp0 "${list[@]}"
	h ip link set ipmp0 up
	for ((i = 1; i <= $1; i++)); do
		echo "link set e$i up"
	done | ip -n "$H" -batch -
}

delete_group() {
	h "$IPMPADM" delete ipmp0
}

# Members whose state is ok.
members_ok() {
	h "$IPMPSTAT" -i -P -o STATE | grep -cx ok || true
}

# How the addresses are spread over the $1 members: "FULLEST MOST LEAST",
# the member carrying the most addresses, their count, and the count of
# the member carrying the fewest.
spread() {
	h "$IPMPSTAT" -n -a -P -o INBOUND | awk -v m="$1" '
		$1 != "" { c[$1]++ }
		END {
			for (i = 1; i <= m; i++) {
				v = c["e" i] + 0
				if (i == 1 || v > most) { most = v; full = "e" i }
				if (i == 1 || v < least) least = v
			}
			print full, most, least
		}'
}

# Waits until the $1 members are ok and the addresses have evened out
# (the fullest member carries at most one more than the emptiest).
wait_settled() {
	local i s=
	for ((i = 0; i < 300; i++)); do
		if (($(members_ok) == $1)); then
			read -r -a s <<<"$(spread "$1")"
			((s[1] - s[2] > 1)) || return 0
		fi
		sleep 0.1
	done
	die "$1 members, $2 addresses: not settled 30 s after the link came back (spread: ${s[*]})"
}

# Adds $1 addresses to the group and to the dummy; ADD_IPMP_MS, ADD_DUMMY_MS.
add_addrs() {
	local t0 t1
	addr_batch add 0 "$1" ipmp0 >"$WORK/add.ipmp"
	addr_batch add 0 "$1" d0 >"$WORK/add.dummy"
	t0=$(now)
	ip -n "$D" -batch "$WORK/add.dummy" || die "could not add $1 addresses to a dummy"
	t1=$(now)
	ADD_DUMMY_MS=$(ms "$t0" "$t1")
	t0=$(now)
	ip -n "$H" -batch "$WORK/add.ipmp" || die "could not add $1 addresses to ipmp0"
	t1=$(now)
	ADD_IPMP_MS=$(ms "$t0" "$t1")
	# Not addr flush: with thousands of addresses its dump runs out of
	# buffer space (ENOBUFS).  A fresh dummy instead.
	ip -n "$D" -batch - <<-EOF
		link del d0
		link add d0 type dummy
		link set d0 up
	EOF
}

# One failover of the fullest member with $1 members and $2 addresses: a JSON object on
# stdout's last line, a summary on the ones before.
failover() {
	local m=$1 n=$2 expect i line t0 seen first last packets drops timeout victim
	read -r victim expect _ <<<"$(spread "$m")"
	((expect > 0)) || die "$m members, $n addresses: none is bound"
	timeout=$((20000 + 20 * n))
	: >"$WORK/watch.out"
	ip netns exec "$W" "$GARPWATCH" eth0 "$FIRST" "$n" "$expect" "$timeout" >"$WORK/watch.out" &
	WATCH_PID=$!
	for ((i = 0; i < 500; i++)); do
		[[ ! -s $WORK/watch.out ]] || break
		sleep 0.01
	done
	[[ $(head -n 1 "$WORK/watch.out") == ready ]] || die "garpwatch did not start"
	t0=$(now)
	pull "p${victim#e}" down
	wait "$WATCH_PID" || die "garpwatch failed"
	WATCH_PID=
	line=$(sed -n 2p "$WORK/watch.out")
	read -r _ seen _ first _ last _ packets _ drops <<<"$line"
	[[ $seen =~ ^[0-9]+$ ]] || die "garpwatch said '$line'"
	# Announcements lost on the way (a backlog that overflowed) are a
	# result: they are counted, and the timing is that of those seen.
	((seen > 0)) || die "$m members, $n addresses: none of the $expect addresses on $victim announced in $((timeout / 1000)) s"
	pull "p${victim#e}" up
	printf '{"failed": "%s", "moved": %d, "first_ms": %s, "last_ms": %s, "span_ms": %s, "packets": %d, "drops": %d, "unseen": %d}\n' \
		"$victim" "$expect" "$(ms "$t0" "$first")" "$(ms "$t0" "$last")" "$(ms "$first" "$last")" "$packets" "$drops" "$((expect - seen))"
}

# Median of the numbers on stdin.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "null"; exit }
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One case: $1 members, $2 addresses, R failovers; appends a JSON object
# to CASES.
CASES=()
run_case() {
	local m=$1 n=$2 r s samples=() moved last first span
	make_group "$m"
	add_addrs "$n"
	wait_settled "$m" "$n"
	for ((r = 1; r <= rounds; r++)); do
		s=$(failover "$m" "$n")
		samples+=("$s")
		printf '  %2d members %5d addresses, failover %d: %4d moved, first ARP %8.1f ms, last address %8.1f ms after the pull (span %7.1f ms)%s\n' \
			"$m" "$n" "$r" "$(jfield moved <<<"$s")" "$(jfield first_ms <<<"$s")" "$(jfield last_ms <<<"$s")" "$(jfield span_ms <<<"$s")" \
			"$( (($(jfield drops <<<"$s"))) && echo " ($(jfield drops <<<"$s") frames dropped by the capture)")$( (($(jfield unseen <<<"$s"))) && echo " ($(jfield unseen <<<"$s") addresses never announced)")"
		wait_settled "$m" "$n"
		sleep 1
	done
	delete_group
	moved=$(printf '%s\n' "${samples[@]}" | jfield moved | median)
	last=$(printf '%s\n' "${samples[@]}" | jfield last_ms | median)
	first=$(printf '%s\n' "${samples[@]}" | jfield first_ms | median)
	span=$(printf '%s\n' "${samples[@]}" | jfield span_ms | median)
	CASES+=("$(printf '{"members": %d, "addresses": %d, "add_ms": %s, "add_dummy_ms": %s, "moved": %s, "first_ms": %s, "last_ms": %s, "span_ms": %s, "last_max_ms": %s, "samples": [%s]}' \
		"$m" "$n" "$ADD_IPMP_MS" "$ADD_DUMMY_MS" "$moved" "$first" "$last" "$span" \
		"$(printf '%s\n' "${samples[@]}" | jfield last_ms | sort -g | tail -n 1)" \
		"$(IFS=,; echo "${samples[*]}")")")
	say "  => $m members, $n addresses: added in $ADD_IPMP_MS ms (a dummy: $ADD_DUMMY_MS ms); median $moved moved, last announced $last ms after the pull, $span ms after the first"
}

# Times `ip -batch FILE` in netns $1: BATCH_MS.
timed_batch() {
	local t0 t1
	t0=$(now)
	ip -n "$1" -batch "$2" >/dev/null || die "ip -batch $(head -n 1 "$2") ... failed"
	t1=$(now)
	BATCH_MS=$(ms "$t0" "$t1")
}

count_links() {
	ip -n "$D" -o link show type "$1" | wc -l
}

# Groups: RESTORED made by ipmpadm restore, G by ip -batch, deleted by ip
# -batch; G bonds the same.  GROUPS_JSON.
run_groups() {
	local g=$groups i t0 t1 restore_ms ipmp_add_ms ipmp_del_ms bond_add_ms bond_del_ms
	for ((i = 0; i < restores; i++)); do
		echo "create ipmp$i"
	done >"$WORK/restore"
	for ((i = 0; i < restores; i++)); do
		echo "link del ipmp$i"
	done >"$WORK/restore.del"
	for ((i = 0; i < g; i++)); do
		echo "link add ipmp$i type ipmp"
	done >"$WORK/ipmp.add"
	for ((i = 0; i < g; i++)); do
		echo "link del ipmp$i"
	done >"$WORK/ipmp.del"
	sed 's/ipmp\([0-9]*\) type ipmp/bond\1 type bond/; s/ipmp/bond/' "$WORK/ipmp.add" >"$WORK/bond.add"
	sed 's/ipmp/bond/' "$WORK/ipmp.del" >"$WORK/bond.del"

	t0=$(now)
	nsenter --net="/run/netns/$D" "$IPMPADM" restore "$WORK/restore" || die "ipmpadm restore of $restores groups failed"
	t1=$(now)
	restore_ms=$(ms "$t0" "$t1")
	(($(count_links ipmp) == restores)) || die "after restore there are $(count_links ipmp) groups, not $restores"
	timed_batch "$D" "$WORK/restore.del"
	(($(count_links ipmp) == 0)) || die "$(count_links ipmp) groups left after deleting"
	timed_batch "$D" "$WORK/ipmp.add"
	ipmp_add_ms=$BATCH_MS
	(($(count_links ipmp) == g)) || die "after ip -batch there are $(count_links ipmp) groups, not $g"
	timed_batch "$D" "$WORK/ipmp.del"
	ipmp_del_ms=$BATCH_MS
	modprobe bonding max_bonds=0 2>/dev/null || modprobe bonding || die "cannot load bonding"
	timed_batch "$D" "$WORK/bond.add"
	bond_add_ms=$BATCH_MS
	(($(count_links bond) == g)) || die "there are $(count_links bond) bonds, not $g"
	timed_batch "$D" "$WORK/bond.del"
	bond_del_ms=$BATCH_MS
	GROUPS_JSON=$(awk -v g="$g" -v gr="$restores" -v r="$restore_ms" -v ia="$ipmp_add_ms" -v id="$ipmp_del_ms" \
		-v ba="$bond_add_ms" -v bd="$bond_del_ms" 'BEGIN {
		printf "{\"groups\": %d, \"restored\": %d, ", g, gr
		printf "\"ipmpadm_restore_ms\": %s, \"ip_batch_add_ms\": %s, \"ip_batch_del_ms\": %s, ", r, ia, id
		printf "\"bond_add_ms\": %s, \"bond_del_ms\": %s, ", ba, bd
		printf "\"per_group_ms\": {\"ipmpadm_restore\": %.3f, \"ip_add\": %.3f, \"ip_del\": %.3f, \"bond_add\": %.3f, \"bond_del\": %.3f}}", \
			r / gr, ia / g, id / g, ba / g, bd / g }')
	say "  $restores groups by ipmpadm restore: $restore_ms ms; $g groups: ip -batch add $ipmp_add_ms ms, delete $ipmp_del_ms ms; $g bonds: add $bond_add_ms ms, delete $bond_del_ms ms"
}

# The median of 3 runs of a command in netns sc-h, in ms: T_MS.  The
# runs are timed by one shell in the netns, so that entering the netns is
# not in them.
time3() {
	T_MS=$(h bash -c '
		for i in 1 2 3; do
			t0=${EPOCHREALTIME/./}
			"$@" >/dev/null || exit 1
			t1=${EPOCHREALTIME/./}
			echo $((t1 - t0))
		done' time3 "$@" | awk '{ print $1 / 1000 }' | median) || die "$* failed"
	[[ $T_MS != null ]] || die "$* failed"
}

# Dumps: a group of 2 with 0, then the counts of -d addresses.  DUMPS_JSON.
run_dumps() {
	local n have=0 lines stat0 show0 rows=()
	make_group 2
	time3 "$IPMPSTAT" -n -a
	stat0=$T_MS
	time3 "$IPMPADM" show ipmp0 -j
	show0=$T_MS
	rows+=("{\"addresses\": 0, \"ipmpstat_ms\": $stat0, \"show_ms\": $show0}")
	say "  dump, no address: ipmpstat -n -a $stat0 ms, ipmpadm show -j $show0 ms"
	for n in $(tr ' ' '\n' <<<"$dump_list" | sort -n); do
		addr_batch add "$have" "$n" ipmp0 | ip -n "$H" -batch - || die "could not add $n addresses"
		have=$n
		lines=$(h "$IPMPSTAT" -n -a -P -o ADDRESS | wc -l)
		((lines == n)) || die "ipmpstat -a lists $lines addresses, not $n"
		time3 "$IPMPSTAT" -n -a
		local st=$T_MS
		time3 "$IPMPADM" show ipmp0 -j
		rows+=("{\"addresses\": $n, \"ipmpstat_ms\": $st, \"show_ms\": $T_MS}")
		say "  dump, $n addresses: ipmpstat -n -a $st ms, ipmpadm show -j $T_MS ms"
	done
	delete_group
	DUMPS_JSON=$(printf '%s\n' "${rows[@]}" | awk -v s0="$stat0" -v h0="$show0" '
		function f(line, k,   v) { v = line; sub(".*\"" k "\": *", "", v); sub("[,}].*", "", v); return v + 0 }
		{ n[NR] = f($0, "addresses"); st[NR] = f($0, "ipmpstat_ms"); sh[NR] = f($0, "show_ms") }
		END {
			printf "["
			for (i = 1; i <= NR; i++) {
				printf "%s{\"addresses\": %d, \"ipmpstat_ms\": %.3f, \"show_ms\": %.3f", (i > 1 ? ", " : ""), n[i], st[i], sh[i]
				if (n[i] > 0) {
					ps = (st[i] - s0) * 1000 / n[i]; ph = (sh[i] - h0) * 1000 / n[i]
					if (!ps0) { ps0 = ps; ph0 = ph }
					printf ", \"ipmpstat_us_per_addr\": %.3f, \"show_us_per_addr\": %.3f", ps, ph
					printf ", \"ipmpstat_per_addr_ratio\": %.3f, \"show_per_addr_ratio\": %.3f", ps0 ? ps / ps0 : 0, ph0 ? ph / ph0 : 0
				}
				printf "}"
			}
			printf "]"
		}')
}

[[ -x $IPMPADM && -x $IPMPSTAT ]] || die "$IPMPADM or $IPMPSTAT is not built"
if [[ ! -x $GARPWATCH ]]; then
	GARPWATCH=/tmp/scale-garpwatch
	cc -O2 -o "$GARPWATCH" "$TOP/bench/garpwatch.c" || die "cannot build bench/garpwatch"
fi
load_ipmp
start=$SECONDS
hypervisor=$(guest_hypervisor)
say "scale: addresses \"$addr_list\" on 2 members; members \"$member_list\" with $member_addrs addresses; $rounds failovers each; $groups groups; dumps \"$dump_list\"; $(nproc) CPUs, kernel $(uname -r)"
say "scale: hypervisor: ${hypervisor:-none (bare metal)}"
zero_param /sys/module/ipmp/parameters/link_damp_ms
build_topology || die "could not build the topology"

say "failover against the number of data addresses (2 members):"
for n in $addr_list; do
	run_case 2 "$n"
done
addr_cases=("${CASES[@]}")
CASES=()
say "failover against the number of members ($member_addrs addresses):"
for m in $member_list; do
	run_case "$m" "$member_addrs"
done
member_cases=("${CASES[@]}")
GROUPS_JSON=null
if ((groups)); then
	say "groups:"
	run_groups
fi
DUMPS_JSON=null
if [[ -n ${dump_list// /} ]]; then
	say "address dumps over genl:"
	run_dumps
fi
elapsed=$((SECONDS - start))
say "scale: $elapsed s"

[[ -n $json ]] || exit 0
{
	printf '{\n'
	printf '  "benchmark": "scale",\n'
	printf '  "parameters": {"rounds": %d, "announce_count": 1, "member_addresses": %d},\n' "$rounds" "$member_addrs"
	printf '  "guest": {"kernel": "%s", "cpus": %d, "cpu_model": "%s", "hypervisor": "%s"},\n' \
		"$(uname -r)" "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		"${hypervisor:-none}"
	printf '  "by_addresses": [%s],\n' "$(IFS=,; echo "${addr_cases[*]}")"
	printf '  "by_members": [%s],\n' "$(IFS=,; echo "${member_cases[*]}")"
	printf '  "groups": %s,\n' "$GROUPS_JSON"
	printf '  "dumps": %s,\n' "$DUMPS_JSON"
	printf '  "elapsed_s": %d\n}\n' "$elapsed"
} >"$json"
