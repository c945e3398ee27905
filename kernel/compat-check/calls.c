// SPDX-License-Identifier: GPL-2.0
/*
 * The call sites of compat.h's shims, as the files of kernel/ have them
 * (run.sh checks that every line marked "same as" is still in that file),
 * compiled against stubs.h for one kernel version at a time.
 */
#include "stubs.h"

#define IPMP_NEED_GROUP 1

/* same as main.c */
static int ipmp_newlink(struct net_device *dev,
			struct rtnl_newlink_params *params,
			struct netlink_ext_ack *extack)
{
	return dev && params && !extack ? 0 : -1;
}

RTNL_NEWLINK_COMPAT(ipmp_newlink);

struct rtnl_link_ops ipmp_link_ops = {
	.newlink	= rtnl_newlink_op(ipmp_newlink),
};

/* same as netlink.c */
static int ipmp_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	return ops->internal_flags & IPMP_NEED_GROUP ? 1 : skb || info;
}

static void ipmp_post_doit(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
}

struct genl_family ipmp_genl_family = {
	.pre_doit = ipmp_pre_doit,
	.post_doit = ipmp_post_doit,
};

int ipmp_dump_filter(struct netlink_callback *cb, int type);
int ipmp_dump_filter(struct netlink_callback *cb, int type)
{
	struct nlattr **attrs = genl_info_dump(cb)->attrs;

	return !!attrs[type];
}

/* same as device.c */
void ipmp_setup(struct net_device *dev);
void ipmp_setup(struct net_device *dev)
{
	ipmp_dev_set_lltx(dev);
	ipmp_dev_set_netns_immutable(dev);
}

/* same as probe.c */
struct ipmp_probe {
	int af;
	struct timer_list timer;
};

struct ipmp_probe *ipmp_probe_timer(struct timer_list *tl);
struct ipmp_probe *ipmp_probe_timer(struct timer_list *tl)
{
	struct ipmp_probe *p = timer_container_of(p, tl, timer);

	return p;
}
