// SPDX-License-Identifier: GPL-2.0
/*
 * Probe-based failure detection: every member with a test address sends
 * ICMP (IPv4) or ICMPv6 echo requests from it, out of itself, to the group's
 * targets of that family in turn,
 * every FDT/7 times a random factor in [0.5, 1].  A probe not answered
 * within FDT/10 is lost; IPMP_PROBE_FAILS losses in a row fail the member,
 * IPMP_PROBE_REPAIRS replies in a row repair it.  Target MACs are resolved
 * by the member itself, with ARP or NS from its test address, so that a
 * dead path cannot borrow another member's neighbour entry.
 *
 * Each family probes on its own (struct ipmp_probe, one per family); a
 * member probing in both is failed when both fail and repaired when either
 * is repaired.  A family without targets has no say.
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

/*
 * FDT/7 times a random factor in [0.5, 1], rounded to the nearest jiffy:
 * rounding up would stretch every interval by up to a jiffy, 28% of the
 * nominal one at FDT 100 ms and HZ 250.
 */
static unsigned long ipmp_probe_interval(u32 fdt_ms)
{
	u32 full_us = div_u64((u64)fdt_ms * USEC_PER_MSEC, 7);
	u32 us = full_us / 2 + get_random_u32_below(full_us / 2 + 1);

	return max(DIV_ROUND_CLOSEST(us, jiffies_to_usecs(1)), 1U);
}

/*
 * The first probe after a break goes out within 1/7 of the FDT and the
 * fifth within 5/7; a tenth of the FDT for its reply leaves the rest for
 * the jiffies and the verdict's work if failures are to be detected
 * within the FDT.  The timer wakes at that deadline (ipmp_probe_wake()).
 */
static unsigned long ipmp_probe_timeout(u32 fdt_ms)
{
	return max(msecs_to_jiffies(fdt_ms / 10), 1UL);
}

/* The test address of family @af the member probes from, if it has one. */
bool ipmp_probe_test_addr(const struct ipmp_member *m, unsigned int af,
			  struct in6_addr *addr)
{
	__be32 test4;

	if (af == IPMP_AF6)
		return ipmp_test6(m, addr);
	test4 = READ_ONCE(m->test4);
	if (test4 && addr)
		ipmp_ip4(addr, test4);
	return test4 != 0;
}

bool ipmp_probing_af(const struct ipmp_member *m, unsigned int af)
{
	return READ_ONCE(m->grp->probing) && ipmp_probe_test_addr(m, af, NULL);
}

static bool ipmp_probing(const struct ipmp_member *m)
{
	return ipmp_probing_af(m, IPMP_AF4) || ipmp_probing_af(m, IPMP_AF6);
}

/* The member's view of target @idx, started afresh if it was another's. */
static struct ipmp_probe_tgt *ipmp_probe_tgt(struct ipmp_probe *p,
					     unsigned int idx,
					     const struct in6_addr *addr)
{
	struct ipmp_probe_tgt *t = &p->tgt[idx];

	if (!ipv6_addr_equal(&t->addr, addr)) {
		memset(t, 0, sizeof(*t));
		t->addr = *addr;
	}
	return t;
}

static bool ipmp_tgt_used(const struct ipmp_probe_tgt *t)
{
	return !ipv6_addr_any(&t->addr);
}

