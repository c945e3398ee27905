// SPDX-License-Identifier: GPL-2.0
/*
 * A small generic netlink layer over libnl: open a socket, resolve the
 * "ipmp" family, send one request and collect its replies, or join one of
 * its multicast groups and read notifications.  The kernel's extended-ack
 * message is kept so that errors can show its own words; libnl 3.7 does not
 * parse it, so it is read from the nlmsgerr here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ipmpadm.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct ipmp_nl {
	struct nl_sock *sk;
	int family;
	char name[GENL_NAMSIZ];
	char errmsg[256];
};

struct request {
	struct ipmp_nl *nl;
	ipmp_reply_fn fn;
	void *arg;
	int err;
	bool done;
};

static const struct nla_policy top_policy[IPMP_A_MAX + 1] = {
	[IPMP_A_GROUP] = { .type = NLA_NESTED },
	[IPMP_A_MEMBER] = { .type = NLA_NESTED },
	[IPMP_A_ADDR] = { .type = NLA_NESTED },
	[IPMP_A_PROBE] = { .type = NLA_NESTED },
};

static void set_sockopt(struct nl_sock *sk, int opt)
{
	int one = 1;

	/* Older kernels lack these; requests still work, only less said. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, opt, &one, sizeof(one));
}

int ipmp_nl_open(struct ipmp_nl **nlp)
{
	return ipmp_nl_open_family(nlp, IPMP_GENL_NAME);
}

/* Any family by name: the tests talk to nlctrl through this layer. */
int ipmp_nl_open_family(struct ipmp_nl **nlp, const char *name)
{
	struct ipmp_nl *nl;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return fail("%s", strerror(ENOMEM));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return fail("%s", strerror(ENOMEM));
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		fail("cannot open a generic netlink socket: %s",
		     nl_geterror(err));
		goto err;
	}
	nl_socket_disable_auto_ack(nl->sk);
	set_sockopt(nl->sk, NETLINK_EXT_ACK);
	set_sockopt(nl->sk, NETLINK_GET_STRICT_CHK);

	nl->family = genl_ctrl_resolve(nl->sk, name);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND)
			fail("ipmp module not loaded (generic netlink family %s not found)",
			     name);
		else
			fail("cannot resolve generic netlink family %s: %s",
			     name, nl_geterror(nl->family));
		goto err;
	}
	snprintf(nl->name, sizeof(nl->name), "%s", name);
	*nlp = nl;
	return 0;
err:
	nl_socket_free(nl->sk);
	free(nl);
	return 1;
}

void ipmp_nl_close(struct ipmp_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

struct nl_msg *ipmp_nl_msg(struct ipmp_nl *nl, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 IPMP_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Request building: every message carries one nested object.  Failures are
 * remembered and reported once, by ipmp_msg_end().
 */
void ipmp_msg_begin(struct ipmp_msg *m, struct ipmp_nl *nl, uint8_t cmd,
		    bool dump, int nest)
{
	m->nest = NULL;
	m->msg = ipmp_nl_msg(nl, cmd, dump);
	if (m->msg)
		m->nest = nla_nest_start(m->msg, nest | NLA_F_NESTED);
	m->bad = !m->nest;
}

void ipmp_msg_u32(struct ipmp_msg *m, int type, uint32_t val)
{
	if (!m->bad && nla_put_u32(m->msg, type, val) < 0)
		m->bad = true;
}

void ipmp_msg_u8(struct ipmp_msg *m, int type, uint8_t val)
{
	if (!m->bad && nla_put_u8(m->msg, type, val) < 0)
		m->bad = true;
}

void ipmp_msg_str(struct ipmp_msg *m, int type, const char *val)
{
	if (!m->bad && nla_put_string(m->msg, type, val) < 0)
		m->bad = true;
}

void ipmp_msg_bin(struct ipmp_msg *m, int type, const void *data, int len)
{
	if (!m->bad && nla_put(m->msg, type, len, data) < 0)
		m->bad = true;
}

/* The finished message, or NULL (which ipmp_nl_request() calls ENOMEM). */
struct nl_msg *ipmp_msg_end(struct ipmp_msg *m)
{
	if (!m->bad && nla_nest_end(m->msg, m->nest) < 0)
		m->bad = true;
	if (m->bad) {
		nlmsg_free(m->msg);
		return NULL;
	}
	return m->msg;
}

/* Extended-ack TLVs start @off bytes into the payload of @nlh. */
static void read_ext_ack(struct ipmp_nl *nl, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      (int)(len - off), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(nl->errmsg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(nl->errmsg));
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);

	(void)nla;
	/* Unless capped, the request comes back whole before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN &&
	    e->msg.nlmsg_len <= nlh->nlmsg_len)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	read_ext_ack(req->nl, nlh, NLMSG_ALIGN(off));
	req->err = e->error < 0 ? e->error : -EPROTO;
	req->done = true;
	return NL_STOP;
}

/* A dump that fails midway says so in NLMSG_DONE. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	req->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(err))
		return NL_STOP;
	memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0 && !req->err) {
		req->err = err;
		read_ext_ack(req->nl, nlh, NLMSG_ALIGN(sizeof(err)));
	}
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[IPMP_A_MAX + 1];
	int err;

	/* After a failed reply keep draining, but look at nothing more. */
	if (req->err || !req->fn)
		return NL_OK;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, IPMP_A_MAX, top_policy);
	if (err < 0) {
		snprintf(req->nl->errmsg, sizeof(req->nl->errmsg),
			 "malformed reply from the kernel: %s",
			 nl_geterror(err));
		req->err = -EBADMSG;
		return NL_OK;
	}
	req->err = req->fn(tb, req->arg);
	return NL_OK;
}

