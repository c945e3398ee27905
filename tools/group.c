// SPDX-License-Identifier: GPL-2.0
/* ipmpadm create, delete and set: the group device and its settings. */
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>

#include "ipmpadm.h"

static const char create_usage[] =
	"ipmpadm create IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	"                      [probing on|off] [announce COUNT]\n"
	"                      [announce-interval MS]";
static const char delete_usage[] = "ipmpadm delete IPMPIF";
static const char set_usage[] =
	"ipmpadm set IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	"                   [probing on|off] [announce COUNT]\n"
	"                   [announce-interval MS]\n"
	"       ipmpadm set IF standby on|off";

static const char create_help[] =
	"usage: ipmpadm create IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	"                      [probing on|off] [announce COUNT]\n"
	"                      [announce-interval MS]\n"
	"\n"
	"Create the IPMP group interface IPMPIF (left down, like\n"
	"'ip link add IPMPIF type ipmp').\n"
	"\n"
	"  group NAME      group name: printable, no spaces, at most 31 bytes,\n"
	"                  unique in the network namespace (default: IPMPIF)\n"
	"  fdt MS          failure detection time in milliseconds (default 10000)\n"
	"  failback yes|no whether repaired interfaces become active again\n"
	"                  (default yes)\n"
	"  probing on|off  probe-based failure detection for the members that\n"
	"                  have a test address (default on); off watches every\n"
	"                  member by its link only\n"
	"  announce COUNT  unsolicited ARP (IPv4) / neighbour advertisements\n"
	"                  (IPv6) sent for a data address that moved to another\n"
	"                  member, the first at once; 0 to 255 (default 3)\n"
	"  announce-interval MS\n"
	"                  milliseconds between them, 10 to 60000 (default 1000)\n";

static const char delete_help[] =
	"usage: ipmpadm delete IPMPIF\n"
	"\n"
	"Delete the IPMP group interface IPMPIF; its members are released.\n";

static const char set_help[] =
	"usage: ipmpadm set IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	"                   [probing on|off] [announce COUNT]\n"
	"                   [announce-interval MS]\n"
	"       ipmpadm set IF standby on|off\n"
	"\n"
	"Change the settings of the group whose interface is IPMPIF, or those\n"
	"of the member interface IF.\n"
	"\n"
	"  group NAME      rename the group\n"
	"  fdt MS          failure detection time in milliseconds\n"
	"  failback yes|no whether repaired interfaces become active again\n"
	"  probing on|off  probe-based failure detection on or off\n"
	"  announce COUNT  unsolicited ARP / neighbour advertisements sent for\n"
	"                  a data address that moved to another member (0-255)\n"
	"  announce-interval MS\n"
	"                  milliseconds between them (10-60000)\n"
	"  standby on|off  make IF a standby interface, or a normal one\n";

/* A u32 setting given at most once; the kernel checks its range. */
static int u32_opt(const char *key, const char *val, uint32_t *v, bool *has)
{
	if (*has)
		return fail("'%s' given twice", key);
	*has = true;
	return parse_u32(key, val, v);
}

static int group_opt(const char *key, const char *val, struct group_opts *o)
{
	if (!strcmp(key, "group")) {
		if (o->name)
			return fail("'group' given twice");
		o->name = val;
	} else if (!strcmp(key, "fdt")) {
		return u32_opt(key, val, &o->fdt, &o->has_fdt);
	} else if (!strcmp(key, "announce")) {
		return u32_opt(key, val, &o->announce_count,
			       &o->has_announce_count);
	} else if (!strcmp(key, "announce-interval")) {
		return u32_opt(key, val, &o->announce_interval,
			       &o->has_announce_interval);
	} else if (!strcmp(key, "failback")) {
		if (o->has_failback)
			return fail("'failback' given twice");
		o->has_failback = true;
		return parse_bool("failback", val, "yes", "no", &o->failback);
	} else if (!strcmp(key, "probing")) {
		if (o->has_probing)
			return fail("'probing' given twice");
		o->has_probing = true;
		return parse_bool("probing", val, "on", "off", &o->probing);
	} else if (!strcmp(key, "standby")) {
		return fail("standby cannot be combined with group settings");
	} else {
		return fail("unknown setting '%s'", key);
	}
	return 0;
}

/* KEYWORD VALUE pairs from argv[0]; prints why when they do not parse. */
int parse_group_opts(int argc, char **argv, struct group_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i += 2) {
		if (i + 1 == argc)
			return fail("'%s' needs a value", argv[i]);
		if (group_opt(argv[i], argv[i + 1], o))
			return 1;
	}
	return 0;
}

static void put_group_opts(struct ipmp_msg *m, const struct group_opts *o)
{
	if (o->name)
		ipmp_msg_str(m, IPMP_A_GROUP_NAME, o->name);
	if (o->has_fdt)
		ipmp_msg_u32(m, IPMP_A_GROUP_FDT, o->fdt);
	if (o->has_failback)
		ipmp_msg_u8(m, IPMP_A_GROUP_FAILBACK, o->failback);
	if (o->has_probing)
		ipmp_msg_u8(m, IPMP_A_GROUP_PROBING, o->probing);
	if (o->has_announce_count)
		ipmp_msg_u32(m, IPMP_A_GROUP_ANNOUNCE_COUNT, o->announce_count);
	if (o->has_announce_interval)
		ipmp_msg_u32(m, IPMP_A_GROUP_ANNOUNCE_INTERVAL,
			     o->announce_interval);
}

