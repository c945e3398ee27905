// SPDX-License-Identifier: GPL-2.0
/*
 * genl-fuzz: random and mutated requests to the "ipmp" generic netlink
 * family, each of whose replies must be a well-formed ack, error or answer.
 *
 * Every request carries NLM_F_ACK, so each one gets an answer: an ack, an
 * error with a negative errno and well-formed extended-ack attributes, or
 * (for GET, GROUP_NEW and dumps) messages of the command's layout followed
 * by the ack or NLMSG_DONE.  Anything else, or no answer in time, fails
 * the run, printing the request in hex for "genl-fuzz -x HEX".
 *
 * Message N is made from a generator seeded with (SEED, N) alone, so a run
 * without the racer (-r) is the same run again for the same seed.  With -r
 * a child process churns groups, members, test addresses, targets, data
 * addresses and member devices meanwhile, and some dumps are abandoned,
 * closing their socket halfway.
 *
 * Run it in a network namespace of its own: it creates and deletes devices
 * there (groups "fzg*", "fzr*", "fzp*"; veths "fzv*", "fzq*").
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/ipmp.h>

#define MSG_MAX		2048	/* bytes of one request */
#define RECV_LEN	4096	/* what recv() asks, and so the size of dump parts */
#define REPLY_SECS	20	/* an answer later than this is a failure */
#define POOL_MAX	256
#define NAME_POOL	8	/* fuzzed groups are fzg0 .. fzg7 */
#define RACE_SLOTS	8	/* the racer's fzr0 .. and fzv0 .. */

/* Random numbers: splitmix64, one stream per message. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static struct rng rng_for(uint64_t seed, uint64_t n)
{
	struct rng r = { seed ^ (n * 0xd1b54a32d192ed03ULL) };

	rnd(&r);
	return r;
}

/* A request being built, with where each attribute header starts. */
struct msg {
	unsigned char buf[MSG_MAX];
	size_t len;
	size_t attr[64];
	unsigned int nattr;
};

static void *msg_reserve(struct msg *m, size_t len)
{
	size_t total = NLMSG_ALIGN(len);
	void *p;

	if (m->len + total > MSG_MAX)
		return NULL;
	p = m->buf + m->len;
	memset(p, 0, total);
	m->len += total;
	return p;
}

static struct nlattr *put(struct msg *m, uint16_t type, const void *data,
			  size_t len)
{
	size_t off = m->len;
	struct nlattr *a = msg_reserve(m, NLA_HDRLEN + len);

	if (!a)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	if (m->nattr < sizeof(m->attr) / sizeof(m->attr[0]))
		m->attr[m->nattr++] = off;
	return a;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, 4);
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

/* Opens a nest; returns its offset, or 0 when there was no room. */
static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t off = m->len;

	return put(m, type | NLA_F_NESTED, NULL, 0) ? off : 0;
}

static void nest_end(struct msg *m, size_t off)
{
	struct nlattr *a = (struct nlattr *)(m->buf + off);

	if (off)
		a->nla_len = m->len - off;
}

static void msg_init(struct msg *m, uint16_t family, uint16_t flags,
		     uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nattr = 0;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = IPMP_GENL_VERSION;
}

/* Sockets. */
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "genl-fuzz: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static int nl_open(int proto)
{
	struct timeval tv = { .tv_sec = REPLY_SECS };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		die("netlink socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("netlink socket setup: %s", strerror(errno));
	return fd;
}

static uint32_t nl_portid(int fd)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		die("getsockname: %s", strerror(errno));
	return sa.nl_pid;
}

static void nl_send(int fd, struct msg *m, uint32_t seq)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_seq = seq;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("send: %s", strerror(errno));
}

/* Attributes in @len bytes at @p, each within them; @rem counts down. */
static size_t attr_step(const struct nlattr *a, size_t rem)
{
	size_t step = NLA_ALIGN((size_t)a->nla_len);

	return step < rem ? step : rem;
}

#define for_each_attr(a, p, len, rem)					\
	for (a = (const void *)(p), rem = (len); rem >= NLA_HDRLEN &&	\
	     a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;		\
	     rem -= attr_step(a, rem),					\
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len)))

