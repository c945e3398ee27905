// SPDX-License-Identifier: GPL-2.0
/*
 * Members of a group: join validation, the rx_handler, link-state tracking
 * and the choice of the members that carry traffic.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include "ipmp.h"

static rx_handler_result_t ipmp_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct ipmp_member *m = rcu_dereference(skb->dev->rx_handler_data);
	struct ipmp_group *grp = m->grp;

	if (!READ_ONCE(m->active))
		return RX_HANDLER_EXACT;
	if (skb->pkt_type == PACKET_BROADCAST ||
	    skb->pkt_type == PACKET_MULTICAST) {
		if (READ_ONCE(grp->nominee) != m)
			return RX_HANDLER_EXACT;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	skb->dev = grp->dev;
	if (skb->pkt_type == PACKET_OTHERHOST &&
	    ether_addr_equal(eth_hdr(skb)->h_dest, grp->dev->dev_addr))
		skb->pkt_type = PACKET_HOST;
	dev_sw_netstats_rx_add(grp->dev, skb->len + ETH_HLEN);
	return RX_HANDLER_ANOTHER;
}

struct ipmp_member *ipmp_member_get(struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != ipmp_handle_frame)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}

static bool ipmp_has_global_addr(struct net_device *dev,
				 struct netlink_ext_ack *extack)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	struct inet6_dev *idev = __in6_dev_get(dev);
	struct inet6_ifaddr *ifa;
	bool found = false;
	const struct in_ifaddr *ifa4;

	in_dev_for_each_ifa_rtnl(ifa4, in_dev) {
		if (ifa4->ifa_scope < RT_SCOPE_LINK) {
			NL_SET_ERR_MSG(extack,
				       "device has IPv4 addresses; move them to the group first");
			return true;
		}
	}
	if (!idev)
		return false;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifa, &idev->addr_list, if_list)
		if (!(ipv6_addr_type(&ifa->addr) & IPV6_ADDR_LINKLOCAL))
			found = true;
	read_unlock_bh(&idev->lock);
	if (found)
		NL_SET_ERR_MSG(extack,
			       "device has IPv6 global addresses; move them to the group first");
	return found;
}

static int ipmp_member_check(struct ipmp_group *grp, struct net_device *dev,
			     struct netlink_ext_ack *extack)
{
	if (dev == grp->dev) {
		NL_SET_ERR_MSG(extack, "cannot add a group to itself");
		return -EINVAL;
	}
	if (netif_is_ipmp(dev)) {
		NL_SET_ERR_MSG(extack, "device is an IPMP group; groups cannot be nested");
		return -EINVAL;
	}
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG(extack, "loopback device cannot be a member");
		return -EINVAL;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "device is not an Ethernet device");
		return -EINVAL;
	}
	if (!(dev->flags & IFF_MULTICAST)) {
		NL_SET_ERR_MSG(extack, "device does not support multicast");
		return -EINVAL;
	}
	if (!net_eq(dev_net(dev), dev_net(grp->dev))) {
		NL_SET_ERR_MSG(extack, "device is in another network namespace");
		return -EINVAL;
	}
	if (ipmp_member_get(dev)) {
		NL_SET_ERR_MSG(extack, "device is already a member of an IPMP group");
		return -EBUSY;
	}
	if (netdev_master_upper_dev_get(dev) || netdev_is_rx_handler_busy(dev)) {
		NL_SET_ERR_MSG(extack, "device is already enslaved to another master");
		return -EBUSY;
	}
	if (ipmp_has_global_addr(dev, extack))
		return -EADDRINUSE;
	return 0;
}

/* What a member notification shows, packed to see what changed. */
#define IPMP_UNANNOUNCED U32_MAX

static u32 ipmp_member_summary(const struct ipmp_member *m)
{
	return ipmp_member_flags(m) | m->active << 8 | m->link_up << 9 |
	       m->state << 10;
}

