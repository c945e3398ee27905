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
 * Each member keeps a conservative round-trip time per target (Jacobson:
 * smoothed RTT + 4 x mean deviation).  When it does not fit the probe
 * interval the group's FDT in force grows to 14 times it, so that slow
 * targets do not fail members; it comes back, halving, once every target
 * is fast again and fdt_settle_ms have passed.  A target that alone stops
 * answering (dead) or alone is too slow while others are fast is left out
 * for target_retry_ms, as in.mpathd does.
 *
 * A member whose probes fail while no other member has been heard from
 * since is not failed alone: that is a group failure (the targets are
 * probably gone), and every probing member is failed at once with the
 * group's message only.
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
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <net/arp.h>
#include <net/ip.h>
#include "ipmp.h"

static unsigned int fdt_settle_ms = 60000;
module_param(fdt_settle_ms, uint, 0644);
MODULE_PARM_DESC(fdt_settle_ms,
		 "time after an FDT increase before it may come down (ms)");

static unsigned int target_retry_ms = 60000;
module_param(target_retry_ms, uint, 0644);
MODULE_PARM_DESC(target_retry_ms,
		 "time a dead or slow target is left out before it is tried again (ms)");

/* Targets fewer than this besides a slow one cannot prove it an outlier. */
#define IPMP_PROBE_FAST_OTHERS	3

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

static bool ipmp_probing(const struct ipmp_member *m)
{
	return READ_ONCE(m->test4) && READ_ONCE(m->grp->probing);
}

/* The member's view of target @idx, started afresh if it was another's. */
static struct ipmp_probe_tgt *ipmp_probe_tgt(struct ipmp_probe *p,
					     unsigned int idx, __be32 addr)
{
	struct ipmp_probe_tgt *t = &p->tgt[idx];

	if (t->addr != addr) {
		memset(t, 0, sizeof(*t));
		t->addr = addr;
	}
	return t;
}

/* The view of the target a slot probed, unless the targets changed since. */
static struct ipmp_probe_tgt *ipmp_slot_tgt(struct ipmp_probe *p,
					    const struct ipmp_probe_slot *s)
{
	struct ipmp_probe_tgt *t = &p->tgt[s->idx];

	return t->addr == s->target ? t : NULL;
}

static u32 ipmp_tgt_crtt(const struct ipmp_probe_tgt *t)
{
	return t->sa / 8 + t->sv;
}

/* Jacobson's estimator, in scaled integers (SIGCOMM '88, appendix A). */
static void ipmp_tgt_sample(struct ipmp_probe_tgt *t, u32 m)
{
	s64 err;

	if (!t->rtt_ok) {
		t->sa = m * 8;
		t->sv = m * 2;
		t->rtt_ok = true;
		return;
	}
	err = (s64)m - t->sa / 8;
	t->sa = max_t(s64, (s64)t->sa + err, 0);
	t->sv = max_t(s64, (s64)t->sv + abs(err) - t->sv / 4, 0);
}

/* What ipmp_tgt_sample() would make of @m, without keeping it. */
static u32 ipmp_tgt_crtt_with(const struct ipmp_probe_tgt *t, u32 m)
{
	struct ipmp_probe_tgt tmp = *t;

	ipmp_tgt_sample(&tmp, m);
	return ipmp_tgt_crtt(&tmp);
}

/* A verdict changed: let the state machine know, under RTNL. */
static void ipmp_probe_verdict(struct ipmp_member *m, bool failed)
{
	m->probe.failed = failed;
	queue_delayed_work(system_highpri_wq, &m->grp->probe_work, 0);
}

/* Known to answer within @limit_us. */
static bool ipmp_tgt_fast(const struct ipmp_probe_tgt *t, u32 limit_us)
{
	return t->rtt_ok && ipmp_tgt_crtt(t) <= limit_us;
}

/*
 * A target too slow for the probe interval while at least three others
 * are fast is the target's problem, not the path's: leave it out a while.
 */