/* Finds the attribute @type among those at @p (@len bytes); NULL if absent. */
static const struct nlattr *find_attr(const void *p, size_t len, int type)
{
	const struct nlattr *a;
	size_t rem;

	for_each_attr(a, p, len, rem)
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

/*
 * The family's id from the controller.  In the initial namespace and any
 * other: genl families are global.
 */
static uint16_t family_id(int fd)
{
	unsigned char buf[RECV_LEN];
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	struct msg m;
	ssize_t n;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	put_str(&m, CTRL_ATTR_FAMILY_NAME, IPMP_GENL_NAME);
	nl_send(fd, &m, 1);
	n = recv(fd, buf, sizeof(buf), 0);
	nlh = (struct nlmsghdr *)buf;
	if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(nlh, (size_t)n))
		die("no answer from the genl controller");
	if (nlh->nlmsg_type == NLMSG_ERROR)
		die("family %s: %s (is ipmp loaded?)", IPMP_GENL_NAME,
		    strerror(-((struct nlmsgerr *)NLMSG_DATA(nlh))->error));
	a = find_attr((char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
		      CTRL_ATTR_FAMILY_ID);
	if (!a || a->nla_len != NLA_HDRLEN + 2)
		die("the genl controller sent no family id");
	return *(uint16_t *)((char *)a + NLA_HDRLEN);
}

/*
 * Checking the answers.  A reply attribute is one of these sizes: a
 * positive exact size, or a string that fits (with its NUL) in -size bytes,
 * or a non-empty list of 4- or 16-byte items, or an IPv4 or IPv6 address.
 */
#define S_MULT4		1000
#define S_MULT16	1002
#define S_ADDR		1001
#define S_ANY		0

static const int group_sizes[IPMP_A_GROUP_MAX + 1] = {
	[IPMP_A_GROUP_IFINDEX] = 4, [IPMP_A_GROUP_IFNAME] = -IFNAMSIZ,
	[IPMP_A_GROUP_NAME] = -(IPMP_GROUP_NAME_MAX + 1),
	[IPMP_A_GROUP_STATE] = 1, [IPMP_A_GROUP_FDT] = 4,
	[IPMP_A_GROUP_FAILBACK] = 1, [IPMP_A_GROUP_NMEMBERS] = 4,
	[IPMP_A_GROUP_NACTIVE] = 4, [IPMP_A_GROUP_ANNOUNCE_COUNT] = 4,
	[IPMP_A_GROUP_ANNOUNCE_INTERVAL] = 4, [IPMP_A_GROUP_NADDRS] = 4,
	[IPMP_A_GROUP_TARGET] = 4, [IPMP_A_GROUP_TARGETS] = S_MULT4,
	[IPMP_A_GROUP_PROBING] = 1, [IPMP_A_GROUP_FDT_CURRENT] = 4,
	[IPMP_A_GROUP_TARGET_MODE] = 1, [IPMP_A_GROUP_STATIC_TARGETS] = S_MULT4,
	[IPMP_A_GROUP_TARGETS6] = S_MULT16, [IPMP_A_GROUP_TARGET_MODE6] = 1,
	[IPMP_A_GROUP_STATIC_TARGETS6] = S_MULT16,
};

static const int member_sizes[IPMP_A_MEMBER_MAX + 1] = {
	[IPMP_A_MEMBER_IFINDEX] = 4, [IPMP_A_MEMBER_IFNAME] = -IFNAMSIZ,
	[IPMP_A_MEMBER_GROUP_IFINDEX] = 4, [IPMP_A_MEMBER_STATE] = 1,
	[IPMP_A_MEMBER_FLAGS] = 4, [IPMP_A_MEMBER_ACTIVE] = 1,
	[IPMP_A_MEMBER_STANDBY] = 1, [IPMP_A_MEMBER_LINK] = 1,
	[IPMP_A_MEMBER_PROBE] = 1, [IPMP_A_MEMBER_OFFLINE] = 1,
	[IPMP_A_MEMBER_NADDRS] = 4, [IPMP_A_MEMBER_TESTADDR] = 4,
	[IPMP_A_MEMBER_TESTADDR_PREFIXLEN] = 1, [IPMP_A_MEMBER_RTT_US] = 4,
	[IPMP_A_MEMBER_TESTADDR6] = 16, [IPMP_A_MEMBER_TESTADDR6_CONFIGURED] = 1,
};

static const int addr_sizes[IPMP_A_ADDR_MAX + 1] = {
	[IPMP_A_ADDR_FAMILY] = 1, [IPMP_A_ADDR_ADDRESS] = S_ADDR,
	[IPMP_A_ADDR_PREFIXLEN] = 1, [IPMP_A_ADDR_GROUP_IFINDEX] = 4,
	[IPMP_A_ADDR_BOUND_IFINDEX] = 4, [IPMP_A_ADDR_UP] = 1,
};

/* The object a reply to a command carries, and how to check it. */
struct layout {
	uint8_t cmd;		/* the reply's command */
	uint16_t nest;
	const int *sizes;
	int max;
	int required[3];	/* attributes every reply has (0 ends) */
};

static const struct layout group_layout = {
	IPMP_CMD_GROUP_GET, IPMP_A_GROUP, group_sizes, IPMP_A_GROUP_MAX,
	{ IPMP_A_GROUP_IFINDEX, IPMP_A_GROUP_IFNAME, IPMP_A_GROUP_STATE },
};
static const struct layout member_layout = {
	IPMP_CMD_MEMBER_GET, IPMP_A_MEMBER, member_sizes, IPMP_A_MEMBER_MAX,
	{ IPMP_A_MEMBER_IFNAME, IPMP_A_MEMBER_GROUP_IFINDEX, IPMP_A_MEMBER_STATE },
};
static const struct layout addr_layout = {
	IPMP_CMD_ADDR_GET, IPMP_A_ADDR, addr_sizes, IPMP_A_ADDR_MAX,
	{ IPMP_A_ADDR_FAMILY, IPMP_A_ADDR_ADDRESS, IPMP_A_ADDR_GROUP_IFINDEX },
};

static const struct layout *reply_layout(uint8_t cmd)
{
	switch (cmd) {
	case IPMP_CMD_GROUP_GET:
	case IPMP_CMD_GROUP_NEW:
		return &group_layout;
	case IPMP_CMD_MEMBER_GET:
		return &member_layout;
	case IPMP_CMD_ADDR_GET:
		return &addr_layout;
	}
	return NULL;
}

static bool is_write_cmd(uint8_t cmd)
{
	switch (cmd) {
	case IPMP_CMD_GROUP_NEW: case IPMP_CMD_GROUP_DEL:
	case IPMP_CMD_GROUP_SET: case IPMP_CMD_MEMBER_ADD:
	case IPMP_CMD_MEMBER_DEL: case IPMP_CMD_MEMBER_SET:
	case IPMP_CMD_TESTADDR_ADD: case IPMP_CMD_TESTADDR_DEL:
	case IPMP_CMD_TARGET_ADD: case IPMP_CMD_TARGET_DEL:
		return true;
	}
	return false;
}

static uint16_t family;

/* What went wrong, for the report. */
static char why[512];

static bool bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

/* Attributes at @p fill exactly @len bytes, each one whole. */
static bool attrs_whole(const void *p, size_t len, const char *what)
{
	const struct nlattr *a = p;

	while (len) {
		if (len < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return bad("%s: attribute overruns its message", what);
		if (NLA_ALIGN((size_t)a->nla_len) >= len)
			return true;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return true;
}

static bool attr_sized(const struct nlattr *a, int size, uint16_t type)
{
	size_t n = a->nla_len - NLA_HDRLEN;
	const char *d = (const char *)a + NLA_HDRLEN;

	if (size == S_ANY)
		return true;
	if (size == S_MULT4 || size == S_MULT16) {
		size_t each = size == S_MULT4 ? 4 : 16;

		return (n && n % each == 0) ||
		       bad("attribute %u: %zu bytes, not %zu each", type, n, each);
	}
	if (size == S_ADDR)
		return n == 4 || n == 16 || bad("address of %zu bytes", n);
	if (size > 0)
		return n == (size_t)size ||
		       bad("attribute %u: %zu bytes, not %d", type, n, size);
	if (!n || n > (size_t)-size || memchr(d, 0, n) != d + n - 1)
		return bad("attribute %u: not a string of at most %d bytes", type, -size - 1);
	return true;
}

/* One reply object: the nest of its layout, every attribute of its size. */
static bool object_ok(const struct layout *l, const void *p, size_t len)
{
	const struct nlattr *a, *nest = NULL;
	bool seen[64] = { false };
	size_t rem;
	int i;

	if (!attrs_whole(p, len, "reply"))
		return false;
	for_each_attr(a, p, len, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != l->nest || nest)
			return bad("reply attribute %u where one nest %u was due",
				   a->nla_type, l->nest);
		nest = a;
	}
	if (!nest)
		return bad("reply without its nest %u", l->nest);
	p = (const char *)nest + NLA_HDRLEN;
	len = nest->nla_len - NLA_HDRLEN;
	if (!attrs_whole(p, len, "reply nest"))
		return false;
	for_each_attr(a, p, len, rem) {
		uint16_t t = a->nla_type & NLA_TYPE_MASK;

		if (t == 0 || t >= 64)
			return bad("reply attribute type %u", t);
		if (seen[t])
			return bad("reply attribute %u twice", t);
		seen[t] = true;
		if (t <= l->max && !attr_sized(a, l->sizes[t], t))
			return false;
	}
	for (i = 0; i < 3 && l->required[i]; i++)
		if (!seen[l->required[i]])
			return bad("reply lacks attribute %d", l->required[i]);
	return true;
}

/* The kernel's extended-ack messages and how often each came. */
static struct {
	char text[96];
	unsigned long n;
} texts[64];

static void count_text(const char *text)
{
	unsigned int i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!texts[i].n)
			snprintf(texts[i].text, sizeof(texts[i].text), "%s", text);
		if (!strncmp(texts[i].text, text, sizeof(texts[i].text) - 1)) {
			texts[i].n++;
			return;
		}
	}
}

/* Extended-ack attributes of an error or NLMSG_DONE, against the request. */
static bool extack_ok(const void *p, size_t len, size_t req_len)
{
	const struct nlattr *a;
	size_t rem, n;
	const char *d;
	uint32_t v;

	if (!attrs_whole(p, len, "extack"))
		return false;
	for_each_attr(a, p, len, rem) {
		d = (const char *)a + NLA_HDRLEN;
		n = a->nla_len - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (!n || memchr(d, 0, n) != d + n - 1)
				return bad("extack message is not a string");
			count_text(d);
			for (; *d; d++)
				if (*d < 0x20 || *d > 0x7e)
					return bad("extack message has byte 0x%02x", *d);
			break;
		case NLMSGERR_ATTR_OFFS:
		case NLMSGERR_ATTR_MISS_NEST:
			if (n != 4)
				return bad("extack offset of %zu bytes", n);
			memcpy(&v, d, 4);
			if (v < NLMSG_HDRLEN + GENL_HDRLEN || v >= req_len)
				return bad("extack offset %u outside the %zu-byte request", v, req_len);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (n != 4)
				return bad("extack missing type of %zu bytes", n);
			break;
		case NLMSGERR_ATTR_POLICY:
			if (!attrs_whole(d, n, "extack policy"))
				return false;
			break;
		}
	}
	return true;
}

