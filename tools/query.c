// SPDX-License-Identifier: GPL-2.0
/*
 * GROUP_GET and MEMBER_GET, as single requests and as dumps, and the
 * ADDR_GET dump, parsed into struct ipmp_group, ipmp_member and ipmp_addr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>

#include "ipmpadm.h"

static const struct nla_policy group_policy[IPMP_A_GROUP_MAX + 1] = {
	[IPMP_A_GROUP_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_GROUP_IFNAME] = { .type = NLA_STRING },
	[IPMP_A_GROUP_NAME] = { .type = NLA_STRING },
	[IPMP_A_GROUP_STATE] = { .type = NLA_U8 },
	[IPMP_A_GROUP_FDT] = { .type = NLA_U32 },
	[IPMP_A_GROUP_FAILBACK] = { .type = NLA_U8 },
	[IPMP_A_GROUP_NMEMBERS] = { .type = NLA_U32 },
	[IPMP_A_GROUP_NACTIVE] = { .type = NLA_U32 },
	[IPMP_A_GROUP_ANNOUNCE_COUNT] = { .type = NLA_U32 },
	[IPMP_A_GROUP_ANNOUNCE_INTERVAL] = { .type = NLA_U32 },
	[IPMP_A_GROUP_NADDRS] = { .type = NLA_U32 },
	[IPMP_A_GROUP_TARGETS] = { .type = NLA_UNSPEC },
	[IPMP_A_GROUP_PROBING] = { .type = NLA_U8 },
	[IPMP_A_GROUP_FDT_CURRENT] = { .type = NLA_U32 },
	[IPMP_A_GROUP_TARGET_MODE] = { .type = NLA_U8 },
	[IPMP_A_GROUP_STATIC_TARGETS] = { .type = NLA_UNSPEC },
	[IPMP_A_GROUP_TARGETS6] = { .type = NLA_UNSPEC },
	[IPMP_A_GROUP_TARGET_MODE6] = { .type = NLA_U8 },
	[IPMP_A_GROUP_STATIC_TARGETS6] = { .type = NLA_UNSPEC },
};

static const struct nla_policy member_policy[IPMP_A_MEMBER_MAX + 1] = {
	[IPMP_A_MEMBER_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_MEMBER_IFNAME] = { .type = NLA_STRING },
	[IPMP_A_MEMBER_GROUP_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_MEMBER_STATE] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_FLAGS] = { .type = NLA_U32 },
	[IPMP_A_MEMBER_ACTIVE] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_STANDBY] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_LINK] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_PROBE] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_OFFLINE] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_NADDRS] = { .type = NLA_U32 },
	[IPMP_A_MEMBER_TESTADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPMP_A_MEMBER_TESTADDR_PREFIXLEN] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_TESTADDR6] = { .type = NLA_UNSPEC, .minlen = 16 },
	[IPMP_A_MEMBER_TESTADDR6_CONFIGURED] = { .type = NLA_U8 },
	[IPMP_A_MEMBER_RTT_US] = { .type = NLA_U32 },
};

static const struct nla_policy probe_policy[IPMP_A_PROBE_MAX + 1] = {
	[IPMP_A_PROBE_MEMBER_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_PROBE_MEMBER_IFNAME] = { .type = NLA_STRING },
	[IPMP_A_PROBE_GROUP_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_PROBE_FAMILY] = { .type = NLA_U8 },
	[IPMP_A_PROBE_TARGET] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPMP_A_PROBE_SEQ] = { .type = NLA_U32 },
	[IPMP_A_PROBE_RESULT] = { .type = NLA_U8 },
	[IPMP_A_PROBE_SENT_NS] = { .type = NLA_U64 },
	[IPMP_A_PROBE_NETRTT_US] = { .type = NLA_U32 },
	[IPMP_A_PROBE_RTT_US] = { .type = NLA_U32 },
	[IPMP_A_PROBE_RTTAVG_US] = { .type = NLA_U32 },
	[IPMP_A_PROBE_RTTDEV_US] = { .type = NLA_U32 },
};

static const struct nla_policy addr_policy[IPMP_A_ADDR_MAX + 1] = {
	[IPMP_A_ADDR_FAMILY] = { .type = NLA_U8 },
	[IPMP_A_ADDR_ADDRESS] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPMP_A_ADDR_PREFIXLEN] = { .type = NLA_U8 },
	[IPMP_A_ADDR_GROUP_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_ADDR_BOUND_IFINDEX] = { .type = NLA_U32 },
	[IPMP_A_ADDR_UP] = { .type = NLA_U8 },
};

static uint32_t get_u32(struct nlattr *a, uint32_t def)
{
	return a ? nla_get_u32(a) : def;
}

static uint8_t get_u8(struct nlattr *a, uint8_t def)
{
	return a ? nla_get_u8(a) : def;
}

/* A name the kernel did not send is looked up, as a last resort. */
static void get_ifname(struct nlattr *a, uint32_t ifindex, char *buf)
{
	if (a)
		nla_strlcpy(buf, a, IF_NAMESIZE);
	else if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "?%u", ifindex);
}

