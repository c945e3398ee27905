/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal definitions of ipmp.ko: groups, members and the glue between
 * the files that implement them.
 *
 * Locking: every change to a group or a member happens under RTNL.  The data
 * path (xmit, rx_handler) reads the active-member array under RCU only.
 */
#ifndef _IPMP_H
#define _IPMP_H

#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/in6.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/timer.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <uapi/linux/ipmp.h>

struct ipmp_group;

#define IPMP_PROBE_WINDOW	8

/*
 * Probing runs per address family, each with its own test address, targets
 * and probes.  Addresses of both are kept as struct in6_addr, IPv4 ones
 * v4-mapped (ipmp_ip4()).
 */
enum {
	IPMP_AF4,
	IPMP_AF6,
	IPMP_NAF
};

static inline void ipmp_ip4(struct in6_addr *a, __be32 v4)
{
	ipv6_addr_set_v4mapped(v4, a);
}

static inline __be32 ipmp_ip4_of(const struct in6_addr *a)
{
	return a->s6_addr32[3];
}

static inline int ipmp_af_family(unsigned int af)
{
	return af == IPMP_AF6 ? AF_INET6 : AF_INET;
}

#define IPMP_IP_STRLEN	48		/* INET6_ADDRSTRLEN, with room */

/* @a of family @af as text, for the log. */
static inline const char *ipmp_ip_str(char *buf, unsigned int af,
				      const struct in6_addr *a)
{
	if (af == IPMP_AF6)
		snprintf(buf, IPMP_IP_STRLEN, "%pI6c", a);
	else
		snprintf(buf, IPMP_IP_STRLEN, "%pI4", &a->s6_addr32[3]);
	return buf;
}

/* A probe in flight (or an ARP request resolving its target). */
enum ipmp_slot_state {
	IPMP_SLOT_FREE,
	IPMP_SLOT_SENT,			/* waiting for the reply */
	IPMP_SLOT_LOST,			/* counted lost; a late reply still times it */
};

struct ipmp_probe_slot {
	ktime_t sent;
	unsigned long deadline;
	struct in6_addr target;
	u16 seq;
	u8 idx;				/* index of the target in the group's list */
	u8 state;			/* enum ipmp_slot_state */
	bool resolve;			/* an ARP request or NS, not an echo */
};

/*
 * What a member knows of one target: its MAC as seen through the member
 * (resolved with ARP or NS before the first probe, refreshed after a loss),
 * its round-trip times (Jacobson: sa = 8 x smoothed RTT, sv = 4 x mean
 * deviation, in us) and whether it is skipped for being dead or slow.
 */
struct ipmp_probe_tgt {
	struct in6_addr addr;		/* the target this is about */
	u8 mac[ETH_ALEN];
	bool mac_ok;
	bool mac_stale;			/* a probe was lost: resolve again */
	bool rtt_ok;			/* sa and sv hold samples */
	bool skip;			/* dead or slow: left out until retry */
	bool dead;			/* left out for not answering */
	u8 losses;			/* its own losses in a row */
	u32 sa, sv;
	u32 deferred_us;		/* a suspect sample held back, 0: none */
	unsigned long retry;		/* jiffies: when a skipped target is tried again */
};

/* A member's probing in one family, under its lock (softirq: timer, replies). */
struct ipmp_probe {
	struct ipmp_member *m;
	u8 af;				/* IPMP_AF4 or IPMP_AF6 */
	spinlock_t lock;		/* timer vs replies */
	struct timer_list timer;
	unsigned long send_at;		/* jiffies: the next probe is due */
	u16 id;
	u16 seq;
	u16 mcast_seq;			/* of the last all-hosts echo, 0: none */
	u8 next;			/* next target, round robin */
	u8 losses;			/* in a row */
	u8 replies;			/* in a row */
	bool failed;			/* the probes' verdict */
	bool answered;			/* some probe got a reply */
	bool stopping;
	u32 rtt_us;
	ktime_t first_loss;		/* send time of the first loss in a row */
	ktime_t last_ack;		/* arrival of the last reply */
	struct ipmp_probe_tgt tgt[IPMP_TARGETS_MAX];
	struct ipmp_probe_slot slot[IPMP_PROBE_WINDOW];
};

/* The probe targets of a group in force, in firing order. */
struct ipmp_targets {
	struct rcu_head rcu;
	unsigned int n;
	enum ipmp_target_mode mode;
	struct in6_addr t[IPMP_TARGETS_MAX];
};

