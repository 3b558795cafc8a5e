/*
 * radius_client_tx.c - the transactions of the RADIUS client (see
 * radius_client.c for the states): the deadline heap, the waiting queue,
 * the 256 Identifiers of each server, the choice of a server, and the
 * encoding of each (re)transmission.
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "radius/radius_client_int.h"
#include "radius/radius_mppe.h"

/* ---- the deadline heap --------------------------------------------------- */

uint64_t
radius_tx_deadline(const struct rc_tx *t)
{
	uint64_t d = t->expire;

	if (t->state == TX_SENT || t->state == TX_PARKED)
		d = pk_deadline_min(d, t->due);
	return d;
}

static void
heap_swap(struct radius_client *c, uint32_t a, uint32_t b)
{
	uint32_t ta = c->heap[a], tb = c->heap[b];

	c->heap[a] = tb;
	c->heap[b] = ta;
	c->tx[tb].heap_pos = a;
	c->tx[ta].heap_pos = b;
}

static void
heap_fix(struct radius_client *c, uint32_t pos)
{
	/* Up... */
	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;

		if (radius_tx_deadline(&c->tx[c->heap[parent]]) <=
		    radius_tx_deadline(&c->tx[c->heap[pos]]))
			break;
		heap_swap(c, pos, parent);
		pos = parent;
	}
	/* ...or down. */
	for (;;) {
		uint32_t l = 2 * pos + 1, r = l + 1, m = pos;

		if (l < c->heap_len && radius_tx_deadline(&c->tx[c->heap[l]]) <
		    radius_tx_deadline(&c->tx[c->heap[m]]))
			m = l;
		if (r < c->heap_len && radius_tx_deadline(&c->tx[c->heap[r]]) <
		    radius_tx_deadline(&c->tx[c->heap[m]]))
			m = r;
		if (m == pos)
			break;
		heap_swap(c, pos, m);
		pos = m;
	}
}

void
radius_tx_unschedule(struct radius_client *c, uint32_t i)
{
	uint32_t pos = c->tx[i].heap_pos;

	if (pos == NONE)
		return;
	c->tx[i].heap_pos = NONE;
	c->heap_len--;
	if (pos == c->heap_len)
		return;
	c->heap[pos] = c->heap[c->heap_len];
	c->tx[c->heap[pos]].heap_pos = pos;
	heap_fix(c, pos);
}

/* Puts tx i in the heap at its current deadline, or takes it out. */
void
radius_tx_schedule(struct radius_client *c, uint32_t i)
{
	struct rc_tx *t = &c->tx[i];

	if (radius_tx_deadline(t) == PK_TIME_NEVER) {
		radius_tx_unschedule(c, i);
		return;
	}
	if (t->heap_pos == NONE) {
		t->heap_pos = c->heap_len;
		c->heap[c->heap_len++] = i;
	}
	heap_fix(c, t->heap_pos);
}

/* ---- the queue ----------------------------------------------------------- */

void
radius_tx_queue_unlink(struct radius_client *c, uint32_t i)
{
	struct rc_tx *t = &c->tx[i];

	if (t->qprev != NONE)
		c->tx[t->qprev].qnext = t->qnext;
	else
		c->qhead = t->qnext;
	if (t->qnext != NONE)
		c->tx[t->qnext].qprev = t->qprev;
	else
		c->qtail = t->qprev;
	t->qprev = t->qnext = NONE;
}

/* at_head: a request that was already on its way goes before new ones. */
void
radius_tx_queue_add(struct radius_client *c, uint32_t i, int at_head)
{
	struct rc_tx *t = &c->tx[i];

	t->state = TX_QUEUED;
	t->server = NO_SERVER;
	if (at_head) {
		t->qprev = NONE;
		t->qnext = c->qhead;
		if (c->qhead != NONE)
			c->tx[c->qhead].qprev = i;
		else
			c->qtail = i;
		c->qhead = i;
	} else {
		t->qnext = NONE;
		t->qprev = c->qtail;
		if (c->qtail != NONE)
			c->tx[c->qtail].qnext = i;
		else
			c->qhead = i;
		c->qtail = i;
	}
}

/* ---- Identifiers --------------------------------------------------------- */

static int
id_alloc(struct radius_client *c, int s, uint32_t i, uint8_t *id)
{
	struct rc_server *sv = &c->servers[s];

	for (unsigned n = 0; n < RADIUS_IDS; n++) {
		uint8_t cand = (uint8_t)(sv->next_id + n);

		if (sv->ids[cand] == NONE) {
			sv->ids[cand] = i;
			sv->in_use++;
			/* Rotate, so an ID is reused as late as possible
			 * and a stale reply meets a new authenticator. */
			sv->next_id = (uint8_t)(cand + 1);
			*id = cand;
			return PK_OK;
		}
	}
	return PK_ERR_FULL;
}