/*
 * A list of addresses of @size bytes each (TARGETS, STATIC_TARGETS and
 * their IPv6 twins), in firing order.  The kernel holds no more than
 * IPMP_TARGETS_MAX; should a later one hold more, the first are kept.
 */
static int parse_addr_list(struct nlattr *a, size_t size, void *dst,
			   uint32_t *n)
{
	int len;

	if (!a)
		return 0;
	len = nla_len(a);
	if (len % size)
		return -EBADMSG;
	*n = (uint32_t)(len / size);
	if (*n > IPMP_TARGETS_MAX)
		*n = IPMP_TARGETS_MAX;
	memcpy(dst, nla_data(a), *n * size);
	return 0;
}

/* Modules before STATIC_TARGETS told only those in force, all static. */
static int parse_static_targets(struct nlattr **tb, struct ipmp_group *g)
{
	if (!tb[IPMP_A_GROUP_STATIC_TARGETS] && !tb[IPMP_A_GROUP_TARGET_MODE]) {
		g->nstatic = g->ntargets;
		memcpy(g->static_targets, g->targets, sizeof(g->targets));
		return 0;
	}
	return parse_addr_list(tb[IPMP_A_GROUP_STATIC_TARGETS], 4,
			       g->static_targets, &g->nstatic);
}

static int parse_targets6(struct nlattr **tb, struct ipmp_group *g)
{
	g->target_mode6 = get_u8(tb[IPMP_A_GROUP_TARGET_MODE6], IPMP_TARGETS_NONE);
	if (parse_addr_list(tb[IPMP_A_GROUP_TARGETS6], 16, g->targets6,
			    &g->ntargets6))
		return -EBADMSG;
	return parse_addr_list(tb[IPMP_A_GROUP_STATIC_TARGETS6], 16,
			       g->static_targets6, &g->nstatic6);
}

