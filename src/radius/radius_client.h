/*
 * radius_client.h - the RADIUS client transaction machine, sans-I/O: a
 * bounded queue of requests, sent to a list of servers in failover order
 * with per-server secrets, timeouts, retries and a dead-server
 * hold-down; replies matched by server, Identifier and authenticator and
 * checked (Response Authenticator always, Message-Authenticator
 * required on Access-Accept/Reject/Challenge unless relaxed).
 *
 * One client serves one list of servers: the glue runs one for
 * authentication (port 1812) and one for accounting (1813, with
 * retry_forever so records wait out an outage). The client never
 * touches a socket or the clock:
 *
 *   radius_client_submit(c, now, &rq, &handle, out)   queue a request
 *   radius_client_input(c, now, server, bytes, len, out)  a datagram
 *                                   received on server's socket
 *   radius_client_timeout(c, now, out)  when now >= next_deadline
 *   radius_client_next_deadline(c)      absolute ms or PK_TIME_NEVER
 *
 * Results are appended to the caller's struct pk_out:
 *   OUT_UDP    tag = server index: one datagram to send to that server
 *   OUT_EVENT  source EV_SRC_RADIUS, type enum radius_client_event,
 *              id = the request's handle; read it with
 *              radius_client_event()
 *
 * Timers: each request in flight waits timeout_ms for a reply, then is
 * retransmitted (tries per server), then moves to the next server; the
 * server is held down for dead_ms if it answered nothing meanwhile.
 * Requests beyond the 256 Identifiers of a server (or the configured
 * window) wait in the queue. With every server held down, one request at
 * a time probes each of them. Accounting requests (retry_forever) that
 * went round every server wait park_ms and go round again; Access
 * requests fail after give_up_ms.
 *
 * Space: each call checks that out has room before it changes state for
 * a result; whatever does not fit stays due and next_deadline() returns
 * the time of that call, so the glue drains out and calls
 * radius_client_timeout() again. Give the client its own pk_out of at
 * least RADIUS_CLIENT_OUT_MIN bytes.
 */
#ifndef PK_RADIUS_RADIUS_CLIENT_H
#define PK_RADIUS_RADIUS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/out.h"
#include "radius/radius_packet.h"

/* Space each result may take in a pk_out (one datagram or one event
 * carrying a whole reply). */
#define RADIUS_CLIENT_OUT_MIN (2 * RADIUS_PACKET_MAX + 512)
/* Attributes a request may carry besides those the client adds at each
 * transmission (Message-Authenticator 18, User-Password up to 130,
 * Acct-Delay-Time 6). */
#define RADIUS_REQ_ATTRS_MAX (RADIUS_PACKET_MAX - RADIUS_HDR_LEN - 160)
#define RADIUS_REQ_KEY_MAX 64
#define RADIUS_IDS 256

/*
 * Which records an overfull accounting queue gives up first: an
 * Interim-Update (the next one carries the same totals) before a Start,
 * a Start before an Accounting-On/Off, and a Stop (it carries the
 * session's totals) never: a new record only displaces one of lower
 * priority, so a Stop is refused (and counted) only when the queue holds
 * nothing but Stops.
 */
enum radius_prio {
	RADIUS_PRIO_INTERIM = 0,
	RADIUS_PRIO_START = 1,
	RADIUS_PRIO_ONOFF = 2,
	RADIUS_PRIO_STOP = 3,
	RADIUS_PRIO_COUNT = 4,
};

/*
 * A request as the caller describes it; the client copies it. The
 * client adds per transmission: the Identifier, the authenticator, a
 * Message-Authenticator (Access-Request and Status-Server, always, first
 * attribute), the hidden User-Password (if has_password) and
 * Acct-Delay-Time (if add_delay_time).
 */
struct radius_request {
	uint8_t code;			/* RADIUS_CODE_*_REQUEST */
	uint8_t prio;			/* enum radius_prio (accounting) */
	int add_delay_time;		/* accounting: see RFC 2866 §5.2 */
	uint32_t delay_base;		/* seconds already waited */
	uint8_t attrs[RADIUS_REQ_ATTRS_MAX];
	size_t attrs_len;
	int has_password;
	uint8_t password[RADIUS_PASSWORD_MAX];	/* PAP, clear */
	size_t password_len;
	/* Accounting: a new Interim-Update or Stop for the same key (the
	 * Acct-Session-Id) replaces queued, unsent Interim-Updates. */
	char key[RADIUS_REQ_KEY_MAX + 1];
	uint64_t cookie;		/* returned in events */
};

/* Empties rq for a request of the given code. */
void radius_request_init(struct radius_request *rq, uint8_t code);
/* A writer over rq->attrs: encode attributes with radius_put_*(), then
 * radius_request_commit(). */
void radius_request_writer(struct radius_request *rq, struct buf_writer *w);
int radius_request_commit(struct radius_request *rq,
    const struct buf_writer *w);
/* Wipes the password (call on every path once submitted). */
void radius_request_wipe(struct radius_request *rq);

struct radius_server_conf {
	uint8_t secret[PK_RADIUS_SECRET_MAX];
	size_t secret_len;
	char name[64];			/* for logs: "198.18.0.1:1812" */
};

struct radius_client_config {
	struct radius_server_conf servers[PK_RADIUS_SERVERS_MAX];
	size_t n_servers;		/* in failover order, >= 1 */
	uint32_t timeout_ms;		/* per transmission (3000) */
	uint32_t tries;			/* transmissions per server (3) */
	uint32_t dead_ms;		/* hold-down, 0 = never (30000) */
	uint32_t queue_max;		/* requests held (4096) */
	uint32_t window;		/* in flight per server, <= 256 */
	/* Refuse Access-Accept/Reject/Challenge without a valid
	 * Message-Authenticator (BlastRADIUS, CVE-2024-3596). 1. */
	int require_ma;
	/* Accounting: never give a request up (0). */
	int retry_forever;
	uint32_t park_ms;		/* between rounds (30000) */
	/* Access: fail a request not answered within this time after
	 * submission; 0 = timeout_ms * tries * n_servers. */
	uint32_t give_up_ms;
	char log_ctx[64];		/* "radius=auth" */
};

