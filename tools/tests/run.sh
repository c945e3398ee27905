#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What can be tested without the kernel module: the command line (usage
# errors exit 2, --help exits 0), the output formats on fabricated state
# (tests/fmt.expected, JSON validity), the netlink layer against nlctrl,
# and, when the module is absent, the "not loaded" error (exit 1).
# TAP output; exit status 1 when a check fails.

cd "$(dirname "$0")/.." || exit 1
n=0
failed=0
out=$(mktemp)
trap 'rm -f "$out" "$out.err"' EXIT

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

# expect STATUS STDERR-PATTERN COMMAND...: the exit status, and a line
# of stderr matching the pattern (a fixed string; empty: anything).
expect() {
	status=$1 pattern=$2
	shift 2
	"$@" >"$out" 2>"$out.err"
	rc=$?
	r=0
	[ "$rc" = "$status" ] || r=1
	if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$out.err"; then
		r=1
	fi
	ok $r "$* -> $status${pattern:+ '$pattern'}"
	[ $r = 0 ] || { echo "# got $rc:"; sed 's/^/#   /' "$out.err"; }
}

# Usage errors: exit 2 with a usage line, before anything is asked.
expect 2 "unknown command 'frobnicate'" ./ipmpadm frobnicate
expect 2 "unknown option '-x'" ./ipmpadm -x
expect 2 "usage: ipmpadm create" ./ipmpadm create
expect 2 "unknown option '-x'" ./ipmpadm create -x
expect 2 "fdt 'abc' is not an integer" ./ipmpadm create ipmp0 fdt abc
expect 2 "fdt '10s' is not an integer" ./ipmpadm create ipmp0 fdt 10s
expect 2 "fdt '-1' is not an integer" ./ipmpadm create ipmp0 fdt -1
expect 2 "fdt '99999999999' is out of range" ./ipmpadm create ipmp0 fdt 99999999999
expect 2 "failback 'maybe' is not valid: use yes or no" ./ipmpadm create ipmp0 failback maybe
expect 2 "'group' needs a value" ./ipmpadm create ipmp0 group
expect 2 "'fdt' given twice" ./ipmpadm create ipmp0 fdt 100 fdt 200
expect 2 "announce 'x' is not an integer" ./ipmpadm create ipmp0 announce x
expect 2 "announce '-1' is not an integer" ./ipmpadm create ipmp0 announce -1
expect 2 "announce '4294967296' is out of range" ./ipmpadm create ipmp0 announce 4294967296
expect 2 "announce-interval '1s' is not an integer" ./ipmpadm create ipmp0 announce-interval 1s
expect 2 "announce-interval ' 10' is not an integer" ./ipmpadm create ipmp0 announce-interval " 10"
expect 2 "'announce-interval' needs a value" ./ipmpadm create ipmp0 announce 3 announce-interval
expect 2 "'announce' given twice" ./ipmpadm create ipmp0 announce 1 announce 2
expect 2 "'announce-interval' given twice" ./ipmpadm set ipmp0 announce-interval 10 announce-interval 20
expect 2 "unknown setting 'announce_count'" ./ipmpadm set ipmp0 announce_count 3
expect 2 "standby cannot be combined" ./ipmpadm set ipmp0 announce 3 standby on
expect 2 "unknown setting 'mtu'" ./ipmpadm create ipmp0 mtu 1500
expect 2 "missing IPMPIF" ./ipmpadm delete
expect 2 "unexpected 'eth0'" ./ipmpadm delete ipmp0 eth0
expect 2 "missing IF" ./ipmpadm add ipmp0
expect 2 "missing IF" ./ipmpadm add ipmp0 standby
expect 2 "missing IF" ./ipmpadm remove ipmp0
expect 2 "unexpected 'eth1'" ./ipmpadm remove ipmp0 eth0 eth1
expect 2 "nothing to set" ./ipmpadm set ipmp0
expect 2 "standby 'yes' is not valid: use on or off" ./ipmpadm set eth0 standby yes
expect 2 "'standby' needs a value" ./ipmpadm set eth0 standby
expect 2 "standby cannot be combined" ./ipmpadm set eth0 standby on fdt 100
expect 2 "standby cannot be combined" ./ipmpadm set ipmp0 fdt 100 standby on
expect 2 "unexpected 'ipmp1'" ./ipmpadm show ipmp0 ipmp1
expect 2 "unknown option '-x'" ./ipmpadm show -x
expect 2 "missing IF" ./ipmpadm offline
expect 2 "missing IF" ./ipmpadm online
expect 2 "too many arguments" ./ipmpadm offline eth0 eth1
expect 2 "unknown option '-x'" ./ipmpadm online -x
expect 2 "missing add or del" ./ipmpadm test-address
expect 2 "unknown action 'set': use add or del" ./ipmpadm test-address set eth0 192.0.2.31
expect 2 "unknown option '-x'" ./ipmpadm test-address -x
expect 2 "unknown option '-x'" ./ipmpadm test-address add -x 192.0.2.31
expect 2 "missing IF" ./ipmpadm test-address add
expect 2 "missing ADDRESS" ./ipmpadm test-address add eth0
expect 2 "missing ADDRESS" ./ipmpadm test-address del eth0
expect 2 "unexpected 'extra'" ./ipmpadm test-address add eth0 192.0.2.31 extra
expect 2 "'192.0.2.300' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 192.0.2.300/24
expect 2 "'192.0.2' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 192.0.2
expect 2 "'192.0.2.031' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 192.0.2.031
expect 2 "'host.example' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 host.example
expect 2 "'' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 /24
expect 2 "'' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 ""
expect 2 "' 192.0.2.31' is not an IPv4 or IPv6 address" ./ipmpadm test-address add eth0 " 192.0.2.31"
expect 2 "prefix length '33' is out of range: use 0 to 32" ./ipmpadm test-address add eth0 192.0.2.31/33
expect 2 "prefix length '99999999999' is out of range" ./ipmpadm test-address add eth0 192.0.2.31/99999999999
expect 2 "prefix length '-1' is not an integer" ./ipmpadm test-address add eth0 192.0.2.31/-1
expect 2 "prefix length '24x' is not an integer" ./ipmpadm test-address add eth0 192.0.2.31/24x
expect 2 "prefix length '' is not an integer" ./ipmpadm test-address add eth0 192.0.2.31/
expect 2 "prefix length '24/24' is not an integer" ./ipmpadm test-address add eth0 192.0.2.31/24/24
expect 2 "prefix length 'x' is not an integer" ./ipmpadm test-address del eth0 192.0.2.31/x
expect 2 "usage: ipmpadm test-address add IF ADDRESS[/PREFIX]" ./ipmpadm test-address add eth0 192.0.2.31/33
# IPv6: link-local, no prefix on add (an error, 1); one on del is ignored.
expect 1 "ipmpadm: test-address add eth0 fe80::31/64: an IPv6 test address is link-local and takes no /PREFIX" ./ipmpadm test-address add eth0 fe80::31/64
expect 2 "prefix length '129' is out of range: use 0 to 128" ./ipmpadm test-address del eth0 fe80::31/129
expect 1 "ipmp module not loaded" ./ipmpadm test-address del eth0 fe80::1/64
expect 1 "ipmp module not loaded" ./ipmpadm test-address add eth0 fe80::1
expect 2 "missing add or del" ./ipmpadm target
expect 2 "unknown action 'list': use add or del" ./ipmpadm target list ipmp0
expect 2 "unknown option '-x'" ./ipmpadm target -x
expect 2 "unknown option '-x'" ./ipmpadm target del -x 192.0.2.1
expect 2 "missing IPMPIF" ./ipmpadm target add
expect 2 "missing ADDRESS" ./ipmpadm target add ipmp0
expect 2 "missing ADDRESS" ./ipmpadm target del ipmp0
expect 2 "unexpected '192.0.2.2'" ./ipmpadm target add ipmp0 192.0.2.1 192.0.2.2
expect 2 "'192.0.2.256' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 192.0.2.256
expect 2 "'192.0.2' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 192.0.2
expect 2 "'192.0.2.01' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 192.0.2.01
expect 2 "'0x7f.0.0.1' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 0x7f.0.0.1
expect 2 "'router.example' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 router.example
expect 2 "'' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 ""
expect 2 "'192.0.2.1 ' is not an IPv4 or IPv6 address" ./ipmpadm target add ipmp0 "192.0.2.1 "
expect 2 "'192.0.2.1/32' is not an IPv4 or IPv6 address: a target takes no /PREFIX" ./ipmpadm target add ipmp0 192.0.2.1/32
expect 2 "'2001:db8::1/64' is not an IPv4 or IPv6 address: a target takes no /PREFIX" ./ipmpadm target add ipmp0 2001:db8::1/64
expect 2 "usage: ipmpadm target add IPMPIF ADDRESS" ./ipmpadm target del ipmp0 192.0.2.1.1
expect 1 "ipmp module not loaded" ./ipmpadm target add ipmp0 2001:db8::1
expect 1 "ipmp module not loaded" ./ipmpadm target del ipmp0 fe80::1

