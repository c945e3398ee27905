// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpadm restore [--missing-ok] [--only IF] [FILE]: the commands that
 * "ipmpadm save" writes, applied all or nothing.
 *
 * First every line is parsed and the file checked against itself: the
 * syntax and values of each command, and that the lines agree (a group is
 * created once, before anything is added to it; a member is added once, to
 * a group of the file; one test address per member, none twice in a
 * group; targets neither repeated nor too many).  Then against the system:
 * the groups to create must not exist (restore makes whole groups; it does
 * not merge into existing ones), their names must be free, the members'
 * devices must exist and be in no group.  Any problem is reported as
 * "restore: FILE:LINE: ..." and nothing is changed.  Only then are the
 * lines applied in order; should the kernel refuse one, the groups created
 * so far are deleted again.
 *
 * --only IF applies the lines about IF alone, to a group that exists: its
 * "add" (unless IF is a member already) and its test address (unless it
 * has one).  That is for a NIC that appears after the groups were made
 * (udev).  The file is locked while it is applied, so that the restore at
 * boot and those of udev do not interleave.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipmpadm.h"

static const char restore_usage[] =
	"ipmpadm restore [--missing-ok] [--only IF] [FILE]";

static const char restore_help[] =
	"usage: ipmpadm restore [--missing-ok] [--only IF] [FILE]\n"
	"\n"
	"Apply a configuration written by 'ipmpadm save', from FILE or, without\n"
	"one or when it is '-', from standard input.  Each line is an ipmpadm\n"
	"command: 'create', 'add', 'test-address add' or 'target add'; blank\n"
	"lines and lines whose first non-blank character is '#' are ignored.\n"
	"Every line must be about a group the file creates, after its 'create'.\n"
	"\n"
	"All or nothing: the whole file is checked first (syntax, values, lines\n"
	"that repeat or contradict each other, groups that exist already or\n"
	"whose name is taken, member devices that do not exist or are in a\n"
	"group), and any problem is reported as 'restore: FILE:LINE: ...' with\n"
	"nothing changed.  Should the kernel refuse a line while the file is\n"
	"applied, the groups created so far are deleted again.  Groups are made\n"
	"whole: a group that exists is not merged into but refused; delete it\n"
	"first to restore it.  Group interfaces are left down, as by 'create':\n"
	"the network configuration brings them up with their data addresses.\n"
	"\n"
	"  --missing-ok  a member whose device does not exist is skipped, with\n"
	"                its test address, and a warning, instead of failing the\n"
	"                restore; it can join later with --only\n"
	"  --only IF     apply only the lines about the member IF, to its group,\n"
	"                which must exist (else nothing is done): add IF unless it\n"
	"                is a member already, give it its test address unless it\n"
	"                has one.  For a NIC that appears later (see the udev rule)\n"
	"\n"
	"Errors exit 1 (nothing applied), usage errors 2.\n"
	"\n"
	"  ipmpadm save > /etc/ipmp.conf\n"
	"  ipmpadm restore /etc/ipmp.conf\n";

enum kind { L_CREATE, L_ADD, L_TESTADDR, L_TARGET };

/* One command of the file; an "add" of several members gives one each. */
struct cmd {
	enum kind kind;
	unsigned int line;
	const char *ifname;	/* create, target: the group; add, test-address: the member */
	const char *group;	/* add: the group's interface */
	const char *name;	/* create: the group name in effect */
	struct group_opts opts;	/* create */
	bool standby;		/* add */
	struct ipmp_ip addr;	/* test-address, target */
	uint8_t prefixlen;	/* test-address */
	const struct cmd *of;	/* add, target: the create; test-address: the add */
	uint32_t ifindex;	/* the member's, once checked (add) */
	bool was_down;		/* add: joining brought it up; undo takes it down */
	bool skip;		/* not to be applied */
};

struct restore {
	const char *file;	/* for messages */
	bool missing_ok;
	const char *only;
	char **lines;		/* the text the commands point into */
	size_t nlines;
	struct cmd **cmds;
	size_t ncmds;
	char ctx[512];
};

/* Messages from here on, and from the parsers, name FILE:LINE. */
static void at(struct restore *r, unsigned int line)
{
	if (line)
		snprintf(r->ctx, sizeof(r->ctx), "restore: %s:%u: ", r->file,
			 line);
	else
		snprintf(r->ctx, sizeof(r->ctx), "restore: %s: ", r->file);
	msg_context = r->ctx;
}

