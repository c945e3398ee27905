// SPDX-License-Identifier: GPL-2.0
/* ipmpadm show: groups, their members and data addresses, text or JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipmpadm.h"

static const char show_usage[] = "ipmpadm show [IPMPIF] [-j]";

static const char show_help[] =
	"usage: ipmpadm show [IPMPIF] [-j]\n"
	"\n"
	"Show every IPMP group (or only IPMPIF), its member interfaces and its\n"
	"data addresses with the member each is bound to (its inbound interface):\n"
	"\n"
	"  ipmp0: group ipmp0 state ok fdt 10000ms failback yes probing on announce 3 announce-interval 1000ms naddrs 2 targets 192.0.2.1 192.0.2.2\n"
	"    eth0: state ok link up probe ok active yes flags --bmM-- naddrs 1 testaddr 192.0.2.31/24 rtt 0.42ms\n"
	"    eth1: state ok link up probe ok active yes flags ------- naddrs 1 testaddr 192.0.2.32/24 rtt 0.51ms\n"
	"    eth2: state ok link up probe disabled active no flags is----- naddrs 0 standby\n"
	"    address 192.0.2.10/24 state up inbound eth0\n"
	"    address 2001:db8::10/64 state up inbound eth1\n"
	"\n"
	"FLAGS are those of 'ipmpstat -i': i inactive, s standby, b IPv4\n"
	"broadcast nominee, m IPv4 multicast nominee, M IPv6 multicast nominee,\n"
	"d down, h duplicate hardware address.  naddrs counts the data addresses\n"
	"of a group, or those bound to a member; targets (targets6) are the IPv4\n"
	"(IPv6) probe targets in force, in firing order, followed by where they\n"
	"come from unless they are static (see 'ipmpadm target', 'ipmpstat -t');\n"
	"a member whose device went away is listed with state removed; testaddr\n"
	"is a member's IPv4 test address, testaddr6 the IPv6 one it probes from\n"
	"(see 'ipmpadm test-address'), rtt the round-trip time of its last\n"
	"answered probe; each is left out when there is none.  inbound is -- for\n"
	"an address bound to no member.\n"
	"\n"
	"  -j  print a JSON array of group objects, each with a \"targets\",\n"
	"      a \"targets6\", a \"members\" and an \"addresses\" array; a\n"
	"      member's \"testaddr\" is \"ADDRESS/PREFIX\" or null, its \"testaddr6\"\n"
	"      an address or null, its \"rtt_us\" microseconds or null\n"
	"\n"
	"'ipmpadm' with no command is 'ipmpadm show'.  Needs no privilege.\n";

/* " state ... [standby]": a member's line after its name. */
void show_member_fields(FILE *f, const struct ipmp_member *m)
{
	char st[ENUM_LEN], ln[ENUM_LEN], pr[ENUM_LEN], fl[FLAGS_LEN];
	char ta[ADDR_LEN];

	fprintf(f, " state %s link %s probe %s active %s flags %s",
		member_state_str(m->state, st, sizeof(st)),
		link_state_str(m->link, ln, sizeof(ln)),
		probe_state_str(m->probe, pr, sizeof(pr)),
		m->active ? "yes" : "no", member_flags_str(m, fl, sizeof(fl)));
	if (m->has_naddrs)
		fprintf(f, " naddrs %u", m->naddrs);
	if (m->has_testaddr)
		fprintf(f, " testaddr %s", testaddr_str(m, ta, sizeof(ta)));
	if (m->has_testaddr6)
		fprintf(f, " testaddr6 %s", testaddr6_str(m, ta, sizeof(ta)));
	if (m->has_rtt)
		fprintf(f, " rtt %s", rtt_str(m->rtt_us, ta, sizeof(ta)));
	if (m->standby)
		fputs(" standby", f);
}

static void show_member_text(FILE *f, const struct ipmp_member *m)
{
	fprintf(f, "  %s:", m->ifname);
	show_member_fields(f, m);
	fputc('\n', f);
}

static void show_addr_text(FILE *f, const struct ipmp_state *st,
			   const struct ipmp_addr *a)
{
	char addr[ADDR_LEN], bound[IF_NAMESIZE + 16];

	fprintf(f, "  address %s state %s inbound %s\n",
		addr_str(a, true, addr, sizeof(addr)), a->up ? "up" : "down",
		a->bound_ifindex ? member_name(st, a->bound_ifindex, bound,
					       sizeof(bound)) : "--");
}

