// SPDX-License-Identifier: GPL-2.0
/*
 * NIC replacement: a member whose device unregisters (unplugged, its
 * driver unloaded, moved to another namespace) keeps its place in the
 * group, in state "removed", with its standby flag and its test address.
 * When a device of the same name appears in the group's namespace, or a
 * device is renamed to it as udev does, it joins again with that
 * configuration, as it would after a boot; failback follows the group's
 * rule.  Removing a member by hand (ipmpadm remove, ip link set nomaster)
 * forgets its place.
 *
 * Places are changed under RTNL.  Joining waits for a work item: the
 * notifier that sees the device appear runs in the middle of its
 * registration or renaming.
 */
#include <linux/rtnetlink.h>
#include "ipmp.h"

/* Places kept in any group: devices appearing are looked at only if some. */
static atomic_t ipmp_nplaces = ATOMIC_INIT(0);

static void ipmp_place_free(struct ipmp_place *pl)
{
	list_del(&pl->list);
	atomic_dec(&ipmp_nplaces);
	kfree(pl);
}

static struct ipmp_place *ipmp_place_find(struct ipmp_group *grp,
					  const char *name)
{
	struct ipmp_place *pl;

	list_for_each_entry(pl, &grp->places, list)
		if (!strcmp(pl->name, name))
			return pl;
	return NULL;
}

/* The device of member @m unregisters: remember its place, then let it go. */
void ipmp_member_gone(struct ipmp_member *m)
{
	struct ipmp_group *grp = m->grp;
	struct ipmp_place *pl = kzalloc(sizeof(*pl), GFP_KERNEL);

	if (pl) {
		strscpy(pl->name, m->dev->name, sizeof(pl->name));
		pl->standby = m->standby;
		pl->test4 = m->test4;
		pl->test4_plen = m->test4_plen;
		pl->test6 = m->test6;
		pl->test6_set = m->test6_set;
	}
	ipmp_member_del(m);
	if (!pl)
		return;
	list_add_tail(&pl->list, &grp->places);
	atomic_inc(&ipmp_nplaces);
	netdev_info(grp->dev, "interface %s of group %s is gone: its place is kept for a device of that name\n",
		    pl->name, grp->name);
	ipmp_group_update(grp);
	ipmp_notify_place(grp, pl, IPMP_CMD_MEMBER_SET);
}

/* A member joined by hand takes the place of the same name. */
void ipmp_place_taken(struct ipmp_group *grp, const char *name)
{
	struct ipmp_place *pl = ipmp_place_find(grp, name);

	if (pl)
		ipmp_place_free(pl);
}

int ipmp_place_del(struct ipmp_group *grp, const char *name,
		   struct netlink_ext_ack *extack)
{
	struct ipmp_place *pl = ipmp_place_find(grp, name);

	if (!pl) {
		NL_SET_ERR_MSG(extack, "no such device, and the group keeps no place of that name");
		return -ENODEV;
	}
	netdev_info(grp->dev, "interface %s was removed from IPMP group %s\n",
		    pl->name, grp->name);
	ipmp_notify_place(grp, pl, IPMP_CMD_MEMBER_DEL);
	ipmp_place_free(pl);
	ipmp_group_update(grp);
	return 0;
}

static void ipmp_place_join(struct ipmp_group *grp, struct ipmp_place *pl,
			    struct net_device *dev)
{
	struct ipmp_place was = *pl;	/* joining frees the place */
	struct netlink_ext_ack extack = {};
	struct ipmp_member *m;
	int err;

	err = ipmp_member_join(grp, dev, was.standby,
			       was.standby || !grp->failback, &extack);
	if (err) {
		netdev_warn(grp->dev, "interface %s cannot take its place in IPMP group %s: %s\n",
			    dev->name, grp->name, extack._msg ?: "error");
		return;
	}
	m = ipmp_member_get(dev);
	if (was.test4 &&
	    ipmp_testaddr_set(m, was.test4, was.test4_plen, &extack))
		netdev_warn(grp->dev, "interface %s of group %s lost its test address: %s\n",
			    dev->name, grp->name, extack._msg ?: "error");
	if (was.test6_set && ipmp_testaddr6_set(m, &was.test6, &extack))
		netdev_warn(grp->dev, "interface %s of group %s lost its IPv6 test address: %s\n",
			    dev->name, grp->name, extack._msg ?: "error");
	netdev_info(grp->dev, "interface %s took its place in IPMP group %s again\n",
		    dev->name, grp->name);
}

static void ipmp_place_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, place_work);
	struct ipmp_place *pl, *tmp;
	struct net_device *dev;

	if (!rtnl_trylock()) {	/* the group may be going away under RTNL */
		queue_delayed_work(system_wq, &grp->place_work, 1);
		return;
	}
	list_for_each_entry_safe(pl, tmp, &grp->places, list) {
		dev = __dev_get_by_name(dev_net(grp->dev), pl->name);
		if (dev && !ipmp_member_get(dev))
			ipmp_place_join(grp, pl, dev);
	}
	rtnl_unlock();
}

/* A device registered or was renamed: is some group keeping its place? */
void ipmp_place_check(struct net_device *dev)
{
	struct net_device *gdev;
	struct ipmp_group *grp;

	ASSERT_RTNL();
	if (!atomic_read(&ipmp_nplaces))
		return;
	for_each_netdev(dev_net(dev), gdev) {
		if (!netif_is_ipmp(gdev))
			continue;
		grp = netdev_priv(gdev);
		if (ipmp_place_find(grp, dev->name))
			queue_delayed_work(system_wq, &grp->place_work, 0);
	}
}

void ipmp_places_init(struct ipmp_group *grp)
{
	INIT_LIST_HEAD(&grp->places);
	INIT_DELAYED_WORK(&grp->place_work, ipmp_place_work);
}

void ipmp_places_release(struct ipmp_group *grp)
{
	struct ipmp_place *pl, *tmp;

	cancel_delayed_work_sync(&grp->place_work);
	list_for_each_entry_safe(pl, tmp, &grp->places, list)
		ipmp_place_free(pl);
}