struct ipmp_member {
	struct list_head list;		/* in ipmp_group.members */
	struct net_device *dev;
	struct ipmp_group *grp;
	netdevice_tracker dev_tracker;
	enum ipmp_member_state state;
	bool link_up;
	bool standby;
	bool offline;			/* taken offline by the administrator */
	bool duphw;			/* its MAC is another member's */
	bool damped;			/* repair held: the link flaps */
	bool linkpoll;			/* its carrier is polled (linkpoll.c) */
	bool inactive;			/* held back from carrying traffic */
	bool active;			/* usable and not inactive */
	u32 announced;			/* ipmp_member_summary() last notified */
	unsigned long linkups[3];	/* jiffies of the last link-ups */
	unsigned int nlinkups;
	struct list_head addrs;		/* ipmp_addr.mlist bound here, addr_lock */
	unsigned int nbound;
	__be32 test4;			/* IPv4 test address, 0 for none */
	u8 test4_plen;
	struct in6_addr test6;		/* IPv6 test address, if configured */
	bool test6_set;
	bool probe_failed;		/* the probes' verdict, as applied */
	struct ipmp_probe probe[IPMP_NAF];
	struct rcu_head rcu;
};

/* A data address of a group, bound to one active member. */
struct ipmp_addr {
	struct list_head list;		/* ipmp_group.addrs */
	struct list_head mlist;		/* ipmp_member.addrs of its member */
	struct rhash_head hnode;	/* ipmp_group.addr_ht, RCU */
	struct ipmp_member *bound;	/* NULL when no member is active */
	struct rcu_head rcu;
	unsigned int refs;		/* same address more than once */
	u8 family;
	u8 prefixlen;
	u8 announce_left;		/* announcements still to send */
	unsigned long announce_at;	/* jiffies when the next one is due */
	union {
		__be32 v4;
		struct in6_addr v6;
	} a;
};

/* The place of a member whose device went away, kept for its return. */
struct ipmp_place {
	struct list_head list;		/* ipmp_group.places, RTNL */
	char name[IFNAMSIZ];
	bool standby;
	__be32 test4;
	u8 test4_plen;
	struct in6_addr test6;
	bool test6_set;
};

/* The members that carry traffic, for the data path. */
struct ipmp_active {
	struct rcu_head rcu;
	unsigned int n;
	struct ipmp_member *m[];
};

struct ipmp_group {
	struct net_device *dev;
	struct list_head members;
	unsigned int nmembers;
	unsigned int nactive;
	struct ipmp_active __rcu *active;
	struct ipmp_member *nominee;	/* broadcast/multicast nominee */
	enum ipmp_group_state state;
	unsigned int announced_nactive;
	char name[IPMP_GROUP_NAME_MAX + 1];
	u32 fdt_ms;
	bool failback;
	u32 announce_count;
	u32 announce_interval_ms;
	struct delayed_work announce_work;
	struct delayed_work damp_work;
	struct timer_list linkpoll_timer;	/* linkpoll.c */
	struct delayed_work linkpoll_work;
	unsigned int npolled;		/* members with linkpoll set */
	struct delayed_work probe_work;
	/* Probe targets, per family (IPMP_AF4, IPMP_AF6). */
	struct ipmp_targets __rcu *targets[IPMP_NAF];	/* in force */
	struct in6_addr static_tg[IPMP_NAF][IPMP_TARGETS_MAX]; /* configured, RTNL */
	unsigned int nstatic[IPMP_NAF];
	struct in6_addr hosts[IPMP_NAF][IPMP_TARGETS_MAX]; /* answered all-hosts, RTNL */
	unsigned int nhosts[IPMP_NAF];
	spinlock_t heard_lock;			/* heard[] from softirq */
	struct in6_addr heard[IPMP_NAF][IPMP_TARGETS_MAX];
	unsigned int nheard[IPMP_NAF];
	struct delayed_work target_work;	/* discovery */
	struct list_head places;		/* ipmp_place, RTNL */
	struct delayed_work place_work;		/* devices taking places */
	bool probe_heard;		/* some member's probe was answered */
	bool probing;			/* probe-based detection on */
	bool probe_group_failed;	/* every probing member failed at once */
	bool fdt_check;			/* the FDT in force may come down */
	bool fdt_changed;		/* and has changed: tell the listeners */
	u32 fdt_cur_ms;			/* the FDT in force, >= fdt_ms */
	unsigned long fdt_raised;	/* jiffies of the last increase */

	/* Data addresses: changed under addr_lock, looked up under RCU. */
	spinlock_t addr_lock;
	struct list_head addrs;
	unsigned int naddrs;
	struct rhashtable addr_ht;
};

extern struct rtnl_link_ops ipmp_link_ops;

static inline bool netif_is_ipmp(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &ipmp_link_ops;
}

