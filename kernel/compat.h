/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, force-included before every source file so that the
 * logic is written against one (the newest) API.  Each shim names the
 * version (and, where known, the upstream commit subject) that changed the
 * API, and maps the newest spelling onto the older kernels.
 *
 * This file is included before any kernel header: it may only define macros
 * and declare what no kernel header declares.  Tests on the version are the
 * only way to tell the APIs apart here (an #ifdef of a kernel macro would see
 * nothing yet).
 *
 * Compile-checked: Debian's 6.1 (upstream 6.1.192).  The branches for newer
 * kernels were written from the upstream sources (6.2 to 6.16 and net-next)
 * and are checked only by tools/compat-check (see Documentation/design.md,
 * "Kernels").
 */
#ifndef _IPMP_COMPAT_H
#define _IPMP_COMPAT_H

#include <linux/version.h>

/*
 * The oldest kernel: 6.1.y from 6.1.176 on.  Upstream 6.1.0 lacks three APIs
 * the module uses, which 6.1.y got by stable backports: DEV_STATS_INC()
 * (6.6, "net: add atomic_long_t to net_device_stats fields"),
 * timer_shutdown_sync() (6.2, "timers: Provide timer_shutdown[_sync]()",
 * in 6.1.158) and GENL_MCAST_CAP_NET_ADMIN (6.7, "genetlink: Use internal
 * flags for multicast groups", in 6.1.176).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 176)
#error "ipmp needs Linux 6.1.176 or newer (6.1.y with the stable backports)"
#endif

/*
 * 6.2: genetlink pre_doit/post_doit take the split-ops representation,
 * struct genl_split_ops (the series of "genetlink: introduce split op
 * representation").  Both have the field ipmp's pre_doit reads
 * (internal_flags).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define genl_split_ops genl_ops
#endif

/*
 * 6.6: a dump's request is a struct genl_info, genl_info_dump(cb)
 * ("genetlink: add struct genl_info to struct genl_dumpit_info"), and the
 * attrs of struct genl_dumpit_info went away ("genetlink: use attrs from
 * struct genl_info").  Before, struct genl_dumpit_info has the same attrs,
 * so that genl_info_dump(cb)->attrs reads the same on both.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define genl_info_dump(cb) genl_dumpit_info(cb)
#endif

/*
 * 6.12: the software-only netdev features became bits of struct net_device:
 * NETIF_F_LLTX is dev->lltx ("netdev_features: convert NETIF_F_LLTX to
 * dev->lltx") and NETIF_F_NETNS_LOCAL is dev->netns_local
 * ("netdev_features: convert NETIF_F_NETNS_LOCAL to dev->netns_local"),
 * renamed dev->netns_immutable in 6.15 ("net: rename netns_local to
 * netns_immutable").  No spelling exists on every kernel, so the logic
 * calls these two.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define ipmp_dev_set_lltx(dev)		((dev)->features |= NETIF_F_LLTX)
#define ipmp_dev_set_netns_immutable(dev) \
	((dev)->features |= NETIF_F_NETNS_LOCAL)
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
#define ipmp_dev_set_lltx(dev)		((dev)->lltx = true)
#define ipmp_dev_set_netns_immutable(dev) ((dev)->netns_local = true)
#else
#define ipmp_dev_set_lltx(dev)		((dev)->lltx = true)
#define ipmp_dev_set_netns_immutable(dev) ((dev)->netns_immutable = true)
#endif

/*
 * 6.15: rtnl_link_ops.newlink takes its arguments packed in a struct
 * rtnl_newlink_params ("rtnetlink: Pack newlink() params into struct").
 * The logic defines the newest form, fn(dev, params, extack), then
 * RTNL_NEWLINK_COMPAT(fn); and sets .newlink = rtnl_newlink_op(fn).  Before
 * 6.15 that defines fn_compat, of the old type, which packs the arguments
 * into a local struct with the fields every version has.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
struct rtnl_newlink_params {
	struct net *src_net;
	struct nlattr **tb;
	struct nlattr **data;
};

#define RTNL_NEWLINK_COMPAT(fn)						\
static int fn##_compat(struct net *src_net, struct net_device *dev,	\
		       struct nlattr *tb[], struct nlattr *data[],	\
		       struct netlink_ext_ack *extack)			\
{									\
	struct rtnl_newlink_params params = {				\
		.src_net = src_net, .tb = tb, .data = data,		\
	};								\
									\
	return fn(dev, &params, extack);				\
}									\
struct rtnl_newlink_params
#define rtnl_newlink_op(fn)	fn##_compat
#else
#define RTNL_NEWLINK_COMPAT(fn)	struct rtnl_newlink_params
#define rtnl_newlink_op(fn)	fn
#endif

/*
 * 6.16: from_timer() was renamed timer_container_of() ("treewide, timers:
 * Rename from_timer() to timer_container_of()"); the old name was then
 * removed.
 * (timer_delete_sync() and timer_shutdown_sync(), 6.2, are in 6.1.y.)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

/*
 * The netdev instance lock (6.15, netdev_lock_ops(); "net: hold netdev
 * instance lock during ndo_open/ndo_stop" and the series around it) needs
 * no shim: ipmp's device is not "ops locked" (no queue management, no
 * shaper, no request_ops_lock), so its ndos run without the lock, and the
 * dev_*() calls it makes on members (dev_open, dev_close, dev_set_mtu,
 * dev_set_promiscuity, dev_set_allmulti) take each member's lock
 * themselves.  What that leaves open is in Documentation/design.md.
 */

#endif /* _IPMP_COMPAT_H */
