// SPDX-License-Identifier: GPL-2.0
/*
 * The "ipmp" generic netlink family: policies, requests, dumps and
 * notifications.  Every request runs under RTNL, taken in pre_doit.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "ipmp.h"

/* internal_flags of the ops: what pre_doit resolves for the handler. */
#define IPMP_NEED_GROUP		BIT(0)	/* user_ptr[0] from [GROUP]{IFINDEX} */
#define IPMP_NEED_MEMBER	BIT(1)	/* user_ptr[1] from [MEMBER]{IFINDEX} */
#define IPMP_NEED_MEMBER_GROUP	BIT(2)	/* user_ptr[0] from [MEMBER]{GROUP_IFINDEX} */
#define IPMP_OR_PLACE		BIT(3)	/* NEED_MEMBER: or [MEMBER]{IFNAME, GROUP_IFINDEX} */

/* Read-only attributes are refused in requests, with a reason. */
#define IPMP_READ_ONLY(msg) { .type = NLA_REJECT, .reject_message = msg }

static const struct nla_policy ipmp_group_policy[IPMP_A_GROUP_MAX + 1] = {
	[IPMP_A_GROUP_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[IPMP_A_GROUP_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[IPMP_A_GROUP_NAME]	= { .type = NLA_NUL_STRING },
	[IPMP_A_GROUP_STATE]	= IPMP_READ_ONLY("group state is read-only"),
	[IPMP_A_GROUP_FDT]	= { .type = NLA_U32 },
	[IPMP_A_GROUP_FAILBACK]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IPMP_A_GROUP_NMEMBERS]	= IPMP_READ_ONLY("member count is read-only"),
	[IPMP_A_GROUP_NACTIVE]	= IPMP_READ_ONLY("active count is read-only"),
	[IPMP_A_GROUP_ANNOUNCE_COUNT]	= { .type = NLA_U32 },
	[IPMP_A_GROUP_ANNOUNCE_INTERVAL] = { .type = NLA_U32 },
	[IPMP_A_GROUP_NADDRS]	= IPMP_READ_ONLY("address count is read-only"),
	[IPMP_A_GROUP_TARGET]	= { .type = NLA_BINARY, .len = 16 },
	[IPMP_A_GROUP_TARGETS]	= IPMP_READ_ONLY("add or delete targets one by one"),
	[IPMP_A_GROUP_PROBING]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IPMP_A_GROUP_FDT_CURRENT] = IPMP_READ_ONLY("the current FDT is read-only: set fdt"),
	[IPMP_A_GROUP_TARGET_MODE] = IPMP_READ_ONLY("the target mode follows the targets"),
	[IPMP_A_GROUP_STATIC_TARGETS] = IPMP_READ_ONLY("add or delete targets one by one"),
	[IPMP_A_GROUP_TARGETS6]	= IPMP_READ_ONLY("add or delete targets one by one"),
	[IPMP_A_GROUP_TARGET_MODE6] = IPMP_READ_ONLY("the target mode follows the targets"),
	[IPMP_A_GROUP_STATIC_TARGETS6] = IPMP_READ_ONLY("add or delete targets one by one"),
};

