#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family under random and mutated requests (genl-fuzz.c):
# every command, wrong attribute types and lengths, nested garbage, unknown
# attributes, bad headers and flags, dumps abandoned halfway, and a racer
# churning groups, members, test addresses, targets, data addresses and
# member devices meanwhile.  Every answer must be a well-formed ack, error or
# reply; the kernel log must stay clean; afterwards the module still works
# and unloads (no reference leaked).
#
#   ns "f": lo, 24 groups fzp* with a member each, what the fuzzer and its
#           racer create and delete (fzg*, fzr*, fzv*/fzq*)
#
# FUZZ_COUNT requests (default 50000, about 2 minutes in CI's guest), FUZZ_SEED
# (default: from the clock), e.g.
#
#	selftests/vm-run -- FUZZ_COUNT=100000 FUZZ_SEED=7 bash selftests/fuzz.sh
#
# A failure prints the request in hex and the command that replays it.
source "$(dirname "$0")/lib.sh"

COUNT=${FUZZ_COUNT:-50000}
SEED=${FUZZ_SEED:-$(date +%s)}
[[ $COUNT =~ ^[0-9]+$ && $SEED =~ ^[0-9]+$ ]] || {
	echo "fuzz.sh: FUZZ_COUNT and FUZZ_SEED must be numbers" >&2
	exit 1
}

ktap_header

# Built on the host by `make -C selftests progs`; else built here.
FUZZ=$SELFTEST_DIR/genl-fuzz
if [[ ! -x $FUZZ || $FUZZ -ot $SELFTEST_DIR/genl-fuzz.c ]]; then
	diag "genl-fuzz is not built (make -C selftests progs): building it in $_lib_tmp"
	FUZZ=$_lib_tmp/genl-fuzz
	gcc -O2 -Wall -I"$IPMP_TOP/include/uapi" -o "$FUZZ" "$SELFTEST_DIR/genl-fuzz.c"
fi

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
	--bounding-set=-all)
groups_of() { ip -n "$1" -o link show type ipmp | awk -F': ' '{ print $2 }' | sort; }
# check, showing the fuzzer's counts (not its extack messages) either way.
check_fuzz() {
	local desc=$1 ns=$2 rc=0
	shift 2
	in_ns "$ns" "$@" >"$_lib_tmp/fuzz.out" 2>&1 || rc=$?
	if ((rc == 0)); then ok "$desc"; else fail "$desc" "exit status $rc"; fi
	grep -v '^# *[0-9]* "' "$_lib_tmp/fuzz.out" | sed 's/^# //' | diag
}
requests_of() { grep -v '^#' "$1"; }

# The same seed makes the same requests (without the racer, whose timing
# is the machine's): two fresh namespaces, the requests printed.
setup_ns r1 r2
in_ns "$NS_r1" "$FUZZ" -s "$SEED" -n 400 -p 4 -v >"$_lib_tmp/r1" 2>"$_lib_tmp/r1.err"
in_ns "$NS_r2" "$FUZZ" -s "$SEED" -n 400 -p 4 -v >"$_lib_tmp/r2" 2>"$_lib_tmp/r2.err"
check "the same seed sends the same requests" \
	cmp <(requests_of "$_lib_tmp/r1") <(requests_of "$_lib_tmp/r2")
check "and another seed others" \
	eval '! cmp -s <(requests_of "$_lib_tmp/r1") <(in_ns "$NS_r1" "$FUZZ" -s $((SEED + 1)) -n 400 -v | requests_of /dev/stdin)'
check "a request printed can be sent again alone (-x)" \
	in_ns "$NS_r1" "$FUZZ" -x "$(requests_of "$_lib_tmp/r1" | sed -n 100p)"
# The checks can fail: as root, -U's "every change refused" is false.
check_fail "the fuzzer notices an answer it did not expect" \
	in_ns "$NS_r1" "$FUZZ" -U -s "$SEED" -n 2000
ip netns del "$NS_r1"
ip netns del "$NS_r2"

setup_ns f
F=$NS_f
dmesg_mark
start=$SECONDS
check_fuzz "$COUNT requests (seed $SEED, racing): every answer well-formed" \
	"$F" "$FUZZ" -s "$SEED" -n "$COUNT" -p 24 -r
diag "fuzzing took $((SECONDS - start)) s"

before=$(groups_of "$F")
check_fuzz "unprivileged, every change is refused (seed $SEED)" \
	"$F" "${NOBODY[@]}" "$FUZZ" -U -s "$SEED" -n 5000
check "and nothing changed" test "$(groups_of "$F")" = "$before"

check "the kernel logged no warning" \
	eval '! dmesg_since_mark | grep -E "WARNING:|BUG:|BUG |Oops|Call Trace|refcount_t|unregister_netdevice: waiting"'

# No reference left behind: the module unloads with the fuzzer's groups
# still there, and comes back working.
check "rmmod ipmp succeeds after the fuzzing" timeout 120 rmmod ipmp
check "its groups are gone" test -z "$(groups_of "$F")"
check "the module loads again" modprobe ipmp
ip -n "$F" link add e0 type veth peer name e1
check "a group can be created" in_ns "$F" "$IPMPADM" create ipmp0
check "a member added" in_ns "$F" "$IPMPADM" add ipmp0 e0
check "and the group deleted" in_ns "$F" "$IPMPADM" delete ipmp0
check "which released its member" eval '! ip -n "$F" -o link show e0 | grep -q master'

ktap_finish
