// SPDX-License-Identifier: GPL-2.0
/*
 * Probe targets, for IPv4 and IPv6 each: the static ones when the
 * administrator configured some; else the next hops of the default route
 * through the group; else hosts that answered an echo to all-hosts
 * (224.0.0.1, ff02::1) sent from the test addresses (in the order they
 * answered); else reachable neighbours of the group.  Only addresses on a
 * member's test subnet count (IPv4), or link-local ones (IPv6, whose test
 * addresses are link-local): probes reach their targets directly.  At most
 * IPMP_TARGETS_MAX per family, published to the probe timers under RCU and
 * changed under RTNL.
 *
 * Discovery is a work item that runs every IPMP_DISCOVERY_INTERVAL while
 * some member probes and no target is static.  All-hosts is asked again
 * while fewer than two hosts answered; a host every probing member left out
 * as dead is dropped.  While some member is failed by its probes, a
 * discovery that finds nothing keeps the targets it had, so that a dead
 * path cannot hide itself by taking its targets away.
 */
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/arp.h>
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/nexthop.h>
#include "ipmp.h"

#define IPMP_DISCOVERY_INTERVAL	HZ

static bool ipmp_targets_has(const struct in6_addr *t, unsigned int n,
			     const struct in6_addr *addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ipv6_addr_equal(&t[i], addr))
			return true;
	return false;
}

/* A data address or a test address of the group would probe the group. */
static bool ipmp_target_is_ours(struct ipmp_group *grp, unsigned int af,
				const struct in6_addr *addr)
{
	struct ipmp_member *m;
	struct in6_addr test;
	__be32 v4 = ipmp_ip4_of(addr);
	bool ours;

	list_for_each_entry(m, &grp->members, list)
		if (ipmp_probe_test_addr(m, af, &test) &&
		    ipv6_addr_equal(&test, addr))
			return true;
	rcu_read_lock_bh();
	ours = ipmp_addr_exists(grp, ipmp_af_family(af),
				af == IPMP_AF6 ? (const void *)addr : &v4);
	rcu_read_unlock_bh();
	return ours || (af == IPMP_AF6 &&
			ipv6_chk_addr(dev_net(grp->dev), addr, grp->dev, 0));
}

static bool ipmp_target4_valid(__be32 addr)
{
	return !(ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
		 ipv4_is_zeronet(addr) || ipv4_is_loopback(addr));
}

static bool ipmp_target6_valid(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return (type & IPV6_ADDR_UNICAST) &&
	       !(type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED));
}

/* An IPv4 unicast address on the test subnet of a probing member. */
static bool ipmp_target4_onlink(struct ipmp_group *grp, __be32 addr)
{
	struct ipmp_member *m;

	if (!ipmp_target4_valid(addr))
		return false;
	list_for_each_entry(m, &grp->members, list)
		if (m->test4 &&
		    !((addr ^ m->test4) & inet_make_mask(m->test4_plen)))
			return true;
	return false;
}

/* A unicast address the members' test addresses reach directly, not ours. */
static bool ipmp_target_usable(struct ipmp_group *grp, unsigned int af,
			       const struct in6_addr *addr)
{
	bool onlink;

	if (af == IPMP_AF6)
		onlink = ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL &&
			 ipmp_target6_valid(addr);
	else
		onlink = ipmp_target4_onlink(grp, ipmp_ip4_of(addr));
	return onlink && !ipmp_target_is_ours(grp, af, addr);
}

static void ipmp_targets_add(struct ipmp_targets *tg,
			     const struct in6_addr *addr)
{
	if (tg->n < IPMP_TARGETS_MAX && !ipmp_targets_has(tg->t, tg->n, addr))
		tg->t[tg->n++] = *addr;
}

/* Next hops of the IPv4 default route that leave through the group. */
static void ipmp_targets_routes4(struct ipmp_group *grp,
				 struct ipmp_targets *tg)
{
	struct in6_addr gw;
	struct flowi4 fl4 = {};
	struct fib_result res;
	struct fib_nh_common *nhc;
	unsigned int i;