static bool ipmp_tgt_outlier(struct ipmp_member *m, struct ipmp_probe_tgt *t,
			     u32 interval_us)
{
	struct ipmp_probe *p = &m->probe;
	unsigned int i, fast = 0;

	for (i = 0; i < IPMP_TARGETS_MAX; i++)
		if (&p->tgt[i] != t && p->tgt[i].addr && !p->tgt[i].skip &&
		    ipmp_tgt_fast(&p->tgt[i], interval_us / 2))
			fast++;
	return fast >= IPMP_PROBE_FAST_OTHERS;
}

static void ipmp_tgt_skip(struct ipmp_probe_tgt *t, bool dead,
			  struct ipmp_member *m)
{
	t->skip = true;
	t->dead = dead;
	t->retry = jiffies + msecs_to_jiffies(READ_ONCE(target_retry_ms));
	t->rtt_ok = false;
	t->deferred_us = 0;
	t->losses = 0;
	netdev_info(m->grp->dev, "probe target %pI4 is %s from %s of group %s: left out for %u ms\n",
		    &t->addr, dead ? "dead" : "slow", m->dev->name, m->grp->name,
		    READ_ONCE(target_retry_ms));
}

/* The targets answer too slowly for the FDT in force: make it longer. */
static void ipmp_probe_raise_fdt(struct ipmp_member *m, u32 crtt_us)
{
	struct ipmp_group *grp = m->grp;
	u32 cur = READ_ONCE(grp->fdt_cur_ms);
	u32 want = min_t(u64, DIV_ROUND_UP_ULL((u64)crtt_us * 14, 1000),
			 IPMP_FDT_MAX_MS);

	if (want <= cur || cmpxchg(&grp->fdt_cur_ms, cur, want) != cur)
		return;
	WRITE_ONCE(grp->fdt_raised, jiffies);
	WRITE_ONCE(grp->fdt_changed, true);	/* announced by the work */
	queue_delayed_work(system_highpri_wq, &grp->probe_work, 0);
	netdev_info(grp->dev, "Cannot meet requested failure detection time of %u ms on (inet %s) new failure detection time for group \"%s\" is %u ms\n",
		    grp->fdt_ms, m->dev->name, grp->name, want);
}

/* Fold in the suspect samples held back on every target of the member. */
static bool ipmp_probe_flush_deferred(struct ipmp_probe *p)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < IPMP_TARGETS_MAX; i++) {
		if (p->tgt[i].deferred_us) {
			ipmp_tgt_sample(&p->tgt[i], p->tgt[i].deferred_us);
			p->tgt[i].deferred_us = 0;
			any = true;
		}
	}
	return any;
}

/*
 * A round-trip time of @rtt_us to target @t.  A sample that would make a
 * target look too slow for the probe interval is held back until a second
 * one, of any target, confirms it: one late reply does not stretch the FDT,
 * and targets that are all slow stretch it before their losses add up.
 */
static void ipmp_probe_rtt(struct ipmp_member *m, struct ipmp_probe_tgt *t,
			   u32 rtt_us)
{
	struct ipmp_group *grp = m->grp;
	u32 interval_us = READ_ONCE(grp->fdt_cur_ms) * 1000 / 7, crtt;

	if (ipmp_tgt_crtt_with(t, rtt_us) > interval_us) {
		if (!ipmp_probe_flush_deferred(&m->probe)) {
			t->deferred_us = rtt_us;
			return;
		}
	} else {
		t->deferred_us = 0;
	}
	ipmp_tgt_sample(t, rtt_us);
	crtt = ipmp_tgt_crtt(t);
	if (crtt > interval_us) {
		if (ipmp_tgt_outlier(m, t, interval_us))
			ipmp_tgt_skip(t, false, m);
		else
			ipmp_probe_raise_fdt(m, crtt);
	} else if (crtt < interval_us / 4 &&
		   READ_ONCE(grp->fdt_cur_ms) > READ_ONCE(grp->fdt_ms) &&
		   !READ_ONCE(grp->fdt_check) &&
		   time_after(jiffies, READ_ONCE(grp->fdt_raised) +
			      msecs_to_jiffies(READ_ONCE(fdt_settle_ms)))) {
		WRITE_ONCE(grp->fdt_check, true);
		queue_delayed_work(system_highpri_wq, &grp->probe_work, 0);
	}
}

