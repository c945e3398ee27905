#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# probe-cpu.sh: the CPU that in-kernel probing costs.  N members of one
# group probe one target at FDT F; the machine's busy time is read from
# /proc/stat over windows of W seconds with probing on and with probing
# off, alternating; the difference is the cost of probing.  For scale, the
# same is measured for userspace ping at the probe rate seen, from a plain
# netns to the same target, and for the machine without the group.
#
#   netns h: ipmp0                 netns sw                 netns t
#     e1  10.0.1.1/16 ------------- p1 --+
#     e2  10.0.1.2/16 ------------- p2 --+
#     ...                                +-- br0 -- t0 ---- eth0 10.0.0.1/16
#     eN  10.0.X.Y/16 ------------- pN --+                 (the target)
#                                        +-- g0 ---+
#   netns g: eth0 10.0.0.2/16 (pings) -------------+
#
# Windows, each W seconds after S seconds of quiet:
#   none  the same topology without the group (once first, once last)
#   off   the group, probing off (its probe timers still run)
#   on    the group, probing on
#   ping  the group, probing off, and echo requests from netns g to the
#         target at the probe rate measured before the rounds, by
#         bench/pinger: one process, one sleep a request
# off, on and ping alternate in R rounds (rotated each round) so that a
# disturbance from outside falls on each kind alike; the figures are the
# medians.  Before each window the FDT is set again, so that every window
# starts at F.  Busy time is counted two ways from /proc/stat's cpu line:
#   exact  elapsed x CPUs - (idle + iowait): the idle times come from the
#          nohz idle clock, in microseconds, so busy is exact too;
#   tick   user+nice+system+irq+softirq+steal: sampled at each tick (this
#          kernel has no IRQ_TIME_ACCOUNTING), so blind to softirq work
#          that runs right after a tick on an idle CPU: timers and the
#          packets they send, exactly where probing runs.
# The costs use the exact count; the JSON has both.
#
# Run as root in a throwaway guest (it makes netns bench-h, -sw, -t, -g,
# and sets the ipmp parameter fdt_settle_ms to 0 while it runs, so that an
# FDT that the guest's stalls stretched comes back at once):
#
#   bench/probe-cpu.sh [-n MEMBERS] [-f FDT_MS] [-w WINDOW_S] [-r ROUNDS]
#                      [-s SETTLE_S] [-b pinger|iputils] [-p PINGS]
#                      [-o FILE.json]
#
#   defaults: 64 members, FDT 100 ms, 20 s windows, 3 rounds, 3 s settle;
#   the ping windows run bench/pinger (built here with cc if it is not),
#   or with -b iputils PINGS iputils pings (default: as many as members,
#   more if each would have to send more often than every 12 ms)
#
# Exit status: 0 when it measured, 1 when it could not (setup failed,
# members never probed ok), 2 on usage errors; the figures never fail it.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=probe-cpu
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"

members=64
fdt=100
window=20
rounds=3
settle=3
pings=0
baseline=pinger
json=

options "n:members f:fdt w:window r:rounds s:settle p:pings b:baseline o:json" "$@"
numbers members fdt window rounds settle pings
((members >= 1 && members <= 2500)) || bad "members: 1 to 2500"
((fdt >= 100 && window >= 1 && rounds >= 1)) || bad "FDT >= 100, window and rounds >= 1"
((pings)) || pings=$members
[[ $baseline == pinger || $baseline == iputils ]] || bad "-b pinger or -b iputils"

H=bench-h
SW=bench-sw
T=bench-t
G=bench-g
TARGET=10.0.0.1
PINGER=10.0.0.2
USER_HZ=$(getconf CLK_TCK)
NCPU=$(nproc)
pids=()

cleanup() {
	local p
	set +e
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	[[ -z ${COUNTER_PID:-} ]] || kill "$COUNTER_PID" 2>/dev/null
	wait 2>/dev/null
	del_ns "$H" "$SW" "$T" "$G"
	restore_param
}
trap cleanup EXIT

h() { ip netns exec "$H" "$@"; }

# Test address of member $1 (from 1): 10.0.1.1 ... 10.0.1.250, 10.0.2.1 ...
test_addr() {
	echo "10.0.$((1 + ($1 - 1) / 250)).$((1 + ($1 - 1) % 250))"
}