# restore: the file is parsed and checked against itself before anything
# is asked of the kernel: each problem names FILE:LINE, exit 1.
conf="$out.conf"
# restore_err LINE MESSAGE: the file made of the lines after, from stdin
# and from a file.
restore_err() {
	line=$1 msg=$2
	shift 2
	printf '%s\n' "$@" >"$conf"
	expect 1 "ipmpadm: restore: $conf:$line: $msg" ./ipmpadm restore "$conf"
	expect 1 "ipmpadm: restore: <stdin>:$line: $msg" \
		sh -c './ipmpadm restore <"$1"' sh "$conf"
}
G="create ipmp0 group web fdt 10000 failback yes probing on announce 3 announce-interval 1000"
restore_err 1 "'delete' is not a command restore applies: use create, add, test-address add or target add" \
	"delete ipmp0"
restore_err 3 "fdt 'ten' is not an integer" "# a comment" "" "create ipmp0 fdt ten"
restore_err 2 "fdt 50 is out of range: use 100 to 3600000" "$G" "create ipmp1 fdt 50"
restore_err 1 "fdt 3600001 is out of range: use 100 to 3600000" "create ipmp0 fdt 3600001"
restore_err 1 "announce 256 is out of range: use 0 to 255" "create ipmp0 announce 256"
restore_err 1 "announce-interval 9 is out of range: use 10 to 60000" "create ipmp0 announce-interval 9"
restore_err 1 "failback 'on' is not valid: use yes or no" "create ipmp0 failback on"
restore_err 1 "probing 'yes' is not valid: use on or off" "create ipmp0 probing yes"
restore_err 1 "'fdt' given twice" "create ipmp0 fdt 100 fdt 100"
restore_err 1 "'announce' needs a value" "create ipmp0 announce"
restore_err 1 "unknown setting 'mtu'" "create ipmp0 mtu 1500"
restore_err 1 "create: missing IPMPIF" "   create   "
restore_err 1 "'a/b' is not a valid interface name" "create a/b"
restore_err 1 "'abcdefghijklmnopq' is not a valid interface name" "create abcdefghijklmnopq"
restore_err 1 "group name 'abcdefghijklmnopqrstuvwxyz0123456' is longer than 31 bytes" \
	"create ipmp0 group abcdefghijklmnopqrstuvwxyz0123456"
