// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: a steady stream of numbered UDP datagrams, and the receiver
 * that measures its gaps: the traffic of bench/outage.sh.
 *
 *   udpflood send ADDRESS PORT RATE    datagrams a second, until SIGTERM
 *   udpflood recv PORT                 until SIGTERM
 *
 * The sender wakes when the next datagram is due (clock_nanosleep,
 * absolute), sends every datagram due by then, and stamps each with a
 * sequence number that counts only what it sent: a datagram it never sent
 * is not a lost one.  When it is starved for more than 10 ms it drops
 * the backlog instead of sending it in a burst.  At exit it prints
 * "sent N rate R skipped S" (R: datagrams a second over its run).
 *
 * The receiver reads the kernel's arrival stamp of each datagram
 * (SO_TIMESTAMPNS) and keeps, for the segment since its last report:
 * the datagrams received, the lost ones (holes in the sequence), and the
 * longest gap between two arrivals, the gap still open at the report
 * included.  It prints "ready port P" once its signal handlers are in
 * place; then SIGUSR1 prints a report and starts a new segment, SIGTERM
 * prints a last one and exits.  A report is one line:
 *
 *   seg N recv R lost L maxgap_us G open_us O end_us E lossspan_us S
 *
 * (O: the time since the last arrival, part of G when it is the longest;
 * E: when the longest gap ended, CLOCK_REALTIME in microseconds; S: the
 * longest time over which the datagrams sent were lost, from the send
 * stamps of the two datagrams received on either side of a hole in the
 * sequence: unlike G, blind to a stall of the sender or the receiver
 * that loses nothing).
 * A segment that received nothing reports its whole length as the gap.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NSEC		1000000000LL
#define BACKLOG_NS	10000000LL	/* starved longer than this: skip */
#define BATCH		64

struct datagram {
	uint64_t seq;		/* network byte order, from 0 */
	uint64_t sent_ns;	/* CLOCK_MONOTONIC, network byte order */
	char pad[16];
};

static volatile sig_atomic_t stop, report;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_report(int sig)
{
	(void)sig;
	report = 1;
}

/* No SA_RESTART: a signal ends a blocking call at once. */
static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL)) {
		perror("udpflood: sigaction");
		exit(1);
	}
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * NSEC + t->tv_nsec;
}

static int64_t now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return ts_ns(&t);
}

static uint64_t hton64(uint64_t v)
{
	return ((uint64_t)htonl((uint32_t)v) << 32) | htonl((uint32_t)(v >> 32));
}

static int parse_port(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return (*s && !*end && v > 0 && v < 65536) ? (int)v : -1;
}

static int sender(const char *addr, const char *port_s, const char *rate_s)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	uint64_t sent = 0, skipped = 0;
	int64_t period, start, next, now;
	struct datagram d;
	struct timespec t;
	double rate;
	char *end;
	int fd, port;

	port = parse_port(port_s);
	rate = strtod(rate_s, &end);
	if (inet_pton(AF_INET, addr, &dst.sin_addr) != 1 || port < 0 || *end ||
	    !(rate >= 1 && rate <= 1e6)) {
		fprintf(stderr, "udpflood: send ADDRESS PORT RATE: an IPv4 address, "
			"a port 1-65535, a rate 1-1000000 a second\n");
		return 2;
	}
	dst.sin_port = htons((uint16_t)port);
	period = (int64_t)(NSEC / rate);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("udpflood: send: socket");
		return 1;
	}
	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	memset(&d, 0, sizeof(d));
	start = next = now_ns(CLOCK_MONOTONIC);
	while (!stop) {
		t.tv_sec = next / NSEC;
		t.tv_nsec = next % NSEC;
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
			continue;
		now = now_ns(CLOCK_MONOTONIC);
		if (now - next > BACKLOG_NS) {
			skipped += (uint64_t)((now - next) / period);
			next = now;
		}
		while (next <= now && !stop) {
			d.seq = hton64(sent);
			d.sent_ns = hton64((uint64_t)now);
			/*
			 * A send refused (no route or neighbour for a moment
			 * while the link is out) is not a sent datagram.
			 */
			if (send(fd, &d, sizeof(d), 0) == (ssize_t)sizeof(d))
				sent++;
			next += period;
		}
	}
	now = now_ns(CLOCK_MONOTONIC);
	printf("sent %" PRIu64 " rate %.0f skipped %" PRIu64 "\n", sent,
	       now > start ? (double)sent * NSEC / (double)(now - start) : 0.0,
	       skipped);
	return 0;
}

