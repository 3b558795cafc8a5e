/*
 * bitflip_ends.c - the two ends of the tunnel in the lab of `pptpkit
 * bitflip` (see bitflip_lab.h): a UDP sender in the client's namespace
 * and a UDP receiver in the server's, each a child process that enters
 * its namespace with setns(2); the receiver reports what arrived and the
 * kernel's UDP error counters through a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "audit/bitflip_lab.h"
#include "core/clock.h"

/* Enters network namespace name (created by ip netns add). */
int
bitflip_enter_ns(const char *name)
{
	char path[128];
	int fd, r;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	r = setns(fd, CLONE_NEWNET);
	close(fd);
	return r;
}

/* Udp: InErrors and InCsumErrors of this process's namespace (RFC
 * 4113 udpInErrors; Linux adds InCsumErrors). */
static void
udp_counters(long long *in_errors, long long *csum_errors)
{
	char head[512], vals[512], *hs, *vs, *h, *v;
	FILE *f = fopen("/proc/self/net/snmp", "r");

	*in_errors = *csum_errors = -1;
	if (f == NULL)
		return;
	while (fgets(head, sizeof(head), f) != NULL) {
		if (strncmp(head, "Udp:", 4) != 0 ||
		    fgets(vals, sizeof(vals), f) == NULL)
			continue;
		h = strtok_r(head, " \n", &hs);
		v = strtok_r(vals, " \n", &vs);
		while ((h = strtok_r(NULL, " \n", &hs)) != NULL &&
		    (v = strtok_r(NULL, " \n", &vs)) != NULL) {
			if (strcmp(h, "InErrors") == 0)
				*in_errors = strtoll(v, NULL, 10);
			else if (strcmp(h, "InCsumErrors") == 0)
				*csum_errors = strtoll(v, NULL, 10);
		}
		break;
	}
	fclose(f);
}

static void
rx_send(int fd, struct bitflip_rx_msg *m)
{
	if (write(fd, m, sizeof(*m)) != (ssize_t)sizeof(*m))
		_exit(1);
}

/* Child, in the server's namespace: receives until "bye" or timeout. */
static int
receiver(uint32_t addr, int out)
{
	struct sockaddr_in sin;
	struct bitflip_rx_msg m;
	uint64_t end;
	int fd;

	memset(&m, 0, sizeof(m));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = addr;
	sin.sin_port = htons(BITFLIP_DPORT);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		m.kind = BITFLIP_RX_FAIL;
		snprintf(m.data, sizeof(m.data), "bind: %s", strerror(errno));
		rx_send(out, &m);
		return 1;
	}
	udp_counters(&m.in_errors, &m.csum_errors);
	m.kind = BITFLIP_RX_READY;
	rx_send(out, &m);
	end = pk_clock_ms() + BITFLIP_RECEIVE_MS;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = pk_clock_ms();
		ssize_t n;

		if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
			break;
		n = recv(fd, m.data, sizeof(m.data) - 1, 0);
		if (n < 0)
			break;
		m.data[n] = '\0';
		m.len = (size_t)n;
		m.kind = BITFLIP_RX_DATA;
		rx_send(out, &m);
		if (strcmp(m.data, BITFLIP_AFTER) == 0)
			break;
	}
	/* Let a datagram dropped for its checksum be counted. */
	usleep(100 * 1000);
	memset(&m, 0, sizeof(m));
	udp_counters(&m.in_errors, &m.csum_errors);
	m.kind = BITFLIP_RX_DONE;
	rx_send(out, &m);
	return 0;
}

/* Child, in the client's namespace: the three datagrams. */
static int
sender(uint32_t from, uint32_t to, const char *msg)
{
	const char *msgs[3] = { BITFLIP_BEFORE, msg, BITFLIP_AFTER };
	struct sockaddr_in me, dst;
	int fd;

	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	me.sin_addr.s_addr = from;
	me.sin_port = htons(BITFLIP_SPORT);
	dst = me;
	dst.sin_addr.s_addr = to;
	dst.sin_port = htons(BITFLIP_DPORT);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)) != 0)
		return 1;
	for (int i = 0; i < 3; i++) {
		if (sendto(fd, msgs[i], strlen(msgs[i]), 0,
		    (struct sockaddr *)&dst, sizeof(dst)) < 0)
			return 1;
		usleep(300 * 1000);
	}
	return 0;
}

static pid_t
child_in(const char *ns, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (bitflip_enter_ns(ns) != 0)
			_exit(2);
		_exit(fn(arg));
	}
	return pid;
}

struct rx_arg {
	uint32_t addr;
	int fd;
};

struct tx_arg {
	uint32_t from, to;
	const char *msg;
};

static int
rx_main(void *p)
{
	struct rx_arg *a = p;

	return receiver(a->addr, a->fd);
}

static int
tx_main(void *p)
{
	struct tx_arg *a = p;

	return sender(a->from, a->to, a->msg);
}

int
bitflip_rx_read(int fd, struct bitflip_rx_msg *m, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	while (got < sizeof(*m)) {
		ssize_t n = read(fd, (char *)m + got, sizeof(*m) - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

pid_t
bitflip_receiver_start(const char *ns, uint32_t addr, int *fd)
{
	static struct rx_arg ra;
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) != 0)
		return -1;
	ra.addr = addr;
	ra.fd = pfd[1];
	if ((pid = child_in(ns, rx_main, &ra)) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	close(pfd[1]);
	*fd = pfd[0];
	return pid;
}

pid_t
bitflip_sender_start(const char *ns, uint32_t from, uint32_t to,
    const char *msg)
{
	static struct tx_arg ta;

	ta.from = from;
	ta.to = to;
	ta.msg = msg;
	return child_in(ns, tx_main, &ta);
}