restore_err 2 "ipmp0 is created twice: first on line 1" "$G" "create ipmp0"
restore_err 2 "'#': a comment takes a whole line" "$G" "add ipmp0 eth0 # the first"
restore_err 1 "'#web': a comment takes a whole line" "create ipmp0 fdt 100 #web"
restore_err 3 "group name 'web' is taken by ipmp0 on line 1" "$G" "" "create ipmp1 group web"
restore_err 2 "group name 'ipmp0' is taken by ipmp0 on line 1" "create ipmp0" "create ipmp1 group ipmp0"
restore_err 1 "ipmp0 is not created on an earlier line: every line must be about a group the file creates" \
	"add ipmp0 eth0"
restore_err 2 "ipmp1 is not created on an earlier line" "$G" "add ipmp1 eth0"
restore_err 2 "add: missing IF" "$G" "add ipmp0 standby"
restore_err 3 "eth0 is added twice: first to ipmp0 on line 2" "$G" "add ipmp0 eth0" "add ipmp0 eth0 standby"
restore_err 4 "eth1 is added twice: first to ipmp0 on line 2" "$G" "add ipmp0 eth0 eth1" "create ipmp1" "add ipmp1 eth1"
restore_err 2 "ipmp0 is a group interface, not a member" "$G" "add ipmp0 ipmp0"
restore_err 5 "eth0 is given an IPv4 test address twice: first on line 4" \
	"$G" "add ipmp0 eth0" "#" "test-address add eth0 192.0.2.31/24" "test-address add eth0 192.0.2.32/24"
