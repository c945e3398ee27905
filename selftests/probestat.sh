#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ipmpstat -p: one line per probe answered or lost, as the kernel reports
# them on the "probes" multicast group, in the human, parsable (-P) and JSON
# (-j) forms, with host names unless -n; SIGINT and SIGTERM end it with
# status 0; without CAP_NET_ADMIN it refuses.
#
#   host ns "h"                                switch ns "sw"       router "r"
#   ipmp0 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 q0 ] -- 192.0.2.1
#   the switch drops e0's frames at p0 (tc) for a while: e0's probes are lost
source "$(dirname "$0")/lib.sh"

require_cmd tc python3 setpriv unshare
ktap_header
setup_ns h sw r
H=$NS_h
SW=$NS_sw
R=$NS_r
D=$(mktemp -d)
defer rm -rf "$D"
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
drop_at() { port_drop "$SW" "$1"; }
pass_at() { port_pass "$SW" "$1"; }

switch_new "$SW"
for i in 0 1; do switch_port "$SW" "$H" e$i p$i; done
switch_host "$SW" "$R" q0 192.0.2.1/24

h "$IPMPADM" create ipmp0 fdt 2000
ipv4_only "$H" ipmp0	# IPv4 probing here; probe6.sh has IPv6
h "$IPMPADM" add ipmp0 e0 e1
h ip link set ipmp0 up
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24
h "$IPMPADM" target add ipmp0 192.0.2.1
wait_for "probes are answered on both members" 10 \
	eval 'i_is INTERFACE,PROBE e0:ok && i_is INTERFACE,PROBE e1:ok'

# ipmpstat in the background, its output in $D/NAME.  ip netns exec and
# unshare exec what they run, so $! is ipmpstat itself.
declare -A pid
start() {
	local name=$1
	shift
	ip netns exec "$H" "$@" >"$D/$name" 2>"$D/$name.err" &
	pid[$name]=$!
	defer kill "${pid[$name]}"
}
exited() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
# ends_on SIG NAME: the signal ends ipmpstat NAME, with status 0
ends_on() {
	local p=${pid[$2]} rc=0
	kill -"$1" "$p" && poll 5 exited "$p" || return 1
	wait "$p" || rc=$?
	echo "exit status $rc"
	cat "$D/$2.err"
	((rc == 0))
}
exits_with() {	# exits_with STATUS CMD...
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	echo "exit status $rc"
	((rc == want))
}

printf '192.0.2.1 probe-target\n' >"$D/hosts"
all=time,interface,probe,netrtt,rtt,rttavg,target,rttdev
t0=$EPOCHREALTIME
start human "$IPMPSTAT" -n -p
start parsable "$IPMPSTAT" -n -P -o "$all" -p
start json "$IPMPSTAT" -n -j -p
# The target has a name in a private /etc/hosts.
with_hosts() {
	local name=$1
	shift
	start "$name" unshare -m sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
		sh "$D/hosts" "$IPMPSTAT" "$@"
}
with_hosts named -o interface,target -p
with_hosts numeric -n -o interface,target -p

ms='[0-9]+\.[0-9]{2}ms'
acked() {	# acked FILE IF: a human line of an answered probe of IF
	grep -Eq "^-?[0-9]+\.[0-9]{2}s +$2 +[0-9]+ +$ms +$ms +($ms|--) +192\.0\.2\.1\$" "$1"
}
lost() {	# lost FILE IF: a human line of a lost probe of IF
	grep -Eq "^-?[0-9]+\.[0-9]{2}s +$2 +[0-9]+ +-- +-- +($ms|--) +192\.0\.2\.1\$" "$1"
}
wait_for "human: answered probes of e0 to the target" 10 acked "$D/human" e0
wait_for "human: answered probes of e1 to the target" 10 acked "$D/human" e1
check "human: the header has Solaris's columns" eval \
	'head -1 "$D/human" | grep -qx "TIME      INTERFACE   PROBE  NETRTT    RTT       RTTAVG    TARGET"'
check "human: no lost probe while the path works" \
	eval '! lost "$D/human" e0 && ! lost "$D/human" e1'
wait_for "names: the target by its name from /etc/hosts" 10 \
	grep -Eqx 'e0 +probe-target' "$D/named"
wait_for "names: with -n, by its address" 10 \
	eval 'grep -Eqx "e0 +192\.0\.2\.1" "$D/numeric" && ! grep -q probe-target "$D/numeric"'