static bool errno_ok(int err)
{
	return (err <= 0 && err >= -4095) || bad("errno %d out of range", err);
}

struct stats {
	unsigned long sent, acks, errors, data, dumps, abandoned, eperm;
	unsigned long by_errno[4096];
};

/* What an answer must be to one request. */
struct expect {
	uint32_t seq, portid;
	uint8_t cmd;
	bool dump, request, unprivileged;
	size_t req_len;
};

enum { GOING, DONE };

static bool data_ok(const struct expect *e, const struct nlmsghdr *nlh,
		    unsigned int *ndata)
{
	const struct layout *l = e->request ? reply_layout(e->cmd) : NULL;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	if (!l || (e->cmd == IPMP_CMD_ADDR_GET && !e->dump))
		return bad("an answer of command %u to command %u", g->cmd, e->cmd);
	if (e->unprivileged && is_write_cmd(e->cmd))
		return bad("an unprivileged change was answered");
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || g->cmd != l->cmd)
		return bad("answer of command %u, not %u", g->cmd, l->cmd);
	if (!!(nlh->nlmsg_flags & NLM_F_MULTI) != e->dump)
		return bad("NLM_F_MULTI %s in a %s", e->dump ? "missing" : "set",
			   e->dump ? "dump" : "reply");
	if (!e->dump && ++*ndata > 1)
		return bad("more than one answer to a request");
	return object_ok(l, (const char *)g + GENL_HDRLEN,
			 nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
}

static bool error_ok(const struct expect *e, const struct nlmsghdr *nlh,
		     unsigned int ndata, struct stats *st)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t hdr = NLMSG_HDRLEN + sizeof(*err);

	if (nlh->nlmsg_len < hdr)
		return bad("error message of %u bytes", nlh->nlmsg_len);
	if (!errno_ok(err->error))
		return false;
	if (err->msg.nlmsg_seq != e->seq)
		return bad("the error quotes request %u", err->msg.nlmsg_seq);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		return bad("the error echoes the request despite NETLINK_CAP_ACK");
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    !extack_ok((const char *)nlh + hdr, nlh->nlmsg_len - hdr, e->req_len))
		return false;
	if (err->error && ndata)
		return bad("an answer, then error %d", err->error);
	if (!err->error && e->request && !e->dump && !ndata &&
	    (e->cmd == IPMP_CMD_GROUP_GET || e->cmd == IPMP_CMD_GROUP_NEW ||
	     e->cmd == IPMP_CMD_MEMBER_GET))
		return bad("acked without its answer");
	if (!err->error && e->request && e->unprivileged && is_write_cmd(e->cmd))
		return bad("an unprivileged change was accepted");
	if (err->error) {
		st->errors++;
		st->by_errno[-err->error]++;
		st->eperm += err->error == -EPERM;
	} else {
		st->acks++;
	}
	return true;
}

static bool done_ok(const struct expect *e, const struct nlmsghdr *nlh,
		    struct stats *st)
{
	size_t hdr = NLMSG_HDRLEN + sizeof(int);
	int err;

	if (!e->dump)
		return bad("NLMSG_DONE answers no dump");
	if (nlh->nlmsg_len < hdr)
		return bad("NLMSG_DONE of %u bytes", nlh->nlmsg_len);
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (!errno_ok(err))
		return false;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    !extack_ok((const char *)nlh + hdr, nlh->nlmsg_len - hdr, e->req_len))
		return false;
	st->dumps++;
	if (err)
		st->by_errno[-err]++;
	return true;
}

/* One message of an answer: GOING, DONE, or -1 (see why). */
static int answer_one(const struct expect *e, const struct nlmsghdr *nlh,
		      uint16_t family, unsigned int *ndata, struct stats *st)
{
	if (nlh->nlmsg_seq != e->seq)
		return bad("message of seq %u while waiting for %u", nlh->nlmsg_seq, e->seq), -1;
	if (nlh->nlmsg_pid != e->portid)
		return bad("message for port %u, not %u", nlh->nlmsg_pid, e->portid), -1;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return error_ok(e, nlh, *ndata, st) ? DONE : -1;
	if (nlh->nlmsg_type == NLMSG_DONE)
		return done_ok(e, nlh, st) ? DONE : -1;
	if (nlh->nlmsg_type != family)
		return bad("message of type %u", nlh->nlmsg_type), -1;
	st->data++;
	return data_ok(e, nlh, ndata) ? GOING : -1;
}

/*
 * Set by SIGTERM in the racer.  Its sockets have a receive timeout, so a
 * signal interrupts recv() even with SA_RESTART: it is simply retried.
 */
static volatile sig_atomic_t stop;

/* Reads the whole answer to one request; false (see why) if it is wrong. */
static bool answer_ok(int fd, const struct expect *e, uint16_t family,
		      struct stats *st)
{
	static unsigned char buf[RECV_LEN];
	unsigned int ndata = 0;
	struct nlmsghdr *nlh;
	ssize_t n;
	int state;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return bad("no answer within %d s", REPLY_SECS);
		if (n < 0)
			return bad("recv: %s", strerror(errno));
		if (n > (ssize_t)sizeof(buf))
			return bad("a datagram of %zd bytes, over the %zu asked",
				   n, sizeof(buf));
		for (nlh = (struct nlmsghdr *)buf; n > 0;
		     n -= NLMSG_ALIGN(nlh->nlmsg_len),
		     nlh = (struct nlmsghdr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len))) {
			if (n < (ssize_t)NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
			    nlh->nlmsg_len > n)
				return bad("a message overruns its datagram");
			state = answer_one(e, nlh, family, &ndata, st);
			if (state < 0)
				return false;
			if (state == DONE) {
				if (NLMSG_ALIGN(nlh->nlmsg_len) < (size_t)n)
					return bad("messages after the end of the answer");
				return true;
			}
		}
	}
}

/*
 * Devices of the namespace, refreshed now and then: the ifindexes used, of
 * any device, of groups and of members.
 */
struct pool {
	unsigned int n;
	uint32_t idx[POOL_MAX];
};

static struct pool devs, groups, members;
static char dev_name[POOL_MAX][IFNAMSIZ];

static uint32_t pick(struct rng *r, const struct pool *p)
{
	return p->n ? p->idx[below(r, p->n)] : 1 + below(r, 64);
}

/* The u32 @attr of each object a dump of @cmd returns, into @p. */
static void collect(int fd, uint8_t cmd, uint16_t nest, int attr, struct pool *p)
{
	static uint32_t seq = 1u << 30;
	unsigned char buf[RECV_LEN];
	const struct nlattr *o, *a;
	struct nlmsghdr *nlh;
	struct msg m;
	ssize_t n;

	p->n = 0;
	msg_init(&m, family, NLM_F_REQUEST | NLM_F_DUMP, cmd);
	nl_send(fd, &m, ++seq);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("dump of command %u: %s", cmd, strerror(errno));
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
				return;
			if (nlh->nlmsg_type != family || p->n == POOL_MAX ||
			    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				continue;
			o = find_attr((char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
				      nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, nest);
			a = o ? find_attr((const char *)o + NLA_HDRLEN,
					  o->nla_len - NLA_HDRLEN, attr) : NULL;
			if (a && a->nla_len == NLA_HDRLEN + 4)
				memcpy(&p->idx[p->n++], (const char *)a + NLA_HDRLEN, 4);
		}
	}
}

static void pool_refresh(int fd)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	devs.n = 0;
	for (i = ifs; i && i->if_index && devs.n < POOL_MAX; i++, devs.n++) {
		devs.idx[devs.n] = i->if_index;
		snprintf(dev_name[devs.n], IFNAMSIZ, "%s", i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);
	collect(fd, IPMP_CMD_GROUP_GET, IPMP_A_GROUP, IPMP_A_GROUP_IFINDEX, &groups);
	collect(fd, IPMP_CMD_MEMBER_GET, IPMP_A_MEMBER, IPMP_A_MEMBER_IFINDEX, &members);
}

