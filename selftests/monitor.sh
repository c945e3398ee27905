#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ipmpadm monitor: a line (with -j a JSON object) per notification, in the
# order of the changes: a group created, members added, a data address
# bound; a cable pulled (the address moves, the member fails, the group is
# degraded) and plugged back; both pulled (the address is left unbound,
# the group fails); a member removed, the group deleted.  With "probes" the
# probe reports too.  Without CAP_NET_ADMIN, show, ipmpstat and monitor
# work; monitor probes and every change are refused, and change nothing.
#
#   host ns "h"                                   switch ns "sw"         router "r"
#   ipmp0/ipmp1 [ e0 (192.0.2.31) e1 (192.0.2.32) ] -- br0 [ p0 p1 p2 q0 ] -- 192.0.2.1
#   e2 stays out of the groups; data address 192.0.2.10; cables are pulled
#   at the switch (ip link set pN down), p0 drops e0's probes for a while
source "$(dirname "$0")/lib.sh"

require_cmd python3 setpriv tc
ktap_header
setup_ns h sw r
H=$NS_h
SW=$NS_sw
R=$NS_r
D=$(mktemp -d)
defer rm -rf "$D"
h() { ip netns exec "$H" "$@"; }
i_is() { ipmpstat_is "$H" -i "$@"; }
g_is() { ipmpstat_is "$H" -g "$@"; }
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

switch_new "$SW"
for i in 0 1 2; do
	switch_port "$SW" "$H" e$i p$i
	h ip link set e$i up
done
switch_host "$SW" "$R" q0 192.0.2.1/24

# Monitors in the background, their output in $D/NAME.  ip netns exec and
# setpriv exec what they run, so $! is ipmpadm itself.
declare -A pid
start() {
	local name=$1
	shift
	ip netns exec "$H" "$@" >"$D/$name" 2>"$D/$name.err" &
	pid[$name]=$!
	defer kill "${pid[$name]}"
}
# joined NAME: monitor NAME has a netlink socket in a multicast group.
joined() { nl_joined "$H" "${pid[$1]}"; }
exited() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
# ends_on SIG NAME: the signal ends monitor NAME, with status 0
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

# What the monitors must print, written as the test goes: "phase" starts a
# phase, "want ITEM" adds what it must show.  The lines of a phase come
# after those of the phase before, in any order among themselves.
: >"$D/expect"
phase() { echo "phase" >>"$D/expect"; }
want() { echo "$*" >>"$D/expect"; }
cat >"$D/check.py" <<'EOF'
"""check.py text|json FILE EXPECT: FILE shows EXPECT's items, phase by phase.

Items: group G created | group G state S MEMBERS ACTIVE | group G deleted |
member IF G added | member IF G state S LINK [PROBE] | member IF G removed |
address A G inbound IF | address A G unbound | address A G removed |
probe IF G answered|lost
"""
import json, re, sys

mode, path, expect = sys.argv[1:4]
num = r"[0-9]+(\.[0-9]{2})?ms"
GROUP_KEYS = ["ifname", "ifindex", "group", "state", "fdt", "fdt_current",
              "failback", "probing", "nmembers", "nactive", "target_mode",
              "targets"]
MEMBER_KEYS = ["group", "ifname", "ifindex", "state", "link", "probe",
               "active", "standby", "flags", "testaddr", "rtt_us"]
ADDR_KEYS = ["group", "address", "prefixlen", "family", "state", "inbound"]
PROBE_KEYS = ["group", "ifname", "target", "seq", "netrtt_us", "rtt_us",
              "rttavg_us", "rttdev_us"]


def text_re(w):
    if w[0] == "group":
        g = w[1]
        if w[2] == "created":
            return (rf"group {g} created state failed members 0 active 0 "
                    rf"name {g} fdt {num} failback (yes|no) probing (on|off) ")
        if w[2] == "deleted":
            return rf"group {g} deleted$"
        return rf"group {g} state {w[3]} members {w[4]} active {w[5]} name {g} fdt "
    if w[0] == "member":
        head = rf"member {w[1]} group {w[2]}"
        if w[3] in ("added", "removed"):
            return head + (" removed$" if w[3] == "removed" else " added state ")
        tail = rf" probe {w[6]}" if len(w) > 6 else r" probe \S+"
        return head + rf" state {w[4]} link {w[5]}{tail} active (yes|no) flags "
    if w[0] == "address":
        return rf"address {w[1]} group {w[2]} " + (
            f"inbound {w[4]}$" if w[3] == "inbound" else f"{w[3]}$")
    if w[3] == "answered":
        return (rf"probe {w[1]} group {w[2]} target [0-9.]+ seq [0-9]+ "
                rf"answered netrtt {num} rtt {num}( rttavg {num} rttdev {num})?$")
    return (rf"probe {w[1]} group {w[2]} target [0-9.]+ seq [0-9]+ lost"
            rf"( rttavg {num} rttdev {num})?$")


