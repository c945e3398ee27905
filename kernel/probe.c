// SPDX-License-Identifier: GPL-2.0
/*
 * Probe-based failure detection: every member with a test address sends
 * ICMP echo requests from it, out of itself, to the group's targets in turn,
 * every FDT/7 times a random factor in [0.5, 1].  A probe not answered
 * within FDT/10 is lost; IPMP_PROBE_FAILS losses in a row fail the member,
 * IPMP_PROBE_REPAIRS replies in a row repair it.  Target MACs are resolved
 * by the member itself, with ARP from its test address, so that a dead path
 * cannot borrow another member's neighbour entry.
 *
 * The timer and the replies run in softirq context under the member's
 * probe lock; verdicts reach the state machine through a work item that
 * takes RTNL.  Losses count only once some member of the group got a reply:
 * until then the targets may simply not be up yet (the start-up quiet
 * period).
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <net/arp.h>
#include "ipmp.h"

static unsigned long ipmp_probe_interval(u32 fdt_ms)
{
	unsigned long j = max(msecs_to_jiffies(fdt_ms / 7), 2UL);

	return j / 2 + get_random_u32_below(j / 2 + 1);
}

/*
 * Five probes go out within 4/7 of the FDT at most; with the tick that
 * notices the last loss, a tenth of the FDT is what is left to wait for a
 * reply if failures are to be detected within the FDT.
 */
static unsigned long ipmp_probe_timeout(u32 fdt_ms)
{
	return max(msecs_to_jiffies(fdt_ms / 10), 1UL);
}

static int ipmp_probe_target_index(const struct ipmp_targets *tg, __be32 addr)
{
	unsigned int i;

	for (i = 0; tg && i < tg->n; i++)
		if (tg->t[i] == addr)
			return i;
	return -1;
}

/* A verdict changed: let the state machine know, under RTNL. */
static void ipmp_probe_verdict(struct ipmp_member *m, bool failed)
{
	m->probe.failed = failed;
	queue_delayed_work(system_highpri_wq, &m->grp->probe_work, 0);
}

static void ipmp_probe_success(struct ipmp_member *m, u32 rtt_us)
{
	struct ipmp_probe *p = &m->probe;

	WRITE_ONCE(m->grp->probe_heard, true);
	p->answered = true;
	WRITE_ONCE(p->rtt_us, rtt_us);
	p->losses = 0;
	if (p->replies < IPMP_PROBE_REPAIRS)
		p->replies++;
	if (p->failed && p->replies >= IPMP_PROBE_REPAIRS)
		ipmp_probe_verdict(m, false);
}

static void ipmp_probe_loss(struct ipmp_member *m, struct ipmp_probe_slot *s)
{
	struct ipmp_probe *p = &m->probe;

	if (s->target < IPMP_TARGETS_MAX)
		p->mac_for[s->target] = 0;	/* resolve it again */
	p->replies = 0;
	if (!READ_ONCE(m->grp->probe_heard))
		return;
	if (p->losses < IPMP_PROBE_FAILS)
		p->losses++;
	if (!p->failed && p->losses >= IPMP_PROBE_FAILS)
		ipmp_probe_verdict(m, true);
}

static void ipmp_probe_expire(struct ipmp_member *m)
{
	struct ipmp_probe_slot *s;

	for (s = m->probe.slot; s < m->probe.slot + IPMP_PROBE_WINDOW; s++) {
		if (s->busy && time_after_eq(jiffies, s->deadline)) {
			s->busy = false;
			ipmp_probe_loss(m, s);
		}
	}
}

static struct ipmp_probe_slot *ipmp_probe_slot(struct ipmp_member *m)
{
	struct ipmp_probe_slot *s, *oldest = m->probe.slot;

	for (s = m->probe.slot; s < m->probe.slot + IPMP_PROBE_WINDOW; s++) {
		if (!s->busy)
			return s;
		if (time_before(s->deadline, oldest->deadline))
			oldest = s;
	}
	oldest->busy = false;
	ipmp_probe_loss(m, oldest);
	return oldest;
}

static void ipmp_probe_send(struct ipmp_member *m, __be32 test, __be32 target,
			    unsigned int idx, u32 fdt)
{
	struct ipmp_probe *p = &m->probe;
	struct ipmp_probe_slot *s = ipmp_probe_slot(m);
	struct sk_buff *skb;
	struct icmphdr *icmp;

	s->busy = true;
	s->target = idx;
	s->arp = p->mac_for[idx] != target;
	s->seq = ++p->seq;
	s->sent = ktime_get();
	s->deadline = jiffies + ipmp_probe_timeout(fdt);

	if (s->arp) {
		skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, target, m->dev, test,
				 NULL, m->dev->dev_addr, NULL);
		if (skb)
			arp_xmit(skb);
		return;
	}
	skb = ipmp_icmp_alloc(m->dev, test, target, sizeof(*icmp));
	if (!skb)
		return;
	icmp = icmp_hdr(skb);
	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(p->id);
	icmp->un.echo.sequence = htons(s->seq);
	ipmp_icmp_send(skb, p->mac[idx]);
}