struct segment {
	unsigned long n;	/* its number, from 1 */
	int64_t start;		/* CLOCK_REALTIME ns, as the arrival stamps */
	int64_t last;		/* the last arrival, 0 before the first */
	int64_t maxgap, maxgap_end, maxspan;
	uint64_t recv, lost;
};

static uint64_t expected;	/* the next sequence number, across segments */
static int64_t last_arrival;	/* across segments: a gap may span a report */
static int64_t last_sent;	/* the send stamp of the newest datagram */

static void seg_print(struct segment *s)
{
	int64_t now = now_ns(CLOCK_REALTIME);
	int64_t from = last_arrival ? last_arrival : s->start;
	int64_t open = now - (from > s->start ? from : s->start);

	if (s->maxgap < open) {
		s->maxgap = open;
		s->maxgap_end = now;
	}
	printf("seg %lu recv %" PRIu64 " lost %" PRIu64 " maxgap_us %" PRId64
	       " open_us %" PRId64 " end_us %" PRId64 " lossspan_us %" PRId64 "\n",
	       s->n, s->recv, s->lost, s->maxgap / 1000, open / 1000,
	       s->maxgap_end / 1000, s->maxspan / 1000);
	fflush(stdout);
	s->n++;
	s->start = now;
	s->recv = s->lost = 0;
	s->maxgap = s->maxgap_end = s->maxspan = 0;
}

static void seg_add(struct segment *s, uint64_t seq, int64_t sent, int64_t at)
{
	/*
	 * A gap that began before this segment counts from the segment's
	 * start: what came before was the last segment's.
	 */
	int64_t from = last_arrival > s->start ? last_arrival : s->start;

	if (at - from > s->maxgap) {
		s->maxgap = at - from;
		s->maxgap_end = at;
	}
	if (at > last_arrival)
		last_arrival = at;
	s->recv++;
	if (seq >= expected) {
		if (expected && seq > expected) {	/* a hole */
			s->lost += seq - expected;
			if (sent - last_sent > s->maxspan)
				s->maxspan = sent - last_sent;
		}
		expected = seq + 1;
		last_sent = sent;
	}
}

static int64_t arrival(struct msghdr *m)
{
	struct cmsghdr *c;
	struct timespec t;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&t, CMSG_DATA(c), sizeof(t));
			return ts_ns(&t);
		}
	}
	return now_ns(CLOCK_REALTIME);
}

static int receiver(const char *port_s)
{
	static char ctl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	static struct datagram buf[BATCH];
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct segment s = { .n = 1 };
	int fd, port, one = 1, i, n;
	int rcvbuf = 64 << 20;

	port = parse_port(port_s);
	if (port < 0) {
		fprintf(stderr, "udpflood: recv PORT: a port 1-65535\n");
		return 2;
	}
	src.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		perror("udpflood: recv: socket");
		return 1;
	}
	/*
	 * Room for a long stall of the receiver: a datagram the socket had
	 * no room for would look like one lost on the way, and leave a gap.
	 * Beyond rmem_max when root may (SO_RCVBUFFORCE).
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	handle(SIGUSR1, on_report);
	s.start = now_ns(CLOCK_REALTIME);
	printf("ready port %d\n", port);
	fflush(stdout);
	while (!stop) {
		if (report) {
			report = 0;
			seg_print(&s);
		}
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = &buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_control = ctl[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("udpflood: recv");
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (msgs[i].msg_len < offsetof(struct datagram, pad))
				continue;
			seg_add(&s, hton64(buf[i].seq), (int64_t)hton64(buf[i].sent_ns),
				arrival(&msgs[i].msg_hdr));
		}
	}
	seg_print(&s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "send"))
		return sender(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return receiver(argv[2]);
	fprintf(stderr, "usage: udpflood send ADDRESS PORT RATE\n"
		"       udpflood recv PORT\n");
	return 2;
}