int ipmp_parse_group(struct nlattr **top, struct ipmp_group *g)
{
	struct nlattr *tb[IPMP_A_GROUP_MAX + 1];

	if (!top[IPMP_A_GROUP] ||
	    nla_parse_nested(tb, IPMP_A_GROUP_MAX, top[IPMP_A_GROUP],
			     group_policy) < 0 ||
	    !tb[IPMP_A_GROUP_IFINDEX])
		return -EBADMSG;
	memset(g, 0, sizeof(*g));
	g->ifindex = nla_get_u32(tb[IPMP_A_GROUP_IFINDEX]);
	get_ifname(tb[IPMP_A_GROUP_IFNAME], g->ifindex, g->ifname);
	if (tb[IPMP_A_GROUP_NAME])
		nla_strlcpy(g->name, tb[IPMP_A_GROUP_NAME], sizeof(g->name));
	else
		snprintf(g->name, sizeof(g->name), "%s", g->ifname);
	g->state = get_u8(tb[IPMP_A_GROUP_STATE], IPMP_GROUP_FAILED);
	g->fdt = get_u32(tb[IPMP_A_GROUP_FDT], 0);
	g->fdt_current = get_u32(tb[IPMP_A_GROUP_FDT_CURRENT], g->fdt);
	g->failback = get_u8(tb[IPMP_A_GROUP_FAILBACK], 1);
	g->probing = get_u8(tb[IPMP_A_GROUP_PROBING], 1);
	g->nmembers = get_u32(tb[IPMP_A_GROUP_NMEMBERS], 0);
	g->nactive = get_u32(tb[IPMP_A_GROUP_NACTIVE], 0);
	g->has_announce = tb[IPMP_A_GROUP_ANNOUNCE_COUNT] &&
			  tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL];
	g->announce_count = get_u32(tb[IPMP_A_GROUP_ANNOUNCE_COUNT], 0);
	g->announce_interval = get_u32(tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL], 0);
	g->has_naddrs = tb[IPMP_A_GROUP_NADDRS];
	g->naddrs = get_u32(tb[IPMP_A_GROUP_NADDRS], 0);
	/* Modules before target discovery had static targets only. */
	g->target_mode = get_u8(tb[IPMP_A_GROUP_TARGET_MODE],
				tb[IPMP_A_GROUP_TARGETS] ? IPMP_TARGETS_STATIC :
							   IPMP_TARGETS_NONE);
	if (parse_addr_list(tb[IPMP_A_GROUP_TARGETS], 4, g->targets, &g->ntargets) ||
	    parse_static_targets(tb, g))
		return -EBADMSG;
	return parse_targets6(tb, g);
}

int ipmp_parse_member(struct nlattr **top, struct ipmp_member *m)
{
	struct nlattr *tb[IPMP_A_MEMBER_MAX + 1];

	if (!top[IPMP_A_MEMBER] ||
	    nla_parse_nested(tb, IPMP_A_MEMBER_MAX, top[IPMP_A_MEMBER],
			     member_policy) < 0 ||
	    !tb[IPMP_A_MEMBER_IFINDEX])
		return -EBADMSG;
	memset(m, 0, sizeof(*m));
	m->ifindex = nla_get_u32(tb[IPMP_A_MEMBER_IFINDEX]);
	get_ifname(tb[IPMP_A_MEMBER_IFNAME], m->ifindex, m->ifname);
	m->group_ifindex = get_u32(tb[IPMP_A_MEMBER_GROUP_IFINDEX], 0);
	m->state = get_u8(tb[IPMP_A_MEMBER_STATE], IPMP_MEMBER_UNKNOWN);
	m->flags = get_u32(tb[IPMP_A_MEMBER_FLAGS], 0);
	m->active = get_u8(tb[IPMP_A_MEMBER_ACTIVE], 0);
	m->standby = get_u8(tb[IPMP_A_MEMBER_STANDBY], 0);
	m->link = get_u8(tb[IPMP_A_MEMBER_LINK], IPMP_LINK_UNKNOWN);
	m->probe = get_u8(tb[IPMP_A_MEMBER_PROBE], IPMP_PROBE_DISABLED);
	m->has_naddrs = tb[IPMP_A_MEMBER_NADDRS];
	m->naddrs = get_u32(tb[IPMP_A_MEMBER_NADDRS], 0);
	if (tb[IPMP_A_MEMBER_TESTADDR]) {
		if (nla_len(tb[IPMP_A_MEMBER_TESTADDR]) != 4)
			return -EBADMSG;
		memcpy(m->testaddr, nla_data(tb[IPMP_A_MEMBER_TESTADDR]), 4);
		m->testaddr_prefixlen =
			get_u8(tb[IPMP_A_MEMBER_TESTADDR_PREFIXLEN], 32);
		m->has_testaddr = true;
	}
	if (tb[IPMP_A_MEMBER_TESTADDR6]) {
		if (nla_len(tb[IPMP_A_MEMBER_TESTADDR6]) != 16)
			return -EBADMSG;
		memcpy(m->testaddr6, nla_data(tb[IPMP_A_MEMBER_TESTADDR6]), 16);
		m->testaddr6_configured =
			get_u8(tb[IPMP_A_MEMBER_TESTADDR6_CONFIGURED], 0);
		m->has_testaddr6 = true;
	}
	m->has_rtt = tb[IPMP_A_MEMBER_RTT_US];
	m->rtt_us = get_u32(tb[IPMP_A_MEMBER_RTT_US], 0);
	return 0;
}