static void ipmp_probe_timer(struct timer_list *t)
{
	struct ipmp_member *m = from_timer(m, t, probe.timer);
	struct ipmp_probe *p = &m->probe;
	u32 fdt = READ_ONCE(m->grp->fdt_ms);
	__be32 test = READ_ONCE(m->test4);
	struct ipmp_targets *tg;
	unsigned int idx;

	spin_lock(&p->lock);
	if (p->stopping) {
		spin_unlock(&p->lock);
		return;
	}
	ipmp_probe_expire(m);
	rcu_read_lock();
	tg = rcu_dereference(m->grp->targets);
	if (test && tg && tg->n && netif_running(m->dev)) {
		idx = p->next++ % tg->n;
		ipmp_probe_send(m, test, tg->t[idx], idx, fdt);
	}
	rcu_read_unlock();
	mod_timer(&p->timer, jiffies + ipmp_probe_interval(fdt));
	spin_unlock(&p->lock);
}

/* An echo reply to the member's test address: match id, sequence, source. */
void ipmp_probe_rx_echo(struct ipmp_member *m, __be32 saddr,
			const struct icmphdr *icmp)
{
	struct ipmp_probe *p = &m->probe;
	u16 seq = ntohs(icmp->un.echo.sequence);
	struct ipmp_probe_slot *s;
	struct ipmp_targets *tg;
	int idx;

	if (ntohs(icmp->un.echo.id) != p->id)
		return;
	rcu_read_lock();
	tg = rcu_dereference(m->grp->targets);
	idx = ipmp_probe_target_index(tg, saddr);
	rcu_read_unlock();
	if (idx < 0)
		return;
	spin_lock(&p->lock);
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++) {
		if (s->busy && !s->arp && s->seq == seq && s->target == idx) {
			s->busy = false;
			ipmp_probe_success(m, ktime_us_delta(ktime_get(), s->sent));
			break;
		}
	}
	spin_unlock(&p->lock);
}

/* An ARP reply to the test address: the MAC of a target, seen by this member. */
void ipmp_probe_rx_arp(struct ipmp_member *m, __be32 sip, const u8 *sha)
{
	struct ipmp_probe *p = &m->probe;
	struct ipmp_probe_slot *s;
	struct ipmp_targets *tg;
	int idx;

	rcu_read_lock();
	tg = rcu_dereference(m->grp->targets);
	idx = ipmp_probe_target_index(tg, sip);
	rcu_read_unlock();
	if (idx < 0)
		return;
	spin_lock(&p->lock);
	ether_addr_copy(p->mac[idx], sha);
	p->mac_for[idx] = sip;
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++)
		if (s->busy && s->arp && s->target == idx)
			s->busy = false;	/* resolved: neither lost nor answered */
	spin_unlock(&p->lock);
}

enum ipmp_probe_state ipmp_probe_state(const struct ipmp_member *m)
{
	struct ipmp_targets *tg = rtnl_dereference(m->grp->targets);

	if (!m->test4)
		return IPMP_PROBE_DISABLED;
	if (!tg || !tg->n)
		return IPMP_PROBE_UNKNOWN;
	if (m->probe_failed)
		return IPMP_PROBE_FAILED;
	return m->probe.answered ? IPMP_PROBE_OK : IPMP_PROBE_UNKNOWN;
}

/* Probe soon, after the settings changed. */
void ipmp_probe_kick(struct ipmp_member *m)
{
	spin_lock_bh(&m->probe.lock);
	if (!m->probe.stopping)
		mod_timer(&m->probe.timer, jiffies + 1);
	spin_unlock_bh(&m->probe.lock);
}

/* Forget what the probes said, when they cannot be trusted any longer. */
void ipmp_probe_reset(struct ipmp_member *m)
{
	struct ipmp_probe *p = &m->probe;

	spin_lock_bh(&p->lock);
	memset(p->slot, 0, sizeof(p->slot));
	memset(p->mac_for, 0, sizeof(p->mac_for));
	p->losses = 0;
	p->replies = 0;
	p->failed = false;
	p->answered = false;
	spin_unlock_bh(&p->lock);
	m->probe_failed = false;
}

