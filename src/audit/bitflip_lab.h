/*
 * bitflip_lab.h - the lab of `pptpkit bitflip`: three network namespaces
 * it creates and deletes itself (client, router, server; addresses in
 * 198.18.0.0/15), pptpkitd and `pptpkit connect` from the build
 * directory with MS-CHAPv2 and MPPE, the in-flight modifier on the router
 * (NFQUEUE, bitflip_nfq.c: libnetfilter_queue), and a UDP sender and
 * receiver at the two ends of the tunnel.
 *
 *   client ns  eth0 198.18.70.2/24 --- 198.18.70.1 router ns 198.18.71.1
 *              --- eth0 198.18.71.2/24 server ns
 *   tunnel     198.19.70.2 (client) -> 198.19.70.1 (server), UDP 40000 ->
 *              5300
 *
 * The modifier gets the message format (the known plaintext) and nothing
 * else: no key, no password.
 */
#ifndef PK_AUDIT_BITFLIP_LAB_H
#define PK_AUDIT_BITFLIP_LAB_H

#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "audit/bitflip.h"

#define BITFLIP_SPORT 40000
#define BITFLIP_DPORT 5300
/* Messages the sender sends around the target, to show that the
 * modifier picks only the one it wants and the tunnel stays in step. */
#define BITFLIP_BEFORE "hello from the client"
#define BITFLIP_AFTER "bye"

struct bitflip_options {
	char build_dir[512];	/* pptpkitd and pptpkit */
	char message[BITFLIP_MSG_MAX + 1];
	size_t offset;		/* of the change in message */
	char repl[BITFLIP_MSG_MAX + 1];
	int checksum;		/* enum bitflip_checksum */
	int stateful;		/* MPPE stateful mode on both ends */
	int bits;		/* 40, 56 or 128 */
	int verbose;		/* show the daemons' logs at the end */
};

/* One event from the modifier (bitflip_nfq.c) to the lab. */
enum bitflip_event_kind {
	BITFLIP_EV_READY = 1,	/* the queue is bound */
	BITFLIP_EV_IPCP,	/* learnt an address */
	BITFLIP_EV_FLIPPED,	/* modified the target */
	BITFLIP_EV_NOT_YET,	/* saw the target before the addresses */
	BITFLIP_EV_FAILED,	/* could not set the queue up */
};

struct bitflip_event {
	int kind;
	struct bitflip_ipcp ipcp;
	struct bitflip_result res;
	uint32_t seen;		/* GRE packets that passed the queue */
	char text[128];
};

#define BITFLIP_RX_MAX 8

struct bitflip_report {
	char mppe[32];		/* "128-stateless", from the client */
	char auth[16];
	uint32_t client_tun, server_tun;	/* network order */
	struct bitflip_ipcp ipcp;	/* what the modifier learnt */
	int flipped;
	struct bitflip_result res;
	uint32_t gre_seen;
	/* what the receiver got, in order */
	char rx[BITFLIP_RX_MAX][BITFLIP_MSG_MAX + 1];
	size_t rx_len[BITFLIP_RX_MAX];
	int n_rx;
	/* the receiving kernel's UDP counters (RFC 4113 names), and the
	 * server session's IP packets from the client, before and after */
	long long udp_in_errors[2], udp_csum_errors[2];
	long long srv_rx_packets[2];
	int arrived_altered;	/* the altered message was delivered */
	int arrived_original;	/* the original got through instead */
	int ok;			/* the demonstration showed its point */
};

/*
 * Builds the lab, runs the exchange, tears everything down. Returns 0
 * when it ran (rep->ok says whether the result is what the mode
 * predicts), or -1 with a message in err (not root, a tool missing, a
 * daemon that did not start...).
 */
int bitflip_lab_run(const struct bitflip_options *o,
    struct bitflip_report *rep, char *err, size_t errlen);

/*
 * The modifier's loop, run by the lab in a child process inside the
 * router's namespace: binds NFQUEUE queue, passes every packet back
 * (the target one changed), and writes struct bitflip_event records to
 * report_fd. Returns when ctl_fd reaches EOF. Exit status for the child.
 */
int bitflip_nfq_run(int queue, const struct bitflip_target *t, int ctl_fd,
    int report_fd);

/* --- lab internals shared by bitflip_lab.c and bitflip_ends.c --- */

/* How long the receiver waits for the messages. */
#define BITFLIP_RECEIVE_MS 5000

enum bitflip_rx_kind {
	BITFLIP_RX_READY = 1,	/* bound; counters before */
	BITFLIP_RX_DATA,	/* one datagram */
	BITFLIP_RX_DONE,	/* counters after */
	BITFLIP_RX_FAIL,	/* data says why */
};

struct bitflip_rx_msg {
	int kind;
	long long in_errors, csum_errors;
	size_t len;
	char data[BITFLIP_MSG_MAX + 1];
};

/* Enters the network namespace "ip netns add" created. 0 or -1. */
int bitflip_enter_ns(const char *name);
/* Forks the receiver in ns, bound to addr:BITFLIP_DPORT; *fd reads its
 * struct bitflip_rx_msg records. Returns its PID or -1. */
pid_t bitflip_receiver_start(const char *ns, uint32_t addr, int *fd);
/* Forks the sender in ns: BITFLIP_BEFORE, msg, BITFLIP_AFTER from
 * from:BITFLIP_SPORT to to:BITFLIP_DPORT. Returns its PID or -1. */
pid_t bitflip_sender_start(const char *ns, uint32_t from, uint32_t to,
    const char *msg);
/* Reads one record within ms. 0 or -1. */
int bitflip_rx_read(int fd, struct bitflip_rx_msg *m, int ms);

#endif