/* Frees an ID; answered says the reply to auth is now "seen". */
void
radius_tx_id_release(struct radius_client *c, int s, uint8_t id,
    const uint8_t auth[RADIUS_AUTH_LEN])
{
	struct rc_server *sv;

	if (s == NO_SERVER)
		return;
	sv = &c->servers[s];
	if (sv->ids[id] == NONE)
		return;
	sv->ids[id] = NONE;
	sv->in_use--;
	memcpy(sv->recent[id].auth, auth, RADIUS_AUTH_LEN);
	sv->recent[id].valid = 1;
}

void
radius_tx_release_ids(struct radius_client *c, struct rc_tx *t)
{
	radius_tx_id_release(c, t->prev_server, t->prev_id, t->prev_auth);
	t->prev_server = NO_SERVER;
	radius_tx_id_release(c, t->server, t->id, t->auth);
	t->server = NO_SERVER;
}

/* ---- transactions -------------------------------------------------------- */

uint32_t
radius_tx_handle(const struct radius_client *c, uint32_t i)
{
	return (uint32_t)c->tx[i].gen << 16 | i;
}

void
radius_tx_free(struct radius_client *c, uint32_t i)
{
	struct rc_tx *t = &c->tx[i];

	if (t->state == TX_QUEUED)
		radius_tx_queue_unlink(c, i);
	if (t->state == TX_QUEUED || t->state == TX_PARKED)
		c->n_waiting--;
	radius_tx_unschedule(c, i);
	radius_tx_release_ids(c, t);
	crypto_wipe(t->password, sizeof(t->password));
	free(t->attrs);
	t->attrs = NULL;
	t->key = NULL;
	t->state = TX_FREE;
	t->gen = (uint16_t)(t->gen + 1 == 0 ? 1 : t->gen + 1);
	t->qnext = c->free_head;
	c->free_head = i;
	c->n_used--;
}

int
radius_tx_server_alive(const struct rc_server *sv, uint64_t now)
{
	return sv->dead_until <= now;
}

int
radius_tx_all_dead(const struct radius_client *c, uint64_t now)
{
	for (size_t s = 0; s < c->cfg.n_servers; s++)
		if (radius_tx_server_alive(&c->servers[s], now))
			return 0;
	return 1;
}

/*
 * The server for t's next transmission: the first live server it has
 * not given up on this round that has a free Identifier.
 * When every server is held down, the hold-down is ignored (as
 * "deadtime" works elsewhere) but only one request at a time probes each
 * server; a server whose hold-down has ended also gets one request at a
 * time until it answers, so that a long outage costs one request per
 * server per timeout, not a window's worth.
 */
/* Whether server s can take one more request now. */
static int
server_free(const struct radius_client *c, const struct rc_server *sv)
{
	if (sv->probation)
		return sv->in_use == 0;
	return sv->in_use < c->window;
}

int
radius_tx_pick_server(const struct radius_client *c, const struct rc_tx *t,
    uint64_t now)
{
	int alive_untried = 0, untried = 0;

	for (size_t s = 0; s < c->cfg.n_servers; s++) {
		const struct rc_server *sv = &c->servers[s];

		if (t->tried & (1u << s) || !radius_tx_server_alive(sv, now))
			continue;
		alive_untried = 1;
		if (server_free(c, sv))
			return (int)s;
	}
	if (alive_untried)
		return PICK_WAIT;
	if (!radius_tx_all_dead(c, now))
		return PICK_EXHAUSTED;
	for (size_t s = 0; s < c->cfg.n_servers; s++) {
		if (t->tried & (1u << s))
			continue;
		untried = 1;
		if (c->servers[s].in_use == 0)
			return (int)s;
	}
	return untried ? PICK_WAIT : PICK_EXHAUSTED;
}

int
radius_tx_out_room(const struct pk_out *out, size_t bytes)
{
	/* Items start 8-aligned in the arena (out.c). */
	size_t used = (out->arena_used + 7) & ~(size_t)7;

	return out->n_items + 1 <= out->items_cap &&
	    used <= out->arena_cap && out->arena_cap - used >= bytes;
}

void
radius_tx_defer(struct radius_client *c, uint64_t now)
{
	c->st.no_space++;
	if (c->retry_at == PK_TIME_NEVER || now < c->retry_at)
		c->retry_at = now;
}

/* Reads back the authenticator radius_enc_finish() wrote. */
static void
copy_auth(const struct buf_writer *w, uint8_t auth[RADIUS_AUTH_LEN])
{
	struct buf_reader rd;

	buf_reader_init(&rd, w->data, w->len);
	if (buf_skip(&rd, RADIUS_AUTH_OFF) != 0 ||
	    buf_get_bytes(&rd, auth, RADIUS_AUTH_LEN) != 0)
		memset(auth, 0, RADIUS_AUTH_LEN);
}

/*
 * Encodes t for server s with the ID and (Access) authenticator already
 * in t, straight into out. For computed authenticators, t->auth receives
 * the result.
 */
