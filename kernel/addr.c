// SPDX-License-Identifier: GPL-2.0
/*
 * Data addresses: the IPv4 and IPv6 addresses of a group device, each bound
 * to one active member (its inbound interface), spread so that the members
 * hold as many as one another, give or take one.
 *
 * IPv6 address events may arrive in atomic context, so the table is guarded
 * by a spinlock; the transmit path looks addresses up under RCU.
 */
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include "ipmp.h"

/* What the table is looked up by. */
struct ipmp_addr_key {
	const void *addr;
	u8 family;
};

static u32 ipmp_addr_hash(u8 family, const void *addr, u32 seed)
{
	if (family == AF_INET)
		return jhash_1word((__force u32)*(const __be32 *)addr, seed);
	return jhash2((__force const u32 *)((const struct in6_addr *)addr)->s6_addr32,
		      4, seed);
}

static u32 ipmp_addr_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ipmp_addr_key *k = data;

	return ipmp_addr_hash(k->family, k->addr, seed);
}

static u32 ipmp_addr_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ipmp_addr *a = data;

	return ipmp_addr_hash(a->family, &a->a, seed);
}

static bool ipmp_addr_match(const struct ipmp_addr *a, u8 family,
			    const void *addr)
{
	if (a->family != family)
		return false;
	if (family == AF_INET)
		return a->a.v4 == *(const __be32 *)addr;
	return ipv6_addr_equal(&a->a.v6, addr);
}

static int ipmp_addr_obj_cmpfn(struct rhashtable_compare_arg *arg,
			       const void *obj)
{
	const struct ipmp_addr_key *k = arg->key;

	return !ipmp_addr_match(obj, k->family, k->addr);
}

/*
 * The table grows with the addresses and shrinks back: a group costs a
 * few buckets, and a lookup among thousands of addresses stays short.
 */
static const struct rhashtable_params ipmp_addr_params = {
	.head_offset		= offsetof(struct ipmp_addr, hnode),
	.hashfn			= ipmp_addr_key_hashfn,
	.obj_hashfn		= ipmp_addr_obj_hashfn,
	.obj_cmpfn		= ipmp_addr_obj_cmpfn,
	.automatic_shrinking	= true,
};

static struct ipmp_addr *ipmp_addr_find(struct ipmp_group *grp, u8 family,
					const void *addr)
{
	struct ipmp_addr_key key = { .addr = addr, .family = family };

	return rhashtable_lookup_fast(&grp->addr_ht, &key, ipmp_addr_params);
}

bool ipmp_addr_exists(struct ipmp_group *grp, u8 family, const void *addr)
{
	return ipmp_addr_find(grp, family, addr);
}

struct ipmp_member *ipmp_addr_lookup4(struct ipmp_group *grp, __be32 addr)
{
	struct ipmp_addr *a = ipmp_addr_find(grp, AF_INET, &addr);

	return a ? READ_ONCE(a->bound) : NULL;
}

struct ipmp_member *ipmp_addr_lookup6(struct ipmp_group *grp,
				      const struct in6_addr *addr)
{
	struct ipmp_addr *a = ipmp_addr_find(grp, AF_INET6, addr);

	return a ? READ_ONCE(a->bound) : NULL;
}

static struct ipmp_member *ipmp_least_loaded(struct ipmp_group *grp)
{
	struct ipmp_active *act = rcu_dereference_bh(grp->active);
	struct ipmp_member *best = NULL;
	unsigned int i;

	for (i = 0; act && i < act->n; i++)
		if (!best || act->m[i]->nbound < best->nbound)
			best = act->m[i];
	return best;
}

/* Bind @a to @m (NULL: unbound); a move is announced to the peers. */
static void ipmp_addr_bind(struct ipmp_group *grp, struct ipmp_addr *a,
			   struct ipmp_member *m, bool announce)
{
	struct ipmp_member *old = a->bound;

	lockdep_assert_held(&grp->addr_lock);
	if (old == m)
		return;
	if (old) {
		list_del(&a->mlist);
		old->nbound--;
	}
	WRITE_ONCE(a->bound, m);
	if (m) {
		list_add_tail(&a->mlist, &m->addrs);
		m->nbound++;
		if (announce && grp->announce_count)
			ipmp_announce_schedule(grp, a);
	}
	ipmp_notify_addr(grp, a, IPMP_CMD_ADDR_GET);
}

/* Move the fullest member's addresses to the emptiest until even. */
static void ipmp_addr_even_out(struct ipmp_group *grp)
{
	struct ipmp_active *act = rcu_dereference_bh(grp->active);
	struct ipmp_member *max, *min;
	unsigned int i;

	if (!act || act->n < 2)
		return;
	for (;;) {
		max = act->m[0];
		min = act->m[0];
		for (i = 1; i < act->n; i++) {
			if (act->m[i]->nbound > max->nbound)
				max = act->m[i];
			if (act->m[i]->nbound < min->nbound)
				min = act->m[i];
		}
		if (max->nbound - min->nbound <= 1)
			return;
		ipmp_addr_bind(grp, list_first_entry(&max->addrs,
						     struct ipmp_addr, mlist),
			       min, true);
	}
}

static void ipmp_addr_rebalance_locked(struct ipmp_group *grp)
{
	struct ipmp_addr *a;

	list_for_each_entry(a, &grp->addrs, list)
		if (!a->bound || !READ_ONCE(a->bound->active))
			ipmp_addr_bind(grp, a, ipmp_least_loaded(grp), true);
	ipmp_addr_even_out(grp);
}

