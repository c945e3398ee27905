#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ipmpadm save and restore: a saved configuration restores to the same
# state (save | restore | save is byte for byte the same); a file with a
# problem names its line and changes nothing; a refusal by the kernel
# midway is rolled back; --missing-ok skips members whose device is
# missing and --only IF lets such a NIC join later; a removed member is
# saved.
#
#   host ns "h": e0 e1 e2 e3 e4 (e5 later) -- their veth peers in "sw"
#   ipmp0 "web": e0, e1 standby, test addresses, two static targets,
#                settings all off their defaults
#   ipmp1:       e2, e3, a test address, targets found (none saved)
source "$(dirname "$0")/lib.sh"

ktap_header
setup_ns h sw
H=$NS_h
SW=$NS_sw
h() { ip netns exec "$H" "$@"; }
adm() { ip netns exec "$H" "$IPMPADM" "$@"; }
T=$(mktemp -d)
defer rm -rf "$T"
veth() { ip -n "$H" link add "$1" type veth peer name "p$1" netns "$SW" &&
	 ip -n "$SW" link set "p$1" up; }
for i in 0 1 2 3 4; do veth e$i; done
# Everything restore could change: the ipmp view, the links' flags (up or
# down) and masters; not the qdisc, which a first "up" attaches for good,
# nor the carrier (NO-CARRIER, LOWER_UP), which follows a moment later.
snapshot() {
	adm save &&
		h ip -o link show |
		sed 's/^[0-9]*: //; s/ qdisc [^ ]*//; s/ state .*//; s/NO-CARRIER,//; s/,LOWER_UP//; s/,M-DOWN//' |
		sort
}
same_as() { snapshot >"$T/now" 2>&1 && diff "$1" "$T/now"; }
no_group() { ! h ip link show dev "$1" >/dev/null 2>&1; }

adm create ipmp0 group web fdt 2000 failback no probing off announce 5 \
	announce-interval 200
adm add ipmp0 e0
adm add ipmp0 e1 standby
adm test-address add e0 192.0.2.31/24
adm test-address add e1 192.0.2.32/28
adm target add ipmp0 192.0.2.1
adm target add ipmp0 192.0.2.2
h ip link set ipmp0 up
h ip addr add 192.0.2.10/24 dev ipmp0
adm create ipmp1 fdt 30000
adm add ipmp1 e2 e3
adm test-address add e2 198.51.100.33/24
h ip link set ipmp1 up
h ip addr add 198.51.100.10/24 dev ipmp1
h ip route add default via 198.51.100.1 dev ipmp1

check "save prints the configuration" sh -c "ip netns exec $H $IPMPADM save >$T/saved"
diag <"$T/saved"
has_line() { grep -qxF -- "$1" "$T/saved"; }
check "every group setting is saved" has_line \
	"create ipmp0 group web fdt 2000 failback no probing off announce 5 announce-interval 200"
check "defaults too" has_line \
	"create ipmp1 group ipmp1 fdt 30000 failback yes probing on announce 3 announce-interval 1000"
check "members, standby ones with standby" eval \
	'has_line "add ipmp0 e0" && has_line "add ipmp0 e1 standby" && has_line "add ipmp1 e2" && has_line "add ipmp1 e3"'
check "test addresses with their prefix length" eval \
	'has_line "test-address add e0 192.0.2.31/24" && has_line "test-address add e1 192.0.2.32/28" && has_line "test-address add e2 198.51.100.33/24"'
check "the static targets, in their order" sh -c \
	"grep '^target' $T/saved | tr '\n' ' ' | grep -qx 'target add ipmp0 192.0.2.1 target add ipmp0 192.0.2.2 '"
check "ipmp1 finds a target..." poll 5 ipmpstat_is "$H" -t INTERFACE,MODE,TARGETS e2:routes:198.51.100.1
check "...which is not saved" eval '! grep -q "^target add ipmp1" "$T/saved"'
check "nothing else but comments and blank lines" sh -c \
	"! grep -Ev '^(#|$|create |add |test-address add |target add )' $T/saved"
