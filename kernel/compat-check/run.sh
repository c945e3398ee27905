#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile compat.h's branch for each kernel version against stubs.h, the
# shapes of the upstream declarations it maps, with the call sites of
# kernel/*.c (calls.c).  What it proves: every branch is valid C that gives
# the call sites the types the stubs declare, and a branch taken for the
# wrong version does not compile.  What it does not: that stubs.h is what
# the kernels really declare (it was read, not compiled, for anything but
# 6.1), nor anything about the rest of the module on those kernels.
#
# Prints one KTAP line a case; exits non-zero if any case fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
kernel=$(dirname "$here")
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

# The lines calls.c copies must still be in the real call sites.
sites=(
	"main.c:RTNL_NEWLINK_COMPAT(ipmp_newlink);"
	"main.c:	.newlink	= rtnl_newlink_op(ipmp_newlink),"
	"main.c:			struct rtnl_newlink_params *params,"
	"netlink.c:static int ipmp_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,"
	"netlink.c:static void ipmp_post_doit(const struct genl_split_ops *ops,"
	"netlink.c:	struct nlattr **attrs = genl_info_dump(cb)->attrs;"
	"device.c:	ipmp_dev_set_lltx(dev);"
	"device.c:	ipmp_dev_set_netns_immutable(dev);"
	"probe.c:	struct ipmp_probe *p = timer_container_of(p, tl, timer);"
)

ver() { echo $((($1 << 16) + ($2 << 8) + $3)); }

versions=("6 1 192" "6 1 255" "6 2 0" "6 5 0" "6 6 0" "6 11 0" "6 12 0"
	  "6 14 0" "6 15 0" "6 16 0" "6 18 0")
# Mismatches that must not compile: a shim taken one boundary too early or
# too late would pass a check that only tried matching versions.
wrong=("6 1 192:6 2 0" "6 5 0:6 6 0" "6 6 0:6 5 0" "6 11 0:6 12 0"
       "6 14 0:6 15 0" "6 15 0:6 14 0" "6 15 0:6 16 0" "6 16 0:6 15 0")
total=$((${#sites[@]} + ${#versions[@]} + ${#wrong[@]} + 1))
echo "KTAP version 1"
echo "1..$total"

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
		sed 's/^/# /' "$tmp/err" 2>/dev/null | head -20
	fi
}

for s in "${sites[@]}"; do
	file=${s%%:*} line=${s#*:}
	grep -qxF -- "$line" "$kernel/$file"
	r=$?
	: > "$tmp/err"
	[ $r = 0 ] || echo "the line is gone: $line" > "$tmp/err"
	ok $r "call site in $file: ${line//	/ }"
done

# The stubs key on LINUX_VERSION_CODE too: for a mismatch, the stubs must
# see their own version while compat.h sees the other.  stubs.h is
# therefore read with LINUX_VERSION_CODE redefined to IPMP_STUB_VERSION.
{
	echo '#undef LINUX_VERSION_CODE'
	echo '#define LINUX_VERSION_CODE IPMP_STUB_VERSION'
	cat "$here/stubs.h"
} > "$tmp/stubs-at.h"
cp "$here/calls.c" "$tmp/calls.c"
sed -i 's/#include "stubs.h"/#include "stubs-at.h"/' "$tmp/calls.c"
here_c=$tmp

# compile CODE STUB_CODE: compat.h sees the first version, stubs.h the second.
compile() {
	printf '#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))\n#define LINUX_VERSION_CODE %s\n' \
		"$1" > "$tmp/linux-version.h"
	mkdir -p "$tmp/inc/linux"
	cp "$tmp/linux-version.h" "$tmp/inc/linux/version.h"
	"$cc" -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror \
		-I"$tmp/inc" -I"$tmp" -include "$kernel/compat.h" \
		-DIPMP_STUB_VERSION="$2" -c "$here_c/calls.c" -o "$tmp/calls.o" \
		2> "$tmp/err"
}

declare -A good
for v in "${versions[@]}"; do
	code=$(ver $v)
	compile "$code" "$code"
	r=$?
	[ $r = 0 ] && good[$v]=1
	ok $r "compat.h and the call sites compile for ${v// /.}"
done

# A mismatch counts only where both versions compile on their own: then
# the failure is the API's difference, not something else.
for w in "${wrong[@]}"; do
	c=${w%%:*} s=${w#*:}
	compile "$(ver $c)" "$(ver $s)"
	r=$?
	[ $r != 0 ] && [ -n "${good[$c]:-}" ] && [ -n "${good[$s]:-}" ]
	ok $? "compat.h for ${c// /.} does not compile against ${s// /.}'s API"
done

compile "$(ver 6 1 100)" "$(ver 6 1 100)"
r=$?
grep -q "needs Linux 6.1.176" "$tmp/err"
g=$?
[ $r != 0 ] && [ $g = 0 ]
ok $? "compat.h refuses 6.1.100 with a clear error"

exit $fail
