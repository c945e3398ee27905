// SPDX-License-Identifier: GPL-2.0
/*
 * The output formats on fabricated state, no kernel needed:
 *   fmt_test show | show-json | show-json-noaddrs
 *   fmt_test ipmpstat g|i|a|A|t|T|p|P human|parsable|json [FIELDS]
 *                              (a, t, p: -n; A, T, P: names from a fake
 *                              resolver; p, P: fabricated probe reports)
 *   fmt_test escape            (JSON strings of awkward bytes)
 *   fmt_test monitor | monitor-json   (a fabricated run of notifications)
 *   fmt_test lost              (the lines of -p and monitor after ENOBUFS)
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "../ipmpadm.h"

static const struct ipmp_group groups[] = {
	{ .ifindex = 10, .ifname = "ipmp0", .name = "ipmp0",
	  .state = IPMP_GROUP_DEGRADED, .fdt = 10000, .failback = true,
	  .fdt_current = 10000, .probing = true,
	  .target_mode = IPMP_TARGETS_STATIC,
	  .nmembers = 3, .nactive = 1, .has_announce = true,
	  .announce_count = 3, .announce_interval = 1000,
	  .has_naddrs = true, .naddrs = 3,
	  .ntargets = 2, .targets = { { 192, 0, 2, 254 }, { 192, 0, 2, 1 } },
	  .target_mode6 = IPMP_TARGETS_MULTICAST, .ntargets6 = 2,
	  .targets6 = { { 0xfe, 0x80, [15] = 1 },
			{ 0xfe, 0x80, [8] = 0x02, [15] = 0xfe } } },
	{ .ifindex = 20, .ifname = "ipmp1", .name = "web:a\\b",
	  .state = IPMP_GROUP_OK, .fdt = 12345, .failback = false,
	  .fdt_current = 12345, .probing = true,
	  .nmembers = 2, .nactive = 2, .has_announce = true,
	  .announce_count = 0, .announce_interval = 60000,
	  .has_naddrs = true, .naddrs = 2 },
	{ .ifindex = 30, .ifname = "ipmp2", .name = "q\"uot\xc3\xa9",
	  .state = IPMP_GROUP_FAILED, .fdt = 100, .failback = true,
	  .fdt_current = 1400, .probing = true,
	  .target_mode = IPMP_TARGETS_MULTICAST,
	  .ntargets = IPMP_TARGETS_MAX,
	  .targets = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 }, { 10, 255, 255, 254 },
		       { 172, 16, 0, 1 }, { 198, 51, 100, 1 } } },
};

static const struct ipmp_member members[] = {
	{ .ifindex = 5, .group_ifindex = 20, .ifname = "eth1000.4094",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .active = true,
	  .flags = IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4,
	  .has_naddrs = true, .naddrs = 1,
	  .has_testaddr6 = true, .testaddr6_configured = true,
	  .testaddr6 = { 0xfe, 0x80, [15] = 0x0a } },
	{ .ifindex = 2, .group_ifindex = 10, .ifname = "eth0",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .active = true,
	  .has_rtt = true, .rtt_us = 1234,
	  .flags = IPMP_MEMBER_F_BCAST4 | IPMP_MEMBER_F_MCAST4 |
		   IPMP_MEMBER_F_MCAST6, .has_naddrs = true, .naddrs = 2,
	  .has_testaddr = true, .testaddr = { 192, 0, 2, 31 },
	  .testaddr_prefixlen = 24, .has_testaddr6 = true,
	  .testaddr6 = { 0xfe, 0x80, [8] = 0x02, 0x11, 0x22, 0xff, 0xfe,
			 0x33, 0x44, 0x55 } },
	{ .ifindex = 3, .group_ifindex = 10, .ifname = "eth1",
	  .state = IPMP_MEMBER_OK, .link = IPMP_LINK_UP,
	  .probe = IPMP_PROBE_OK, .standby = true,
	  .has_rtt = true, .rtt_us = 999995,
	  .flags = IPMP_MEMBER_F_INACTIVE | IPMP_MEMBER_F_STANDBY,
	  .has_naddrs = true, .has_testaddr = true,
	  .testaddr = { 192, 0, 2, 32 }, .testaddr_prefixlen = 24,
	  .has_testaddr6 = true, .testaddr6_configured = true,
	  .testaddr6 = { 0xfe, 0x80, [14] = 0x32, 0x01 } },
	{ .ifindex = 4, .group_ifindex = 10, .ifname = "eth2",
	  .state = IPMP_MEMBER_FAILED, .link = IPMP_LINK_DOWN,
	  .probe = IPMP_PROBE_DISABLED, .flags = IPMP_MEMBER_F_DOWN,
	  .has_naddrs = true },
	{ .ifindex = 6, .group_ifindex = 20, .ifname = "veth-long-name1",
	  .state = 9, .link = IPMP_LINK_UNKNOWN,
	  .probe = IPMP_PROBE_UNKNOWN, .active = true,
	  .flags = IPMP_MEMBER_F_MCAST6 | IPMP_MEMBER_F_DUPHW,
	  .has_testaddr = true, .testaddr = { 255, 255, 255, 254 },
	  .testaddr_prefixlen = 32 },
};

/* Data addresses, not in group order: ipmpstat -a walks group by group. */
static const struct {
	const char *addr;
	uint8_t prefixlen;
	uint32_t group_ifindex, bound_ifindex;
	bool up;
} addrs[] = {
	{ "203.0.113.1", 24, 20, 6, true },
	{ "192.0.2.10", 24, 10, 2, true },
	{ "2001:db8::10", 64, 10, 2, true },
	{ "198.51.100.7", 32, 10, 0, false },
	{ "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", 128, 20, 5, true },
	{ "fe80::1", 64, 30, 0, true },
};

