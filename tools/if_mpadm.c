// SPDX-License-Identifier: GPL-2.0
/*
 * if_mpadm -d|-r IF, and ipmpadm offline|online IF: MEMBER_SET with
 * OFFLINE 1 or 0.  As Solaris's if_mpadm, the member's state is looked at
 * first ("already offline", "not offline") and again afterwards; refusals
 * (the last usable member, not a member) are the kernel's own words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipmpadm.h"

static const char if_mpadm_usage[] = "if_mpadm -d IF | -r IF";

static const char if_mpadm_help[] =
	"usage: if_mpadm -d IF | -r IF\n"
	"\n"
	"  -d IF  take the IPMP member IF offline: its data addresses move to\n"
	"         other members (refused for the last usable member)\n"
	"  -r IF  bring the offline member IF back online\n"
	"\n"
	"The same as 'ipmpadm offline IF' and 'ipmpadm online IF'.\n";

static const char offline_help[] =
	"usage: ipmpadm offline IF\n"
	"       ipmpadm online IF\n"
	"\n"
	"Take the IPMP member IF offline: it stops carrying traffic and its data\n"
	"addresses move to other members (a standby member is activated if\n"
	"needed).  Refused for the last usable member of a group.  'online'\n"
	"brings it back.  'if_mpadm -d|-r IF' does the same.\n";

static int offline_online(const char *ifname, bool offline)
{
	const char *verb = offline ? "offline" : "online";
	struct ipmp_member mb;
	struct ipmp_nl *nl;
	struct ipmp_msg m;
	uint32_t ifindex;
	int err;

	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	err = resolve_ifindex(ifname, &ifindex);
	if (err)
		goto out;
	err = ipmp_get_member(nl, ifindex, &mb);
	if (err) {
		err = fail("cannot %s %s: %s", verb, ifname,
			   ipmp_nl_error(nl, err));
		goto out;
	}
	if (offline && mb.state == IPMP_MEMBER_OFFLINE) {
		err = fail("interface %s is already offline", ifname);
		goto out;
	}
	if (!offline && mb.state != IPMP_MEMBER_OFFLINE) {
		err = fail("interface %s is not offline", ifname);
		goto out;
	}
	ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_SET, false, IPMP_A_MEMBER);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	ipmp_msg_u8(&m, IPMP_A_MEMBER_OFFLINE, offline);
	err = ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
	if (err) {
		err = fail("cannot %s %s: %s", verb, ifname,
			   ipmp_nl_error(nl, err));
		goto out;
	}
	/* A module that ignored OFFLINE would leave the state as it was. */
	if (!ipmp_get_member(nl, ifindex, &mb) &&
	    (mb.state == IPMP_MEMBER_OFFLINE) != offline)
		warn("%s is %s offline: does this ipmp module know %s?",
		     ifname, offline ? "not" : "still", verb);
out:
	ipmp_nl_close(nl);
	return err ? EXIT_FAILURE : 0;
}

int if_mpadm_main(int argc, char **argv)
{
	if (help_requested(argc, argv))
		return print_help(if_mpadm_help);
	if (argc != 3 || (strcmp(argv[1], "-d") && strcmp(argv[1], "-r")))
		return usage_fail(if_mpadm_usage, NULL);
	return offline_online(argv[2], !strcmp(argv[1], "-d"));
}

static int cmd_offline_online(int argc, char **argv, bool offline)
{
	const char *usage = offline ? "ipmpadm offline IF" :
				      "ipmpadm online IF";

	if (help_requested(argc, argv))
		return print_help(offline_help);
	if (reject_options(argc, argv, usage))
		return EXIT_USAGE;
	if (argc != 2)
		return usage_fail(usage, argc < 2 ? "missing IF" :
				  "too many arguments");
	return offline_online(argv[1], offline);
}

int cmd_offline(int argc, char **argv)
{
	return cmd_offline_online(argc, argv, true);
}

int cmd_online(int argc, char **argv)
{
	return cmd_offline_online(argc, argv, false);
}
