// SPDX-License-Identifier: GPL-2.0
/* Messages, argument parsing, the names of states and flags, addresses. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ipmpadm.h"

const char *progname = "ipmpadm";
const char *msg_context = "";

void set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		progname = slash ? slash + 1 : argv0;
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s%s", progname, msg_context, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* "progname: message" on stderr; returns exit status 1. */
int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

/* The message, then the usage line; returns exit status 2. */
int usage_fail(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vmessage("", fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * For the commands that listen until told to stop (ipmpstat -p, ipmpadm
 * monitor): SIGINT and SIGTERM set a flag, and are blocked but while
 * waiting (ppoll with @waitmask), so that one that comes between the check
 * of the flag and the wait still ends the wait.
 */
void catch_stop_signals(sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool stop_requested(void)
{
	return stop;
}

/* "-h" first, or "--help" anywhere. */
int help_requested(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-h"))
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

int print_help(const char *text)
{
	fputs(text, stdout);
	return 0;
}

/*
 * Commands that take no options start with an interface name; one that
 * looks like an option is a mistake, not a name to hand to the kernel.
 */
int reject_options(int argc, char **argv, const char *usage)
{
	if (argc > 1 && argv[1][0] == '-' && argv[1][1])
		return usage_fail(usage, "unknown option '%s'", argv[1]);
	return 0;
}

int resolve_ifindex(const char *ifname, uint32_t *ifindex)
{
	unsigned int idx = ifname_index(ifname);

	if (!idx)
		return fail("%s: no such interface", ifname);
	*ifindex = idx;
	return 0;
}

/* Strict: decimal digits only, within u32; says which token was bad. */
int parse_u32(const char *what, const char *s, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		goto bad;
	if (errno == ERANGE || v > UINT32_MAX)
		return fail("%s '%s' is out of range", what, s);
	*val = (uint32_t)v;
	return 0;
bad:
	return fail("%s '%s' is not an integer", what, s);
}

int parse_bool(const char *what, const char *s, const char *yes,
	       const char *no, bool *val)
{
	if (!strcmp(s, yes))
		*val = true;
	else if (!strcmp(s, no))
		*val = false;
	else
		return fail("%s '%s' is not valid: use %s or %s", what, s, yes,
			    no);
	return 0;
}

static const char *enum_str(const char *const *names, size_t n, uint8_t v,
			    char *buf, size_t len)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "<%u>", v);
	return buf;
}

#define ENUM_STR(names, v, buf, len) \
	enum_str(names, sizeof(names) / sizeof(names[0]), v, buf, len)

const char *group_state_str(uint8_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPMP_GROUP_OK] = "ok",
		[IPMP_GROUP_DEGRADED] = "degraded",
		[IPMP_GROUP_FAILED] = "failed",
	};

	return ENUM_STR(names, state, buf, len);
}

/* Where a group's targets come from, in the words of ipmpstat -t. */
const char *target_mode_str(uint8_t mode, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPMP_TARGETS_NONE] = "none",
		[IPMP_TARGETS_STATIC] = "static",
		[IPMP_TARGETS_ROUTES] = "routes",
		[IPMP_TARGETS_MULTICAST] = "multicast",
		[IPMP_TARGETS_NEIGHBOURS] = "neighbours",
	};

	return ENUM_STR(names, mode, buf, len);
}

const char *member_state_str(uint8_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPMP_MEMBER_OK] = "ok",
		[IPMP_MEMBER_FAILED] = "failed",
		[IPMP_MEMBER_OFFLINE] = "offline",
		[IPMP_MEMBER_UNKNOWN] = "unknown",
		[IPMP_MEMBER_REMOVED] = "removed",
	};

	return ENUM_STR(names, state, buf, len);
}

const char *link_state_str(uint8_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPMP_LINK_UP] = "up",
		[IPMP_LINK_DOWN] = "down",
		[IPMP_LINK_UNKNOWN] = "unknown",
	};

	return ENUM_STR(names, state, buf, len);
}

const char *probe_state_str(uint8_t state, char *buf, size_t len)
{
	static const char *const names[] = {
		[IPMP_PROBE_OK] = "ok",
		[IPMP_PROBE_FAILED] = "failed",
		[IPMP_PROBE_UNKNOWN] = "unknown",
		[IPMP_PROBE_DISABLED] = "disabled",
	};

	return ENUM_STR(names, state, buf, len);
}

/*
 * The seven FLAGS letters of "ipmpstat -i" in DESIGN.md's places (i s b m
 * M d h; Solaris puts m before b), '-' where a flag is clear.
 */
const char *member_flags_str(const struct ipmp_member *m, char *buf,
			     size_t len)
{
	static const struct {
		uint32_t bit;
		char letter;
	} flags[] = {
		{ IPMP_MEMBER_F_INACTIVE, 'i' },
		{ IPMP_MEMBER_F_STANDBY, 's' },
		{ IPMP_MEMBER_F_BCAST4, 'b' },
		{ IPMP_MEMBER_F_MCAST4, 'm' },
		{ IPMP_MEMBER_F_MCAST6, 'M' },
		{ IPMP_MEMBER_F_DOWN, 'd' },
		{ IPMP_MEMBER_F_DUPHW, 'h' },
	};
	uint32_t set = m->flags | (m->standby ? IPMP_MEMBER_F_STANDBY : 0);
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]) && i + 1 < len; i++)
		buf[i] = (set & flags[i].bit) ? flags[i].letter : '-';
	if (len)
		buf[i] = '\0';
	return buf;
}

/* Not active, yet usable: Solaris lists these in parentheses. */
bool member_usable_inactive(const struct ipmp_member *m)
{
	/* unknown: no probe target, but usable all the same */
	return !m->active && (m->flags & IPMP_MEMBER_F_INACTIVE) &&
	       (m->state == IPMP_MEMBER_OK || m->state == IPMP_MEMBER_UNKNOWN);
}

