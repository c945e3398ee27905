// SPDX-License-Identifier: GPL-2.0
/*
 * Probe targets: the static ones when the administrator configured some;
 * else the next hops of the default route through the group; else hosts
 * that answered an ICMP echo to all-hosts sent from the test addresses (in
 * the order they answered); else reachable neighbours of the group.  Only
 * addresses on a member's test subnet count: probes reach their targets
 * directly.  At most IPMP_TARGETS_MAX, published to the probe timers under
 * RCU and changed under RTNL.
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
#include <net/nexthop.h>
#include "ipmp.h"

#define IPMP_DISCOVERY_INTERVAL	HZ

static bool ipmp_targets_has(const __be32 *t, unsigned int n, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i] == addr)
			return true;
	return false;
}

/* A data address or a test address of the group would probe the group. */
static bool ipmp_target_is_ours(struct ipmp_group *grp, __be32 addr)
{
	struct ipmp_member *m;
	bool ours;

	list_for_each_entry(m, &grp->members, list)
		if (m->test4 == addr)
			return true;
	rcu_read_lock_bh();
	ours = ipmp_addr_exists(grp, AF_INET, &addr);
	rcu_read_unlock_bh();
	return ours;
}

/* A unicast address on the test subnet of a probing member, not ours. */
static bool ipmp_target_usable(struct ipmp_group *grp, __be32 addr)
{
	struct ipmp_member *m;
	bool onlink = false;

	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr) || ipv4_is_loopback(addr))
		return false;
	list_for_each_entry(m, &grp->members, list)
		if (m->test4 &&
		    !((addr ^ m->test4) & inet_make_mask(m->test4_plen)))
			onlink = true;
	return onlink && !ipmp_target_is_ours(grp, addr);
}

static void ipmp_targets_add(struct ipmp_targets *tg, __be32 addr)
{
	if (tg->n < IPMP_TARGETS_MAX && !ipmp_targets_has(tg->t, tg->n, addr))
		tg->t[tg->n++] = addr;
}

/* Next hops of the default route that leave through the group. */
static void ipmp_targets_routes(struct ipmp_group *grp, struct ipmp_targets *tg)
{
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
		if (nhc->nhc_dev == grp->dev && nhc->nhc_gw_family == AF_INET &&
		    ipmp_target_usable(grp, nhc->nhc_gw.ipv4))
			ipmp_targets_add(tg, nhc->nhc_gw.ipv4);
	}
out:
	rcu_read_unlock();
}

struct ipmp_neigh_walk {
	struct ipmp_group *grp;
	struct ipmp_targets *tg;
};

static void ipmp_targets_neigh_one(struct neighbour *n, void *arg)
{
	struct ipmp_neigh_walk *w = arg;
	__be32 addr = *(__be32 *)n->primary_key;

	if (n->dev == w->grp->dev && (READ_ONCE(n->nud_state) & NUD_REACHABLE) &&
	    ipmp_target_usable(w->grp, addr))
		ipmp_targets_add(w->tg, addr);
}

static void ipmp_targets_neigh(struct ipmp_group *grp, struct ipmp_targets *tg)
{
	struct ipmp_neigh_walk w = { .grp = grp, .tg = tg };

	neigh_for_each(&arp_tbl, ipmp_targets_neigh_one, &w);
}

