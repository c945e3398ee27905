// SPDX-License-Identifier: GPL-2.0
/*
 * The output formats on fabricated state, no kernel needed:
 *   fmt_test show | show-json
 *   fmt_test ipmpstat g|i human|parsable|json [FIELDS]
 *   fmt_test escape            (JSON strings of awkward bytes)
 */
#include <stdlib.h>
#include <string.h>

#include "../ipmpadm.h"

static const struct ipmp_group groups[] = {
	{ .ifindex = 10, .ifname = "ipmp0", .name = "ipmp0",
	  .state = IPMP_GROUP_DEGRADED, .fdt = 10000, .failback = true,
	  .nmembers = 3, .nactive = 1 },
	{ .ifindex = 20, .ifname = "ipmp1", .name = "web:a\\b",
	  .state = IPMP_GROUP_OK, .fdt = 12345, .failback = false,
	  .nmembers = 2, .nactive = 2 },
	{ .ifindex = 30, .ifname = "ipmp2", .name = "q\"uot\xc3\xa9",
	  .state = IPMP_GROUP_FAILED, .fdt = 100, .failback = true },
};

static const struct ipmp_member members[] = {
	{ .ifindex = 5, .group_ifindex = 20, .ifname = "eth1000.4094",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .active = true,
	  .flags = IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4 },
	{ .ifindex = 2, .group_ifindex = 10, .ifname = "eth0",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_DISABLED, .active = true,
	  .flags = IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4 |
		   IPMP_MEMBER_F_MCAST6 },
	{ .ifindex = 3, .group_ifindex = 10, .ifname = "eth1",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_DISABLED, .standby = true,
	  .flags = IPMP_MEMBER_F_INACTIVE | IPMP_MEMBER_F_STANDBY },
	{ .ifindex = 4, .group_ifindex = 10, .ifname = "eth2",
	  .state = IPMP_MEMBER_FAILED, .link = IPMP_LINK_DOWN,
	  .probe = IPMP_PROBE_DISABLED, .flags = IPMP_MEMBER_F_DOWN },
	{ .ifindex = 6, .group_ifindex = 20, .ifname = "veth-long-name1",
	  .state = 9, .link = IPMP_LINK_UNKNOWN,
	  .probe = IPMP_PROBE_UNKNOWN, .active = true,
	  .flags = IPMP_MEMBER_F_MCAST6 | IPMP_MEMBER_F_DUPHW },
};

static int fabricate(struct ipmp_state *st)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (ipmp_state_add_group(st, &groups[i]))
			return 1;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (ipmp_state_add_member(st, &members[i]))
			return 1;
	return 0;
}

static int ipmpstat(struct ipmp_state *st, int argc, char **argv)
{
	enum ipmpstat_mode mode = !strcmp(argv[2], "g") ? IPMPSTAT_GROUP :
							  IPMPSTAT_IF;
	enum ipmpstat_out out = !strcmp(argv[3], "json") ? IPMPSTAT_JSON :
				!strcmp(argv[3], "parsable") ?
				IPMPSTAT_PARSABLE : IPMPSTAT_HUMAN;
	struct ipmpstat_fmt *fmt;

	if (ipmpstat_fmt_new(mode, out, argc > 4 ? argv[4] : NULL, &fmt))
		return EXIT_USAGE;
	ipmpstat_print(stdout, fmt, st);
	ipmpstat_fmt_free(fmt);
	return 0;
}

static void escape(void)
{
	static const char *const strings[] = {
		"plain", "quote\" backslash\\ slash/", "tab\t nl\n cr\r del\x7f",
		"utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"bad \xff \xc3 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 end\xe2\x82",
	};
	struct json j;

	json_init(&j, stdout);
	json_begin_array(&j, NULL);
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		json_string(&j, NULL, strings[i]);
	json_string(&j, NULL, NULL);
	json_begin_object(&j, NULL);
	json_end_object(&j);
	json_end_array(&j);
}

int main(int argc, char **argv)
{
	struct ipmp_state st = { 0 };
	int ret = 0;

	set_progname("ipmpstat");
	if (fabricate(&st))
		return 1;
	if (argc == 2 && !strcmp(argv[1], "show"))
		show_text(stdout, &st);
	else if (argc == 2 && !strcmp(argv[1], "show-json"))
		show_json(stdout, &st);
	else if (argc == 2 && !strcmp(argv[1], "escape"))
		escape();
	else if (argc >= 4 && !strcmp(argv[1], "ipmpstat"))
		ret = ipmpstat(&st, argc, argv);
	else
		ret = EXIT_USAGE;
	ipmp_state_free(&st);
	return ret;
}
