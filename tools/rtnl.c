// SPDX-License-Identifier: GPL-2.0
/*
 * The few rtnetlink requests ipmpadm needs: a device's global addresses,
 * and adding or deleting one, so that "ipmpadm add" can move a new
 * member's addresses to its group as Solaris does; and a device's index by
 * name.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "ipmpadm.h"

struct addr_dump {
	uint32_t ifindex;
	struct ipmp_ifaddr *addrs;
	size_t max, n;
};

/* Global: what the kernel refuses on a new member (not link or host scope). */
static bool addr_is_global(const struct ifaddrmsg *ifa)
{
	return ifa->ifa_scope < RT_SCOPE_LINK;
}

static int addr_one(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ifaddrmsg *ifa = nlmsg_data(nlh);
	struct addr_dump *d = arg;
	struct nlattr *tb[IFA_MAX + 1];
	struct nlattr *local;
	struct ipmp_ifaddr *a;
	uint32_t flags;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_index != d->ifindex ||
	    nlmsg_parse(nlh, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return NL_OK;
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!local || nla_len(local) != (ifa->ifa_family == AF_INET ? 4 : 16) ||
	    !addr_is_global(ifa) || d->n == d->max)
		return NL_OK;
	flags = tb[IFA_FLAGS] ? nla_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	a = &d->addrs[d->n++];
	memset(a, 0, sizeof(*a));
	a->family = ifa->ifa_family;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->permanent = flags & IFA_F_PERMANENT;
	memcpy(a->local, nla_data(local), nla_len(local));
	if (tb[IFA_ADDRESS] && nla_len(tb[IFA_ADDRESS]) == nla_len(local))
		memcpy(a->peer, nla_data(tb[IFA_ADDRESS]), nla_len(local));
	else
		memcpy(a->peer, a->local, sizeof(a->peer));
	if (tb[IFA_BROADCAST] && nla_len(tb[IFA_BROADCAST]) == 4) {
		memcpy(a->brd, nla_data(tb[IFA_BROADCAST]), 4);
		a->has_brd = true;
	}
	return NL_OK;
}

static struct nl_sock *rtnl_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

int ifaddr_globals(uint32_t ifindex, struct ipmp_ifaddr *addrs, size_t max,
		      size_t *n)
{
	struct addr_dump d = { .ifindex = ifindex, .addrs = addrs, .max = max };
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct nl_sock *sk = rtnl_open();
	int err;

	if (!sk)
		return -ENOMEM;
	err = nl_send_simple(sk, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	if (err >= 0) {
		nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, addr_one, &d);
		err = nl_recvmsgs_default(sk);
	}
	nl_socket_free(sk);
	*n = d.n;
	return err < 0 ? -EIO : 0;
}

/* RTM_NEWADDR (exclusive) or RTM_DELADDR of @a on @ifindex; -errno. */
int ifaddr_change(int cmd, uint32_t ifindex, const struct ipmp_ifaddr *a)
{
	struct ifaddrmsg ifa = {
		.ifa_family = a->family, .ifa_prefixlen = a->prefixlen,
		.ifa_scope = a->scope, .ifa_index = ifindex,
	};
	int len = a->family == AF_INET ? 4 : 16, err = -ENOMEM;
	int flags = cmd == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0;
	struct nl_sock *sk = rtnl_open();
	struct nl_msg *msg;

	if (!sk)
		return -ENOMEM;
	msg = nlmsg_alloc_simple(cmd, NLM_F_REQUEST | NLM_F_ACK | flags);
	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, IFA_LOCAL, len, a->local) < 0 ||
	    nla_put(msg, IFA_ADDRESS, len, a->peer) < 0 ||
	    (a->has_brd && nla_put(msg, IFA_BROADCAST, 4, a->brd) < 0))
		goto out;
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	/* libnl's own error numbers: the two that matter here, else EIO. */
	if (err == -NLE_EXIST)
		err = -EEXIST;
	else if (err == -NLE_PERM)
		err = -EPERM;
	else if (err < 0)
		err = -EIO;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return err < 0 ? err : 0;
}

const char *ifaddr_str(const struct ipmp_ifaddr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->local, ip, sizeof(ip));
	snprintf(buf, len, "%s/%u", ip, a->prefixlen);
	return buf;
}

static int link_one(struct nl_msg *msg, void *arg)
{
	const struct ifinfomsg *ifi = nlmsg_data(nlmsg_hdr(msg));

	*(unsigned int *)arg = ifi->ifi_index;
	return NL_OK;
}

/*
 * The index of device @name in this netns, 0 when there is none.  Not
 * if_nametoindex(): for a name no device has, its ioctl makes the kernel
 * try to load a module of that name (modprobe, twice), which can take a
 * second; an RTM_GETLINK by name does not.
 */
unsigned int ifname_index(const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned int idx = 0;
	struct nl_sock *sk;
	struct nl_msg *msg;

	if (!*name || strlen(name) >= IF_NAMESIZE)
		return 0;
	sk = rtnl_open();
	if (!sk)
		return if_nametoindex(name);
	nl_socket_disable_auto_ack(sk);
	msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_REQUEST);
	if (msg && nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) >= 0 &&
	    nla_put_string(msg, IFLA_IFNAME, name) >= 0 &&
	    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) >= 0 &&
	    nl_send_auto(sk, msg) >= 0) {
		nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, link_one, &idx);
		/* No such device is an error reply, and idx stays 0. */
		nl_recvmsgs_default(sk);
	}
	nlmsg_free(msg);
	nl_socket_free(sk);
	return idx;
}