# The bridge with the members (up), the target and the pinger.
build_topology() {
	local i
	bridge_topology "$members" "t0:$T:$TARGET/16" "g0:$G:$PINGER/16"
	for ((i = 1; i <= members; i++)); do
		echo "link set e$i up"
	done | ip -n "$H" -batch -
}

# The group starts at a slow FDT, so that N members' first ARPs and probes
# do not all land in one burst; the windows set the FDT wanted.
make_group() {
	local i list=()
	h "$IPMPADM" create ipmp0 fdt "$((fdt > 1000 ? fdt : 1000))"
	for ((i = 1; i <= members; i++)); do
		list+=("e$i")
	done
	h "$IPMPADM" add ipmp0 "${list[@]}"
	h ip link set ipmp0 up
	for ((i = 1; i <= members; i++)); do
		h "$IPMPADM" test-address add "e$i" "$(test_addr "$i")/16"
	done
	h "$IPMPADM" target add ipmp0 "$TARGET"
	probing=on
}

probes_ok() {
	h "$IPMPSTAT" -i -P -o INTERFACE,PROBE | grep -c ':ok$' || true
}

wait_probes_ok() {
	local i n=0
	for ((i = 0; i < 600; i++)); do
		n=$(probes_ok)
		((n < members)) || return 0
		sleep 0.1
	done
	h "$IPMPSTAT" -i -P -o INTERFACE,PROBE,STATE | grep -v ':ok:' | head -n 5 >&2 || true
	die "after 60 s only $n of $members members probe ok"
}

set_probing() {
	[[ $probing != "$1" ]] || return 0
	h "$IPMPADM" set ipmp0 probing "$1"
	probing=$1
}

fdt_in_force() {
	h "$IPMPADM" show ipmp0 -j | grep -o '"fdt_current": *[0-9]*' | grep -o '[0-9]*$'
}

# Packet counters, read on the switch, where the ports see every frame:
# a port's rx is what its member (or the pinger) sent.  A shell left
# waiting in netns sw reads them with builtins, so that a read takes
# milliseconds, not the second that forking ip netns exec can take under
# emulation, and the rates are over the time between the reads.
start_counter() {
	# shellcheck disable=SC2016 # for the shell in netns sw
	coproc COUNTER {
		exec ip netns exec "$SW" bash -c '
		shopt -s nullglob
		while read -r _; do
			tx=0 rx=0 per=
			for d in /sys/class/net/p[0-9]*/statistics; do
				read -r v <"$d/rx_packets"
				read -r w <"$d/tx_packets"
				tx=$((tx + v)) rx=$((rx + w)) per+=" $v"
			done
			read -r g </sys/class/net/g0/statistics/rx_packets
			echo "$tx $rx $g"
			echo "${per# }"
		done'
	}
}

# C: "MEMBER_TX MEMBER_RX PINGER_TX", PER_MEMBER: each member's tx, and
# C_T: when (us).
counters() {
	local t0
	t0=${EPOCHREALTIME/./}
	echo >&"${COUNTER[1]}"
	read -r C <&"${COUNTER[0]}"
	read -r PER_MEMBER <&"${COUNTER[0]}"
	C_T=$(((t0 + ${EPOCHREALTIME/./}) / 2))
}

# /proc/stat's cpu line, with no fork between the clock and the read:
# S_T (us), S_BUSY and S_IDLE (USER_HZ ticks).
stat_now() {
	local u n s i w q sq st rest
	read -r _ u n s i w q sq st rest </proc/stat
	S_T=${EPOCHREALTIME/./}
	S_BUSY=$((u + n + s + q + sq + st))
	S_IDLE=$((i + w))
}

# Kernel messages that say the probes were in trouble, counted.
count_stretches() { dmesg | grep -c 'Cannot meet requested failure detection time' || true; }
count_failures() { dmesg | grep -c 'IP interface failure detected' || true; }

# A sleep that forks nothing: a read that times out on a FIFO of our own.
FIFO=$(mktemp -u /tmp/probe-cpu.XXXXXX)
mkfifo "$FIFO"
exec 9<>"$FIFO"
rm -f "$FIFO"
quiet_sleep() {
	read -r -t "$1" -u 9 _ || true
}

