// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpadm monitor [-j] [probes]: the kernel announces every change on the
 * multicast group "events" (and each probe on "probes"); one line each, as
 * it comes, like "ip monitor", until SIGINT or SIGTERM.  A line's first
 * words say what changed, in a form to grep; the rest are the words of
 * "ipmpadm show".
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipmpadm.h"

static const char monitor_usage[] = "ipmpadm monitor [-j] [probes]";

static const char monitor_help[] =
	"usage: ipmpadm monitor [-j] [probes]\n"
	"\n"
	"Print a line for each change to the IPMP groups of this network\n"
	"namespace as the kernel announces it, until SIGINT or SIGTERM (exit\n"
	"status 0).  Each line is flushed as it is written and has no time\n"
	"stamp.  The first words of each line say what changed, and stay as\n"
	"they are; the rest are the words of 'ipmpadm show':\n"
	"\n"
	"  group IPMPIF created state STATE members N active N name NAME SETTINGS\n"
	"  group IPMPIF state STATE members N active N name NAME SETTINGS\n"
	"  group IPMPIF deleted\n"
	"  member IF group IPMPIF added state STATE link LINK probe PROBE MORE\n"
	"  member IF group IPMPIF state STATE link LINK probe PROBE MORE\n"
	"  member IF group IPMPIF removed\n"
	"  address ADDRESS group IPMPIF inbound IF\n"
	"  address ADDRESS group IPMPIF unbound\n"
	"  probe IF group IPMPIF target ADDRESS seq N answered netrtt T rtt T\n"
	"  probe IF group IPMPIF target ADDRESS seq N lost\n"
	"\n"
	"A group line without 'created' says that its state, its number of\n"
	"members or of active members, or a setting changed; SETTINGS are 'fdt\n"
	"MSms failback yes|no probing on|off announce N announce-interval MSms\n"
	"naddrs N' and the targets, as 'ipmpadm show' prints them.  A member\n"
	"line without 'added' says that something 'ipmpstat -i' shows changed\n"
	"(MORE: 'active yes|no flags FLAGS naddrs N', then testaddr, rtt and\n"
	"standby when they apply); 'removed' means it left the group, while\n"
	"'state removed' is a member whose device went away, its place kept.\n"
	"An address line names the member a data address was bound or moved\n"
	"to, its inbound interface, or says that no member is active to take it.\n"
	"A line 'monitor lost: ...' ({\"object\": \"monitor\", \"event\":\n"
	"\"lost\"} with -j) says that the kernel dropped notifications this\n"
	"tool did not read in time; what follows is still reported.\n"
	"A probe line ends with 'rttavg T rttdev T' once the target's\n"
	"round-trip time is known.  Times T are milliseconds ('0.42ms').  Later\n"
	"versions may add words at the end of a line.\n"
	"\n"
	"  -j      one JSON object per line (JSON Lines): \"object\" (group,\n"
	"          member, address or probe), \"event\" (created, changed or\n"
	"          deleted; added, changed or removed; bound or unbound;\n"
	"          answered or lost), then the keys of the object in\n"
	"          'ipmpadm show -j'; member, address and probe objects have\n"
	"          \"group\", the IPMPIF; probe objects \"ifname\", \"group\",\n"
	"          \"target\", \"seq\", and \"netrtt_us\", \"rtt_us\",\n"
	"          \"rttavg_us\", \"rttdev_us\" in microseconds or null\n"
	"  probes  also every probe answered or lost, as 'ipmpstat -p' shows\n"
	"          them; needs CAP_NET_ADMIN\n"
	"\n"
	"Without 'probes' it needs no privilege.\n";

/* A name for @ifindex: the system's, else that of a group or member seen. */
static const char *name_of(const struct monitor *mon, uint32_t ifindex,
			   char *buf)
{
	const struct ipmp_group *g = NULL;
	const struct ipmp_member *m = NULL;

	if (ifindex && mon->ifname && mon->ifname(ifindex, buf))
		return buf;
	if (ifindex) {
		g = ipmp_state_group(&mon->known, ifindex);
		m = ipmp_state_member(&mon->known, ifindex);
	}
	if (g || m)
		snprintf(buf, IF_NAMESIZE, "%s", g ? g->ifname : m->ifname);
	else
		snprintf(buf, IF_NAMESIZE, "?%u", ifindex);
	return buf;
}

/*
 * The groups and members known by their last notification, for their
 * names.  Members whose device went away have no ifindex: not kept.  Out of
 * memory, a name is forgotten; nothing worse.
 */
