#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# memory.sh: the kernel memory an ipmp group, a member and a data address
# take, against a bonding device, a bonding slave and an address on a
# bond, measured the same way in the same guest.
#
# A reading: sync, drop the caches (so that dentries and inodes freed by
# the last step go), wait 1 s (for RCU callbacks), and read /proc/meminfo:
#   slab    Slab: kmalloc and the other caches, where all of these objects
#           are (a net_device with its private area is one kmalloc of up
#           to 8 KB, which SLUB still serves from a cache)
#   percpu  Percpu: per-CPU chunks (a device's statistics)
#   used    MemTotal - MemFree - Buffers - Cached, as a cross-check: it
#           sees page-allocator allocations too, but also the pages that
#           wait on the per-CPU free lists, and is the noisier
# The figure of an object (bytes) is the difference in slab + percpu
# between two readings around making COUNT of them, divided by COUNT;
# after deleting them a third reading says what did not come back (kept
# in the caches' partial slabs, or leaked).
#
# Cases, each in a fresh netns me-h (IPv6 off in it):
#   group    G devices made with one `ip -batch` (link add NAME type
#            ipmp | bond | dummy), down; dummy is the bare net_device
#   member   M veth pairs (peers in netns me-p) up; then a group (or a
#            bond) with the M veths as members (slaves), up
#   address  a group (bond, dummy) with 2 members (slaves), up, then A
#            IPv4 addresses on it with one `ip -batch`
# Each case runs R rounds (-r), the systems in an order rotated each
# round; the figures are the medians.  Loading
# bench/sizes/ipmp_sizes.ko (built by bench/run) logs sizeof of the
# structures: what the measured figures are compared with.
#
# Run as root in a throwaway guest (it loads bonding and dummy):
#
#   bench/memory.sh [-g GROUPS] [-m MEMBERS] [-a ADDRESSES] [-r ROUNDS]
#                   [-o FILE.json]
#
#   defaults: 1000 groups, 128 members, 10000 addresses, 2 rounds
#
# Exit status: 0 when it measured, 1 when it could not, 2 on usage
# errors; the figures never fail it.
set -euo pipefail

TOP=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=memory
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$TOP/bench/lib.sh"
SIZES_KO=${SIZES_KO:-$TOP/bench/sizes/ipmp_sizes.ko}

groups=1000
members=128
addresses=10000
rounds=2
json=

options "g:groups m:members a:addresses r:rounds o:json" "$@"
numbers groups members addresses rounds
((groups >= 1 && groups <= 20000 && members >= 2 && members <= 1000 &&
	addresses >= 1 && addresses <= 60000 && rounds >= 1)) ||
	bad "groups 1 to 20000, members 2 to 1000, addresses 1 to 60000, rounds >= 1"

H=me-h
P=me-p
WORK=$(mktemp -d /tmp/memory.XXXXXX)

cleanup() {
	set +e
	del_ns "$H" "$P"
	rmmod ipmp_sizes 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

h() { ip netns exec "$H" "$@"; }

fresh_ns() {
	del_ns "$H" "$P"
	settle
	make_ns "$H"
	make_ns "$P"
}

settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	echo 3 >/proc/sys/vm/drop_caches
}

# A reading: "KERNEL_KB SLAB_KB PERCPU_KB USED_KB", KERNEL = SLAB + PERCPU.
reading() {
	settle
	awk '{ v[$1] = $2 } END {
		print v["Slab:"] + v["Percpu:"], v["Slab:"], v["Percpu:"],
			v["MemTotal:"] - v["MemFree:"] - v["Buffers:"] - v["Cached:"]
	}' /proc/meminfo
}

# The difference of two readings, in bytes an object:
# "BYTES SLAB PERCPU USED".
per_object() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= 4; i++)
			printf "%.0f%s", (y[i] - x[i]) * 1024 / n, i < 4 ? " " : "\n"
	}'
}

# What a deletion did not give back, in KB of slab + percpu.
kept_kb() {
	awk -v a="$1" -v c="$2" 'BEGIN { split(a, x, " "); split(c, z, " "); print z[1] - x[1] }'
}