/* The view of the target a slot probed, unless the targets changed since. */
static struct ipmp_probe_tgt *ipmp_slot_tgt(struct ipmp_probe *p,
					    const struct ipmp_probe_slot *s)
{
	struct ipmp_probe_tgt *t = &p->tgt[s->idx];

	return ipv6_addr_equal(&t->addr, &s->target) ? t : NULL;
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
static void ipmp_probe_verdict(struct ipmp_probe *p, bool failed)
{
	WRITE_ONCE(p->failed, failed);
	queue_delayed_work(system_highpri_wq, &p->m->grp->probe_work, 0);
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
static bool ipmp_tgt_outlier(struct ipmp_probe *p, struct ipmp_probe_tgt *t,
			     u32 interval_us)
{
	unsigned int i, fast = 0;

	for (i = 0; i < IPMP_TARGETS_MAX; i++)
		if (&p->tgt[i] != t && ipmp_tgt_used(&p->tgt[i]) && !p->tgt[i].skip &&
		    ipmp_tgt_fast(&p->tgt[i], interval_us / 2))
			fast++;
	return fast >= IPMP_PROBE_FAST_OTHERS;
}

static void ipmp_tgt_skip(struct ipmp_probe_tgt *t, bool dead,
			  struct ipmp_probe *p)
{
	struct ipmp_member *m = p->m;
	char a[IPMP_IP_STRLEN];

	t->skip = true;
	t->dead = dead;
	t->retry = jiffies + msecs_to_jiffies(READ_ONCE(target_retry_ms));
	t->rtt_ok = false;
	t->deferred_us = 0;
	t->losses = 0;
	netdev_info(m->grp->dev, "probe target %s is %s from %s of group %s: left out for %u ms\n",
		    ipmp_ip_str(a, p->af, &t->addr), dead ? "dead" : "slow",
		    m->dev->name, m->grp->name,
		    READ_ONCE(target_retry_ms));
}

/* The targets answer too slowly for the FDT in force: make it longer. */
static void ipmp_probe_raise_fdt(struct ipmp_probe *p, u32 crtt_us)
{
	struct ipmp_member *m = p->m;
	struct ipmp_group *grp = m->grp;
	u32 cur = READ_ONCE(grp->fdt_cur_ms);
	u32 want = min_t(u64, DIV_ROUND_UP_ULL((u64)crtt_us * 14, 1000),
			 IPMP_FDT_MAX_MS);

	if (want <= cur || cmpxchg(&grp->fdt_cur_ms, cur, want) != cur)
		return;
	WRITE_ONCE(grp->fdt_raised, jiffies);
	WRITE_ONCE(grp->fdt_changed, true);	/* announced by the work */
	queue_delayed_work(system_highpri_wq, &grp->probe_work, 0);
	netdev_info(grp->dev, "Cannot meet requested failure detection time of %u ms on (%s %s) new failure detection time for group \"%s\" is %u ms\n",
		    grp->fdt_ms, p->af == IPMP_AF6 ? "inet6" : "inet",
		    m->dev->name, grp->name, want);
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
static void ipmp_probe_rtt(struct ipmp_probe *p, struct ipmp_probe_tgt *t,
			   u32 rtt_us)
{
	struct ipmp_group *grp = p->m->grp;
	u32 interval_us = READ_ONCE(grp->fdt_cur_ms) * 1000 / 7, crtt;

	if (ipmp_tgt_crtt_with(t, rtt_us) > interval_us) {
		if (!ipmp_probe_flush_deferred(p)) {
			t->deferred_us = rtt_us;
			return;
		}
	} else {
		t->deferred_us = 0;
	}
	ipmp_tgt_sample(t, rtt_us);
	crtt = ipmp_tgt_crtt(t);
	if (crtt > interval_us) {
		if (ipmp_tgt_outlier(p, t, interval_us))
			ipmp_tgt_skip(t, false, p);
		else
			ipmp_probe_raise_fdt(p, crtt);
	} else if (crtt < interval_us / 4 &&
		   READ_ONCE(grp->fdt_cur_ms) > READ_ONCE(grp->fdt_ms) &&
		   !READ_ONCE(grp->fdt_check) &&
		   time_after(jiffies, READ_ONCE(grp->fdt_raised) +
			      msecs_to_jiffies(READ_ONCE(fdt_settle_ms)))) {
		WRITE_ONCE(grp->fdt_check, true);
		queue_delayed_work(system_highpri_wq, &grp->probe_work, 0);
	}
}

static void ipmp_probe_event(struct ipmp_probe *p, struct ipmp_probe_slot *s,
			     bool lost, u32 rtt_us)
{
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(p, s);
	struct ipmp_probe_event ev = {
		.af = p->af, .target = s->target, .seq = s->seq, .lost = lost,
		.sent = s->sent, .netrtt_us = rtt_us, .rtt_us = rtt_us,
	};

	if (t && t->rtt_ok) {
		ev.rttavg_us = max(t->sa / 8, 1U);
		ev.rttdev_us = t->sv / 4;
	}
	ipmp_notify_probe(p->m, &ev);
}

static void ipmp_probe_success(struct ipmp_probe *p, struct ipmp_probe_slot *s,
			       ktime_t now)
{
	struct ipmp_member *m = p->m;
	u32 rtt_us = ktime_us_delta(now, s->sent);
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(p, s);

	WRITE_ONCE(m->grp->probe_heard, true);
	p->answered = true;
	WRITE_ONCE(p->last_ack, now);
	WRITE_ONCE(p->rtt_us, rtt_us);
	p->losses = 0;
	if (t) {
		t->losses = 0;
		ipmp_probe_rtt(p, t, rtt_us);
	}
	ipmp_probe_event(p, s, false, rtt_us);
	if (p->replies < IPMP_PROBE_REPAIRS)
		p->replies++;
	if (p->failed && p->replies >= IPMP_PROBE_REPAIRS)
		ipmp_probe_verdict(p, false);
}

static void ipmp_probe_loss(struct ipmp_probe *p, struct ipmp_probe_slot *s)
{
	struct ipmp_member *m = p->m;
	struct ipmp_probe_tgt *t = ipmp_slot_tgt(p, s);

	s->state = IPMP_SLOT_LOST;
	if (t)
		t->mac_stale = true;	/* ask for it again with the next probe */
	p->replies = 0;
	ipmp_probe_event(p, s, true, 0);
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
		ipmp_tgt_skip(t, true, p);
	if (!p->failed && p->losses >= IPMP_PROBE_FAILS)
		ipmp_probe_verdict(p, true);
}

static void ipmp_probe_expire(struct ipmp_probe *p)
{
	struct ipmp_probe_slot *s;

	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++)
		if (s->state == IPMP_SLOT_SENT &&
		    time_after_eq(jiffies, s->deadline))
			ipmp_probe_loss(p, s);
}

/* A free slot, else the oldest lost one, else the oldest in flight (lost). */
static struct ipmp_probe_slot *ipmp_probe_slot(struct ipmp_probe *p)
{
	struct ipmp_probe_slot *s, *lost = NULL, *sent = NULL;

	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++) {
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
	ipmp_probe_loss(p, sent);
	return sent;
}

/* Ask for @t's MAC from the test address: ARP request or NS. */
static void ipmp_probe_xmit_resolve(struct ipmp_probe *p,
				    const struct in6_addr *test,
				    const struct ipmp_probe_tgt *t)
{
	if (p->af == IPMP_AF6)
		ipmp_testaddr6_resolve(p->m, test, &t->addr);
	else
		ipmp_testaddr4_resolve(p->m, ipmp_ip4_of(test),
				       ipmp_ip4_of(&t->addr));
}

static void ipmp_probe_xmit_echo(struct ipmp_probe *p,
				 const struct in6_addr *test,
				 const struct in6_addr *dst, const u8 *dmac,
				 u16 seq, bool mcast)
{
	if (p->af == IPMP_AF6)
		ipmp_testaddr6_echo(p->m, test, dst, dmac, p->id, seq, mcast);
	else
		ipmp_testaddr4_echo(p->m, ipmp_ip4_of(test), ipmp_ip4_of(dst),
				    dmac, p->id, seq, mcast);
}

static void ipmp_probe_send(struct ipmp_probe *p, const struct in6_addr *test,
			    struct ipmp_probe_tgt *t, unsigned int idx, u32 fdt)
{
	struct ipmp_probe_slot *s = ipmp_probe_slot(p);

	*s = (struct ipmp_probe_slot) {
		.state = IPMP_SLOT_SENT, .idx = idx, .target = t->addr,
		.resolve = !t->mac_ok, .seq = ++p->seq, .sent = ktime_get(),
		.deadline = jiffies + ipmp_probe_timeout(fdt),
	};
	if (s->resolve || t->mac_stale) {
		t->mac_stale = false;
		ipmp_probe_xmit_resolve(p, test, t);
		if (s->resolve)
			return;
	}
	ipmp_probe_xmit_echo(p, test, &t->addr, t->mac, s->seq, false);
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
		t = ipmp_probe_tgt(p, k, &tg->t[k]);
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

/*
 * When the timer is next needed: for the next probe, or sooner for the
 * deadline of one in flight, so that a loss counts as soon as it is one
 * and not at the next probe's tick, up to an interval later.
 */
static unsigned long ipmp_probe_wake(const struct ipmp_probe *p)
{
	const struct ipmp_probe_slot *s;
	unsigned long at = p->send_at;

	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++)
		if (s->state == IPMP_SLOT_SENT && time_before(s->deadline, at))
			at = s->deadline;
	return at;
}

/* Count the losses that are due, and send the next probe if it is due. */
static void ipmp_probe_timer(struct timer_list *tl)
{
	struct ipmp_probe *p = timer_container_of(p, tl, timer);
	struct ipmp_member *m = p->m;
	u32 fdt = READ_ONCE(m->grp->fdt_cur_ms);
	struct ipmp_targets *tg;
	struct ipmp_probe_tgt *t;
	struct in6_addr test;
	unsigned int idx;
	bool armed, due;

	spin_lock(&p->lock);
	if (p->stopping) {
		spin_unlock(&p->lock);
		return;
	}
	ipmp_probe_expire(p);
	rcu_read_lock();
	tg = rcu_dereference(m->grp->targets[p->af]);
	armed = READ_ONCE(m->grp->probing) &&
		ipmp_probe_test_addr(m, p->af, &test) && tg && tg->n;
	due = time_after_eq(jiffies, p->send_at);
	if (armed && due && netif_running(m->dev)) {
		t = ipmp_probe_next(p, tg, &idx);
		ipmp_probe_send(p, &test, t, idx, fdt);
	}
	rcu_read_unlock();
	if (due)
		p->send_at = jiffies + ipmp_probe_interval(fdt);
	/* Nothing to probe: ipmp_probe_kick() starts again when there is. */
	if (armed)
		mod_timer(&p->timer, ipmp_probe_wake(p));
	spin_unlock(&p->lock);
}

/* An echo reply to the member's test address: match id, sequence, source. */
void ipmp_probe_rx_echo(struct ipmp_member *m, unsigned int af,
			const struct in6_addr *saddr, u16 id, u16 seq)
{
	struct ipmp_probe *p = &m->probe[af];
	struct ipmp_probe_slot *s;
	ktime_t now = ktime_get();

	if (id != p->id)
		return;
	spin_lock(&p->lock);
	if (p->mcast_seq && seq == p->mcast_seq) {
		spin_unlock(&p->lock);
		ipmp_targets_heard(m->grp, af, saddr);
		return;
	}
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++) {
		if (s->state == IPMP_SLOT_FREE || s->resolve || s->seq != seq ||
		    !ipv6_addr_equal(&s->target, saddr))
			continue;
		if (s->state == IPMP_SLOT_SENT)
			ipmp_probe_success(p, s, now);
		else if (ipmp_slot_tgt(p, s))	/* late: only its time counts */
			ipmp_probe_rtt(p, ipmp_slot_tgt(p, s),
				       ktime_us_delta(now, s->sent));
		s->state = IPMP_SLOT_FREE;
		break;
	}
	spin_unlock(&p->lock);
}

/* The MAC of a target (ARP reply or NA to the test address), seen by @m. */
void ipmp_probe_rx_resolved(struct ipmp_member *m, unsigned int af,
			    const struct in6_addr *addr, const u8 *mac)
{
	struct ipmp_probe *p = &m->probe[af];
	struct ipmp_probe_slot *s;
	unsigned int i;

	spin_lock(&p->lock);
	for (i = 0; i < IPMP_TARGETS_MAX; i++) {
		if (ipv6_addr_equal(&p->tgt[i].addr, addr)) {
			ether_addr_copy(p->tgt[i].mac, mac);
			p->tgt[i].mac_ok = true;
		}
	}
	for (s = p->slot; s < p->slot + IPMP_PROBE_WINDOW; s++)
		if (s->state == IPMP_SLOT_SENT && s->resolve &&
		    ipv6_addr_equal(&s->target, addr))
			s->state = IPMP_SLOT_FREE;	/* neither lost nor answered */
	spin_unlock(&p->lock);
}

static bool ipmp_af_has_targets(const struct ipmp_member *m, unsigned int af)
{
	struct ipmp_targets *tg = rtnl_dereference(m->grp->targets[af]);

	return tg && tg->n;
}

/* A family whose probes have a say: it probes and has targets. */
static bool ipmp_af_counts(const struct ipmp_member *m, unsigned int af)
{
	return ipmp_probing_af(m, af) && ipmp_af_has_targets(m, af);
}

/* The member would probe, but the group has no target in its families. */
bool ipmp_probe_no_targets(const struct ipmp_member *m)
{
	return ipmp_probing(m) && !ipmp_af_counts(m, IPMP_AF4) &&
	       !ipmp_af_counts(m, IPMP_AF6);
}

/* Some family got a reply; @rtt_us is the last one's time. */
bool ipmp_probe_answered(const struct ipmp_member *m, u32 *rtt_us)
{
	const struct ipmp_probe *last = NULL, *p;

	for (p = m->probe; p < m->probe + IPMP_NAF; p++)
		if (p->answered &&
		    (!last || ktime_after(READ_ONCE(p->last_ack),
					  READ_ONCE(last->last_ack))))
			last = p;
	if (last && rtt_us)
		*rtt_us = READ_ONCE(last->rtt_us);
	return last;
}

enum ipmp_probe_state ipmp_probe_state(const struct ipmp_member *m)
{
	if (!ipmp_probing(m))
		return IPMP_PROBE_DISABLED;
	if (ipmp_probe_no_targets(m))
		return IPMP_PROBE_UNKNOWN;
	if (m->probe_failed)
		return IPMP_PROBE_FAILED;
	return ipmp_probe_answered(m, NULL) ? IPMP_PROBE_OK : IPMP_PROBE_UNKNOWN;
}

/* Probe soon, after the settings changed. */
void ipmp_probe_kick(struct ipmp_member *m)
{
	struct ipmp_probe *p;

	for (p = m->probe; p < m->probe + IPMP_NAF; p++) {
		spin_lock_bh(&p->lock);
		if (!p->stopping) {
			p->send_at = jiffies;
			mod_timer(&p->timer, jiffies + 1);
		}
		spin_unlock_bh(&p->lock);
	}
	ipmp_targets_kick(m->grp);
}

/* Is @addr a target this member left out as dead? */
bool ipmp_probe_thinks_dead(struct ipmp_member *m, unsigned int af,
			    const struct in6_addr *addr)
{
	struct ipmp_probe *p = &m->probe[af];
	bool skip = false;
	unsigned int i;

	spin_lock_bh(&p->lock);
	for (i = 0; i < IPMP_TARGETS_MAX; i++)
		if (ipv6_addr_equal(&p->tgt[i].addr, addr) && p->tgt[i].dead)
			skip = true;
	spin_unlock_bh(&p->lock);
	return skip;
}

/* An echo to all-hosts from the member's test address (discovery). */
void ipmp_probe_send_mcast(struct ipmp_member *m, unsigned int af)
{
	static const u8 allhosts4[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const u8 allhosts6[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	struct ipmp_probe *p = &m->probe[af];
	struct in6_addr test, all;
	u16 seq;

	if (!ipmp_probe_test_addr(m, af, &test) || !netif_running(m->dev))
		return;
	if (af == IPMP_AF6)
		ipv6_addr_set(&all, htonl(0xff020000), 0, 0, htonl(1));
	else
		ipmp_ip4(&all, htonl(INADDR_ALLHOSTS_GROUP));
	spin_lock_bh(&p->lock);
	p->mcast_seq = ++p->seq;
	seq = p->mcast_seq;
	spin_unlock_bh(&p->lock);
	ipmp_probe_xmit_echo(p, &test, &all,
			     af == IPMP_AF6 ? allhosts6 : allhosts4, seq, true);
}

/*
 * The member's probes, both families together: failed when every family
 * that has a say failed (and some has), repaired when any is repaired.
 */
static bool ipmp_probe_member_failed(const struct ipmp_member *m)
{
	bool any = false;
	unsigned int af;

	for (af = 0; af < IPMP_NAF; af++) {
		if (!ipmp_af_counts(m, af))
			continue;
		if (!READ_ONCE(m->probe[af].failed))
			return false;
		any = true;
	}
	return any;
}

/* When the member's probes started failing: the earliest failed family's. */
static ktime_t ipmp_probe_first_loss(const struct ipmp_member *m)
{
	ktime_t since = KTIME_MAX, t;
	unsigned int af;

	for (af = 0; af < IPMP_NAF; af++) {
		t = READ_ONCE(m->probe[af].first_loss);
		if (READ_ONCE(m->probe[af].failed) && ktime_before(t, since))
			since = t;
	}
	return since;
}

static ktime_t ipmp_probe_last_ack(const struct ipmp_member *m)
{
	ktime_t last = 0, t;
	unsigned int af;

	for (af = 0; af < IPMP_NAF; af++) {
		t = READ_ONCE(m->probe[af].last_ack);
		if (ktime_after(t, last))
			last = t;
	}
	return last;
}

/* Forget what one family's probes said. */
void ipmp_probe_reset_af(struct ipmp_member *m, unsigned int af)
{
	struct ipmp_probe *p = &m->probe[af];

	spin_lock_bh(&p->lock);
	memset(p->slot, 0, sizeof(p->slot));
	memset(p->tgt, 0, sizeof(p->tgt));
	p->losses = 0;
	p->replies = 0;
	p->failed = false;
	p->answered = false;
	spin_unlock_bh(&p->lock);
	/* What is left may not fail the member; a new failure is the work's. */
	if (m->probe_failed && !ipmp_probe_member_failed(m))
		m->probe_failed = false;
}

/* Forget what the probes said, when they cannot be trusted any longer. */
void ipmp_probe_reset(struct ipmp_member *m)
{
	unsigned int af;

	for (af = 0; af < IPMP_NAF; af++)
		ipmp_probe_reset_af(m, af);
	m->probe_failed = false;
}

void ipmp_probe_start(struct ipmp_member *m)
{
	unsigned int af;

	for (af = 0; af < IPMP_NAF; af++) {
		struct ipmp_probe *p = &m->probe[af];

		p->m = m;
		p->af = af;
		spin_lock_init(&p->lock);
		timer_setup(&p->timer, ipmp_probe_timer, 0);
		p->id = get_random_u16();
		p->send_at = jiffies;
		mod_timer(&p->timer, jiffies + 1);
	}
}

void ipmp_probe_stop(struct ipmp_member *m)
{
	struct ipmp_probe *p;

	for (p = m->probe; p < m->probe + IPMP_NAF; p++) {
		spin_lock_bh(&p->lock);
		p->stopping = true;
		spin_unlock_bh(&p->lock);
		timer_shutdown_sync(&p->timer);
	}
}

/*
 * Does some other member show that the group still works, now that @m's
 * probes fail?  A usable member watched by its link only does; a probing
 * one does if a reply reached it after @m's first lost probe was sent.
 */
static bool ipmp_probe_others_work(struct ipmp_member *m)
{
	ktime_t since = ipmp_probe_first_loss(m);
	struct ipmp_member *o;

	list_for_each_entry(o, &m->grp->members, list) {
		if (o == m || !ipmp_member_usable(o))
			continue;
		if (!ipmp_probing(o) || ktime_after(ipmp_probe_last_ack(o), since))
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
	struct ipmp_probe *p;

	grp->probe_group_failed = true;
	list_for_each_entry(m, &grp->members, list) {
		if (!ipmp_probing(m))
			continue;
		for (p = m->probe; p < m->probe + IPMP_NAF; p++) {
			if (!ipmp_af_counts(m, p->af))
				continue;
			spin_lock_bh(&p->lock);
			p->failed = true;
			p->replies = 0;
			spin_unlock_bh(&p->lock);
		}
		m->probe_failed = true;
		ipmp_member_eval(m);
	}
}

/* Bring the FDT in force back towards the configured one, halving. */
static void ipmp_probe_lower_fdt(struct ipmp_group *grp)
{
	u32 cur = READ_ONCE(grp->fdt_cur_ms), limit_us = cur * 1000 / 7 / 4;
	struct ipmp_member *m;
	struct ipmp_probe *p;
	unsigned int i;
	bool fast = true;

	WRITE_ONCE(grp->fdt_check, false);
	if (cur <= grp->fdt_ms)
		return;
	list_for_each_entry(m, &grp->members, list) {
		if (!ipmp_probing(m) || m->probe_failed)
			continue;
		for (p = m->probe; p < m->probe + IPMP_NAF; p++) {
			spin_lock_bh(&p->lock);
			for (i = 0; i < IPMP_TARGETS_MAX; i++)
				if (ipmp_tgt_used(&p->tgt[i]) && !p->tgt[i].skip &&
				    p->tgt[i].rtt_ok &&
				    ipmp_tgt_crtt(&p->tgt[i]) >= limit_us)
					fast = false;
			spin_unlock_bh(&p->lock);
		}
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
		bool failed = ipmp_probe_member_failed(m);

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