def json_want(w):
    if w[0] == "group":
        d = {"object": "group", "ifname": w[1],
             "event": w[2] if w[2] in ("created", "deleted") else "changed"}
        if w[2] == "state":
            d.update(state=w[3], nmembers=int(w[4]), nactive=int(w[5]))
        return d
    if w[0] == "member":
        d = {"object": "member", "ifname": w[1], "group": w[2],
             "event": w[3] if w[3] in ("added", "removed") else "changed"}
        if w[3] == "state":
            d.update(state=w[4], link=w[5])
            if len(w) > 6:
                d.update(probe=w[6])
        return d
    if w[0] == "address":
        if w[3] == "removed":
            return {"object": "address", "address": w[1], "group": w[2],
                    "event": "removed"}
        return {"object": "address", "address": w[1], "group": w[2],
                "event": "bound" if w[3] == "inbound" else "unbound",
                "inbound": w[4] if w[3] == "inbound" else None}
    return {"object": "probe", "ifname": w[1], "group": w[2], "event": w[3]}


def keys_ok(o):
    want = {"group": GROUP_KEYS, "member": MEMBER_KEYS,
            "address": ADDR_KEYS, "probe": PROBE_KEYS}[o["object"]]
    k = list(o)
    return k[:2] == ["object", "event"] and [x for x in k if x in want] == want


lines = open(path).read().splitlines()
if mode == "json":
    objs = [json.loads(l) for l in lines]
    for o in objs:
        assert keys_ok(o), f"keys of {o}"
    match = lambda w, i: json_want(w).items() <= objs[i].items()
else:
    match = lambda w, i: re.match(text_re(w), lines[i])

phases = [[]]
for item in open(expect).read().splitlines():
    if item == "phase":
        phases.append([])
    else:
        phases[-1].append(item.split())
start = 0
for n, items in enumerate(phases):
    end = start
    for w in items:
        i = next((i for i in range(start, len(lines)) if match(w, i)), None)
        if i is None:
            print(f"phase {n}: no '{' '.join(w)}' after line {start}; lines:")
            print("\n".join(lines[start:][-20:]))
            sys.exit(1)
        end = max(end, i + 1)
    start = end
