// SPDX-License-Identifier: GPL-2.0
/*
 * The carrier poll: a backstop for link-based detection on ordinary NICs.
 *
 * netif_carrier_off() takes effect at once, but the NETDEV_CHANGE that
 * tells ipmp comes from linkwatch, which runs at once only for "urgent"
 * devices: stacked ones (iflink not their own ifindex: veth, VLAN) and
 * bonding and team ports.  For any other device it waits until a second
 * has passed since its previous run, for any device of the host; on a
 * host where links come and go (containers' veths) that is most of the
 * time, and a failover would wait up to a second for it.
 *
 * So, when the administrator asks for it (link_poll_ms; 0, the default,
 * keeps detection purely event driven), members that linkwatch does not
 * hurry are polled: a timer compares their carrier with the link state the
 * group holds every link_poll_ms, and a mismatch is applied under RTNL as
 * the notifier would have.  Its NETDEV_CHANGE, when it comes, finds
 * nothing left to do.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include "ipmp.h"

static unsigned int link_poll_ms;

/* True for a device whose carrier changes linkwatch reports late. */
static bool ipmp_linkpoll_wanted(struct net_device *dev)
{
	return dev->ifindex == dev_get_iflink(dev);
}

/* The timer runs while the poll is on and the group has polled members. */
static void ipmp_linkpoll_arm(struct ipmp_group *grp)
{
	unsigned int ms = READ_ONCE(link_poll_ms);

	if (ms && READ_ONCE(grp->npolled))
		mod_timer(&grp->linkpoll_timer,
			  jiffies + max(msecs_to_jiffies(ms), 1UL));
}

/* The parameter was set non-zero: start every group's timer (RTNL). */
static void ipmp_linkpoll_start_all(void)
{
	struct ipmp_group *grp;
	struct net_device *dev;
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net) {
		for_each_netdev(net, dev) {
			if (!netif_is_ipmp(dev))
				continue;
			grp = netdev_priv(dev);
			if (!timer_pending(&grp->linkpoll_timer))
				ipmp_linkpoll_arm(grp);
		}
	}
	up_read(&net_rwsem);
}

static int ipmp_linkpoll_param_set(const char *val,
				   const struct kernel_param *kp)
{
	int err = param_set_uint(val, kp);

	if (err || !READ_ONCE(link_poll_ms))
		return err;
	rtnl_lock();
	ipmp_linkpoll_start_all();
	rtnl_unlock();
	return 0;
}

static const struct kernel_param_ops ipmp_linkpoll_param_ops = {
	.set = ipmp_linkpoll_param_set,
	.get = param_get_uint,
};
module_param_cb(link_poll_ms, &ipmp_linkpoll_param_ops, &link_poll_ms, 0644);
MODULE_PARM_DESC(link_poll_ms,
		 "also check the carrier of members that linkwatch reports late this often, in ms (0, the default: never)");

static void ipmp_linkpoll_timer(struct timer_list *t)
{
	struct ipmp_group *grp = timer_container_of(grp, t, linkpoll_timer);
	struct ipmp_member *m;
	bool stale = false;

	rcu_read_lock();
	list_for_each_entry_rcu(m, &grp->members, list) {
		if (m->linkpoll &&
		    ipmp_link_is_up(m->dev) != READ_ONCE(m->link_up)) {
			stale = true;
			break;
		}
	}
	rcu_read_unlock();
	if (stale)
		mod_delayed_work(system_highpri_wq, &grp->linkpoll_work, 0);
	ipmp_linkpoll_arm(grp);
}

static void ipmp_linkpoll_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, linkpoll_work);
	struct ipmp_member *m;

	/* The group's teardown cancels this work under RTNL: no waiting. */
	if (!rtnl_trylock()) {
		mod_delayed_work(system_highpri_wq, &grp->linkpoll_work, 1);
		return;
	}
	list_for_each_entry(m, &grp->members, list)
		if (m->linkpoll)
			ipmp_member_link_change(m, ipmp_link_is_up(m->dev));
	rtnl_unlock();
}

/* A member joined (RTNL): poll it if linkwatch would be late for it. */
void ipmp_linkpoll_add(struct ipmp_member *m)
{
	struct ipmp_group *grp = m->grp;

	m->linkpoll = ipmp_linkpoll_wanted(m->dev);
	if (!m->linkpoll)
		return;
	WRITE_ONCE(grp->npolled, grp->npolled + 1);
	if (!timer_pending(&grp->linkpoll_timer))
		ipmp_linkpoll_arm(grp);
}

/* A member leaves (RTNL); the timer stops by itself after the last one. */
void ipmp_linkpoll_del(struct ipmp_member *m)
{
	if (m->linkpoll)
		WRITE_ONCE(m->grp->npolled, m->grp->npolled - 1);
}

void ipmp_linkpoll_init(struct ipmp_group *grp)
{
	timer_setup(&grp->linkpoll_timer, ipmp_linkpoll_timer, 0);
	INIT_DELAYED_WORK(&grp->linkpoll_work, ipmp_linkpoll_work);
}

/*
 * The group goes away (RTNL, its members gone): nothing may run after.
 * The timer is shut down first, so that it can neither re-arm itself nor
 * queue the work again.
 */
void ipmp_linkpoll_release(struct ipmp_group *grp)
{
	timer_shutdown_sync(&grp->linkpoll_timer);
	cancel_delayed_work_sync(&grp->linkpoll_work);
}
