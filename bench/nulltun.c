/*
 * nulltun.c - the naive user-space tunnel bench/compare measures pptpkit
 * against: IP packets from a TUN device are sent as UDP datagrams to the
 * peer, and datagrams from the peer are written to the TUN device. No
 * crypto, no header, no batching syscalls: one read() or recv() and one
 * send() or write() per packet, in a poll() loop, with 4 MiB socket
 * buffers. It is the floor any user-space tunnel with one packet per
 * syscall stands on; whatever a real tunnel costs beyond it is protocol
 * work.
 *
 *   nulltun IFNAME LOCAL_ADDR LOCAL_PORT PEER_ADDR PEER_PORT [BATCH]
 *
 * Creates IFNAME (IFF_TUN, no packet information), prints "ready IFNAME"
 * once the device and the socket exist (the caller then gives the device
 * its address and brings it up), and runs until SIGTERM or SIGINT, then
 * prints its packet counters. BATCH (default 64) is how many packets are
 * taken from one descriptor per wake-up, as pptpkitd does, so one
 * direction cannot starve the other; every packet is still its own
 * system call. A packet the other side cannot take at once (EAGAIN) is
 * dropped and counted, as a router would.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define NULLTUN_BUFSZ (4 * 1024 * 1024)
#define NULLTUN_PKT_MAX 65536

static volatile sig_atomic_t stop;

struct nulltun_stats {
	uint64_t tun_in, udp_out, udp_out_drop;
	uint64_t udp_in, tun_out, tun_out_drop, udp_in_foreign;
};

static void
on_signal(int sig)
{
	stop = 1;
}

static int
tun_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
parse_addr(const char *addr, const char *port, struct sockaddr_in *sin)
{
	char *end;
	long p = strtol(port, &end, 10);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (*end != '\0' || p <= 0 || p > 65535 ||
	    inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
		return -1;
	sin->sin_port = htons((uint16_t)p);
	return 0;
}

static int
udp_open(const struct sockaddr_in *local)
{
	int fd, sz = NULLTUN_BUFSZ;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* SO_*BUFFORCE ignores net.core.[rw]mem_max (we run as root); fall
	 * back to the capped variant otherwise. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (const struct sockaddr *)local, sizeof(*local)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* TUN -> UDP: up to batch packets, one read() and one sendto() each. */
static void
tun_to_udp(int tun, int udp, const struct sockaddr_in *peer, int batch,
    uint8_t *buf, struct nulltun_stats *st)
{
	for (int i = 0; i < batch; i++) {
		ssize_t n = read(tun, buf, NULLTUN_PKT_MAX);

		if (n <= 0)
			return;
		st->tun_in++;
		if (sendto(udp, buf, (size_t)n, 0, (const struct sockaddr *)peer,
		    sizeof(*peer)) < 0)
			st->udp_out_drop++;
		else
			st->udp_out++;
	}
}

/* UDP -> TUN: up to batch datagrams, one recvfrom() and one write() each;
 * datagrams from anyone but the peer are dropped. */
static void
udp_to_tun(int udp, int tun, const struct sockaddr_in *peer, int batch,
    uint8_t *buf, struct nulltun_stats *st)
{
	for (int i = 0; i < batch; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(udp, buf, NULLTUN_PKT_MAX, 0,
		    (struct sockaddr *)&from, &fl);

		if (n <= 0)
			return;
		st->udp_in++;
		if (from.sin_addr.s_addr != peer->sin_addr.s_addr ||
		    from.sin_port != peer->sin_port) {
			st->udp_in_foreign++;
			continue;
		}
		if (write(tun, buf, (size_t)n) < 0)
			st->tun_out_drop++;
		else
			st->tun_out++;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in local, peer;
	struct nulltun_stats st;
	struct sigaction sa;
	struct pollfd pfd[2];
	uint8_t *buf;
	int tun, udp, batch = 64;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: nulltun IFNAME LOCAL_ADDR LOCAL_PORT "
		    "PEER_ADDR PEER_PORT [BATCH]\n");
		return 64;
	}
	if (parse_addr(argv[2], argv[3], &local) != 0 ||
	    parse_addr(argv[4], argv[5], &peer) != 0) {
		fprintf(stderr, "nulltun: bad address or port\n");
		return 64;
	}
	if (argc == 7 && ((batch = atoi(argv[6])) < 1 || batch > 4096)) {
		fprintf(stderr, "nulltun: BATCH must be 1 to 4096\n");
		return 64;
	}
	if ((buf = malloc(NULLTUN_PKT_MAX)) == NULL)
		return 1;
	if ((tun = tun_open(argv[1])) < 0) {
		fprintf(stderr, "nulltun: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if ((udp = udp_open(&local)) < 0) {
		fprintf(stderr, "nulltun: udp %s:%s: %s\n", argv[2], argv[3],
		    strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	memset(&st, 0, sizeof(st));
	printf("ready %s\n", argv[1]);
	fflush(stdout);
	pfd[0].fd = tun;
	pfd[1].fd = udp;
	pfd[0].events = pfd[1].events = POLLIN;
	while (!stop) {
		if (poll(pfd, 2, 1000) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nulltun: poll: %s\n", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN)
			tun_to_udp(tun, udp, &peer, batch, buf, &st);
		if (pfd[1].revents & POLLIN)
			udp_to_tun(udp, tun, &peer, batch, buf, &st);
	}
	printf("tun_in=%llu udp_out=%llu udp_out_drop=%llu udp_in=%llu "
	    "tun_out=%llu tun_out_drop=%llu udp_in_foreign=%llu\n",
	    (unsigned long long)st.tun_in, (unsigned long long)st.udp_out,
	    (unsigned long long)st.udp_out_drop, (unsigned long long)st.udp_in,
	    (unsigned long long)st.tun_out, (unsigned long long)st.tun_out_drop,
	    (unsigned long long)st.udp_in_foreign);
	close(udp);
	close(tun);
	free(buf);
	return 0;
}
