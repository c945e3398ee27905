# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh: helpers for the ipmp selftests (bash).  A test starts with
#
#	#!/bin/bash
#	source "$(dirname "$0")/lib.sh"
#
# and prints KTAP, one line per check, which the kselftest runner nests
# under its "# " prefix and selftests/check counts:
#
#	ktap_header                   "TAP version 13" (printed on first use if not called)
#	ktap_plan N                   optional "1..N"; ktap_finish prints it otherwise
#	ok DESC                       record a pass
#	fail DESC [WHY]               record a failure
#	skip DESC WHY                 record a skip
#	check DESC CMD...             pass if CMD succeeds
#	check_fail DESC CMD...        pass if CMD fails
#	check_err DESC TEXT CMD...    pass if CMD fails and its stderr contains TEXT
#	wait_for DESC SECS CMD...     pass once CMD succeeds (polled every 50 ms),
#	                              fail if it has not within SECS (may be 0.5)
#	ktap_finish                   "# Totals: ...", then exit 0 if nothing failed,
#	                              4 (kselftest skip) if everything was skipped, else 1
#	skip_all WHY                  "1..0 # SKIP WHY", exit 4
#	diag [MSG]                    MSG, or each line of stdin, as "# ..." lines
#
# CMD is a command with its arguments, a shell function included; its output
# is shown (as "# " diagnostics) only when the check fails.  Use a function
# or `sh -c '...'` for pipelines.  Nothing here needs set -e, but a test may
# use it: a command that fails outside a check then ends the test with a
# "not ok" naming the command and its line.
#
# Environment:
#	setup_ns NAME...              create netns "NAME-$$" (lo up) for each NAME
#	                              and store that name in the variable NS_NAME
#	in_ns NS CMD...               run CMD in netns NS
#	add_veth IF PEER PEER_NS [IF_NS]
#	                              veth pair IF (in IF_NS, default the current
#	                              netns) and PEER (moved to PEER_NS), both up
#	switch_new SW                 a bridge br0, up, in netns SW: the switch
#	switch_port SW NS IF PORT     veth IF in netns NS (down), its peer PORT a
#	                              port of SW's br0 (up, with an ingress qdisc)
#	switch_host SW NS PORT ADDR   a host on the switch: NS's eth0 with address
#	                              ADDR (CIDR), up, its peer PORT on br0
#	port_drop SW PORT             the switch drops what arrives at PORT (tc)
#	port_pass SW PORT             and forwards it again
#	ipv4_only NS IF               the group device IF in netns NS speaks no IPv6:
#	                              its members probe over IPv4 only
#	defer CMD...                  run CMD at exit (last deferred runs first)
#	poll SECS CMD...              status 0 once CMD succeeds, 1 after SECS
#	dmesg_mark                    remember this point of the kernel log
#	dmesg_since_mark              kernel messages since the mark, no timestamps
#	dmesg_has TEXT                status 0 if a message since the mark has TEXT
#	dmesg_since_mark_grep TEXT    the same
#	is_up NS IF                   status 0 if IF in netns NS is administratively up
#	has_master NS IF MASTER       status 0 if IF in netns NS is enslaved to MASTER
#	ipmpstat_is NS -g|-i|-a|-t FIELDS LINE
#	                              status 0 if `ipmpstat -P -o FIELDS` in netns NS
#	                              prints the line LINE (e.g. ipmp0:ok)
#	nl_joined NS PID              status 0 once process PID in netns NS has a
#	                              netlink socket in a multicast group
#	require_cmd CMD...            skip_all unless every CMD is installed
#	$IPMPADM $IPMPSTAT $IF_MPADM  the tools built in the project's tools/
#	$SELFTEST_DIR                 this directory
#
# At exit, whatever the way out, `cleanup` runs the deferred commands and
# deletes the namespaces made by setup_ns, the veths made by add_veth and any
# ipmp link left in the initial namespace.