static const struct nla_policy ipmp_member_policy[IPMP_A_MEMBER_MAX + 1] = {
	[IPMP_A_MEMBER_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[IPMP_A_MEMBER_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[IPMP_A_MEMBER_GROUP_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[IPMP_A_MEMBER_STATE]		= IPMP_READ_ONLY("member state is read-only"),
	[IPMP_A_MEMBER_FLAGS]		= IPMP_READ_ONLY("member flags are read-only"),
	[IPMP_A_MEMBER_ACTIVE]		= IPMP_READ_ONLY("active is read-only"),
	[IPMP_A_MEMBER_STANDBY]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IPMP_A_MEMBER_LINK]		= IPMP_READ_ONLY("link state is read-only"),
	[IPMP_A_MEMBER_PROBE]		= IPMP_READ_ONLY("probe state is read-only"),
	[IPMP_A_MEMBER_OFFLINE]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IPMP_A_MEMBER_NADDRS]		= IPMP_READ_ONLY("address count is read-only"),
	[IPMP_A_MEMBER_TESTADDR]	= { .type = NLA_BINARY, .len = 16 },
	[IPMP_A_MEMBER_TESTADDR_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[IPMP_A_MEMBER_RTT_US]		= IPMP_READ_ONLY("round-trip time is read-only"),
	[IPMP_A_MEMBER_TESTADDR6]	= IPMP_READ_ONLY("set an IPv6 test address with testaddr"),
	[IPMP_A_MEMBER_TESTADDR6_CONFIGURED] =
		IPMP_READ_ONLY("set an IPv6 test address with testaddr"),
};

static const struct nla_policy ipmp_addr_policy[IPMP_A_ADDR_MAX + 1] = {
	[IPMP_A_ADDR_FAMILY]		= IPMP_READ_ONLY("addresses are managed with ip addr"),
	[IPMP_A_ADDR_ADDRESS]		= IPMP_READ_ONLY("addresses are managed with ip addr"),
	[IPMP_A_ADDR_PREFIXLEN]		= IPMP_READ_ONLY("addresses are managed with ip addr"),
	[IPMP_A_ADDR_GROUP_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[IPMP_A_ADDR_BOUND_IFINDEX]	= IPMP_READ_ONLY("bindings are chosen by the kernel"),
	[IPMP_A_ADDR_UP]		= IPMP_READ_ONLY("address state is read-only"),
};

static const struct nla_policy ipmp_policy[IPMP_A_MAX + 1] = {
	[IPMP_A_GROUP]	= NLA_POLICY_NESTED(ipmp_group_policy),
	[IPMP_A_MEMBER]	= NLA_POLICY_NESTED(ipmp_member_policy),
	[IPMP_A_ADDR]	= NLA_POLICY_NESTED(ipmp_addr_policy),
	[IPMP_A_PROBE]	= IPMP_READ_ONLY("probe reports come from the kernel"),
};

static struct genl_family ipmp_genl_family;

enum ipmp_mcgrp { IPMP_MCGRP_EVENTS_ID, IPMP_MCGRP_PROBES_ID };

static const struct genl_multicast_group ipmp_mcgrps[] = {
	[IPMP_MCGRP_EVENTS_ID] = { .name = IPMP_MCGRP_EVENTS },
	[IPMP_MCGRP_PROBES_ID] = { .name = IPMP_MCGRP_PROBES,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* Parse the nest @type of a request into @tb; fails if it is absent. */
static int ipmp_parse_nest(struct genl_info *info, int type, struct nlattr **tb,
			   int maxtype, const struct nla_policy *policy)
{
	if (!info->attrs[type]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		if (type == IPMP_A_GROUP)
			NL_SET_ERR_MSG(info->extack, "missing group attributes");
		else
			NL_SET_ERR_MSG(info->extack, "missing member attributes");
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[type], policy,
				info->extack);
}

static int ipmp_parse_group(struct genl_info *info, struct nlattr **tb)
{
	return ipmp_parse_nest(info, IPMP_A_GROUP, tb, IPMP_A_GROUP_MAX,
			       ipmp_group_policy);
}

static int ipmp_parse_member(struct genl_info *info, struct nlattr **tb)
{
	return ipmp_parse_nest(info, IPMP_A_MEMBER, tb, IPMP_A_MEMBER_MAX,
			       ipmp_member_policy);
}

static struct ipmp_group *ipmp_lookup_group(struct genl_info *info,
					    struct nlattr *nest,
					    struct nlattr *attr, int type)
{
	struct ipmp_group *grp;

	if (!attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, type);
		NL_SET_ERR_MSG(info->extack, "missing group ifindex");
		return ERR_PTR(-EINVAL);
	}
	grp = ipmp_group_get(genl_info_net(info), nla_get_u32(attr));
	if (!grp) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such IPMP group");
		return ERR_PTR(-ENODEV);
	}
	return grp;
}

static int ipmp_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	struct nlattr *gtb[IPMP_A_GROUP_MAX + 1], *mtb[IPMP_A_MEMBER_MAX + 1];
	struct ipmp_group *grp = NULL;
	struct ipmp_member *m = NULL;
	struct net_device *dev;
	int err;

	rtnl_lock();
	if (ops->internal_flags & IPMP_NEED_GROUP) {
		err = ipmp_parse_group(info, gtb);
		if (err)
			goto err_unlock;
		grp = ipmp_lookup_group(info, info->attrs[IPMP_A_GROUP],
					gtb[IPMP_A_GROUP_IFINDEX],
					IPMP_A_GROUP_IFINDEX);
		if (IS_ERR(grp)) {
			err = PTR_ERR(grp);
			goto err_unlock;
		}
	}
	if (ops->internal_flags & (IPMP_NEED_MEMBER | IPMP_NEED_MEMBER_GROUP)) {
		err = ipmp_parse_member(info, mtb);
		if (err)
			goto err_unlock;
	}
	if (ops->internal_flags & IPMP_NEED_MEMBER_GROUP) {
		grp = ipmp_lookup_group(info, info->attrs[IPMP_A_MEMBER],
					mtb[IPMP_A_MEMBER_GROUP_IFINDEX],
					IPMP_A_MEMBER_GROUP_IFINDEX);
		if (IS_ERR(grp)) {
			err = PTR_ERR(grp);
			goto err_unlock;
		}
	}
	if ((ops->internal_flags & IPMP_OR_PLACE) &&
	    !mtb[IPMP_A_MEMBER_IFINDEX] && mtb[IPMP_A_MEMBER_IFNAME]) {
		/* A place kept for a device that went away: by name. */
		grp = ipmp_lookup_group(info, info->attrs[IPMP_A_MEMBER],
					mtb[IPMP_A_MEMBER_GROUP_IFINDEX],
					IPMP_A_MEMBER_GROUP_IFINDEX);
		if (IS_ERR(grp)) {
			err = PTR_ERR(grp);
			goto err_unlock;
		}
	} else if (ops->internal_flags & IPMP_NEED_MEMBER) {
		err = -EINVAL;
		if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[IPMP_A_MEMBER],
				      mtb, IPMP_A_MEMBER_IFINDEX)) {
			NL_SET_ERR_MSG(info->extack, "missing member ifindex");
			goto err_unlock;
		}
		dev = __dev_get_by_index(genl_info_net(info),
					 nla_get_u32(mtb[IPMP_A_MEMBER_IFINDEX]));
		err = -ENODEV;
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, mtb[IPMP_A_MEMBER_IFINDEX],
					    "no such device");
			goto err_unlock;
		}
		m = ipmp_member_get(dev);
		err = -ENOENT;
		if (!m) {
			NL_SET_ERR_MSG_ATTR(info->extack, mtb[IPMP_A_MEMBER_IFINDEX],
					    "device is not a member of an IPMP group");
			goto err_unlock;
		}
	}
	info->user_ptr[0] = grp;
	info->user_ptr[1] = m;
	return 0;