static void ipmp_probe_event(struct ipmp_member *m, struct ipmp_probe_slot *s,
			     bool lost, u32 rtt_us)
{
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(&m->probe, s);
	struct ipmp_probe_event ev = {
		.target = s->target, .seq = s->seq, .lost = lost,
		.sent = s->sent, .netrtt_us = rtt_us, .rtt_us = rtt_us,
	};

	if (t && t->rtt_ok) {
		ev.rttavg_us = max(t->sa / 8, 1U);
		ev.rttdev_us = t->sv / 4;
	}
	ipmp_notify_probe(m, &ev);
}

static void ipmp_probe_success(struct ipmp_member *m, struct ipmp_probe_slot *s,
			       ktime_t now)
{
	struct ipmp_probe *p = &m->probe;
	u32 rtt_us = ktime_us_delta(now, s->sent);
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(p, s);

	WRITE_ONCE(m->grp->probe_heard, true);
	p->answered = true;
	WRITE_ONCE(p->last_ack, now);
	WRITE_ONCE(p->rtt_us, rtt_us);
	p->losses = 0;
	if (t) {
		t->losses = 0;
		ipmp_probe_rtt(m, t, rtt_us);
	}
	ipmp_probe_event(m, s, false, rtt_us);
	if (p->replies < IPMP_PROBE_REPAIRS)
		p->replies++;
	if (p->failed && p->replies >= IPMP_PROBE_REPAIRS)
		ipmp_probe_verdict(m, false);
}

static void ipmp_probe_loss(struct ipmp_member *m, struct ipmp_probe_slot *s)
{
	struct ipmp_probe *p = &m->probe;
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(p, s);

	s->state = IPMP_SLOT_LOST;
	if (t)
		t->mac_stale = true;	/* ask for it again with the next probe */
	p->replies = 0;
	ipmp_probe_event(m, s, true, 0);
	if (!READ_ONCE(m->grp->probe_heard))
		return;
	if (!p->losses)
		WRITE_ONCE(p->first_loss, s->sent);
	if (p->losses < IPMP_PROBE_FAILS)
		p->losses++;
	if (t && t->losses < U8_MAX)
		t->losses++;
	/* Others answer: it is the target.  Also once a failed path is back. */
	if (t && t->losses >= IPMP_PROBE_FAILS && p->losses < IPMP_PROBE_FAILS)
		ipmp_tgt_skip(t, true, m);
	if (!p->failed && p->losses >= IPMP_PROBE_FAILS)
		ipmp_probe_verdict(m, true);
}

static void ipmp_probe_expire(struct ipmp_member *m)
{
	struct ipmp_probe_slot *s;

	for (s = m->probe.slot; s < m->probe.slot + IPMP_PROBE_WINDOW; s++)
		if (s->state == IPMP_SLOT_SENT &&
		    time_after_eq(jiffies, s->deadline))
			ipmp_probe_loss(m, s);
}

/* A free slot, else the oldest lost one, else the oldest in flight (lost). */
static struct ipmp_probe_slot *ipmp_probe_slot(struct ipmp_member *m)
{
	struct ipmp_probe_slot *s, *lost = NULL, *sent = NULL;

	for (s = m->probe.slot; s < m->probe.slot + IPMP_PROBE_WINDOW; s++) {
		if (s->state == IPMP_SLOT_FREE)
			return s;
		if (s->state == IPMP_SLOT_LOST &&
		    (!lost || ktime_before(s->sent, lost->sent)))
			lost = s;
		if (s->state == IPMP_SLOT_SENT &&
		    (!sent || ktime_before(s->sent, sent->sent)))
			sent = s;
	}
	if (lost)
		return lost;
	ipmp_probe_loss(m, sent);
	return sent;
}

