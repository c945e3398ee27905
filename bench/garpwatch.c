// SPDX-License-Identifier: GPL-2.0
/*
 * garpwatch: when the gratuitous ARPs for a range of IPv4 addresses
 * arrive, for bench/scale.sh.
 *
 *   garpwatch IFNAME FIRST COUNT EXPECT TIMEOUT_MS
 *
 * Listens on IFNAME (AF_PACKET, ARP only) for gratuitous ARPs (sender IP
 * = target IP, request or reply) whose address is one of FIRST,
 * FIRST + 1, ... FIRST + COUNT - 1, and notes the kernel's arrival stamp
 * of the first one seen for each address.  Prints "ready" once the socket
 * listens, then stops when EXPECT distinct addresses were seen or
 * TIMEOUT_MS after "ready", and prints one line:
 *
 *   seen N first_us F last_us L packets P drops D
 *
 * N distinct addresses seen, F the stamp (CLOCK_REALTIME, us) of the
 * first gratuitous ARP, L the stamp of the first ARP of the address
 * announced last (when the last one was announced), P the matching
 * frames in all (repeats too), D the frames the socket dropped.
 * Exit status 0 when it listened (whatever it saw), 1 on errors, 2 on
 * usage errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* An Ethernet ARP payload for IPv4, as it is on the wire. */
struct arp4 {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6], sip[4], tha[6], tip[4];
} __attribute__((packed));

struct watch {
	uint32_t first;
	uint32_t count;
	uint8_t *seen;
	unsigned long nseen, packets;
	uint64_t first_us, last_us;
};

static void die(const char *what)
{
	fprintf(stderr, "garpwatch: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int open_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, on = 1, buf = 16 << 20;

	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP));
	if (fd < 0)
		die("socket");
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die(ifname);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf)))
		die("SO_RCVBUF");
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)))
		die("SO_TIMESTAMPNS");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	return fd;
}

/* The kernel's stamp of a received frame, in us; 0 when it has none. */
static uint64_t stamp_us(struct msghdr *mh)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		}
	}
	return 0;
}

static void note(struct watch *w, const struct arp4 *a, uint64_t us)
{
	uint32_t sip, idx;

	if (ntohs(a->ptype) != ETH_P_IP || a->plen != 4 || memcmp(a->sip, a->tip, 4))
		return;
	memcpy(&sip, a->sip, 4);
	idx = ntohl(sip) - w->first;
	if (idx >= w->count)
		return;
	w->packets++;
	if (w->seen[idx])
		return;
	w->seen[idx] = 1;
	w->nseen++;
	if (!w->first_us || us < w->first_us)
		w->first_us = us;
	if (us > w->last_us)
		w->last_us = us;
}

/* Reads what is queued, without blocking. */
static void drain(int fd, struct watch *w)
{
	char buf[256], ctl[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct timespec ts;
	ssize_t n;
	uint64_t us;

	for (;;) {
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			die("recvmsg");
		}
		if ((size_t)n < sizeof(struct arp4))
			continue;
		us = stamp_us(&mh);
		if (!us) {
			clock_gettime(CLOCK_REALTIME, &ts);
			us = (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		}
		note(w, (struct arp4 *)buf, us);
	}
}

static unsigned long parse(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > max) {
		fprintf(stderr, "garpwatch: %s '%s': a number up to %lu\n", what, s, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct watch w = { 0 };
	struct tpacket_stats st = { 0 };
	socklen_t len = sizeof(st);
	unsigned long expect, timeout_ms;
	struct in_addr first;
	uint64_t deadline, t;
	struct pollfd p;
	int fd;

	if (argc != 6) {
		fprintf(stderr, "usage: garpwatch IFNAME FIRST COUNT EXPECT TIMEOUT_MS\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[2], &first) != 1) {
		fprintf(stderr, "garpwatch: '%s' is not an IPv4 address\n", argv[2]);
		return 2;
	}
	w.first = ntohl(first.s_addr);
	w.count = parse(argv[3], "count", 1 << 24);
	expect = parse(argv[4], "expect", w.count);
	timeout_ms = parse(argv[5], "timeout", 3600000);
	w.seen = calloc(w.count ? w.count : 1, 1);
	if (!w.seen)
		die("calloc");

	fd = open_socket(argv[1]);
	printf("ready\n");
	fflush(stdout);
	deadline = now_us() + timeout_ms * 1000;
	p.fd = fd;
	p.events = POLLIN;
	while (w.nseen < expect) {
		t = now_us();
		if (t >= deadline)
			break;
		if (poll(&p, 1, (int)((deadline - t + 999) / 1000)) < 0 && errno != EINTR)
			die("poll");
		drain(fd, &w);
	}
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		die("PACKET_STATISTICS");
	printf("seen %lu first_us %llu last_us %llu packets %lu drops %u\n", w.nseen,
	       (unsigned long long)w.first_us, (unsigned long long)w.last_us,
	       w.packets, st.tp_drops);
	return 0;
}