err_unlock:
	rtnl_unlock();
	return err;
}

static void ipmp_post_doit(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	rtnl_unlock();
}

/* Addresses of family @af, 4 or 16 bytes each, as one attribute. */
static int ipmp_put_addrs(struct sk_buff *skb, int type, unsigned int af,
			  const struct in6_addr *a, unsigned int n)
{
	__be32 v4[IPMP_TARGETS_MAX];
	unsigned int i;

	if (!n)
		return 0;
	if (af == IPMP_AF6)
		return nla_put(skb, type, n * sizeof(*a), a);
	for (i = 0; i < n; i++)
		v4[i] = ipmp_ip4_of(&a[i]);
	return nla_put(skb, type, n * sizeof(v4[0]), v4);
}

static int ipmp_put_targets(struct sk_buff *skb, struct ipmp_group *grp,
			    unsigned int af)
{
	struct ipmp_targets *tg = rtnl_dereference(grp->targets[af]);
	bool v6 = af == IPMP_AF6;

	if (nla_put_u8(skb, v6 ? IPMP_A_GROUP_TARGET_MODE6 : IPMP_A_GROUP_TARGET_MODE,
		       tg ? tg->mode : IPMP_TARGETS_NONE) ||
	    (tg && ipmp_put_addrs(skb, v6 ? IPMP_A_GROUP_TARGETS6 :
					    IPMP_A_GROUP_TARGETS,
				  af, tg->t, tg->n)))
		return -EMSGSIZE;
	return ipmp_put_addrs(skb, v6 ? IPMP_A_GROUP_STATIC_TARGETS6 :
					IPMP_A_GROUP_STATIC_TARGETS,
			      af, grp->static_tg[af], grp->nstatic[af]);
}

static int ipmp_fill_group(struct sk_buff *skb, struct ipmp_group *grp,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ipmp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IPMP_A_GROUP);
	if (!nest ||
	    nla_put_u32(skb, IPMP_A_GROUP_IFINDEX, grp->dev->ifindex) ||
	    nla_put_string(skb, IPMP_A_GROUP_IFNAME, grp->dev->name) ||
	    nla_put_string(skb, IPMP_A_GROUP_NAME, grp->name) ||
	    nla_put_u8(skb, IPMP_A_GROUP_STATE, grp->state) ||
	    nla_put_u32(skb, IPMP_A_GROUP_FDT, grp->fdt_ms) ||
	    nla_put_u32(skb, IPMP_A_GROUP_FDT_CURRENT, READ_ONCE(grp->fdt_cur_ms)) ||
	    nla_put_u8(skb, IPMP_A_GROUP_PROBING, grp->probing) ||
	    nla_put_u8(skb, IPMP_A_GROUP_FAILBACK, grp->failback) ||
	    nla_put_u32(skb, IPMP_A_GROUP_NMEMBERS, grp->nmembers) ||
	    nla_put_u32(skb, IPMP_A_GROUP_NACTIVE, grp->nactive) ||
	    nla_put_u32(skb, IPMP_A_GROUP_ANNOUNCE_COUNT, grp->announce_count) ||
	    nla_put_u32(skb, IPMP_A_GROUP_ANNOUNCE_INTERVAL,
			grp->announce_interval_ms) ||
	    nla_put_u32(skb, IPMP_A_GROUP_NADDRS, READ_ONCE(grp->naddrs)) ||
	    ipmp_put_targets(skb, grp, IPMP_AF4) ||
	    ipmp_put_targets(skb, grp, IPMP_AF6))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* What a member message shows, of a member or of a place kept for one. */
struct ipmp_member_view {
	int ifindex;
	const char *name;
	struct ipmp_group *grp;
	u8 state, link, probe;
	bool active, standby, has_rtt;
	u32 flags, naddrs, rtt_us;
	__be32 test4;
	u8 test4_plen;
	bool has_test6, test6_cfg;
	struct in6_addr test6;
};

static int ipmp_fill_member_view(struct sk_buff *skb,
				 const struct ipmp_member_view *v,
				 u32 portid, u32 seq, int flags, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ipmp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IPMP_A_MEMBER);
	if (!nest ||
	    nla_put_u32(skb, IPMP_A_MEMBER_IFINDEX, v->ifindex) ||
	    nla_put_string(skb, IPMP_A_MEMBER_IFNAME, v->name) ||
	    nla_put_u32(skb, IPMP_A_MEMBER_GROUP_IFINDEX, v->grp->dev->ifindex) ||
	    nla_put_u8(skb, IPMP_A_MEMBER_STATE, v->state) ||
	    nla_put_u32(skb, IPMP_A_MEMBER_FLAGS, v->flags) ||
	    nla_put_u8(skb, IPMP_A_MEMBER_ACTIVE, v->active) ||
	    nla_put_u8(skb, IPMP_A_MEMBER_STANDBY, v->standby) ||
	    nla_put_u8(skb, IPMP_A_MEMBER_LINK, v->link) ||
	    nla_put_u8(skb, IPMP_A_MEMBER_PROBE, v->probe) ||
	    (v->has_rtt && nla_put_u32(skb, IPMP_A_MEMBER_RTT_US, v->rtt_us)) ||
	    nla_put_u32(skb, IPMP_A_MEMBER_NADDRS, v->naddrs) ||
	    (v->test4 &&
	     (nla_put_in_addr(skb, IPMP_A_MEMBER_TESTADDR, v->test4) ||
	      nla_put_u8(skb, IPMP_A_MEMBER_TESTADDR_PREFIXLEN, v->test4_plen))) ||
	    (v->has_test6 &&
	     (nla_put_in6_addr(skb, IPMP_A_MEMBER_TESTADDR6, &v->test6) ||
	      nla_put_u8(skb, IPMP_A_MEMBER_TESTADDR6_CONFIGURED, v->test6_cfg))))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int ipmp_fill_member(struct sk_buff *skb, struct ipmp_member *m,
			    u32 portid, u32 seq, int flags, u8 cmd)
{
	struct ipmp_member_view v = {
		.ifindex = m->dev->ifindex, .name = m->dev->name, .grp = m->grp,
		.state = ipmp_member_state(m), .flags = ipmp_member_flags(m),
		.active = m->active, .standby = m->standby,
		.link = m->link_up ? IPMP_LINK_UP : IPMP_LINK_DOWN,
		.probe = ipmp_probe_state(m),
		.naddrs = READ_ONCE(m->nbound),
		.test4 = m->test4, .test4_plen = m->test4_plen,
		.test6_cfg = m->test6_set,
	};

	v.has_rtt = ipmp_probe_answered(m, &v.rtt_us);
	v.has_test6 = ipmp_test6(m, &v.test6);
	return ipmp_fill_member_view(skb, &v, portid, seq, flags, cmd);
}