# The userspace baseline: bench/pinger, one process sending at the rate
# (default), or iputils ping (-b iputils).  iputils ping spins on
# sched_yield() instead of sleeping when its next send is 10 ms away or
# less and no reply is due, so it burns CPU whatever its rate: its rate is
# made of several pings, 12 ms apart or more each, PINGS of them or more.
ping_plan() {
	local p=$pings ms
	if [[ $baseline == pinger ]]; then
		ping_procs=1 ping_ivl_ms=0
		return
	fi
	ms=$((1000 * p / ping_rate))
	if ((ms < 12)); then
		ms=12
		p=$(((ping_rate * ms + 999) / 1000))
	fi
	ping_procs=$p ping_ivl_ms=$ms
}

ping_cmd() {
	if [[ $baseline == pinger ]]; then
		echo "$PINGER_BIN $TARGET $ping_rate"
	else
		echo "ping -q -n -i $(awk -v ms="$ping_ivl_ms" 'BEGIN { printf "%.3f", ms / 1000 }') $TARGET"
	fi
}

# Starts the pings and waits (up to 60 s) until they send at 90% of the
# rate: under emulation it takes a while to start 64 processes.
start_pings() {
	local i g0 g1 cmd
	read -r -a cmd <<<"$(ping_cmd)"
	for ((i = 0; i < ping_procs; i++)); do
		ip netns exec "$G" "${cmd[@]}" >"${PING_LOG:-/dev/null}${PING_LOG:+.$i}" 2>&1 &
		pids+=($!)
	done
	for ((i = 0; i < 60; i++)); do
		counters
		g0=${C##* }
		quiet_sleep 1
		counters
		g1=${C##* }
		((10 * (g1 - g0) < 9 * ping_rate)) || return 0
	done
	say "  (the pings send $((g1 - g0))/s after 60 s, less than the $ping_rate/s planned)"
}

stop_pings() {
	local p
	for p in "${pids[@]}"; do
		kill -INT "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	pids=()
}

# window KIND ROUND: one measurement, a JSON object appended to WINDOWS.
WINDOWS=()
window() {
	local kind=$1 round=$2 c0 c1 ct0 b0 i0 t0 s0 f0 line fdt_now=null
	if [[ $kind != none ]]; then
		h "$IPMPADM" set ipmp0 fdt "$fdt"
		case $kind in
		on) set_probing on; wait_probes_ok ;;
		off) set_probing off ;;
		ping) set_probing off; start_pings ;;
		esac
	fi
	quiet_sleep "$settle"
	s0=$(count_stretches) f0=$(count_failures)
	counters
	c0=$C ct0=$C_T
	stat_now
	t0=$S_T b0=$S_BUSY i0=$S_IDLE
	quiet_sleep "$window"
	stat_now
	counters
	c1=$C
	[[ $kind != ping ]] || stop_pings
	[[ $kind == none ]] || fdt_now=$(fdt_in_force)
	line=$(awk -v k="$kind" -v r="$round" -v t0="$t0" -v t1="$S_T" \
		-v b="$((S_BUSY - b0))" -v i="$((S_IDLE - i0))" -v hz="$USER_HZ" \
		-v ncpu="$NCPU" -v c0="$c0" -v c1="$c1" -v cel="$((C_T - ct0))" -v fdt="$fdt_now" \
		-v st="$(($(count_stretches) - s0))" -v fl="$(($(count_failures) - f0))" 'BEGIN {
		el = (t1 - t0) / 1e6
		split(c0, a, " "); split(c1, z, " ")
		printf "{\"kind\":\"%s\",\"round\":%d,\"elapsed_s\":%.3f,", k, r, el
		printf "\"busy_pct\":%.3f,", 100 * (ncpu * el - i / hz) / el
		printf "\"busy_tick_pct\":%.3f,", 100 * b / hz / el
		cel /= 1e6
		printf "\"probes_per_s\":%.1f,\"replies_per_s\":%.1f,", (z[1] - a[1]) / cel, (z[2] - a[2]) / cel
		printf "\"pings_per_s\":%.1f,\"fdt_in_force_ms\":%s,", (z[3] - a[3]) / cel, fdt
		printf "\"fdt_stretched\":%d,\"member_failures\":%d}", st, fl
	}')
	WINDOWS+=("$line")
	printf '  %-4s %d  %6.2f s  busy %7.2f%%  (tick-sampled %7.2f%%)  probes %6.0f/s  pings %6.0f/s  FDT %s ms%s\n' \
		"$kind" "$round" "$(jfield elapsed_s <<<"$line")" "$(jfield busy_pct <<<"$line")" \
		"$(jfield busy_tick_pct <<<"$line")" "$(jfield probes_per_s <<<"$line")" \
		"$(jfield pings_per_s <<<"$line")" "${fdt_now/null/-}" \
		"$( (($(jfield fdt_stretched <<<"$line") + $(jfield member_failures <<<"$line"))) &&
			echo "  (stretched $(jfield fdt_stretched <<<"$line")x, $(jfield member_failures <<<"$line") failures)")"
}