/* GROUP_NEW: 0 or a negative errno, ipmp_nl_error() saying why. */
int group_create(struct ipmp_nl *nl, const char *ifname,
		 const struct group_opts *o)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_GROUP_NEW, false, IPMP_A_GROUP);
	ipmp_msg_str(&m, IPMP_A_GROUP_IFNAME, ifname);
	put_group_opts(&m, o);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

int group_delete(struct ipmp_nl *nl, uint32_t ifindex)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_GROUP_DEL, false, IPMP_A_GROUP);
	ipmp_msg_u32(&m, IPMP_A_GROUP_IFINDEX, ifindex);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

int cmd_create(int argc, char **argv)
{
	struct group_opts o;
	struct ipmp_nl *nl;
	int err;

	if (help_requested(argc, argv))
		return print_help(create_help);
	if (reject_options(argc, argv, create_usage))
		return EXIT_USAGE;
	if (argc < 2)
		return usage_fail(create_usage, "missing IPMPIF");
	if (parse_group_opts(argc - 2, argv + 2, &o))
		return usage_fail(create_usage, NULL);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	err = group_create(nl, argv[1], &o);
	if (err)
		fail("create %s: %s", argv[1], ipmp_nl_error(nl, err));
	ipmp_nl_close(nl);
	return err ? EXIT_FAILURE : 0;
}

int cmd_delete(int argc, char **argv)
{
	struct ipmp_nl *nl;
	uint32_t ifindex;
	int err;

	if (help_requested(argc, argv))
		return print_help(delete_help);
	if (reject_options(argc, argv, delete_usage))
		return EXIT_USAGE;
	if (argc < 2)
		return usage_fail(delete_usage, "missing IPMPIF");
	if (argc > 2)
		return usage_fail(delete_usage, "unexpected '%s'", argv[2]);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	err = resolve_ifindex(argv[1], &ifindex);
	if (!err) {
		err = group_delete(nl, ifindex);
		if (err)
			fail("delete %s: %s", argv[1], ipmp_nl_error(nl, err));
	}
	ipmp_nl_close(nl);
	return err ? EXIT_FAILURE : 0;
}

/* The syntax of both forms is checked before anything is asked. */
static int check_set_syntax(int argc, char **argv, bool *member_form)
{
	struct group_opts o;
	bool standby;

	if (argc < 3)
		return usage_fail(set_usage, argc < 2 ? "missing interface" :
				  "nothing to set");
	*member_form = !strcmp(argv[2], "standby");
	if (!*member_form) {
		if (parse_group_opts(argc - 2, argv + 2, &o))
			return usage_fail(set_usage, NULL);
		return 0;
	}
	if (argc == 3)
		return usage_fail(set_usage, "'standby' needs a value");
	if (argc > 4)
		return usage_fail(set_usage,
				  "standby cannot be combined with other settings");
	if (parse_bool("standby", argv[3], "on", "off", &standby))
		return usage_fail(set_usage, NULL);
	return 0;
}

static int group_set(struct ipmp_nl *nl, const char *ifname, uint32_t ifindex,
		     int argc, char **argv)
{
	struct group_opts o;
	struct ipmp_msg m;
	int err;

	if (parse_group_opts(argc, argv, &o))
		return EXIT_USAGE;
	ipmp_msg_begin(&m, nl, IPMP_CMD_GROUP_SET, false, IPMP_A_GROUP);
	ipmp_msg_u32(&m, IPMP_A_GROUP_IFINDEX, ifindex);
	put_group_opts(&m, &o);
	err = ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
	if (err)
		return fail("set %s: %s", ifname, ipmp_nl_error(nl, err));
	return 0;
}

/*
 * A group device takes group settings; anything else is a member.  Which
 * one the first word names is for the kernel to say (GROUP_GET).
 */
static int set_dispatch(struct ipmp_nl *nl, int argc, char **argv,
			bool member_form)
{
	struct ipmp_group g;
	uint32_t ifindex;
	int err;

	if (resolve_ifindex(argv[1], &ifindex))
		return EXIT_FAILURE;
	err = ipmp_get_group(nl, ifindex, &g);
	if (!err && member_form)
		return fail("set %s: %s is an IPMP group interface; standby is a setting of its members",
			    argv[1], argv[1]);
	if (!err)
		return group_set(nl, argv[1], ifindex, argc - 2, argv + 2);
	if (!member_form)
		return fail("set %s: %s", argv[1], ipmp_nl_error(nl, err));
	return member_set(nl, argv[1], ifindex, argc - 2, argv + 2);
}

int cmd_set(int argc, char **argv)
{
	struct ipmp_nl *nl;
	bool member_form = false;
	int ret;

	if (help_requested(argc, argv))
		return print_help(set_help);
	if (reject_options(argc, argv, set_usage))
		return EXIT_USAGE;
	ret = check_set_syntax(argc, argv, &member_form);
	if (ret)
		return ret;
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = set_dispatch(nl, argc, argv, member_form);
	ipmp_nl_close(nl);
	return ret;
}
