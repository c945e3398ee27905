/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal definitions of ipmp.ko: groups, members and the glue between
 * the files that implement them.
 *
 * Locking: every change to a group or a member happens under RTNL.  The data
 * path (xmit, rx_handler) reads the active-member array under RCU only.
 */
#ifndef _IPMP_H
#define _IPMP_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <uapi/linux/ipmp.h>

struct ipmp_group;

struct ipmp_member {
	struct list_head list;		/* in ipmp_group.members */
	struct net_device *dev;
	struct ipmp_group *grp;
	netdevice_tracker dev_tracker;
	enum ipmp_member_state state;
	bool link_up;
	bool standby;
	bool inactive;			/* held back from carrying traffic */
	bool active;			/* usable and not inactive */
	u32 announced;			/* ipmp_member_summary() last notified */
	struct rcu_head rcu;
};

/* The members that carry traffic, for the data path. */
struct ipmp_active {
	struct rcu_head rcu;
	unsigned int n;
	struct ipmp_member *m[];
};

struct ipmp_group {
	struct net_device *dev;
	struct list_head members;
	unsigned int nmembers;
	unsigned int nactive;
	struct ipmp_active __rcu *active;
	struct ipmp_member *nominee;	/* broadcast/multicast nominee */
	enum ipmp_group_state state;
	unsigned int announced_nactive;
	char name[IPMP_GROUP_NAME_MAX + 1];
	u32 fdt_ms;
	bool failback;
};

extern struct rtnl_link_ops ipmp_link_ops;

static inline bool netif_is_ipmp(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &ipmp_link_ops;
}

/* device.c */
void ipmp_setup(struct net_device *dev);
int ipmp_group_register(struct net_device *dev, const char *name,
			struct netlink_ext_ack *extack);
struct ipmp_group *ipmp_group_get(struct net *net, int ifindex);
struct ipmp_group *ipmp_group_by_name(struct net *net, const char *name);
int ipmp_group_check_name(struct net_device *dev, const char *name,
			  struct netlink_ext_ack *extack);
int ipmp_group_set_name(struct ipmp_group *grp, const char *name,
			struct netlink_ext_ack *extack);
void ipmp_group_sync_mtu(struct ipmp_group *grp);

/* member.c */
int ipmp_member_add(struct ipmp_group *grp, struct net_device *dev,
		    bool standby, struct netlink_ext_ack *extack);
void ipmp_member_del(struct ipmp_member *m);
void ipmp_member_del_all(struct ipmp_group *grp);
void ipmp_group_release(struct ipmp_group *grp);
struct ipmp_member *ipmp_member_get(struct net_device *dev);
void ipmp_member_set_standby(struct ipmp_member *m, bool standby);
void ipmp_group_update(struct ipmp_group *grp);
unsigned int ipmp_member_flags(const struct ipmp_member *m);
extern struct notifier_block ipmp_netdev_notifier;

/* netlink.c */
int ipmp_genl_init(void);
void ipmp_genl_exit(void);
void ipmp_notify_group(struct ipmp_group *grp, u8 cmd);
void ipmp_notify_member(struct ipmp_member *m, u8 cmd);

#endif /* _IPMP_H */