static void remember_group(struct monitor *mon, const struct ipmp_group *g)
{
	struct ipmp_group *old = (struct ipmp_group *)
				 ipmp_state_group(&mon->known, g->ifindex);

	if (old)
		*old = *g;
	else
		ipmp_state_add_group(&mon->known, g);
}

static void remember_member(struct monitor *mon, const struct ipmp_member *m)
{
	struct ipmp_member *old = (struct ipmp_member *)
				  ipmp_state_member(&mon->known, m->ifindex);

	if (!m->ifindex)
		return;
	if (old)
		*old = *m;
	else
		ipmp_state_add_member(&mon->known, m);
}

/* The last one takes the place of the one forgotten. */
static void forget_group(struct monitor *mon, uint32_t ifindex)
{
	struct ipmp_state *st = &mon->known;
	const struct ipmp_group *g = ipmp_state_group(st, ifindex);

	if (g)
		st->groups[g - st->groups] = st->groups[--st->ngroups];
}

static void forget_member(struct monitor *mon, uint32_t ifindex)
{
	struct ipmp_state *st = &mon->known;
	const struct ipmp_member *m = ipmp_state_member(st, ifindex);

	if (m && ifindex)
		st->members[m - st->members] = st->members[--st->nmembers];
}

static void group_line(FILE *f, const struct ipmp_group *g, uint8_t cmd)
{
	char state[ENUM_LEN];

	if (cmd == IPMP_CMD_GROUP_DEL) {
		fprintf(f, "group %s deleted\n", g->ifname);
		return;
	}
	fprintf(f, "group %s%s state %s members %u active %u name %s",
		g->ifname, cmd == IPMP_CMD_GROUP_NEW ? " created" : "",
		group_state_str(g->state, state, sizeof(state)), g->nmembers,
		g->nactive, g->name);
	show_group_settings(f, g);
	fputc('\n', f);
}

static void member_line(FILE *f, const struct ipmp_member *m,
			const char *group, uint8_t cmd)
{
	fprintf(f, "member %s group %s", m->ifname, group);
	if (cmd == IPMP_CMD_MEMBER_DEL) {
		fputs(" removed\n", f);
		return;
	}
	if (cmd == IPMP_CMD_MEMBER_ADD)
		fputs(" added", f);
	show_member_fields(f, m);
	fputc('\n', f);
}

static void addr_line(FILE *f, const struct ipmp_addr *a, const char *group,
		      const char *inbound)
{
	char addr[ADDR_LEN];

	fprintf(f, "address %s group %s", addr_str(a, false, addr, sizeof(addr)),
		group);
	if (inbound)
		fprintf(f, " inbound %s\n", inbound);
	else
		fputs(" unbound\n", f);
}

static void addr_removed_line(FILE *f, const struct ipmp_addr *a,
			      const char *group)
{
	char addr[ADDR_LEN];

	fprintf(f, "address %s group %s removed\n",
		addr_str(a, false, addr, sizeof(addr)), group);
}

static void rtt_word(FILE *f, const char *key, bool has, uint32_t us)
{
	char t[ENUM_LEN];

	if (has)
		fprintf(f, " %s %s", key, rtt_str(us, t, sizeof(t)));
}

static void probe_line(FILE *f, const struct ipmp_probe *p, const char *group)
{
	char addr[ADDR_LEN];

	fprintf(f, "probe %s group %s target %s seq %u %s", p->ifname, group,
		addr_str(&p->target, false, addr, sizeof(addr)), p->seq,
		p->result == IPMP_PROBE_LOST ? "lost" : "answered");
	rtt_word(f, "netrtt", p->has_netrtt, p->netrtt_us);
	rtt_word(f, "rtt", p->has_rtt, p->rtt_us);
	rtt_word(f, "rttavg", p->has_rttavg, p->rttavg_us);
	rtt_word(f, "rttdev", p->has_rttdev, p->rttdev_us);
	fputc('\n', f);
}

static void json_us(struct json *j, const char *key, bool has, uint32_t us)
{
	if (has)
		json_uint(j, key, us);
	else
		json_string(j, key, NULL);
}

static void probe_json(struct json *j, const struct ipmp_probe *p)
{
	char addr[ADDR_LEN];

	json_string(j, "ifname", p->ifname);
	json_string(j, "target", addr_str(&p->target, false, addr,
					  sizeof(addr)));
	json_uint(j, "seq", p->seq);
	json_us(j, "netrtt_us", p->has_netrtt, p->netrtt_us);
	json_us(j, "rtt_us", p->has_rtt, p->rtt_us);
	json_us(j, "rttavg_us", p->has_rttavg, p->rttavg_us);
	json_us(j, "rttdev_us", p->has_rttdev, p->rttdev_us);
}