static void ipmp_probe_send(struct ipmp_member *m, __be32 test,
			    struct ipmp_probe_tgt *t, unsigned int idx, u32 fdt)
{
	struct ipmp_probe *p = &m->probe;
	struct ipmp_probe_slot *s = ipmp_probe_slot(m);
	struct sk_buff *skb;
	struct icmphdr *icmp;

	*s = (struct ipmp_probe_slot) {
		.state = IPMP_SLOT_SENT, .idx = idx, .target = t->addr,
		.arp = !t->mac_ok, .seq = ++p->seq, .sent = ktime_get(),
		.deadline = jiffies + ipmp_probe_timeout(fdt),
	};
	if (s->arp || t->mac_stale) {
		t->mac_stale = false;
		skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, t->addr, m->dev, test,
				 NULL, m->dev->dev_addr, NULL);
		if (skb)
			arp_xmit(skb);
		if (s->arp)
			return;
	}
	skb = ipmp_icmp_alloc(m->dev, test, t->addr, sizeof(*icmp));
	if (!skb)
		return;
	icmp = icmp_hdr(skb);
	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(p->id);
	icmp->un.echo.sequence = htons(s->seq);
	ipmp_icmp_send(skb, t->mac);
}

/*
 * The next target in turn, passing over dead and slow ones until their
 * retry time; when every target is left out they are all tried again.
 */
static struct ipmp_probe_tgt *ipmp_probe_next(struct ipmp_probe *p,
					      const struct ipmp_targets *tg,
					      unsigned int *idx)
{
	struct ipmp_probe_tgt *t, *first = NULL;
	unsigned int i, k;

	for (i = 0; i < tg->n; i++) {
		k = p->next++ % tg->n;
		t = ipmp_probe_tgt(p, k, tg->t[k]);
		if (t->skip && time_after_eq(jiffies, t->retry)) {
			t->skip = false;
			t->dead = false;
		}
		if (!first) {
			first = t;
			*idx = k;
		}
		if (!t->skip) {
			*idx = k;
			return t;
		}
	}
	for (i = 0; i < tg->n; i++) {
		p->tgt[i].skip = false;
		p->tgt[i].dead = false;
	}
	return first;
}

static void ipmp_probe_timer(struct timer_list *tl)
{
	struct ipmp_member *m = from_timer(m, tl, probe.timer);
	struct ipmp_probe *p = &m->probe;
	u32 fdt = READ_ONCE(m->grp->fdt_cur_ms);
	__be32 test = READ_ONCE(m->test4);
	struct ipmp_targets *tg;
	struct ipmp_probe_tgt *t;
	unsigned int idx;
	bool armed;

	spin_lock(&p->lock);
	if (p->stopping) {
		spin_unlock(&p->lock);
		return;
	}
	ipmp_probe_expire(m);
	rcu_read_lock();
	tg = rcu_dereference(m->grp->targets);
	armed = ipmp_probing(m) && tg && tg->n;
	if (armed && netif_running(m->dev)) {
		t = ipmp_probe_next(p, tg, &idx);
		ipmp_probe_send(m, test, t, idx, fdt);
	}
	rcu_read_unlock();
	/* Nothing to probe: ipmp_probe_kick() starts again when there is. */
	if (armed)
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
	ktime_t now = ktime_get();

	if (ntohs(icmp->un.echo.id) != p->id)
		return;
	spin_lock(&p->lock);
	if (p->mcast_seq && seq == p->mcast_seq) {
		spin_unlock(&p->lock);
		ipmp_targets_heard(m->grp, saddr);
		return;
	}
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++) {
		if (s->state == IPMP_SLOT_FREE || s->arp || s->seq != seq ||
		    s->target != saddr)
			continue;
		if (s->state == IPMP_SLOT_SENT)
			ipmp_probe_success(m, s, now);
		else if (ipmp_slot_tgt(p, s))	/* late: only its time counts */
			ipmp_probe_rtt(m, ipmp_slot_tgt(p, s),
				       ktime_us_delta(now, s->sent));
		s->state = IPMP_SLOT_FREE;
		break;
	}
	spin_unlock(&p->lock);
}

