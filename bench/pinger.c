// SPDX-License-Identifier: GPL-2.0
/*
 * pinger: ICMP echo requests to one IPv4 address at a steady rate, from
 * one process, every reply read: what a lean userspace prober pays per
 * probe, the baseline of bench/probe-cpu.sh.
 *
 *   pinger ADDRESS RATE        (until SIGINT or SIGTERM; needs root)
 *
 * iputils ping is no baseline at these rates: when its next send is 10 ms
 * away or less it spins on sched_yield() instead of sleeping.  This one
 * sleeps until each send is due (clock_nanosleep, absolute), sends, and
 * drains the replies that came meanwhile without blocking: one wakeup a
 * probe, as a timer-driven prober has; when it falls behind it skips
 * what is late rather than catch up.  At exit it prints
 * "sent N received N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static unsigned short checksum(const void *data, size_t len)
{
	const unsigned short *p = data;
	unsigned long sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	if (len)
		sum += *(const unsigned char *)p;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return (unsigned short)~sum;
}

static void add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

/* Replies waiting on the socket, read without blocking. */
static unsigned long drain(int fd, unsigned short id)
{
	unsigned char buf[256];
	unsigned long n = 0;
	struct icmphdr *icmp;
	struct iphdr *ip;
	ssize_t len;

	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		ip = (struct iphdr *)buf;
		if ((size_t)len < ip->ihl * 4U + sizeof(*icmp))
			continue;
		icmp = (struct icmphdr *)(buf + ip->ihl * 4);
		if (icmp->type == ICMP_ECHOREPLY && icmp->un.echo.id == id)
			n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long sent = 0, received = 0;
	struct { struct icmphdr h; char data[56]; } pkt;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec next, now;
	unsigned short id;
	double rate;
	long period, late;
	int fd;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1 ||
	    (rate = strtod(argv[2], NULL)) <= 0 || rate > 1e6) {
		fprintf(stderr, "usage: pinger ADDRESS RATE (echo requests a second)\n");
		return 2;
	}
	period = (long)(1e9 / rate);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		perror("pinger: socket");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	id = htons((unsigned short)getpid());
	memset(&pkt, 0, sizeof(pkt));
	pkt.h.type = ICMP_ECHO;
	pkt.h.un.echo.id = id;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			continue;
		pkt.h.un.echo.sequence = htons((unsigned short)sent);
		pkt.h.checksum = 0;
		pkt.h.checksum = checksum(&pkt, sizeof(pkt));
		if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) == (ssize_t)sizeof(pkt))
			sent++;
		received += drain(fd, id);
		add_ns(&next, period);
		/*
		 * Starved for more than two periods: what is late is skipped,
		 * not sent in a burst, as a timer-driven prober would.
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = (now.tv_sec - next.tv_sec) * 1000000000L +
		       (now.tv_nsec - next.tv_nsec);
		if (late > 2 * period)
			next = now;
	}
	received += drain(fd, id);
	printf("sent %lu received %lu\n", sent, received);
	return 0;
}