/* Commands are allocated one by one: they point at each other. */
static struct cmd *new_cmd(struct restore *r, enum kind kind,
			   unsigned int line)
{
	struct cmd **p, *c;

	p = realloc(r->cmds, (r->ncmds + 1) * sizeof(*p));
	if (!p)
		return NULL;
	r->cmds = p;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	r->cmds[r->ncmds++] = c;
	c->kind = kind;
	c->line = line;
	return c;
}

static const struct cmd *find(const struct restore *r, enum kind kind,
			      const char *ifname)
{
	for (size_t i = 0; i < r->ncmds; i++)
		if (r->cmds[i]->kind == kind &&
		    !strcmp(r->cmds[i]->ifname, ifname))
			return r->cmds[i];
	return NULL;
}

static int check_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= IF_NAMESIZE || !strcmp(s, ".") ||
	    !strcmp(s, "..") || strpbrk(s, "/:"))
		return fail("'%s' is not a valid interface name", s);
	return 0;
}

static int check_range(const char *what, uint32_t v, uint32_t min,
		       uint32_t max)
{
	if (v < min || v > max)
		return fail("%s %u is out of range: use %u to %u", what, v, min,
			    max);
	return 0;
}

/* What the kernel would refuse in a create, said before anything is done. */
static int check_opts(const struct group_opts *o)
{
	if (o->name) {
		if (strlen(o->name) > IPMP_GROUP_NAME_MAX)
			return fail("group name '%s' is longer than %d bytes",
				    o->name, IPMP_GROUP_NAME_MAX);
		for (const char *p = o->name; *p; p++)
			if (!isgraph((unsigned char)*p))
				return fail("group name '%s' must be printable with no spaces",
					    o->name);
	}
	if (o->has_fdt &&
	    check_range("fdt", o->fdt, IPMP_FDT_MIN_MS, IPMP_FDT_MAX_MS))
		return 1;
	if (o->has_announce_count &&
	    check_range("announce", o->announce_count, 0,
			IPMP_ANNOUNCE_COUNT_MAX))
		return 1;
	if (o->has_announce_interval &&
	    check_range("announce-interval", o->announce_interval,
			IPMP_ANNOUNCE_INTERVAL_MIN_MS,
			IPMP_ANNOUNCE_INTERVAL_MAX_MS))
		return 1;
	return 0;
}

static int parse_create(struct restore *r, unsigned int line, int argc,
			char **argv)
{
	const struct cmd *other;
	struct group_opts o;
	struct cmd *c;

	if (argc < 2)
		return fail("create: missing IPMPIF");
	if (check_ifname(argv[1]) || parse_group_opts(argc - 2, argv + 2, &o) ||
	    check_opts(&o))
		return 1;
	other = find(r, L_CREATE, argv[1]);
	if (other)
		return fail("%s is created twice: first on line %u", argv[1],
			    other->line);
	if (find(r, L_ADD, argv[1]))
		return fail("%s is a member added before", argv[1]);
	c = new_cmd(r, L_CREATE, line);
	if (!c)
		return fail("%s", strerror(ENOMEM));
	c->ifname = argv[1];
	c->opts = o;
	c->name = c->opts.name ? c->opts.name : c->ifname;
	for (size_t i = 0; i + 1 < r->ncmds; i++)
		if (r->cmds[i]->kind == L_CREATE &&
		    !strcmp(r->cmds[i]->name, c->name))
			return fail("group name '%s' is taken by %s on line %u",
				    c->name, r->cmds[i]->ifname, r->cmds[i]->line);
	return 0;
}

static int parse_add(struct restore *r, unsigned int line, int argc,
		     char **argv)
{
	bool standby = argc > 2 && !strcmp(argv[argc - 1], "standby");
	int nifs = argc - 2 - standby;
	const struct cmd *grp, *other;
	struct cmd *c;

	if (argc < 2)
		return fail("add: missing IPMPIF");
	if (nifs < 1)
		return fail("add: missing IF");
	grp = find(r, L_CREATE, argv[1]);
	if (!grp)
		return fail("%s is not created on an earlier line: every line must be about a group the file creates",
			    argv[1]);
	for (int i = 2; i < 2 + nifs; i++) {
		if (check_ifname(argv[i]))
			return 1;
		if (find(r, L_CREATE, argv[i]))
			return fail("%s is a group interface, not a member",
				    argv[i]);
		other = find(r, L_ADD, argv[i]);
		if (other)
			return fail("%s is added twice: first to %s on line %u",
				    argv[i], other->group, other->line);
		c = new_cmd(r, L_ADD, line);
		if (!c)
			return fail("%s", strerror(ENOMEM));
		c->ifname = argv[i];
		c->group = argv[1];
		c->standby = standby;
		c->of = grp;
	}
	return 0;
}