# SAMPLES holds "CASE SYSTEM BYTES SLAB PERCPU USED KEPT_KB" lines.
SAMPLES=()
record() {
	local case=$1 sys=$2 before=$3 after=$4 n=$5 gone=$6 po
	po=$(per_object "$before" "$after" "$n")
	SAMPLES+=("$case $sys $po $(kept_kb "$before" "$gone")")
	read -r -a po <<<"$po"
	printf '  %-8s %-6s %6d x: %8d bytes each (slab %8d, percpu %6d; used %8d); %6d KB not back after deleting\n' \
		"$case" "$sys" "$n" "${po[0]}" "${po[1]}" "${po[2]}" "${po[3]}" "$(kept_kb "$before" "$gone")"
}

# Groups: G devices of kind $1 (ipmp, bond, dummy).
case_group() {
	local kind=$1 i b a c
	fresh_ns
	for ((i = 0; i < groups; i++)); do
		echo "link add x$i type $kind"
	done >"$WORK/add"
	for ((i = 0; i < groups; i++)); do
		echo "link del x$i"
	done >"$WORK/del"
	b=$(reading)
	ip -n "$H" -batch "$WORK/add" || die "could not make $groups $kind devices"
	(($(ip -n "$H" -o link show type "$kind" | wc -l) == groups)) || die "not $groups $kind devices"
	a=$(reading)
	ip -n "$H" -batch "$WORK/del" || die "could not delete the $kind devices"
	c=$(reading)
	record group "$kind" "$b" "$a" "$groups" "$c"
}

# The M veth pairs, up: e1 .. eM in me-h.
make_veths() {
	local i
	for ((i = 1; i <= members; i++)); do
		echo "link add e$i type veth peer name q$i netns $P"
		echo "link set e$i up"
	done | ip -n "$H" -batch - || die "could not make $members veth pairs"
	for ((i = 1; i <= members; i++)); do
		echo "link set q$i up"
	done | ip -n "$P" -batch -
}

# A master $2 of kind $1 (ipmp, bond) with members e1 .. e$3, up.
make_master() {
	local kind=$1 name=$2 n=$3 i list=()
	case $kind in
	ipmp)
		for ((i = 1; i <= n; i++)); do
			list+=("e$i")
		done
		h "$IPMPADM" create "$name" probing off
		((n == 0)) || h "$IPMPADM" add "$name" "${list[@]}"
		;;
	bond)
		h ip link add "$name" type bond mode active-backup miimon 100
		for ((i = 1; i <= n; i++)); do
			echo "link set e$i down"
			echo "link set e$i master $name"
		done | ip -n "$H" -batch -
		;;
	dummy)
		h ip link add "$name" type dummy
		;;
	esac
	h ip link set "$name" up
	for ((i = 1; i <= n; i++)); do
		echo "link set e$i up"
	done | ip -n "$H" -batch -
}

# Members: M members (slaves) of one group (bond) of kind $1.
case_member() {
	local kind=$1 b a c
	fresh_ns
	make_veths
	case $kind in
	ipmp) h "$IPMPADM" create m0 probing off ;;
	bond) h ip link add m0 type bond mode active-backup miimon 100 ;;
	esac
	h ip link set m0 up
	b=$(reading)
	h ip link del m0
	make_master "$kind" m0 "$members"
	(($(ip -n "$H" -o link show master m0 | wc -l) == members)) || die "m0 ($kind) has not $members members"
	a=$(reading)
	h ip link del m0
	make_master "$kind" m0 0
	c=$(reading)
	record member "$kind" "$b" "$a" "$members" "$c"
}

# Addresses: A addresses on a group (bond, dummy) with 2 members.
case_address() {
	local kind=$1 i b a c n members_saved
	fresh_ns
	members_saved=$members
	members=2
	make_veths
	members=$members_saved
	make_master "$kind" m0 2
	for ((i = 0; i < addresses; i++)); do
		n=$((0x0a010001 + i))
		echo "addr add $((n >> 24)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))/16 dev m0"
	done >"$WORK/add"
	b=$(reading)
	ip -n "$H" -batch "$WORK/add" || die "could not add $addresses addresses to $kind"
	(($(ip -n "$H" -o -4 addr show dev m0 | wc -l) == addresses)) || die "m0 ($kind) has not $addresses addresses"
	a=$(reading)
	# Not addr flush: with thousands of addresses its dump runs out of
	# buffer space (ENOBUFS).  Last first: deleting the primary address
	# deletes its secondaries with it.
	tac "$WORK/add" | sed 's/^addr add /addr del /' | ip -n "$H" -batch - ||
		die "could not delete the addresses of $kind"
	c=$(reading)
	record address "$kind" "$b" "$a" "$addresses" "$c"
}