static bool ipmp_link_is_up(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

static bool ipmp_member_usable(const struct ipmp_member *m)
{
	return m->state == IPMP_MEMBER_OK;
}

int ipmp_member_add(struct ipmp_group *grp, struct net_device *dev,
		    bool standby, struct netlink_ext_ack *extack)
{
	struct ipmp_member *m;
	bool opened;
	int err;

	ASSERT_RTNL();
	err = ipmp_member_check(grp, dev, extack);
	if (err)
		return err;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dev = dev;
	m->grp = grp;
	m->standby = standby;
	m->inactive = standby;
	m->announced = IPMP_UNANNOUNCED;

	opened = !(dev->flags & IFF_UP);
	if (opened) {
		err = dev_open(dev, extack);
		if (err)
			goto err_free;
	}
	err = netdev_rx_handler_register(dev, ipmp_handle_frame, m);
	if (err)
		goto err_close;
	err = netdev_master_upper_dev_link(dev, grp->dev, NULL, NULL, extack);
	if (err)
		goto err_unregister;

	netdev_hold(dev, &m->dev_tracker, GFP_KERNEL);
	dev->flags |= IFF_SLAVE;
	m->link_up = ipmp_link_is_up(dev);
	m->state = m->link_up ? IPMP_MEMBER_OK : IPMP_MEMBER_FAILED;
	if (!grp->nmembers && !ether_addr_equal(grp->dev->dev_addr, dev->dev_addr)) {
		eth_hw_addr_set(grp->dev, dev->dev_addr);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, grp->dev);
	}
	list_add_tail(&m->list, &grp->members);
	grp->nmembers++;
	netdev_info(grp->dev, "interface %s was added to IPMP group %s\n",
		    dev->name, grp->name);
	ipmp_group_sync_mtu(grp);
	ipmp_group_update(grp);
	m->announced = ipmp_member_summary(m);
	ipmp_notify_member(m, IPMP_CMD_MEMBER_ADD);
	return 0;

err_unregister:
	netdev_rx_handler_unregister(dev);
err_close:
	if (opened)
		dev_close(dev);
err_free:
	kfree(m);
	return err;
}

void ipmp_member_del(struct ipmp_member *m)
{
	struct ipmp_group *grp = m->grp;
	struct net_device *dev = m->dev;

	ASSERT_RTNL();
	netdev_info(grp->dev, "interface %s was removed from IPMP group %s\n",
		    dev->name, grp->name);
	ipmp_notify_member(m, IPMP_CMD_MEMBER_DEL);
	list_del(&m->list);
	grp->nmembers--;
	ipmp_group_update(grp);

	netdev_upper_dev_unlink(dev, grp->dev);
	netdev_rx_handler_unregister(dev);
	dev->flags &= ~IFF_SLAVE;
	netdev_put(dev, &m->dev_tracker);
	kfree_rcu(m, rcu);
	ipmp_group_sync_mtu(grp);
}

void ipmp_member_del_all(struct ipmp_group *grp)
{
	struct ipmp_member *m, *tmp;

	list_for_each_entry_safe(m, tmp, &grp->members, list)
		ipmp_member_del(m);
}

void ipmp_member_set_standby(struct ipmp_member *m, bool standby)
{
	if (m->standby == standby)
		return;
	m->standby = standby;
	m->inactive = standby;
	ipmp_group_update(m->grp);
}

unsigned int ipmp_member_flags(const struct ipmp_member *m)
{
	unsigned int flags = 0;

	if (m->inactive)
		flags |= IPMP_MEMBER_F_INACTIVE;
	if (m->standby)
		flags |= IPMP_MEMBER_F_STANDBY;
	if (m->grp->nominee == m)
		flags |= IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4 |
			 IPMP_MEMBER_F_MCAST6;
	if (!(m->dev->flags & IFF_UP))
		flags |= IPMP_MEMBER_F_DOWN;
	return flags;
}

/*
 * Choose which usable members carry traffic.  As many members are active as
 * there are non-standby members (at least one): non-standby members first,
 * standby members fill in for the ones that are not usable and step back when
 * they are no longer needed.  Without failback, a repaired member comes back
 * inactive (see ipmp_member_link_change()) and stays so until it is needed.
 */
static void ipmp_group_select(struct ipmp_group *grp)
{
	unsigned int target = 0, nactive = 0;
	struct ipmp_member *m;
	int pass;

	list_for_each_entry(m, &grp->members, list) {
		if (!m->standby)
			target++;
		if (grp->failback && !m->standby)
			m->inactive = false;
		if (ipmp_member_usable(m) && !m->inactive)
			nactive++;
	}
	target = max(target, 1U);

	for (pass = 0; pass < 2 && nactive < target; pass++) {
		list_for_each_entry(m, &grp->members, list) {
			if (nactive >= target)
				break;
			if (m->standby == !pass && ipmp_member_usable(m) &&
			    m->inactive) {
				m->inactive = false;
				nactive++;
			}
		}
	}
	list_for_each_entry_reverse(m, &grp->members, list) {
		if (nactive <= target)
			break;
		if (m->standby && ipmp_member_usable(m) && !m->inactive) {
			m->inactive = true;
			nactive--;
		}
	}
}

static struct ipmp_active *ipmp_active_build(struct ipmp_group *grp)
{
	struct ipmp_active *act;
	struct ipmp_member *m;

