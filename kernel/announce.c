// SPDX-License-Identifier: GPL-2.0
/*
 * Announcements: when a data address moves to another member, peers are
 * told its new MAC address by a gratuitous ARP request (IPv4) or an
 * unsolicited neighbour advertisement with the override flag (IPv6), sent
 * from that member, the first at once and then announce_count - 1 more,
 * announce_interval_ms apart.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <net/arp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "ipmp.h"

static void ipmp_announce_arp(struct net_device *dev, __be32 addr)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, addr, dev, addr, NULL,
			 dev->dev_addr, NULL);
	if (skb)
		arp_xmit(skb);
}

static void ipmp_announce_na(struct net_device *dev, const struct in6_addr *addr)
{
	int len = sizeof(struct nd_msg) + 8;	/* one target link-layer option */
	struct sk_buff *skb;
	struct ipv6hdr *ip6;
	struct nd_msg *msg;
	u8 dst[ETH_ALEN];

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*ip6) + len +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	ip6 = skb_put(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	ip6->saddr = *addr;
	ipv6_addr_set(&ip6->daddr, htonl(0xff020000), 0, 0, htonl(1));

	msg = skb_put_zero(skb, len);
	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	msg->icmph.icmp6_override = 1;
	msg->target = *addr;
	msg->opt[0] = ND_OPT_TARGET_LL_ADDR;
	msg->opt[1] = 1;
	ether_addr_copy(&msg->opt[2], dev->dev_addr);
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
						 IPPROTO_ICMPV6,
						 csum_partial(msg, len, 0));

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	ipv6_eth_mc_map(&ip6->daddr, dst);
	if (dev_hard_header(skb, dev, ETH_P_IPV6, dst, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

static void ipmp_announce_addr(struct ipmp_addr *a)
{
	struct net_device *dev = a->bound->dev;

	if (!netif_running(dev))
		return;
	if (a->family == AF_INET)
		ipmp_announce_arp(dev, a->a.v4);
	else
		ipmp_announce_na(dev, &a->a.v6);
}

static void ipmp_announce_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, announce_work);
	bool up = netif_running(grp->dev);
	struct ipmp_addr *a;
	bool more = false;

	spin_lock_bh(&grp->addr_lock);
	list_for_each_entry(a, &grp->addrs, list) {
		if (!a->announce_left)
			continue;
		a->announce_left--;
		if (up && a->bound)
			ipmp_announce_addr(a);
		more |= a->announce_left;
	}
	spin_unlock_bh(&grp->addr_lock);
	if (more)
		queue_delayed_work(system_highpri_wq, &grp->announce_work,
				   msecs_to_jiffies(grp->announce_interval_ms));
}

/* Announce what is pending now; called with addr_lock held. */
void ipmp_announce_schedule(struct ipmp_group *grp)
{
	mod_delayed_work(system_highpri_wq, &grp->announce_work, 0);
}

void ipmp_announce_init(struct ipmp_group *grp)
{
	INIT_DELAYED_WORK(&grp->announce_work, ipmp_announce_work);
	grp->announce_count = IPMP_ANNOUNCE_COUNT_DEFAULT;
	grp->announce_interval_ms = IPMP_ANNOUNCE_INTERVAL_DEFAULT_MS;
}