/*
 * The ifindex of device @name, 0 if there is none.  (Not if_nametoindex():
 * for a name that does not exist, its ioctl has the kernel try to load a
 * module of that name, which takes seconds in a slow guest.)
 */
static unsigned int ifindex_of(const char *name)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	unsigned int idx = 0;

	if (!ifs)
		return 0;
	for (i = ifs; i->if_index; i++)
		if (!strcmp(i->if_name, name))
			idx = i->if_index;
	if_freenameindex(ifs);
	return idx;
}

/* Values: mostly ones that mean something, sometimes anything. */
static uint32_t fuzz_u32(struct rng *r)
{
	static const uint32_t edge[] = {
		0, 1, 2, 5, 10, 99, 100, 255, 256, 1000, 10000, 60000, 60001,
		3600000, 3600001, 0x7fffffff, 0x80000000, 0xffffffff,
	};

	if (chance(r, 50))
		return pick(r, chance(r, 50) ? &devs : chance(r, 50) ? &groups : &members);
	if (chance(r, 80))
		return edge[below(r, sizeof(edge) / sizeof(edge[0]))];
	return rnd(r);
}

static uint8_t fuzz_u8(struct rng *r)
{
	static const uint8_t edge[] = { 0, 1, 2, 24, 32, 33, 128, 255 };

	return chance(r, 85) ? edge[below(r, sizeof(edge))] : rnd(r);
}

static uint32_t fuzz_addr4(struct rng *r)
{
	static const char *const edge[] = {
		"192.0.2.1", "192.0.2.31", "192.0.2.32", "198.51.100.1",
		"0.0.0.0", "255.255.255.255", "224.0.0.1", "127.0.0.1",
		"192.0.2.255", "169.254.1.1",
	};
	struct in_addr a;

	if (chance(r, 30))
		return htonl(0xc0000200 | below(r, 8));	/* 192.0.2.0-7 */
	if (chance(r, 85)) {
		inet_pton(AF_INET, edge[below(r, sizeof(edge) / sizeof(edge[0]))], &a);
		return a.s_addr;
	}
	return rnd(r);
}

static void fuzz_addr6(struct rng *r, unsigned char a[16])
{
	static const char *const edge[] = {
		"fe80::1", "fe80::2", "fe80::31", "2001:db8::1", "::", "::1",
		"ff02::1", "fe80::ffff:ffff:ffff:ffff", "::ffff:192.0.2.1",
	};
	unsigned int i;

	if (chance(r, 85)) {
		inet_pton(AF_INET6, edge[below(r, sizeof(edge) / sizeof(edge[0]))], a);
		return;
	}
	for (i = 0; i < 16; i++)
		a[i] = chance(r, 60) ? 0 : rnd(r);
}

/* A name: a fuzzed group's, a device's, or one the kernel must refuse. */
static size_t fuzz_name(struct rng *r, char *out, size_t max)
{
	static const char *const odd[] = {
		"", ".", "..", "a b", "a/b", "a:b", "lo", "fzg%d", "fzgabcdefghijkl",
		"fzgabcdefghijklmnop", "group-name-of-31-bytes-exactly",
		"group-name-of-32-bytes-exactly!",
		"a-group-name-far-too-long-for-any-of-the-limits-there-are",
		"\x01\x02", "caf\xc3\xa9", "tab\there", "ipmp0",
	};
	size_t n, i;

	if (chance(r, 55)) {
		n = snprintf(out, max, "fzg%u", below(r, NAME_POOL));
	} else if (devs.n && chance(r, 35)) {
		n = snprintf(out, max, "%s", dev_name[below(r, devs.n)]);
	} else if (chance(r, 80)) {
		n = snprintf(out, max, "%s", odd[below(r, sizeof(odd) / sizeof(odd[0]))]);
	} else {
		n = below(r, 40);
		for (i = 0; i < n && i < max - 1; i++)
			out[i] = 1 + below(r, 255);
		out[i] = 0;
		n = i;
	}
	return n < max ? n : max - 1;
}

/* What an attribute holds in a request, to give it its right type. */
/* K_ADDR: an IPv4 or an IPv6 address. */
enum kind { K_U8, K_U16, K_U32, K_U64, K_ADDR4, K_ADDR6, K_ADDR, K_NAME, K_BIN, K_NEST, K_NKINDS };

static enum kind group_kind(int t)
{
	switch (t) {
	case IPMP_A_GROUP_IFNAME: case IPMP_A_GROUP_NAME:
		return K_NAME;
	case IPMP_A_GROUP_STATE: case IPMP_A_GROUP_FAILBACK:
	case IPMP_A_GROUP_PROBING: case IPMP_A_GROUP_TARGET_MODE:
	case IPMP_A_GROUP_TARGET_MODE6:
		return K_U8;
	case IPMP_A_GROUP_TARGET:
		return K_ADDR;
	case IPMP_A_GROUP_TARGETS: case IPMP_A_GROUP_STATIC_TARGETS:
	case IPMP_A_GROUP_TARGETS6: case IPMP_A_GROUP_STATIC_TARGETS6:
		return K_BIN;
	}
	return K_U32;
}

static enum kind member_kind(int t)
{
	switch (t) {
	case IPMP_A_MEMBER_IFNAME:
		return K_NAME;
	case IPMP_A_MEMBER_IFINDEX: case IPMP_A_MEMBER_GROUP_IFINDEX:
	case IPMP_A_MEMBER_FLAGS: case IPMP_A_MEMBER_NADDRS:
	case IPMP_A_MEMBER_RTT_US:
		return K_U32;
	case IPMP_A_MEMBER_TESTADDR:
		return K_ADDR;
	case IPMP_A_MEMBER_TESTADDR6:
		return K_ADDR6;
	}
	return K_U8;
}

static enum kind addr_kind(int t)
{
	switch (t) {
	case IPMP_A_ADDR_ADDRESS:
		return K_ADDR6;
	case IPMP_A_ADDR_GROUP_IFINDEX: case IPMP_A_ADDR_BOUND_IFINDEX:
		return K_U32;
	}
	return K_U8;
}

/* The right kind of attribute @t of nest @nest; K_BIN if unknown. */
static enum kind kind_of(int nest, int t)
{
	switch (nest) {
	case IPMP_A_GROUP:
		return t > 0 && t <= IPMP_A_GROUP_MAX ? group_kind(t) : K_BIN;
	case IPMP_A_MEMBER:
		return t > 0 && t <= IPMP_A_MEMBER_MAX ? member_kind(t) : K_BIN;
	case IPMP_A_ADDR:
		return t > 0 && t <= IPMP_A_ADDR_MAX ? addr_kind(t) : K_BIN;
	}
	return K_BIN;
}

static int nest_max(int nest)
{
	switch (nest) {
	case IPMP_A_GROUP: return IPMP_A_GROUP_MAX;
	case IPMP_A_MEMBER: return IPMP_A_MEMBER_MAX;
	case IPMP_A_ADDR: return IPMP_A_ADDR_MAX;
	case IPMP_A_PROBE: return IPMP_A_PROBE_MAX;
	}
	return 4;
}

static void put_garbage_nest(struct rng *r, struct msg *m, uint16_t type, int depth);