restore_err 4 "192.0.2.31 is the test address of eth0 already (line 3)" \
	"$G" "add ipmp0 eth0 eth1" "test-address add eth0 192.0.2.31/24" "test-address add eth1 192.0.2.31/28"
restore_err 2 "eth0 is not added to a group on an earlier line" "$G" "test-address add eth0 192.0.2.31"
restore_err 3 "'192.0.2.300' is not an IPv4 or IPv6 address" "$G" "add ipmp0 eth0" "test-address add eth0 192.0.2.300/24"
restore_err 3 "prefix length '33' is out of range: use 0 to 32" "$G" "add ipmp0 eth0" "test-address add eth0 192.0.2.31/33"
restore_err 3 "an IPv6 test address is link-local and takes no /PREFIX" "$G" "add ipmp0 eth0" "test-address add eth0 fe80::31/64"
restore_err 5 "eth0 is given an IPv6 test address twice: first on line 4" \
	"$G" "add ipmp0 eth0" "test-address add eth0 192.0.2.31/24" "test-address add eth0 fe80::31" "test-address add eth0 fe80::32"
restore_err 4 "fe80::31 is the test address of eth0 already (line 3)" \
	"$G" "add ipmp0 eth0 eth1" "test-address add eth0 fe80::31" "test-address add eth1 fe80::31"
restore_err 3 "test-address del: only 'test-address add' can be restored" "$G" "add ipmp0 eth0" "test-address del eth0 192.0.2.31"
restore_err 3 "test-address add: unexpected 'x'" "$G" "add ipmp0 eth0" "test-address add eth0 192.0.2.31 x"
restore_err 2 "target add: missing ADDRESS" "$G" "target add ipmp0"
restore_err 2 "'192.0.2.1/32' is not an IPv4 or IPv6 address: a target takes no /PREFIX" "$G" "target add ipmp0 192.0.2.1/32"
restore_err 3 "192.0.2.1 is a target of ipmp0 already (line 2)" "$G" "target add ipmp0 192.0.2.1" "target add ipmp0 192.0.2.1"
restore_err 4 "192.0.2.31 is the test address of eth0 already (line 3)" \
	"$G" "add ipmp0 eth0" "test-address add eth0 192.0.2.31/24" "target add ipmp0 192.0.2.31"
restore_err 7 "ipmp0 has 5 IPv4 targets already: a group has at most 5 per address family" "$G" \
	"target add ipmp0 192.0.2.1" "target add ipmp0 192.0.2.2" "target add ipmp0 192.0.2.3" \
	"target add ipmp0 192.0.2.4" "target add ipmp0 192.0.2.5" "target add ipmp0 192.0.2.6"
restore_err 2 "ipmp1 is not created on an earlier line" "$G" "target add ipmp1 192.0.2.1"
printf 'create ipmp0\0\n' >"$conf"
expect 1 "ipmpadm: restore: $conf:1: a NUL byte: not a text file" ./ipmpadm restore "$conf"
expect 1 "ipmpadm: restore: $out.none: No such file or directory" ./ipmpadm restore "$out.none"
expect 2 "unknown option '-x'" ./ipmpadm restore -x
expect 2 "'--only' needs an interface" ./ipmpadm restore --only
expect 2 "'--only' needs an interface" ./ipmpadm restore --only= "$conf"
expect 2 "'--only' given twice" ./ipmpadm restore --only eth0 --only eth1
expect 2 "unexpected 'b'" ./ipmpadm restore a b
expect 2 "usage: ipmpadm save [IPMPIF]" ./ipmpadm save ipmp0 ipmp1
expect 2 "unknown option '-j'" ./ipmpadm save -j
for cmd in save restore; do
	for h in --help -h; do
		./ipmpadm $cmd $h >"$out" 2>&1
		rc=$?
		grep -q "^usage: ipmpadm $cmd" "$out"
		ok $((rc + $?)) "ipmpadm $cmd $h"
	done