/* After the active members changed: no address stays on an inactive one. */
void ipmp_addr_rebalance(struct ipmp_group *grp)
{
	spin_lock_bh(&grp->addr_lock);
	ipmp_addr_rebalance_locked(grp);
	spin_unlock_bh(&grp->addr_lock);
}

static void ipmp_addr_add(struct ipmp_group *grp, u8 family, const void *addr,
			  u8 prefixlen)
{
	struct ipmp_addr *a, *old;

	a = kzalloc(sizeof(*a), GFP_ATOMIC);
	if (!a)
		return;
	a->family = family;
	a->prefixlen = prefixlen;
	a->refs = 1;
	memcpy(&a->a, addr, family == AF_INET ? 4 : 16);
	INIT_LIST_HEAD(&a->mlist);

	spin_lock_bh(&grp->addr_lock);
	old = ipmp_addr_find(grp, family, addr);
	if (old) {
		old->refs++;
		spin_unlock_bh(&grp->addr_lock);
		kfree(a);
		return;
	}
	if (rhashtable_insert_fast(&grp->addr_ht, &a->hnode, ipmp_addr_params)) {
		spin_unlock_bh(&grp->addr_lock);
		if (family == AF_INET)
			net_warn_ratelimited("%s: no memory to track data address %pI4\n",
					     grp->dev->name, addr);
		else
			net_warn_ratelimited("%s: no memory to track data address %pI6c\n",
					     grp->dev->name, addr);
		kfree(a);
		return;
	}
	list_add_tail(&a->list, &grp->addrs);
	grp->naddrs++;
	ipmp_addr_bind(grp, a, ipmp_least_loaded(grp), false);
	if (!a->bound)
		ipmp_notify_addr(grp, a, IPMP_CMD_ADDR_GET);
	spin_unlock_bh(&grp->addr_lock);
}

static void ipmp_addr_unlink(struct ipmp_group *grp, struct ipmp_addr *a)
{
	if (a->bound) {
		list_del(&a->mlist);
		a->bound->nbound--;
	}
	list_del(&a->list);
	rhashtable_remove_fast(&grp->addr_ht, &a->hnode, ipmp_addr_params);
	grp->naddrs--;
	kfree_rcu(a, rcu);
}

static void ipmp_addr_del(struct ipmp_group *grp, u8 family, const void *addr)
{
	struct ipmp_addr *a;

	spin_lock_bh(&grp->addr_lock);
	a = ipmp_addr_find(grp, family, addr);
	if (a && !--a->refs) {
		ipmp_notify_addr(grp, a, IPMP_CMD_ADDR_DEL);
		ipmp_addr_unlink(grp, a);
		ipmp_addr_even_out(grp);
	}
	spin_unlock_bh(&grp->addr_lock);
}

void ipmp_addr_group_init(struct ipmp_group *grp)
{
	spin_lock_init(&grp->addr_lock);
	INIT_LIST_HEAD(&grp->addrs);
}

/* From ndo_init: the table, which needs memory. */
int ipmp_addr_table_init(struct ipmp_group *grp)
{
	return rhashtable_init(&grp->addr_ht, &ipmp_addr_params);
}

/* The group device is going away: drop what is left of its table. */
void ipmp_addr_group_release(struct ipmp_group *grp)
{
	struct ipmp_addr *a, *tmp;

	cancel_delayed_work_sync(&grp->announce_work);
	spin_lock_bh(&grp->addr_lock);
	list_for_each_entry_safe(a, tmp, &grp->addrs, list)
		ipmp_addr_unlink(grp, a);
	spin_unlock_bh(&grp->addr_lock);
	/* No lookup is left: the device is closed and past synchronize_net(). */
	rhashtable_destroy(&grp->addr_ht);
}

static int ipmp_inetaddr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;

	if (!netif_is_ipmp(dev))
		return NOTIFY_DONE;
	if (event == NETDEV_UP)
		ipmp_addr_add(netdev_priv(dev), AF_INET, &ifa->ifa_local,
			      ifa->ifa_prefixlen);
	else if (event == NETDEV_DOWN)
		ipmp_addr_del(netdev_priv(dev), AF_INET, &ifa->ifa_local);
	return NOTIFY_DONE;
}

static int ipmp_inet6addr_event(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;

	if (!netif_is_ipmp(dev))
		return NOTIFY_DONE;
	if (event == NETDEV_UP)
		ipmp_addr_add(netdev_priv(dev), AF_INET6, &ifa->addr,
			      ifa->prefix_len);
	else if (event == NETDEV_DOWN)
		ipmp_addr_del(netdev_priv(dev), AF_INET6, &ifa->addr);
	return NOTIFY_DONE;
}

static struct notifier_block ipmp_inetaddr_notifier = {
	.notifier_call = ipmp_inetaddr_event,
};

static struct notifier_block ipmp_inet6addr_notifier = {
	.notifier_call = ipmp_inet6addr_event,
};

int __init ipmp_addr_init(void)
{
	int err = register_inetaddr_notifier(&ipmp_inetaddr_notifier);

	if (err)
		return err;
	err = register_inet6addr_notifier(&ipmp_inet6addr_notifier);
	if (err)
		unregister_inetaddr_notifier(&ipmp_inetaddr_notifier);
	return err;
}

void ipmp_addr_exit(void)
{
	unregister_inet6addr_notifier(&ipmp_inet6addr_notifier);
	unregister_inetaddr_notifier(&ipmp_inetaddr_notifier);
}