void ipmp_probe_start(struct ipmp_member *m)
{
	struct ipmp_probe *p = &m->probe;

	spin_lock_init(&p->lock);
	timer_setup(&p->timer, ipmp_probe_timer, 0);
	p->id = get_random_u16();
	mod_timer(&p->timer, jiffies + 1);
}

void ipmp_probe_stop(struct ipmp_member *m)
{
	spin_lock_bh(&m->probe.lock);
	m->probe.stopping = true;
	spin_unlock_bh(&m->probe.lock);
	timer_shutdown_sync(&m->probe.timer);
}

/* Hand the probes' verdicts to the state machine. */
static void ipmp_probe_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, probe_work);
	struct ipmp_member *m;
	bool changed = false;

	if (!rtnl_trylock()) {
		queue_delayed_work(system_highpri_wq, &grp->probe_work, 1);
		return;
	}
	list_for_each_entry(m, &grp->members, list) {
		bool failed = READ_ONCE(m->probe.failed);

		if (failed != m->probe_failed) {
			m->probe_failed = failed;
			ipmp_member_eval(m);
			changed = true;
		}
	}
	if (changed)
		ipmp_group_update(grp);
	rtnl_unlock();
}

/* Targets: static, at most IPMP_TARGETS_MAX, changed under RTNL. */
static int ipmp_targets_replace(struct ipmp_group *grp, struct ipmp_targets *new)
{
	struct ipmp_targets *old = rtnl_dereference(grp->targets);
	struct ipmp_member *m;

	rcu_assign_pointer(grp->targets, new);
	if (old)
		kfree_rcu(old, rcu);
	list_for_each_entry(m, &grp->members, list)
		ipmp_probe_kick(m);
	return 0;
}

/* A data address or a test address of the group would probe the group. */
static bool ipmp_target_is_ours(struct ipmp_group *grp, __be32 addr)
{
	struct ipmp_member *m;
	bool ours;

	list_for_each_entry(m, &grp->members, list)
		if (m->test4 == addr)
			return true;
	rcu_read_lock_bh();
	ours = ipmp_addr_exists(grp, AF_INET, &addr);
	rcu_read_unlock_bh();
	return ours;
}

int ipmp_target_add(struct ipmp_group *grp, __be32 addr,
		    struct netlink_ext_ack *extack)
{
	struct ipmp_targets *old = rtnl_dereference(grp->targets), *new;

	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr) || ipv4_is_loopback(addr)) {
		NL_SET_ERR_MSG(extack, "a target must be a unicast address");
		return -EINVAL;
	}
	if (ipmp_target_is_ours(grp, addr)) {
		NL_SET_ERR_MSG(extack, "a target cannot be an address of the group");
		return -EINVAL;
	}
	if (ipmp_probe_target_index(old, addr) >= 0) {
		NL_SET_ERR_MSG(extack, "the group already has this target");
		return -EEXIST;
	}
	if (old && old->n >= IPMP_TARGETS_MAX) {
		NL_SET_ERR_MSG(extack, "a group has at most 5 targets");
		return -ENOSPC;
	}
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	if (old)
		*new = *old;
	new->t[new->n++] = addr;
	return ipmp_targets_replace(grp, new);
}

int ipmp_target_del(struct ipmp_group *grp, __be32 addr,
		    struct netlink_ext_ack *extack)
{
	struct ipmp_targets *old = rtnl_dereference(grp->targets), *new;
	struct ipmp_member *m;
	int idx = ipmp_probe_target_index(old, addr);

	if (idx < 0) {
		NL_SET_ERR_MSG(extack, "the group has no such target");
		return -ENOENT;
	}
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	memcpy(new->t, old->t, idx * sizeof(__be32));
	memcpy(new->t + idx, old->t + idx + 1, (old->n - idx - 1) * sizeof(__be32));
	new->n = old->n - 1;
	/* Slots and MACs are indexed by target: start the count afresh. */
	list_for_each_entry(m, &grp->members, list)
		ipmp_probe_reset(m);
	ipmp_targets_replace(grp, new);
	list_for_each_entry(m, &grp->members, list)
		ipmp_member_eval(m);
	ipmp_group_update(grp);
	return 0;
}

void ipmp_probe_group_init(struct ipmp_group *grp)
{
	INIT_DELAYED_WORK(&grp->probe_work, ipmp_probe_work);
}

void ipmp_probe_group_release(struct ipmp_group *grp)
{
	struct ipmp_targets *tg = rtnl_dereference(grp->targets);

	cancel_delayed_work_sync(&grp->probe_work);
	RCU_INIT_POINTER(grp->targets, NULL);
	if (tg)
		kfree_rcu(tg, rcu);
}
