// SPDX-License-Identifier: GPL-2.0
/*
 * ipmp_sizes: the sizes of ipmp's objects, for bench/memory.sh.  Loading
 * it logs, for each of ipmp's own structures and for bonding's and
 * net_device, its sizeof and the size of the kmalloc bucket it takes:
 *
 *   ipmp_sizes: NAME sizeof N kmalloc K
 *
 * and the module stays loaded doing nothing until it is unloaded.  Built
 * against the same kernel/ipmp.h as ipmp.ko (bench/run builds it).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/netdevice.h>
#include <net/bonding.h>
#include "ipmp.h"

static void ipmp_sizes_one(const char *name, size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	pr_info("ipmp_sizes: %s sizeof %zu kmalloc %zu\n", name, size,
		p ? ksize(p) : 0);
	kfree(p);
}

static int __init ipmp_sizes_init(void)
{
	ipmp_sizes_one("ipmp_group", sizeof(struct ipmp_group));
	ipmp_sizes_one("ipmp_member", sizeof(struct ipmp_member));
	ipmp_sizes_one("ipmp_probe", sizeof(struct ipmp_probe));
	ipmp_sizes_one("ipmp_addr", sizeof(struct ipmp_addr));
	ipmp_sizes_one("ipmp_active_per_member", sizeof(struct ipmp_member *));
	ipmp_sizes_one("net_device", sizeof(struct net_device));
	ipmp_sizes_one("net_device+ipmp_group",
		       ALIGN(sizeof(struct net_device), NETDEV_ALIGN) +
		       sizeof(struct ipmp_group));
	ipmp_sizes_one("bonding", sizeof(struct bonding));
	ipmp_sizes_one("bonding_slave", sizeof(struct slave));
	return 0;
}

static void __exit ipmp_sizes_exit(void)
{
}

module_init(ipmp_sizes_init);
module_exit(ipmp_sizes_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sizes of ipmp's objects, for bench/memory.sh");