EOF
shows() {	# shows NAME: monitor NAME shows everything expected so far
	local mode=text
	[[ $1 != *json* ]] || mode=json
	python3 "$D/check.py" "$mode" "$D/$1" "$D/expect"
}
# shown DESC: both monitors show what was expected so far
shown() {
	wait_for "text: $1" 5 shows text
	wait_for "json: $1" 5 shows json
}
inbound() { h "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | sed -n 's/^192\.0\.2\.10://p'; }
other() { if [ "$1" = e0 ]; then echo e1; else echo e0; fi; }
pull() { ip -n "$SW" link set "p${1#e}" down; }
plug() { ip -n "$SW" link set "p${1#e}" up; }

start text "$IPMPADM" monitor
start json "$IPMPADM" monitor -j
wait_for "monitor and monitor -j have joined the events group" 30 \
	eval 'joined text && joined json'

h "$IPMPADM" create ipmp0 fdt 1000
want group ipmp0 created
h "$IPMPADM" add ipmp0 e0 e1
want member e0 ipmp0 added
want member e1 ipmp0 added
want group ipmp0 state ok 2 2
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
wait_for "the data address is bound" 5 eval '[ -n "$(inbound)" ]'
X=$(inbound)
Y=$(other "$X")
want address 192.0.2.10 ipmp0 inbound "$X"
shown "group created, members added, the address bound to $X"

phase
pull "$X"
wait_for "$X's cable pulled: $X failed, the address on $Y" 5 \
	eval 'i_is INTERFACE,LINK,STATE $X:down:failed && [ "$(inbound)" = $Y ]'
want address 192.0.2.10 ipmp0 inbound "$Y"
want member "$X" ipmp0 state failed down
want group ipmp0 state degraded 2 1
shown "the address moved to $Y, $X failed, the group degraded"

phase
plug "$X"
wait_for "$X plugged back: repaired" 5 i_is INTERFACE,LINK,STATE "$X:up:ok"
want member "$X" ipmp0 state ok up
want group ipmp0 state ok 2 2
shown "then $X and the group repaired"

# Both cables, the one of the member with the address first.
phase
A=$(inbound)
B=$(other "$A")
pull "$A"
wait_for "$A's cable pulled" 5 eval '[ "$(inbound)" = $B ]'
want address 192.0.2.10 ipmp0 inbound "$B"
want group ipmp0 state degraded 2 1
phase
pull "$B"
wait_for "$B's too: the group fails" 5 g_is GROUP,STATE ipmp0:failed
want member "$B" ipmp0 state failed down
want address 192.0.2.10 ipmp0 unbound
want group ipmp0 state failed 2 0
shown "both pulled: the address unbound, the group failed"
phase
plug "$A"
plug "$B"
wait_for "both plugged back" 5 g_is GROUP,STATE ipmp0:ok
want group ipmp0 state ok 2 2
shown "both plugged back: the group repaired"

phase
Z=$(inbound)
O=$(other "$Z")
h "$IPMPADM" remove ipmp0 "$Z"
want member "$Z" ipmp0 removed
want address 192.0.2.10 ipmp0 inbound "$O"
want group ipmp0 state ok 1 1
shown "$Z removed: the address moved to $O"
phase
h ip addr del 192.0.2.10/24 dev ipmp0
want address 192.0.2.10 ipmp0 removed
shown "the address deleted from ipmp0"
phase
h "$IPMPADM" delete ipmp0
want member "$O" ipmp0 removed
phase
want group ipmp0 deleted
shown "the group deleted, its last member removed first, by name"
check "text and JSON: the same events in the same order" python3 - "$D/text" "$D/json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in open(sys.argv[2]).read().splitlines()]
assert len(text) == len(objs), (len(text), len(objs))
for line, o in zip(text, objs):
    w = line.split()
    if w[0] == "group":
        event = w[2] if w[2] in ("created", "deleted") else "changed"
    elif w[0] == "member":
        event = w[4] if w[4] in ("added", "removed") else "changed"
    else:
        event = {"inbound": "bound"}.get(w[4], w[4])
    name = o["address"] if w[0] == "address" else o["ifname"]
    assert (w[0], w[1], event) == (o["object"], name, o["event"]), (line, o)
print(len(text), "lines each")
EOF

# monitor probes: probe reports, and the events still.
start probes "$IPMPADM" monitor probes
start probes_json "$IPMPADM" monitor -j probes
wait_for "monitor probes and monitor -j probes have joined" 30 \
	eval 'joined probes && joined probes_json'
: >"$D/expect"
h "$IPMPADM" create ipmp1 fdt 1000
h "$IPMPADM" add ipmp1 e0 e1
h ip link set ipmp1 up
h "$IPMPADM" test-address add e0 192.0.2.31/24
h "$IPMPADM" test-address add e1 192.0.2.32/24
h "$IPMPADM" target add ipmp1 192.0.2.1
want group ipmp1 created
want member e0 ipmp1 added
phase
want probe e0 ipmp1 answered
want probe e1 ipmp1 answered
wait_for "monitor probes: answered probes of e0 and e1" 10 shows probes
wait_for "monitor -j probes: answered probes of e0 and e1" 10 shows probes_json
phase
port_drop "$SW" p0
want probe e0 ipmp1 lost
want member e0 ipmp1 state failed up failed
wait_for "a dead path: lost probes, e0 failed by probes" 10 shows probes
wait_for "the same in JSON" 5 shows probes_json
port_pass "$SW" p0
phase
want member e0 ipmp1 state ok up ok
wait_for "the path back: e0 repaired" 10 shows probes
check "without 'probes', no probe line" \
	eval '! grep "^probe" "$D/text" && ! grep "\"object\": \"probe\"" "$D/json"'

# Without CAP_NET_ADMIN.
nb() { h "${nobody[@]}" "$@"; }
check "unprivileged: ipmpadm show works" nb "$IPMPADM" show
check "unprivileged: ipmpstat -g works" nb "$IPMPSTAT" -g
start nobody "${nobody[@]}" "$IPMPADM" monitor
wait_for "unprivileged: ipmpadm monitor joins" 30 joined nobody
h "$IPMPADM" set ipmp1 failback no
wait_for "unprivileged: and shows the changes" 5 \
	grep -q '^group ipmp1 state .* failback no ' "$D/nobody"
msg="permission denied: probe reports need CAP_NET_ADMIN"
check_err "unprivileged: monitor probes is refused" \
	"ipmpadm: monitor probes: $msg" nb "$IPMPADM" monitor probes
check "with exit status 1" exits_with 1 nb "$IPMPADM" monitor -j probes
check_err "unprivileged: monitor -j probes too" "$msg" nb "$IPMPADM" monitor -j probes

h "$IPMPADM" offline e1
# The configuration and the states; not the FDT in force, which a loaded
# host's probe round trips may stretch meanwhile.
state() {
	h "$IPMPADM" save
	h "$IPMPSTAT" -g -P -o GROUP,GROUPNAME,INTERFACES
	h "$IPMPSTAT" -i -P -o INTERFACE,GROUP,FLAGS,STATE
	h "$IPMPSTAT" -t -n -P -o INTERFACE,MODE,TESTADDR,TARGETS
	h ip -br link show type ipmp
}
state >"$D/before"
msg="permission denied: changes need CAP_NET_ADMIN"
refused() {	# refused WHAT ARGS...: ipmpadm ARGS fails with "WHAT: $msg"
	local what=$1 rc=0
	shift
	nb "$@" 2>"$D/err" || rc=$?
	cat "$D/err"
	grep -qxF -- "${1##*/}: $what: $msg" "$D/err" && ((rc == 1))
}
check "unprivileged: create is refused" refused "create ipmp9" "$IPMPADM" create ipmp9
check "unprivileged: delete is refused" refused "delete ipmp1" "$IPMPADM" delete ipmp1
check "unprivileged: add is refused" refused "add e2 to ipmp1" "$IPMPADM" add ipmp1 e2
check "unprivileged: remove is refused" refused "remove e0 from ipmp1" "$IPMPADM" remove ipmp1 e0
check "unprivileged: set of a group is refused" refused "set ipmp1" "$IPMPADM" set ipmp1 fdt 500
check "unprivileged: set of a member is refused" refused "set e0" "$IPMPADM" set e0 standby on
check "unprivileged: offline is refused" refused "cannot offline e0" "$IPMPADM" offline e0
check "unprivileged: online is refused" refused "cannot online e1" "$IPMPADM" online e1
check "unprivileged: if_mpadm -d is refused" refused "cannot offline e0" "$IF_MPADM" -d e0
check "unprivileged: if_mpadm -r is refused" refused "cannot online e1" "$IF_MPADM" -r e1
check "unprivileged: test-address add is refused" \
	refused "test-address add e0 192.0.2.41/24" "$IPMPADM" test-address add e0 192.0.2.41/24
check "unprivileged: test-address del is refused" \
	refused "test-address del e0 192.0.2.31" "$IPMPADM" test-address del e0 192.0.2.31
check "unprivileged: target add is refused" \
	refused "target add ipmp1 192.0.2.2" "$IPMPADM" target add ipmp1 192.0.2.2
check "unprivileged: target del is refused" \
	refused "target del ipmp1 192.0.2.1" "$IPMPADM" target del ipmp1 192.0.2.1
state >"$D/after"
check "and nothing changed" diff -u "$D/before" "$D/after"
h "$IPMPADM" online e1

check "SIGINT ends monitor with status 0" ends_on INT text
check "SIGTERM ends monitor -j with status 0" ends_on TERM json
check "SIGTERM ends monitor probes with status 0" ends_on TERM probes
check "SIGINT ends monitor -j probes with status 0" ends_on INT probes_json
check "SIGTERM ends an unprivileged monitor with status 0" ends_on TERM nobody
check "nothing on stderr" eval '! cat "$D"/*.err | grep .'

ktap_finish
