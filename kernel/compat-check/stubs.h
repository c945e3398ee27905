/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shapes of the kernel declarations that compat.h maps, as each kernel
 * version has them, for a compile check of compat.h's branches on the host
 * (run.sh).  Only the members ipmp touches are declared; each block names
 * the version that changed it, read from the upstream sources.  Nothing
 * here is the kernel's text: it is the least that makes a wrong branch fail
 * to compile.
 *
 * Included after compat.h, as the kernel headers are in a module build.
 */
#ifndef _IPMP_COMPAT_STUBS_H
#define _IPMP_COMPAT_STUBS_H

#include <stddef.h>
#include <stdbool.h>

typedef unsigned char u8;
typedef unsigned long long netdev_features_t;

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct net;
struct nlattr;
struct sk_buff;
struct netlink_ext_ack;
struct netlink_callback {
	void *data;
};

/* netdevice.h: 6.12 moved LLTX and NETNS_LOCAL out of the features. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define NETIF_F_LLTX		((netdev_features_t)1 << 12)
#define NETIF_F_NETNS_LOCAL	((netdev_features_t)1 << 13)
#endif

struct net_device {
	netdev_features_t features;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	unsigned long lltx:1;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	unsigned long netns_immutable:1;
#else
	unsigned long netns_local:1;
#endif
#endif
};

/* rtnetlink.h: 6.15 packed newlink's arguments. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
struct rtnl_newlink_params {
	struct net *src_net;
	struct net *link_net;
	struct net *peer_net;
	struct nlattr **tb;
	struct nlattr **data;
};
#endif

struct rtnl_link_ops {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	int (*newlink)(struct net_device *dev,
		       struct rtnl_newlink_params *params,
		       struct netlink_ext_ack *extack);
#else
	int (*newlink)(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack);
#endif
};

/* genetlink.h: split ops in 6.2, the dump's genl_info in 6.6. */
struct genl_info {
	struct nlattr **attrs;
};

struct genl_ops {
	u8 internal_flags;
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
struct genl_split_ops {
	u8 internal_flags;
};
#define IPMP_STUB_PRE_OPS struct genl_split_ops
#else
#define IPMP_STUB_PRE_OPS struct genl_ops
#endif

struct genl_family {
	int (*pre_doit)(const IPMP_STUB_PRE_OPS *ops, struct sk_buff *skb,
			struct genl_info *info);
	void (*post_doit)(const IPMP_STUB_PRE_OPS *ops, struct sk_buff *skb,
			  struct genl_info *info);
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
struct genl_dumpit_info {
	struct genl_split_ops op;
	struct genl_info info;
};
#else
struct genl_dumpit_info {
	const struct genl_family *family;
	IPMP_STUB_PRE_OPS op;
	struct nlattr **attrs;
};
#endif

static inline const struct genl_dumpit_info *
genl_dumpit_info(struct netlink_callback *cb)
{
	return cb->data;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
static inline const struct genl_info *
genl_info_dump(struct netlink_callback *cb)
{
	return &genl_dumpit_info(cb)->info;
}
#endif

/* timer.h: 6.16 renamed from_timer() and removed the old name. */
struct timer_list {
	unsigned long expires;
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define timer_container_of(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*(var)), timer_fieldname)
#else
#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*(var)), timer_fieldname)
#endif

#endif /* _IPMP_COMPAT_STUBS_H */