/* " fdt ... [targets ...]": a group's settings, after its state. */
void show_group_settings(FILE *f, const struct ipmp_group *g)
{
	char mode[ENUM_LEN], addr[ADDR_LEN];
	struct ipmp_addr t;

	fprintf(f, " fdt %ums", g->fdt);
	if (g->fdt_current > g->fdt)
		fprintf(f, " (%ums in force)", g->fdt_current);
	fprintf(f, " failback %s probing %s", g->failback ? "yes" : "no",
		g->probing ? "on" : "off");
	if (g->has_announce)
		fprintf(f, " announce %u announce-interval %ums",
			g->announce_count, g->announce_interval);
	if (g->has_naddrs)
		fprintf(f, " naddrs %u", g->naddrs);
	for (uint32_t i = 0; i < g->ntargets; i++) {
		target_addr(g, i, &t);
		fprintf(f, "%s%s", i ? " " : " targets ",
			addr_str(&t, false, addr, sizeof(addr)));
	}
	if (g->ntargets && g->target_mode != IPMP_TARGETS_STATIC)
		fprintf(f, " (%s)", target_mode_str(g->target_mode, mode,
						    sizeof(mode)));
	for (uint32_t i = 0; i < g->ntargets6; i++) {
		target6_addr(g, i, &t);
		fprintf(f, "%s%s", i ? " " : " targets6 ",
			addr_str(&t, false, addr, sizeof(addr)));
	}
	if (g->ntargets6 && g->target_mode6 != IPMP_TARGETS_STATIC)
		fprintf(f, " (%s)", target_mode_str(g->target_mode6, mode,
						    sizeof(mode)));
}

static void show_group_text(FILE *f, const struct ipmp_state *st,
			    const struct ipmp_group *g)
{
	char state[ENUM_LEN];

	fprintf(f, "%s: group %s state %s", g->ifname, g->name,
		group_state_str(g->state, state, sizeof(state)));
	show_group_settings(f, g);
	fputc('\n', f);
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].group_ifindex == g->ifindex)
			show_member_text(f, &st->members[i]);
	for (size_t i = 0; i < st->naddrs; i++)
		if (st->addrs[i].group_ifindex == g->ifindex)
			show_addr_text(f, st, &st->addrs[i]);
}

/* Like "wg show": one block per group, a blank line between blocks. */
void show_text(FILE *f, const struct ipmp_state *st)
{
	for (size_t i = 0; i < st->ngroups; i++) {
		if (i)
			fputc('\n', f);
		show_group_text(f, st, &st->groups[i]);
	}
}

/* The keys of a member object, into one already begun. */
void show_member_json_fields(struct json *j, const struct ipmp_member *m)
{
	char st[ENUM_LEN], ln[ENUM_LEN], pr[ENUM_LEN], fl[FLAGS_LEN];
	char ta[ADDR_LEN];

	json_string(j, "ifname", m->ifname);
	json_uint(j, "ifindex", m->ifindex);
	json_string(j, "state", member_state_str(m->state, st, sizeof(st)));
	json_string(j, "link", link_state_str(m->link, ln, sizeof(ln)));
	json_string(j, "probe", probe_state_str(m->probe, pr, sizeof(pr)));
	json_bool(j, "active", m->active);
	json_bool(j, "standby", m->standby);
	json_string(j, "flags", member_flags_str(m, fl, sizeof(fl)));
	if (m->has_naddrs)
		json_uint(j, "naddrs", m->naddrs);
	json_string(j, "testaddr", testaddr_str(m, ta, sizeof(ta)));
	json_string(j, "testaddr6", testaddr6_str(m, ta, sizeof(ta)));
	if (m->has_rtt)
		json_uint(j, "rtt_us", m->rtt_us);
	else
		json_string(j, "rtt_us", NULL);
}

static void show_member_json(struct json *j, const struct ipmp_member *m)
{
	json_begin_object(j, NULL);
	show_member_json_fields(j, m);
	json_end_object(j);
}

/* @inbound: the name of the member it is bound to, or NULL. */
void show_addr_json_fields(struct json *j, const struct ipmp_addr *a,
			   const char *inbound)
{
	char addr[ADDR_LEN];

	json_string(j, "address", addr_str(a, false, addr, sizeof(addr)));
	json_uint(j, "prefixlen", a->prefixlen);
	json_string(j, "family", a->family == AF_INET ? "inet" : "inet6");
	json_string(j, "state", a->up ? "up" : "down");
	json_string(j, "inbound", inbound);
}

static void show_addr_json(struct json *j, const struct ipmp_state *st,
			   const struct ipmp_addr *a)
{
	char bound[IF_NAMESIZE + 16];

	json_begin_object(j, NULL);
	show_addr_json_fields(j, a, a->bound_ifindex ?
			      member_name(st, a->bound_ifindex, bound,
					  sizeof(bound)) : NULL);
	json_end_object(j);
}