/* Solaris shows an FDT only when some member of the group probes. */
bool group_probing(const struct ipmp_state *st, uint32_t group_ifindex)
{
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].group_ifindex == group_ifindex &&
		    st->members[i].probe != IPMP_PROBE_DISABLED)
			return true;
	return false;
}

/* Numeric, with "/PREFIXLEN" when @prefix. */
const char *addr_str(const struct ipmp_addr *a, bool prefix, char *buf,
		     size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (prefix)
		snprintf(buf, len, "%s/%u", host, a->prefixlen);
	else
		snprintf(buf, len, "%s", host);
	return buf;
}

/* "ADDRESS/PREFIXLEN" of a member's test address, or NULL without one. */
const char *testaddr_str(const struct ipmp_member *m, char *buf, size_t len)
{
	char host[INET_ADDRSTRLEN];

	if (!m->has_testaddr)
		return NULL;
	if (!inet_ntop(AF_INET, m->testaddr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	snprintf(buf, len, "%s/%u", host, m->testaddr_prefixlen);
	return buf;
}

/* Target @i of @g as an address, for addr_str() and the name lookup. */
void target_addr(const struct ipmp_group *g, uint32_t i, struct ipmp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->prefixlen = 32;
	memcpy(a->addr, g->targets[i], 4);
	a->group_ifindex = g->ifindex;
}

/* IPv6 target @i of @g, the same way. */
void target6_addr(const struct ipmp_group *g, uint32_t i, struct ipmp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->prefixlen = 128;
	memcpy(a->addr, g->targets6[i], 16);
	a->group_ifindex = g->ifindex;
}

/* The IPv6 test address of @m, NULL when it does not probe over IPv6. */
const char *testaddr6_str(const struct ipmp_member *m, char *buf, size_t len)
{
	if (!m->has_testaddr6)
		return NULL;
	if (!inet_ntop(AF_INET6, m->testaddr6, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* Milliseconds with two decimals, as Solaris's "%.2fms", from microseconds. */
const char *rtt_str(uint32_t us, char *buf, size_t len)
{
	unsigned long cms = ((unsigned long)us + 5) / 10;

	snprintf(buf, len, "%lu.%02lums", cms / 100, cms % 100);
	return buf;
}

/*
 * The name of a host, as Solaris's ipmpstat asks for it (NI_NOFQDN), but
 * only a real one (NI_NAMEREQD): the caller falls back to the number.
 */
int ipmp_hostname(const struct ipmp_addr *a, char *buf, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *sa;
	socklen_t salen;

	if (a->family == AF_INET) {
		memcpy(&sin.sin_addr, a->addr, sizeof(sin.sin_addr));
		sa = (const struct sockaddr *)&sin;
		salen = sizeof(sin);
	} else {
		memcpy(&sin6.sin6_addr, a->addr, sizeof(sin6.sin6_addr));
		sa = (const struct sockaddr *)&sin6;
		salen = sizeof(sin6);
	}
	return getnameinfo(sa, salen, buf, (socklen_t)len, NULL, 0,
			   NI_NAMEREQD | NI_NOFQDN) ? -1 : 0;
}

/* A member's name from the snapshot, else from the system, else "?N". */
const char *member_name(const struct ipmp_state *st, uint32_t ifindex,
			char *buf, size_t len)
{
	const struct ipmp_member *m = ipmp_state_member(st, ifindex);
	char name[IF_NAMESIZE];

	if (m)
		snprintf(buf, len, "%s", m->ifname);
	else if (if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "?%u", ifindex);
	return buf;
}

/*
 * "CMD add|del NAME ARG": the words of test-address and target.  @what is
 * the name of NAME in messages ("IF", "IPMPIF").  Returns 0, or EXIT_USAGE
 * once the usage error has been printed.
 */
int parse_add_del(int argc, char **argv, const char *usage, const char *what,
		  bool *add, const char **name, const char **arg)
{
	if (argc < 2)
		return usage_fail(usage, "missing add or del");
	if (!strcmp(argv[1], "add"))
		*add = true;
	else if (!strcmp(argv[1], "del"))
		*add = false;
	else if (argv[1][0] == '-' && argv[1][1])
		return usage_fail(usage, "unknown option '%s'", argv[1]);
	else
		return usage_fail(usage, "unknown action '%s': use add or del",
				  argv[1]);
	if (reject_options(argc - 1, argv + 1, usage))
		return EXIT_USAGE;
	if (argc < 3)
		return usage_fail(usage, "missing %s", what);
	if (argc < 4)
		return usage_fail(usage, "missing ADDRESS");
	if (argc > 4)
		return usage_fail(usage, "unexpected '%s'", argv[4]);
	*name = argv[2];
	*arg = argv[3];
	return 0;
}

/* An IPv4 or IPv6 address in text: 0, or -1 when it is neither. */
int ipmp_ip_parse(const char *s, struct ipmp_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		ip->family = AF_INET6;
		return 0;
	}
	return -1;
}

const char *ipmp_ip_ntop(const struct ipmp_ip *ip, char *buf, size_t len)
{
	if (!inet_ntop(ip->family, &ip->v4, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

bool ipmp_ip_equal(const struct ipmp_ip *a, const struct ipmp_ip *b)
{
	return a->family == b->family &&
	       !memcmp(&a->v4, &b->v4, ipmp_ip_len(a));
}

/* Its size in network order: 4 or 16 bytes, as netlink carries it. */
size_t ipmp_ip_len(const struct ipmp_ip *ip)
{
	return ip->family == AF_INET6 ? sizeof(ip->v6) : sizeof(ip->v4);
}