/* An ARP reply to the test address: the MAC of a target, seen by this member. */
void ipmp_probe_rx_arp(struct ipmp_member *m, __be32 sip, const u8 *sha)
{
	struct ipmp_probe *p = &m->probe;
	struct ipmp_probe_slot *s;
	unsigned int i;

	spin_lock(&p->lock);
	for (i = 0; i < IPMP_TARGETS_MAX; i++) {
		if (p->tgt[i].addr == sip) {
			ether_addr_copy(p->tgt[i].mac, sha);
			p->tgt[i].mac_ok = true;
		}
	}
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++)
		if (s->state == IPMP_SLOT_SENT && s->arp && s->target == sip)
			s->state = IPMP_SLOT_FREE;	/* neither lost nor answered */
	spin_unlock(&p->lock);
}

/* The member would probe, but the group has no target. */
bool ipmp_probe_no_targets(const struct ipmp_member *m)
{
	struct ipmp_targets *tg = rtnl_dereference(m->grp->targets);

	return ipmp_probing(m) && (!tg || !tg->n);
}

enum ipmp_probe_state ipmp_probe_state(const struct ipmp_member *m)
{
	struct ipmp_targets *tg = rtnl_dereference(m->grp->targets);

	if (!ipmp_probing(m))
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
	ipmp_targets_kick(m->grp);
}

/* Is @addr a target this member left out as dead? */
bool ipmp_probe_thinks_dead(struct ipmp_member *m, __be32 addr)
{
	bool skip = false;
	unsigned int i;

	spin_lock_bh(&m->probe.lock);
	for (i = 0; i < IPMP_TARGETS_MAX; i++)
		if (m->probe.tgt[i].addr == addr && m->probe.tgt[i].dead)
			skip = true;
	spin_unlock_bh(&m->probe.lock);
	return skip;
}