/* 1 for an address of a family this tool does not know: to be skipped. */
int ipmp_parse_addr(struct nlattr **top, struct ipmp_addr *a)
{
	struct nlattr *tb[IPMP_A_ADDR_MAX + 1];
	int len;

	if (!top[IPMP_A_ADDR] ||
	    nla_parse_nested(tb, IPMP_A_ADDR_MAX, top[IPMP_A_ADDR],
			     addr_policy) < 0 ||
	    !tb[IPMP_A_ADDR_FAMILY] || !tb[IPMP_A_ADDR_ADDRESS] ||
	    !tb[IPMP_A_ADDR_GROUP_IFINDEX])
		return -EBADMSG;
	memset(a, 0, sizeof(*a));
	a->family = nla_get_u8(tb[IPMP_A_ADDR_FAMILY]);
	len = nla_len(tb[IPMP_A_ADDR_ADDRESS]);
	if (a->family != AF_INET && a->family != AF_INET6)
		return 1;
	if (len != (a->family == AF_INET ? 4 : 16))
		return -EBADMSG;
	memcpy(a->addr, nla_data(tb[IPMP_A_ADDR_ADDRESS]), (size_t)len);
	a->prefixlen = get_u8(tb[IPMP_A_ADDR_PREFIXLEN],
			      a->family == AF_INET ? 32 : 128);
	a->group_ifindex = nla_get_u32(tb[IPMP_A_ADDR_GROUP_IFINDEX]);
	a->bound_ifindex = get_u32(tb[IPMP_A_ADDR_BOUND_IFINDEX], 0);
	a->up = get_u8(tb[IPMP_A_ADDR_UP], 0);
	return 0;
}

static bool get_u32_opt(struct nlattr *a, uint32_t *val)
{
	if (a)
		*val = nla_get_u32(a);
	return a;
}