SELFTEST_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
IPMP_TOP=${SELFTEST_DIR%/*}
IPMPADM=${IPMPADM:-$IPMP_TOP/tools/ipmpadm}
IPMPSTAT=${IPMPSTAT:-$IPMP_TOP/tools/ipmpstat}
IF_MPADM=${IF_MPADM:-$IPMP_TOP/tools/if_mpadm}

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_ktap_started=0
_ktap_plan=
_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0
_ktap_finished=0
_lib_netns=()
_lib_links=()
_lib_deferred=()
_lib_mark=
_lib_nmark=0
_lib_err_cmd=
_lib_err_line=
_lib_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipmp-selftest.XXXXXX")

ktap_header() {
	((_ktap_started)) && return
	_ktap_started=1
	echo "TAP version 13"
}

ktap_plan() {
	ktap_header
	_ktap_plan=$1
	echo "1..$1"
}

# One result line; the description may not span lines.
_ktap_result() {
	local status=$1 desc=${2//$'\n'/ } directive=${3:-}

	ktap_header
	_ktap_n=$((_ktap_n + 1))
	echo "$status $_ktap_n $desc${directive:+ # $directive}"
}

# Diagnostics: each line of stdin as "# line", at most 25 lines.
diag() {
	if (($#)); then
		echo "# $*"
	else
		head -n 25 | sed 's/^/# /'
	fi
}

ok() {
	_ktap_pass=$((_ktap_pass + 1))
	_ktap_result ok "$1"
}

fail() {
	_ktap_fail=$((_ktap_fail + 1))
	_ktap_result "not ok" "$1"
	[[ -z ${2:-} ]] || diag "$2"
}

skip() {
	_ktap_skip=$((_ktap_skip + 1))
	_ktap_result ok "$1" "SKIP ${2:-}"
}

check() {
	local desc=$1 rc=0
	shift
	"$@" >"$_lib_tmp/out" 2>&1 || rc=$?
	if ((rc == 0)); then
		ok "$desc"
	else
		fail "$desc" "'$*' exited $rc"
		diag <"$_lib_tmp/out"
	fi
}

check_fail() {
	local desc=$1 rc=0
	shift
	"$@" >"$_lib_tmp/out" 2>&1 || rc=$?
	if ((rc != 0)); then
		ok "$desc"
	else
		fail "$desc" "'$*' succeeded but should have failed"
		diag <"$_lib_tmp/out"
	fi
}

check_err() {
	local desc=$1 text=$2 rc=0
	shift 2
	"$@" >"$_lib_tmp/out" 2>"$_lib_tmp/err" || rc=$?
	if ((rc == 0)); then
		fail "$desc" "'$*' succeeded but should have failed with: $text"
		diag <"$_lib_tmp/out"
	elif grep -qF -- "$text" "$_lib_tmp/err"; then
		ok "$desc"
	else
		fail "$desc" "'$*' exited $rc, but its stderr lacks: $text"
		diag <"$_lib_tmp/err"
	fi
}

# Microseconds since the epoch; SECS may have a fraction.
_usecs_now() {
	local t=${EPOCHREALTIME//[!0-9]/}
	echo "$((10#$t))"
}

_usecs() {
	local i=${1%%.*} f=
	[[ $1 != *.* ]] || f=${1#*.}
	f=${f}000000
	echo "$((10#${i:-0} * 1000000 + 10#${f:0:6}))"
}

poll() {
	local end
	end=$(($(_usecs_now) + $(_usecs "$1")))
	shift
	while :; do
		"$@" >"$_lib_tmp/poll" 2>&1 && return 0
		(($(_usecs_now) < end)) || return 1
		sleep 0.05
	done
}

wait_for() {
	local desc=$1 secs=$2
	shift 2
	if poll "$secs" "$@"; then
		ok "$desc"
	else
		fail "$desc" "'$*' still failing after $secs s"
		diag <"$_lib_tmp/poll"
	fi
}

ktap_finish() {
	local rc=$KSFT_PASS

	ktap_header
	[[ -n $_ktap_plan ]] || echo "1..$_ktap_n"
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:0"
	if [[ -n $_ktap_plan ]] && ((_ktap_plan != _ktap_n)); then
		echo "# planned $_ktap_plan checks but ran $_ktap_n"
		rc=$KSFT_FAIL
	elif ((_ktap_fail)); then
		rc=$KSFT_FAIL
	elif ((_ktap_pass == 0 && _ktap_skip)); then
		rc=$KSFT_SKIP
	elif ((_ktap_pass == 0)); then
		echo "# no check ran"
		rc=$KSFT_FAIL
	fi
	_ktap_finished=1
	exit "$rc"
}

skip_all() {
	ktap_header
	echo "1..0 # SKIP $*"
	_ktap_finished=1
	exit "$KSFT_SKIP"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip_all "$c is not installed"
	done
}

setup_ns() {
	local name ns
	for name in "$@"; do
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || {
			echo "setup_ns: '$name' is not a shell variable name" >&2
			return 1
		}
		ns=$name-$$
		ip netns add "$ns" || return
		_lib_netns+=("$ns")
		ip -n "$ns" link set lo up || return
		printf -v "NS_$name" '%s' "$ns"
	done
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

add_veth() {
	local ifname=$1 peer=$2 peer_ns=$3 if_ns=${4:-}
	local ip=(ip)

	[[ -z $if_ns ]] || ip+=(-n "$if_ns")
	"${ip[@]}" link add "$ifname" type veth peer name "$peer" netns "$peer_ns" || return
	[[ -n $if_ns ]] || _lib_links+=("$ifname")
	"${ip[@]}" link set "$ifname" up &&
		ip -n "$peer_ns" link set "$peer" up
}

switch_new() {
	ip -n "$1" link add br0 type bridge &&
		ip -n "$1" link set br0 up
}

switch_port() {
	local sw=$1 ns=$2 ifname=$3 port=$4

	ip -n "$ns" link add "$ifname" type veth peer name "$port" netns "$sw" &&
		ip -n "$sw" link set "$port" master br0 up &&
		ip netns exec "$sw" tc qdisc add dev "$port" ingress
}

switch_host() {
	local sw=$1 ns=$2 port=$3 addr=$4

	switch_port "$sw" "$ns" eth0 "$port" &&
		ip -n "$ns" link set eth0 up &&
		ip -n "$ns" addr add "$addr" dev eth0
}

port_drop() {
	ip netns exec "$1" tc filter add dev "$2" ingress pref 1 matchall action drop
}

port_pass() {
	ip netns exec "$1" tc filter del dev "$2" ingress pref 1
}

ipv4_only() {
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
}

defer() {
	local cmd
	printf -v cmd '%q ' "$@"
	_lib_deferred+=("$cmd")
}

# Capture $3... (tcpdump options and filter) on interface $2 in netns $1,
# to the file $_lib_tmp/$2.$1.cap; the capture's pid in $cap_pid.
capture() {
	local ns=$1 dev=$2 file=$_lib_tmp/$2.$1
	shift 2
	ip netns exec "$ns" tcpdump -i "$dev" -U -B 65536 -s 64 -w "$file.cap" \
		"$@" >/dev/null 2>"$file.err" &
	cap_pid=$!
	wait_for "a capture on $dev is running" 30 grep -q 'listening on' "$file.err"
}
# Stop capture $1 (pid) of file $2 and show what tcpdump said of it.
capture_end() {
	kill -INT "$1"
	wait "$1" || true
	grep -v '^$' "$2.err" | diag
}

dmesg_mark() {
	_lib_nmark=$((_lib_nmark + 1))
	_lib_mark="ipmp-selftest: mark $$.$_lib_nmark"
	echo "$_lib_mark" >/dev/kmsg
}

dmesg_since_mark() {
	if [[ -z $_lib_mark ]]; then
		dmesg -t
	else
		dmesg -t | sed -n "\\|^$_lib_mark\$|,\$p" | sed 1d
	fi
}

dmesg_has() {
	dmesg_since_mark | grep -qF -- "$1"
}

dmesg_since_mark_grep() {
	dmesg_has "$@"
}

is_up() {
	ip -n "$1" -o link show dev "$2" | grep -q '[<,]UP[,>]'
}

has_master() {
	ip -n "$1" -o link show dev "$2" | grep -q " master $3 "
}

# nl_joined NS PID: process PID (in NS) has a netlink socket in a multicast
# group, such as ipmpadm monitor or ipmpstat -p once they listen.
nl_joined() {
	local fd ino
	for fd in /proc/"$2"/fd/*; do
		ino=$(readlink "$fd") || continue
		[[ $ino == socket:\[*\] ]] || continue
		ino=${ino#socket:[}
		ip netns exec "$1" awk -v ino="${ino%]}" '$10 == ino && $4 != "00000000" { f = 1 }
			END { exit !f }' /proc/net/netlink && return 0
	done
	return 1
}

ipmpstat_is() {
	ip netns exec "$1" "$IPMPSTAT" "$2" -P -o "$3" | grep -qxF -- "$4"
}

cleanup() {
	local rc=$? i l frc
	set +e
	trap - EXIT
	if ((!_ktap_finished)); then
		if ((rc != 0)); then
			_ktap_fail=$((_ktap_fail + 1))
			if [[ -n $_lib_err_cmd ]]; then
				_ktap_result "not ok" \
					"${0##*/} ended early: '$_lib_err_cmd' failed at line $_lib_err_line (exit $rc)"
			else
				_ktap_result "not ok" "${0##*/} ended early with exit status $rc"
			fi
		fi
		(ktap_finish)
		frc=$?
		((rc != 0)) || rc=$frc
	fi
	for ((i = ${#_lib_deferred[@]} - 1; i >= 0; i--)); do
		eval "${_lib_deferred[i]}" >/dev/null 2>&1
	done
	for l in "${_lib_links[@]}"; do
		ip link del "$l" 2>/dev/null
	done
	for l in $(ip -o link show type ipmp 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		ip link del "$l" 2>/dev/null
	done
	for l in "${_lib_netns[@]}"; do
		ip netns del "$l" 2>/dev/null
	done
	rm -rf "$_lib_tmp"
	exit "$rc"
}

set -o errtrace
trap '_lib_err_cmd=$BASH_COMMAND; _lib_err_line=$LINENO' ERR
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