static struct nl_cb *request_cb(struct request *req)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, req);
	return cb;
}

static int local_error(struct ipmp_nl *nl, const char *what, int nlerr)
{
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s: %s", what,
		 nl_geterror(nlerr));
	return -EIO;
}

/*
 * Send @msg (always consumed) and wait for its ack or, for a dump, for
 * NLMSG_DONE.  @fn sees each reply.  Returns 0 or a negative errno, with
 * ipmp_nl_error() telling why.
 */
int ipmp_nl_request(struct ipmp_nl *nl, struct nl_msg *msg,
		    ipmp_reply_fn fn, void *arg)
{
	struct request req = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->errmsg[0] = '\0';
	if (!msg)
		return -ENOMEM;
	cb = request_cb(&req);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		req.err = local_error(nl, "cannot send to the kernel", err);
		goto out;
	}
	while (!req.done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !req.done) {
			req.err = local_error(nl, "cannot read the kernel's reply",
					      err);
			break;
		}
	}
out:
	nl_cb_put(cb);
	return req.err;
}

/*
 * The kernel's own words when it gave some, else strerror.  Generic netlink
 * refuses a change without CAP_NET_ADMIN (GENL_UNS_ADMIN_PERM) before the
 * family sees it, without a word; as reads need no privilege, a bare EPERM
 * is always that.
 */
const char *ipmp_nl_error(const struct ipmp_nl *nl, int err)
{
	if (err < 0)
		err = -err;
	if (nl && nl->errmsg[0])
		return nl->errmsg;
	if (err == EPERM)
		return "permission denied: changes need CAP_NET_ADMIN";
	return strerror(err);
}

/*
 * Join the family's multicast group @group.  From then on the socket only
 * reads notifications, without blocking: requests on it would take them
 * for replies.  -ENOENT: the module has no such group; -EPERM: joining it
 * needs a privilege the caller lacks.
 */
/*
 * A listener's socket holds bursts of reports: the default buffer (about
 * 200 KiB) overflows at a few thousand a second.  SO_RCVBUFFORCE passes
 * net.core.rmem_max with CAP_NET_ADMIN; without it the kernel caps the
 * request at rmem_max.
 */
#define LISTEN_RCVBUF (8 << 20)

static void grow_rcvbuf(struct ipmp_nl *nl)
{
	int size = LISTEN_RCVBUF;

	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)))
		nl_socket_set_buffer_size(nl->sk, size, 0);
}

int ipmp_nl_join(struct ipmp_nl *nl, const char *group)
{
	int id, err;

	nl->errmsg[0] = '\0';
	id = genl_ctrl_resolve_grp(nl->sk, nl->name, group);
	if (id == -NLE_OBJ_NOTFOUND)
		return -ENOENT;
	if (id < 0)
		return local_error(nl, "cannot resolve the multicast group", id);
	err = nl_socket_add_membership(nl->sk, id);
	if (err == -NLE_PERM || err == -NLE_NOACCESS)
		return -EPERM;
	if (err < 0)
		return local_error(nl, "cannot join the multicast group", err);
	err = nl_socket_set_nonblocking(nl->sk);
	if (err < 0)
		return local_error(nl, "cannot set up the socket", err);
	grow_rcvbuf(nl);
	return 0;
}

/* To poll() for notifications. */
int ipmp_nl_fd(const struct ipmp_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

struct listen {
	struct ipmp_nl *nl;
	ipmp_notify_fn fn;
	void *arg;
	int err;
};

static int notify_cb(struct nl_msg *msg, void *arg)
{
	struct listen *l = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IPMP_A_MAX + 1];
	int err;

	if (l->err || nlh->nlmsg_type != l->nl->family)
		return NL_OK;
	err = genlmsg_parse(nlh, 0, tb, IPMP_A_MAX, top_policy);
	if (err < 0) {
		snprintf(l->nl->errmsg, sizeof(l->nl->errmsg),
			 "malformed notification from the kernel: %s",
			 nl_geterror(err));
		l->err = -EBADMSG;
		return NL_OK;
	}
	l->err = l->fn(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, tb,
		       l->arg);
	return NL_OK;
}

/* Notifications carry sequence number 0: nothing to check. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * Hand the notifications waiting on a joined socket to @fn, with their
 * command; 0 when none is waiting.  -ENOBUFS: the kernel dropped some
 * because they were not read fast enough; reading may go on.
 */
int ipmp_nl_receive(struct ipmp_nl *nl, ipmp_notify_fn fn, void *arg)
{
	struct listen l = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	nl->errmsg[0] = '\0';
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, notify_cb, &l);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	errno = 0;
	err = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (err == -NLE_AGAIN)
		err = 0;
	else if (err == -NLE_NOMEM && errno == ENOBUFS)
		return -ENOBUFS;
	else if (err < 0)
		return local_error(nl, "cannot read from the kernel", err);
	return l.err;
}