/* A place kept for a member whose device went away: ifindex 0, removed. */
static int ipmp_fill_place(struct sk_buff *skb, struct ipmp_group *grp,
			   struct ipmp_place *pl, u32 portid, u32 seq, int flags,
			   u8 cmd)
{
	struct ipmp_member_view v = {
		.name = pl->name, .grp = grp, .state = IPMP_MEMBER_REMOVED,
		.flags = pl->standby ?
			 IPMP_MEMBER_F_STANDBY | IPMP_MEMBER_F_INACTIVE : 0,
		.standby = pl->standby, .link = IPMP_LINK_DOWN,
		.probe = IPMP_PROBE_DISABLED,
		.test4 = pl->test4, .test4_plen = pl->test4_plen,
		.has_test6 = pl->test6_set, .test6_cfg = pl->test6_set,
		.test6 = pl->test6,
	};

	return ipmp_fill_member_view(skb, &v, portid, seq, flags, cmd);
}

static int ipmp_fill_addr(struct sk_buff *skb, struct ipmp_group *grp,
			  struct ipmp_addr *a, u32 portid, u32 seq, int flags,
			  u8 cmd)
{
	struct ipmp_member *bound = READ_ONCE(a->bound);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ipmp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IPMP_A_ADDR);
	if (!nest ||
	    nla_put_u8(skb, IPMP_A_ADDR_FAMILY, a->family) ||
	    nla_put(skb, IPMP_A_ADDR_ADDRESS, a->family == AF_INET ? 4 : 16, &a->a) ||
	    nla_put_u8(skb, IPMP_A_ADDR_PREFIXLEN, a->prefixlen) ||
	    nla_put_u32(skb, IPMP_A_ADDR_GROUP_IFINDEX, grp->dev->ifindex) ||
	    nla_put_u32(skb, IPMP_A_ADDR_BOUND_IFINDEX,
			bound ? bound->dev->ifindex : 0) ||
	    nla_put_u8(skb, IPMP_A_ADDR_UP, netif_running(grp->dev)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The optional group filter of a dump, parsed once when the dump starts so
 * that a malformed one is refused with an error instead of being ignored:
 * kept in cb->args[2], 0 for none.
 */
static int ipmp_dump_filter(struct netlink_callback *cb, int type, int maxtype,
			    const struct nla_policy *policy, int attr)
{
	struct nlattr **attrs = genl_info_dump(cb)->attrs;
	struct nlattr *tb[IPMP_A_MEMBER_MAX + IPMP_A_ADDR_MAX + 1];
	int err;

	cb->args[2] = 0;
	if (!attrs[type])
		return 0;
	err = nla_parse_nested(tb, maxtype, attrs[type], policy, cb->extack);
	if (err)
		return err;
	if (tb[attr])
		cb->args[2] = nla_get_u32(tb[attr]);
	return 0;
}

static int ipmp_addr_dump_start(struct netlink_callback *cb)
{
	return ipmp_dump_filter(cb, IPMP_A_ADDR, IPMP_A_ADDR_MAX,
				ipmp_addr_policy, IPMP_A_ADDR_GROUP_IFINDEX);
}

static int ipmp_member_dump_start(struct netlink_callback *cb)
{
	return ipmp_dump_filter(cb, IPMP_A_MEMBER, IPMP_A_MEMBER_MAX,
				ipmp_member_policy, IPMP_A_MEMBER_GROUP_IFINDEX);
}

/*
 * One group's addresses from index *@idx on.  Returns true when all of
 * them fit, else false with *@idx at the first one left for the next part.
 */
static bool ipmp_addr_dump_group(struct sk_buff *skb, struct netlink_callback *cb,
				 struct ipmp_group *grp, long *idx)
{
	struct ipmp_addr *a;
	bool done = true;
	long i = 0;

	spin_lock_bh(&grp->addr_lock);
	list_for_each_entry(a, &grp->addrs, list) {
		if (i < *idx) {
			i++;
			continue;
		}
		if (ipmp_fill_addr(skb, grp, a, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   IPMP_CMD_ADDR_GET)) {
			done = false;
			break;
		}
		i++;
	}
	spin_unlock_bh(&grp->addr_lock);
	*idx = done ? 0 : i;
	return done;
}

static int ipmp_addr_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	int filter = cb->args[2];
	struct net_device *dev;
	int gidx = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!netif_is_ipmp(dev) || (filter && dev->ifindex != filter))
			continue;
		if (gidx++ < cb->args[0])
			continue;
		if (!ipmp_addr_dump_group(skb, cb, netdev_priv(dev),
					  &cb->args[1])) {
			cb->args[0] = gidx - 1;
			goto out;
		}
	}
	cb->args[0] = gidx;
