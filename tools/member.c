// SPDX-License-Identifier: GPL-2.0
/* ipmpadm add, remove, and set IF standby: the members of a group. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>

#include "ipmpadm.h"

static const char add_usage[] = "ipmpadm add IPMPIF IF... [standby]";
static const char remove_usage[] = "ipmpadm remove IPMPIF IF";

static const char add_help[] =
	"usage: ipmpadm add IPMPIF IF... [standby]\n"
	"\n"
	"Make each IF a member of the IPMP group whose interface is IPMPIF,\n"
	"in order, stopping at the first one the kernel refuses.  A member must\n"
	"be an Ethernet interface of this network namespace, in no other group\n"
	"or master device; joining brings it up.  Its global IPv4/IPv6\n"
	"addresses are moved to IPMPIF first, where they become data addresses\n"
	"(each move is printed; all are put back if IF is refused).  Addresses\n"
	"from DHCP or autoconfiguration are not moved: IF is then refused.\n"
	"\n"
	"  standby   add the interfaces as standby members: kept inactive\n"
	"            until an active member fails or is taken offline\n";

static const char remove_help[] =
	"usage: ipmpadm remove IPMPIF IF\n"
	"\n"
	"Remove the member IF from the IPMP group whose interface is IPMPIF.\n"
	"When IF's device is gone (state removed), the group forgets the place\n"
	"it kept for it.\n";

/*
 * MEMBER_ADD, for ipmpadm add and restore: 0 or a negative errno,
 * ipmp_nl_error() saying why.
 */
int member_add_request(struct ipmp_nl *nl, uint32_t gidx, uint32_t ifindex,
		       bool standby)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_ADD, false, IPMP_A_MEMBER);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_GROUP_IFINDEX, gidx);
	if (standby)
		ipmp_msg_u8(&m, IPMP_A_MEMBER_STANDBY, 1);
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

#define MAX_MOVED 64

/* Undo the first @n moves: back to the device, off the group. */
static void unmove(uint32_t gidx, uint32_t ifindex,
		   const struct ipmp_ifaddr *a, const bool *added, size_t n)
{
	while (n--) {
		ifaddr_change(RTM_NEWADDR, ifindex, &a[n]);
		if (added[n])
			ifaddr_change(RTM_DELADDR, gidx, &a[n]);
	}
}

/*
 * The kernel refused a member for its global addresses: as Solaris does,
 * make them data addresses of the group (each added to the group unless it
 * has it already, then deleted from the member), and try again; put them
 * back if the member is still refused.  0, a kernel error for the caller
 * to print, or 1 once a local failure was printed.
 */
static int move_and_add(struct ipmp_nl *nl, const char *group, uint32_t gidx,
			const char *ifname, uint32_t ifindex, bool standby)
{
	struct ipmp_ifaddr a[MAX_MOVED];
	char buf[INET6_ADDRSTRLEN + 8];
	bool added[MAX_MOVED];
	size_t n, i;
	int err;

	if (ifaddr_globals(ifindex, a, MAX_MOVED, &n))
		return fail("add %s to %s: cannot read its addresses", ifname, group);
	for (i = 0; i < n; i++)
		if (!a[i].permanent)
			return fail("add %s to %s: %s is configured by DHCP or autoconfiguration: configure it on %s instead",
				    ifname, group, ifaddr_str(&a[i], buf, sizeof(buf)),
				    group);
	for (i = 0; i < n; i++) {
		err = ifaddr_change(RTM_NEWADDR, gidx, &a[i]);
		added[i] = !err;
		if (!err || err == -EEXIST)
			err = ifaddr_change(RTM_DELADDR, ifindex, &a[i]);
		if (err) {
			if (added[i])
				ifaddr_change(RTM_DELADDR, gidx, &a[i]);
			unmove(gidx, ifindex, a, added, i);
			return fail("add %s to %s: cannot move %s: %s", ifname,
				    group, ifaddr_str(&a[i], buf, sizeof(buf)),
				    strerror(-err));
		}
	}
	err = member_add_request(nl, gidx, ifindex, standby);
	if (err) {
		unmove(gidx, ifindex, a, added, n);
		return err;
	}
	for (i = 0; i < n; i++)
		printf("ipmpadm: moved %s from %s to %s\n",
		       ifaddr_str(&a[i], buf, sizeof(buf)), ifname, group);
	return 0;
}

static int add_one(struct ipmp_nl *nl, const char *group, uint32_t gidx,
		   const char *ifname, uint32_t ifindex, bool standby)
{
	int err = member_add_request(nl, gidx, ifindex, standby);

	if (err == -EADDRINUSE)		/* it has global addresses */
		err = move_and_add(nl, group, gidx, ifname, ifindex, standby);
	if (err < 0)
		return fail("add %s to %s: %s", ifname, group,
			    ipmp_nl_error(nl, err));
	return err ? EXIT_FAILURE : 0;
}