/* One attribute of kind @k; @wrong_size gives it a random length instead. */
static void put_kind(struct rng *r, struct msg *m, uint16_t type, enum kind k,
		     bool wrong_size, int depth)
{
	unsigned char raw[64];
	char name[64 + 4];
	uint64_t v64;
	uint32_t v;
	uint16_t v16;
	uint8_t v8;
	size_t n, i;

	if (wrong_size) {
		n = below(r, chance(r, 80) ? 9 : sizeof(raw));
		for (i = 0; i < n; i++)
			raw[i] = chance(r, 50) ? 0 : rnd(r);
		put(m, type, raw, n);
		return;
	}
	switch (k) {
	case K_U8:
		v8 = fuzz_u8(r);
		put(m, type, &v8, 1);
		break;
	case K_U16:
		v16 = fuzz_u32(r);
		put(m, type, &v16, 2);
		break;
	case K_U32:
		v = fuzz_u32(r);
		put(m, type, &v, 4);
		break;
	case K_U64:
		v64 = rnd(r);
		put(m, type, &v64, 8);
		break;
	case K_ADDR4:
		v = fuzz_addr4(r);
		put(m, type, &v, 4);
		break;
	case K_ADDR6:
		fuzz_addr6(r, raw);
		put(m, type, raw, 16);
		break;
	case K_ADDR:
		put_kind(r, m, type, chance(r, 60) ? K_ADDR4 : K_ADDR6, false, depth);
		break;
	case K_NAME:
		memset(name, 'x', sizeof(name));	/* what may follow the NUL */
		n = fuzz_name(r, name, sizeof(name) - 4);
		/* Now and then without its NUL, or with bytes after it. */
		if (chance(r, 8))
			put(m, type, name, n);
		else if (chance(r, 5))
			put(m, type, name, n + 1 + below(r, 4));
		else
			put(m, type, name, n + 1);
		break;
	case K_BIN:
		n = 4 * below(r, 8);
		for (i = 0; i < n; i += 4) {
			v = fuzz_addr4(r);
			memcpy(raw + i, &v, 4);
		}
		put(m, type, raw, n);
		break;
	default:
		put_garbage_nest(r, m, type, depth + 1);
	}
}

/* An attribute type near the range of @nest, or anywhere. */
static uint16_t fuzz_type(struct rng *r, int max)
{
	uint16_t t = chance(r, 85) ? below(r, max + 3) : rnd(r);

	if (chance(r, 5))
		t |= NLA_F_NESTED;
	if (chance(r, 3))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

/* A nest of random attributes of random kinds, nests among them. */
static void put_garbage_nest(struct rng *r, struct msg *m, uint16_t type, int depth)
{
	size_t off = nest_start(m, type);
	unsigned int n = below(r, 7), i;
	enum kind k;

	for (i = 0; i < n && depth < 4; i++) {
		k = below(r, K_NKINDS);
		put_kind(r, m, fuzz_type(r, 16), k, chance(r, 20), depth);
	}
	nest_end(m, off);
}

/*
 * Plausible requests: each command's nest with the attributes it takes
 * (most of the time) and others (now and then), of their right types.
 */
#define B(x) (1ULL << (x))

struct cmd_shape {
	uint16_t nest;
	uint64_t needs, takes;
};

static struct cmd_shape shape_of(uint8_t cmd)
{
	const uint64_t settings = B(IPMP_A_GROUP_NAME) | B(IPMP_A_GROUP_FDT) |
		B(IPMP_A_GROUP_FAILBACK) | B(IPMP_A_GROUP_ANNOUNCE_COUNT) |
		B(IPMP_A_GROUP_ANNOUNCE_INTERVAL) | B(IPMP_A_GROUP_PROBING);

	switch (cmd) {
	case IPMP_CMD_GROUP_GET: case IPMP_CMD_GROUP_DEL:
		return (struct cmd_shape){ IPMP_A_GROUP, B(IPMP_A_GROUP_IFINDEX), 0 };
	case IPMP_CMD_GROUP_NEW:
		return (struct cmd_shape){ IPMP_A_GROUP, B(IPMP_A_GROUP_IFNAME), settings };
	case IPMP_CMD_GROUP_SET:
		return (struct cmd_shape){ IPMP_A_GROUP, B(IPMP_A_GROUP_IFINDEX), settings };
	case IPMP_CMD_TARGET_ADD: case IPMP_CMD_TARGET_DEL:
		return (struct cmd_shape){ IPMP_A_GROUP,
			B(IPMP_A_GROUP_IFINDEX) | B(IPMP_A_GROUP_TARGET), 0 };
	case IPMP_CMD_MEMBER_GET:
		return (struct cmd_shape){ IPMP_A_MEMBER, B(IPMP_A_MEMBER_IFINDEX),
			B(IPMP_A_MEMBER_GROUP_IFINDEX) };
	case IPMP_CMD_MEMBER_ADD:
		return (struct cmd_shape){ IPMP_A_MEMBER,
			B(IPMP_A_MEMBER_IFINDEX) | B(IPMP_A_MEMBER_GROUP_IFINDEX),
			B(IPMP_A_MEMBER_STANDBY) };
	case IPMP_CMD_MEMBER_DEL:
		return (struct cmd_shape){ IPMP_A_MEMBER, B(IPMP_A_MEMBER_IFINDEX),
			B(IPMP_A_MEMBER_GROUP_IFINDEX) | B(IPMP_A_MEMBER_IFNAME) };
	case IPMP_CMD_MEMBER_SET:
		return (struct cmd_shape){ IPMP_A_MEMBER, B(IPMP_A_MEMBER_IFINDEX),
			B(IPMP_A_MEMBER_STANDBY) | B(IPMP_A_MEMBER_OFFLINE) };
	case IPMP_CMD_TESTADDR_ADD: case IPMP_CMD_TESTADDR_DEL:
		return (struct cmd_shape){ IPMP_A_MEMBER,
			B(IPMP_A_MEMBER_IFINDEX) | B(IPMP_A_MEMBER_TESTADDR),
			B(IPMP_A_MEMBER_TESTADDR_PREFIXLEN) };
	case IPMP_CMD_ADDR_GET:
		return (struct cmd_shape){ IPMP_A_ADDR, 0, B(IPMP_A_ADDR_GROUP_IFINDEX) };
	}
	return (struct cmd_shape){ 1 + below(&(struct rng){ cmd }, IPMP_A_MAX), 0, 0 };
}

/* A value the kernel takes for attribute @t of @nest, if it has one. */
static bool put_good(struct rng *r, struct msg *m, uint16_t nest, int t)
{
	uint32_t v;
	uint8_t v8;
	char name[IFNAMSIZ];

	switch (nest << 8 | t) {
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_IFINDEX:
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_GROUP_IFINDEX:
	case IPMP_A_ADDR << 8 | IPMP_A_ADDR_GROUP_IFINDEX:
		v = pick(r, chance(r, 90) ? &groups : &devs);
		break;
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_IFINDEX:
		v = pick(r, chance(r, 50) ? &members : &devs);
		break;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_IFNAME:
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_NAME:
		snprintf(name, sizeof(name), "fzg%u", below(r, NAME_POOL));
		put_str(m, t, name);
		return true;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_FDT:
		v = 100 + below(r, 20000);
		break;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_ANNOUNCE_COUNT:
		v = below(r, 6);
		break;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_ANNOUNCE_INTERVAL:
		v = 10 + below(r, 2000);
		break;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_TARGET:
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_TESTADDR:
		if (chance(r, 30)) {
			unsigned char a6[16] = { 0xfe, 0x80 };

			a6[15] = 1 + below(r, 8);
			put(m, t, a6, 16);
			return true;
		}
		v = htonl(0xc0000200 | (1 + below(r, 8)));
		break;
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_FAILBACK:
	case IPMP_A_GROUP << 8 | IPMP_A_GROUP_PROBING:
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_STANDBY:
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_OFFLINE:
		v8 = below(r, 2);
		put(m, t, &v8, 1);
		return true;
	case IPMP_A_MEMBER << 8 | IPMP_A_MEMBER_TESTADDR_PREFIXLEN:
		v8 = 8 + below(r, 25);
		put(m, t, &v8, 1);
		return true;
	default:
		return false;
	}
	put_u32(m, t, v);
	return true;
}

static void put_plausible(struct rng *r, struct msg *m, uint8_t cmd)
{
	struct cmd_shape s = shape_of(cmd);
	int t, max = nest_max(s.nest);
	size_t off;

	off = nest_start(m, s.nest);
	for (t = 1; t <= max + 1; t++) {
		unsigned int p = t < 64 && (s.needs & B(t)) ? 93 :
				 t < 64 && (s.takes & B(t)) ? 40 : 1;

		if (!chance(r, p))
			continue;
		if (p < 10 || !chance(r, 70) || !put_good(r, m, s.nest, t))
			put_kind(r, m, t, kind_of(s.nest, t), chance(r, 4), 0);
	}
	/* Once in a while the same attribute again. */
	if (chance(r, 3))
		put_kind(r, m, 1 + below(r, max), kind_of(s.nest, 1), false, 0);
	nest_end(m, off);
}

static void put_garbage(struct rng *r, struct msg *m)
{
	unsigned int n = below(r, 5), i;
	uint16_t t;

	for (i = 0; i < n; i++) {
		t = fuzz_type(r, IPMP_A_MAX);
		if (chance(r, 65))
			put_garbage_nest(r, m, t & NLA_TYPE_MASK, 0);
		else
			put_kind(r, m, t, below(r, K_NKINDS), chance(r, 30), 0);
	}
}

/* Damage a built request: bytes, attribute lengths and types, its end. */
static void mutate(struct rng *r, struct msg *m)
{
	const size_t body = NLMSG_HDRLEN + GENL_HDRLEN;
	unsigned int n = 1 + below(r, 3);
	struct nlattr *a;
	size_t off;

	while (n--) {
		switch (below(r, 5)) {
		case 0:
			if (m->len > body)
				m->buf[body + below(r, m->len - body)] ^= 1 + below(r, 255);
			break;
		case 1:
		case 2:
			if (!m->nattr)
				break;
			off = m->attr[below(r, m->nattr)];
			if (off + NLA_HDRLEN > m->len)
				break;
			a = (struct nlattr *)(m->buf + off);
			if (below(r, 2))
				a->nla_len = below(r, m->len - off + 9);
			else
				a->nla_type = fuzz_type(r, 20);
			break;
		case 3:
			m->len = NLMSG_HDRLEN + below(r, m->len - NLMSG_HDRLEN + 1);
			break;
		default:
			for (off = below(r, 8); off && m->len < MSG_MAX; off--)
				m->buf[m->len++] = rnd(r);
		}
	}
}

static bool is_get(uint8_t cmd)
{
	return cmd == IPMP_CMD_GROUP_GET || cmd == IPMP_CMD_MEMBER_GET ||
	       cmd == IPMP_CMD_ADDR_GET;
}

static uint8_t fuzz_cmd(struct rng *r)
{
	if (chance(r, 88))
		return 1 + below(r, IPMP_CMD_MAX);
	if (chance(r, 50))
		return chance(r, 50) ? 0 : IPMP_CMD_MAX + 1 + below(r, 3);
	return rnd(r);
}

static uint16_t fuzz_flags(struct rng *r, uint8_t cmd)
{
	static const uint16_t odd[] = {
		NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_APPEND, NLM_F_MULTI, 0x1000, 0x8000,
	};
	uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

	if (chance(r, is_get(cmd) ? 45 : 3))
		f |= NLM_F_DUMP;
	if (chance(r, 2))
		f &= ~NLM_F_REQUEST;
	if (chance(r, 3))
		f |= odd[below(r, sizeof(odd) / sizeof(odd[0]))];
	return f;
}

/* Request number @n of the run; its command and flags in @e. */
static void make_request(struct rng *r, struct msg *m, uint16_t family,
			 struct expect *e)
{
	uint8_t cmd = fuzz_cmd(r);
	uint16_t flags = fuzz_flags(r, cmd);
	struct genlmsghdr *g;
	unsigned int how = below(r, 100);

	msg_init(m, family, flags, cmd);
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	if (chance(r, 3))
		g->reserved = rnd(r);
	if (chance(r, 3))
		g->version = rnd(r);
	if (how < 55) {
		put_plausible(r, m, cmd);
	} else if (how < 75) {
		put_garbage(r, m);
	} else {
		put_plausible(r, m, cmd);
		if (chance(r, 20))
			put_garbage(r, m);
		mutate(r, m);
	}
	e->cmd = cmd;
	e->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	e->request = flags & NLM_F_REQUEST;
	e->req_len = m->len;
}

/* Plain requests of the racer and the set-up, their answers checked too. */

static int genl_do(int fd, struct msg *m, struct stats *st)
{
	static uint32_t seq = 1u << 31;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	struct expect e = {
		.seq = ++seq, .portid = nl_portid(fd), .cmd = g->cmd,
		.request = true, .req_len = m->len,
	};
	unsigned long errors = st->errors;

	nl_send(fd, m, e.seq);
	if (!answer_ok(fd, &e, family, st))
		die("racer: command %u: %s", e.cmd, why);
	return st->errors != errors ? -1 : 0;
}

static int group_new(int fd, const char *ifname, struct stats *st)
{
	struct msg m;
	size_t nest;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK, IPMP_CMD_GROUP_NEW);
	nest = nest_start(&m, IPMP_A_GROUP);
	put_str(&m, IPMP_A_GROUP_IFNAME, ifname);
	put_u32(&m, IPMP_A_GROUP_FDT, 100 + 100 * (strlen(ifname) % 5));
	nest_end(&m, nest);
	return genl_do(fd, &m, st);
}

