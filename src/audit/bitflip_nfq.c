/*
 * bitflip_nfq.c - the in-flight modifier of `pptpkit bitflip` on the
 * lab's router: every forwarded GRE packet goes through an NFQUEUE
 * queue (libnetfilter_queue); clear-text IPCP is watched for the tunnel
 * addresses, the target packet is changed by bitflip_apply(), everything
 * else passes as it came. See bitflip_lab.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "audit/bitflip_lab.h"
#include "core/err.h"
#include "core/limits.h"

struct nfq_ctx {
	const struct bitflip_target *t;
	struct bitflip_ipcp ipcp;
	int report_fd;
	int done;		/* the target was changed once */
	uint32_t seen;
	uint8_t buf[PK_GRE_PACKET_MAX + 64];
};

static void
report(struct nfq_ctx *x, int kind, const struct bitflip_result *res,
    const char *text)
{
	struct bitflip_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.ipcp = x->ipcp;
	ev.seen = x->seen;
	if (res != NULL)
		ev.res = *res;
	if (text != NULL)
		snprintf(ev.text, sizeof(ev.text), "%s", text);
	/* A pipe write of this size is atomic; the lab reads whole
	 * records. */
	if (write(x->report_fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev))
		_exit(1);
}

static int
on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
    void *arg)
{
	struct nfq_ctx *x = arg;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	struct bitflip_result res;
	struct bitflip_ipcp before = x->ipcp;
	unsigned char *data;
	uint32_t id = ph != NULL ? ntohl(ph->packet_id) : 0;
	int len = nfq_get_payload(nfa, &data), r;

	if (len <= 0 || (size_t)len > sizeof(x->buf))
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
	x->seen++;
	memcpy(x->buf, data, (size_t)len);
	if (bitflip_snoop(x->buf, (size_t)len, x->t->outer_client,
	    &x->ipcp) == 1 && memcmp(&before, &x->ipcp, sizeof(before)) != 0)
		report(x, BITFLIP_EV_IPCP, NULL, NULL);
	if (!x->done) {
		r = bitflip_apply(x->t, &x->ipcp, x->buf, (size_t)len, &res);
		if (r == 1) {
			x->done = 1;
			report(x, BITFLIP_EV_FLIPPED, &res, NULL);
		} else if (r == PK_ERR_STATE)
			report(x, BITFLIP_EV_NOT_YET, NULL, "the target passed "
			    "before IPCP gave the addresses away");
	}
	return nfq_set_verdict(qh, id, NF_ACCEPT, (uint32_t)len, x->buf);
}

int
bitflip_nfq_run(int queue, const struct bitflip_target *t, int ctl_fd,
    int report_fd)
{
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	struct nfq_ctx x;
	char buf[65536] __attribute__((aligned));
	char msg[128];
	int fd;

	memset(&x, 0, sizeof(x));
	x.t = t;
	x.report_fd = report_fd;
	if ((h = nfq_open()) == NULL) {
		snprintf(msg, sizeof(msg), "nfq_open: %s", strerror(errno));
		report(&x, BITFLIP_EV_FAILED, NULL, msg);
		return 1;
	}
	if ((qh = nfq_create_queue(h, (uint16_t)queue, on_packet, &x)) ==
	    NULL || nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
		snprintf(msg, sizeof(msg), "NFQUEUE %d: %s (nfnetlink_queue "
		    "missing?)", queue, strerror(errno));
		report(&x, BITFLIP_EV_FAILED, NULL, msg);
		nfq_close(h);
		return 1;
	}
	fd = nfq_fd(h);
	report(&x, BITFLIP_EV_READY, NULL, NULL);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = ctl_fd, .events = POLLIN },
		};
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents != 0)
			break;		/* the lab is done with us */
		if (!(p[0].revents & POLLIN))
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == ENOBUFS)
			continue;	/* the kernel dropped some: go on */
		if (n <= 0)
			break;
		nfq_handle_packet(h, buf, (int)n);
	}
	nfq_destroy_queue(qh);
	nfq_close(h);
	return 0;
}