done
# A good file gets past the parser: comments, blank lines, CRLF, tabs,
# several members on a line; then the kernel is asked (module absent: the
# "not loaded" error, not a line).
if [ ! -d /sys/module/ipmp ]; then
	printf '%s\r\n' "# saved" "" "$G" "	add ipmp0  eth0 eth1 standby" \
		"test-address add eth0 192.0.2.31/24" "  # x" \
		"target add ipmp0 192.0.2.1" "create ipmp1" "add ipmp1 eth2" >"$conf"
	msg="ipmp module not loaded (generic netlink family ipmp not found)"
	expect 1 "ipmpadm: restore: $conf: $msg" ./ipmpadm restore "$conf"
	expect 1 "ipmpadm: restore: $conf: $msg" ./ipmpadm restore --missing-ok --only eth0 -- "$conf"
	expect 1 "ipmpadm: restore: <stdin>: $msg" sh -c './ipmpadm restore - <"$1"' sh "$conf"
	expect 1 "ipmpadm: $msg" ./ipmpadm save
fi
expect 2 "usage: ipmpstat" ./ipmpstat
expect 2 "only one output format may be specified" ./ipmpstat -g -i
expect 2 "only one output format may be specified" ./ipmpstat -a -g
expect 2 "unknown output field: 'interface'" ./ipmpstat -P -o address,interface -a
expect 2 "unknown option '-x'" ./ipmpstat -x
expect 2 "unknown option '--bogus'" ./ipmpstat --bogus -g
expect 2 "option '-o' needs a value" ./ipmpstat -g -o
expect 2 "unexpected 'extra'" ./ipmpstat -g extra
expect 2 "output fields must be specified in parsable mode" ./ipmpstat -P -g
expect 2 "output field 'all' invalid in parsable mode" ./ipmpstat -P -o all -g
expect 2 "unknown output field: 'bogus'" ./ipmpstat -P -o group,bogus -g
expect 2 "unknown output field: 'bogus'" ./ipmpstat -j -o bogus -g
expect 2 "no valid output fields" ./ipmpstat -o bogus -g
expect 2 "-P and -j cannot be used together" ./ipmpstat -P -j -o group -g
expect 2 "only one output format may be specified" ./ipmpstat -t -i
expect 2 "unknown output field: 'probe'" ./ipmpstat -P -o interface,probe -t
expect 2 "output fields must be specified in parsable mode" ./ipmpstat -P -t
expect 2 "only one output format may be specified" ./ipmpstat -p -i
expect 2 "only one output format may be specified" ./ipmpstat -t -p
expect 2 "output fields must be specified in parsable mode" ./ipmpstat -P -p
expect 2 "output field 'all' invalid in parsable mode" ./ipmpstat -P -o all -p
expect 2 "unknown output field: 'targets'" ./ipmpstat -P -o time,targets -p
expect 2 "unknown output field: 'state'" ./ipmpstat -j -o state -p
expect 2 "no valid output fields" ./ipmpstat -o bogus -p
expect 2 "-P and -j cannot be used together" ./ipmpstat -P -j -o rtt -p
expect 2 "unexpected 'eth0'" ./ipmpstat -p eth0
expect 2 "unknown option '-x'" ./ipmpadm monitor -x
expect 2 "unknown option '-p'" ./ipmpadm monitor -j -p
expect 2 "unexpected 'events'" ./ipmpadm monitor events
expect 2 "unexpected 'probes'" ./ipmpadm monitor probes probes
expect 2 "unexpected 'ipmp0'" ./ipmpadm monitor -j ipmp0
expect 2 "usage: ipmpadm monitor [-j] [probes]" ./ipmpadm monitor probes -j -x
expect 2 "usage: if_mpadm -d IF | -r IF" ./if_mpadm
expect 2 "usage: if_mpadm" ./if_mpadm -x eth0
expect 2 "usage: if_mpadm" ./if_mpadm -d
expect 2 "usage: if_mpadm" ./if_mpadm -d eth0 -r eth0
expect 2 "usage: if_mpadm" ./if_mpadm eth0