# sizeof from ipmp_sizes.ko: SIZES, "NAME SIZEOF KMALLOC" lines.
SIZES=
read_sizes() {
	[[ -r $SIZES_KO ]] || { say "  (no $SIZES_KO: bench/run builds it; no sizeof figures)"; return 0; }
	dmesg -C 2>/dev/null || true
	insmod "$SIZES_KO" || { say "  (cannot load $SIZES_KO: no sizeof figures)"; return 0; }
	SIZES=$(dmesg | sed -n 's/.*ipmp_sizes: \([a-z_+]*\) sizeof \([0-9]*\) kmalloc \([0-9]*\)$/\1 \2 \3/p')
	rmmod ipmp_sizes
	while read -r n s k; do
		[[ -z $n ]] || printf '  sizeof(%s) = %d, in a kmalloc bucket of %d\n' "$n" "$s" "$k"
	done <<<"$SIZES"
}

[[ -x $IPMPADM ]] || die "$IPMPADM is not built"
load_ipmp
modprobe bonding max_bonds=0 2>/dev/null || modprobe bonding || die "cannot load bonding"
modprobe dummy numdummies=0 2>/dev/null || modprobe dummy || die "cannot load dummy"
modprobe veth || true
start=$SECONDS
hypervisor=$(guest_hypervisor)
say "memory: $groups groups, $members members, $addresses addresses, $rounds rounds; $(nproc) CPUs, kernel $(uname -r)"
say "structure sizes:"
read_sizes
# A first pass that is not kept: the caches (kmalloc slabs, per-CPU
# chunks, kernfs) grow to their working size.
say "warm-up (not kept):"
case_group ipmp
SAMPLES=()
# The systems take turns at going first: what one leaves in the caches'
# partial slabs the next one reuses.
rotate() {
	local r=$1 i
	shift
	for ((i = 0; i < $#; i++)); do
		echo "${@:((i + r) % $# + 1):1}"
	done
}
for ((r = 1; r <= rounds; r++)); do
	say "round $r:"
	for k in $(rotate "$r" ipmp bond dummy); do
		case_group "$k"
	done
	for k in $(rotate "$r" ipmp bond); do
		case_member "$k"
	done
	for k in $(rotate "$r" ipmp bond dummy); do
		case_address "$k"
	done
done
elapsed=$((SECONDS - start))
say "memory: $elapsed s"

[[ -n $json ]] || exit 0
{
	printf '{\n'
	printf '  "benchmark": "memory",\n'
	printf '  "parameters": {"groups": %d, "members": %d, "addresses": %d, "rounds": %d},\n' \
		"$groups" "$members" "$addresses" "$rounds"
	printf '  "guest": {"kernel": "%s", "cpus": %d, "mem_total_kb": %d, "hypervisor": "%s"},\n' \
		"$(uname -r)" "$(nproc)" "$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" "${hypervisor:-none}"
	printf '  "sizes": {'
	sep=
	while read -r n s k; do
		[[ -z $n ]] || { printf '%s"%s": {"sizeof": %d, "kmalloc": %d}' "$sep" "$n" "$s" "$k"; sep=', '; }
	done <<<"$SIZES"
	printf '},\n'
	printf '  "samples": [\n'
	for ((i = 0; i < ${#SAMPLES[@]}; i++)); do
		read -r c s u sl pc us kept <<<"${SAMPLES[i]}"
		printf '    {"case": "%s", "system": "%s", "bytes": %d, "slab_bytes": %d, "percpu_bytes": %d, "used_bytes": %d, "kept_kb": %d}%s\n' \
			"$c" "$s" "$u" "$sl" "$pc" "$us" "$kept" "$( ((i + 1 < ${#SAMPLES[@]})) && echo ,)"
	done
	printf '  ],\n'
	printf '  "elapsed_s": %d\n}\n' "$elapsed"
} >"$json"
