// SPDX-License-Identifier: GPL-2.0
/*
 * Members of a group: join validation, joining and leaving, the rx_handler
 * and the netdev events of members.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include "ipmp.h"

/* A frame a member of the group sent, flooded back to another member. */
static bool ipmp_is_reflection(struct ipmp_group *grp, const u8 *src)
{
	struct ipmp_member *m;

	list_for_each_entry_rcu(m, &grp->members, list)
		if (ether_addr_equal(m->dev->dev_addr, src))
			return true;
	return false;
}

/*
 * Frames for a member's test address are answered here.  Frames to a
 * member's own MAC go up through the group whatever the member's state;
 * broadcast and multicast only through the nominee, so that nothing is
 * delivered twice.
 */
static rx_handler_result_t ipmp_handle_frame(struct sk_buff **pskb)
{
	struct ipmp_member *m = rcu_dereference((*pskb)->dev->rx_handler_data);
	struct ipmp_group *grp = m->grp;
	struct sk_buff *skb;

	skb = skb_share_check(*pskb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	if (unlikely(ipmp_testaddr_rx(m, skb)))
		return RX_HANDLER_CONSUMED;

	switch (skb->pkt_type) {
	case PACKET_BROADCAST:
	case PACKET_MULTICAST:
		if (READ_ONCE(grp->nominee) != m)
			return RX_HANDLER_EXACT;
		if (ipmp_is_reflection(grp, eth_hdr(skb)->h_source)) {
			kfree_skb(skb);
			return RX_HANDLER_CONSUMED;
		}
		break;
	case PACKET_OTHERHOST:
		/*
		 * Flooded unicast for another MAC, the group's included: the
		 * group's MAC is its first member's, which takes its frames.
		 */
		return RX_HANDLER_EXACT;
	}

	skb->dev = grp->dev;
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

int ipmp_member_join(struct ipmp_group *grp, struct net_device *dev,
		     bool standby, bool inactive, struct netlink_ext_ack *extack)
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
	m->inactive = inactive;
	m->announced = U32_MAX;
	INIT_LIST_HEAD(&m->addrs);

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
	list_add_tail_rcu(&m->list, &grp->members);
	grp->nmembers++;
	ipmp_linkpoll_add(m);
	ipmp_probe_start(m);
	netdev_info(grp->dev, "interface %s was added to IPMP group %s\n",
		    dev->name, grp->name);
	ipmp_member_check_duphw(grp);
	ipmp_group_sync_mtu(grp);
	ipmp_group_update(grp);
	ipmp_member_announced(m);
	ipmp_notify_member(m, IPMP_CMD_MEMBER_ADD);
	ipmp_place_taken(grp, dev->name);
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

int ipmp_member_add(struct ipmp_group *grp, struct net_device *dev,
		    bool standby, struct netlink_ext_ack *extack)
{
	return ipmp_member_join(grp, dev, standby, standby, extack);
}

void ipmp_member_del(struct ipmp_member *m)
{
	struct ipmp_group *grp = m->grp;
	struct net_device *dev = m->dev;

	ASSERT_RTNL();
	netdev_info(grp->dev, "interface %s was removed from IPMP group %s\n",
		    dev->name, grp->name);
	ipmp_notify_member(m, IPMP_CMD_MEMBER_DEL);
	ipmp_probe_stop(m);
	ipmp_testaddr6_release(m);
	ipmp_group_forget(grp, m);
	ipmp_linkpoll_del(m);
	list_del_rcu(&m->list);
	grp->nmembers--;
	ipmp_member_check_duphw(grp);
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

static int ipmp_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ipmp_member *m = ipmp_member_get(dev);

	if (!m) {
		if (event == NETDEV_REGISTER || event == NETDEV_CHANGENAME)
			ipmp_place_check(dev);
		return NOTIFY_DONE;
	}

	switch (event) {
	case NETDEV_UNREGISTER:
		ipmp_member_gone(m);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		ipmp_member_link_change(m, ipmp_link_is_up(dev));
		break;
	case NETDEV_CHANGEADDR:
		ipmp_member_check_duphw(m->grp);
		ipmp_group_update(m->grp);
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