	rcu_read_lock();
	if (fib_lookup(dev_net(grp->dev), &fl4, &res, 0) || !res.fi ||
	    res.prefixlen || res.type != RTN_UNICAST)
		goto out;
	for (i = 0; i < fib_info_num_path(res.fi); i++) {
		nhc = fib_info_nhc(res.fi, i);
		if (nhc->nhc_dev != grp->dev || nhc->nhc_gw_family != AF_INET)
			continue;
		ipmp_ip4(&gw, nhc->nhc_gw.ipv4);
		if (ipmp_target_usable(grp, IPMP_AF4, &gw))
			ipmp_targets_add(tg, &gw);
	}
out:
	rcu_read_unlock();
}

static void ipmp_targets_route6_nh(struct ipmp_group *grp,
				   struct ipmp_targets *tg,
				   const struct fib6_info *f6i)
{
	const struct fib6_nh *nh = f6i->fib6_nh;

	if (f6i->nh || f6i->fib6_dst.plen || nh->fib_nh_dev != grp->dev ||
	    nh->fib_nh_gw_family != AF_INET6)
		return;
	if (ipmp_target_usable(grp, IPMP_AF6, &nh->fib_nh_gw6))
		ipmp_targets_add(tg, &nh->fib_nh_gw6);
}

/* Link-local next hops of the IPv6 default route through the group. */
static void ipmp_targets_routes6(struct ipmp_group *grp,
				 struct ipmp_targets *tg)
{
	struct flowi6 fl6 = { .flowi6_oif = grp->dev->ifindex };
	struct fib6_info *f6i, *sib;
	struct dst_entry *dst;
	struct rt6_info *rt;

	dst = ip6_route_lookup(dev_net(grp->dev), &fl6, NULL,
			       RT6_LOOKUP_F_IFACE);
	rt = (struct rt6_info *)dst;
	if (dst->error || !(rt->rt6i_flags & RTF_GATEWAY))
		goto out;
	rcu_read_lock();
	f6i = rcu_dereference(rt->from);
	if (f6i) {
		ipmp_targets_route6_nh(grp, tg, f6i);
		list_for_each_entry_rcu(sib, &f6i->fib6_siblings, fib6_siblings)
			ipmp_targets_route6_nh(grp, tg, sib);
	}
	rcu_read_unlock();
out:
	dst_release(dst);
}

struct ipmp_neigh_walk {
	struct ipmp_group *grp;
	struct ipmp_targets *tg;
	unsigned int af;
};

static void ipmp_targets_neigh_one(struct neighbour *n, void *arg)
{
	struct ipmp_neigh_walk *w = arg;
	struct in6_addr addr;

	if (w->af == IPMP_AF6)
		memcpy(&addr, n->primary_key, sizeof(addr));
	else
		ipmp_ip4(&addr, *(__be32 *)n->primary_key);
	if (n->dev == w->grp->dev && (READ_ONCE(n->nud_state) & NUD_REACHABLE) &&
	    ipmp_target_usable(w->grp, w->af, &addr))
		ipmp_targets_add(w->tg, &addr);
}

static void ipmp_targets_neigh(struct ipmp_group *grp, unsigned int af,
			       struct ipmp_targets *tg)
{
	struct ipmp_neigh_walk w = { .grp = grp, .tg = tg, .af = af };

	neigh_for_each(af == IPMP_AF6 ? &nd_tbl : &arp_tbl,
		       ipmp_targets_neigh_one, &w);
}

/* The targets of family @af the group should probe now. */
static void ipmp_targets_choose(struct ipmp_group *grp, unsigned int af,
				struct ipmp_targets *tg)
{
	unsigned int i;

	if (grp->nstatic[af]) {
		for (i = 0; i < grp->nstatic[af]; i++)
			ipmp_targets_add(tg, &grp->static_tg[af][i]);
		tg->mode = IPMP_TARGETS_STATIC;
		return;
	}
	if (af == IPMP_AF6)
		ipmp_targets_routes6(grp, tg);
	else
		ipmp_targets_routes4(grp, tg);
	tg->mode = IPMP_TARGETS_ROUTES;
	if (tg->n)
		return;
	for (i = 0; i < grp->nhosts[af]; i++)
		ipmp_targets_add(tg, &grp->hosts[af][i]);
	tg->mode = IPMP_TARGETS_MULTICAST;
	if (tg->n)
		return;
	ipmp_targets_neigh(grp, af, tg);
	tg->mode = tg->n ? IPMP_TARGETS_NEIGHBOURS : IPMP_TARGETS_NONE;
}

static bool ipmp_targets_same(const struct ipmp_targets *a,
			      const struct ipmp_targets *b)
{
	return a->n == b->n && a->mode == b->mode &&
	       !memcmp(a->t, b->t, a->n * sizeof(a->t[0]));
}