static const char *event_word(const struct monitor_event *ev)
{
	switch (ev->cmd) {
	case IPMP_CMD_GROUP_NEW:
		return "created";
	case IPMP_CMD_GROUP_DEL:
		return "deleted";
	case IPMP_CMD_MEMBER_ADD:
		return "added";
	case IPMP_CMD_MEMBER_DEL:
		return "removed";
	case IPMP_CMD_ADDR_GET:
		return ev->addr.bound_ifindex ? "bound" : "unbound";
	case IPMP_CMD_ADDR_DEL:
		return "removed";
	case IPMP_CMD_PROBE:
		return ev->probe.result == IPMP_PROBE_LOST ? "lost" : "answered";
	default:
		return "changed";
	}
}

static void event_json(FILE *f, const struct monitor_event *ev,
		       const char *object, const char *group,
		       const char *inbound)
{
	struct json j;

	json_init_oneline(&j, f);
	json_begin_object(&j, NULL);
	json_string(&j, "object", object);
	json_string(&j, "event", event_word(ev));
	if (group)
		json_string(&j, "group", group);
	if (!strcmp(object, "group"))
		show_group_json_fields(&j, &ev->group);
	else if (!strcmp(object, "member"))
		show_member_json_fields(&j, &ev->member);
	else if (!strcmp(object, "address"))
		show_addr_json_fields(&j, &ev->addr, inbound);
	else
		probe_json(&j, &ev->probe);
	json_end_object(&j);
}

static void print_group(FILE *f, struct monitor *mon,
			const struct monitor_event *ev)
{
	if (mon->json)
		event_json(f, ev, "group", NULL, NULL);
	else
		group_line(f, &ev->group, ev->cmd);
	if (ev->cmd == IPMP_CMD_GROUP_DEL)
		forget_group(mon, ev->group.ifindex);
	else
		remember_group(mon, &ev->group);
}

static void print_member(FILE *f, struct monitor *mon,
			 const struct monitor_event *ev)
{
	char group[IF_NAMESIZE];

	name_of(mon, ev->member.group_ifindex, group);
	if (mon->json)
		event_json(f, ev, "member", group, NULL);
	else
		member_line(f, &ev->member, group, ev->cmd);
	if (ev->cmd == IPMP_CMD_MEMBER_DEL)
		forget_member(mon, ev->member.ifindex);
	else
		remember_member(mon, &ev->member);
}

static void print_addr(FILE *f, struct monitor *mon,
		       const struct monitor_event *ev)
{
	char group[IF_NAMESIZE], bound[IF_NAMESIZE];
	const char *inbound = NULL;

	name_of(mon, ev->addr.group_ifindex, group);
	if (ev->addr.bound_ifindex)
		inbound = name_of(mon, ev->addr.bound_ifindex, bound);
	if (mon->json)
		event_json(f, ev, "address", group, inbound);
	else if (ev->cmd == IPMP_CMD_ADDR_DEL)
		addr_removed_line(f, &ev->addr, group);
	else
		addr_line(f, &ev->addr, group, inbound);
}

static void print_probe(FILE *f, struct monitor *mon,
			const struct monitor_event *ev)
{
	char group[IF_NAMESIZE];

	name_of(mon, ev->probe.target.group_ifindex, group);
	if (mon->json)
		event_json(f, ev, "probe", group, NULL);
	else
		probe_line(f, &ev->probe, group);
}

/* Notifications of commands this tool does not know are left out. */
void monitor_print(FILE *f, struct monitor *mon, const struct monitor_event *ev)
{
	switch (ev->cmd) {
	case IPMP_CMD_GROUP_NEW:
	case IPMP_CMD_GROUP_DEL:
	case IPMP_CMD_GROUP_SET:
		print_group(f, mon, ev);
		break;
	case IPMP_CMD_MEMBER_ADD:
	case IPMP_CMD_MEMBER_DEL:
	case IPMP_CMD_MEMBER_SET:
		print_member(f, mon, ev);
		break;
	case IPMP_CMD_ADDR_GET:
	case IPMP_CMD_ADDR_DEL:
		print_addr(f, mon, ev);
		break;
	case IPMP_CMD_PROBE:
		print_probe(f, mon, ev);
		break;
	}
}

/*
 * The kernel dropped notifications that were not read in time (ENOBUFS):
 * a line in the stream says so, so that its reader knows of the gap.
 */
void monitor_print_lost(FILE *f, const struct monitor *mon)
{
	if (mon->json)
		fputs("{\"object\": \"monitor\", \"event\": \"lost\"}\n", f);
	else
		fputs("monitor lost: some notifications were not read in time\n",
		      f);
}