/* "test-address add IF ADDRESS" and "target add IPMPIF ADDRESS" */
static int add_form(const char *verb, const char *what, int argc, char **argv)
{
	if (argc < 2)
		return fail("%s: missing add", verb);
	if (strcmp(argv[1], "add"))
		return fail("%s %s: only '%s add' can be restored", verb,
			    argv[1], verb);
	if (argc < 3)
		return fail("%s add: missing %s", verb, what);
	if (argc < 4)
		return fail("%s add: missing ADDRESS", verb);
	if (argc > 4)
		return fail("%s add: unexpected '%s'", verb, argv[4]);
	return 0;
}

static const char *ntoa(const struct ipmp_ip *a, char *buf)
{
	return ipmp_ip_ntop(a, buf, INET6_ADDRSTRLEN);
}

/* Another test address or target of the same group at @addr, if any. */
static const struct cmd *same_addr(const struct restore *r,
				   const struct cmd *grp,
				   const struct ipmp_ip *addr)
{
	for (size_t i = 0; i < r->ncmds; i++) {
		const struct cmd *c = r->cmds[i];
		const struct cmd *g = c->kind == L_TESTADDR ? c->of->of :
				      c->kind == L_TARGET ? c->of : NULL;

		if (g == grp && ipmp_ip_equal(&c->addr, addr))
			return c;
	}
	return NULL;
}

static int addr_clash(const struct restore *r, const struct cmd *grp,
		      const struct ipmp_ip *addr)
{
	const struct cmd *other = same_addr(r, grp, addr);
	char buf[INET6_ADDRSTRLEN];

	if (!other)
		return 0;
	if (other->kind == L_TARGET)
		return fail("%s is a target of %s already (line %u)",
			    ntoa(addr, buf), grp->ifname, other->line);
	return fail("%s is the test address of %s already (line %u)",
		    ntoa(addr, buf), other->ifname, other->line);
}

static int parse_testaddr_line(struct restore *r, unsigned int line,
			       int argc, char **argv)
{
	const struct cmd *mb, *other;
	struct ipmp_ip addr;
	struct cmd *c;
	uint8_t plen;
	int ret;

	if (add_form("test-address", "IF", argc, argv))
		return 1;
	mb = find(r, L_ADD, argv[2]);
	if (!mb)
		return fail("%s is not added to a group on an earlier line",
			    argv[2]);
	ret = testaddr_parse(argv[3], &addr, &plen);
	if (ret)
		return 1;
	if (addr.family == AF_INET6 && strchr(argv[3], '/'))
		return fail("an IPv6 test address is link-local and takes no /PREFIX");
	for (size_t i = 0; i < r->ncmds; i++) {
		other = r->cmds[i];
		if (other->kind == L_TESTADDR && other->of == mb &&
		    other->addr.family == addr.family)
			return fail("%s is given an %s test address twice: first on line %u",
				    argv[2], addr.family == AF_INET6 ? "IPv6" : "IPv4",
				    other->line);
	}
	if (addr_clash(r, mb->of, &addr))
		return 1;
	c = new_cmd(r, L_TESTADDR, line);
	if (!c)
		return fail("%s", strerror(ENOMEM));
	c->ifname = argv[2];
	c->addr = addr;
	c->prefixlen = plen;
	c->of = mb;
	return 0;
}