static bool ipmp_some_probe_failed(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	list_for_each_entry(m, &grp->members, list)
		if (m->probe_failed)
			return true;
	return false;
}

/* Publish the targets of family @af of the moment; true when they changed. */
static bool ipmp_targets_refresh_af(struct ipmp_group *grp, unsigned int af)
{
	struct ipmp_targets *old = rtnl_dereference(grp->targets[af]), *new;
	struct ipmp_targets now = {};
	struct ipmp_member *m;

	ipmp_targets_choose(grp, af, &now);
	if (old && ipmp_targets_same(old, &now))
		return false;
	if (!now.n && old && old->n && old->mode != IPMP_TARGETS_STATIC &&
	    ipmp_some_probe_failed(grp))
		return false;
	new = kmemdup(&now, sizeof(now), GFP_KERNEL);
	if (!new)
		return false;
	rcu_assign_pointer(grp->targets[af], new);
	if (old)
		kfree_rcu(old, rcu);
	list_for_each_entry(m, &grp->members, list) {
		if (!now.n) {
			/* Without targets this family's probes tell nothing. */
			ipmp_probe_reset_af(m, af);
			ipmp_member_refresh(m);
		}
		ipmp_probe_kick(m);
	}
	if (!now.n != !(old && old->n))
		ipmp_group_update(grp);		/* states ok <-> unknown */
	ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	return true;
}

/* Every member probing in family @af has left @addr out as dead. */
static bool ipmp_host_dead(struct ipmp_group *grp, unsigned int af,
			   const struct in6_addr *addr)
{
	struct ipmp_member *m;
	bool dead = false;

	list_for_each_entry(m, &grp->members, list) {
		if (!ipmp_probe_test_addr(m, af, NULL))
			continue;
		dead = ipmp_probe_thinks_dead(m, af, addr);
		if (!dead)
			break;
	}
	return dead;
}

/*
 * Hosts that answered all-hosts since the last run join the list, unless
 * the members still hold them dead: a host that answers all-hosts but not
 * the probes would come and go every second.
 */
static void ipmp_targets_take_heard(struct ipmp_group *grp, unsigned int af)
{
	struct in6_addr heard[IPMP_TARGETS_MAX];
	unsigned int i, n;

	spin_lock_bh(&grp->heard_lock);
	n = grp->nheard[af];
	memcpy(heard, grp->heard[af], n * sizeof(heard[0]));
	grp->nheard[af] = 0;
	spin_unlock_bh(&grp->heard_lock);
	for (i = 0; i < n && grp->nhosts[af] < IPMP_TARGETS_MAX; i++)
		if (!ipmp_targets_has(grp->hosts[af], grp->nhosts[af], &heard[i]) &&
		    ipmp_target_usable(grp, af, &heard[i]) &&
		    !ipmp_host_dead(grp, af, &heard[i]))
			grp->hosts[af][grp->nhosts[af]++] = heard[i];
}

/* Hosts every probing member has left out as dead are forgotten. */
static void ipmp_targets_drop_dead_hosts(struct ipmp_group *grp,
					 unsigned int af)
{
	struct in6_addr *hosts = grp->hosts[af];
	char a[IPMP_IP_STRLEN];
	unsigned int i = 0;

	while (i < grp->nhosts[af]) {
		if (!ipmp_host_dead(grp, af, &hosts[i])) {
			i++;
			continue;
		}
		netdev_info(grp->dev, "probe target %s of group %s is gone\n",
			    ipmp_ip_str(a, af, &hosts[i]), grp->name);
		hosts[i] = hosts[--grp->nhosts[af]];
	}
}

static bool ipmp_targets_wanted(struct ipmp_group *grp, unsigned int af)
{
	struct ipmp_member *m;

	if (!grp->probing || grp->nstatic[af])
		return false;
	list_for_each_entry(m, &grp->members, list)
		if (ipmp_probe_test_addr(m, af, NULL))
			return true;
	return false;
}

/* Ask all-hosts again while fewer than two hosts answered. */
static bool ipmp_targets_discover(struct ipmp_group *grp, unsigned int af)
{
	struct ipmp_targets *tg = rtnl_dereference(grp->targets[af]);
	struct ipmp_member *m;

	if (!ipmp_targets_wanted(grp, af))
		return false;
	if ((!tg || tg->mode != IPMP_TARGETS_ROUTES) && grp->nhosts[af] < 2)
		list_for_each_entry(m, &grp->members, list)
			ipmp_probe_send_mcast(m, af);
	return true;
}