/* 0, a negative errno (malformed), or 1: nothing to print. */
static int parse_event(uint8_t cmd, struct nlattr **tb,
		       struct monitor_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->cmd = cmd;
	switch (cmd) {
	case IPMP_CMD_GROUP_NEW:
	case IPMP_CMD_GROUP_DEL:
	case IPMP_CMD_GROUP_SET:
		return ipmp_parse_group(tb, &ev->group);
	case IPMP_CMD_MEMBER_ADD:
	case IPMP_CMD_MEMBER_DEL:
	case IPMP_CMD_MEMBER_SET:
		return ipmp_parse_member(tb, &ev->member);
	case IPMP_CMD_ADDR_GET:
	case IPMP_CMD_ADDR_DEL:
		return ipmp_parse_addr(tb, &ev->addr);
	case IPMP_CMD_PROBE:
		return ipmp_parse_probe(tb, &ev->probe);
	default:
		return 1;
	}
}

struct listener {
	struct monitor *mon;
	int write_err;
};

/* Each line is flushed: monitor is read through pipes as it runs. */
static int one_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct listener *l = arg;
	struct monitor_event ev;
	int err = parse_event(cmd, tb, &ev);

	if (err < 0)
		warn("ignoring a malformed notification from the kernel");
	if (err)
		return 0;
	monitor_print(stdout, l->mon, &ev);
	if (fflush(stdout) == EOF) {
		l->write_err = errno;
		return -EIO;
	}
	return 0;
}

static int listen_loop(struct ipmp_nl *nl, struct monitor *mon,
		       const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = ipmp_nl_fd(nl), .events = POLLIN };
	struct listener l = { .mon = mon };
	int err;

	while (!stop_requested()) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return fail("monitor: cannot wait for notifications: %s",
				    strerror(errno));
		}
		err = ipmp_nl_receive(nl, one_event, &l);
		if (l.write_err)
			return fail("monitor: cannot write: %s",
				    strerror(l.write_err));
		if (err == -ENOBUFS) {
			warn("some notifications were lost: ipmpadm monitor did not read them in time");
			monitor_print_lost(stdout, mon);
			fflush(stdout);
		} else if (err == -EBADMSG)
			warn("%s", ipmp_nl_error(nl, err));
		else if (err)
			return fail("monitor: cannot read notifications: %s",
				    ipmp_nl_error(nl, err));
	}
	return 0;
}

/*
 * The names of the groups and members there are, for the notifications
 * that name them by ifindex once the system no longer can (a group being
 * deleted).  Asked before joining: the socket then only listens.
 */
static int learn_names(struct ipmp_nl *nl, struct monitor *mon)
{
	int err = ipmp_dump_groups(nl, &mon->known);

	if (!err)
		err = ipmp_dump_members(nl, 0, &mon->known);
	if (err)
		return fail("monitor: %s", ipmp_nl_error(nl, err));
	return 0;
}

static int join(struct ipmp_nl *nl, const char *group, const char *what)
{
	int err = ipmp_nl_join(nl, group);

	if (err == -EPERM)
		return fail("monitor %s: permission denied: %s need CAP_NET_ADMIN",
			    group, what);
	if (err == -ENOENT)
		return fail("monitor %s: not supported by this ipmp module (no %s multicast group)",
			    group, group);
	if (err)
		return fail("monitor %s: cannot listen: %s", group,
			    ipmp_nl_error(nl, err));
	return 0;
}

static int parse_monitor(int argc, char **argv, bool *json, bool *probes)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j"))
			*json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_fail(monitor_usage, "unknown option '%s'",
					  argv[i]);
		else if (!strcmp(argv[i], "probes") && !*probes)
			*probes = true;
		else
			return usage_fail(monitor_usage, "unexpected '%s'",
					  argv[i]);
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor mon = { .ifname = if_indextoname };
	bool probes = false;
	struct ipmp_nl *nl;
	sigset_t waitmask;
	int ret;

	/* No argument is a name: "-h" anywhere asks for help. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h"))
			return print_help(monitor_help);
	if (help_requested(argc, argv))
		return print_help(monitor_help);
	ret = parse_monitor(argc, argv, &mon.json, &probes);
	if (ret)
		return ret;
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	catch_stop_signals(&waitmask);
	ret = learn_names(nl, &mon);
	if (!ret && probes)
		ret = join(nl, IPMP_MCGRP_PROBES, "probe reports");
	if (!ret)
		ret = join(nl, IPMP_MCGRP_EVENTS, "notifications");
	if (!ret)
		ret = listen_loop(nl, &mon, &waitmask);
	ipmp_state_free(&mon.known);
	ipmp_nl_close(nl);
	return ret;
}