# The parsable lines so far: all answered (or lost too, with "all"), every
# field a number in its unit, sequence numbers of each member increasing,
# TIME since ipmpstat started, which is after $t0.
parsable_ok() {
	python3 - "$D/parsable" "$t0" "$1" <<'EOF'
import re, sys, time
path, t0, phase = sys.argv[1], float(sys.argv[2]), sys.argv[3]
ms, s = r"\d+\.\d\dms", r"-?\d+\.\d\ds"
acked = re.compile(rf"({s}):(e[01]):(\d+):({ms}):({ms}):({ms})?:192\.0\.2\.1:({ms})?")
lost = re.compile(rf"({s}):(e[01]):(\d+):::({ms})?:192\.0\.2\.1:({ms})?")
seqs, n, avg = {}, {"e0": 0, "e1": 0}, 0
lines = open(path).read().splitlines()
elapsed = time.time() - t0
for line in lines:
    m = acked.fullmatch(line)
    if not m and phase == "all" and lost.fullmatch(line):
        continue
    assert m, f"not an answered probe's line: {line!r}"
    t = float(m.group(1)[:-1])
    assert -1 <= t <= elapsed + 0.1, f"TIME {t} s is not within [-1, {elapsed}]: {line!r}"
    assert t < 1 or line != lines[0], f"the first probe reported was sent {t} s after the start"
    seq = int(m.group(3))
    assert seq > seqs.get(m.group(2), -1), f"sequence number not increasing: {line!r}"
    seqs[m.group(2)] = seq
    n[m.group(2)] += 1
    avg += m.group(6) is not None
assert min(n.values()) >= 3, f"answered probes per member: {n}"
assert avg, "no RTTAVG yet"
print(f"{len(lines)} lines, answered per member {n}")
EOF
}
wait_for "parsable: three answered probes of each member" 10 \
	eval '[ "$(grep -c "^[^:]*:e0:" "$D/parsable")" -ge 3 ] && [ "$(grep -c "^[^:]*:e1:" "$D/parsable")" -ge 3 ]'
check "parsable: times, sequence numbers and RTTs are numbers in their units" \
	parsable_ok answered

drop_at p0
wait_for "human: a lost probe of e0 shows -- for NETRTT and RTT" 10 lost "$D/human" e0
wait_for "parsable: a lost probe of e0 has no NETRTT and RTT" 5 \
	grep -Eq '^[^:]*:e0:[0-9]+:::' "$D/parsable"
wait_for "human: e1's probes are still answered after e0's are lost" 5 \
	awk '$2 == "e0" && $4 == "--" { lost = 1 }
	     lost && $2 == "e1" && $4 ~ /ms$/ { ok = 1 } END { exit !ok }' "$D/human"
pass_at p0
mark=$(wc -l <"$D/human")
wait_for "human: once the path is back, e0's probes are answered again" 10 \
	eval 'tail -n +$((mark + 1)) "$D/human" | grep -Eq "^-?[0-9.]+s +e0 +[0-9]+ +$ms"'
check "parsable: answered and lost lines, nothing else" \
	parsable_ok all

check "-j: one JSON object per line, with the lowercase column names" \
	python3 - "$D/json" <<'EOF'
import json, sys
keys = ["time", "interface", "probe", "netrtt", "rtt", "rttavg", "target"]
seen = set()
for line in open(sys.argv[1]).read().splitlines():
    o = json.loads(line)
    assert list(o) == keys, line
    assert o["target"] == "192.0.2.1" and o["probe"].isdigit(), line
    if o["netrtt"] is None:
        assert o["rtt"] is None, line
        seen.add(o["interface"] + " lost")
    else:
        assert o["rtt"].endswith("ms"), line
        seen.add(o["interface"])
assert {"e0", "e1", "e0 lost"} <= seen, seen
EOF

check "SIGINT ends ipmpstat -p with status 0" ends_on INT human
check "SIGTERM ends ipmpstat -P -p with status 0" ends_on TERM parsable
check "SIGTERM ends ipmpstat -j -p with status 0" ends_on TERM json
check "SIGINT ends ipmpstat -p with names with status 0" ends_on INT named
check "SIGTERM ends ipmpstat -n -p with status 0" ends_on TERM numeric
check "nothing on stderr" eval '! cat "$D"/*.err | grep .'

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
check "ipmpstat -g needs no privilege" h "${nobody[@]}" "$IPMPSTAT" -g
check_err "-p without CAP_NET_ADMIN is refused" \
	"ipmpstat: probe information needs CAP_NET_ADMIN (run as root)" \
	h "${nobody[@]}" "$IPMPSTAT" -n -p
check "with exit status 1" exits_with 1 h "${nobody[@]}" "$IPMPSTAT" -j -p

ktap_finish