# --help and -h: usage on stdout, exit 0.
for cmd in "" show create delete add remove set offline online test-address \
	"test-address add" target "target add" "target del" monitor \
	"monitor probes"; do
	for h in --help -h; do
		./ipmpadm $cmd $h >"$out" 2>&1
		rc=$?
		grep -q "^usage: ipmpadm" "$out"
		ok $((rc + $?)) "ipmpadm $cmd $h"
	done
done
for tool in ipmpstat if_mpadm; do
	for h in --help -h; do
		./$tool $h >"$out" 2>&1
		rc=$?
		grep -q "^usage: $tool" "$out"
		ok $((rc + $?)) "$tool $h"
	done
done
./ipmpadm help >"$out" 2>&1
ok $? "ipmpadm help"

# Output formats on fabricated state.
{
	for args in show show-json show-json-noaddrs \
		"ipmpstat g human" "ipmpstat i human" \
		"ipmpstat g human all" "ipmpstat i human state,INTERFACE" \
		"ipmpstat g human interfaces,bogus,group" \
		"ipmpstat g parsable group,groupname,fdt,interfaces" \
		"ipmpstat g parsable groupname" \
		"ipmpstat i parsable interface,active,group,flags,link,probe,state" \
		"ipmpstat g json" "ipmpstat i json" "ipmpstat i json flags" \
		"ipmpstat a human" "ipmpstat A human" "ipmpstat a human all" \
		"ipmpstat A human outbound,address,inbound" \
		"ipmpstat a parsable address,state,group,inbound,outbound" \
		"ipmpstat A parsable address" "ipmpstat a json" \
		"ipmpstat A json address,inbound" \
		"ipmpstat t human" "ipmpstat T human" "ipmpstat t human all" \
		"ipmpstat t human targets,INTERFACE,bogus" \
		"ipmpstat t parsable interface,mode,testaddr,targets" \
		"ipmpstat T parsable targets" "ipmpstat t json" \
		"ipmpstat T json mode,testaddr" \
		"ipmpstat p human" "ipmpstat P human" "ipmpstat p human all" \
		"ipmpstat P human target,TIME,bogus,rttdev" \
		"ipmpstat p parsable time,interface,probe,netrtt,rtt,rttavg,target,rttdev" \
		"ipmpstat P parsable target" "ipmpstat p json" \
		"ipmpstat P json all" \
		escape monitor monitor-json lost; do
		echo "== $args"
		# shellcheck disable=SC2086
		tests/fmt_test $args 2>&1
	done
} >"$out"
diff -u tests/fmt.expected "$out"
ok $? "output formats match tests/fmt.expected"

# The state of Solaris's documented examples, printed by ipmpstat's rules:
# -g, -i, -an, -nt, -pn, the man page's "ipmpstat -gP -o group,fdt", -o all,
# no header without rows, and the header again after each 24 lines.
{
	for args in "g human" "i human" "a human" "t human" "p human" \
		"g parsable group,fdt" "i human all" "p human all" \
		"i parsable interface,flags,state" "t parsable interface,targets" \
		"a parsable address,outbound" "p parsable interface,rtt,target" \
		"empty g human" "empty i parsable interface" "empty t json" \
		"i human Interface,bogus,STATE,other" pages; do
		echo "== $args"
		# shellcheck disable=SC2086
		tests/solaris_test $args 2>&1
	done
} >"$out"
diff -u tests/solaris.expected "$out"
ok $? "Solaris's examples match tests/solaris.expected"

for args in show-json show-json-noaddrs "ipmpstat g json" \
	"ipmpstat i json" "ipmpstat i json flags" "ipmpstat a json" \
	"ipmpstat A json address,inbound" "ipmpstat t json" \
	"ipmpstat T json mode,testaddr" escape; do
	# shellcheck disable=SC2086
	tests/fmt_test $args | python3 -m json.tool >/dev/null
	ok $? "valid JSON: $args"
done

# -p -j: JSON Lines, one object per line, each with every field asked for.
for args in "ipmpstat p json" "ipmpstat P json all" \
	"ipmpstat p json rtt,TARGET"; do
	# shellcheck disable=SC2086
	tests/fmt_test $args | python3 -c '
import json, sys
want = sys.argv[1].lower().split(",")
lines = sys.stdin.read().splitlines()
assert len(lines) == 5, lines
for line in lines:
    assert list(json.loads(line)) == want, line
