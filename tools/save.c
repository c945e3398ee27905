// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpadm save [IPMPIF]: the configuration of the groups as the ipmpadm
 * commands that make it (create, add, test-address add, target add), one a
 * line, which "ipmpadm restore" applies unchanged.  Every setting is
 * written, defaults too, so that the file means the same with a module of
 * other defaults.  Groups come in the kernel's order (the order they were
 * created), members in the order they joined: restoring keeps both, so
 * that saving again gives the same bytes.  Nothing that changes by itself
 * (states, targets found rather than configured, the FDT in force) is
 * written.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ipmpadm.h"

static const char save_usage[] = "ipmpadm save [IPMPIF]";

static const char save_help[] =
	"usage: ipmpadm save [IPMPIF]\n"
	"\n"
	"Print the configuration of every IPMP group, or of the group whose\n"
	"interface is IPMPIF, as the ipmpadm commands that make it: 'create'\n"
	"with every group setting, 'add' for each member (standby ones too),\n"
	"'test-address add' and 'target add' for the static probe targets.\n"
	"'ipmpadm restore' applies it; the file may be edited: '#' starts a\n"
	"comment.  Data addresses are not saved: they belong to the network\n"
	"configuration of IPMPIF (ifupdown, systemd-networkd, ...).\n"
	"\n"
	"A member whose device is gone (state removed) is saved too, after a\n"
	"comment that says so: restoring fails on its line while there is no\n"
	"such device, unless 'ipmpadm restore --missing-ok' is used.\n"
	"\n"
	"  ipmpadm save > /etc/ipmp.conf\n";

static void save_testaddr(FILE *f, const struct ipmp_member *m)
{
	char buf[INET_ADDRSTRLEN];

	char buf6[INET6_ADDRSTRLEN];

	if (m->has_testaddr) {
		inet_ntop(AF_INET, m->testaddr, buf, sizeof(buf));
		fprintf(f, "test-address add %s %s/%u\n", m->ifname, buf,
			m->testaddr_prefixlen);
	}
	/* One derived from the MAC is not configuration: it follows the NIC. */
	if (m->has_testaddr6 && m->testaddr6_configured) {
		inet_ntop(AF_INET6, m->testaddr6, buf6, sizeof(buf6));
		fprintf(f, "test-address add %s %s\n", m->ifname, buf6);
	}
}

static void save_member(FILE *f, const struct ipmp_group *g,
			const struct ipmp_member *m)
{
	if (m->state == IPMP_MEMBER_REMOVED)
		fprintf(f, "# %s: its device is gone (state removed): restore fails here\n"
			"# while there is no such device, unless --missing-ok skips it\n",
			m->ifname);
	fprintf(f, "add %s %s%s\n", g->ifname, m->ifname,
		m->standby ? " standby" : "");
	save_testaddr(f, m);
}

static void save_group(FILE *f, const struct ipmp_state *st,
		       const struct ipmp_group *g)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(f, "create %s group %s fdt %u failback %s probing %s",
		g->ifname, g->name, g->fdt, g->failback ? "yes" : "no",
		g->probing ? "on" : "off");
	if (g->has_announce)
		fprintf(f, " announce %u announce-interval %u",
			g->announce_count, g->announce_interval);
	fputc('\n', f);
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].group_ifindex == g->ifindex)
			save_member(f, g, &st->members[i]);
	for (uint32_t i = 0; i < g->nstatic; i++)
		fprintf(f, "target add %s %s\n", g->ifname,
			inet_ntop(AF_INET, g->static_targets[i], buf,
				  sizeof(buf)));
	for (uint32_t i = 0; i < g->nstatic6; i++)
		fprintf(f, "target add %s %s\n", g->ifname,
			inet_ntop(AF_INET6, g->static_targets6[i], buf,
				  sizeof(buf)));
}

void save_config(FILE *f, const struct ipmp_state *st)
{
	fputs("# IPMP configuration, written by 'ipmpadm save'.  'ipmpadm restore FILE'\n"
	      "# applies it: ipmpadm commands, one a line; '#' starts a comment.\n",
	      f);
	for (size_t i = 0; i < st->ngroups; i++) {
		fputc('\n', f);
		save_group(f, st, &st->groups[i]);
	}
}

static int fetch(struct ipmp_nl *nl, const char *ifname,
		 struct ipmp_state *st)
{
	struct ipmp_group g;
	uint32_t ifindex = 0;
	int err;

	if (ifname) {
		if (resolve_ifindex(ifname, &ifindex))
			return EXIT_FAILURE;
		err = ipmp_get_group(nl, ifindex, &g);
		if (!err)
			err = ipmp_state_add_group(st, &g);
	} else {
		err = ipmp_dump_groups(nl, st);
	}
	if (!err)
		err = ipmp_dump_members(nl, ifindex, st);
	if (err)
		return fail("save%s%s: %s", ifname ? " " : "",
			    ifname ? ifname : "", ipmp_nl_error(nl, err));
	return 0;
}

int cmd_save(int argc, char **argv)
{
	struct ipmp_state st = { 0 };
	struct ipmp_nl *nl;
	int ret;

	if (help_requested(argc, argv))
		return print_help(save_help);
	if (reject_options(argc, argv, save_usage))
		return EXIT_USAGE;
	if (argc > 2)
		return usage_fail(save_usage, "unexpected '%s'", argv[2]);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = fetch(nl, argc == 2 ? argv[1] : NULL, &st);
	ipmp_nl_close(nl);
	if (!ret) {
		save_config(stdout, &st);
		if (fflush(stdout) || ferror(stdout))
			ret = fail("save: cannot write: %m");
	}
	ipmp_state_free(&st);
	return ret;
}