out:
	rtnl_unlock();
	return skb->len;
}

static int ipmp_reply_group(struct genl_info *info, struct ipmp_group *grp)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return -ENOMEM;
	if (ipmp_fill_group(msg, grp, info->snd_portid, info->snd_seq, 0,
			    IPMP_CMD_GROUP_GET)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return genlmsg_reply(msg, info);
}

/* Send a notification to the events group once filled, or drop it. */
static void ipmp_multicast(struct net *net, struct sk_buff *msg, int err,
			   gfp_t gfp)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&ipmp_genl_family, net, msg, 0,
				IPMP_MCGRP_EVENTS_ID, gfp);
}

static struct sk_buff *ipmp_notify_new(struct net *net, gfp_t gfp)
{
	if (!genl_has_listeners(&ipmp_genl_family, net, IPMP_MCGRP_EVENTS_ID))
		return NULL;
	return genlmsg_new(NLMSG_GOODSIZE, gfp);
}

void ipmp_notify_group(struct ipmp_group *grp, u8 cmd)
{
	struct net *net = dev_net(grp->dev);
	struct sk_buff *msg = ipmp_notify_new(net, GFP_KERNEL);

	if (msg)
		ipmp_multicast(net, msg, ipmp_fill_group(msg, grp, 0, 0, 0, cmd),
			       GFP_KERNEL);
}

void ipmp_notify_member(struct ipmp_member *m, u8 cmd)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg = ipmp_notify_new(net, GFP_KERNEL);

	if (msg)
		ipmp_multicast(net, msg, ipmp_fill_member(msg, m, 0, 0, 0, cmd),
			       GFP_KERNEL);
}

void ipmp_notify_place(struct ipmp_group *grp, struct ipmp_place *pl, u8 cmd)
{
	struct net *net = dev_net(grp->dev);
	struct sk_buff *msg = ipmp_notify_new(net, GFP_KERNEL);

	if (msg)
		ipmp_multicast(net, msg,
			       ipmp_fill_place(msg, grp, pl, 0, 0, 0, cmd),
			       GFP_KERNEL);
}

/*
 * A data address was bound, moved or left unbound (ADDR_GET), or removed
 * (ADDR_DEL); runs under addr_lock.
 */
void ipmp_notify_addr(struct ipmp_group *grp, struct ipmp_addr *a, u8 cmd)
{
	struct net *net = dev_net(grp->dev);
	struct sk_buff *msg = ipmp_notify_new(net, GFP_ATOMIC);

	if (msg)
		ipmp_multicast(net, msg, ipmp_fill_addr(msg, grp, a, 0, 0, 0, cmd),
			       GFP_ATOMIC);
}

static int ipmp_fill_probe(struct sk_buff *skb, struct ipmp_member *m,
			   const struct ipmp_probe_event *ev)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &ipmp_genl_family, 0, IPMP_CMD_PROBE);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IPMP_A_PROBE);
	if (!nest ||
	    nla_put_u32(skb, IPMP_A_PROBE_MEMBER_IFINDEX, m->dev->ifindex) ||
	    nla_put_string(skb, IPMP_A_PROBE_MEMBER_IFNAME, m->dev->name) ||
	    nla_put_u32(skb, IPMP_A_PROBE_GROUP_IFINDEX, m->grp->dev->ifindex) ||
	    nla_put_u8(skb, IPMP_A_PROBE_FAMILY, ipmp_af_family(ev->af)) ||
	    (ev->af == IPMP_AF6 ?
	     nla_put_in6_addr(skb, IPMP_A_PROBE_TARGET, &ev->target) :
	     nla_put_in_addr(skb, IPMP_A_PROBE_TARGET, ipmp_ip4_of(&ev->target))) ||
	    nla_put_u32(skb, IPMP_A_PROBE_SEQ, ev->seq) ||
	    nla_put_u8(skb, IPMP_A_PROBE_RESULT,
		       ev->lost ? IPMP_PROBE_LOST : IPMP_PROBE_ACKED) ||
	    nla_put_u64_64bit(skb, IPMP_A_PROBE_SENT_NS, ktime_to_ns(ev->sent),
			      IPMP_A_PROBE_UNSPEC) ||
	    (!ev->lost &&
	     (nla_put_u32(skb, IPMP_A_PROBE_NETRTT_US, ev->netrtt_us) ||
	      nla_put_u32(skb, IPMP_A_PROBE_RTT_US, ev->rtt_us))) ||
	    (ev->rttavg_us &&
	     (nla_put_u32(skb, IPMP_A_PROBE_RTTAVG_US, ev->rttavg_us) ||
	      nla_put_u32(skb, IPMP_A_PROBE_RTTDEV_US, ev->rttdev_us))))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A probe was answered or lost; softirq context, so nothing may sleep. */
