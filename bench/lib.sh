# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh: what the benchmarks share: their messages and exit statuses,
# the check of their options, the tools, the netns and the bridged
# topology they measure on, and a few small helpers.  A benchmark sets
# TOP (the top of the tree) and BENCH (its name, the prefix of its
# messages), then
#
#   # shellcheck source-path=SCRIPTDIR source=lib.sh
#   . "$TOP/bench/lib.sh"

IPMPADM=${IPMPADM:-${TOP:?}/tools/ipmpadm}
IPMPSTAT=${IPMPSTAT:-$TOP/tools/ipmpstat}

# The options: the part of the header from "#   bench/NAME.sh" to "# Exit
# status", then exit $1.
usage() {
	sed -n "/^#   bench\/${BENCH:?}.sh/,/^# Exit status/{/^# Exit/d; s/^# \{0,3\}//p}" "$0"
	exit "${1:-0}"
}

# Options "$@" by the table $1: words LETTER:VARIABLE, each option with a
# value for its variable; and -h, the usage.
options() {
	local _table=$1 _spec=h _w _opt
	shift
	for _w in $_table; do
		_spec+=${_w%%:*}:
	done
	while getopts "$_spec" _opt; do
		case $_opt in
		h) usage 0 ;;
		\?) usage 2 >&2 ;;
		esac
		for _w in $_table; do
			[[ ${_w%%:*} != "$_opt" ]] || printf -v "${_w#*:}" '%s' "$OPTARG"
		done
	done
}

# A usage error: exit 2.
bad() {
	echo "${BENCH:?}: $*" >&2
	exit 2
}

# Each variable named is a whole number, or a usage error.
numbers() {
	local v
	for v; do
		[[ ${!v} =~ ^[0-9]+$ ]] || bad "$v '${!v}' is not a number"
	done
}

# Could not measure: exit 1.
die() {
	echo "${BENCH:?}: cannot measure: $*" >&2
	exit 1
}

# A line of the report on stdout.
say() {
	printf '%s\n' "$*"
}

# The ipmp module, loaded unless it is there (built in, or loaded by hand).
load_ipmp() {
	[[ -d /sys/module/ipmp ]] || modprobe ipmp || die "cannot load ipmp"
}

# What the guest runs on: the hypervisor the kernel found, or a note that
# there is none but the CPU says so (QEMU TCG), or nothing (bare metal).
guest_hypervisor() {
	local hv
	hv=$(dmesg | sed -n 's/.*Hypervisor detected: //p' | head -n 1)
	if [[ -z $hv ]] && grep -qw hypervisor /proc/cpuinfo; then
		hv="none found: software emulation (QEMU TCG)"
	fi
	echo "$hv"
}

# Module parameter file $1 at 0 while the benchmark runs, if it can be
# written; restore_param puts the value it had back.
PARAM=
PARAM_SAVED=
zero_param() {
	[[ -w $1 ]] || return 0
	PARAM=$1
	PARAM_SAVED=$(<"$1")
	echo 0 >"$1"
}

restore_param() {
	[[ -z $PARAM_SAVED ]] || echo "$PARAM_SAVED" >"$PARAM"
}

# Stop process $1, if there is one, and reap it.
reap() {
	[[ -z $1 ]] || { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }
}

# Sleep $1 milliseconds.
sleep_ms() {
	sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

# The value of field $1 in the one-line JSON object on stdin.
jfield() {
	sed "s/.*\"$1\": *\\([^,}]*\\).*/\\1/"
}

# No IPv6: its start-up chatter (DAD, MLD, router solicitations) would
# land in some measurements and not in others.
make_ns() {
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" link set lo up
}

# Delete the netns named, those that are there.
del_ns() {
	local ns
	for ns; do
		ip netns del "$ns" 2>/dev/null || true
	done
}

# Netns $H and $SW, and a bridge br0 in $SW with ports p1 .. p$1, veth
# peers of the members e1 .. e$1 in $H (left down); then for each
# PORT:NETNS[:ADDRESS/LEN] a port PORT whose peer is eth0 in a netns of
# its own, up, with the address if one is given.
bridge_topology() {
	local n=$1 i spec port ns cidr
	shift
	make_ns "$H"
	make_ns "$SW"
	for spec; do
		IFS=: read -r _ ns _ <<<"$spec"
		make_ns "$ns"
	done
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for ((i = 1; i <= n; i++)); do
			echo "link add p$i type veth peer name e$i netns $H"
			echo "link set p$i master br0 up"
		done
		for spec; do
			IFS=: read -r port ns _ <<<"$spec"
			echo "link add $port type veth peer name eth0 netns $ns"
			echo "link set $port master br0 up"
		done
	} | ip -n "$SW" -batch -
	for spec; do
		IFS=: read -r _ ns cidr <<<"$spec"
		ip -n "$ns" link set eth0 up
		[[ -z $cidr ]] || ip -n "$ns" addr add "$cidr" dev eth0
	done
}

# The member in use, e1 or e2, under master $MASTER (ipmp0, bond0 or
# team0) in netns $H: for ipmp the member data address $ADDR is bound to,
# for bond the active slave, for team the active port.
active() {
	local in_h=(ip netns exec "$H")
	case $MASTER in
	ipmp0) "${in_h[@]}" "$IPMPSTAT" -n -a -P -o ADDRESS,INBOUND | sed -n "s/^$ADDR://p" ;;
	bond0) "${in_h[@]}" cat /sys/class/net/bond0/bonding/active_slave ;;
	team0) "${in_h[@]}" teamdctl team0 state item get runner.active_port ;;
	esac
}