/* A command on [nest]{ifindex ATTR=u32...}: pairs of type, value, 0 ends. */
static int genl_cmd(int fd, uint8_t cmd, uint16_t nest_type, struct stats *st, ...)
{
	struct msg m;
	size_t nest;
	va_list ap;
	int t;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	nest = nest_start(&m, nest_type);
	va_start(ap, st);
	while ((t = va_arg(ap, int))) {
		uint32_t v = va_arg(ap, uint32_t);

		if ((nest_type == IPMP_A_MEMBER && (t == IPMP_A_MEMBER_STANDBY ||
		     t == IPMP_A_MEMBER_OFFLINE || t == IPMP_A_MEMBER_TESTADDR_PREFIXLEN)) ||
		    (nest_type == IPMP_A_GROUP && (t == IPMP_A_GROUP_FAILBACK ||
		     t == IPMP_A_GROUP_PROBING)))
			put(&m, t, &v, 1);
		else
			put_u32(&m, t, v);
	}
	va_end(ap);
	nest_end(&m, nest);
	return genl_do(fd, &m, st);
}

static int rt_do(int fd, struct msg *m)
{
	static uint32_t seq;
	unsigned char buf[RECV_LEN];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	ssize_t n;

	nl_send(fd, m, ++seq);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("rtnetlink: %s", strerror(errno));
		if (n >= (ssize_t)NLMSG_HDRLEN && nlh->nlmsg_seq == seq &&
		    nlh->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
	}
}

static void rt_init(struct msg *m, uint16_t type, uint16_t flags, size_t hdr)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	memset(m->buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(hdr));
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(hdr);
	m->nattr = 0;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
}

static int rt_veth(int fd, const char *name, const char *peer)
{
	struct ifinfomsg *ifi;
	size_t info, data, pn;
	struct msg m;

	rt_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
	put_str(&m, IFLA_IFNAME, name);
	info = nest_start(&m, IFLA_LINKINFO);
	put_str(&m, IFLA_INFO_KIND, "veth");
	data = nest_start(&m, IFLA_INFO_DATA);
	pn = nest_start(&m, VETH_INFO_PEER);
	msg_reserve(&m, sizeof(*ifi));
	put_str(&m, IFLA_IFNAME, peer);
	nest_end(&m, pn);
	nest_end(&m, data);
	nest_end(&m, info);
	return rt_do(fd, &m);
}