enum radius_client_event {
	/* A verified reply; code 0; payload for radius_client_event(). */
	RADIUS_EV_REPLY = 1,
	/* No server answered in time (code PK_ERR_TIMEOUT); text says
	 * which were tried. */
	RADIUS_EV_FAILED = 2,
};

struct radius_server_stats {
	uint64_t requests;		/* first transmissions */
	uint64_t retransmissions;
	uint64_t timeouts;		/* requests that gave up on it */
	uint64_t replies;		/* verified and matched */
	uint64_t malformed;		/* refused by the decoder, bad code */
	uint64_t bad_authenticator;	/* Response Authenticator wrong */
	uint64_t bad_ma;		/* Message-Authenticator wrong */
	uint64_t missing_ma;		/* required but absent */
	uint64_t unsolicited;		/* no request with that ID */
	uint64_t duplicates;		/* answers an answered request */
	int dead;			/* held down at the given time */
	int probation;			/* one request at a time until it
					 * answers again */
	uint64_t dead_until;
	unsigned outstanding;		/* Identifiers in use */
};

struct radius_client_stats {
	size_t pending;			/* held: waiting + in flight */
	size_t waiting;			/* queued or parked */
	uint64_t submitted;
	uint64_t completed;
	uint64_t failed;		/* RADIUS_EV_FAILED */
	uint64_t cancelled;
	/* Lost to the queue bound, by enum radius_prio (includes refused
	 * submissions). The glue logs these and exports them. */
	uint64_t dropped[RADIUS_PRIO_COUNT];
	uint64_t superseded;		/* replaced Interim-Updates */
	uint64_t no_space;		/* results deferred: out full */
};

/* What an event carries (radius_client_event()). */
struct radius_result {
	int type;			/* enum radius_client_event */
	int code;			/* 0 or PK_ERR_* */
	uint32_t handle;
	uint64_t cookie;
	unsigned server;		/* that answered (REPLY) */
	uint8_t req_auth[RADIUS_AUTH_LEN];	/* of the request answered */
	struct radius_packet reply;	/* REPLY: decoded, borrowed from
					 * out (valid until out_reset) */
	char text[PK_EVENT_TEXT_MAX];
};

struct radius_client;

/* Timeout 3 s, 3 tries, hold-down 30 s, queue 4096, window 256, MA
 * required, no retry_forever, park 30 s. */
void radius_client_config_default(struct radius_client_config *cfg);

/* Copies cfg (secrets included; wipe yours). Returns 0, PK_ERR_ARG for
 * an impossible configuration, PK_ERR_NOMEM. */
int radius_client_new(struct radius_client **cp,
    const struct radius_client_config *cfg, uint64_t now);
/* Frees everything, wiping secrets and passwords; pending requests are
 * dropped without events. NULL is fine. */
void radius_client_free(struct radius_client *c);

/*
 * Queues a copy of rq and sends it at once if a server can take it.
 * *handle (may be NULL) identifies it in events and for cancel. Returns
 * 0, PK_ERR_ARG (bad request), or PK_ERR_FULL when the queue is at its
 * bound and nothing of lower priority can make room (counted in
 * dropped[]; the request is not queued).
 */
int radius_client_submit(struct radius_client *c, uint64_t now,
    const struct radius_request *rq, uint32_t *handle, struct pk_out *out);
/* Forgets a request (its session went away); no event follows. Returns
 * 0 or PK_ERR_NOT_FOUND. */
int radius_client_cancel(struct radius_client *c, uint32_t handle);

/*
 * A datagram received from server (its index in the configuration).
 * Returns 0 if it answered a request (RADIUS_EV_REPLY follows), or why
 * it was dropped (each counted in that server's stats):
 *   decoder errors (see radius_packet_decode), PK_ERR_TYPE wrong code
 *   PK_ERR_NOT_FOUND  unsolicited; PK_ERR_DUPLICATE a duplicate
 *   PK_ERR_AUTH       Response Authenticator or Message-Authenticator
 *   PK_ERR_POLICY     Message-Authenticator required but absent
 *   PK_ERR_FULL       out had no room (the request stays in flight)
 *   PK_ERR_ARG        server out of range
 */
int radius_client_input(struct radius_client *c, uint64_t now,
    unsigned server, const uint8_t *data, size_t len, struct pk_out *out);
int radius_client_timeout(struct radius_client *c, uint64_t now,
    struct pk_out *out);
uint64_t radius_client_next_deadline(const struct radius_client *c);

/* Requests held (waiting or in flight); 0 means everything submitted
 * was answered or given up (for a clean shutdown). */
size_t radius_client_pending(const struct radius_client *c);

/*
 * Reads an EV_SRC_RADIUS event item of out. Returns 0, or PK_ERR_TYPE
 * for another kind of item. res->reply borrows out's arena.
 */
int radius_client_event(const struct pk_out *out, size_t idx,
    struct radius_result *res);

/* The secret of server i (for decrypting attributes of its replies);
 * NULL if i is out of range. Borrowed from the client. */
const uint8_t *radius_client_secret(const struct radius_client *c,
    unsigned server, size_t *len);

void radius_client_stats(const struct radius_client *c,
    struct radius_client_stats *st);
int radius_client_server_stats(const struct radius_client *c,
    unsigned server, uint64_t now, struct radius_server_stats *st);

#endif
