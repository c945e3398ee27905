// SPDX-License-Identifier: GPL-2.0
/*
 * ipmpstat -p: the kernel reports each probe that was answered or lost on
 * the multicast group "probes"; one line each, as it comes, until SIGINT
 * or SIGTERM.  Joining the group needs CAP_NET_ADMIN, as -p needs root on
 * Solaris.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "ipmpadm.h"

/*
 * A group has at most IPMP_TARGETS_MAX targets: each is looked up once,
 * not once per probe, so that a slow resolver does not hold the lines up.
 */
#define NAMES_MAX 32

static struct {
	struct ipmp_addr a;
	bool found;
	char name[NI_MAXHOST];
} names[NAMES_MAX];
static size_t nnames;

static bool same_addr(const struct ipmp_addr *x, const struct ipmp_addr *y)
{
	return x->family == y->family &&
	       !memcmp(x->addr, y->addr, x->family == AF_INET ? 4 : 16);
}

static int cached_hostname(const struct ipmp_addr *a, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < nnames && !same_addr(&names[i].a, a); i++)
		;
	if (i == nnames) {
		if (nnames == NAMES_MAX)
			return ipmp_hostname(a, buf, len);
		names[i].a = *a;
		names[i].found = !ipmp_hostname(a, names[i].name,
						sizeof(names[i].name));
		nnames++;
	}
	if (!names[i].found)
		return -1;
	snprintf(buf, len, "%s", names[i].name);
	return 0;
}

struct listener {
	struct ipmpstat_fmt *fmt;
	int write_err;
};

/* Each line is flushed: ipmpstat -p is read through pipes as it runs. */
static int one_probe(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct listener *l = arg;
	struct ipmp_probe p;
	int err;

	if (cmd != IPMP_CMD_PROBE)
		return 0;
	err = ipmp_parse_probe(tb, &p);
	if (err < 0)
		warn("ignoring a malformed probe report from the kernel");
	if (err)
		return 0;
	ipmpstat_print_probe(stdout, l->fmt, &p);
	if (fflush(stdout) == EOF) {
		l->write_err = errno;
		return -EIO;
	}
	return 0;
}

static int join(struct ipmp_nl *nl)
{
	int err = ipmp_nl_join(nl, IPMP_MCGRP_PROBES);

	if (err == -EPERM)
		return fail("probe information needs CAP_NET_ADMIN (run as root)");
	if (err == -ENOENT)
		return fail("-p is not supported by this ipmp module (no probes multicast group)");
	if (err)
		return fail("cannot listen for probes: %s",
			    ipmp_nl_error(nl, err));
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int listen_loop(struct ipmp_nl *nl, struct ipmpstat_fmt *fmt,
		       const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = ipmp_nl_fd(nl), .events = POLLIN };
	struct listener l = { .fmt = fmt };
	int err;

	while (!stop_requested()) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return fail("cannot wait for probes: %s",
				    strerror(errno));
		}
		err = ipmp_nl_receive(nl, one_probe, &l);
		if (l.write_err)
			return fail("cannot write: %s", strerror(l.write_err));
		if (err == -ENOBUFS) {
			warn("some probe reports were lost: ipmpstat did not read them in time");
			ipmpstat_print_lost(stdout, fmt);
			fflush(stdout);
		} else if (err == -EBADMSG)
			warn("%s", ipmp_nl_error(nl, err));
		else if (err)
			return fail("cannot read probe reports: %s",
				    ipmp_nl_error(nl, err));
	}
	return 0;
}

/*
 * As Solaris: with no member probing anywhere there is nothing to show,
 * and ipmpstat -p says so rather than wait for ever.
 */
static int some_member_probes(struct ipmp_nl *nl)
{
	struct ipmp_state st = { 0 };
	bool probing = false;
	int err;

	err = ipmp_dump_groups(nl, &st);
	if (!err)
		err = ipmp_dump_members(nl, 0, &st);
	for (size_t i = 0; !err && i < st.ngroups; i++)
		probing = probing || group_probing(&st, st.groups[i].ifindex);
	ipmp_state_free(&st);
	if (err)
		return fail("cannot get the IPMP state: %s",
			    ipmp_nl_error(nl, err));
	if (!probing)
		return fail("probe-based failure detection is disabled: no member has a test address in a group that probes");
	return 0;
}

int ipmpstat_probes(struct ipmpstat_fmt *fmt, bool numeric)
{
	struct ipmp_nl *nl;
	sigset_t waitmask;
	int ret;

	if (!numeric)
		ipmpstat_fmt_names(fmt, cached_hostname);
	if (ipmp_nl_open(&nl))
		return EXIT_FAILURE;
	catch_stop_signals(&waitmask);
	ret = some_member_probes(nl);
	if (!ret)
		ret = join(nl);
	if (!ret) {
		ipmpstat_fmt_epoch(fmt, now_ns());
		ret = listen_loop(nl, fmt, &waitmask);
	}
	ipmp_nl_close(nl);
	return ret;
}
