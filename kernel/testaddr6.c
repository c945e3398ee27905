// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv6 test address of a member: the link-local address configured
 * for it, else, when the member probes (it has an IPv4 test address) and
 * the group speaks IPv6, the link-local address derived from the member's
 * MAC (modified EUI-64, RFC 4291).  As for IPv4, it belongs to the module:
 * NS for it and ICMPv6 echo to it are answered here, on its member only,
 * and everything else sent to it is dropped.  Probes are sent from it:
 * NS to resolve a target's MAC and ICMPv6 echo requests.
 *
 * The group's own link-local address is not derived from its MAC, which is
 * its first member's: it would be that member's test address.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "ipmp.h"

static bool ipmp_group_has_ipv6(const struct ipmp_group *grp)
{
	struct inet6_dev *idev;
	bool on;

	rcu_read_lock();
	idev = __in6_dev_get(grp->dev);
	on = idev && !READ_ONCE(idev->cnf.disable_ipv6);
	rcu_read_unlock();
	return on;
}

static void ipmp_eui64_ll(struct in6_addr *a, const u8 *mac)
{
	ipv6_addr_set(a, htonl(0xfe800000), 0, 0, 0);
	a->s6_addr[8] = mac[0] ^ 0x02;
	a->s6_addr[9] = mac[1];
	a->s6_addr[10] = mac[2];
	a->s6_addr[11] = 0xff;
	a->s6_addr[12] = 0xfe;
	a->s6_addr[13] = mac[3];
	a->s6_addr[14] = mac[4];
	a->s6_addr[15] = mac[5];
}

/* The IPv6 test address @m probes from, in @addr if not NULL. */
bool ipmp_test6(const struct ipmp_member *m, struct in6_addr *addr)
{
	struct in6_addr a;

	if (READ_ONCE(m->test6_set)) {
		a = m->test6;
	} else {
		if (!READ_ONCE(m->test4) || !ipmp_group_has_ipv6(m->grp))
			return false;
		ipmp_eui64_ll(&a, m->dev->dev_addr);
	}
	if (addr)
		*addr = a;
	return true;
}

/* Receive NS for a configured test address: join its solicited-node group. */
static void ipmp_testaddr6_mc(struct ipmp_member *m, const struct in6_addr *a,
			      bool join)
{
	struct in6_addr snm;
	u8 mac[ETH_ALEN];

	addrconf_addr_solict_mult(a, &snm);
	ipv6_eth_mc_map(&snm, mac);
	if (join)
		dev_mc_add(m->dev, mac);
	else
		dev_mc_del(m->dev, mac);
}

static bool ipmp_testaddr6_taken(struct ipmp_member *m,
				 const struct in6_addr *addr,
				 struct netlink_ext_ack *extack)
{
	struct ipmp_group *grp = m->grp;
	struct ipmp_member *o;
	struct in6_addr a;
	bool data;

	list_for_each_entry(o, &grp->members, list) {
		if (o != m && ipmp_test6(o, &a) && ipv6_addr_equal(&a, addr)) {
			NL_SET_ERR_MSG(extack, "test address is already used by another member");
			return true;
		}
	}
	rcu_read_lock_bh();
	data = ipmp_addr_exists(grp, AF_INET6, addr);
	rcu_read_unlock_bh();
	if (data || ipv6_chk_addr(dev_net(grp->dev), addr, grp->dev, 0)) {
		NL_SET_ERR_MSG(extack, "test address is an address of the group");
		return true;
	}
	return false;
}

int ipmp_testaddr6_set(struct ipmp_member *m, const struct in6_addr *addr,
		       struct netlink_ext_ack *extack)
{
	if (!(ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL) ||
	    !(ipv6_addr_type(addr) & IPV6_ADDR_UNICAST)) {
		NL_SET_ERR_MSG(extack, "an IPv6 test address must be a link-local unicast address");
		return -EINVAL;
	}
	if (ipmp_testaddr6_taken(m, addr, extack))
		return -EADDRINUSE;
	if (m->test6_set)
		ipmp_testaddr6_mc(m, &m->test6, false);
	ipmp_testaddr6_mc(m, addr, true);
	ipmp_probe_reset_af(m, IPMP_AF6);
	m->test6 = *addr;
	WRITE_ONCE(m->test6_set, true);
	ipmp_member_refresh(m);
	ipmp_probe_kick(m);
	netdev_info(m->grp->dev, "test address %pI6c on %s of group %s\n",
		    addr, m->dev->name, m->grp->name);
	return 0;
}

int ipmp_testaddr6_del(struct ipmp_member *m, const struct in6_addr *addr,
		       struct netlink_ext_ack *extack)
{
	if (!m->test6_set || !ipv6_addr_equal(&m->test6, addr)) {
		NL_SET_ERR_MSG(extack, "the member has no such test address");
		return -EADDRNOTAVAIL;
	}
	ipmp_testaddr6_mc(m, &m->test6, false);
	WRITE_ONCE(m->test6_set, false);
	ipmp_probe_reset_af(m, IPMP_AF6);
	ipmp_member_refresh(m);
	ipmp_probe_kick(m);
	return 0;
}