static int parse_target_line(struct restore *r, unsigned int line, int argc,
			     char **argv)
{
	const struct cmd *grp;
	struct ipmp_ip addr;
	struct cmd *c;
	size_t n = 0;
	int ret;

	if (add_form("target", "IPMPIF", argc, argv))
		return 1;
	grp = find(r, L_CREATE, argv[2]);
	if (!grp)
		return fail("%s is not created on an earlier line: every line must be about a group the file creates",
			    argv[2]);
	ret = target_parse(argv[3], &addr);
	if (ret || addr_clash(r, grp, &addr))
		return 1;
	for (size_t i = 0; i < r->ncmds; i++)
		n += r->cmds[i]->kind == L_TARGET && r->cmds[i]->of == grp &&
		     r->cmds[i]->addr.family == addr.family;
	if (n == IPMP_TARGETS_MAX)
		return fail("%s has %d %s targets already: a group has at most %d per address family",
			    argv[2], IPMP_TARGETS_MAX,
			    addr.family == AF_INET6 ? "IPv6" : "IPv4",
			    IPMP_TARGETS_MAX);
	c = new_cmd(r, L_TARGET, line);
	if (!c)
		return fail("%s", strerror(ENOMEM));
	c->ifname = argv[2];
	c->addr = addr;
	c->of = grp;
	return 0;
}

#define MAX_WORDS 64

/* One line, cut into words in place; 0, or 1 when it is wrong (said). */
static int parse_line(struct restore *r, unsigned int line, char *s)
{
	char *argv[MAX_WORDS + 1];
	int argc = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || (argc == 0 && *s == '#'))
			break;
		if (argc == MAX_WORDS)
			return fail("too many words");
		argv[argc++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	argv[argc] = NULL;
	if (!argc)
		return 0;
	/* A group name may start with '#'; nothing else that is not a comment. */
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '#' && strcmp(argv[i - 1], "group"))
			return fail("'%s': a comment takes a whole line", argv[i]);
	if (!strcmp(argv[0], "create"))
		return parse_create(r, line, argc, argv);
	if (!strcmp(argv[0], "add"))
		return parse_add(r, line, argc, argv);
	if (!strcmp(argv[0], "test-address"))
		return parse_testaddr_line(r, line, argc, argv);
	if (!strcmp(argv[0], "target"))
		return parse_target_line(r, line, argc, argv);
	return fail("'%s' is not a command restore applies: use create, add, test-address add or target add",
		    argv[0]);
}

static int parse_file(struct restore *r, FILE *f)
{
	char *buf = NULL, **p;
	size_t cap = 0;
	ssize_t len;

	for (unsigned int line = 1; (len = getline(&buf, &cap, f)) >= 0;
	     line++) {
		at(r, line);
		if (memchr(buf, '\0', (size_t)len))
			return fail("a NUL byte: not a text file");
		p = realloc(r->lines, (r->nlines + 1) * sizeof(*p));
		if (!p)
			return fail("%s", strerror(ENOMEM));
		r->lines = p;
		r->lines[r->nlines++] = buf;
		if (parse_line(r, line, buf))
			return 1;
		buf = NULL;
		cap = 0;
	}
	free(buf);
	at(r, 0);
	if (ferror(f))
		return fail("cannot read: %s", strerror(errno));
	return 0;
}

/* --only IF: every command but IF's "add" and test address is skipped. */
static void only(struct restore *r)
{
	for (size_t i = 0; i < r->ncmds; i++) {
		struct cmd *c = r->cmds[i];

		c->skip = !((c->kind == L_ADD || c->kind == L_TESTADDR) &&
			    !strcmp(c->ifname, r->only));
	}
}

static const struct ipmp_member *member_named(const struct ipmp_state *st,
					      const char *ifname)
{
	for (size_t i = 0; i < st->nmembers; i++)
		if (!strcmp(st->members[i].ifname, ifname))
			return &st->members[i];
	return NULL;
}

static const char *group_ifname(const struct ipmp_state *st, uint32_t ifindex)
{
	const struct ipmp_group *g = ipmp_state_group(st, ifindex);

	return g ? g->ifname : "another group";
}

/* The file against the system as it is; nothing is changed. */
static int check_system(struct restore *r, const struct ipmp_state *st)
{
	const struct ipmp_member *m;

	for (size_t i = 0; i < r->ncmds; i++) {
		struct cmd *c = r->cmds[i];

		at(r, c->line);
		if (c->kind == L_TESTADDR)
			c->skip = c->skip || c->of->skip;
		if (c->skip)
			continue;
		if (c->kind == L_CREATE) {
			if (ifname_index(c->ifname))
				return fail("%s exists already: restore makes whole groups (delete it first)",
					    c->ifname);
			for (size_t j = 0; j < st->ngroups; j++)
				if (!strcmp(st->groups[j].name, c->name))
					return fail("group name '%s' is taken by %s",
						    c->name,
						    st->groups[j].ifname);
		} else if (c->kind == L_ADD) {
			m = member_named(st, c->ifname);
			if (m)
				return fail("%s is a member of %s already",
					    c->ifname,
					    group_ifname(st, m->group_ifindex));
			c->ifindex = ifname_index(c->ifname);
			if (c->ifindex)
				continue;
			if (!r->missing_ok)
				return fail("%s: no such interface (--missing-ok skips members whose device is missing)",
					    c->ifname);
			warn("%s: no such interface: skipped, with its test address",
			     c->ifname);
			c->skip = true;
		}
	}
	return 0;
}