/* 1 for a probe of a family this tool does not know: to be skipped. */
int ipmp_parse_probe(struct nlattr **top, struct ipmp_probe *p)
{
	struct nlattr *tb[IPMP_A_PROBE_MAX + 1];
	int len;

	if (!top[IPMP_A_PROBE] ||
	    nla_parse_nested(tb, IPMP_A_PROBE_MAX, top[IPMP_A_PROBE],
			     probe_policy) < 0 ||
	    !tb[IPMP_A_PROBE_MEMBER_IFINDEX] || !tb[IPMP_A_PROBE_FAMILY] ||
	    !tb[IPMP_A_PROBE_TARGET] || !tb[IPMP_A_PROBE_SEQ] ||
	    !tb[IPMP_A_PROBE_RESULT] || !tb[IPMP_A_PROBE_SENT_NS])
		return -EBADMSG;
	memset(p, 0, sizeof(*p));
	p->target.family = nla_get_u8(tb[IPMP_A_PROBE_FAMILY]);
	if (p->target.family != AF_INET && p->target.family != AF_INET6)
		return 1;
	len = nla_len(tb[IPMP_A_PROBE_TARGET]);
	if (len != (p->target.family == AF_INET ? 4 : 16))
		return -EBADMSG;
	memcpy(p->target.addr, nla_data(tb[IPMP_A_PROBE_TARGET]), (size_t)len);
	p->target.prefixlen = (uint8_t)(8 * len);
	get_u32_opt(tb[IPMP_A_PROBE_GROUP_IFINDEX], &p->target.group_ifindex);
	p->ifindex = nla_get_u32(tb[IPMP_A_PROBE_MEMBER_IFINDEX]);
	if (tb[IPMP_A_PROBE_MEMBER_IFNAME])
		nla_strlcpy(p->ifname, tb[IPMP_A_PROBE_MEMBER_IFNAME],
			    sizeof(p->ifname));
	else if (!if_indextoname(p->ifindex, p->ifname))
		snprintf(p->ifname, sizeof(p->ifname), "?%u", p->ifindex);
	p->seq = nla_get_u32(tb[IPMP_A_PROBE_SEQ]);
	p->result = nla_get_u8(tb[IPMP_A_PROBE_RESULT]);
	p->sent_ns = nla_get_u64(tb[IPMP_A_PROBE_SENT_NS]);
	if (p->result == IPMP_PROBE_ACKED) {
		p->has_netrtt = get_u32_opt(tb[IPMP_A_PROBE_NETRTT_US],
					&p->netrtt_us);
		p->has_rtt = get_u32_opt(tb[IPMP_A_PROBE_RTT_US], &p->rtt_us);
	}
	p->has_rttavg = get_u32_opt(tb[IPMP_A_PROBE_RTTAVG_US], &p->rttavg_us);
	p->has_rttdev = get_u32_opt(tb[IPMP_A_PROBE_RTTDEV_US], &p->rttdev_us);
	return 0;
}

static int one_group(struct nlattr **tb, void *arg)
{
	return ipmp_parse_group(tb, arg);
}

static int one_member(struct nlattr **tb, void *arg)
{
	return ipmp_parse_member(tb, arg);
}

int ipmp_get_group(struct ipmp_nl *nl, uint32_t ifindex, struct ipmp_group *g)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_GROUP_GET, false, IPMP_A_GROUP);
	ipmp_msg_u32(&m, IPMP_A_GROUP_IFINDEX, ifindex);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), one_group, g);
}

int ipmp_get_member(struct ipmp_nl *nl, uint32_t ifindex,
		    struct ipmp_member *mb)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_GET, false, IPMP_A_MEMBER);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), one_member, mb);
}

static int dumped_group(struct nlattr **tb, void *arg)
{
	struct ipmp_group g;
	int err = ipmp_parse_group(tb, &g);

	return err ? err : ipmp_state_add_group(arg, &g);
}

int ipmp_dump_groups(struct ipmp_nl *nl, struct ipmp_state *st)
{
	struct nl_msg *msg = ipmp_nl_msg(nl, IPMP_CMD_GROUP_GET, true);

	return ipmp_nl_request(nl, msg, dumped_group, st);
}

struct member_dump {
	struct ipmp_state *st;
	uint32_t group_ifindex;
};

static int dumped_member(struct nlattr **tb, void *arg)
{
	struct member_dump *d = arg;
	struct ipmp_member m;
	int err = ipmp_parse_member(tb, &m);

	if (err)
		return err;
	/* The kernel filters; this only guards against one that did not. */
	if (d->group_ifindex && m.group_ifindex != d->group_ifindex)
		return 0;
	return ipmp_state_add_member(d->st, &m);
}

/* Members of one group, or of all groups when @group_ifindex is 0. */
int ipmp_dump_members(struct ipmp_nl *nl, uint32_t group_ifindex,
		      struct ipmp_state *st)
{
	struct member_dump d = { .st = st, .group_ifindex = group_ifindex };
	struct nl_msg *msg;
	struct ipmp_msg m;