/* Names are all resolved first, so that a typo adds nothing. */
static int add_all(struct ipmp_nl *nl, char **ifs, int nifs, bool standby)
{
	uint32_t *idx, gidx;
	int ret = EXIT_FAILURE;

	idx = calloc((size_t)nifs + 1, sizeof(*idx));
	if (!idx)
		return fail("%s", strerror(ENOMEM));
	for (int i = 0; i <= nifs; i++)
		if (resolve_ifindex(ifs[i], &idx[i]))
			goto out;
	gidx = idx[0];
	for (int i = 1; i <= nifs; i++)
		if (add_one(nl, ifs[0], gidx, ifs[i], idx[i], standby))
			goto out;
	ret = 0;
out:
	free(idx);
	return ret;
}

int cmd_add(int argc, char **argv)
{
	struct ipmp_nl *nl;
	bool standby;
	int nifs, ret;

	if (help_requested(argc, argv))
		return print_help(add_help);
	if (reject_options(argc, argv, add_usage))
		return EXIT_USAGE;
	standby = argc > 1 && !strcmp(argv[argc - 1], "standby");
	nifs = argc - 2 - standby;
	if (argc < 2)
		return usage_fail(add_usage, "missing IPMPIF");
	if (nifs < 1)
		return usage_fail(add_usage, "missing IF");
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = add_all(nl, argv + 1, nifs, standby);
	ipmp_nl_close(nl);
	return ret;
}

/* Local failures say so; any refusal by the kernel means "not a member". */
static bool kernel_refused(int err)
{
	return err != -ENOMEM && err != -EIO && err != -EBADMSG;
}

static int check_member(struct ipmp_nl *nl, const char *group, uint32_t gidx,
			const char *ifname, uint32_t ifindex)
{
	struct ipmp_member m;
	char other[IF_NAMESIZE];
	int err;

	err = ipmp_get_member(nl, ifindex, &m);
	if (err && !kernel_refused(err))
		return fail("remove %s from %s: %s", ifname, group,
			    ipmp_nl_error(nl, err));
	if (err)
		return fail("remove %s from %s: %s is not a member of %s",
			    ifname, group, ifname, group);
	if (m.group_ifindex != gidx) {
		if (!if_indextoname(m.group_ifindex, other))
			snprintf(other, sizeof(other), "another group");
		return fail("remove %s from %s: %s is not a member of %s but of %s",
			    ifname, group, ifname, group, other);
	}
	return 0;
}

/*
 * MEMBER_DEL of the member @ifindex, or without one (its device is gone)
 * of the place group @gidx keeps for @ifname: 0 or a negative errno.
 */
int member_del_request(struct ipmp_nl *nl, uint32_t gidx, uint32_t ifindex,
		       const char *ifname)
{
	struct ipmp_msg m;

	ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_DEL, false, IPMP_A_MEMBER);
	if (ifindex) {
		ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	} else {
		ipmp_msg_str(&m, IPMP_A_MEMBER_IFNAME, ifname);
		ipmp_msg_u32(&m, IPMP_A_MEMBER_GROUP_IFINDEX, gidx);
	}
	return ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
}

static int remove_one(struct ipmp_nl *nl, const char *group,
		      const char *ifname)
{
	uint32_t gidx, ifindex;
	int err;

	if (resolve_ifindex(group, &gidx))
		return EXIT_FAILURE;
	ifindex = ifname_index(ifname);
	if (ifindex && check_member(nl, group, gidx, ifname, ifindex))
		return EXIT_FAILURE;
	err = member_del_request(nl, gidx, ifindex, ifname);
	if (err)
		return fail("remove %s from %s: %s", ifname, group,
			    ipmp_nl_error(nl, err));
	return 0;
}

int cmd_remove(int argc, char **argv)
{
	struct ipmp_nl *nl;
	int ret;

	if (help_requested(argc, argv))
		return print_help(remove_help);
	if (reject_options(argc, argv, remove_usage))
		return EXIT_USAGE;
	if (argc < 3)
		return usage_fail(remove_usage, argc < 2 ? "missing IPMPIF" :
				  "missing IF");
	if (argc > 3)
		return usage_fail(remove_usage, "unexpected '%s'", argv[3]);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	ret = remove_one(nl, argv[1], argv[2]);
	ipmp_nl_close(nl);
	return ret;
}

/* "set IF standby on|off", its syntax already checked by cmd_set(). */
int member_set(struct ipmp_nl *nl, const char *ifname, uint32_t ifindex,
	       int argc, char **argv)
{
	struct ipmp_msg m;
	bool standby;
	int err;

	if (argc != 2 || strcmp(argv[0], "standby") ||
	    parse_bool("standby", argv[1], "on", "off", &standby))
		return EXIT_USAGE;
	ipmp_msg_begin(&m, nl, IPMP_CMD_MEMBER_SET, false, IPMP_A_MEMBER);
	ipmp_msg_u32(&m, IPMP_A_MEMBER_IFINDEX, ifindex);
	ipmp_msg_u8(&m, IPMP_A_MEMBER_STANDBY, standby);
	err = ipmp_nl_request(nl, ipmp_msg_end(&m), NULL, NULL);
	if (err)
		return fail("set %s: %s", ifname, ipmp_nl_error(nl, err));
	return 0;
}