/* An ICMP echo to all-hosts from the member's test address (discovery). */
void ipmp_probe_send_mcast(struct ipmp_member *m)
{
	static const u8 allhosts[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	__be32 test = READ_ONCE(m->test4);
	struct ipmp_probe *p = &m->probe;
	struct icmphdr *icmp;
	struct sk_buff *skb;

	if (!test || !netif_running(m->dev))
		return;
	skb = ipmp_icmp_alloc(m->dev, test, htonl(INADDR_ALLHOSTS_GROUP),
			      sizeof(*icmp));
	if (!skb)
		return;
	ip_hdr(skb)->ttl = 1;
	ip_send_check(ip_hdr(skb));
	icmp = icmp_hdr(skb);
	icmp->type = ICMP_ECHO;
	icmp->un.echo.id = htons(p->id);
	spin_lock_bh(&p->lock);
	p->mcast_seq = ++p->seq;
	icmp->un.echo.sequence = htons(p->mcast_seq);
	spin_unlock_bh(&p->lock);
	ipmp_icmp_send(skb, allhosts);
}

/* Forget what the probes said, when they cannot be trusted any longer. */
void ipmp_probe_reset(struct ipmp_member *m)
{
	struct ipmp_probe *p = &m->probe;

	spin_lock_bh(&p->lock);
	memset(p->slot, 0, sizeof(p->slot));
	memset(p->tgt, 0, sizeof(p->tgt));
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

/*
 * Does some other member show that the group still works, now that @m's
 * probes fail?  A usable member watched by its link only does; a probing
 * one does if a reply reached it after @m's first lost probe was sent.
 */
static bool ipmp_probe_others_work(struct ipmp_member *m)
{
	ktime_t since = READ_ONCE(m->probe.first_loss);
	struct ipmp_member *o;

	list_for_each_entry(o, &m->grp->members, list) {
		if (o == m || !ipmp_member_usable(o))
			continue;
		if (!ipmp_probing(o) ||
		    ktime_after(READ_ONCE(o->probe.last_ack), since))
			return true;
	}
	return false;
}

/*
 * No member can reach a target: fail every probing member at once.  Each
 * needs its own IPMP_PROBE_REPAIRS replies to be repaired.
 */
static void ipmp_probe_group_failure(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	grp->probe_group_failed = true;
	list_for_each_entry(m, &grp->members, list) {
		if (!ipmp_probing(m))
			continue;
		spin_lock_bh(&m->probe.lock);
		m->probe.failed = true;
		m->probe.replies = 0;
		spin_unlock_bh(&m->probe.lock);
		m->probe_failed = true;
		ipmp_member_eval(m);
	}
}

/* Bring the FDT in force back towards the configured one, halving. */
static void ipmp_probe_lower_fdt(struct ipmp_group *grp)
{
	u32 cur = READ_ONCE(grp->fdt_cur_ms), limit_us = cur * 1000 / 7 / 4;
	struct ipmp_member *m;
	unsigned int i;
	bool fast = true;

	WRITE_ONCE(grp->fdt_check, false);
	if (cur <= grp->fdt_ms)
		return;
	list_for_each_entry(m, &grp->members, list) {
		if (!ipmp_probing(m) || m->probe_failed)
			continue;
		spin_lock_bh(&m->probe.lock);
		for (i = 0; i < IPMP_TARGETS_MAX; i++)
			if (m->probe.tgt[i].addr && !m->probe.tgt[i].skip &&
			    m->probe.tgt[i].rtt_ok &&
			    ipmp_tgt_crtt(&m->probe.tgt[i]) >= limit_us)
				fast = false;
		spin_unlock_bh(&m->probe.lock);
	}
	/* A probe timer may have raised it meanwhile: then it stays. */
	if (!fast || cmpxchg(&grp->fdt_cur_ms, cur, max(cur / 2, grp->fdt_ms)) != cur)
		return;
	WRITE_ONCE(grp->fdt_raised, jiffies);
	netdev_info(grp->dev, "Improved failure detection time %u ms for group \"%s\"\n",
		    READ_ONCE(grp->fdt_cur_ms), grp->name);
	WRITE_ONCE(grp->fdt_changed, true);
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

		if (failed == m->probe_failed)
			continue;
		changed = true;
		if (failed && !ipmp_probe_others_work(m)) {
			ipmp_probe_group_failure(grp);
			continue;
		}
		m->probe_failed = failed;
		ipmp_member_eval(m);
	}
	if (changed)
		ipmp_group_update(grp);
	if (READ_ONCE(grp->fdt_check))
		ipmp_probe_lower_fdt(grp);
	if (xchg(&grp->fdt_changed, false))
		ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	rtnl_unlock();
}

void ipmp_probe_set_fdt(struct ipmp_group *grp, u32 fdt_ms)
{
	struct ipmp_member *m;

	grp->fdt_ms = fdt_ms;
	WRITE_ONCE(grp->fdt_cur_ms, fdt_ms);
	list_for_each_entry(m, &grp->members, list)
		ipmp_probe_kick(m);
}

/* Probing was turned on or off: what the probes said no longer counts. */
void ipmp_probe_set_probing(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	netdev_info(grp->dev, "probe-based failure detection %s for group %s\n",
		    grp->probing ? "enabled" : "disabled", grp->name);
	list_for_each_entry(m, &grp->members, list) {
		ipmp_probe_reset(m);
		ipmp_member_eval(m);
		ipmp_probe_kick(m);
	}
	ipmp_group_update(grp);
}

void ipmp_probe_group_init(struct ipmp_group *grp)
{
	INIT_DELAYED_WORK(&grp->probe_work, ipmp_probe_work);
	ipmp_targets_init(grp);
}

void ipmp_probe_group_release(struct ipmp_group *grp)
{
	cancel_delayed_work_sync(&grp->probe_work);
	ipmp_targets_release(grp);
}
