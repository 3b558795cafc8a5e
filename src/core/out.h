/*
 * out.h - what a sans-I/O call returns.
 *
 * Protocol cores never touch sockets. Each entry point takes the input
 * bytes and the current time and appends its results, in order, to a
 * caller-owned struct pk_out: bytes for the control stream, GRE packets
 * for the peer, PPP frames, IP packets for the TUN device, and events.
 * The caller drains the list after the call and then calls out_reset().
 * Keeping results in one ordered list (rather than callbacks) means no
 * core is ever re-entered from inside itself: a session that wants to
 * react to "authentication requested" does so after the call returns.
 *
 * The list has a fixed capacity chosen at out_init(); a call that would
 * overflow it returns PK_ERR_FULL and sets o->overflow, which callers
 * treat as a bug in sizing (the caps in core/limits.h bound every call).
 */
#ifndef PK_CORE_OUT_H
#define PK_CORE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum out_kind {
	OUT_CTRL = 1,	/* bytes for the PPTP control (TCP) stream */
	OUT_GRE = 2,	/* one GRE packet (GRE header on), for the peer */
	OUT_PPP = 3,	/* one PPP frame, protocol field first, no HDLC */
	OUT_IP = 4,	/* one IPv4/IPv6 packet for the TUN device */
	OUT_EVENT = 5,	/* one struct pk_event, optionally with payload */
	OUT_UDP = 6,	/* one datagram; tag = index of the peer (RADIUS) */
};

/* Who raised an event. */
enum ev_source {
	EV_SRC_CTRL = 1,	/* PPTP control connection / call */
	EV_SRC_GRE = 2,
	EV_SRC_PPP = 3,
	EV_SRC_AUTH = 4,
	EV_SRC_SESSION = 5,
	EV_SRC_RADIUS = 6,
};

#define PK_EVENT_TEXT_MAX 160

struct pk_event {
	uint16_t source;	/* enum ev_source */
	uint16_t type;		/* defined by the source module's header */
	int32_t code;		/* PK_ERR_* or a protocol result code */
	uint32_t id;		/* call ID or other object ID, 0 if none */
	char text[PK_EVENT_TEXT_MAX];	/* reason for humans, NUL-ended */
};

struct out_item {
	uint16_t kind;		/* enum out_kind */
	uint16_t tag;		/* call ID for OUT_GRE/OUT_PPP, else 0 */
	uint32_t off;		/* into the arena */
	uint32_t len;
};

struct pk_out {
	uint8_t *arena;
	size_t arena_cap;
	size_t arena_used;
	size_t arena_dirty;	/* bytes that may hold data, to wipe */
	struct out_item *items;
	size_t items_cap;
	size_t n_items;
	int overflow;
};

/* Allocates the arena and item table. Returns 0 or PK_ERR_NOMEM. */
int out_init(struct pk_out *o, size_t arena_cap, size_t items_cap);
/* Both wipe the arena bytes used so far (they may hold secrets). */
void out_free(struct pk_out *o);
void out_reset(struct pk_out *o);

/* Appends a copy of len bytes as one item. */
int out_put(struct pk_out *o, uint16_t kind, uint16_t tag, const void *data,
    size_t len);
/*
 * Starts an item written in place: *w is set up over up to max bytes of
 * the arena; finish with out_commit(). Only one item may be open.
 */
int out_begin(struct pk_out *o, size_t max, struct buf_writer *w);
int out_commit(struct pk_out *o, uint16_t kind, uint16_t tag,
    const struct buf_writer *w);

/*
 * Appends an event. text is printf-style and may be NULL. payload
 * (payload_len bytes, may be 0) follows the header in the item; read it
 * back with out_event_payload().
 */
int out_event(struct pk_out *o, uint16_t source, uint16_t type, int32_t code,
    uint32_t id, const void *payload, size_t payload_len, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Item accessors; idx < o->n_items. */
const struct out_item *out_item(const struct pk_out *o, size_t idx);
/* Borrowed pointer to an item's bytes, valid until out_reset(). */
const uint8_t *out_data(const struct pk_out *o, size_t idx);
/* Copies an OUT_EVENT item's header; returns 0 or PK_ERR_TYPE. */
int out_get_event(const struct pk_out *o, size_t idx, struct pk_event *ev);
/* Copies an event's payload; PK_ERR_LENGTH unless it is exactly n bytes. */
int out_event_payload(const struct pk_out *o, size_t idx, void *dst, size_t n);

/* Moves item idx of src to the end of dst (used when one layer wraps
 * another's output). */
int out_copy_item(struct pk_out *dst, const struct pk_out *src, size_t idx);

#endif
