// SPDX-License-Identifier: GPL-2.0
/*
 * if_mpadm -d|-r IF, and ipmpadm offline|online IF.  The kernel module has
 * no offline/online request yet: say so plainly, after the checks that
 * already mean something (module present, interface known).
 */
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
	"The same as 'ipmpadm offline IF' and 'ipmpadm online IF'.  Not\n"
	"supported by this ipmp module yet.\n";

static const char offline_help[] =
	"usage: ipmpadm offline IF\n"
	"       ipmpadm online IF\n"
	"\n"
	"Take the IPMP member IF offline (its data addresses move to other\n"
	"members), or bring it back online; 'if_mpadm -d|-r IF' does the same.\n"
	"Not supported by this ipmp module yet.\n";

static int offline_online(const char *ifname, bool offline)
{
	struct ipmp_nl *nl;
	uint32_t ifindex;
	int ret;

	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = resolve_ifindex(ifname, &ifindex);
	if (!ret)
		ret = fail("%s %s: offline/online are not supported by this ipmp module yet",
			   offline ? "offline" : "online", ifname);
	ipmp_nl_close(nl);
	return ret;
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
