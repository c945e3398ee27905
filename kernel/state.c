// SPDX-License-Identifier: GPL-2.0
/*
 * Member and group states (Solaris semantics): a member's state follows its
 * link, the administrator (offline) and duplicate hardware addresses, with
 * repair damped when a link flaps; the usable members are then chosen to be
 * active or inactive (standby, failback), and the group's state and carrier
 * follow.  Everything here runs under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include "ipmp.h"

/* More than this many link-ups within link_damp_ms hold repair. */
#define IPMP_DAMP_LINKUPS	2

static unsigned int link_damp_ms = 60000;
module_param(link_damp_ms, uint, 0644);
MODULE_PARM_DESC(link_damp_ms,
		 "hold repair when a link came up more than twice in this many ms (0: never)");

static unsigned long ipmp_damp_window(void)
{
	return msecs_to_jiffies(READ_ONCE(link_damp_ms));
}

#define IPMP_UNANNOUNCED	U32_MAX

bool ipmp_member_usable(const struct ipmp_member *m)
{
	return m->state == IPMP_MEMBER_OK;
}

/*
 * The state shown (Solaris): a usable member that would probe but has no
 * target is "unknown"; it still carries traffic, watched by its link.
 */
enum ipmp_member_state ipmp_member_state(const struct ipmp_member *m)
{
	if (m->state == IPMP_MEMBER_OK && ipmp_probe_no_targets(m))
		return IPMP_MEMBER_UNKNOWN;
	return m->state;
}

unsigned int ipmp_member_flags(const struct ipmp_member *m)
{
	unsigned int flags = 0;

	if (m->inactive)
		flags |= IPMP_MEMBER_F_INACTIVE;
	if (m->standby)
		flags |= IPMP_MEMBER_F_STANDBY;
	if (m->grp->nominee == m)
		flags |= IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4 |
			 IPMP_MEMBER_F_MCAST6;
	if (!(m->dev->flags & IFF_UP))
		flags |= IPMP_MEMBER_F_DOWN;
	if (m->duphw)
		flags |= IPMP_MEMBER_F_DUPHW;
	return flags;
}

/* What a member notification shows, packed to see what changed. */
static u32 ipmp_member_summary(const struct ipmp_member *m)
{
	return ipmp_member_flags(m) | m->active << 8 | m->link_up << 9 |
	       ipmp_member_state(m) << 10 | ipmp_probe_state(m) << 13 |
	       min(m->nbound, 0xffffU) << 15;
}

void ipmp_member_announced(struct ipmp_member *m)
{
	m->announced = ipmp_member_summary(m);
}

/*
 * Choose which usable members carry traffic.  As many members are active as
 * there are non-standby members (at least one): non-standby members first,
 * standby members fill in for the ones that are not usable and step back when
 * they are no longer needed.  Without failback, a repaired member comes back
 * inactive (see ipmp_member_eval()) and stays so until it is needed.
 */
static void ipmp_group_select(struct ipmp_group *grp)
{
	unsigned int target = 0, nactive = 0;
	struct ipmp_place *pl;
	struct ipmp_member *m;
	int pass;

	/* A member whose device went away is stood in for, like a failed one. */
	list_for_each_entry(pl, &grp->places, list)
		if (!pl->standby)
			target++;
	list_for_each_entry(m, &grp->members, list) {
		if (!m->standby)
			target++;
		if (grp->failback && !m->standby)
			m->inactive = false;
		if (ipmp_member_usable(m) && !m->inactive)
			nactive++;
	}
	target = max(target, 1U);

	for (pass = 0; pass < 2 && nactive < target; pass++) {
		list_for_each_entry(m, &grp->members, list) {
			if (nactive >= target)
				break;
			if (m->standby == !pass && ipmp_member_usable(m) &&
			    m->inactive) {
				m->inactive = false;
				nactive++;
			}
		}
	}
	list_for_each_entry_reverse(m, &grp->members, list) {
		if (nactive <= target)
			break;
		if (m->standby && ipmp_member_usable(m) && !m->inactive) {
			m->inactive = true;
			nactive--;
		}
	}
}

static struct ipmp_active *ipmp_active_build(struct ipmp_group *grp)
{
	struct ipmp_active *act;
	struct ipmp_member *m;

	act = kzalloc(struct_size(act, m, grp->nmembers), GFP_KERNEL);
	if (!act)
		return NULL;
	list_for_each_entry(m, &grp->members, list) {
		WRITE_ONCE(m->active, ipmp_member_usable(m) && !m->inactive);
		if (m->active)
			act->m[act->n++] = m;
	}
	return act;
}

static enum ipmp_group_state ipmp_group_state(struct ipmp_group *grp)
{
	struct ipmp_member *m;

	if (!grp->nactive)
		return IPMP_GROUP_FAILED;
	if (!list_empty(&grp->places))
		return IPMP_GROUP_DEGRADED;	/* a member is missing */
	list_for_each_entry(m, &grp->members, list)
		if (!ipmp_member_usable(m))
			return IPMP_GROUP_DEGRADED;
	return IPMP_GROUP_OK;
}