static int
encode_tx(struct radius_client *c, struct rc_tx *t, uint64_t now,
    struct pk_out *out)
{
	const struct radius_server_conf *sc = &c->servers[t->server].conf;
	uint8_t hidden[RADIUS_PASSWORD_MAX];
	int access = t->code == RADIUS_CODE_ACCESS_REQUEST ||
	    t->code == RADIUS_CODE_STATUS_SERVER;
	struct buf_writer w;
	size_t hidden_len;
	int r;

	if ((r = out_begin(out, RADIUS_PACKET_MAX, &w)) != 0)
		return r;
	if ((r = radius_enc_begin(&w, t->code, t->id, access ? t->auth :
	    NULL)) != 0)
		return r;
	/* Message-Authenticator first, as the BlastRADIUS advice has it
	 * (RFC 3579 §3.2 requires it on every Access-Request). */
	if (access && (r = radius_put_ma(&w)) != 0)
		return r;
	if (t->has_password) {
		r = radius_password_hide(t->password, t->password_len,
		    t->auth, sc->secret, sc->secret_len, hidden, &hidden_len);
		if (r == 0)
			r = radius_put_attr(&w, RADIUS_ATTR_USER_PASSWORD,
			    hidden, hidden_len);
		crypto_wipe(hidden, sizeof(hidden));
		if (r != 0)
			return r;
	}
	if (t->attrs_len > buf_avail(&w))
		return PK_ERR_SPACE;
	if ((r = buf_put_bytes(&w, t->attrs, t->attrs_len)) != 0)
		return r;
	if (t->add_delay) {
		uint64_t d = t->delay_base + (now - t->submitted) / 1000;

		if ((r = radius_put_u32(&w, RADIUS_ATTR_ACCT_DELAY_TIME,
		    d > UINT32_MAX ? UINT32_MAX : (uint32_t)d)) != 0)
			return r;
	}
	if ((r = radius_enc_finish(&w, sc->secret, sc->secret_len,
	    NULL)) != 0)
		return r;
	if (!access)
		copy_auth(&w, t->auth);
	return out_commit(out, OUT_UDP, (uint16_t)t->server, &w);
}

/* Starts t on server s: a fresh ID (and authenticator), first try. */
int
radius_tx_send_first(struct radius_client *c, uint32_t i, int s, uint64_t now,
    struct pk_out *out)
{
	struct rc_tx *t = &c->tx[i];
	int r;

	if ((r = id_alloc(c, s, i, &t->id)) != 0)
		return r;
	t->server = s;
	if (t->code == RADIUS_CODE_ACCESS_REQUEST ||
	    t->code == RADIUS_CODE_STATUS_SERVER)
		pk_rand_bytes(t->auth, sizeof(t->auth));
	if ((r = encode_tx(c, t, now, out)) != 0) {
		/* Nothing was sent: give the ID back unused. */
		c->servers[s].ids[t->id] = NONE;
		c->servers[s].in_use--;
		t->server = NO_SERVER;
		return r;
	}
	t->state = TX_SENT;
	t->tries = 1;
	t->replies_before = c->servers[s].st.replies;
	t->due = now + c->cfg.timeout_ms;
	c->servers[s].st.requests++;
	return PK_OK;
}

/*
 * Retransmits t to its server. An Access-Request goes out unchanged
 * (same ID and authenticator, RFC 2865 §3). An accounting request gets
 * a new Acct-Delay-Time, so it is a new packet with a new ID (RFC 2866
 * §5.2); the previous transmission stays matched in case its answer is
 * only late.
 */
int
radius_tx_retransmit(struct radius_client *c, uint32_t i, uint64_t now,
    struct pk_out *out)
{
	struct rc_tx *t = &c->tx[i];
	int s = t->server, r;

	if (t->add_delay) {
		uint8_t old_id = t->id, old_auth[RADIUS_AUTH_LEN];

		memcpy(old_auth, t->auth, sizeof(old_auth));
		radius_tx_id_release(c, t->prev_server, t->prev_id,
		    t->prev_auth);
		t->prev_server = NO_SERVER;
		if (id_alloc(c, s, i, &t->id) != 0) {
			/* No spare ID: reuse the current one. */
			t->id = old_id;
		} else {
			t->prev_server = s;
			t->prev_id = old_id;
			memcpy(t->prev_auth, old_auth, sizeof(old_auth));
		}
	}
	if ((r = encode_tx(c, t, now, out)) != 0)
		return r;
	t->tries++;
	t->due = now + c->cfg.timeout_ms;
	c->servers[s].st.retransmissions++;
	return PK_OK;
}

/* Whether any server could take a request now (a quick exit for pump). */
int
radius_tx_any_capacity(const struct radius_client *c, uint64_t now)
{
	int dead = radius_tx_all_dead(c, now);

	for (size_t s = 0; s < c->cfg.n_servers; s++) {
		const struct rc_server *sv = &c->servers[s];

		if (dead ? sv->in_use == 0 :
		    radius_tx_server_alive(sv, now) && server_free(c, sv))
			return 1;
	}
	return 0;
}