void ipmp_notify_probe(struct ipmp_member *m, const struct ipmp_probe_event *ev)
{
	struct net *net = dev_net(m->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&ipmp_genl_family, net, IPMP_MCGRP_PROBES_ID))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (ipmp_fill_probe(msg, m, ev)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&ipmp_genl_family, net, msg, 0,
				IPMP_MCGRP_PROBES_ID, GFP_ATOMIC);
}

static int ipmp_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return ipmp_reply_group(info, info->user_ptr[0]);
}

static int ipmp_group_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	int idx = 0, err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!netif_is_ipmp(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = ipmp_fill_group(skb, netdev_priv(dev),
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      IPMP_CMD_GROUP_GET);
		if (err) {
			idx--;
			break;
		}
		nl_dump_check_consistent(cb, nlmsg_hdr(skb));
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return err && !skb->len ? err : skb->len;
}

/* Check the settings of a group request; nothing is changed yet. */
static int ipmp_group_check_settings(struct genl_info *info, struct nlattr **tb)
{
	if (tb[IPMP_A_GROUP_FDT]) {
		u32 fdt = nla_get_u32(tb[IPMP_A_GROUP_FDT]);

		if (fdt < IPMP_FDT_MIN_MS || fdt > IPMP_FDT_MAX_MS) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_FDT],
					    "fdt must be between 100 and 3600000 ms");
			return -ERANGE;
		}
	}
	if (tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL]) {
		u32 ms = nla_get_u32(tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL]);

		if (ms < IPMP_ANNOUNCE_INTERVAL_MIN_MS ||
		    ms > IPMP_ANNOUNCE_INTERVAL_MAX_MS) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL],
					    "announce interval must be between 10 and 60000 ms");
			return -ERANGE;
		}
	}
	if (tb[IPMP_A_GROUP_ANNOUNCE_COUNT] &&
	    nla_get_u32(tb[IPMP_A_GROUP_ANNOUNCE_COUNT]) > IPMP_ANNOUNCE_COUNT_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_ANNOUNCE_COUNT],
				    "announce count must be between 0 and 255");
		return -ERANGE;
	}
	return 0;
}

static void ipmp_group_apply_settings(struct ipmp_group *grp, struct nlattr **tb)
{
	if (tb[IPMP_A_GROUP_FDT])
		ipmp_probe_set_fdt(grp, nla_get_u32(tb[IPMP_A_GROUP_FDT]));
	if (tb[IPMP_A_GROUP_PROBING])
		WRITE_ONCE(grp->probing, nla_get_u8(tb[IPMP_A_GROUP_PROBING]));
	if (tb[IPMP_A_GROUP_FAILBACK])
		grp->failback = nla_get_u8(tb[IPMP_A_GROUP_FAILBACK]);
	if (tb[IPMP_A_GROUP_ANNOUNCE_COUNT])
		grp->announce_count = nla_get_u32(tb[IPMP_A_GROUP_ANNOUNCE_COUNT]);
	if (tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL])
		grp->announce_interval_ms =
			nla_get_u32(tb[IPMP_A_GROUP_ANNOUNCE_INTERVAL]);
}

static int ipmp_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_GROUP_MAX + 1];
	struct net *net = genl_info_net(info);
	struct net_device *dev;
	const char *ifname;
	int err;

	err = ipmp_parse_group(info, tb);
	if (err)
		return err;
	if (!tb[IPMP_A_GROUP_IFNAME]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[IPMP_A_GROUP],
				     IPMP_A_GROUP_IFNAME);
		NL_SET_ERR_MSG(info->extack, "missing group device name");
		return -EINVAL;
	}
	if (tb[IPMP_A_GROUP_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_IFINDEX],
				    "a new group has no ifindex yet");
		return -EINVAL;
	}
	ifname = nla_data(tb[IPMP_A_GROUP_IFNAME]);
	if (!dev_valid_name(ifname)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_IFNAME],
				    "invalid device name");
		return -EINVAL;
	}
	if (__dev_get_by_name(net, ifname)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_IFNAME],
				    "a device with this name already exists");
		return -EEXIST;
	}
	err = ipmp_group_check_settings(info, tb);
	if (err)
		return err;

	dev = alloc_netdev(sizeof(struct ipmp_group), ifname, NET_NAME_USER,
			   ipmp_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &ipmp_link_ops;
	ipmp_group_apply_settings(netdev_priv(dev), tb);

	err = ipmp_group_register(dev, tb[IPMP_A_GROUP_NAME] ?
				  nla_data(tb[IPMP_A_GROUP_NAME]) : NULL,
				  info->extack);
	if (err) {
		free_netdev(dev);
		return err;
	}
	return ipmp_reply_group(info, netdev_priv(dev));
}

static int ipmp_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipmp_group *grp = info->user_ptr[0];

	unregister_netdevice(grp->dev);
	return 0;
}

static int ipmp_group_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_GROUP_MAX + 1];
	struct ipmp_group *grp = info->user_ptr[0];
	bool failback = grp->failback, probing = grp->probing;
	int err;

	err = ipmp_parse_group(info, tb);
	if (err)
		return err;
	if (tb[IPMP_A_GROUP_IFNAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_GROUP_IFNAME],
				    "rename the group device with ip link");
		return -EOPNOTSUPP;
	}
	err = ipmp_group_check_settings(info, tb);
	if (err)
		return err;
	if (tb[IPMP_A_GROUP_NAME]) {
		err = ipmp_group_set_name(grp, nla_data(tb[IPMP_A_GROUP_NAME]),
					  info->extack);
		if (err)
			return err;
	}
	ipmp_group_apply_settings(grp, tb);
	if (grp->probing != probing)
		ipmp_probe_set_probing(grp);
	else if (grp->failback != failback)
		ipmp_group_update(grp);
	ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	return 0;
}