static int fabricate_addrs(struct ipmp_state *st)
{
	struct ipmp_addr a;

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		memset(&a, 0, sizeof(a));
		a.family = strchr(addrs[i].addr, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(a.family, addrs[i].addr, a.addr) != 1)
			return 1;
		a.prefixlen = addrs[i].prefixlen;
		a.group_ifindex = addrs[i].group_ifindex;
		a.bound_ifindex = addrs[i].bound_ifindex;
		a.up = addrs[i].up;
		if (ipmp_state_add_addr(st, &a))
			return 1;
	}
	st->addrs_known = true;
	return 0;
}

/* Two names, one of them fully qualified; the rest stay numeric. */
static int fake_names(const struct ipmp_addr *a, char *buf, size_t len)
{
	char num[ADDR_LEN];

	addr_str(a, false, num, sizeof(num));
	if (!strcmp(num, "192.0.2.10"))
		snprintf(buf, len, "www");
	else if (!strcmp(num, "2001:db8::10"))
		snprintf(buf, len, "a-rather-long-host-name.example.com");
	else if (!strcmp(num, "192.0.2.1"))
		snprintf(buf, len, "router");
	else if (!strcmp(num, "192.0.2.31"))
		snprintf(buf, len, "eth0-test-address.example");
	else
		return -1;
	return 0;
}

/* ipmpstat -p started at 1000 s of CLOCK_MONOTONIC. */
#define EPOCH_NS 1000000000000ULL
#define MS 1000000ULL

