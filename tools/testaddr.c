// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpadm test-address add|del IF ADDRESS[/PREFIX]: TESTADDR_ADD and
 * TESTADDR_DEL, a member's IPv4 or IPv6 test address, the source of its
 * probes.
 * The address is checked here for its syntax only; whether it may be used
 * (unicast, not another member's, not a data address) is the kernel's
 * to say.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "ipmpadm.h"

static const char testaddr_usage[] =
	"ipmpadm test-address add IF ADDRESS[/PREFIX]\n"
	"       ipmpadm test-address del IF ADDRESS";

static const char testaddr_help[] =
	"usage: ipmpadm test-address add IF ADDRESS[/PREFIX]\n"
	"       ipmpadm test-address del IF ADDRESS\n"
	"\n"
	"Give the IPMP member IF a test address, the source of the probes that\n"
	"detect its failure, or take it away.  A member has at most one per\n"
	"address family: 'add' replaces the one it had.  For IPv4, PREFIX is the\n"
	"length of the test subnet, 0 to 32 (default 32).  An IPv6 test address\n"
	"is link-local (fe80::/10) and takes no PREFIX.  'del' names the address\n"
	"the member has; a /PREFIX given there is accepted and ignored.\n"
	"\n"
	"Test addresses belong to the ipmp module, not to the IP stack: they do\n"
	"not appear in 'ip addr', applications cannot use them, they never fail\n"
	"over to another member, and only ARP and ICMP echo are answered on them.\n"
	"A test address must be unicast, and neither another member's test\n"
	"address nor a data address of the group.\n"
	"\n"
	"A member with an IPv4 test address probes over IPv6 as well, while the\n"
	"group device has IPv6: from its configured IPv6 test address, else from\n"
	"the link-local address derived from its MAC.  A configured IPv6 test\n"
	"address alone makes the member probe over IPv6 only.\n"
	"'ipmpadm show' and 'ipmpstat -t' show test addresses.\n"
	"\n"
	"  ipmpadm test-address add eth0 192.0.2.31/24\n"
	"  ipmpadm test-address add eth0 fe80::31\n"
	"  ipmpadm test-address del eth0 192.0.2.31\n";

struct testaddr_req {
	bool add;
	const char *ifname;
	const char *arg;	/* ADDRESS[/PREFIX] as given, for messages */
	struct ipmp_ip addr;
	uint8_t prefixlen;
};

/* Decimal digits only, 0 to @max. */
static int parse_prefixlen(const char *s, unsigned int max, uint8_t *plen)
{
	unsigned int v = 0;
	const char *p;

	if (!*s)
		return fail("prefix length '' is not an integer");
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return fail("prefix length '%s' is not an integer", s);
		if (v <= max)
			v = v * 10 + (unsigned int)(*p - '0');
	}
	if (v > max)
		return fail("prefix length '%s' is out of range: use 0 to %u", s,
			    max);
	*plen = (uint8_t)v;
	return 0;
}

/*
 * ADDRESS[/PREFIX]: 0, or a syntax error: EXIT_USAGE, said.  IPv6 ones
 * take no prefix (on "del" one is ignored, as for IPv4); @plen is then 0.
 */
int testaddr_parse(const char *arg, struct ipmp_ip *addr, uint8_t *plen)
{
	const char *slash = strchr(arg, '/');
	char host[INET6_ADDRSTRLEN];
	size_t len = slash ? (size_t)(slash - arg) : strlen(arg);

	if (len >= sizeof(host))
		goto bad;
	memcpy(host, arg, len);
	host[len] = '\0';
	if (ipmp_ip_parse(host, addr))
		goto bad;
	*plen = addr->family == AF_INET ? 32 : 0;
	if (slash && parse_prefixlen(slash + 1, addr->family == AF_INET ? 32 : 128,
				     plen))
		return EXIT_USAGE;
	if (addr->family == AF_INET6)
		*plen = 0;
	return 0;
bad:
	fail("'%.*s' is not an IPv4 or IPv6 address", (int)len, arg);
	return EXIT_USAGE;
}

static int parse_testaddr(struct testaddr_req *r)
{
	int ret = testaddr_parse(r->arg, &r->addr, &r->prefixlen);

	if (!ret && r->add && r->addr.family == AF_INET6 && strchr(r->arg, '/'))
		return fail("test-address add %s %s: an IPv6 test address is link-local and takes no /PREFIX",
			    r->ifname, r->arg);
	return ret;
}

static int parse_args(int argc, char **argv, struct testaddr_req *r)
{
	int ret = parse_add_del(argc, argv, testaddr_usage, "IF", &r->add,
				&r->ifname, &r->arg);

	if (ret)
		return ret;
	ret = parse_testaddr(r);
	if (ret == EXIT_USAGE)
		return usage_fail(testaddr_usage, NULL);
	return ret;
}

/* TESTADDR_ADD or _DEL: 0 or a negative errno, ipmp_nl_error() saying why. */
int testaddr_request(struct ipmp_nl *nl, bool add, uint32_t ifindex,
		     const struct ipmp_ip *addr, uint8_t prefixlen)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, add ? IPMP_CMD_TESTADDR_ADD :
			       IPMP_CMD_TESTADDR_DEL, false, IPMP_A_MEMBER);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	ipmp_msg_bin(&m, IPMP_A_MEMBER_TESTADDR, &addr->v4, ipmp_ip_len(addr));
	if (add && addr->family == AF_INET)
		ipmp_msg_u8(&m, IPMP_A_MEMBER_TESTADDR_PREFIXLEN, prefixlen);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

static int request(struct ipmp_nl *nl, const struct testaddr_req *r)
{
	const char *verb = r->add ? "add" : "del";
	uint32_t ifindex;
	int err;

	if (resolve_ifindex(r->ifname, &ifindex))
		return EXIT_FAILURE;
	err = testaddr_request(nl, r->add, ifindex, &r->addr, r->prefixlen);
	if (err == -EOPNOTSUPP && !strcmp(ipmp_nl_error(nl, err),
					  strerror(EOPNOTSUPP)))
		return fail("test-address %s %s %s: this ipmp module has no test addresses",
			    verb, r->ifname, r->arg);
	if (err)
		return fail("test-address %s %s %s: %s", verb, r->ifname,
			    r->arg, ipmp_nl_error(nl, err));
	return 0;
}

int cmd_testaddr(int argc, char **argv)
{
	struct testaddr_req r = { 0 };
	struct ipmp_nl *nl;
	int ret;

	/* "-h" after the action too: "test-address add -h". */
	if (help_requested(argc, argv) ||
	    (argc > 2 && !strcmp(argv[2], "-h")))
		return print_help(testaddr_help);
	ret = parse_args(argc, argv, &r);
	if (ret)
		return ret;
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = request(nl, &r);
	ipmp_nl_close(nl);
	return ret;
}