static void ipmp_targets_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, target_work);
	bool again = false;
	unsigned int af;

	if (!rtnl_trylock()) {	/* the group may be going away under RTNL */
		queue_delayed_work(system_wq, &grp->target_work, 1);
		return;
	}
	for (af = 0; af < IPMP_NAF; af++) {
		ipmp_targets_take_heard(grp, af);
		ipmp_targets_drop_dead_hosts(grp, af);
		ipmp_targets_refresh_af(grp, af);
		again |= ipmp_targets_discover(grp, af);
	}
	if (again)
		queue_delayed_work(system_wq, &grp->target_work,
				   IPMP_DISCOVERY_INTERVAL);
	rtnl_unlock();
}

/* Softirq: @addr answered an all-hosts echo; the work looks at it. */
void ipmp_targets_heard(struct ipmp_group *grp, unsigned int af,
			const struct in6_addr *addr)
{
	spin_lock(&grp->heard_lock);
	if (grp->nheard[af] < IPMP_TARGETS_MAX &&
	    !ipmp_targets_has(grp->heard[af], grp->nheard[af], addr))
		grp->heard[af][grp->nheard[af]++] = *addr;
	spin_unlock(&grp->heard_lock);
	mod_delayed_work(system_wq, &grp->target_work, 0);
}

/* Something that decides the targets changed: look again soon. */
void ipmp_targets_kick(struct ipmp_group *grp)
{
	if (!grp->nstatic[IPMP_AF4] || !grp->nstatic[IPMP_AF6])
		queue_delayed_work(system_wq, &grp->target_work, 1);
}

int ipmp_target_add(struct ipmp_group *grp, unsigned int af,
		    const struct in6_addr *addr, struct netlink_ext_ack *extack)
{
	unsigned int *n = &grp->nstatic[af];

	if (af == IPMP_AF6 ? !ipmp_target6_valid(addr) :
			     !ipmp_target4_valid(ipmp_ip4_of(addr))) {
		NL_SET_ERR_MSG(extack, "a target must be a unicast address");
		return -EINVAL;
	}
	if (ipmp_target_is_ours(grp, af, addr)) {
		NL_SET_ERR_MSG(extack, "a target cannot be an address of the group");
		return -EINVAL;
	}
	if (ipmp_targets_has(grp->static_tg[af], *n, addr)) {
		NL_SET_ERR_MSG(extack, "the group already has this target");
		return -EEXIST;
	}
	if (*n >= IPMP_TARGETS_MAX) {
		NL_SET_ERR_MSG(extack, "a group has at most 5 targets per address family");
		return -ENOSPC;
	}
	grp->static_tg[af][(*n)++] = *addr;
	ipmp_targets_refresh_af(grp, af);
	return 0;
}

int ipmp_target_del(struct ipmp_group *grp, unsigned int af,
		    const struct in6_addr *addr, struct netlink_ext_ack *extack)
{
	struct in6_addr *t = grp->static_tg[af];
	unsigned int i, *n = &grp->nstatic[af];

	for (i = 0; i < *n; i++)
		if (ipv6_addr_equal(&t[i], addr))
			break;
	if (i == *n) {
		NL_SET_ERR_MSG(extack, "the group has no such target");
		return -ENOENT;
	}
	memmove(t + i, t + i + 1, (*n - i - 1) * sizeof(t[0]));
	(*n)--;
	ipmp_targets_refresh_af(grp, af);
	ipmp_targets_kick(grp);
	return 0;
}

void ipmp_targets_init(struct ipmp_group *grp)
{
	spin_lock_init(&grp->heard_lock);
	INIT_DELAYED_WORK(&grp->target_work, ipmp_targets_work);
}

void ipmp_targets_release(struct ipmp_group *grp)
{
	struct ipmp_targets *tg;
	unsigned int af;

	cancel_delayed_work_sync(&grp->target_work);
	for (af = 0; af < IPMP_NAF; af++) {
		tg = rtnl_dereference(grp->targets[af]);
		RCU_INIT_POINTER(grp->targets[af], NULL);
		if (tg)
			kfree_rcu(tg, rcu);
	}
}