static const struct ipmp_probe probes[] = {
	{ .ifindex = 2, .ifname = "eth0", .seq = 589,
	  .result = IPMP_PROBE_ACKED, .sent_ns = EPOCH_NS + 110 * MS,
	  .target = { .family = AF_INET, .prefixlen = 32,
		      .addr = { 192, 0, 2, 1 }, .group_ifindex = 10 },
	  .has_netrtt = true, .netrtt_us = 510, .has_rtt = true,
	  .rtt_us = 764, .has_rttavg = true, .rttavg_us = 755,
	  .has_rttdev = true, .rttdev_us = 120 },
	/* Sent before ipmpstat started, and lost. */
	{ .ifindex = 3, .ifname = "eth1", .seq = 612,
	  .result = IPMP_PROBE_LOST, .sent_ns = EPOCH_NS - 50 * MS,
	  .target = { .family = AF_INET, .prefixlen = 32,
		      .addr = { 192, 0, 2, 254 }, .group_ifindex = 10 },
	  .has_rttavg = true, .rttavg_us = 1234, .has_rttdev = true },
	/* A first answer: no average yet. */
	{ .ifindex = 6, .ifname = "veth-long-name1", .seq = 65535,
	  .result = IPMP_PROBE_ACKED, .sent_ns = EPOCH_NS + 1234567890123ULL,
	  .target = { .family = AF_INET6, .prefixlen = 128,
		      .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		      .group_ifindex = 20 },
	  .has_netrtt = true, .netrtt_us = 999995, .has_rtt = true,
	  .rtt_us = 1000004 },
	/* Rounding of TIME: 4.999999 ms is 0.00s, never -0.00s. */
	{ .ifindex = 2, .ifname = "eth0", .seq = 0,
	  .result = IPMP_PROBE_LOST, .sent_ns = EPOCH_NS - 5 * MS + 1,
	  .target = { .family = AF_INET, .prefixlen = 32,
		      .addr = { 192, 0, 2, 1 }, .group_ifindex = 10 } },
	{ .ifindex = 2, .ifname = "eth0", .seq = 4294967295U,
	  .result = IPMP_PROBE_LOST, .sent_ns = EPOCH_NS - 5 * MS,
	  .target = { .family = AF_INET, .prefixlen = 32,
		      .addr = { 192, 0, 2, 1 }, .group_ifindex = 10 } },
};

static int probe_lines(enum ipmpstat_out out, bool names, const char *fields)
{
	struct ipmpstat_fmt *fmt;

	if (ipmpstat_fmt_new(IPMPSTAT_PROBE, out, fields, &fmt))
		return EXIT_USAGE;
	ipmpstat_fmt_names(fmt, names ? fake_names : NULL);
	ipmpstat_fmt_epoch(fmt, EPOCH_NS);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		ipmpstat_print_probe(stdout, fmt, &probes[i]);
	ipmpstat_fmt_free(fmt);
	return 0;
}

static struct monitor_event group_event(uint8_t cmd, size_t i)
{
	struct monitor_event ev = { .cmd = cmd, .group = groups[i] };

	return ev;
}

static struct monitor_event member_event(uint8_t cmd, size_t i)
{
	struct monitor_event ev = { .cmd = cmd, .member = members[i] };

	return ev;
}

static struct monitor_event addr_event(size_t i, uint32_t bound_ifindex)
{
	struct monitor_event ev = { .cmd = IPMP_CMD_ADDR_GET };

	ev.addr.family = strchr(addrs[i].addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(ev.addr.family, addrs[i].addr, ev.addr.addr);
	ev.addr.prefixlen = addrs[i].prefixlen;
	ev.addr.group_ifindex = addrs[i].group_ifindex;
	ev.addr.bound_ifindex = bound_ifindex;
	ev.addr.up = addrs[i].up;
	return ev;
}

static struct monitor_event probe_event(size_t i)
{
	struct monitor_event ev = { .cmd = IPMP_CMD_PROBE, .probe = probes[i] };

