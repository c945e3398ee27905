// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink layer against a family every kernel has (nlctrl): replies,
 * acks, dumps, errors and the extended-ack message reach the caller.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <linux/genetlink.h>

#include "../ipmpadm.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		printf("not ok - " __VA_ARGS__);			\
	} else {							\
		printf("ok - " __VA_ARGS__);				\
	}								\
	putchar('\n');							\
} while (0)

static int count(struct nlattr **tb, void *arg)
{
	(void)tb;
	++*(int *)arg;
	return 0;
}

static int get_family(struct ipmp_nl *nl, const char *name, int *n)
{
	struct nl_msg *msg = ipmp_nl_msg(nl, CTRL_CMD_GETFAMILY, false);

	if (msg && nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return ipmp_nl_request(nl, msg, count, n);
}

int main(void)
{
	struct ipmp_nl *nl;
	struct nl_msg *msg;
	int err, n = 0;

	set_progname("nl_test");
	if (ipmp_nl_open_family(&nl, "nlctrl")) {
		printf("1..0 # SKIP no generic netlink\n");
		return 0;
	}
	printf("1..11\n");

	err = get_family(nl, "nlctrl", &n);
	CHECK(err == 0 && n == 1, "do request: one reply, then the ack (err %d, %d replies)", err, n);

	n = 0;
	err = get_family(nl, "no-such-family", &n);
	CHECK(err == -ENOENT && n == 0, "do request refused: -ENOENT (err %d: %s)", err, ipmp_nl_error(nl, err));

	n = 0;
	err = ipmp_nl_request(nl, ipmp_nl_msg(nl, CTRL_CMD_GETFAMILY, true), count, &n);
	CHECK(err == 0 && n > 0, "dump: %d replies, then NLMSG_DONE (err %d)", n, err);

	/* CTRL_ATTR_FAMILY_ID is a u16: a u64 breaks GETPOLICY's policy. */
	msg = ipmp_nl_msg(nl, CTRL_CMD_GETPOLICY, true);
	if (msg && nla_put_u64(msg, CTRL_ATTR_FAMILY_ID, 1) < 0)
		return 1;
	err = ipmp_nl_request(nl, msg, count, &n);
	CHECK(err == -EINVAL && strcmp(ipmp_nl_error(nl, err), strerror(EINVAL)),
	      "extended ack message: \"%s\" (err %d)", ipmp_nl_error(nl, err), err);

	err = get_family(nl, "nlctrl", &n);
	CHECK(err == 0 && !strcmp(ipmp_nl_error(nl, 0), strerror(0)),
	      "the message of an earlier error is gone");

	CHECK(ipmp_nl_request(nl, NULL, count, &n) == -ENOMEM,
	      "a message that could not be built is ENOMEM");

	/* Generic netlink says no more than EPERM to a change without it. */
	CHECK(!strcmp(ipmp_nl_error(nl, -EPERM),
		      "permission denied: changes need CAP_NET_ADMIN"),
	      "a bare EPERM names the privilege changes need: \"%s\"",
	      ipmp_nl_error(nl, -EPERM));
	ipmp_nl_close(nl);

	/* Device names by rtnetlink, without the ioctl's module loading. */
	CHECK(ifname_index("lo") == if_nametoindex("lo") && ifname_index("lo"),
	      "ifname_index(\"lo\") is lo's index (%u)", ifname_index("lo"));
	CHECK(ifname_index("no-such-dev0") == 0, "a name no device has is 0");
	CHECK(ifname_index("") == 0, "so is the empty name");
	CHECK(ifname_index("sixteen-chars-xx") == 0,
	      "and a name too long to be one");
	return failures ? 1 : 0;
}