/* --only: IF's lines, to its group as it is now. */
static int check_only(struct restore *r, const struct ipmp_state *st)
{
	const struct ipmp_member *m;
	struct cmd *add = NULL;
	uint32_t gidx;

	for (size_t i = 0; i < r->ncmds; i++)
		if (!r->cmds[i]->skip && r->cmds[i]->kind == L_ADD)
			add = r->cmds[i];
	if (!add)
		return 0;
	at(r, add->line);
	gidx = ifname_index(add->group);
	if (!gidx || !ipmp_state_group(st, gidx)) {
		/* No group yet: the restore that makes it adds IF too. */
		for (size_t i = 0; i < r->ncmds; i++)
			r->cmds[i]->skip = true;
		return 0;
	}
	m = member_named(st, add->ifname);
	if (m && m->group_ifindex != gidx)
		return fail("%s is a member of %s, not of %s", add->ifname,
			    group_ifname(st, m->group_ifindex), add->group);
	if (m) {
		add->skip = true;
		add->ifindex = m->ifindex;
		for (size_t i = 0; i < r->ncmds; i++)
			if (r->cmds[i]->kind == L_TESTADDR &&
			    r->cmds[i]->of == add &&
			    (r->cmds[i]->addr.family == AF_INET6 ?
			     m->testaddr6_configured : m->has_testaddr))
				r->cmds[i]->skip = true;
		return 0;
	}
	add->ifindex = ifname_index(add->ifname);
	if (!add->ifindex)
		return fail("%s: no such interface", add->ifname);
	return 0;
}

/* IFF_UP of @ifname, read or (@set) cleared; -1 when that fails. */
static int if_up(const char *ifname, bool clear)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ret = !!(ifr.ifr_flags & IFF_UP);
		if (clear && ret) {
			ifr.ifr_flags &= ~IFF_UP;
			ret = ioctl(fd, SIOCSIFFLAGS, &ifr) ? -1 : 0;
		}
	}
	close(fd);
	return ret;
}

/* One command; 0, or 1 with the kernel's refusal said. */
static int apply_one(struct ipmp_nl *nl, struct cmd *c)
{
	char buf[INET6_ADDRSTRLEN];
	uint32_t gidx;
	int err;

	switch (c->kind) {
	case L_CREATE:
		err = group_create(nl, c->ifname, &c->opts);
		if (err)
			return fail("create %s: %s", c->ifname,
				    ipmp_nl_error(nl, err));
		return 0;
	case L_ADD:
		c->was_down = !if_up(c->ifname, false);
		gidx = ifname_index(c->group);
		err = gidx ? member_add_request(nl, gidx, c->ifindex, c->standby) :
			     -ENODEV;
		if (err)
			return fail("add %s to %s: %s", c->ifname, c->group,
				    ipmp_nl_error(nl, err));
		return 0;
	case L_TESTADDR:
		err = testaddr_request(nl, true, c->of->ifindex, &c->addr,
				       c->prefixlen);
		if (err && c->addr.family == AF_INET6)
			return fail("test-address add %s %s: %s", c->ifname,
				    ntoa(&c->addr, buf), ipmp_nl_error(nl, err));
		if (err)
			return fail("test-address add %s %s/%u: %s", c->ifname,
				    ntoa(&c->addr, buf), c->prefixlen,
				    ipmp_nl_error(nl, err));
		return 0;
	case L_TARGET:
		gidx = ifname_index(c->ifname);
		err = gidx ? target_request(nl, true, gidx, &c->addr) : -ENODEV;
		if (err)
			return fail("target add %s %s: %s", c->ifname,
				    ntoa(&c->addr, buf), ipmp_nl_error(nl, err));
		return 0;
	}
	return 1;
}