static int ipmp_member_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipmp_member *m = info->user_ptr[1];
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return -ENOMEM;
	if (ipmp_fill_member(msg, m, info->snd_portid, info->snd_seq, 0,
			     IPMP_CMD_MEMBER_GET)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return genlmsg_reply(msg, info);
}

/*
 * One group's members, then the places it keeps, from index *@idx on;
 * *@idx is where to resume when the message is full.
 */
static int ipmp_member_dump_group(struct sk_buff *skb,
				  struct netlink_callback *cb,
				  struct ipmp_group *grp, long *idx)
{
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	struct ipmp_member *m;
	struct ipmp_place *pl;
	long i = 0;
	int err;

	list_for_each_entry(m, &grp->members, list) {
		if (i++ < *idx)
			continue;
		err = ipmp_fill_member(skb, m, portid, seq, NLM_F_MULTI,
				       IPMP_CMD_MEMBER_GET);
		if (err)
			goto full;
		nl_dump_check_consistent(cb, nlmsg_hdr(skb));
	}
	list_for_each_entry(pl, &grp->places, list) {
		if (i++ < *idx)
			continue;
		err = ipmp_fill_place(skb, grp, pl, portid, seq, NLM_F_MULTI,
				      IPMP_CMD_MEMBER_GET);
		if (err)
			goto full;
	}
	*idx = 0;
	return 0;
full:
	*idx = i - 1;
	return err;
}

static int ipmp_member_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	int filter = cb->args[2];
	struct net_device *dev;
	int gidx = 0, err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!netif_is_ipmp(dev) || (filter && dev->ifindex != filter))
			continue;
		if (gidx++ < cb->args[0])
			continue;
		err = ipmp_member_dump_group(skb, cb, netdev_priv(dev),
					     &cb->args[1]);
		if (err) {
			cb->args[0] = gidx - 1;
			goto out;
		}
	}
	cb->args[0] = gidx;
out:
	rtnl_unlock();
	return err && !skb->len ? err : skb->len;
}

static int ipmp_member_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_MEMBER_MAX + 1];
	struct ipmp_group *grp = info->user_ptr[0];
	struct net_device *dev;
	int err;

	err = ipmp_parse_member(info, tb);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[IPMP_A_MEMBER], tb,
			      IPMP_A_MEMBER_IFINDEX)) {
		NL_SET_ERR_MSG(info->extack, "missing member ifindex");
		return -EINVAL;
	}
	dev = __dev_get_by_index(genl_info_net(info),
				 nla_get_u32(tb[IPMP_A_MEMBER_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_MEMBER_IFINDEX],
				    "no such device");
		return -ENODEV;
	}
	return ipmp_member_add(grp, dev, tb[IPMP_A_MEMBER_STANDBY] &&
			       nla_get_u8(tb[IPMP_A_MEMBER_STANDBY]),
			       info->extack);
}

static int ipmp_member_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_MEMBER_MAX + 1];
	struct ipmp_member *m = info->user_ptr[1];
	int err;

	err = ipmp_parse_member(info, tb);
	if (err)
		return err;
	if (!m)
		return ipmp_place_del(info->user_ptr[0],
				      nla_data(tb[IPMP_A_MEMBER_IFNAME]),
				      info->extack);
	if (tb[IPMP_A_MEMBER_GROUP_IFINDEX] &&
	    nla_get_u32(tb[IPMP_A_MEMBER_GROUP_IFINDEX]) != m->grp->dev->ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_MEMBER_GROUP_IFINDEX],
				    "device is not a member of this group");
		return -ENOENT;
	}
	ipmp_member_del(m);
	return 0;
}

static int ipmp_member_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_MEMBER_MAX + 1];
	struct ipmp_member *m = info->user_ptr[1];
	int err;

	err = ipmp_parse_member(info, tb);
	if (err)
		return err;
	if (tb[IPMP_A_MEMBER_GROUP_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPMP_A_MEMBER_GROUP_IFINDEX],
				    "move a member by removing and adding it");
		return -EOPNOTSUPP;
	}
	if (tb[IPMP_A_MEMBER_OFFLINE]) {
		err = ipmp_member_set_offline(m, nla_get_u8(tb[IPMP_A_MEMBER_OFFLINE]),
					      info->extack);
		if (err)
			return err;
	}
	if (tb[IPMP_A_MEMBER_STANDBY])
		ipmp_member_set_standby(m, nla_get_u8(tb[IPMP_A_MEMBER_STANDBY]));
	return 0;
}

/* An IPv4 or IPv6 address attribute: 4 or 16 bytes. */
static int ipmp_get_ip(const struct nlattr *nla, struct in6_addr *addr,
		       unsigned int *af, struct netlink_ext_ack *extack)
{
	switch (nla_len(nla)) {
	case 4:
		ipmp_ip4(addr, nla_get_in_addr(nla));
		*af = IPMP_AF4;
		return 0;
	case 16:
		*addr = nla_get_in6_addr(nla);
		*af = IPMP_AF6;
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, nla,
			    "an address is 4 bytes (IPv4) or 16 bytes (IPv6)");
	return -EINVAL;
}

