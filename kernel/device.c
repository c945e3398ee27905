// SPDX-License-Identifier: GPL-2.0
/*
 * The IPMP group netdevice: creation, naming, MTU, the transmit path and
 * the receive filters it hands to its nominee.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ctype.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include "ipmp.h"

/*
 * A member loses its carrier a moment before the event that fails it is
 * processed: meanwhile its flows take the next member that has carrier.
 */
static struct ipmp_member *ipmp_xmit_fallback(struct ipmp_active *act,
					      struct ipmp_member *m)
{
	unsigned int i;

	for (i = 0; i < act->n; i++)
		if (netif_carrier_ok(act->m[i]->dev))
			return act->m[i];
	return m;
}

/*
 * ARP and ND leave through the member of their data address, broadcast and
 * multicast through the nominee, everything else by a hash of its flow.
 */
static struct ipmp_member *ipmp_xmit_member(struct ipmp_group *grp,
					    struct sk_buff *skb)
{
	struct ipmp_member *m = ipmp_neigh_out(grp, skb);
	struct ipmp_active *act;

	if (m && READ_ONCE(m->active))
		return m;
	if (is_multicast_ether_addr(eth_hdr(skb)->h_dest))
		return READ_ONCE(grp->nominee);
	act = rcu_dereference_bh(grp->active);
	if (!act || !act->n)
		return NULL;
	m = act->m[act->n == 1 ? 0 : reciprocal_scale(skb_get_hash(skb), act->n)];
	return likely(netif_carrier_ok(m->dev)) ? m : ipmp_xmit_fallback(act, m);
}

static netdev_tx_t ipmp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ipmp_group *grp = netdev_priv(dev);
	struct ipmp_member *m;
	unsigned int len;

	m = ipmp_xmit_member(grp, skb);
	if (unlikely(!m || skb_ensure_writable(skb, ETH_HLEN)))
		goto drop;
	ether_addr_copy(eth_hdr(skb)->h_source, m->dev->dev_addr);
	skb->dev = m->dev;
	len = skb->len;
	if (likely(dev_queue_xmit(skb) == NET_XMIT_SUCCESS))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		DEV_STATS_INC(dev, tx_dropped);
	return NETDEV_TX_OK;

drop:
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* The nominee receives broadcast and multicast for the group. */
static void ipmp_set_rx_mode(struct net_device *dev)
{
	struct ipmp_group *grp = netdev_priv(dev);
	struct ipmp_member *nominee;

	rcu_read_lock();
	nominee = READ_ONCE(grp->nominee);
	if (nominee) {
		dev_uc_sync(nominee->dev, dev);
		dev_mc_sync(nominee->dev, dev);
	}
	rcu_read_unlock();
}

static void ipmp_change_rx_flags(struct net_device *dev, int change)
{
	struct ipmp_group *grp = netdev_priv(dev);
	struct ipmp_member *nominee = grp->nominee;

	ASSERT_RTNL();
	if (!nominee)
		return;
	if (change & IFF_PROMISC)
		dev_set_promiscuity(nominee->dev,
				    dev->flags & IFF_PROMISC ? 1 : -1);
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(nominee->dev,
				 dev->flags & IFF_ALLMULTI ? 1 : -1);
}

static int ipmp_init(struct net_device *dev)
{
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = ipmp_addr_table_init(netdev_priv(dev));
	if (err) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
	}
	return err;
}

/* The group device unregisters: release everything the group holds. */
static void ipmp_uninit(struct net_device *dev)
{
	struct ipmp_group *grp = netdev_priv(dev);
	struct ipmp_active *act;

	ipmp_member_del_all(grp);
	ipmp_linkpoll_release(grp);
	ipmp_places_release(grp);
	cancel_delayed_work_sync(&grp->damp_work);
	ipmp_probe_group_release(grp);
	ipmp_addr_group_release(grp);
	act = rtnl_dereference(grp->active);
	RCU_INIT_POINTER(grp->active, NULL);
	if (act)
		kfree_rcu(act, rcu);
	ipmp_notify_group(grp, IPMP_CMD_GROUP_DEL);
}