# The probe rate from the members' tx counters over 5 s: PROBE_RATE in
# all, RATE_LO..RATE_HI per member, ANSWER_RATE replies.
measure_rate() {
	local c0 t0 per0
	counters
	c0=$C per0=$PER_MEMBER t0=$C_T
	quiet_sleep 5
	counters
	read -r PROBE_RATE RATE_LO RATE_HI ANSWER_RATE < <(
		paste <(tr ' ' '\n' <<<"$per0") <(tr ' ' '\n' <<<"$PER_MEMBER") |
		awk -v el="$((C_T - t0))" -v c0="$c0" -v c1="$C" '{
			r = ($2 - $1) / (el / 1e6)
			if (NR == 1 || r < lo) lo = r
			if (NR == 1 || r > hi) hi = r
		} END {
			split(c0, a, " "); split(c1, z, " ")
			printf "%.1f %.1f %.1f %.1f\n", (z[1] - a[1]) / (el / 1e6), lo, hi, (z[2] - a[2]) / (el / 1e6)
		}')
}

# What ipmpstat -p shows of the probes in 3 s.  Its listener costs CPU,
# and nobody listens during the windows: this comes after them.
ipmpstat_p_rate() {
	local lines
	lines=$(h timeout -s INT 3 "$IPMPSTAT" -n -p -P -o INTERFACE 2>/dev/null | wc -l || true)
	awk -v l="$lines" 'BEGIN { printf "%.1f", l / 3 }'
}

# in.mpathd's interval, FDT/7 times a random factor in [0.5, 1]: 0.75 x
# FDT/7 on average.
nominal_rate=$(awk -v n="$members" -v f="$fdt" 'BEGIN { printf "%.1f", n * 7 * 1000 / f / 0.75 }')

[[ -x $IPMPADM && -x $IPMPSTAT ]] || die "$IPMPADM or $IPMPSTAT is not built"
PINGER_BIN=${PINGER_BIN:-$TOP/bench/pinger}
if [[ $baseline == pinger && ! -x $PINGER_BIN ]]; then
	PINGER_BIN=/tmp/probe-cpu-pinger
	cc -O2 -o "$PINGER_BIN" "$TOP/bench/pinger.c" || die "cannot build bench/pinger"
fi
load_ipmp
start=$SECONDS
hypervisor=$(guest_hypervisor)
say "probe-cpu: $members members, FDT $fdt ms, $window s windows, $rounds rounds, $NCPU CPUs, kernel $(uname -r)"
say "probe-cpu: hypervisor: ${hypervisor:-none (bare metal)}"
[[ $hypervisor != *TCG* ]] ||
	say "probe-cpu: note: under QEMU TCG (no KVM) kernel code runs several times slower than on hardware; judge the figures by their ratio to ping"
zero_param /sys/module/ipmp/parameters/fdt_settle_ms
build_topology || die "could not build the topology"
start_counter

say "windows (busy: % of one CPU, exact; the guest has $NCPU):"
window none 0
make_group || die "could not make the group"
h "$IPMPADM" set ipmp0 fdt "$fdt"
wait_probes_ok
quiet_sleep "$settle"
measure_rate
ping_rate=${PROBE_RATE%.*}
((ping_rate > 0)) || die "the members sent no probes"
ping_plan
say "  probe rate before the rounds: $PROBE_RATE/s ($RATE_LO..$RATE_HI per member; nominal $nominal_rate/s), $ANSWER_RATE replies/s, FDT in force $(fdt_in_force) ms"
say "  ping windows: $ping_procs x $(ping_cmd)"

kinds=(off on ping)
for ((r = 1; r <= rounds; r++)); do
	for ((k = 0; k < 3; k++)); do
		window "${kinds[(k + r - 1) % 3]}" "$r"
	done