check "save IPMPIF saves that group alone" sh -c \
	"ip netns exec $H $IPMPADM save ipmp1 >$T/one && grep -q ipmp1 $T/one && ! grep -qwE 'ipmp0|web|e0|e1' $T/one"
check_err "save of a member is refused" "save e0:" adm save e0

adm delete ipmp0
adm delete ipmp1
check "after delete nothing is left to save" sh -c \
	"! ip netns exec $H $IPMPADM save | grep -q '^create'"
check "restore applies the file" adm restore "$T/saved"
check "save | restore | save is the same, byte for byte" \
	sh -c "ip netns exec $H $IPMPADM save | cmp $T/saved -"
check "the members joined with their flags" poll 3 eval \
	'has_master "$H" e1 ipmp0 && ipmpstat_is "$H" -i INTERFACE,FLAGS e1:is-----'
adm delete ipmp0
adm delete ipmp1
check "from standard input too" sh -c "ip netns exec $H $IPMPADM restore <$T/saved"
check "the same again" sh -c "ip netns exec $H $IPMPADM save | cmp $T/saved -"
check "restore - is standard input" sh -c \
	"ip netns exec $H $IPMPADM delete ipmp0 && ip netns exec $H $IPMPADM delete ipmp1 && ip netns exec $H $IPMPADM restore - <$T/saved && ip netns exec $H $IPMPADM save | cmp $T/saved -"

snapshot >"$T/before"
check_err "groups that exist are refused, naming the line" \
	"restore: $T/saved:4: ipmp0 exists already" adm restore "$T/saved"
check "...and nothing changed" same_as "$T/before"

# A file with a problem: the line is named and nothing changes.
printf '%s\n' "create ipmp2 fdt 1000" "add ipmp2 e4" "create ipmp3 announce 300" >"$T/bad2"
printf '%s\n' "create ipmp2 fdt 1000" "add ipmp2 e4" "" "create ipmp3" "add ipmp3 nosuch0" >"$T/bad3"
printf '%s\n' "create ipmp2" "add ipmp2 e0" >"$T/bad4"
printf '%s\n' "create ipmp2 group web" "add ipmp2 e4" >"$T/bad5"
printf '%s\n' "create ipmp2" "create e4" >"$T/bad6"
check_err "a bad value on line 3 is named" \
	"ipmpadm: restore: $T/bad2:3: announce 300 is out of range: use 0 to 255" adm restore "$T/bad2"
check "...and nothing changed" same_as "$T/before"
check_err "an unknown interface on line 5 is named" \
	"ipmpadm: restore: $T/bad3:5: nosuch0: no such interface" adm restore "$T/bad3"
check "...and nothing changed" same_as "$T/before"
check_err "a member of another group is refused" \
	"ipmpadm: restore: $T/bad4:2: e0 is a member of ipmp0 already" adm restore "$T/bad4"
check_err "a group name that is taken is refused" \
	"ipmpadm: restore: $T/bad5:1: group name 'web' is taken by ipmp0" adm restore "$T/bad5"
check_err "a device of the group's name is refused" \
	"ipmpadm: restore: $T/bad6:2: e4 exists already" adm restore "$T/bad6"
check "...and nothing changed" same_as "$T/before"

# The kernel refuses a line midway: the groups made are deleted again.
printf '%s\n' "create ipmp2 fdt 1000" "create ipmp3" "add ipmp2 e4" \
	"test-address add e4 192.0.2.99/24" "target add ipmp2 224.0.0.1" >"$T/refused1"
check_err "a refused target is reported with its line and the kernel's words" \
	"ipmpadm: restore: $T/refused1:5: target add ipmp2 224.0.0.1: a target must be a unicast address" \
	adm restore "$T/refused1"