/* The targets the group should probe now. */
static void ipmp_targets_choose(struct ipmp_group *grp, struct ipmp_targets *tg)
{
	unsigned int i;

	if (grp->nstatic) {
		for (i = 0; i < grp->nstatic; i++)
			ipmp_targets_add(tg, grp->static_tg[i]);
		tg->mode = IPMP_TARGETS_STATIC;
		return;
	}
	ipmp_targets_routes(grp, tg);
	tg->mode = IPMP_TARGETS_ROUTES;
	if (tg->n)
		return;
	for (i = 0; i < grp->nhosts; i++)
		ipmp_targets_add(tg, grp->hosts[i]);
	tg->mode = IPMP_TARGETS_MULTICAST;
	if (tg->n)
		return;
	ipmp_targets_neigh(grp, tg);
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

/* Publish the targets of the moment; true when they changed. */
static bool ipmp_targets_refresh(struct ipmp_group *grp)
{
	struct ipmp_targets *old = rtnl_dereference(grp->targets), *new;
	struct ipmp_targets now = {};
	struct ipmp_member *m;

	ipmp_targets_choose(grp, &now);
	if (old && ipmp_targets_same(old, &now))
		return false;
	if (!now.n && old && old->n && old->mode != IPMP_TARGETS_STATIC &&
	    ipmp_some_probe_failed(grp))
		return false;
	new = kmemdup(&now, sizeof(now), GFP_KERNEL);
	if (!new)
		return false;
	rcu_assign_pointer(grp->targets, new);
	if (old)
		kfree_rcu(old, rcu);
	list_for_each_entry(m, &grp->members, list) {
		if (!now.n) {
			/* Without targets probes can tell nothing. */
			ipmp_probe_reset(m);
			ipmp_member_eval(m);
		}
		ipmp_probe_kick(m);
	}
	if (!now.n != !(old && old->n))
		ipmp_group_update(grp);		/* states ok <-> unknown */
	ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	return true;
}

/* Hosts that answered all-hosts since the last run join the list. */
static void ipmp_targets_take_heard(struct ipmp_group *grp)
{
	__be32 heard[IPMP_TARGETS_MAX];
	unsigned int i, n;

	spin_lock_bh(&grp->heard_lock);
	n = grp->nheard;
	memcpy(heard, grp->heard, n * sizeof(heard[0]));
	grp->nheard = 0;
	spin_unlock_bh(&grp->heard_lock);
	for (i = 0; i < n && grp->nhosts < IPMP_TARGETS_MAX; i++)
		if (!ipmp_targets_has(grp->hosts, grp->nhosts, heard[i]) &&
		    ipmp_target_usable(grp, heard[i]))
			grp->hosts[grp->nhosts++] = heard[i];
}

/* Hosts every probing member has left out as dead are forgotten. */
static void ipmp_targets_drop_dead_hosts(struct ipmp_group *grp)
{
	struct ipmp_member *m;
	unsigned int i = 0;
	bool dead;

	while (i < grp->nhosts) {
		dead = false;
		list_for_each_entry(m, &grp->members, list) {
			if (!m->test4)
				continue;
			dead = ipmp_probe_thinks_dead(m, grp->hosts[i]);
			if (!dead)
				break;
		}
		if (!dead) {
			i++;
			continue;
		}
		netdev_info(grp->dev, "probe target %pI4 of group %s is gone\n",
			    &grp->hosts[i], grp->name);
		grp->hosts[i] = grp->hosts[--grp->nhosts];
	}
}

static bool ipmp_targets_wanted(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	if (!grp->probing)
		return false;
	list_for_each_entry(m, &grp->members, list)
		if (m->test4)
			return true;
	return false;
}

static void ipmp_targets_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, target_work);
	struct ipmp_targets *tg;
	struct ipmp_member *m;

	if (!rtnl_trylock()) {	/* the group may be going away under RTNL */
		queue_delayed_work(system_wq, &grp->target_work, 1);
		return;
	}
	ipmp_targets_take_heard(grp);
	ipmp_targets_drop_dead_hosts(grp);
	ipmp_targets_refresh(grp);
	tg = rtnl_dereference(grp->targets);
	if (!grp->nstatic && ipmp_targets_wanted(grp)) {
		if ((!tg || tg->mode != IPMP_TARGETS_ROUTES) && grp->nhosts < 2)
			list_for_each_entry(m, &grp->members, list)
				if (m->test4 && grp->probing)
					ipmp_probe_send_mcast(m);
		queue_delayed_work(system_wq, &grp->target_work,
				   IPMP_DISCOVERY_INTERVAL);
	}
	rtnl_unlock();
}

/* Softirq: @addr answered an all-hosts echo; the work looks at it. */
void ipmp_targets_heard(struct ipmp_group *grp, __be32 addr)
{
	spin_lock(&grp->heard_lock);
	if (grp->nheard < IPMP_TARGETS_MAX &&
	    !ipmp_targets_has(grp->heard, grp->nheard, addr))
		grp->heard[grp->nheard++] = addr;
	spin_unlock(&grp->heard_lock);
	mod_delayed_work(system_wq, &grp->target_work, 0);
}

/* Something that decides the targets changed: look again soon. */
void ipmp_targets_kick(struct ipmp_group *grp)
{
	if (!grp->nstatic)
		queue_delayed_work(system_wq, &grp->target_work, 1);
}

int ipmp_target_add(struct ipmp_group *grp, __be32 addr,
		    struct netlink_ext_ack *extack)
{
	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr) || ipv4_is_loopback(addr)) {
		NL_SET_ERR_MSG(extack, "a target must be a unicast address");
		return -EINVAL;
	}
	if (ipmp_target_is_ours(grp, addr)) {
		NL_SET_ERR_MSG(extack, "a target cannot be an address of the group");
		return -EINVAL;
	}
	if (ipmp_targets_has(grp->static_tg, grp->nstatic, addr)) {
		NL_SET_ERR_MSG(extack, "the group already has this target");
		return -EEXIST;
	}
	if (grp->nstatic >= IPMP_TARGETS_MAX) {
		NL_SET_ERR_MSG(extack, "a group has at most 5 targets");
		return -ENOSPC;
	}
	grp->static_tg[grp->nstatic++] = addr;
	ipmp_targets_refresh(grp);
	return 0;
}

int ipmp_target_del(struct ipmp_group *grp, __be32 addr,
		    struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < grp->nstatic; i++)
		if (grp->static_tg[i] == addr)
			break;
	if (i == grp->nstatic) {
		NL_SET_ERR_MSG(extack, "the group has no such target");
		return -ENOENT;
	}
	memmove(grp->static_tg + i, grp->static_tg + i + 1,
		(grp->nstatic - i - 1) * sizeof(grp->static_tg[0]));
	grp->nstatic--;
	ipmp_targets_refresh(grp);
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
	struct ipmp_targets *tg = rtnl_dereference(grp->targets);

	cancel_delayed_work_sync(&grp->target_work);
	RCU_INIT_POINTER(grp->targets, NULL);
	if (tg)
		kfree_rcu(tg, rcu);
}