/* The keys of a group object but its members and addresses. */
void show_group_json_fields(struct json *j, const struct ipmp_group *g)
{
	char state[ENUM_LEN], addr[ADDR_LEN];
	struct ipmp_addr t;

	json_string(j, "ifname", g->ifname);
	json_uint(j, "ifindex", g->ifindex);
	json_string(j, "group", g->name);
	json_string(j, "state", group_state_str(g->state, state, sizeof(state)));
	json_uint(j, "fdt", g->fdt);
	json_uint(j, "fdt_current", g->fdt_current);
	json_bool(j, "failback", g->failback);
	json_bool(j, "probing", g->probing);
	if (g->has_announce) {
		json_uint(j, "announce_count", g->announce_count);
		json_uint(j, "announce_interval", g->announce_interval);
	}
	json_uint(j, "nmembers", g->nmembers);
	json_uint(j, "nactive", g->nactive);
	if (g->has_naddrs)
		json_uint(j, "naddrs", g->naddrs);
	json_string(j, "target_mode",
		    target_mode_str(g->target_mode, state, sizeof(state)));
	json_begin_array(j, "targets");
	for (uint32_t i = 0; i < g->ntargets; i++) {
		target_addr(g, i, &t);
		json_string(j, NULL, addr_str(&t, false, addr, sizeof(addr)));
	}
	json_end_array(j);
	json_string(j, "target_mode6",
		    target_mode_str(g->target_mode6, state, sizeof(state)));
	json_begin_array(j, "targets6");
	for (uint32_t i = 0; i < g->ntargets6; i++) {
		target6_addr(g, i, &t);
		json_string(j, NULL, addr_str(&t, false, addr, sizeof(addr)));
	}
	json_end_array(j);
}

static void show_group_json(struct json *j, const struct ipmp_state *st,
			    const struct ipmp_group *g)
{
	json_begin_object(j, NULL);
	show_group_json_fields(j, g);
	json_begin_array(j, "members");
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].group_ifindex == g->ifindex)
			show_member_json(j, &st->members[i]);
	json_end_array(j);
	/* Left out, rather than empty, when the module cannot list them. */
	if (st->addrs_known) {
		json_begin_array(j, "addresses");
		for (size_t i = 0; i < st->naddrs; i++)
			if (st->addrs[i].group_ifindex == g->ifindex)
				show_addr_json(j, st, &st->addrs[i]);
		json_end_array(j);
	}
	json_end_object(j);
}

void show_json(FILE *f, const struct ipmp_state *st)
{
	struct json j;

	json_init(&j, f);
	json_begin_array(&j, NULL);
	for (size_t i = 0; i < st->ngroups; i++)
		show_group_json(&j, st, &st->groups[i]);
	json_end_array(&j);
}

/* A module without ADDR_GET still shows its groups and members. */
static int dump_addrs(struct ipmp_nl *nl, uint32_t group_ifindex,
		      struct ipmp_state *st)
{
	int err = ipmp_dump_addrs(nl, group_ifindex, st);

	return err == -EOPNOTSUPP ? 0 : err;
}

static int fetch_one(struct ipmp_nl *nl, const char *ifname,
		     struct ipmp_state *st)
{
	struct ipmp_group g;
	uint32_t ifindex;
	int err;

	if (resolve_ifindex(ifname, &ifindex))
		return EXIT_FAILURE;
	err = ipmp_get_group(nl, ifindex, &g);
	if (!err)
		err = ipmp_state_add_group(st, &g);
	if (!err)
		err = ipmp_dump_members(nl, ifindex, st);
	if (!err)
		err = dump_addrs(nl, ifindex, st);
	if (err)
		return fail("show %s: %s", ifname, ipmp_nl_error(nl, err));
	return 0;
}

static int fetch_all(struct ipmp_nl *nl, struct ipmp_state *st)
{
	int err = ipmp_dump_groups(nl, st);

	if (!err)
		err = ipmp_dump_members(nl, 0, st);
	if (!err)
		err = dump_addrs(nl, 0, st);
	if (err)
		return fail("show: %s", ipmp_nl_error(nl, err));
	return 0;
}

static int parse_show(int argc, char **argv, const char **ifname, bool *json)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j"))
			*json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_fail(show_usage, "unknown option '%s'",
					  argv[i]);
		else if (*ifname)
			return usage_fail(show_usage, "unexpected '%s'",
					  argv[i]);
		else
			*ifname = argv[i];
	}
	return 0;
}

int cmd_show(int argc, char **argv)
{
	struct ipmp_state st = { 0 };
	struct ipmp_nl *nl;
	const char *ifname = NULL;
	bool json = false;
	int ret;

	if (help_requested(argc, argv))
		return print_help(show_help);
	ret = parse_show(argc, argv, &ifname, &json);
	if (ret)
		return ret;
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = ifname ? fetch_one(nl, ifname, &st) : fetch_all(nl, &st);
	if (!ret) {
		if (json)
			show_json(stdout, &st);
		else
			show_text(stdout, &st);
	}
	ipmp_state_free(&st);
	ipmp_nl_close(nl);
	return ret;
}