check "...the groups made are gone, e4 is free" eval \
	'no_group ipmp2 && no_group ipmp3 && ! has_master "$H" e4 ipmp2'
check "...and nothing changed" same_as "$T/before"
h ip addr add 203.0.113.4/24 dev e4
snapshot >"$T/before"
printf '%s\n' "create ipmp2" "create ipmp3" "add ipmp3 e4" >"$T/refused2"
check_err "a member the kernel refuses is reported with its line" \
	"ipmpadm: restore: $T/refused2:3: add e4 to ipmp3: device has IPv4 addresses" \
	adm restore "$T/refused2"
check "...and both groups made are gone" eval 'no_group ipmp2 && no_group ipmp3'
check "...and nothing changed" same_as "$T/before"
h ip addr del 203.0.113.4/24 dev e4

# A member whose device is missing; --only lets it join when it appears.
cat >"$T/late" <<EOF
# IPMP configuration, written by 'ipmpadm save'.  'ipmpadm restore FILE'
# applies it: ipmpadm commands, one a line; '#' starts a comment.

create ipmp2 group late fdt 1000 failback yes probing on announce 3 announce-interval 1000
add ipmp2 e4
add ipmp2 e5 standby
test-address add e5 203.0.113.5/24
target add ipmp2 203.0.113.1
EOF
snapshot >"$T/before"
check_err "a member whose device is missing fails the restore" \
	"ipmpadm: restore: $T/late:6: e5: no such interface" adm restore "$T/late"
check "...and nothing changed" same_as "$T/before"
check "--missing-ok skips it, with a warning" sh -c \
	"ip netns exec $H $IPMPADM restore --missing-ok $T/late 2>$T/warn && grep -qF 'ipmpadm: restore: $T/late:6: warning: e5: no such interface: skipped' $T/warn"
check "...and applies the rest" eval 'has_master "$H" e4 ipmp2 && ! adm save ipmp2 | grep -q e5'
snapshot >"$T/before"
adm delete ipmp2
check "--only a member whose group does not exist does nothing" \
	adm restore --only e4 "$T/late"
check "...e4 stays out" eval 'no_group ipmp2 && ! has_master "$H" e4 ipmp2'
adm restore --missing-ok "$T/late" 2>/dev/null
check "--only a device the file does not name does nothing" \
	adm restore --only e3 "$T/late"
check "...nothing at all" same_as "$T/before"
veth e5
check "--only e5 when it appears" adm restore --only e5 "$T/late"
check "...makes it join its group with its standby flag and test address" \
	sh -c "ip netns exec $H $IPMPADM save ipmp2 | cmp $T/late -"
check "--only again does nothing and succeeds" adm restore --only e5 "$T/late"
check "...still the same" sh -c "ip netns exec $H $IPMPADM save ipmp2 | cmp $T/late -"
check_err "--only a member of another group is refused" \
	"restore: $T/bad4:2: e0 is a member of ipmp0, not of ipmp2" adm restore --only e0 "$T/bad4"

# A removed member (its device went away) is saved, with a comment.
h ip link del e5
check "e5 is removed, its place kept" poll 5 ipmpstat_is "$H" -i INTERFACE,STATE e5:removed
adm save ipmp2 >"$T/removed"
diag <"$T/removed"
check "the removed member is saved, after a comment" eval \
	'grep -qx "# e5: its device is gone (state removed): restore fails here" "$T/removed" && grep -qx "add ipmp2 e5 standby" "$T/removed" && grep -qx "test-address add e5 203.0.113.5/24" "$T/removed"'
adm delete ipmp2
check_err "restoring it while e5 is missing names its line" \
	"restore: $T/removed:8: e5: no such interface" adm restore "$T/removed"
check "--missing-ok restores the rest" adm restore --missing-ok "$T/removed"
check "...without e5" bash -c "cmp <(ip netns exec $H $IPMPADM save ipmp2) <(grep -v -e e5 -e '^# while' $T/removed)"

ktap_finish