/* A member's link: the state link-based detection follows. */
static inline bool ipmp_link_is_up(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

/* linkpoll.c */
void ipmp_linkpoll_add(struct ipmp_member *m);
void ipmp_linkpoll_del(struct ipmp_member *m);
void ipmp_linkpoll_init(struct ipmp_group *grp);
void ipmp_linkpoll_release(struct ipmp_group *grp);

/* device.c */
void ipmp_setup(struct net_device *dev);
int ipmp_group_register(struct net_device *dev, const char *name,
			struct netlink_ext_ack *extack);
struct ipmp_group *ipmp_group_get(struct net *net, int ifindex);
struct ipmp_group *ipmp_group_by_name(struct net *net, const char *name);
int ipmp_group_check_name(struct net_device *dev, const char *name,
			  struct netlink_ext_ack *extack);
int ipmp_group_set_name(struct ipmp_group *grp, const char *name,
			struct netlink_ext_ack *extack);
void ipmp_group_sync_mtu(struct ipmp_group *grp);

/* member.c */
int ipmp_member_add(struct ipmp_group *grp, struct net_device *dev,
		    bool standby, struct netlink_ext_ack *extack);
int ipmp_member_join(struct ipmp_group *grp, struct net_device *dev,
		     bool standby, bool inactive, struct netlink_ext_ack *extack);
void ipmp_member_del(struct ipmp_member *m);
void ipmp_member_del_all(struct ipmp_group *grp);
struct ipmp_member *ipmp_member_get(struct net_device *dev);
extern struct notifier_block ipmp_netdev_notifier;

/* state.c */
bool ipmp_member_usable(const struct ipmp_member *m);
enum ipmp_member_state ipmp_member_state(const struct ipmp_member *m);
unsigned int ipmp_member_flags(const struct ipmp_member *m);
void ipmp_member_announced(struct ipmp_member *m);
void ipmp_group_update(struct ipmp_group *grp);
void ipmp_group_forget(struct ipmp_group *grp, struct ipmp_member *m);
void ipmp_member_eval(struct ipmp_member *m);
void ipmp_member_refresh(struct ipmp_member *m);
void ipmp_member_link_change(struct ipmp_member *m, bool up);
void ipmp_member_set_standby(struct ipmp_member *m, bool standby);
int ipmp_member_set_offline(struct ipmp_member *m, bool offline,
			    struct netlink_ext_ack *extack);
void ipmp_member_check_duphw(struct ipmp_group *grp);
void ipmp_damp_init(struct ipmp_group *grp);

/* addr.c */
void ipmp_addr_group_init(struct ipmp_group *grp);
int ipmp_addr_table_init(struct ipmp_group *grp);
void ipmp_addr_group_release(struct ipmp_group *grp);
void ipmp_addr_rebalance(struct ipmp_group *grp);
bool ipmp_addr_exists(struct ipmp_group *grp, u8 family, const void *addr);
struct ipmp_member *ipmp_addr_lookup4(struct ipmp_group *grp, __be32 addr);
struct ipmp_member *ipmp_addr_lookup6(struct ipmp_group *grp,
				      const struct in6_addr *addr);
int ipmp_addr_init(void);
void ipmp_addr_exit(void);

/* announce.c */
void ipmp_announce_init(struct ipmp_group *grp);
void ipmp_announce_schedule(struct ipmp_group *grp, struct ipmp_addr *a);

/* testaddr.c: the IPv4 test address and what is sent from it */
int ipmp_testaddr_set(struct ipmp_member *m, __be32 addr, u8 prefixlen,
		      struct netlink_ext_ack *extack);
int ipmp_testaddr_del(struct ipmp_member *m, __be32 addr,
		      struct netlink_ext_ack *extack);
bool ipmp_testaddr_rx(struct ipmp_member *m, struct sk_buff *skb);
void ipmp_testaddr4_resolve(struct ipmp_member *m, __be32 src, __be32 target);
void ipmp_testaddr4_echo(struct ipmp_member *m, __be32 src, __be32 dst,
			 const u8 *dmac, u16 id, u16 seq, bool mcast);

/* testaddr6.c: the IPv6 test address and what is sent from it */
bool ipmp_test6(const struct ipmp_member *m, struct in6_addr *addr);
int ipmp_testaddr6_set(struct ipmp_member *m, const struct in6_addr *addr,
		       struct netlink_ext_ack *extack);
int ipmp_testaddr6_del(struct ipmp_member *m, const struct in6_addr *addr,
		       struct netlink_ext_ack *extack);
bool ipmp_testaddr6_rx(struct ipmp_member *m, struct sk_buff *skb);
void ipmp_testaddr6_resolve(struct ipmp_member *m, const struct in6_addr *src,
			    const struct in6_addr *target);
void ipmp_testaddr6_echo(struct ipmp_member *m, const struct in6_addr *src,
			 const struct in6_addr *dst, const u8 *dmac, u16 id,
			 u16 seq, bool mcast);
void ipmp_testaddr6_release(struct ipmp_member *m);
void ipmp_nd_send(struct net_device *dev, u8 type, const struct in6_addr *src,
		  const struct in6_addr *dst, const struct in6_addr *target,
		  const u8 *dmac, bool solicited);
void ipmp_group_ipv6_init(struct net_device *dev);

/* probe.c */
void ipmp_probe_rx_echo(struct ipmp_member *m, unsigned int af,
			const struct in6_addr *saddr, u16 id, u16 seq);
void ipmp_probe_rx_resolved(struct ipmp_member *m, unsigned int af,
			    const struct in6_addr *addr, const u8 *mac);
bool ipmp_probing_af(const struct ipmp_member *m, unsigned int af);
bool ipmp_probe_test_addr(const struct ipmp_member *m, unsigned int af,
			  struct in6_addr *addr);
enum ipmp_probe_state ipmp_probe_state(const struct ipmp_member *m);
bool ipmp_probe_no_targets(const struct ipmp_member *m);
bool ipmp_probe_answered(const struct ipmp_member *m, u32 *rtt_us);
void ipmp_probe_kick(struct ipmp_member *m);
void ipmp_probe_reset(struct ipmp_member *m);
void ipmp_probe_reset_af(struct ipmp_member *m, unsigned int af);
void ipmp_probe_start(struct ipmp_member *m);
void ipmp_probe_stop(struct ipmp_member *m);
bool ipmp_probe_thinks_dead(struct ipmp_member *m, unsigned int af,
			    const struct in6_addr *addr);
void ipmp_probe_send_mcast(struct ipmp_member *m, unsigned int af);
void ipmp_probe_set_fdt(struct ipmp_group *grp, u32 fdt_ms);
void ipmp_probe_set_probing(struct ipmp_group *grp);
void ipmp_probe_group_init(struct ipmp_group *grp);
void ipmp_probe_group_release(struct ipmp_group *grp);

/* target.c */
int ipmp_target_add(struct ipmp_group *grp, unsigned int af,
		    const struct in6_addr *addr, struct netlink_ext_ack *extack);
int ipmp_target_del(struct ipmp_group *grp, unsigned int af,
		    const struct in6_addr *addr, struct netlink_ext_ack *extack);
void ipmp_targets_heard(struct ipmp_group *grp, unsigned int af,
			const struct in6_addr *addr);
void ipmp_targets_kick(struct ipmp_group *grp);
void ipmp_targets_init(struct ipmp_group *grp);
void ipmp_targets_release(struct ipmp_group *grp);

/* replace.c */
void ipmp_member_gone(struct ipmp_member *m);
void ipmp_place_taken(struct ipmp_group *grp, const char *name);
int ipmp_place_del(struct ipmp_group *grp, const char *name,
		   struct netlink_ext_ack *extack);
void ipmp_place_check(struct net_device *dev);
void ipmp_places_init(struct ipmp_group *grp);
void ipmp_places_release(struct ipmp_group *grp);

/* neigh.c */
struct ipmp_member *ipmp_neigh_out(struct ipmp_group *grp, struct sk_buff *skb);

/* One probe's outcome, for the probes multicast group (ipmpstat -p). */
struct ipmp_probe_event {
	unsigned int af;
	struct in6_addr target;
	u16 seq;
	bool lost;
	ktime_t sent;			/* CLOCK_MONOTONIC */
	u32 netrtt_us;			/* to the reply's arrival (acked only) */
	u32 rtt_us;			/* to its processing (acked only) */
	u32 rttavg_us;			/* smoothed RTT of the target, 0: unknown */
	u32 rttdev_us;			/* its mean deviation */
};

/* netlink.c */
int ipmp_genl_init(void);
void ipmp_genl_exit(void);
void ipmp_notify_group(struct ipmp_group *grp, u8 cmd);
void ipmp_notify_member(struct ipmp_member *m, u8 cmd);
void ipmp_notify_addr(struct ipmp_group *grp, struct ipmp_addr *a, u8 cmd);
void ipmp_notify_probe(struct ipmp_member *m, const struct ipmp_probe_event *ev);
void ipmp_notify_place(struct ipmp_group *grp, struct ipmp_place *pl, u8 cmd);

#endif /* _IPMP_H */
