// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpstat on the state of the examples Solaris documents: three groups
 * (one fine, one failed, one degraded), eight interfaces, seven data
 * addresses and a run of probes, as its administration guide shows them
 * with ipmpstat -g, -i, -an, -nt and -pn.  The state is transcribed, not
 * the text: tests/solaris.expected is this tool's output for it, laid out
 * by its own rules (those of illumos's ofmt), and where the published
 * examples contradict one another or what this model can hold, the
 * Documentation says which way this state goes.
 *
 *   solaris_test g|i|a|t|p human|parsable|json [FIELDS]
 *   solaris_test empty g|i|a|t human|parsable|json [FIELDS]
 *   solaris_test pages     (50 probe lines: the header every 24 lines)
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "../ipmpadm.h"

enum { ITOPS0 = 100, ACCTG1 = 200, FIELD2 = 300 };

static const struct ipmp_group groups[] = {
	{ .ifindex = ITOPS0, .ifname = "itops0", .name = "itops0",
	  .state = IPMP_GROUP_OK, .fdt = 10000, .fdt_current = 10000,
	  .failback = true, .probing = true, .nmembers = 2, .nactive = 2,
	  .target_mode = IPMP_TARGETS_ROUTES, .ntargets = 2,
	  .targets = { { 192, 168, 85, 1 }, { 192, 168, 85, 3 } } },
	/* Failed: hme0 offline, hme1 (a standby) lost its link. */
	{ .ifindex = ACCTG1, .ifname = "acctg1", .name = "acctg1",
	  .state = IPMP_GROUP_FAILED, .fdt = 10000, .fdt_current = 10000,
	  .failback = true, .probing = true, .nmembers = 2,
	  .target_mode = IPMP_TARGETS_ROUTES, .ntargets = 1,
	  .targets = { { 192, 1, 2, 1 } } },
	/* No failback: fops1 came back and was left inactive. */
	{ .ifindex = FIELD2, .ifname = "field2", .name = "field2",
	  .state = IPMP_GROUP_DEGRADED, .fdt = 20000, .fdt_current = 20000,
	  .failback = false, .probing = true, .nmembers = 4, .nactive = 2,
	  .target_mode = IPMP_TARGETS_MULTICAST, .ntargets = 2,
	  .targets = { { 128, 0, 0, 1 }, { 128, 0, 0, 2 } } },
};

#define NOMINEE (IPMP_MEMBER_F_MCAST4 | IPMP_MEMBER_F_BCAST4 | \
		 IPMP_MEMBER_F_MCAST6)

static const struct ipmp_member members[] = {
	{ .ifindex = 11, .group_ifindex = ITOPS0, .ifname = "subitops0",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .active = true, .flags = NOMINEE,
	  .has_testaddr = true, .testaddr = { 192, 168, 85, 30 },
	  .testaddr_prefixlen = 24 },
	{ .ifindex = 12, .group_ifindex = ITOPS0, .ifname = "subitops1",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_DISABLED, .active = true },
	{ .ifindex = 21, .group_ifindex = ACCTG1, .ifname = "hme0",
	  .state = IPMP_MEMBER_OFFLINE, .link = IPMP_LINK_UNKNOWN,
	  .probe = IPMP_PROBE_DISABLED },
	{ .ifindex = 22, .group_ifindex = ACCTG1, .ifname = "hme1",
	  .state = IPMP_MEMBER_FAILED, .link = IPMP_LINK_DOWN,
	  .probe = IPMP_PROBE_UNKNOWN, .standby = true,
	  .flags = IPMP_MEMBER_F_INACTIVE | IPMP_MEMBER_F_STANDBY,
	  .has_testaddr = true, .testaddr = { 192, 1, 2, 200 },
	  .testaddr_prefixlen = 24 },
	{ .ifindex = 31, .group_ifindex = FIELD2, .ifname = "fops0",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UNKNOWN,
	  .probe = IPMP_PROBE_OK, .active = true, .flags = NOMINEE,
	  .has_testaddr = true, .testaddr = { 128, 9, 0, 200 },
	  .testaddr_prefixlen = 16 },
	{ .ifindex = 32, .group_ifindex = FIELD2, .ifname = "fops1",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .flags = IPMP_MEMBER_F_INACTIVE,
	  .has_testaddr = true, .testaddr = { 128, 9, 0, 201 },
	  .testaddr_prefixlen = 16 },
	{ .ifindex = 33, .group_ifindex = FIELD2, .ifname = "fops2",
	  .state = IPMP_MEMBER_FAILED, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_FAILED,
	  .has_testaddr = true, .testaddr = { 128, 9, 0, 202 },
	  .testaddr_prefixlen = 16 },
	{ .ifindex = 34, .group_ifindex = FIELD2, .ifname = "fops3",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .active = true,
	  .has_testaddr = true, .testaddr = { 128, 9, 0, 203 },
	  .testaddr_prefixlen = 16 },
};