' "$(case $args in
	*all) echo time,interface,probe,netrtt,rtt,rttavg,target,rttdev ;;
	*json) echo time,interface,probe,netrtt,rtt,rttavg,target ;;
	*) echo "${args##* }" ;;
	esac)"
	ok $? "one JSON object per line: $args"
done

# The lost-report lines of -p -j and monitor -j are JSON objects too.
tests/fmt_test lost | sed -n '3p;5p' | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert json.loads(lines[0]) == {"lost": True}, lines
assert json.loads(lines[1]) == {"object": "monitor", "event": "lost"}, lines
'
ok $? "the lines saying reports were lost, in JSON"

# monitor -j: JSON Lines, each object with "object" and "event" first,
# then the keys of its kind.
tests/fmt_test monitor-json | python3 -c '
import json, sys
group = ["ifname", "ifindex", "group", "state", "fdt", "fdt_current",
         "failback", "probing"]
member = ["group", "ifname", "ifindex", "state", "link", "probe", "active",
          "standby", "flags"]
keys = {
    "group": {"created": group, "changed": group, "deleted": group},
    "member": {"added": member, "changed": member, "removed": member},
    "address": {e: ["group", "address", "prefixlen", "family", "state",
                    "inbound"] for e in ("bound", "unbound", "removed")},
    "probe": {e: ["group", "ifname", "target", "seq", "netrtt_us", "rtt_us",
                  "rttavg_us", "rttdev_us"] for e in ("answered", "lost")},
}
seen = set()
lines = sys.stdin.read().splitlines()
assert len(lines) == 19, len(lines)
for line in lines:
    o = json.loads(line)
    k = list(o)
    assert k[:2] == ["object", "event"], line
    want = keys[o["object"]][o["event"]]
    assert [x for x in k if x in want] == want, (want, line)
    assert (o["event"] == "unbound") == (o.get("inbound", 0) is None), line
    seen.add((o["object"], o["event"]))
assert len(seen) == 11, seen
'
ok $? "monitor -j: one JSON object per line, with object, event and its keys"

tests/nl_test >"$out"
rc=$?
sed 's/^/# nl_test: /' "$out"
ok $rc "netlink layer against nlctrl"

# Without the module: "not loaded", exit 1.
if [ ! -d /sys/module/ipmp ]; then
	msg="ipmp module not loaded (generic netlink family ipmp not found)"
	expect 1 "ipmpadm: $msg" ./ipmpadm
	expect 1 "ipmpadm: $msg" ./ipmpadm show -j
	expect 1 "ipmpadm: $msg" ./ipmpadm create ipmp0 fdt 100
	expect 1 "ipmpadm: $msg" ./ipmpadm add ipmp0 lo standby
	expect 1 "ipmpadm: $msg" ./ipmpadm set lo standby on
	expect 1 "ipmpadm: $msg" ./ipmpadm set lo announce 3 announce-interval 10
	expect 1 "ipmpadm: $msg" ./ipmpadm offline lo
	expect 1 "ipmpadm: $msg" ./ipmpadm online lo
	expect 1 "ipmpadm: $msg" ./ipmpadm test-address add lo 192.0.2.31/24
	expect 1 "ipmpadm: $msg" ./ipmpadm test-address del lo 192.0.2.31
	expect 1 "ipmpadm: $msg" ./ipmpadm target add lo 192.0.2.1
	expect 1 "ipmpadm: $msg" ./ipmpadm target del lo 192.0.2.1
	expect 1 "ipmpstat: $msg" ./ipmpstat -t
	expect 1 "ipmpstat: $msg" ./ipmpstat -g
	expect 1 "ipmpstat: $msg" ./ipmpstat -P -o interface -i
	expect 1 "ipmpstat: $msg" ./ipmpstat -n -a
	expect 1 "ipmpstat: $msg" ./ipmpstat -p
	expect 1 "ipmpstat: $msg" ./ipmpstat -j -n -p
	expect 1 "ipmpadm: $msg" ./ipmpadm monitor
	expect 1 "ipmpadm: $msg" ./ipmpadm monitor -j probes
	expect 1 "if_mpadm: $msg" ./if_mpadm -d lo
	expect 1 "if_mpadm: $msg" ./if_mpadm -r lo
fi

echo "1..$n"
exit $failed