static void ipmp_group_set_state(struct ipmp_group *grp,
				 enum ipmp_group_state state)
{
	enum ipmp_group_state old = grp->state;

	grp->state = state;
	if (state == IPMP_GROUP_FAILED) {
		netif_carrier_off(grp->dev);
		if (old != IPMP_GROUP_FAILED && grp->nmembers)
			netdev_warn(grp->dev, "All IP interfaces in group %s are now unusable\n",
				    grp->name);
	} else {
		netif_carrier_on(grp->dev);
		if (old == IPMP_GROUP_FAILED && grp->nominee)
			netdev_info(grp->dev, "At least 1 IP interface (%s) in group %s is now usable\n",
				    grp->nominee->dev->name, grp->name);
	}
	if (old != state || grp->announced_nactive != grp->nactive) {
		grp->announced_nactive = grp->nactive;
		ipmp_notify_group(grp, IPMP_CMD_GROUP_SET);
	}
}

static void ipmp_group_notify_members(struct ipmp_group *grp)
{
	struct ipmp_member *m;
	u32 now;

	list_for_each_entry(m, &grp->members, list) {
		now = ipmp_member_summary(m);
		if (m->announced != IPMP_UNANNOUNCED && now != m->announced) {
			m->announced = now;
			ipmp_notify_member(m, IPMP_CMD_MEMBER_SET);
		}
	}
}

/*
 * The group's multicast list and promiscuity follow the nominee, the one
 * member that receives broadcast and multicast for the group.
 */
static void ipmp_nominee_change(struct ipmp_group *grp,
				struct ipmp_member *old, struct ipmp_member *new)
{
	struct net_device *gdev = grp->dev;

	if (old) {
		if (gdev->flags & IFF_PROMISC)
			dev_set_promiscuity(old->dev, -1);
		if (gdev->flags & IFF_ALLMULTI)
			dev_set_allmulti(old->dev, -1);
		dev_mc_unsync(old->dev, gdev);	/* takes gdev's addr lock */
		dev_uc_unsync(old->dev, gdev);
	}
	WRITE_ONCE(grp->nominee, new);
	if (new) {
		if (gdev->flags & IFF_PROMISC)
			dev_set_promiscuity(new->dev, 1);
		if (gdev->flags & IFF_ALLMULTI)
			dev_set_allmulti(new->dev, 1);
		netif_addr_lock_bh(gdev);
		dev_uc_sync(new->dev, gdev);
		dev_mc_sync(new->dev, gdev);
		netif_addr_unlock_bh(gdev);
	}
}

/*
 * Recompute which members are active after any change of membership,
 * settings or member state, publish the result to the data path and move
 * the data addresses off the members that stopped being active.
 */
void ipmp_group_update(struct ipmp_group *grp)
{
	struct ipmp_active *act, *old;
	struct ipmp_member *nominee;

	ASSERT_RTNL();
	ipmp_group_select(grp);
	act = ipmp_active_build(grp);
	if (!act) {
		/* Keep the old array: the worst case is a stale active set. */
		netdev_err(grp->dev, "out of memory updating active members\n");
		return;
	}
	grp->nactive = act->n;
	nominee = grp->nominee;
	if (!nominee || !nominee->active)
		nominee = act->n ? act->m[0] : NULL;
	if (nominee != grp->nominee)
		ipmp_nominee_change(grp, grp->nominee, nominee);
	old = rtnl_dereference(grp->active);
	rcu_assign_pointer(grp->active, act);
	if (old)
		kfree_rcu(old, rcu);
	ipmp_addr_rebalance(grp);
	ipmp_group_set_state(grp, ipmp_group_state(grp));
	ipmp_group_notify_members(grp);
}

/* A member leaves the group: it must not stay the nominee. */
void ipmp_group_forget(struct ipmp_group *grp, struct ipmp_member *m)
{
	WRITE_ONCE(m->active, false);
	if (grp->nominee == m)
		ipmp_nominee_change(grp, m, NULL);
}

/* Record a link-up; true when the link flaps and repair must wait. */
static bool ipmp_member_flapping(struct ipmp_member *m)
{
	unsigned long now = jiffies, window = ipmp_damp_window();

	m->linkups[m->nlinkups++ % ARRAY_SIZE(m->linkups)] = now;
	return window && m->nlinkups > IPMP_DAMP_LINKUPS &&
	       time_before(now, m->linkups[m->nlinkups % ARRAY_SIZE(m->linkups)] +
				window);
}

static enum ipmp_member_state ipmp_member_want(const struct ipmp_member *m)
{
	if (m->offline || m->duphw)
		return IPMP_MEMBER_OFFLINE;
	if (!m->link_up || m->damped || m->probe_failed)
		return IPMP_MEMBER_FAILED;
	return IPMP_MEMBER_OK;
}