	act = kzalloc(struct_size(act, m, grp->nmembers), GFP_KERNEL);
	if (!act)
		return NULL;
	list_for_each_entry(m, &grp->members, list) {
		m->active = ipmp_member_usable(m) && !m->inactive;
		if (m->active)
			act->m[act->n++] = m;
	}
	return act;
}

static enum ipmp_group_state ipmp_group_state(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	if (!grp->nactive)
		return IPMP_GROUP_FAILED;
	list_for_each_entry(m, &grp->members, list)
		if (!ipmp_member_usable(m))
			return IPMP_GROUP_DEGRADED;
	return IPMP_GROUP_OK;
}

static void ipmp_group_set_state(struct ipmp_group *grp,
				 enum ipmp_group_state state)
{
	enum ipmp_group_state old = grp->state;

	grp->state = state;
	if (state == IPMP_GROUP_FAILED) {
		netif_carrier_off(grp->dev);
		if (old != IPMP_GROUP_FAILED && grp->nmembers)
			netdev_warn(grp->dev, "All IP interfaces in group %s are now unusable\n",
				    grp->name);
	} else {
		netif_carrier_on(grp->dev);
		if (old == IPMP_GROUP_FAILED && grp->nominee)
			netdev_info(grp->dev, "At least 1 IP interface (%s) in group %s is now usable\n",
				    grp->nominee->dev->name, grp->name);
	}
	if (old != state || grp->announced_nactive != grp->nactive) {
		grp->announced_nactive = grp->nactive;
		ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	}
}

static void ipmp_group_notify_members(struct ipmp_group *grp)
{
	struct ipmp_member *m;
	u32 now;

	list_for_each_entry(m, &grp->members, list) {
		now = ipmp_member_summary(m);
		if (m->announced != IPMP_UNANNOUNCED && now != m->announced) {
			m->announced = now;
			ipmp_notify_member(m, IPMP_CMD_MEMBER_SET);
		}
	}
}

/*
 * Recompute which members are active after any change of membership,
 * settings or member state, and publish the result to the data path.
 */
void ipmp_group_update(struct ipmp_group *grp)
{
	struct ipmp_active *act, *old;

	ASSERT_RTNL();
	ipmp_group_select(grp);
	act = ipmp_active_build(grp);
	if (!act) {
		/* Keep the old array: the worst case is a stale active set. */
		netdev_err(grp->dev, "out of memory updating active members\n");
		return;
	}
	grp->nactive = act->n;
	WRITE_ONCE(grp->nominee, act->n ? act->m[0] : NULL);
	old = rtnl_dereference(grp->active);
	rcu_assign_pointer(grp->active, act);
	if (old)
		kfree_rcu(old, rcu);
	ipmp_group_set_state(grp, ipmp_group_state(grp));
	ipmp_group_notify_members(grp);
}

/* Tear down what a group holds, as its device unregisters. */
void ipmp_group_release(struct ipmp_group *grp)
{
	struct ipmp_active *act;

	ipmp_member_del_all(grp);
	act = rtnl_dereference(grp->active);
	RCU_INIT_POINTER(grp->active, NULL);
	if (act)
		kfree_rcu(act, rcu);
}

static void ipmp_member_link_change(struct ipmp_member *m)
{
	struct ipmp_group *grp = m->grp;
	bool up = ipmp_link_is_up(m->dev);

	if (up == m->link_up)
		return;
	m->link_up = up;
	if (up)
		netdev_info(grp->dev, "The link has come up on %s\n", m->dev->name);
	else
		netdev_warn(grp->dev, "The link has gone down on %s\n", m->dev->name);

	if (!up && m->state == IPMP_MEMBER_OK) {
		m->state = IPMP_MEMBER_FAILED;
		netdev_warn(grp->dev, "IP interface failure detected on %s of group %s\n",
			    m->dev->name, grp->name);
	} else if (up && m->state == IPMP_MEMBER_FAILED) {
		m->state = IPMP_MEMBER_OK;
		m->inactive = m->standby || !grp->failback;
		netdev_info(grp->dev, "IP interface repair detected on %s of group %s\n",
			    m->dev->name, grp->name);
	}
	ipmp_group_update(grp);
}

static int ipmp_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ipmp_member *m = ipmp_member_get(dev);

	if (!m)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_UNREGISTER:
		ipmp_member_del(m);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		ipmp_member_link_change(m);
		break;
	case NETDEV_CHANGEMTU:
		ipmp_group_sync_mtu(m->grp);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return notifier_from_errno(-EBUSY);
	}
	return NOTIFY_DONE;
}

struct notifier_block ipmp_netdev_notifier = {
	.notifier_call = ipmp_netdev_event,
};
