// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpadm target add|del IPMPIF ADDRESS: TARGET_ADD and TARGET_DEL, the
 * static IPv4 and IPv6 probe targets of a group.  The address is checked here for
 * its syntax only; whether it may be a target (unicast, not one of the
 * group's own addresses, room for one more) is the kernel's to say.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "ipmpadm.h"

static const char target_usage[] =
	"ipmpadm target add IPMPIF ADDRESS\n"
	"       ipmpadm target del IPMPIF ADDRESS";

static const char target_help[] =
	"usage: ipmpadm target add IPMPIF ADDRESS\n"
	"       ipmpadm target del IPMPIF ADDRESS\n"
	"\n"
	"Add a probe target to the IPMP group whose interface is IPMPIF, or\n"
	"delete one.  Every member with a test address (see 'ipmpadm\n"
	"test-address') sends ICMP echo requests from it to the targets of its\n"
	"family in turn, in the order they were added, about every FDT/7; 5\n"
	"lost probes in a row fail the member, 10 answered ones repair it.  A\n"
	"group has at most 5 targets per address family.  ADDRESS is an IPv4 or\n"
	"IPv6 address, no prefix, no host name: a target should be a host on\n"
	"the test subnet (IPv6: on the link) that answers ping, such as the\n"
	"router.  Static targets of a family replace the ones the group finds.\n"
	"\n"
	"A member with a test address but no target has probe state 'unknown'\n"
	"and is never failed by probing.  'ipmpadm show' and 'ipmpstat -t' show\n"
	"the targets.\n"
	"\n"
	"  ipmpadm target add ipmp0 192.0.2.1\n"
	"  ipmpadm target add ipmp0 fe80::1\n"
	"  ipmpadm target del ipmp0 192.0.2.1\n";

struct target_req {
	bool add;
	const char *ifname;
	const char *arg;	/* ADDRESS as given, for messages */
	struct ipmp_ip addr;
};

/* ADDRESS: 0, or a syntax error: EXIT_USAGE, said. */
int target_parse(const char *arg, struct ipmp_ip *addr)
{
	if (!ipmp_ip_parse(arg, addr))
		return 0;
	if (strchr(arg, '/'))
		fail("'%s' is not an IPv4 or IPv6 address: a target takes no /PREFIX",
		     arg);
	else
		fail("'%s' is not an IPv4 or IPv6 address", arg);
	return EXIT_USAGE;
}

static int parse_target(struct target_req *r)
{
	return target_parse(r->arg, &r->addr);
}

static int parse_args(int argc, char **argv, struct target_req *r)
{
	int ret = parse_add_del(argc, argv, target_usage, "IPMPIF", &r->add,
				&r->ifname, &r->arg);

	if (ret)
		return ret;
	ret = parse_target(r);
	if (ret == EXIT_USAGE)
		return usage_fail(target_usage, NULL);
	return ret;
}

/* TARGET_ADD or _DEL: 0 or a negative errno, ipmp_nl_error() saying why. */
int target_request(struct ipmp_nl *nl, bool add, uint32_t gidx,
		   const struct ipmp_ip *addr)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, add ? IPMP_CMD_TARGET_ADD : IPMP_CMD_TARGET_DEL,
		       false, IPMP_A_GROUP);
	ipmp_msg_u32(&m, IPMP_A_GROUP_IFINDEX, gidx);
	ipmp_msg_bin(&m, IPMP_A_GROUP_TARGET, &addr->v4, ipmp_ip_len(addr));
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

static int request(struct ipmp_nl *nl, const struct target_req *r)
{
	const char *verb = r->add ? "add" : "del";
	uint32_t ifindex;
	int err;

	if (resolve_ifindex(r->ifname, &ifindex))
		return EXIT_FAILURE;
	err = target_request(nl, r->add, ifindex, &r->addr);
	if (err == -EOPNOTSUPP && !strcmp(ipmp_nl_error(nl, err),
					  strerror(EOPNOTSUPP)))
		return fail("target %s %s %s: this ipmp module has no probe targets",
			    verb, r->ifname, r->arg);
	if (err)
		return fail("target %s %s %s: %s", verb, r->ifname, r->arg,
			    ipmp_nl_error(nl, err));
	return 0;
}

int cmd_target(int argc, char **argv)
{
	struct target_req r = { 0 };
	struct ipmp_nl *nl;
	int ret;

	/* "-h" after the action too: "target add -h". */
	if (help_requested(argc, argv) ||
	    (argc > 2 && !strcmp(argv[2], "-h")))
		return print_help(target_help);
	ret = parse_args(argc, argv, &r);
	if (ret)
		return ret;
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = request(nl, &r);
	ipmp_nl_close(nl);
	return ret;
}
