// SPDX-License-Identifier: GPL-2.0
/*
 * Test addresses: one IPv4 address per member that belongs to the module,
 * not to the IP stack.  It never appears on any device, never fails over,
 * and is answered here, on its member only: ARP requests and ICMP echo.
 * Everything else sent to it is dropped.  Probes are sent from it.  The
 * IPv6 test address is testaddr6.c's.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <net/arp.h>
#include <net/ip.h>
#include "ipmp.h"

static bool ipmp_testaddr_taken(struct ipmp_member *m, __be32 addr,
				struct netlink_ext_ack *extack)
{
	struct ipmp_group *grp = m->grp;
	struct ipmp_member *o;
	bool data;

	list_for_each_entry(o, &grp->members, list) {
		if (o != m && o->test4 == addr) {
			NL_SET_ERR_MSG(extack, "test address is already used by another member");
			return true;
		}
	}
	rcu_read_lock_bh();
	data = ipmp_addr_exists(grp, AF_INET, &addr);
	rcu_read_unlock_bh();
	if (data) {
		NL_SET_ERR_MSG(extack, "test address is a data address of the group");
		return true;
	}
	return false;
}

int ipmp_testaddr_set(struct ipmp_member *m, __be32 addr, u8 prefixlen,
		      struct netlink_ext_ack *extack)
{
	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr) || ipv4_is_loopback(addr)) {
		NL_SET_ERR_MSG(extack, "test address must be a unicast address");
		return -EINVAL;
	}
	if (prefixlen > 32) {
		NL_SET_ERR_MSG(extack, "prefix length must be at most 32");
		return -EINVAL;
	}
	if (ipmp_testaddr_taken(m, addr, extack))
		return -EADDRINUSE;
	ipmp_probe_reset(m);
	WRITE_ONCE(m->test4, addr);
	m->test4_plen = prefixlen;
	ipmp_member_refresh(m);
	ipmp_probe_kick(m);
	netdev_info(m->grp->dev, "test address %pI4/%u on %s of group %s\n",
		    &addr, prefixlen, m->dev->name, m->grp->name);
	return 0;
}

int ipmp_testaddr_del(struct ipmp_member *m, __be32 addr,
		      struct netlink_ext_ack *extack)
{
	if (!m->test4 || m->test4 != addr) {
		NL_SET_ERR_MSG(extack, "the member has no such test address");
		return -EADDRNOTAVAIL;
	}
	WRITE_ONCE(m->test4, 0);
	m->test4_plen = 0;
	ipmp_probe_reset(m);
	ipmp_member_refresh(m);
	return 0;
}

/* An ARP request for the test address: answer it from the member. */
static bool ipmp_testaddr_arp(struct ipmp_member *m, struct sk_buff *skb,
			      __be32 test)
{
	int len = sizeof(struct arphdr) + 2 * (ETH_ALEN + 4);
	u8 sha[ETH_ALEN], *p;
	__be32 sip, tip;
	struct arphdr *arp;
	struct sk_buff *reply;

	if (!pskb_may_pull(skb, len))
		return false;
	arp = arp_hdr(skb);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return false;
	p = (u8 *)(arp + 1);
	memcpy(&tip, p + 2 * ETH_ALEN + 4, 4);
	if (tip != test)
		return false;
	if (arp->ar_op == htons(ARPOP_REPLY)) {
		struct in6_addr from;

		memcpy(&sip, p + ETH_ALEN, 4);
		ipmp_ip4(&from, sip);
		ipmp_probe_rx_resolved(m, IPMP_AF4, &from, p);
	}
	if (arp->ar_op == htons(ARPOP_REQUEST)) {
		memcpy(sha, p, ETH_ALEN);
		memcpy(&sip, p + ETH_ALEN, 4);
		reply = arp_create(ARPOP_REPLY, ETH_P_ARP, sip, m->dev, test, sha,
				   m->dev->dev_addr, sha);
		if (reply)
			arp_xmit(reply);
	}
	return true;
}

/* An ICMP message of @len bytes from @saddr to @daddr, to fill in. */
static struct sk_buff *ipmp_icmp_alloc(struct net_device *dev, __be32 saddr,
				       __be32 daddr, int len)
{
	struct sk_buff *skb;
	struct iphdr *iph;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*iph) + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	iph = skb_put(skb, sizeof(*iph));
	*iph = (struct iphdr) {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_ICMP,
		.tot_len = htons(sizeof(*iph) + len),
		.saddr = saddr, .daddr = daddr,
	};
	ip_send_check(iph);
	skb_set_transport_header(skb, skb->len);
	skb_put_zero(skb, len);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* Checksum the ICMP message and send it out of @dev to @dmac. */