static int ipmp_testaddr_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_MEMBER_MAX + 1];
	struct ipmp_member *m = info->user_ptr[1];
	bool del = info->genlhdr->cmd == IPMP_CMD_TESTADDR_DEL;
	struct in6_addr addr;
	unsigned int af;
	u8 plen = 32;
	int err;

	err = ipmp_parse_member(info, tb);
	if (err)
		return err;
	if (!tb[IPMP_A_MEMBER_TESTADDR]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[IPMP_A_MEMBER],
				     IPMP_A_MEMBER_TESTADDR);
		NL_SET_ERR_MSG(info->extack, "missing test address");
		return -EINVAL;
	}
	err = ipmp_get_ip(tb[IPMP_A_MEMBER_TESTADDR], &addr, &af, info->extack);
	if (err)
		return err;
	if (af == IPMP_AF6) {
		if (tb[IPMP_A_MEMBER_TESTADDR_PREFIXLEN]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[IPMP_A_MEMBER_TESTADDR_PREFIXLEN],
					    "an IPv6 test address is link-local: it takes no prefix length");
			return -EINVAL;
		}
		err = del ? ipmp_testaddr6_del(m, &addr, info->extack) :
			    ipmp_testaddr6_set(m, &addr, info->extack);
	} else {
		if (tb[IPMP_A_MEMBER_TESTADDR_PREFIXLEN])
			plen = nla_get_u8(tb[IPMP_A_MEMBER_TESTADDR_PREFIXLEN]);
		err = del ? ipmp_testaddr_del(m, ipmp_ip4_of(&addr), info->extack) :
			    ipmp_testaddr_set(m, ipmp_ip4_of(&addr), plen,
					      info->extack);
	}
	if (!err)
		ipmp_notify_member(m, IPMP_CMD_MEMBER_SET);
	return err;
}

static int ipmp_target_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[IPMP_A_GROUP_MAX + 1];
	struct ipmp_group *grp = info->user_ptr[0];
	struct in6_addr addr;
	unsigned int af;
	int err;

	err = ipmp_parse_group(info, tb);
	if (err)
		return err;
	if (!tb[IPMP_A_GROUP_TARGET]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[IPMP_A_GROUP],
				     IPMP_A_GROUP_TARGET);
		NL_SET_ERR_MSG(info->extack, "missing target");
		return -EINVAL;
	}
	err = ipmp_get_ip(tb[IPMP_A_GROUP_TARGET], &addr, &af, info->extack);
	if (err)
		return err;
	if (info->genlhdr->cmd == IPMP_CMD_TARGET_DEL)
		err = ipmp_target_del(grp, af, &addr, info->extack);
	else
		err = ipmp_target_add(grp, af, &addr, info->extack);
	if (!err)
		ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	return err;
}

static const struct genl_ops ipmp_genl_ops[] = {
	{
		.cmd = IPMP_CMD_GROUP_GET,
		.doit = ipmp_group_get_doit,
		.dumpit = ipmp_group_get_dumpit,
		.internal_flags = IPMP_NEED_GROUP,
	},
	{
		.cmd = IPMP_CMD_GROUP_NEW,
		.doit = ipmp_group_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IPMP_CMD_GROUP_DEL,
		.doit = ipmp_group_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_GROUP,
	},
	{
		.cmd = IPMP_CMD_GROUP_SET,
		.doit = ipmp_group_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_GROUP,
	},
	{
		.cmd = IPMP_CMD_MEMBER_GET,
		.doit = ipmp_member_get_doit,
		.start = ipmp_member_dump_start,
		.dumpit = ipmp_member_get_dumpit,
		.internal_flags = IPMP_NEED_MEMBER,
	},
	{
		.cmd = IPMP_CMD_MEMBER_ADD,
		.doit = ipmp_member_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_MEMBER_GROUP,
	},
	{
		.cmd = IPMP_CMD_MEMBER_DEL,
		.doit = ipmp_member_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_MEMBER | IPMP_OR_PLACE,
	},
	{
		.cmd = IPMP_CMD_MEMBER_SET,
		.doit = ipmp_member_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_MEMBER,
	},
	{
		.cmd = IPMP_CMD_ADDR_GET,
		.start = ipmp_addr_dump_start,
		.dumpit = ipmp_addr_get_dumpit,
	},
	{
		.cmd = IPMP_CMD_TESTADDR_ADD,
		.doit = ipmp_testaddr_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_MEMBER,
	},
	{
		.cmd = IPMP_CMD_TESTADDR_DEL,
		.doit = ipmp_testaddr_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_MEMBER,
	},
	{
		.cmd = IPMP_CMD_TARGET_ADD,
		.doit = ipmp_target_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_GROUP,
	},
	{
		.cmd = IPMP_CMD_TARGET_DEL,
		.doit = ipmp_target_doit,
		.flags = GENL_UNS_ADMIN_PERM,
		.internal_flags = IPMP_NEED_GROUP,
	},
};

static struct genl_family ipmp_genl_family __ro_after_init = {
	.name = IPMP_GENL_NAME,
	.version = IPMP_GENL_VERSION,
	.maxattr = IPMP_A_MAX,
	.policy = ipmp_policy,
	.netnsok = true,
	.pre_doit = ipmp_pre_doit,
	.post_doit = ipmp_post_doit,
	.ops = ipmp_genl_ops,
	.n_ops = ARRAY_SIZE(ipmp_genl_ops),
	.resv_start_op = IPMP_CMD_GROUP_GET,
	.mcgrps = ipmp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ipmp_mcgrps),
	.module = THIS_MODULE,
};

int __init ipmp_genl_init(void)
{
	return genl_register_family(&ipmp_genl_family);
}

void ipmp_genl_exit(void)
{
	genl_unregister_family(&ipmp_genl_family);
}