static int rt_link(int fd, const char *name, int op)
{
	struct ifinfomsg *ifi;
	struct msg m;

	rt_init(&m, op < 0 ? RTM_DELLINK : RTM_NEWLINK, 0, sizeof(*ifi));
	ifi = (struct ifinfomsg *)(m.buf + NLMSG_HDRLEN);
	ifi->ifi_index = ifindex_of(name);
	if (!ifi->ifi_index)
		return -ENODEV;
	ifi->ifi_flags = op > 0 ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	return rt_do(fd, &m);
}

static int rt_addr(int fd, const char *name, uint32_t addr, bool add)
{
	struct ifaddrmsg *ifa;
	struct msg m;

	rt_init(&m, add ? RTM_NEWADDR : RTM_DELADDR, add ? NLM_F_CREATE : 0,
		sizeof(*ifa));
	ifa = (struct ifaddrmsg *)(m.buf + NLMSG_HDRLEN);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = ifindex_of(name);
	if (!ifa->ifa_index)
		return -ENODEV;
	put(&m, IFA_LOCAL, &addr, 4);
	put(&m, IFA_ADDRESS, &addr, 4);
	return rt_do(fd, &m);
}

/* A whole dump, its answer checked. */
static void dump_all(int fd, uint8_t cmd, struct stats *st)
{
	struct expect e = { .portid = nl_portid(fd), .cmd = cmd, .dump = true,
			    .request = true };
	static uint32_t seq = 3u << 30;
	struct msg m;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, cmd);
	e.seq = ++seq;
	e.req_len = m.len;
	nl_send(fd, &m, e.seq);
	if (!answer_ok(fd, &e, family, st))
		die("dump of command %u: %s", cmd, why);
}

/*
 * The racer: groups fzr0-7 and veths fzv0-7 (peers fzq0-7) come and go,
 * join and leave, go offline, fail and recover, get test addresses,
 * targets and data addresses, until SIGTERM.
 */

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint32_t ip4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return htonl(a << 24 | b << 16 | c << 8 | d);
}

static void race_step(struct rng *r, int gfd, int rfd, struct stats *st)
{
	unsigned int j = below(r, RACE_SLOTS), k = below(r, RACE_SLOTS);
	char v[IFNAMSIZ], q[IFNAMSIZ], g[IFNAMSIZ];
	uint32_t vi, gi;

	snprintf(v, sizeof(v), "fzv%u", j);
	snprintf(q, sizeof(q), "fzq%u", j);
	snprintf(g, sizeof(g), "fzr%u", k);
	vi = ifindex_of(v);
	gi = ifindex_of(g);
	switch (below(r, 14)) {
	case 0:
		if (!rt_veth(rfd, v, q)) {
			rt_link(rfd, v, 1);
			rt_link(rfd, q, 1);
		}
		break;
	case 1:
		rt_link(rfd, chance(r, 50) ? v : q, -1);
		break;
	case 2:
		if (!group_new(gfd, g, st)) {
			rt_link(rfd, g, 1);
			rt_addr(rfd, g, ip4(198, 51, 100, 10 + k), true);
		}
		break;
	case 3:
		if (chance(r, 50))
			genl_cmd(gfd, IPMP_CMD_GROUP_DEL, IPMP_A_GROUP, st,
				 IPMP_A_GROUP_IFINDEX, gi, 0);
		else
			rt_link(rfd, g, -1);
		break;
	case 4:
	case 5:
		genl_cmd(gfd, IPMP_CMD_MEMBER_ADD, IPMP_A_MEMBER, st,
			 IPMP_A_MEMBER_IFINDEX, vi, IPMP_A_MEMBER_GROUP_IFINDEX, gi,
			 IPMP_A_MEMBER_STANDBY, chance(r, 20), 0);
		break;
	case 6:
		genl_cmd(gfd, IPMP_CMD_MEMBER_DEL, IPMP_A_MEMBER, st,
			 IPMP_A_MEMBER_IFINDEX, vi, 0);
		break;
	case 7:
		genl_cmd(gfd, IPMP_CMD_MEMBER_SET, IPMP_A_MEMBER, st,
			 IPMP_A_MEMBER_IFINDEX, vi, chance(r, 50) ?
			 IPMP_A_MEMBER_OFFLINE : IPMP_A_MEMBER_STANDBY,
			 chance(r, 50), 0);
		break;
	case 8:
		genl_cmd(gfd, chance(r, 70) ? IPMP_CMD_TESTADDR_ADD : IPMP_CMD_TESTADDR_DEL,
			 IPMP_A_MEMBER, st, IPMP_A_MEMBER_IFINDEX, vi,
			 IPMP_A_MEMBER_TESTADDR, ip4(192, 0, 2, 100 + j),
			 IPMP_A_MEMBER_TESTADDR_PREFIXLEN, 24, 0);
		break;
	case 9:
		genl_cmd(gfd, chance(r, 60) ? IPMP_CMD_TARGET_ADD : IPMP_CMD_TARGET_DEL,
			 IPMP_A_GROUP, st, IPMP_A_GROUP_IFINDEX, gi,
			 IPMP_A_GROUP_TARGET, ip4(192, 0, 2, 1 + j % 4), 0);
		break;
	case 10:
		rt_link(rfd, q, chance(r, 50) ? 1 : 0);
		break;
	case 11:
		rt_addr(rfd, g, ip4(198, 51, 100, 100 + j), chance(r, 60));
		break;
	case 12:
		genl_cmd(gfd, IPMP_CMD_GROUP_SET, IPMP_A_GROUP, st,
			 IPMP_A_GROUP_IFINDEX, gi, chance(r, 50) ?
			 IPMP_A_GROUP_FAILBACK : IPMP_A_GROUP_PROBING, chance(r, 50), 0);
		break;
	default:
		dump_all(gfd, k % 3 == 0 ? IPMP_CMD_GROUP_GET : k % 3 == 1 ?
			 IPMP_CMD_MEMBER_GET : IPMP_CMD_ADDR_GET, st);
	}
}

static pid_t racer_start(uint64_t seed)
{
	struct rng r = rng_for(seed ^ 0x5ace5ace, 0);
	struct stats st = { 0 };
	unsigned long steps = 0;
	int gfd, rfd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid)
		return pid;
	signal(SIGTERM, on_term);
	gfd = nl_open(NETLINK_GENERIC);
	rfd = nl_open(NETLINK_ROUTE);
	while (!stop) {
		race_step(&r, gfd, rfd, &st);
		steps++;
	}
	printf("# racer: %lu steps, %lu acks, %lu errors, %lu dumps\n",
	       steps, st.acks, st.errors, st.dumps);
	exit(0);
}

/*
 * Groups fzp0.. with a member each, so that dumps take several parts
 * (RECV_LEN bytes each) and can be cut off or raced halfway.
 */
static void pad(int n, struct stats *st)
{
	int gfd = nl_open(NETLINK_GENERIC), rfd = nl_open(NETLINK_ROUTE), i;
	char g[IFNAMSIZ], v[IFNAMSIZ], q[IFNAMSIZ];

	for (i = 0; i < n; i++) {
		snprintf(g, sizeof(g), "fzp%d", i);
		snprintf(v, sizeof(v), "fzw%d", i);
		snprintf(q, sizeof(q), "fzx%d", i);
		if (group_new(gfd, g, st) || rt_veth(rfd, v, q) ||
		    genl_cmd(gfd, IPMP_CMD_MEMBER_ADD, IPMP_A_MEMBER, st,
			     IPMP_A_MEMBER_IFINDEX, ifindex_of(v),
			     IPMP_A_MEMBER_GROUP_IFINDEX, ifindex_of(g), 0))
			die("cannot set up group %s with member %s", g, v);
		rt_addr(rfd, g, ip4(203, 0, 113, 1 + i % 250), true);
	}
	close(gfd);
	close(rfd);
}

