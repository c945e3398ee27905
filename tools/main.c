// SPDX-License-Identifier: GPL-2.0
/*
 * One binary, three names: ipmpadm (a table of subcommands, bare ipmpadm
 * being "ipmpadm show"), ipmpstat and if_mpadm, chosen by argv[0].
 */
#include <stdlib.h>
#include <string.h>

#include "ipmpadm.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
};

static const struct command commands[] = {
	{ "show", cmd_show, "[IPMPIF] [-j]",
	  "show groups, members and data addresses (the default)" },
	{ "create", cmd_create, "IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	  "                 [probing on|off] [announce COUNT]\n"
	  "                 [announce-interval MS]",
	  "create a group interface" },
	{ "delete", cmd_delete, "IPMPIF", "delete a group interface" },
	{ "add", cmd_add, "IPMPIF IF... [standby]", "add members to a group" },
	{ "remove", cmd_remove, "IPMPIF IF", "remove a member from a group" },
	{ "set", cmd_set, "IPMPIF [group NAME] [fdt MS] [failback yes|no]\n"
	  "              [probing on|off] [announce COUNT]\n"
	  "              [announce-interval MS]",
	  "change group settings" },
	{ "set", cmd_set, "IF standby on|off", "make a member standby or not" },
	{ "offline", cmd_offline, "IF", "take a member offline (if_mpadm -d)" },
	{ "online", cmd_online, "IF", "bring a member back online (if_mpadm -r)" },
	{ "test-address", cmd_testaddr, "add IF ADDRESS[/PREFIX]",
	  "give a member its IPv4 test address, the source of its probes" },
	{ "test-address", cmd_testaddr, "del IF ADDRESS",
	  "take a member's test address away" },
	{ "target", cmd_target, "add IPMPIF ADDRESS",
	  "add a static IPv4 probe target to a group" },
	{ "target", cmd_target, "del IPMPIF ADDRESS",
	  "delete a probe target of a group" },
	{ "save", cmd_save, "[IPMPIF]",
	  "print the configuration as ipmpadm commands, for restore" },
	{ "restore", cmd_restore, "[--missing-ok] [--only IF] [FILE]",
	  "apply a saved configuration, all or nothing" },
	{ "monitor", cmd_monitor, "[-j] [probes]",
	  "print each change of groups, members and addresses as it happens" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_usage[] = "ipmpadm [COMMAND [ARGUMENTS]] (see 'ipmpadm --help')";

static int main_help(void)
{
	printf("usage: ipmpadm [COMMAND [ARGUMENTS]]\n\n"
	       "Configure IPMP (IP Network Multipathing) groups.\n\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  ipmpadm %s %s\n      %s\n", commands[i].name,
		       commands[i].args, commands[i].summary);
	printf("\n'ipmpadm' alone is 'ipmpadm show'; 'ipmpadm COMMAND --help' "
	       "says more.\nSee also ipmpstat(8) and if_mpadm(8).  Errors "
	       "exit 1, usage errors 2.\n");
	return 0;
}

int ipmpadm_main(int argc, char **argv)
{
	static char *show_argv[] = { "show", NULL };
	const char *name;

	if (argc < 2)
		return cmd_show(1, show_argv);
	name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") ||
	    !strcmp(name, "help"))
		return main_help();
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (name[0] == '-')
		return usage_fail(main_usage, "unknown option '%s'", name);
	return usage_fail(main_usage, "unknown command '%s'", name);
}

int main(int argc, char **argv)
{
	set_progname(argv[0]);
	if (!strcmp(progname, "ipmpstat"))
		return ipmpstat_main(argc, argv);
	if (!strcmp(progname, "if_mpadm"))
		return if_mpadm_main(argc, argv);
	progname = "ipmpadm";
	return ipmpadm_main(argc, argv);
}