static void ipmp_destructor(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static int ipmp_change_mtu(struct net_device *dev, int mtu)
{
	struct ipmp_group *grp = netdev_priv(dev);
	struct ipmp_member *m;

	list_for_each_entry(m, &grp->members, list)
		if (mtu > m->dev->mtu)
			return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

static int ipmp_add_slave(struct net_device *dev, struct net_device *slave,
			  struct netlink_ext_ack *extack)
{
	return ipmp_member_add(netdev_priv(dev), slave, false, extack);
}

static int ipmp_del_slave(struct net_device *dev, struct net_device *slave)
{
	struct ipmp_member *m = ipmp_member_get(slave);

	if (!m || m->grp != netdev_priv(dev))
		return -ENODEV;
	ipmp_member_del(m);
	return 0;
}

static const struct net_device_ops ipmp_netdev_ops = {
	.ndo_init		= ipmp_init,
	.ndo_uninit		= ipmp_uninit,
	.ndo_start_xmit		= ipmp_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_change_mtu		= ipmp_change_mtu,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_rx_mode	= ipmp_set_rx_mode,
	.ndo_change_rx_flags	= ipmp_change_rx_flags,
	.ndo_add_slave		= ipmp_add_slave,
	.ndo_del_slave		= ipmp_del_slave,
};

#define IPMP_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
		       NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE)

void ipmp_setup(struct net_device *dev)
{
	struct ipmp_group *grp = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &ipmp_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = ipmp_destructor;
	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->hw_features = IPMP_FEATURES;
	dev->features = IPMP_FEATURES;
	ipmp_dev_set_lltx(dev);
	ipmp_dev_set_netns_immutable(dev);
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);

	grp->dev = dev;
	INIT_LIST_HEAD(&grp->members);
	grp->fdt_ms = IPMP_FDT_DEFAULT_MS;
	grp->fdt_cur_ms = IPMP_FDT_DEFAULT_MS;
	grp->probing = true;
	grp->failback = true;
	grp->state = IPMP_GROUP_FAILED;
	ipmp_addr_group_init(grp);
	ipmp_announce_init(grp);
	ipmp_damp_init(grp);
	ipmp_linkpoll_init(grp);
	ipmp_probe_group_init(grp);
	ipmp_places_init(grp);
}

struct ipmp_group *ipmp_group_get(struct net *net, int ifindex)
{
	struct net_device *dev = __dev_get_by_index(net, ifindex);

	return dev && netif_is_ipmp(dev) ? netdev_priv(dev) : NULL;
}

struct ipmp_group *ipmp_group_by_name(struct net *net, const char *name)
{
	struct net_device *dev;

	for_each_netdev(net, dev)
		if (netif_is_ipmp(dev) &&
		    !strcmp(((struct ipmp_group *)netdev_priv(dev))->name, name))
			return netdev_priv(dev);
	return NULL;
}

/* Printable, no spaces, at most IPMP_GROUP_NAME_MAX bytes, unique in the netns. */
int ipmp_group_check_name(struct net_device *dev, const char *name,
			  struct netlink_ext_ack *extack)
{
	struct ipmp_group *other;
	const char *p;

	if (!*name) {
		NL_SET_ERR_MSG(extack, "group name is empty");
		return -EINVAL;
	}
	if (strlen(name) > IPMP_GROUP_NAME_MAX) {
		NL_SET_ERR_MSG(extack, "group name is longer than 31 bytes");
		return -ENAMETOOLONG;
	}
	for (p = name; *p; p++) {
		if (!isgraph(*p)) {
			NL_SET_ERR_MSG(extack, "group name must be printable with no spaces");
			return -EINVAL;
		}
	}
	other = ipmp_group_by_name(dev_net(dev), name);
	if (other && other->dev != dev) {
		NL_SET_ERR_MSG(extack, "group name is already used by another group");
		return -EEXIST;
	}
	return 0;
}

int ipmp_group_set_name(struct ipmp_group *grp, const char *name,
			struct netlink_ext_ack *extack)
{
	int err = ipmp_group_check_name(grp->dev, name, extack);

	if (!err)
		strscpy(grp->name, name, sizeof(grp->name));
	return err;
}

/*
 * Register a freshly allocated group device: its name pattern is resolved
 * first, so that the group name (the device name unless given) can be
 * checked before the device becomes visible.
 */
int ipmp_group_register(struct net_device *dev, const char *name,
			struct netlink_ext_ack *extack)
{
	struct ipmp_group *grp = netdev_priv(dev);
	int err;

	if (strchr(dev->name, '%')) {
		err = dev_alloc_name(dev, dev->name);
		if (err < 0)
			return err;
	}
	err = ipmp_group_set_name(grp, name ?: dev->name, extack);
	if (err)
		return err;
	err = register_netdevice(dev);
	if (err)
		return err;
	netif_carrier_off(dev);
	ipmp_group_ipv6_init(dev);
	ipmp_notify_group(grp, IPMP_CMD_GROUP_NEW);
	return 0;
}

/* The group's MTU is the smallest of its members'. */
void ipmp_group_sync_mtu(struct ipmp_group *grp)
{
	struct ipmp_member *m;
	unsigned int mtu = UINT_MAX;

	list_for_each_entry(m, &grp->members, list)
		mtu = min(mtu, m->dev->mtu);
	if (mtu != UINT_MAX && mtu != grp->dev->mtu)
		dev_set_mtu(grp->dev, mtu);
}