/* A dump whose socket is closed after its first part, or before it. */
static void abandon_dump(struct rng *r, struct stats *st)
{
	static const uint8_t cmds[] = {
		IPMP_CMD_GROUP_GET, IPMP_CMD_MEMBER_GET, IPMP_CMD_ADDR_GET,
	};
	unsigned char buf[RECV_LEN];
	int fd = nl_open(NETLINK_GENERIC);
	struct msg m;

	msg_init(&m, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		 cmds[below(r, 3)]);
	if (chance(r, 30))
		put_plausible(r, &m, m.buf[NLMSG_HDRLEN]);
	nl_send(fd, &m, 1);
	if (chance(r, 60) && recv(fd, buf, sizeof(buf), 0) < 0)
		die("abandoned dump: recv: %s", strerror(errno));
	close(fd);
	st->abandoned++;
}

static void print_hex(FILE *f, const struct msg *m)
{
	size_t i;

	for (i = 0; i < m->len; i++)
		fprintf(f, "%02x", m->buf[i]);
	fputc('\n', f);
}

static void hex_to_msg(const char *hex, struct msg *m)
{
	size_t n = strlen(hex), i;
	unsigned int b;

	if (n % 2 || n / 2 < NLMSG_HDRLEN || n / 2 > MSG_MAX)
		die("-x: '%s' is not a request in hex (even digits, %d to %d bytes)",
		    hex, NLMSG_HDRLEN, MSG_MAX);
	for (i = 0; i < n / 2; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			die("-x: '%.2s' is not a hex byte", hex + 2 * i);
		m->buf[i] = b;
	}
	m->len = n / 2;
	m->nattr = 0;
}

static void print_stats(const struct stats *st, double secs)
{
	unsigned int i;

	unsigned long all = st->sent + st->abandoned;

	printf("# %lu requests in %.1f s (%.0f/s): %lu answered (%lu acks, "
	       "%lu errors, %lu dumps done, %lu reply messages), %lu dumps abandoned\n",
	       all, secs, secs > 0 ? all / secs : 0.0, st->sent, st->acks,
	       st->errors, st->dumps, st->data, st->abandoned);
	printf("# errors by errno:");
	for (i = 1; i < 4096; i++)
		if (st->by_errno[i])
			printf(" %s %lu", strerror(i), st->by_errno[i]);
	printf("\n");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]) && texts[i].n; i++)
		printf("# %8lu \"%s\"\n", texts[i].n, texts[i].text);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct opts {
	uint64_t seed, first, count;
	bool race, unprivileged, verbose;
	int pad;
	const char *hex;
};

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: genl-fuzz [-s SEED] [-n COUNT] [-i FIRST] [-r] [-p GROUPS] [-U] [-v]\n"
		"       genl-fuzz [-U] -x HEX\n"
		"Send COUNT (default 100000) random and mutated requests, numbered from\n"
		"FIRST (default 0), to the ipmp genl family and check every answer.\n"
		"  -s SEED    seed (default: from the clock; printed either way)\n"
		"  -r         race: a child process churns groups, members and addresses\n"
		"  -p GROUPS  first make GROUPS groups fzp* with a member each\n"
		"  -U         unprivileged: every change must be refused\n"
		"  -v         print each request in hex before sending it\n"
		"  -x HEX     send this one request (as printed on a failure)\n"
		"Run it in a network namespace of its own.\n");
	exit(status);
}

static uint64_t number(const char *s, char opt)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-')
		die("-%c: '%s' is not a number", opt, s);
	return v;
}

static struct opts parse(int argc, char **argv)
{
	struct opts o = { .seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
			  .count = 100000 };
	int c;

	while ((c = getopt(argc, argv, "s:n:i:rp:Uvx:h")) != -1) {
		switch (c) {
		case 's': o.seed = number(optarg, c); break;
		case 'n': o.count = number(optarg, c); break;
		case 'i': o.first = number(optarg, c); break;
		case 'r': o.race = true; break;
		case 'p': o.pad = number(optarg, c); break;
		case 'U': o.unprivileged = true; break;
		case 'v': o.verbose = true; break;
		case 'x': o.hex = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (o.pad > 200)
		die("-p: at most 200 groups");
	return o;
}

/* Sends request @m, checks its answer; on failure says how to replay it. */
static bool one(int fd, struct msg *m, struct expect *e, struct stats *st,
		const struct opts *o, uint64_t n)
{
	if (o->verbose)
		print_hex(stdout, m);
	nl_send(fd, m, e->seq);
	st->sent++;
	if (answer_ok(fd, e, family, st))
		return true;
	printf("not ok: request %" PRIu64 " (seed %" PRIu64 "): %s\n", n, o->seed, why);
	printf("# request: ");
	print_hex(stdout, m);
	printf("# replay it: genl-fuzz%s -x <request>, or the run: genl-fuzz%s -s %"
	       PRIu64 " -i %" PRIu64 " -n 1\n", o->unprivileged ? " -U" : "",
	       o->unprivileged ? " -U" : "", o->seed, n);
	return false;
}

static int replay(int fd, const struct opts *o, struct stats *st)
{
	struct expect e = { .seq = 1, .portid = nl_portid(fd),
			    .unprivileged = o->unprivileged };
	struct nlmsghdr *nlh;
	struct msg m;

	hex_to_msg(o->hex, &m);
	nlh = (struct nlmsghdr *)m.buf;
	nlh->nlmsg_type = family;
	if (m.len >= NLMSG_HDRLEN + 1)
		e.cmd = m.buf[NLMSG_HDRLEN];
	e.dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	e.request = nlh->nlmsg_flags & NLM_F_REQUEST;
	e.req_len = m.len;
	if (!(nlh->nlmsg_flags & NLM_F_ACK))
		die("-x: the request has no NLM_F_ACK: nothing would answer it");
	if (!one(fd, &m, &e, st, o, 0))
		return 1;
	print_stats(st, 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = parse(argc, argv);
	static struct stats st;
	pid_t racer = 0;
	double t0;
	uint64_t n;
	int fd, status, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = nl_open(NETLINK_GENERIC);
	family = family_id(fd);
	if (o.hex)
		return replay(fd, &o, &st);
	printf("# seed %" PRIu64 ", requests %" PRIu64 " to %" PRIu64 "%s\n",
	       o.seed, o.first, o.first + o.count - 1, o.race ? ", racing" : "");
	if (o.pad)
		pad(o.pad, &st);
	if (o.race)
		racer = racer_start(o.seed);
	t0 = now();
	for (n = o.first; n < o.first + o.count; n++) {
		struct rng r = rng_for(o.seed, n);
		struct expect e = { .seq = (uint32_t)n + 1, .portid = nl_portid(fd),
				    .unprivileged = o.unprivileged };
		struct msg m;

		if (n > o.first && (n - o.first) % 10000 == 0)
			printf("# %" PRIu64 " requests, %.0f/s\n", n - o.first,
			       (n - o.first) / (now() - t0));
		if (n == o.first || n % 128 == 0)
			pool_refresh(fd);
		if (chance(&r, 2)) {
			abandon_dump(&r, &st);
			continue;
		}
		make_request(&r, &m, family, &e);
		if (!one(fd, &m, &e, &st, &o, n)) {
			rc = 1;
			break;
		}
	}
	if (racer) {
		kill(racer, SIGTERM);
		if (waitpid(racer, &status, 0) != racer || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			printf("not ok: the racer failed (status 0x%x)\n", status);
			rc = 1;
		}
	}
	print_stats(&st, now() - t0);
	if (!rc && o.unprivileged && !st.eperm) {
		printf("not ok: no change was refused with EPERM\n");
		rc = 1;
	}
	return rc;
}