/* Move a member to the state its inputs call for, and log the change. */
void ipmp_member_eval(struct ipmp_member *m)
{
	enum ipmp_member_state old = m->state, new = ipmp_member_want(m);
	struct ipmp_group *grp = m->grp;

	if (old == new)
		return;
	m->state = new;
	/* A group failure is told by the group's message alone. */
	if (new == IPMP_MEMBER_FAILED && old == IPMP_MEMBER_OK &&
	    !(grp->probe_group_failed && m->probe_failed))
		netdev_warn(grp->dev, "IP interface failure detected on %s of group %s\n",
			    m->dev->name, grp->name);
	if (new == IPMP_MEMBER_OK) {
		grp->probe_group_failed = false;
		if (old == IPMP_MEMBER_FAILED)
			netdev_info(grp->dev, "IP interface repair detected on %s of group %s\n",
				    m->dev->name, grp->name);
		m->inactive = m->standby || !grp->failback;
	}
}

void ipmp_member_refresh(struct ipmp_member *m)
{
	ipmp_member_eval(m);
	ipmp_group_update(m->grp);
}

void ipmp_member_link_change(struct ipmp_member *m, bool up)
{
	struct ipmp_group *grp = m->grp;

	if (up == m->link_up)
		return;
	WRITE_ONCE(m->link_up, up);
	if (up) {
		netdev_info(grp->dev, "The link has come up on %s\n", m->dev->name);
		if (ipmp_member_flapping(m) && !m->damped) {
			m->damped = true;
			netdev_warn(grp->dev, "The link on %s is flapping: repair held until it is stable\n",
				    m->dev->name);
			mod_delayed_work(system_wq, &grp->damp_work,
					 ipmp_damp_window());
		}
	} else {
		netdev_warn(grp->dev, "The link has gone down on %s\n", m->dev->name);
	}
	ipmp_member_refresh(m);
}

/* Release damped members whose link has stayed stable long enough. */
static void ipmp_damp_work(struct work_struct *work)
{
	struct ipmp_group *grp = container_of(to_delayed_work(work),
					      struct ipmp_group, damp_work);
	unsigned long next = 0, last, window = ipmp_damp_window();
	struct ipmp_member *m;
	bool changed = false;

	if (!rtnl_trylock()) {
		mod_delayed_work(system_wq, &grp->damp_work, HZ / 10);
		return;
	}
	list_for_each_entry(m, &grp->members, list) {
		if (!m->damped)
			continue;
		last = m->linkups[(m->nlinkups - 1) % ARRAY_SIZE(m->linkups)];
		if (time_before(jiffies, last + window)) {
			next = max(next, last + window - jiffies);
			continue;
		}
		m->damped = false;
		ipmp_member_eval(m);
		changed = true;
	}
	if (changed)
		ipmp_group_update(grp);
	if (next)
		mod_delayed_work(system_wq, &grp->damp_work, next);
	rtnl_unlock();
}

void ipmp_member_set_standby(struct ipmp_member *m, bool standby)
{
	if (m->standby == standby)
		return;
	m->standby = standby;
	m->inactive = standby;
	ipmp_group_update(m->grp);
}

/* Offline needs another usable member: minimum redundancy 1. */
int ipmp_member_set_offline(struct ipmp_member *m, bool offline,
			    struct netlink_ext_ack *extack)
{
	struct ipmp_member *o;

	if (m->offline == offline)
		return 0;
	if (offline && ipmp_member_usable(m)) {
		bool other = false;

		list_for_each_entry(o, &m->grp->members, list)
			other |= o != m && ipmp_member_usable(o);
		if (!other) {
			NL_SET_ERR_MSG(extack,
				       "cannot offline the last usable member of the group");
			return -EBUSY;
		}
	}
	m->offline = offline;
	netdev_info(m->grp->dev, "interface %s of group %s is now %s\n",
		    m->dev->name, m->grp->name, offline ? "offline" : "online");
	ipmp_member_refresh(m);
	return 0;
}

/* A member's MAC address is the same as another member's: offline it. */
void ipmp_member_check_duphw(struct ipmp_group *grp)
{
	struct ipmp_member *m, *o;
	bool dup;

	list_for_each_entry(m, &grp->members, list) {
		dup = false;
		list_for_each_entry(o, &grp->members, list) {
			if (o == m)
				break;
			if (ether_addr_equal(o->dev->dev_addr, m->dev->dev_addr) &&
			    !o->duphw)
				dup = true;
		}
		if (dup && !m->duphw)
			netdev_warn(grp->dev, "duplicate hardware address on %s in group %s: offline\n",
				    m->dev->name, grp->name);
		if (!dup && m->duphw)
			netdev_info(grp->dev, "hardware address of %s in group %s is unique again\n",
				    m->dev->name, grp->name);
		m->duphw = dup;
		ipmp_member_eval(m);
	}
}

void ipmp_damp_init(struct ipmp_group *grp)
{
	INIT_DELAYED_WORK(&grp->damp_work, ipmp_damp_work);
}
