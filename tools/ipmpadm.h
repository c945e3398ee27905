/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipmpadm, ipmpstat and if_mpadm: one binary, three names.
 *
 * netlink.c   genl socket, family lookup, request/reply with extended acks
 * query.c     GET requests and dumps, notifications, parsed into struct
 *             ipmp_group/member/addr/probe
 * group.c     create, delete, set (groups; set hands members to member.c)
 * member.c    add, remove, set standby
 * testaddr.c  test-address add|del (a member's IPv4 test address)
 * target.c    target add|del (a group's static IPv4 probe targets)
 * save.c      ipmpadm save: the configuration as ipmpadm commands
 * restore.c   ipmpadm restore: those commands checked, then applied
 * show.c      ipmpadm show (text and JSON)
 * ipmpstat.c  ipmpstat, Solaris columns
 * probes.c    ipmpstat -p: the probes multicast group, one line per probe
 * monitor.c   ipmpadm monitor: the events (and probes) multicast groups,
 *             one line per change
 * if_mpadm.c  if_mpadm, ipmpadm offline/online
 * json.c      a small JSON writer
 * rtnl.c      a device's global addresses (ipmpadm add moves them)
 * util.c      messages, argument parsing, names of states, addresses
 */
#ifndef IPMPADM_H
#define IPMPADM_H

#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uapi/linux/ipmp.h>

#define EXIT_USAGE 2

struct nlattr;
struct nl_msg;

/* netlink.c */
struct ipmp_nl;
typedef int (*ipmp_reply_fn)(struct nlattr **tb, void *arg);
typedef int (*ipmp_notify_fn)(uint8_t cmd, struct nlattr **tb, void *arg);

int ipmp_nl_open(struct ipmp_nl **nlp);
int ipmp_nl_open_family(struct ipmp_nl **nlp, const char *name);
void ipmp_nl_close(struct ipmp_nl *nl);
struct nl_msg *ipmp_nl_msg(struct ipmp_nl *nl, uint8_t cmd, bool dump);
int ipmp_nl_request(struct ipmp_nl *nl, struct nl_msg *msg,
		    ipmp_reply_fn fn, void *arg);
const char *ipmp_nl_error(const struct ipmp_nl *nl, int err);
int ipmp_nl_join(struct ipmp_nl *nl, const char *group);
int ipmp_nl_fd(const struct ipmp_nl *nl);
int ipmp_nl_receive(struct ipmp_nl *nl, ipmp_notify_fn fn, void *arg);

struct ipmp_msg {
	struct nl_msg *msg;
	struct nlattr *nest;
	bool bad;
};

void ipmp_msg_begin(struct ipmp_msg *m, struct ipmp_nl *nl, uint8_t cmd,
		    bool dump, int nest);
void ipmp_msg_u32(struct ipmp_msg *m, int type, uint32_t val);
void ipmp_msg_u8(struct ipmp_msg *m, int type, uint8_t val);
void ipmp_msg_str(struct ipmp_msg *m, int type, const char *val);
void ipmp_msg_bin(struct ipmp_msg *m, int type, const void *data, int len);
struct nl_msg *ipmp_msg_end(struct ipmp_msg *m);

/* rtnl.c: a device's global addresses, moved to its group by "add" */
struct ipmp_ifaddr {
	uint8_t family;
	uint8_t prefixlen;
	uint8_t scope;
	bool permanent;		/* not from DHCP or SLAAC */
	bool has_brd;
	uint8_t local[16], peer[16], brd[4];
};

int ifaddr_globals(uint32_t ifindex, struct ipmp_ifaddr *addrs, size_t max,
		   size_t *n);
int ifaddr_change(int cmd, uint32_t ifindex, const struct ipmp_ifaddr *a);
const char *ifaddr_str(const struct ipmp_ifaddr *a, char *buf, size_t len);
unsigned int ifname_index(const char *name);

/* query.c */
struct ipmp_group {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	char name[IPMP_GROUP_NAME_MAX + 1];
	uint8_t state;
	uint32_t fdt;
	uint32_t fdt_current;	/* the FDT in force: fdt, or more for slow targets */
	bool failback;
	bool probing;
	uint32_t nmembers;
	uint32_t nactive;
	uint32_t announce_count;
	uint32_t announce_interval;
	uint32_t naddrs;
	bool has_announce;	/* the kernel sent ANNOUNCE_COUNT/INTERVAL */
	bool has_naddrs;	/* and NADDRS: older modules do not */
	uint8_t target_mode;	/* enum ipmp_target_mode */
	uint32_t ntargets;	/* IPv4 probe targets in force, firing order */
	uint8_t targets[IPMP_TARGETS_MAX][4];	/* network order */
	uint32_t nstatic;	/* static targets, in the order added */
	uint8_t static_targets[IPMP_TARGETS_MAX][4];
	uint8_t target_mode6;	/* the same for IPv6 */
	uint32_t ntargets6;
	uint8_t targets6[IPMP_TARGETS_MAX][16];
	uint32_t nstatic6;
	uint8_t static_targets6[IPMP_TARGETS_MAX][16];
};

struct ipmp_member {
	uint32_t ifindex;
	uint32_t group_ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t state;
	uint8_t link;
	uint8_t probe;
	uint32_t flags;
	bool active;
	bool standby;
	uint32_t naddrs;
	bool has_naddrs;
	bool has_testaddr;	/* the member has an IPv4 test address */
	uint8_t testaddr[4];	/* network order */
	uint8_t testaddr_prefixlen;
	bool has_testaddr6;	/* the member probes over IPv6, from testaddr6 */
	bool testaddr6_configured;	/* configured, not derived from its MAC */
	uint8_t testaddr6[16];
	bool has_rtt;		/* a probe was answered: rtt_us is its RTT */
	uint32_t rtt_us;
};

struct ipmp_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t addr[16];	/* network order; 4 bytes used for AF_INET */
	uint32_t group_ifindex;
	uint32_t bound_ifindex;	/* 0: bound to no member */
	bool up;
};

/* probes.c: one probe that was answered or lost, as the kernel told it */
struct ipmp_probe {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct ipmp_addr target;	/* group_ifindex: the member's group */
	uint32_t seq;
	uint8_t result;			/* enum ipmp_probe_result */
	uint64_t sent_ns;		/* CLOCK_MONOTONIC */
	bool has_netrtt, has_rtt;	/* acked probes only */
	bool has_rttavg, has_rttdev;	/* once the target's RTT is known */
	uint32_t netrtt_us, rtt_us, rttavg_us, rttdev_us;
};

struct ipmp_state {
	struct ipmp_group *groups;
	size_t ngroups;
	struct ipmp_member *members;
	size_t nmembers;
	struct ipmp_addr *addrs;
	size_t naddrs;
	bool addrs_known;	/* the data addresses were asked for, and told */
};

/* Replies and notifications: 0, -EBADMSG, or 1 for a family not known. */
int ipmp_parse_group(struct nlattr **top, struct ipmp_group *g);
int ipmp_parse_member(struct nlattr **top, struct ipmp_member *m);
int ipmp_parse_addr(struct nlattr **top, struct ipmp_addr *a);
int ipmp_parse_probe(struct nlattr **top, struct ipmp_probe *p);
int ipmp_get_group(struct ipmp_nl *nl, uint32_t ifindex, struct ipmp_group *g);
int ipmp_get_member(struct ipmp_nl *nl, uint32_t ifindex,
		    struct ipmp_member *m);
int ipmp_dump_groups(struct ipmp_nl *nl, struct ipmp_state *st);
int ipmp_dump_members(struct ipmp_nl *nl, uint32_t group_ifindex,
		      struct ipmp_state *st);
int ipmp_dump_addrs(struct ipmp_nl *nl, uint32_t group_ifindex,
		    struct ipmp_state *st);
int ipmp_state_add_group(struct ipmp_state *st, const struct ipmp_group *g);
int ipmp_state_add_member(struct ipmp_state *st, const struct ipmp_member *m);
int ipmp_state_add_addr(struct ipmp_state *st, const struct ipmp_addr *a);
void ipmp_state_free(struct ipmp_state *st);
const struct ipmp_group *ipmp_state_group(const struct ipmp_state *st,
					  uint32_t ifindex);
const struct ipmp_member *ipmp_state_member(const struct ipmp_state *st,
					    uint32_t ifindex);

/* json.c */
struct json {
	FILE *f;
	int depth;
	bool first;
	bool oneline;	/* each top-level value on one line: JSON Lines */
};

void json_init(struct json *j, FILE *f);
void json_init_oneline(struct json *j, FILE *f);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_string(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_bool(struct json *j, const char *key, bool val);
void json_escape(FILE *f, const char *s);

/* util.c */
extern const char *progname;
extern const char *msg_context;	/* said before each message: "restore: F:1: " */

void set_progname(const char *argv0);
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_fail(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void catch_stop_signals(sigset_t *waitmask);
bool stop_requested(void);
int help_requested(int argc, char **argv);
int print_help(const char *text);
int reject_options(int argc, char **argv, const char *usage);
int parse_add_del(int argc, char **argv, const char *usage, const char *what,
		  bool *add, const char **name, const char **arg);
int resolve_ifindex(const char *ifname, uint32_t *ifindex);
int parse_u32(const char *what, const char *s, uint32_t *val);
int parse_bool(const char *what, const char *s, const char *yes,
	       const char *no, bool *val);
const char *group_state_str(uint8_t state, char *buf, size_t len);
const char *target_mode_str(uint8_t mode, char *buf, size_t len);
const char *member_state_str(uint8_t state, char *buf, size_t len);
const char *link_state_str(uint8_t state, char *buf, size_t len);
const char *probe_state_str(uint8_t state, char *buf, size_t len);
const char *member_flags_str(const struct ipmp_member *m, char *buf,
			     size_t len);
bool member_usable_inactive(const struct ipmp_member *m);
bool group_probing(const struct ipmp_state *st, uint32_t group_ifindex);
const char *addr_str(const struct ipmp_addr *a, bool prefix, char *buf,
		     size_t len);
const char *testaddr_str(const struct ipmp_member *m, char *buf, size_t len);
void target_addr(const struct ipmp_group *g, uint32_t i, struct ipmp_addr *a);
void target6_addr(const struct ipmp_group *g, uint32_t i, struct ipmp_addr *a);
const char *testaddr6_str(const struct ipmp_member *m, char *buf, size_t len);
const char *rtt_str(uint32_t us, char *buf, size_t len);
const char *member_name(const struct ipmp_state *st, uint32_t ifindex,
			char *buf, size_t len);

#define FLAGS_LEN 8	/* "isbmMdh" and its NUL */
#define ENUM_LEN 16
#define ADDR_LEN 64	/* an IPv6 address, '/' and a prefix length */

/* commands: each returns the exit status */
int cmd_show(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_offline(int argc, char **argv);
int cmd_online(int argc, char **argv);
int cmd_testaddr(int argc, char **argv);
int cmd_target(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int member_set(struct ipmp_nl *nl, const char *ifname, uint32_t ifindex,
	       int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* The requests behind the commands, for restore: 0 or a negative errno. */
struct group_opts {
	const char *name;
	uint32_t fdt;
	bool has_fdt;
	bool failback;
	bool has_failback;
	bool probing;
	bool has_probing;
	uint32_t announce_count;
	bool has_announce_count;
	uint32_t announce_interval;
	bool has_announce_interval;
};

/* An IPv4 or IPv6 address, as test addresses and targets are given. */
struct ipmp_ip {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

int ipmp_ip_parse(const char *s, struct ipmp_ip *ip);
const char *ipmp_ip_ntop(const struct ipmp_ip *ip, char *buf, size_t len);
bool ipmp_ip_equal(const struct ipmp_ip *a, const struct ipmp_ip *b);
size_t ipmp_ip_len(const struct ipmp_ip *ip);

int parse_group_opts(int argc, char **argv, struct group_opts *o);
int group_create(struct ipmp_nl *nl, const char *ifname,
		 const struct group_opts *o);
int group_delete(struct ipmp_nl *nl, uint32_t ifindex);
int testaddr_parse(const char *arg, struct ipmp_ip *addr, uint8_t *plen);
int member_add_request(struct ipmp_nl *nl, uint32_t gidx, uint32_t ifindex,
		       bool standby);
int member_del_request(struct ipmp_nl *nl, uint32_t gidx, uint32_t ifindex,
		       const char *ifname);
int testaddr_request(struct ipmp_nl *nl, bool add, uint32_t ifindex,
		     const struct ipmp_ip *addr, uint8_t prefixlen);
int target_parse(const char *arg, struct ipmp_ip *addr);
int target_request(struct ipmp_nl *nl, bool add, uint32_t gidx,
		   const struct ipmp_ip *addr);

/* save.c: the configuration of @st as ipmpadm commands, for restore */
void save_config(FILE *f, const struct ipmp_state *st);

/* show.c, ipmpstat.c: output from a state snapshot, for the tests too */
void show_text(FILE *f, const struct ipmp_state *st);
void show_json(FILE *f, const struct ipmp_state *st);
/* Parts of those, for ipmpadm monitor: " fdt ..." and " state ..." */
void show_group_settings(FILE *f, const struct ipmp_group *g);
void show_member_fields(FILE *f, const struct ipmp_member *m);
void show_group_json_fields(struct json *j, const struct ipmp_group *g);
void show_member_json_fields(struct json *j, const struct ipmp_member *m);
void show_addr_json_fields(struct json *j, const struct ipmp_addr *a,
			   const char *inbound);

/*
 * monitor.c: one notification, parsed; printed by monitor_print() as a
 * line of text or JSON.  Cross-references (a member's group, an address's
 * member) are named by @ifname, the system's names (NULL: none), else from
 * the groups and members in @known, which monitor_print() keeps up to date
 * from the notifications.
 */
struct monitor_event {
	uint8_t cmd;			/* enum ipmp_cmd */
	union {
		struct ipmp_group group;	/* GROUP_NEW, _DEL, _SET */
		struct ipmp_member member;	/* MEMBER_ADD, _DEL, _SET */
		struct ipmp_addr addr;		/* ADDR_GET */
		struct ipmp_probe probe;	/* PROBE */
	};
};

struct monitor {
	bool json;
	char *(*ifname)(unsigned int ifindex, char *buf);	/* if_indextoname */
	struct ipmp_state known;
};

void monitor_print(FILE *f, struct monitor *mon, const struct monitor_event *ev);
void monitor_print_lost(FILE *f, const struct monitor *mon);

enum ipmpstat_mode {
	IPMPSTAT_NONE, IPMPSTAT_GROUP, IPMPSTAT_IF, IPMPSTAT_ADDR,
	IPMPSTAT_TARGET, IPMPSTAT_PROBE
};
enum ipmpstat_out { IPMPSTAT_HUMAN, IPMPSTAT_PARSABLE, IPMPSTAT_JSON };

/* A host name for @a into @buf, 0 when there is one; else numeric. */
typedef int (*ipmp_name_fn)(const struct ipmp_addr *a, char *buf, size_t len);
int ipmp_hostname(const struct ipmp_addr *a, char *buf, size_t len);

struct ipmpstat_fmt;
int ipmpstat_fmt_new(enum ipmpstat_mode mode, enum ipmpstat_out out,
		     const char *fields, struct ipmpstat_fmt **fmtp);
/* How ADDRESS is resolved: ipmp_hostname by default, NULL for -n. */
void ipmpstat_fmt_names(struct ipmpstat_fmt *fmt, ipmp_name_fn fn);
void ipmpstat_fmt_free(struct ipmpstat_fmt *fmt);
void ipmpstat_print(FILE *f, struct ipmpstat_fmt *fmt,
		    const struct ipmp_state *st);
/* -p: TIME is relative to @mono_ns, a CLOCK_MONOTONIC time in ns. */
void ipmpstat_fmt_epoch(struct ipmpstat_fmt *fmt, uint64_t mono_ns);
void ipmpstat_print_probe(FILE *f, struct ipmpstat_fmt *fmt,
			  const struct ipmp_probe *p);
void ipmpstat_print_lost(FILE *f, const struct ipmpstat_fmt *fmt);
int ipmpstat_probes(struct ipmpstat_fmt *fmt, bool numeric);

int ipmpadm_main(int argc, char **argv);
int ipmpstat_main(int argc, char **argv);
int if_mpadm_main(int argc, char **argv);

#endif /* IPMPADM_H */