done
h "$IPMPADM" set ipmp0 fdt "$fdt"
set_probing on
wait_probes_ok
ipmpstat_rate=$(ipmpstat_p_rate)
say "  ipmpstat -p showed $ipmpstat_rate probes/s"
h "$IPMPADM" delete ipmp0
window none $((rounds + 1))
elapsed=$((SECONDS - start))

# Medians per kind, costs (busy of a kind minus busy with probing off),
# per packet, and the probing cost at the nominal rate, scaled from the
# cost per probe seen.
summary=$(printf '%s\n' "${WINDOWS[@]}" | awk -v nominal="$nominal_rate" -v fdt="$fdt" '
	function field(line, name,   v) {
		v = line
		sub(".*\"" name "\":", "", v)
		sub("[,}].*", "", v)
		return v
	}
	function median(k, f,   n, i, j, t, v) {
		n = 0
		for (i = 1; i <= NR; i++)
			if (kind[i] == k)
				v[++n] = field(line[i], f) + 0
		if (!n)
			return "null"
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	function spread(k,   i, lo, hi, v, n) {
		n = 0
		for (i = 1; i <= NR; i++)
			if (kind[i] == k) {
				v = field(line[i], "busy_pct") + 0
				if (!n++ || v < lo) lo = v
				if (n == 1 || v > hi) hi = v
			}
		return n ? hi - lo : 0
	}
	{ line[NR] = $0; kind[NR] = field($0, "kind"); gsub(/"/, "", kind[NR]) }
	END {
		for (i = 1; i <= NR; i++) {
			if (kind[i] == "on") {
				st += field(line[i], "fdt_stretched")
				fl += field(line[i], "member_failures")
				if (field(line[i], "fdt_in_force_ms") + 0 != fdt) fdt_off++
			}
		}
		none = median("none", "busy_pct"); off = median("off", "busy_pct")
		on = median("on", "busy_pct"); pg = median("ping", "busy_pct")
		probes = median("on", "probes_per_s"); pings = median("ping", "pings_per_s")
		cp = on - off; cq = pg - off
		up = probes > 0 ? cp * 1e4 / probes : 0
		uq = pings > 0 ? cq * 1e4 / pings : 0
		maxspread = 0
		for (k in kind) if (spread(kind[k]) > maxspread) maxspread = spread(kind[k])
		printf "busy_none=%.3f busy_off=%.3f busy_on=%.3f busy_ping=%.3f\n", none, off, on, pg
		printf "tick_none=%.3f tick_off=%.3f tick_on=%.3f tick_ping=%.3f\n", \
			median("none", "busy_tick_pct"), median("off", "busy_tick_pct"), \
			median("on", "busy_tick_pct"), median("ping", "busy_tick_pct")
		printf "rate_probes=%.1f rate_pings=%.1f\n", probes, pings
		printf "cost_probing=%.3f cost_ping=%.3f cost_timers=%.3f\n", cp, cq, off - none
		printf "tcost_probing=%.3f tcost_ping=%.3f\n", median("on", "busy_tick_pct") - median("off", "busy_tick_pct"), \
			median("ping", "busy_tick_pct") - median("off", "busy_tick_pct")
		printf "us_per_probe=%.1f us_per_ping=%.1f\n", up, uq
		printf "ratio=%s\n", (uq > 0 ? sprintf("%.3f", up / uq) : "null")
		printf "cost_at_nominal=%.3f\n", up * nominal / 1e4
		printf "spread_none=%.3f spread_off=%.3f spread_on=%.3f spread_ping=%.3f\n", \
			spread("none"), spread("off"), spread("on"), spread("ping")
		printf "high_variance=%s\n", (maxspread > 1 && maxspread > (cp < 0 ? -cp : cp) / 4) ? "true" : "false"
		printf "stretched=%d failures=%d fdt_off_windows=%d\n", st, fl, fdt_off
	}')
declare busy_none busy_off busy_on busy_ping tick_none tick_off tick_on tick_ping \
	rate_probes rate_pings cost_probing cost_ping cost_timers tcost_probing tcost_ping us_per_probe \
	us_per_ping ratio cost_at_nominal high_variance spread_none spread_off spread_on spread_ping stretched failures fdt_off_windows
eval "$(tr ' ' '\n' <<<"$summary" | grep -E '^[a-z_]+=[-0-9.a-z]*$')"

say ""
say "ipmp probing costs ${cost_probing}% of one core at $rate_probes probes/s ($members members, FDT $fdt ms): $us_per_probe us a probe"
say "userspace ping at $rate_pings/s ($ping_procs x ${baseline}) costs ${cost_ping}% of one core: $us_per_ping us a ping"
say "probing/ping, per packet: $ratio"
say "scaled to the nominal $nominal_rate probes/s: ${cost_at_nominal}% of one core"
say "busy medians: none ${busy_none}%, off ${busy_off}%, on ${busy_on}%, ping ${busy_ping}%; probe timers alone (off - none) ${cost_timers}%"
say "the tick-sampled fields of /proc/stat would have said probing ${tcost_probing}%, ping ${tcost_ping}%"
say "spread (max - min) of busy per kind: none $spread_none, off $spread_off, on $spread_on, ping $spread_ping"
[[ $high_variance == false ]] ||
	say "note: high variance: windows of one kind differ by more than a quarter of the cost; something else loaded the machine"
if ((stretched || failures || fdt_off_windows)); then
	say "note: in the on windows the FDT was stretched $stretched times ($fdt_off_windows windows ended above $fdt ms) and $failures member failures were detected: this machine did not keep up with FDT $fdt ms, and fewer probes went out than nominal"
fi
[[ $hypervisor != *TCG* ]] ||
	say "note: QEMU TCG, no KVM: kernel code runs several times slower than on hardware"
say "probe-cpu: $elapsed s"

[[ -n $json ]] || exit 0
{
	printf '{\n'
	printf '  "benchmark": "probe-cpu",\n'
	printf '  "members": %d, "fdt_ms": %d, "window_s": %d, "rounds": %d, "settle_s": %d,\n' \
		"$members" "$fdt" "$window" "$rounds" "$settle"
	printf '  "guest": {"kernel": "%s", "cpus": %d, "user_hz": %d, "cpu_model": "%s", "hypervisor": "%s"},\n' \
		"$(uname -r)" "$NCPU" "$USER_HZ" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		"${hypervisor:-none}"
	printf '  "probe_rate": {"nominal_per_s": %s, "before_rounds_per_s": %s, "per_member_min": %s, "per_member_max": %s, "replies_per_s": %s, "in_on_windows_per_s": %s, "ipmpstat_p_lines_per_s": %s},\n' \
		"$nominal_rate" "$PROBE_RATE" "$RATE_LO" "$RATE_HI" "$ANSWER_RATE" "$rate_probes" "$ipmpstat_rate"
	printf '  "ping": {"tool": "%s", "planned_per_s": %d, "processes": %d, "in_ping_windows_per_s": %s},\n' \
		"$baseline" "$ping_rate" "$ping_procs" "$rate_pings"
	printf '  "busy_pct": {"none": %s, "off": %s, "on": %s, "ping": %s},\n' \
		"$busy_none" "$busy_off" "$busy_on" "$busy_ping"
	printf '  "busy_tick_pct": {"none": %s, "off": %s, "on": %s, "ping": %s},\n' \
		"$tick_none" "$tick_off" "$tick_on" "$tick_ping"
	printf '  "cost_pct": {"probing": %s, "ping": %s, "probe_timers": %s, "probing_at_nominal": %s, "probing_tick_sampled": %s, "ping_tick_sampled": %s},\n' \
		"$cost_probing" "$cost_ping" "$cost_timers" "$cost_at_nominal" "$tcost_probing" "$tcost_ping"
	printf '  "us_per_packet": {"probe": %s, "ping": %s},\n' "$us_per_probe" "$us_per_ping"
	printf '  "ratio_probe_to_ping": %s,\n' "$ratio"
	printf '  "spread_pct": {"none": %s, "off": %s, "on": %s, "ping": %s}, "high_variance": %s,\n' \
		"$spread_none" "$spread_off" "$spread_on" "$spread_ping" "$high_variance"
	printf '  "on_windows": {"fdt_stretched": %d, "member_failures": %d, "ended_above_fdt": %d},\n' \
		"$stretched" "$failures" "$fdt_off_windows"
	printf '  "elapsed_s": %d,\n' "$elapsed"
	printf '  "windows": [\n'
	for ((i = 0; i < ${#WINDOWS[@]}; i++)); do
		printf '    %s%s\n' "${WINDOWS[i]}" "$( ((i + 1 < ${#WINDOWS[@]})) && echo ,)"
	done
	printf '  ]\n}\n'
} >"$json"
