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
#include <net/ndisc.h>
#include "ipmp.h"

/* Announcements sent in one pass of the work, far below the default
 * netdev_max_backlog (1000) and txqueuelen (1000).
 */
#define IPMP_ANNOUNCE_BATCH	64

static void ipmp_announce_arp(struct net_device *dev, __be32 addr)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, addr, dev, addr, NULL,
			 dev->dev_addr, NULL);
	if (skb)
		arp_xmit(skb);
}

/* An unsolicited NA with the override flag, to all-nodes. */
static void ipmp_announce_na(struct net_device *dev, const struct in6_addr *addr)
{
	static const u8 allnodes[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	struct in6_addr all;

	ipv6_addr_set(&all, htonl(0xff020000), 0, 0, htonl(1));
	ipmp_nd_send(dev, NDISC_NEIGHBOUR_ADVERTISEMENT, addr, &all, addr,
		     allnodes, false);
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

/*
 * Each address keeps its own time: its first announcement goes at once,
 * each later one announce_interval_ms after its previous one, whatever
 * other addresses are doing.  A pass sends at most IPMP_ANNOUNCE_BATCH and
 * leaves the rest to the next jiffy: what a pass sends waits in the
 * members' queues (a veth peer's backlog, a NIC's qdisc) until bottom
 * halves run, which they may do in ksoftirqd, below this high-priority
 * work; a burst of thousands would overflow those queues.
 */
static void ipmp_announce_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, announce_work);
	unsigned long now = jiffies, interval, next = 0;
	bool up = netif_running(grp->dev), pending = false;
	unsigned int sent = 0;
	struct ipmp_addr *a;

	spin_lock_bh(&grp->addr_lock);
	interval = msecs_to_jiffies(grp->announce_interval_ms);
	list_for_each_entry(a, &grp->addrs, list) {
		if (!a->announce_left)
			continue;
		if (time_after_eq(now, a->announce_at)) {
			if (sent == IPMP_ANNOUNCE_BATCH) {
				/* The rest in a jiffy, once bottom halves
				 * have drained the queues this batch filled.
				 */
				if (!pending || time_before(jiffies + 1, next))
					next = jiffies + 1;
				pending = true;
				break;
			}
			a->announce_left--;
			/* From the jiffy it leaves in, not the pass's first:
			 * a long pass must not shorten the next interval.
			 */
			a->announce_at = jiffies + interval;
			if (up && a->bound)
				ipmp_announce_addr(a);
			sent++;
			if (!a->announce_left)
				continue;
		}
		if (!pending || time_before(a->announce_at, next))
			next = a->announce_at;
		pending = true;
	}
	spin_unlock_bh(&grp->addr_lock);
	if (!pending)
		return;
	now = jiffies;
	queue_delayed_work(system_highpri_wq, &grp->announce_work,
			   time_after(next, now) ? next - now : 0);
}

/* Announce @a announce_count times from now on; addr_lock held. */
void ipmp_announce_schedule(struct ipmp_group *grp, struct ipmp_addr *a)
{
	lockdep_assert_held(&grp->addr_lock);
	a->announce_left = grp->announce_count;
	a->announce_at = jiffies;
	mod_delayed_work(system_highpri_wq, &grp->announce_work, 0);
}

void ipmp_announce_init(struct ipmp_group *grp)
{
	INIT_DELAYED_WORK(&grp->announce_work, ipmp_announce_work);
	grp->announce_count = IPMP_ANNOUNCE_COUNT_DEFAULT;
	grp->announce_interval_ms = IPMP_ANNOUNCE_INTERVAL_DEFAULT_MS;
}
