// SPDX-License-Identifier: GPL-2.0
/*
 * ARP and neighbour discovery leaving the group device.  The IP stack
 * writes the group's MAC into them; each is rewritten to carry the MAC of
 * the member its data address is bound to, and leaves through that member,
 * so that a peer learns a different member for each address.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "ipmp.h"

static struct ipmp_member *ipmp_neigh_arp(struct ipmp_group *grp,
					  struct sk_buff *skb)
{
	int len = sizeof(struct arphdr) + 2 * (ETH_ALEN + 4);
	struct ipmp_member *m;
	struct arphdr *arp;
	__be32 sip;
	u8 *sha;

	if (!pskb_may_pull(skb, ETH_HLEN + len))
		return NULL;
	arp = (struct arphdr *)(skb->data + ETH_HLEN);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return NULL;
	sha = (u8 *)(arp + 1);
	memcpy(&sip, sha + ETH_ALEN, 4);
	m = ipmp_addr_lookup4(grp, sip);
	if (!m || skb_ensure_writable(skb, ETH_HLEN + len))
		return NULL;
	sha = skb->data + ETH_HLEN + sizeof(struct arphdr);
	ether_addr_copy(sha, m->dev->dev_addr);
	return m;
}

/* Point the link-layer option @type of an ND message at @mac. */
static void ipmp_nd_set_lladdr(u8 *opt, int len, u8 type, const u8 *mac)
{
	while (len >= 8) {
		int olen = opt[1] << 3;

		if (!olen || olen > len)
			return;
		if (opt[0] == type && olen >= 8)
			ether_addr_copy(opt + 2, mac);
		opt += olen;
		len -= olen;
	}
}

static struct ipmp_member *ipmp_neigh_nd(struct ipmp_group *grp,
					 struct sk_buff *skb)
{
	int off = ETH_HLEN + sizeof(struct ipv6hdr), len, fixed;
	const struct in6_addr *key;
	struct ipmp_member *m;
	struct icmp6hdr *icmp;
	struct ipv6hdr *ip6;
	u8 type, opt;

	if (!pskb_may_pull(skb, off))
		return NULL;
	ip6 = (struct ipv6hdr *)(skb->data + ETH_HLEN);
	if (ip6->nexthdr != IPPROTO_ICMPV6 ||
	    !pskb_may_pull(skb, off + sizeof(*icmp)))
		return NULL;
	icmp = (struct icmp6hdr *)(skb->data + off);
	type = icmp->icmp6_type;
	switch (type) {
	case NDISC_ROUTER_SOLICITATION:
		fixed = sizeof(struct rs_msg);
		opt = ND_OPT_SOURCE_LL_ADDR;
		break;
	case NDISC_NEIGHBOUR_SOLICITATION:
		fixed = sizeof(struct nd_msg);
		opt = ND_OPT_SOURCE_LL_ADDR;
		break;
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		fixed = sizeof(struct nd_msg);
		opt = ND_OPT_TARGET_LL_ADDR;
		break;
	default:
		return NULL;
	}
	len = ntohs(ip6->payload_len);
	if (len < fixed || !pskb_may_pull(skb, off + len))
		return NULL;
	ip6 = (struct ipv6hdr *)(skb->data + ETH_HLEN);
	key = type == NDISC_NEIGHBOUR_ADVERTISEMENT ?
	      &((struct nd_msg *)(skb->data + off))->target : &ip6->saddr;
	m = ipmp_addr_lookup6(grp, key);
	if (!m || skb_ensure_writable(skb, off + len))
		return NULL;

	ip6 = (struct ipv6hdr *)(skb->data + ETH_HLEN);
	icmp = (struct icmp6hdr *)(skb->data + off);
	ipmp_nd_set_lladdr((u8 *)icmp + fixed, len - fixed, opt,
			   m->dev->dev_addr);
	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
					    IPPROTO_ICMPV6,
					    csum_partial(icmp, len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	return m;
}

/*
 * The member an ARP or ND frame must leave through, rewritten for it;
 * NULL for any other frame.  Called from the transmit path under RCU.
 */
struct ipmp_member *ipmp_neigh_out(struct ipmp_group *grp, struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		return ipmp_neigh_arp(grp, skb);
	case htons(ETH_P_IPV6):
		return ipmp_neigh_nd(grp, skb);
	}
	return NULL;
}