	return ev;
}

/*
 * ipmpadm monitor from the creation of ipmp0 to the deletion of ipmp1.
 * Names come from the notifications only, never from this system.
 */
static void monitor_lines(bool json)
{
	struct monitor mon = { .json = json };
	struct monitor_event ev[24];
	size_t n = 0;

	ev[n] = group_event(IPMP_CMD_GROUP_NEW, 0);
	ev[n].group.state = IPMP_GROUP_FAILED;
	ev[n].group.nmembers = ev[n].group.nactive = ev[n].group.naddrs = 0;
	ev[n].group.ntargets = 0;
	ev[n++].group.target_mode = IPMP_TARGETS_NONE;
	ev[n++] = group_event(IPMP_CMD_GROUP_NEW, 1);
	ev[n++] = member_event(IPMP_CMD_MEMBER_ADD, 1);
	ev[n++] = member_event(IPMP_CMD_MEMBER_ADD, 2);
	ev[n++] = addr_event(1, 2);
	ev[n++] = group_event(IPMP_CMD_GROUP_SET, 0);
	/* eth0 fails: its address moves to eth1, the other is left unbound. */
	ev[n] = member_event(IPMP_CMD_MEMBER_SET, 1);
	ev[n].member.state = IPMP_MEMBER_FAILED;
	ev[n].member.link = IPMP_LINK_DOWN;
	ev[n].member.active = false;
	ev[n].member.has_rtt = false;
	ev[n++].member.naddrs = 0;
	ev[n++] = addr_event(1, 3);
	ev[n++] = addr_event(2, 0);
	/* Not known: no name but its ifindex. */
	ev[n++] = addr_event(0, 77);
	ev[n++] = member_event(IPMP_CMD_MEMBER_SET, 4);
	/* ip addr del: removed, with the member it was bound to last. */
	ev[n] = addr_event(1, 3);
	ev[n++].cmd = IPMP_CMD_ADDR_DEL;
	for (size_t i = 0; i < 4; i++)
		ev[n++] = probe_event(i);
	ev[n].cmd = IPMP_CMD_UNSPEC;	/* a command not known: left out */
	ev[n++].group = groups[0];
	ev[n++] = member_event(IPMP_CMD_MEMBER_DEL, 2);
	/* eth1 is forgotten: its name is gone with it. */
	ev[n++] = addr_event(1, 3);
	ev[n++] = group_event(IPMP_CMD_GROUP_DEL, 1);
	for (size_t i = 0; i < n; i++)
		monitor_print(stdout, &mon, &ev[i]);
	ipmp_state_free(&mon.known);
}

/* What a listener prints when the kernel dropped reports: each output. */
static int lost_lines(void)
{
	static const enum ipmpstat_out outs[] = {
		IPMPSTAT_HUMAN, IPMPSTAT_PARSABLE, IPMPSTAT_JSON,
	};
	struct monitor mon = { .json = false };
	struct ipmpstat_fmt *fmt;

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (ipmpstat_fmt_new(IPMPSTAT_PROBE, outs[i], "time,rtt", &fmt))
			return EXIT_USAGE;
		ipmpstat_print_lost(stdout, fmt);
		ipmpstat_fmt_free(fmt);
	}
	monitor_print_lost(stdout, &mon);
	mon.json = true;
	monitor_print_lost(stdout, &mon);
	return 0;
}

static int fabricate(struct ipmp_state *st)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (ipmp_state_add_group(st, &groups[i]))
			return 1;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (ipmp_state_add_member(st, &members[i]))
			return 1;
	return fabricate_addrs(st);
}

static int ipmpstat(struct ipmp_state *st, int argc, char **argv)
{
	enum ipmpstat_mode mode = !strcmp(argv[2], "g") ? IPMPSTAT_GROUP :
				  !strcmp(argv[2], "i") ? IPMPSTAT_IF :
				  !strcasecmp(argv[2], "t") ? IPMPSTAT_TARGET :
							  IPMPSTAT_ADDR;
	bool names = !strcmp(argv[2], "A") || !strcmp(argv[2], "T");
	enum ipmpstat_out out = !strcmp(argv[3], "json") ? IPMPSTAT_JSON :
				!strcmp(argv[3], "parsable") ?
				IPMPSTAT_PARSABLE : IPMPSTAT_HUMAN;
	struct ipmpstat_fmt *fmt;

	if (!strcasecmp(argv[2], "p"))
		return probe_lines(out, !strcmp(argv[2], "P"),
				   argc > 4 ? argv[4] : NULL);
	if (ipmpstat_fmt_new(mode, out, argc > 4 ? argv[4] : NULL, &fmt))
		return EXIT_USAGE;
	ipmpstat_fmt_names(fmt, names ? fake_names : NULL);
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
	else if (argc == 2 && !strcmp(argv[1], "show-json-noaddrs")) {
		st.addrs_known = false;
		show_json(stdout, &st);
	}
	else if (argc == 2 && !strcmp(argv[1], "escape"))
		escape();
	else if (argc == 2 && !strcmp(argv[1], "monitor"))
		monitor_lines(false);
	else if (argc == 2 && !strcmp(argv[1], "monitor-json"))
		monitor_lines(true);
	else if (argc == 2 && !strcmp(argv[1], "lost"))
		ret = lost_lines();
	else if (argc >= 4 && !strcmp(argv[1], "ipmpstat"))
		ret = ipmpstat(&st, argc, argv);
	else
		ret = EXIT_USAGE;
	ipmp_state_free(&st);
	return ret;
}