static void ipmp_icmp_send(struct sk_buff *skb, const u8 *dmac)
{
	struct icmphdr *icmp = icmp_hdr(skb);
	int len = skb->len - skb_transport_offset(skb);
	struct net_device *dev = skb->dev;

	icmp->checksum = 0;
	icmp->checksum = csum_fold(csum_partial(icmp, len, 0));
	if (dev_hard_header(skb, dev, ETH_P_IP, dmac, dev->dev_addr, skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

/* An ICMP echo request to the test address: the reply leaves the member. */
static void ipmp_testaddr_echo(struct ipmp_member *m, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	int len = ntohs(iph->tot_len) - iph->ihl * 4;
	struct sk_buff *reply;
	struct icmphdr *icmp;

	if (len < (int)sizeof(*icmp) || len > skb->len - iph->ihl * 4 ||
	    skb_headlen(skb) < iph->ihl * 4 + sizeof(*icmp) || ip_is_fragment(iph))
		return;
	icmp = (struct icmphdr *)((u8 *)iph + iph->ihl * 4);
	if (icmp->type == ICMP_ECHOREPLY) {
		struct in6_addr from;

		ipmp_ip4(&from, iph->saddr);
		ipmp_probe_rx_echo(m, IPMP_AF4, &from, ntohs(icmp->un.echo.id),
				   ntohs(icmp->un.echo.sequence));
		return;
	}
	if (icmp->type != ICMP_ECHO)
		return;

	reply = ipmp_icmp_alloc(m->dev, iph->daddr, iph->saddr, len);
	if (!reply)
		return;
	if (skb_copy_bits(skb, iph->ihl * 4, icmp_hdr(reply), len)) {
		kfree_skb(reply);
		return;
	}
	icmp_hdr(reply)->type = ICMP_ECHOREPLY;
	ipmp_icmp_send(reply, eth_hdr(skb)->h_source);
}

/* IPv4 to the test address: echo is answered, the rest dropped. */
static bool ipmp_testaddr_ip(struct ipmp_member *m, struct sk_buff *skb,
			     __be32 test)
{
	const struct iphdr *iph;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (iph->daddr != test || iph->ihl < 5 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = ip_hdr(skb);
	if (iph->protocol == IPPROTO_ICMP)
		ipmp_testaddr_echo(m, skb);
	return true;
}

/*
 * Frames for the member's test address, seen before anything else in the
 * rx_handler; true when they were consumed here.
 */
bool ipmp_testaddr_rx(struct ipmp_member *m, struct sk_buff *skb)
{
	__be32 test = READ_ONCE(m->test4);
	bool mine;

	if (skb->protocol == htons(ETH_P_IPV6))
		return ipmp_testaddr6_rx(m, skb);
	if (!test)
		return false;
	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		skb_reset_network_header(skb);
		mine = ipmp_testaddr_arp(m, skb, test);
		break;
	case htons(ETH_P_IP):
		if (skb->pkt_type != PACKET_HOST)
			return false;
		skb_reset_network_header(skb);
		mine = ipmp_testaddr_ip(m, skb, test);
		break;
	default:
		return false;
	}
	if (mine)
		consume_skb(skb);
	return mine;
}

/* An ARP request for @target from the test address @src, out of @m. */
void ipmp_testaddr4_resolve(struct ipmp_member *m, __be32 src, __be32 target)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, target, m->dev, src, NULL,
			 m->dev->dev_addr, NULL);
	if (skb)
		arp_xmit(skb);
}

/* An ICMP echo request from the test address @src; TTL 1 to all-hosts. */
void ipmp_testaddr4_echo(struct ipmp_member *m, __be32 src, __be32 dst,
			 const u8 *dmac, u16 id, u16 seq, bool mcast)
{
	struct icmphdr *icmp;
	struct sk_buff *skb;

	skb = ipmp_icmp_alloc(m->dev, src, dst, sizeof(*icmp));
	if (!skb)
		return;
	if (mcast) {
		ip_hdr(skb)->ttl = 1;
		ip_send_check(ip_hdr(skb));
	}
	icmp = icmp_hdr(skb);
	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(id);
	icmp->un.echo.sequence = htons(seq);
	ipmp_icmp_send(skb, dmac);
}