	if (group_ifindex) {
		ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_GET, true,
			       IPMP_A_MEMBER);
		ipmp_msg_u32(&m, IPMP_A_MEMBER_GROUP_IFINDEX, group_ifindex);
		msg = ipmp_msg_end(&m);
	} else {
		msg = ipmp_nl_msg(nl, IPMP_CMD_MEMBER_GET, true);
	}
	return ipmp_nl_request(nl, msg, dumped_member, &d);
}

struct addr_dump {
	struct ipmp_state *st;
	uint32_t group_ifindex;
};

static int dumped_addr(struct nlattr **tb, void *arg)
{
	struct addr_dump *d = arg;
	struct ipmp_addr a;
	int err = ipmp_parse_addr(tb, &a);

	if (err)
		return err < 0 ? err : 0;
	if (d->group_ifindex && a.group_ifindex != d->group_ifindex)
		return 0;
	return ipmp_state_add_addr(d->st, &a);
}

/*
 * Data addresses of one group, or of all groups when @group_ifindex is 0.
 * -EOPNOTSUPP: the module predates ADDR_GET.
 */
int ipmp_dump_addrs(struct ipmp_nl *nl, uint32_t group_ifindex,
		    struct ipmp_state *st)
{
	struct addr_dump d = { .st = st, .group_ifindex = group_ifindex };
	struct nl_msg *msg;
	struct ipmp_msg m;
	int err;

	if (group_ifindex) {
		ipmp_msg_begin(&m, nl, IPMP_CMD_ADDR_GET, true, IPMP_A_ADDR);
		ipmp_msg_u32(&m, IPMP_A_ADDR_GROUP_IFINDEX, group_ifindex);
		msg = ipmp_msg_end(&m);
	} else {
		msg = ipmp_nl_msg(nl, IPMP_CMD_ADDR_GET, true);
	}
	err = ipmp_nl_request(nl, msg, dumped_addr, &d);
	if (!err)
		st->addrs_known = true;
	return err;
}

/* Arrays grow by doubling from 4: a power of two (or 0) means full. */
static bool full(size_t n)
{
	return n == 0 || (n >= 4 && !(n & (n - 1)));
}

static size_t next_cap(size_t n)
{
	return n ? 2 * n : 4;
}

int ipmp_state_add_group(struct ipmp_state *st, const struct ipmp_group *g)
{
	struct ipmp_group *p;

	if (full(st->ngroups)) {
		p = realloc(st->groups, next_cap(st->ngroups) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		st->groups = p;
	}
	st->groups[st->ngroups++] = *g;
	return 0;
}

int ipmp_state_add_member(struct ipmp_state *st, const struct ipmp_member *m)
{
	struct ipmp_member *p;

	if (full(st->nmembers)) {
		p = realloc(st->members, next_cap(st->nmembers) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		st->members = p;
	}
	st->members[st->nmembers++] = *m;
	return 0;
}

int ipmp_state_add_addr(struct ipmp_state *st, const struct ipmp_addr *a)
{
	struct ipmp_addr *p;

	if (full(st->naddrs)) {
		p = realloc(st->addrs, next_cap(st->naddrs) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		st->addrs = p;
	}
	st->addrs[st->naddrs++] = *a;
	return 0;
}

void ipmp_state_free(struct ipmp_state *st)
{
	free(st->groups);
	free(st->members);
	free(st->addrs);
	memset(st, 0, sizeof(*st));
}

const struct ipmp_group *ipmp_state_group(const struct ipmp_state *st,
					  uint32_t ifindex)
{
	for (size_t i = 0; i < st->ngroups; i++)
		if (st->groups[i].ifindex == ifindex)
			return &st->groups[i];
	return NULL;
}

const struct ipmp_member *ipmp_state_member(const struct ipmp_state *st,
					    uint32_t ifindex)
{
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].ifindex == ifindex)
			return &st->members[i];
	return NULL;
}
