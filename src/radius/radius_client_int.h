/*
 * radius_client_int.h - the inside of struct radius_client, shared by
 * radius_client.c (the interface: submit, replies, timers, events) and
 * radius_client_tx.c (the transactions: deadline heap, queue,
 * Identifiers, server choice, encoding and (re)transmission); not for
 * the owner.
 */
#ifndef PK_RADIUS_RADIUS_CLIENT_INT_H
#define PK_RADIUS_RADIUS_CLIENT_INT_H

#include <stdint.h>

#include "core/log.h"
#include "core/out.h"
#include "radius/radius_client.h"

enum tx_state {
	TX_FREE = 0,
	TX_QUEUED = 1,
	TX_SENT = 2,
	TX_PARKED = 3,
};

#define NONE UINT32_MAX
#define NO_SERVER (-1)

struct rc_tx {
	uint8_t state;
	uint8_t code;
	uint8_t prio;
	uint8_t add_delay;
	uint16_t gen;			/* handle = gen << 16 | index */
	uint8_t has_password;
	uint8_t password_len;
	uint8_t password[RADIUS_PASSWORD_MAX];
	uint8_t *attrs;			/* attrs_len octets, then key\0 */
	size_t attrs_len;
	const char *key;		/* inside attrs' allocation */
	uint64_t cookie;
	uint64_t submitted;
	uint32_t delay_base;
	uint64_t expire;		/* give up (Access), or NEVER */
	uint64_t due;			/* SENT/PARKED deadline */
	int server;			/* current, or NO_SERVER */
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	uint32_t tries;			/* transmissions to server */
	uint64_t replies_before;	/* server's replies at first send */
	uint32_t tried;			/* servers given up this round */
	/* The previous transmission of an accounting request, whose reply
	 * (if it comes late) still completes the request. */
	int prev_server;
	uint8_t prev_id;
	uint8_t prev_auth[RADIUS_AUTH_LEN];
	uint32_t qprev, qnext;		/* QUEUED list */
	uint32_t heap_pos;		/* NONE if not in the heap */
};

struct rc_recent {
	uint8_t auth[RADIUS_AUTH_LEN];
	uint8_t valid;
};

struct rc_server {
	struct radius_server_conf conf;
	uint32_t ids[RADIUS_IDS];	/* tx index, NONE if free */
	struct rc_recent recent[RADIUS_IDS];
	unsigned in_use;
	uint8_t next_id;
	uint64_t dead_until;		/* 0 = alive */
	/* Held down since its last answer: one request at a time until it
	 * answers again, even once the hold-down is over. */
	int probation;
	struct radius_server_stats st;
};

struct radius_client {
	struct radius_client_config cfg;
	uint32_t window;
	uint32_t give_up_ms;
	struct rc_server servers[PK_RADIUS_SERVERS_MAX];
	struct rc_tx *tx;		/* cfg.queue_max entries */
	uint32_t *heap;
	uint32_t heap_len;
	uint32_t free_head;		/* free list through qnext */
	uint32_t qhead, qtail;
	size_t n_used;
	size_t n_waiting;		/* QUEUED + PARKED */
	uint64_t retry_at;		/* work deferred for lack of space */
	struct radius_client_stats st;
	struct pk_ratelimit rl;
};

/* Wire header of an event's payload (then the reply's octets). */
struct rc_event_hdr {
	uint64_t cookie;
	uint32_t server;
	uint32_t len;
	uint8_t req_auth[RADIUS_AUTH_LEN];
};

/* radius_tx_pick_server() when no server is to be had now. */
#define PICK_WAIT (-1)
#define PICK_EXHAUSTED (-2)

/* The heap: a transaction's deadline (due or give-up time), put in or
 * taken out at its current deadline. */
uint64_t radius_tx_deadline(const struct rc_tx *t);
void radius_tx_unschedule(struct radius_client *c, uint32_t i);
void radius_tx_schedule(struct radius_client *c, uint32_t i);
/* The FIFO of waiting transactions. */
void radius_tx_queue_unlink(struct radius_client *c, uint32_t i);
void radius_tx_queue_add(struct radius_client *c, uint32_t i, int at_head);
/* Identifiers: an ID freed remembers the authenticator it answered. */
void radius_tx_id_release(struct radius_client *c, int s, uint8_t id,
    const uint8_t auth[RADIUS_AUTH_LEN]);
void radius_tx_release_ids(struct radius_client *c, struct rc_tx *t);
/* handle = generation << 16 | index; free returns the slot. */
uint32_t radius_tx_handle(const struct radius_client *c, uint32_t i);
void radius_tx_free(struct radius_client *c, uint32_t i);
/* Servers: alive (not held down), all held down, the next for t. */
int radius_tx_server_alive(const struct rc_server *sv, uint64_t now);
int radius_tx_all_dead(const struct radius_client *c, uint64_t now);
int radius_tx_pick_server(const struct radius_client *c, const struct rc_tx *t,
    uint64_t now);
/* Room for bytes more in out; remember to come back when there was
 * none. */
int radius_tx_out_room(const struct pk_out *out, size_t bytes);
void radius_tx_defer(struct radius_client *c, uint64_t now);
/* Transmissions: first to server s, and again to the same server. */
int radius_tx_send_first(struct radius_client *c, uint32_t i, int s,
    uint64_t now, struct pk_out *out);
int radius_tx_retransmit(struct radius_client *c, uint32_t i, uint64_t now,
    struct pk_out *out);
/* Whether any server could take a request now. */
int radius_tx_any_capacity(const struct radius_client *c, uint64_t now);

#endif