/* The member leaves: leave the solicited-node group it joined. */
void ipmp_testaddr6_release(struct ipmp_member *m)
{
	if (m->test6_set)
		ipmp_testaddr6_mc(m, &m->test6, false);
}

/* An IPv6 packet from @src to @dst with room for @len bytes of ICMPv6. */
static struct sk_buff *ipmp_icmp6_alloc(struct net_device *dev,
					const struct in6_addr *src,
					const struct in6_addr *dst, int len,
					u8 hop_limit)
{
	struct ipv6hdr *ip6;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*ip6) + len +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	ip6 = skb_put(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(len);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = hop_limit;
	ip6->saddr = *src;
	ip6->daddr = *dst;
	skb_set_transport_header(skb, skb->len);
	skb_put_zero(skb, len);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	return skb;
}

static void ipmp_icmp6_send(struct sk_buff *skb, const u8 *dmac)
{
	struct icmp6hdr *icmp = icmp6_hdr(skb);
	int len = skb->len - skb_transport_offset(skb);
	struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct net_device *dev = skb->dev;

	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
					    IPPROTO_ICMPV6,
					    csum_partial(icmp, len, 0));
	if (dev_hard_header(skb, dev, ETH_P_IPV6, dmac, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

/*
 * NS or NA about @target out of @dev, with a link-layer option carrying
 * @dev's MAC (also the unsolicited NA of announce.c).
 */
void ipmp_nd_send(struct net_device *dev, u8 type, const struct in6_addr *src,
		  const struct in6_addr *dst, const struct in6_addr *target,
		  const u8 *dmac, bool solicited)
{
	int len = sizeof(struct nd_msg) + 8;
	struct sk_buff *skb;
	struct nd_msg *msg;
	u8 *opt;

	skb = ipmp_icmp6_alloc(dev, src, dst, len, 255);
	if (!skb)
		return;
	msg = (struct nd_msg *)icmp6_hdr(skb);
	msg->icmph.icmp6_type = type;
	msg->target = *target;
	opt = msg->opt;
	if (type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
		msg->icmph.icmp6_solicited = solicited;
		msg->icmph.icmp6_override = 1;
		opt[0] = ND_OPT_TARGET_LL_ADDR;
	} else {
		opt[0] = ND_OPT_SOURCE_LL_ADDR;
	}
	opt[1] = 1;
	ether_addr_copy(opt + 2, dev->dev_addr);
	ipmp_icmp6_send(skb, dmac);
}

/* Ask for @target's MAC from @src, the test address: NS to its group. */
void ipmp_testaddr6_resolve(struct ipmp_member *m, const struct in6_addr *src,
			    const struct in6_addr *target)
{
	struct in6_addr snm;
	u8 mac[ETH_ALEN];

	addrconf_addr_solict_mult(target, &snm);
	ipv6_eth_mc_map(&snm, mac);
	ipmp_nd_send(m->dev, NDISC_NEIGHBOUR_SOLICITATION, src, &snm, target,
		     mac, false);
}

/* An ICMPv6 echo request from @src; hop limit 1 to all-nodes. */
void ipmp_testaddr6_echo(struct ipmp_member *m, const struct in6_addr *src,
			 const struct in6_addr *dst, const u8 *dmac, u16 id,
			 u16 seq, bool mcast)
{
	struct icmp6hdr *icmp;
	struct sk_buff *skb;

	skb = ipmp_icmp6_alloc(m->dev, src, dst, sizeof(*icmp), mcast ? 1 : 64);
	if (!skb)
		return;
	icmp = icmp6_hdr(skb);
	icmp->icmp6_type = ICMPV6_ECHO_REQUEST;
	icmp->icmp6_identifier = htons(id);
	icmp->icmp6_sequence = htons(seq);
	ipmp_icmp6_send(skb, dmac);
}

/* The MAC in link-layer option @type of an NS/NA, else NULL. */
static const u8 *ipmp_nd_lladdr(const struct nd_msg *msg, int len, u8 type)
{
	const u8 *opt = msg->opt;

	len -= sizeof(*msg);
	while (len >= 8) {
		int olen = opt[1] << 3;

		if (!olen || olen > len)
			return NULL;
		if (opt[0] == type)
			return olen >= 8 ? opt + 2 : NULL;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

/* An NS for the test address: answer it; from :: (DAD) to all-nodes. */
static void ipmp_testaddr6_ns(struct ipmp_member *m, struct sk_buff *skb,
			      const struct nd_msg *msg,
			      const struct in6_addr *test)
{
	static const u8 allnodes[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr all;

	if (!ipv6_addr_any(&ip6->saddr)) {
		ipmp_nd_send(m->dev, NDISC_NEIGHBOUR_ADVERTISEMENT, test,
			     &ip6->saddr, test, eth_hdr(skb)->h_source, true);
		return;
	}
	ipv6_addr_set(&all, htonl(0xff020000), 0, 0, htonl(1));
	ipmp_nd_send(m->dev, NDISC_NEIGHBOUR_ADVERTISEMENT, test, &all, test,
		     allnodes, false);
}

static void ipmp_testaddr6_echo_reply(struct ipmp_member *m,
				      struct sk_buff *skb, int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct sk_buff *reply;

	reply = ipmp_icmp6_alloc(m->dev, &ip6->daddr, &ip6->saddr, len, 64);
	if (!reply)
		return;
	if (skb_copy_bits(skb, sizeof(*ip6), icmp6_hdr(reply), len)) {
		kfree_skb(reply);
		return;
	}
	icmp6_hdr(reply)->icmp6_type = ICMPV6_ECHO_REPLY;
	ipmp_icmp6_send(reply, eth_hdr(skb)->h_source);
}

/*
 * ICMPv6 to the test address or its solicited-node group, linear and with
 * a good checksum: answer NS and echo, take NA and echo replies.
 */
static void ipmp_testaddr6_icmp(struct ipmp_member *m, struct sk_buff *skb,
				const struct in6_addr *test, int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct icmp6hdr *icmp = icmp6_hdr(skb);
	const struct nd_msg *msg = (const struct nd_msg *)icmp;
	const u8 *mac;

	switch (icmp->icmp6_type) {
	case NDISC_NEIGHBOUR_SOLICITATION:
		if (ip6->hop_limit == 255 && len >= sizeof(*msg) &&
		    ipv6_addr_equal(&msg->target, test))
			ipmp_testaddr6_ns(m, skb, msg, test);
		break;
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		if (ip6->hop_limit != 255 || len < sizeof(*msg))
			break;
		mac = ipmp_nd_lladdr(msg, len, ND_OPT_TARGET_LL_ADDR);
		ipmp_probe_rx_resolved(m, IPMP_AF6, &msg->target,
				       mac ?: eth_hdr(skb)->h_source);
		break;
	case ICMPV6_ECHO_REQUEST:
		if (ipv6_addr_equal(&ip6->daddr, test))
			ipmp_testaddr6_echo_reply(m, skb, len);
		break;
	case ICMPV6_ECHO_REPLY:
		ipmp_probe_rx_echo(m, IPMP_AF6, &ip6->saddr,
				   ntohs(icmp->icmp6_identifier),
				   ntohs(icmp->icmp6_sequence));
		break;
	}
}

/* ICMPv6 directly after the header, whole, with a checksum that adds up. */
static bool ipmp_icmp6_ok(struct sk_buff *skb, int *plen)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	int len = ntohs(ip6->payload_len);

	if (ip6->nexthdr != IPPROTO_ICMPV6 || len < sizeof(struct icmp6hdr) ||
	    len > skb->len - sizeof(*ip6) ||
	    !pskb_may_pull(skb, sizeof(*ip6) + len))
		return false;
	ip6 = ipv6_hdr(skb);
	skb_set_transport_header(skb, sizeof(*ip6));
	*plen = len;
	return !csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, IPPROTO_ICMPV6,
				skb_checksum(skb, sizeof(*ip6), len, 0));
}

/* Is this an NS sent to the solicited-node group of @test, for @test? */
static bool ipmp_testaddr6_solicit(struct sk_buff *skb,
				   const struct in6_addr *test)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr snm;
	const struct nd_msg *msg;

	addrconf_addr_solict_mult(test, &snm);
	if (!ipv6_addr_equal(&ip6->daddr, &snm) ||
	    ip6->nexthdr != IPPROTO_ICMPV6 ||
	    !pskb_may_pull(skb, sizeof(*ip6) + sizeof(*msg)))
		return false;
	msg = (const struct nd_msg *)(skb->data + sizeof(*ip6));
	return msg->icmph.icmp6_type == NDISC_NEIGHBOUR_SOLICITATION &&
	       ipv6_addr_equal(&msg->target, test);
}

/*
 * IPv6 frames for the member's test address, seen first in the
 * rx_handler; true when they were consumed here.
 */
bool ipmp_testaddr6_rx(struct ipmp_member *m, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6;
	struct in6_addr test;
	int len;

	if (!ipmp_test6(m, &test) || !pskb_may_pull(skb, sizeof(*ip6)))
		return false;
	skb_reset_network_header(skb);
	ip6 = ipv6_hdr(skb);
	if (ip6->version != 6)
		return false;
	if (!ipv6_addr_equal(&ip6->daddr, &test)) {
		if (skb->pkt_type != PACKET_MULTICAST ||
		    !ipmp_testaddr6_solicit(skb, &test))
			return false;
	} else if (skb->pkt_type != PACKET_HOST) {
		return false;
	}
	if (ipmp_icmp6_ok(skb, &len))
		ipmp_testaddr6_icmp(m, skb, &test, len);
	consume_skb(skb);
	return true;
}

/*
 * A new group device: unless told otherwise, its link-local address is
 * not derived from its MAC (its first member's), which would make it that
 * member's test address.
 */
void ipmp_group_ipv6_init(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev && idev->cnf.addr_gen_mode == IN6_ADDR_GEN_MODE_EUI64)
		idev->cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_RANDOM;
}