static const struct {
	const char *addr;
	uint32_t group_ifindex, bound_ifindex;
	bool up;
} addrs[] = {
	{ "192.168.10.10", ITOPS0, 11, true },
	{ "192.168.10.15", ITOPS0, 12, true },
	{ "192.0.0.100", ACCTG1, 0, true },
	{ "192.0.0.101", ACCTG1, 0, true },
	{ "128.0.0.100", FIELD2, 31, true },
	{ "128.0.0.101", FIELD2, 34, true },
	{ "128.0.0.102", FIELD2, 0, false },
};

#define EPOCH_NS 5000000000000ULL
#define MS 1000000ULL

struct probe_row {
	const char *ifname;
	uint32_t ifindex, group, seq;
	unsigned int sent_ms;
	const char *target;
	/* microseconds; 0: none (a lost probe, no average yet) */
	uint32_t netrtt, rtt, rttavg;
};

static const struct probe_row probe_rows[] = {
	{ "subitops0", 11, ITOPS0, 589, 110, "192.168.85.1", 510, 760, 760 },
	{ "hme1", 22, ACCTG1, 612, 170, "192.1.2.1", 0, 0, 0 },
	{ "fops0", 31, FIELD2, 602, 250, "128.0.0.1", 610, 1100, 1100 },
	{ "fops1", 32, FIELD2, 602, 260, "128.0.0.2", 0, 0, 0 },
	{ "fops2", 33, FIELD2, 601, 250, "128.0.0.1", 620, 1200, 1000 },
	{ "fops3", 34, FIELD2, 603, 260, "128.0.0.1", 790, 1110, 1100 },
	{ "hme1", 22, ACCTG1, 613, 1660, "192.1.2.1", 0, 0, 0 },
	{ "subitops0", 11, ITOPS0, 603, 1700, "192.168.85.3", 630, 1100, 1100 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int fabricate(struct ipmp_state *st)
{
	struct ipmp_addr a;

	for (size_t i = 0; i < N(groups); i++)
		if (ipmp_state_add_group(st, &groups[i]))
			return 1;
	for (size_t i = 0; i < N(members); i++)
		if (ipmp_state_add_member(st, &members[i]))
			return 1;
	for (size_t i = 0; i < N(addrs); i++) {
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		a.prefixlen = 24;
		if (inet_pton(AF_INET, addrs[i].addr, a.addr) != 1)
			return 1;
		a.group_ifindex = addrs[i].group_ifindex;
		a.bound_ifindex = addrs[i].bound_ifindex;
		a.up = addrs[i].up;
		if (ipmp_state_add_addr(st, &a))
			return 1;
	}
	st->addrs_known = true;
	return 0;
}

static int make_probe(const struct probe_row *row, struct ipmp_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->ifindex = row->ifindex;
	snprintf(p->ifname, sizeof(p->ifname), "%s", row->ifname);
	p->seq = row->seq;
	p->sent_ns = EPOCH_NS + row->sent_ms * MS;
	p->target.family = AF_INET;
	p->target.prefixlen = 32;
	p->target.group_ifindex = row->group;
	if (inet_pton(AF_INET, row->target, p->target.addr) != 1)
		return 1;
	p->result = row->rtt ? IPMP_PROBE_ACKED : IPMP_PROBE_LOST;
	p->has_netrtt = p->has_rtt = row->rtt != 0;
	p->netrtt_us = row->netrtt;
	p->rtt_us = row->rtt;
	p->has_rttavg = row->rttavg != 0;
	p->rttavg_us = row->rttavg;
	return 0;
}

static int probe_lines(enum ipmpstat_out out, const char *fields,
		       size_t count)
{
	struct ipmpstat_fmt *fmt;
	struct ipmp_probe p;
	int ret = 0;

	if (ipmpstat_fmt_new(IPMPSTAT_PROBE, out, fields, &fmt))
		return EXIT_USAGE;
	ipmpstat_fmt_names(fmt, NULL);
	ipmpstat_fmt_epoch(fmt, EPOCH_NS);
	for (size_t i = 0; i < count && !ret; i++) {
		ret = make_probe(&probe_rows[i % N(probe_rows)], &p);
		if (!ret)
			ipmpstat_print_probe(stdout, fmt, &p);
	}
	ipmpstat_fmt_free(fmt);
	return ret;
}

static int parse_mode(const char *s, enum ipmpstat_mode *mode)
{
	static const struct {
		const char *name;
		enum ipmpstat_mode mode;
	} modes[] = {
		{ "g", IPMPSTAT_GROUP }, { "i", IPMPSTAT_IF },
		{ "a", IPMPSTAT_ADDR }, { "t", IPMPSTAT_TARGET },
		{ "p", IPMPSTAT_PROBE },
	};

	for (size_t i = 0; i < N(modes); i++) {
		if (!strcmp(s, modes[i].name)) {
			*mode = modes[i].mode;
			return 0;
		}
	}
	return 1;
}

static int parse_out(const char *s, enum ipmpstat_out *out)
{
	if (!strcmp(s, "human"))
		*out = IPMPSTAT_HUMAN;
	else if (!strcmp(s, "parsable"))
		*out = IPMPSTAT_PARSABLE;
	else if (!strcmp(s, "json"))
		*out = IPMPSTAT_JSON;
	else
		return 1;
	return 0;
}

/* As "ipmpstat -n": the examples print numbers, not names. */
static int ipmpstat(struct ipmp_state *st, int argc, char **argv)
{
	const char *fields = argc > 2 ? argv[2] : NULL;
	struct ipmpstat_fmt *fmt;
	enum ipmpstat_mode mode;
	enum ipmpstat_out out;

	if (argc < 2 || parse_mode(argv[0], &mode) || parse_out(argv[1], &out))
		return EXIT_USAGE;
	if (mode == IPMPSTAT_PROBE)
		return probe_lines(out, fields, N(probe_rows));
	if (ipmpstat_fmt_new(mode, out, fields, &fmt))
		return EXIT_USAGE;
	ipmpstat_fmt_names(fmt, NULL);
	ipmpstat_print(stdout, fmt, st);
	ipmpstat_fmt_free(fmt);
	return 0;
}

int main(int argc, char **argv)
{
	struct ipmp_state st = { 0 };
	int ret;

	set_progname("ipmpstat");
	if (argc == 2 && !strcmp(argv[1], "pages"))
		return probe_lines(IPMPSTAT_HUMAN, NULL, 50);
	if (argc > 1 && !strcmp(argv[1], "empty"))
		return ipmpstat(&st, argc - 2, argv + 2);
	if (fabricate(&st))
		return 1;
	ret = ipmpstat(&st, argc - 1, argv + 1);
	ipmp_state_free(&st);
	return ret;
}