/* Undo: the groups created (their members are released), else IF's add. */
static void undo(struct restore *r, struct ipmp_nl *nl, size_t done)
{
	size_t last = done;	/* the refused one is undone too: it may have half happened */
	uint32_t ifindex;
	int err;

	at(r, 0);
	while (done--) {
		struct cmd *c = r->cmds[done];

		if (c->skip)
			continue;
		if (c->kind == L_CREATE) {
			ifindex = ifname_index(c->ifname);
			err = ifindex ? group_delete(nl, ifindex) : -ENODEV;
			if (err)
				warn("cannot delete %s again: %s", c->ifname,
				     ipmp_nl_error(nl, err));
		} else if (c->kind == L_ADD && r->only) {
			err = member_del_request(nl, 0, c->ifindex, NULL);
			if (err)
				warn("cannot remove %s again: %s", c->ifname,
				     ipmp_nl_error(nl, err));
		}
	}
	/* Released members stay up; those that were down go down again. */
	for (size_t i = 0; i <= last; i++) {
		struct cmd *c = r->cmds[i];

		if (!c->skip && c->kind == L_ADD && c->was_down &&
		    if_up(c->ifname, true) < 0)
			warn("cannot set %s down again", c->ifname);
	}
	fail("nothing was applied");
}

static int apply(struct restore *r, struct ipmp_nl *nl)
{
	for (size_t i = 0; i < r->ncmds; i++) {
		if (r->cmds[i]->skip)
			continue;
		at(r, r->cmds[i]->line);
		if (apply_one(nl, r->cmds[i])) {
			undo(r, nl, i);
			return EXIT_FAILURE;
		}
	}
	return 0;
}

static int fetch(struct ipmp_nl *nl, struct ipmp_state *st)
{
	int err = ipmp_dump_groups(nl, st);

	if (!err)
		err = ipmp_dump_members(nl, 0, st);
	if (err)
		return fail("cannot read the groups: %s", ipmp_nl_error(nl, err));
	return 0;
}

static int restore(struct restore *r, FILE *f)
{
	struct ipmp_state st = { 0 };
	struct ipmp_nl *nl;
	int ret;

	if (parse_file(r, f))
		return EXIT_FAILURE;
	if (r->only)
		only(r);
	at(r, 0);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = fetch(nl, &st);
	if (!ret)
		ret = r->only ? check_only(r, &st) : check_system(r, &st);
	if (!ret)
		ret = apply(r, nl);
	ipmp_state_free(&st);
	ipmp_nl_close(nl);
	return ret;
}

static int parse_options(struct restore *r, int argc, char **argv,
			 const char **path)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--missing-ok")) {
			r->missing_ok = true;
		} else if (!strcmp(a, "--only") || !strncmp(a, "--only=", 7)) {
			if (r->only)
				return usage_fail(restore_usage,
						  "'--only' given twice");
			if (a[6] == '=')
				r->only = a + 7;
			else if (++i < argc)
				r->only = argv[i];
			else
				return usage_fail(restore_usage,
						  "'--only' needs an interface");
			if (!*r->only)
				return usage_fail(restore_usage,
						  "'--only' needs an interface");
		} else if (a[0] == '-' && a[1]) {
			return usage_fail(restore_usage,
					  "unknown option '%s'", a);
		} else {
			break;
		}
	}
	if (i < argc)
		*path = argv[i++];
	if (i < argc)
		return usage_fail(restore_usage, "unexpected '%s'", argv[i]);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	struct restore r = { 0 };
	const char *path = "-";
	FILE *f = stdin;
	int ret;

	if (help_requested(argc, argv))
		return print_help(restore_help);
	ret = parse_options(&r, argc, argv, &path);
	if (ret)
		return ret;
	r.file = strcmp(path, "-") ? path : "<stdin>";
	if (strcmp(path, "-")) {
		f = fopen(path, "re");
		if (!f)
			return fail("restore: %s: %s", path, strerror(errno));
		/* The boot's restore and udev's may run together. */
		if (flock(fileno(f), LOCK_EX))
			warn("restore: %s: cannot lock: %s", path,
			     strerror(errno));
	}
	ret = restore(&r, f);
	msg_context = "";
	if (f != stdin)
		fclose(f);
	for (size_t i = 0; i < r.nlines; i++)
		free(r.lines[i]);
	for (size_t i = 0; i < r.ncmds; i++)
		free(r.cmds[i]);
	free(r.lines);
	free(r.cmds);
	return ret;
}
