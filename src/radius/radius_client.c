/*
 * radius_client.c - the RADIUS client transaction machine (see
 * radius_client.h for the interface, timers and space rules).
 *
 * Every request is a transaction ("tx") in a fixed pool, in one of:
 *   QUEUED  waiting for a server with a free Identifier (FIFO list)
 *   SENT    in flight to one server; due = time to retransmit or move on
 *   PARKED  accounting only: went round every server; due = next round
 * A min-heap orders transactions by their next deadline (due, or the
 * give-up time of an Access-Request). Each server has 256 Identifier
 * slots naming the transaction using them, and remembers the request
 * authenticator last answered on each Identifier so that a late or
 * duplicate reply is recognised as such rather than as unsolicited.
 *
 * RFC 2865 §3 (Identifier, Request/Response Authenticator, retransmit
 * with the same ID and authenticator), RFC 2866 §3 and §5.2 (accounting
 * authenticator; a new Acct-Delay-Time makes a new packet, so a new ID),
 * RFC 3579 §3.2 and BlastRADIUS (CVE-2024-3596) for the
 * Message-Authenticator, RFC 5080 §2.2 for retransmission behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "radius/radius_client_int.h"

/* ---- requests ------------------------------------------------------------ */

void
radius_request_init(struct radius_request *rq, uint8_t code)
{
	memset(rq, 0, sizeof(*rq));
	rq->code = code;
	rq->prio = RADIUS_PRIO_STOP;
}

void
radius_request_writer(struct radius_request *rq, struct buf_writer *w)
{
	buf_writer_init(w, rq->attrs, sizeof(rq->attrs));
}

int
radius_request_commit(struct radius_request *rq, const struct buf_writer *w)
{
	if (w->err != 0)
		return w->err;
	if (w->data != rq->attrs || w->len > sizeof(rq->attrs))
		return PK_ERR_ARG;
	rq->attrs_len = w->len;
	return PK_OK;
}

void
radius_request_wipe(struct radius_request *rq)
{
	crypto_wipe(rq->password, sizeof(rq->password));
	rq->password_len = 0;
	rq->has_password = 0;
}

static int
emit_event(struct radius_client *c, uint32_t i, int type, int code,
    unsigned server, const uint8_t *req_auth,
    const struct radius_packet *reply, struct pk_out *out, const char *text)
{
	const struct rc_tx *t = &c->tx[i];
	uint8_t buf[sizeof(struct rc_event_hdr) + RADIUS_PACKET_MAX];
	struct rc_event_hdr h;
	struct buf_writer w;

	memset(&h, 0, sizeof(h));
	h.cookie = t->cookie;
	h.server = server;
	h.len = reply != NULL ? (uint32_t)reply->len : 0;
	memcpy(h.req_auth, req_auth, sizeof(h.req_auth));
	buf_writer_init(&w, buf, sizeof(buf));
	(void)buf_put_bytes(&w, &h, sizeof(h));
	if (reply != NULL)
		(void)buf_put_bytes(&w, reply->data, reply->len);
	if (w.err != 0)
		return w.err;
	return out_event(out, EV_SRC_RADIUS, (uint16_t)type, code,
	    radius_tx_handle(c, i), buf, w.len, "%s", text);
}

/* Tells the owner no server answered, and forgets t. */
static int
fail_tx(struct radius_client *c, uint32_t i, uint64_t now,
    struct pk_out *out, const char *why)
{
	char text[PK_EVENT_TEXT_MAX];
	int r;

	if (!radius_tx_out_room(out, RADIUS_CLIENT_OUT_MIN / 2)) {
		radius_tx_defer(c, now);
		return PK_ERR_FULL;
	}
	snprintf(text, sizeof(text), "%s %s", radius_code_name(c->tx[i].code),
	    why);
	if ((r = emit_event(c, i, RADIUS_EV_FAILED, PK_ERR_TIMEOUT, 0,
	    c->tx[i].auth, NULL, out, text)) != 0)
		return r;
	c->st.failed++;
	radius_tx_free(c, i);
	return PK_OK;
}

/* Puts t (not in flight) in the queue, at the head: it is older than
 * anything submitted since. */
static void
requeue(struct radius_client *c, uint32_t i)
{
	radius_tx_queue_add(c, i, 1);
	c->n_waiting++;
	radius_tx_schedule(c, i);
}

static void
unqueue(struct radius_client *c, uint32_t i)
{
	radius_tx_queue_unlink(c, i);
	c->n_waiting--;
	/* Neither waiting nor in flight, for the moment. */
	c->tx[i].state = TX_SENT;
}

/*
 * Moves a transaction that is not in flight (queued, or just given up
 * by its server) on: to the next server, back to the queue, to the
 * parking lot (accounting) or to failure (Access).
 */
static int
advance(struct radius_client *c, uint32_t i, uint64_t now,
    struct pk_out *out, int was_queued)
{
	struct rc_tx *t = &c->tx[i];
	int s = radius_tx_pick_server(c, t, now), r;

	if (s == PICK_WAIT ||
	    !radius_tx_out_room(out, RADIUS_CLIENT_OUT_MIN / 2)) {
		if (s != PICK_WAIT)
			radius_tx_defer(c, now);
		if (!was_queued)
			requeue(c, i);
		return PK_OK;
	}
	if (was_queued)
		unqueue(c, i);
	if (s >= 0) {
		if ((r = radius_tx_send_first(c, i, s, now, out)) != 0) {
			/* Only out's space can fail here: retry later. */
			radius_tx_defer(c, now);
			requeue(c, i);
			return r;
		}
		radius_tx_schedule(c, i);
		return PK_OK;
	}
	/* PICK_EXHAUSTED */
	if (!c->cfg.retry_forever) {
		if ((r = fail_tx(c, i, now, out,
		    "not answered by any RADIUS server")) != 0)
			requeue(c, i);
		return r;
	}
	t->state = TX_PARKED;
	t->tried = 0;
	t->due = now + c->cfg.park_ms;
	c->n_waiting++;
	radius_tx_schedule(c, i);
	return PK_OK;
}

/* Sends whatever queued requests the servers can now take. */
static void
pump(struct radius_client *c, uint64_t now, struct pk_out *out)
{
	uint32_t i = c->qhead;

	while (i != NONE && radius_tx_any_capacity(c, now)) {
		uint32_t next = c->tx[i].qnext;

		if (!radius_tx_out_room(out, RADIUS_CLIENT_OUT_MIN / 2)) {
			radius_tx_defer(c, now);
			return;
		}
		(void)advance(c, i, now, out, 1);
		i = next;
	}
}

/* ---- log ----------------------------------------------------------------- */

static void
rl_log(struct radius_client *c, uint64_t now, int level, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
rl_log(struct radius_client *c, uint64_t now, int level, const char *fmt,
    ...)
{
	uint32_t suppressed;
	va_list ap;

	if (!pk_ratelimit_ok(&c->rl, now, &suppressed))
		return;
	if (suppressed > 0)
		pk_log(PK_LOG_NOTICE, c->cfg.log_ctx,
		    "%u RADIUS log lines suppressed", suppressed);
	va_start(ap, fmt);
	pk_vlog(level, c->cfg.log_ctx, fmt, ap);
	va_end(ap);
}

/* ---- life cycle ---------------------------------------------------------- */

void
radius_client_config_default(struct radius_client_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 3000;
	cfg->tries = 3;
	cfg->dead_ms = 30000;
	cfg->queue_max = 4096;
	cfg->window = RADIUS_IDS;
	cfg->require_ma = 1;
	cfg->park_ms = 30000;
	snprintf(cfg->log_ctx, sizeof(cfg->log_ctx), "radius");
}

int
radius_client_new(struct radius_client **cp,
    const struct radius_client_config *cfg, uint64_t now)
{
	struct radius_client *c;

	*cp = NULL;
	if (cfg->n_servers == 0 || cfg->n_servers > PK_RADIUS_SERVERS_MAX ||
	    cfg->timeout_ms == 0 || cfg->tries == 0 || cfg->queue_max == 0 ||
	    cfg->queue_max > PK_RADIUS_QUEUE_MAX || cfg->window == 0 ||
	    (cfg->retry_forever && cfg->park_ms == 0))
		return PK_ERR_ARG;
	for (size_t s = 0; s < cfg->n_servers; s++)
		if (cfg->servers[s].secret_len == 0 ||
		    cfg->servers[s].secret_len > PK_RADIUS_SECRET_MAX)
			return PK_ERR_ARG;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return PK_ERR_NOMEM;
	c->tx = calloc(cfg->queue_max, sizeof(*c->tx));
	c->heap = calloc(cfg->queue_max, sizeof(*c->heap));
	if (c->tx == NULL || c->heap == NULL) {
		free(c->tx);
		free(c->heap);
		free(c);
		return PK_ERR_NOMEM;
	}
	c->cfg = *cfg;
	c->cfg.log_ctx[sizeof(c->cfg.log_ctx) - 1] = '\0';
	c->window = cfg->window > RADIUS_IDS ? RADIUS_IDS : cfg->window;
	c->give_up_ms = cfg->give_up_ms != 0 ? cfg->give_up_ms :
	    cfg->timeout_ms * cfg->tries * (uint32_t)cfg->n_servers;
	for (size_t s = 0; s < cfg->n_servers; s++) {
		struct rc_server *sv = &c->servers[s];

		sv->conf = cfg->servers[s];
		sv->conf.name[sizeof(sv->conf.name) - 1] = '\0';
		for (unsigned id = 0; id < RADIUS_IDS; id++)
			sv->ids[id] = NONE;
		sv->next_id = (uint8_t)pk_rand_u32();
	}
	c->free_head = NONE;
	for (uint32_t i = cfg->queue_max; i-- > 0;) {
		c->tx[i].heap_pos = NONE;
		c->tx[i].gen = 1;
		c->tx[i].qnext = c->free_head;
		c->free_head = i;
	}
	c->qhead = c->qtail = NONE;
	c->retry_at = PK_TIME_NEVER;
	pk_ratelimit_init(&c->rl, 10000, 10);
	(void)now;
	*cp = c;
	return PK_OK;
}

void
radius_client_free(struct radius_client *c)
{
	if (c == NULL)
		return;
	for (uint32_t i = 0; i < c->cfg.queue_max; i++) {
		crypto_wipe(c->tx[i].password, sizeof(c->tx[i].password));
		free(c->tx[i].attrs);
	}
	free(c->tx);
	free(c->heap);
	crypto_wipe(c, sizeof(*c));
	free(c);
}

/* ---- submit / cancel ----------------------------------------------------- */

static uint32_t
find_victim(const struct radius_client *c, int prio)
{
	uint32_t best = NONE;

	for (uint32_t i = 0; i < c->cfg.queue_max; i++) {
		const struct rc_tx *t = &c->tx[i];

		if (t->state == TX_FREE || t->prio >= prio)
			continue;
		if (best == NONE || t->prio < c->tx[best].prio ||
		    (t->prio == c->tx[best].prio &&
		    t->submitted < c->tx[best].submitted))
			best = i;
	}
	return best;
}

/* A newer record for the same session makes waiting Interim-Updates
 * pointless: each carries the session's totals so far. */
static void
supersede(struct radius_client *c, const char *key)
{
	for (uint32_t i = 0; i < c->cfg.queue_max; i++) {
		struct rc_tx *t = &c->tx[i];

		if ((t->state == TX_QUEUED || t->state == TX_PARKED) &&
		    t->prio == RADIUS_PRIO_INTERIM && t->key != NULL &&
		    strcmp(t->key, key) == 0) {
			c->st.superseded++;
			radius_tx_free(c, i);
		}
	}
}

int
radius_client_submit(struct radius_client *c, uint64_t now,
    const struct radius_request *rq, uint32_t *handle, struct pk_out *out)
{
	size_t keylen = strnlen(rq->key, sizeof(rq->key));
	struct rc_tx *t;
	uint32_t i;

	if (rq->attrs_len > sizeof(rq->attrs) || keylen == sizeof(rq->key) ||
	    rq->prio >= RADIUS_PRIO_COUNT ||
	    (rq->has_password && rq->password_len > RADIUS_PASSWORD_MAX) ||
	    (rq->code != RADIUS_CODE_ACCESS_REQUEST &&
	    rq->code != RADIUS_CODE_ACCOUNTING_REQUEST &&
	    rq->code != RADIUS_CODE_STATUS_SERVER))
		return PK_ERR_ARG;
	if (keylen > 0 && (rq->prio == RADIUS_PRIO_INTERIM ||
	    rq->prio == RADIUS_PRIO_STOP))
		supersede(c, rq->key);
	if (c->free_head == NONE) {
		uint32_t v = c->cfg.retry_forever ?
		    find_victim(c, rq->prio) : NONE;

		if (v == NONE) {
			c->st.dropped[rq->prio]++;
			rl_log(c, now, PK_LOG_WARN, "RADIUS queue full (%u "
			    "requests): %s refused", c->cfg.queue_max,
			    radius_code_name(rq->code));
			return PK_ERR_FULL;
		}
		c->st.dropped[c->tx[v].prio]++;
		rl_log(c, now, PK_LOG_WARN, "RADIUS queue full (%u requests):"
		    " dropped a queued record of priority %u for one of %u",
		    c->cfg.queue_max, c->tx[v].prio, rq->prio);
		radius_tx_free(c, v);
	}
	i = c->free_head;
	t = &c->tx[i];
	if ((t->attrs = malloc(rq->attrs_len + keylen + 1)) == NULL)
		return PK_ERR_NOMEM;
	c->free_head = t->qnext;
	c->n_used++;
	memcpy(t->attrs, rq->attrs, rq->attrs_len);
	memcpy(t->attrs + rq->attrs_len, rq->key, keylen + 1);
	t->attrs_len = rq->attrs_len;
	t->key = keylen > 0 ? (const char *)(t->attrs + rq->attrs_len) : NULL;
	t->code = rq->code;
	t->prio = rq->prio;
	t->add_delay = rq->add_delay_time != 0;
	t->delay_base = rq->delay_base;
	t->has_password = rq->has_password != 0;
	t->password_len = (uint8_t)(t->has_password ? rq->password_len : 0);
	if (t->has_password)
		memcpy(t->password, rq->password, t->password_len);
	t->cookie = rq->cookie;
	t->submitted = now;
	t->expire = c->cfg.retry_forever ? PK_TIME_NEVER :
	    now + c->give_up_ms;
	t->server = t->prev_server = NO_SERVER;
	t->tried = 0;
	t->tries = 0;
	c->st.submitted++;
	if (handle != NULL)
		*handle = radius_tx_handle(c, i);
	/* Behind anything already waiting, to keep the order. */
	radius_tx_queue_add(c, i, 0);
	c->n_waiting++;
	radius_tx_schedule(c, i);
	pump(c, now, out);
	return PK_OK;
}

static int
lookup_handle(const struct radius_client *c, uint32_t handle, uint32_t *ip)
{
	uint32_t i = handle & 0xffff;

	if (i >= c->cfg.queue_max || c->tx[i].state == TX_FREE ||
	    c->tx[i].gen != handle >> 16)
		return PK_ERR_NOT_FOUND;
	*ip = i;
	return PK_OK;
}

int
radius_client_cancel(struct radius_client *c, uint32_t handle)
{
	uint32_t i;

	if (lookup_handle(c, handle, &i) != 0)
		return PK_ERR_NOT_FOUND;
	c->st.cancelled++;
	radius_tx_free(c, i);
	return PK_OK;
}

/* ---- replies ------------------------------------------------------------- */

static int
reply_matches_code(int req, int reply)
{
	switch (req) {
	case RADIUS_CODE_ACCESS_REQUEST:
		return reply == RADIUS_CODE_ACCESS_ACCEPT ||
		    reply == RADIUS_CODE_ACCESS_REJECT ||
		    reply == RADIUS_CODE_ACCESS_CHALLENGE;
	case RADIUS_CODE_ACCOUNTING_REQUEST:
		return reply == RADIUS_CODE_ACCOUNTING_RESPONSE;
	case RADIUS_CODE_STATUS_SERVER:
		return reply == RADIUS_CODE_ACCESS_ACCEPT ||
		    reply == RADIUS_CODE_ACCOUNTING_RESPONSE;
	}
	return 0;
}

/*
 * The Message-Authenticator of a reply, keyed on the request's
 * authenticator (RFC 3579 §3.2). On an Accounting-Response FreeRADIUS
 * computes it over a zero authenticator instead; either is accepted
 * there, as both need the secret.
 */
static int
check_reply_ma(const struct radius_packet *p, const uint8_t *req_auth,
    const struct radius_server_conf *sc)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];
	int r;

	r = radius_check_ma(p, req_auth, sc->secret, sc->secret_len);
	if (r == PK_ERR_AUTH && p->code == RADIUS_CODE_ACCOUNTING_RESPONSE)
		r = radius_check_ma(p, zero, sc->secret, sc->secret_len);
	return r;
}

static int
is_access_reply(int code)
{
	return code == RADIUS_CODE_ACCESS_ACCEPT ||
	    code == RADIUS_CODE_ACCESS_REJECT ||
	    code == RADIUS_CODE_ACCESS_CHALLENGE;
}

/* A reply that matches no request in flight: late, duplicate, or not
 * ours at all. */
static int
unmatched(struct radius_client *c, struct rc_server *sv,
    const struct radius_packet *p, uint64_t now)
{
	const struct rc_recent *rc = &sv->recent[p->id];

	if (rc->valid && radius_check_response_auth(p, rc->auth,
	    sv->conf.secret, sv->conf.secret_len) == 0) {
		sv->st.duplicates++;
		return PK_ERR_DUPLICATE;
	}
	sv->st.unsolicited++;
	rl_log(c, now, PK_LOG_INFO, "server=%s: unsolicited %s id=%u "
	    "dropped", sv->conf.name, radius_code_name(p->code), p->id);
	return PK_ERR_NOT_FOUND;
}

int
radius_client_input(struct radius_client *c, uint64_t now,
    unsigned server, const uint8_t *data, size_t len, struct pk_out *out)
{
	struct radius_packet p;
	struct rc_server *sv;
	const uint8_t *req_auth;
	struct rc_tx *t;
	char text[PK_EVENT_TEXT_MAX];
	uint32_t i;
	int r;

	if (server >= c->cfg.n_servers)
		return PK_ERR_ARG;
	sv = &c->servers[server];
	if ((r = radius_packet_decode(data, len, &p)) != 0) {
		sv->st.malformed++;
		rl_log(c, now, PK_LOG_INFO, "server=%s: malformed reply "
		    "dropped: %s", sv->conf.name, pk_strerror(r));
		return r;
	}
	i = sv->ids[p.id];
	if (i == NONE)
		return unmatched(c, sv, &p, now);
	t = &c->tx[i];
	if (t->server == (int)server && t->id == p.id)
		req_auth = t->auth;
	else if (t->prev_server == (int)server && t->prev_id == p.id)
		req_auth = t->prev_auth;
	else
		return unmatched(c, sv, &p, now);
	if (!reply_matches_code(t->code, p.code)) {
		sv->st.malformed++;
		rl_log(c, now, PK_LOG_INFO, "server=%s: %s id=%u does not "
		    "answer a %s", sv->conf.name, radius_code_name(p.code),
		    p.id, radius_code_name(t->code));
		return PK_ERR_TYPE;
	}
	/* Both checks, the Message-Authenticator first (BlastRADIUS: the
	 * MD5 Response Authenticator alone can be forged). */
	r = check_reply_ma(&p, req_auth, &sv->conf);
	if (r == PK_ERR_NOT_FOUND && is_access_reply(p.code) &&
	    c->cfg.require_ma) {
		sv->st.missing_ma++;
		rl_log(c, now, PK_LOG_WARN, "server=%s: %s id=%u without "
		    "Message-Authenticator refused (required; see "
		    "radius-require-message-authenticator)", sv->conf.name,
		    radius_code_name(p.code), p.id);
		return PK_ERR_POLICY;
	}
	if (r == PK_ERR_AUTH) {
		sv->st.bad_ma++;
		rl_log(c, now, PK_LOG_WARN, "server=%s: %s id=%u with a bad "
		    "Message-Authenticator dropped (wrong secret or forged)",
		    sv->conf.name, radius_code_name(p.code), p.id);
		return PK_ERR_AUTH;
	}
	if (radius_check_response_auth(&p, req_auth, sv->conf.secret,
	    sv->conf.secret_len) != 0) {
		sv->st.bad_authenticator++;
		rl_log(c, now, PK_LOG_WARN, "server=%s: %s id=%u with a bad "
		    "Response Authenticator dropped (wrong secret or forged)",
		    sv->conf.name, radius_code_name(p.code), p.id);
		return PK_ERR_AUTH;
	}
	if (!radius_tx_out_room(out, sizeof(struct pk_event) +
	    sizeof(struct rc_event_hdr) + p.len + 16)) {
		c->st.no_space++;
		return PK_ERR_FULL;
	}
	/* The server is alive, whatever we thought. */
	sv->st.replies++;
	if (sv->probation) {
		pk_log(PK_LOG_NOTICE, c->cfg.log_ctx, "server=%s: answering "
		    "again", sv->conf.name);
		sv->probation = 0;
		sv->dead_until = 0;
	}
	snprintf(text, sizeof(text), "%s from %s", radius_code_name(p.code),
	    sv->conf.name);
	/* The event carries the authenticator of the transmission that
	 * was answered (MPPE keys are hidden with it). */
	if ((r = emit_event(c, i, RADIUS_EV_REPLY, PK_OK, server, req_auth,
	    &p, out, text)) != 0)
		return r;
	c->st.completed++;
	radius_tx_free(c, i);
	pump(c, now, out);
	return PK_OK;
}

/* ---- timers -------------------------------------------------------------- */

/* t gave up on its server after tries transmissions. */
static void
server_timed_out(struct radius_client *c, struct rc_tx *t, uint64_t now)
{
	struct rc_server *sv = &c->servers[t->server];

	sv->st.timeouts++;
	t->tried |= 1u << t->server;
	/* Held down only if it answered nothing since this request was
	 * first sent to it: one lost request is not a dead server. */
	if (c->cfg.dead_ms != 0 && sv->st.replies == t->replies_before &&
	    radius_tx_server_alive(sv, now)) {
		sv->dead_until = now + c->cfg.dead_ms;
		/* Logged when it goes down, not at each failed probe. */
		pk_log(sv->probation ? PK_LOG_DEBUG : PK_LOG_WARN,
		    c->cfg.log_ctx, "server=%s: no answer in %u x %u ms, "
		    "held down for %u s", sv->conf.name, t->tries,
		    c->cfg.timeout_ms, c->cfg.dead_ms / 1000);
		sv->probation = 1;
	}
	radius_tx_release_ids(c, t);
}

static int
tx_due(struct radius_client *c, uint32_t i, uint64_t now, struct pk_out *out)
{
	struct rc_tx *t = &c->tx[i];
	int r;

	if (!radius_tx_out_room(out, RADIUS_CLIENT_OUT_MIN / 2)) {
		radius_tx_defer(c, now);
		return PK_ERR_FULL;
	}
	if (t->state == TX_SENT && t->due <= now) {
		if (t->tries < c->cfg.tries && t->expire > now) {
			if ((r = radius_tx_retransmit(c, i, now, out)) == 0)
				radius_tx_schedule(c, i);
			return r;
		}
		/* This server had its tries (or the request its time):
		 * judge the server before anything else. */
		if (t->tries >= c->cfg.tries)
			server_timed_out(c, t, now);
		else
			radius_tx_release_ids(c, t);
		if (t->expire > now)
			return advance(c, i, now, out, 0);
	}
	if (t->expire <= now) {
		if (t->state == TX_SENT && t->server != NO_SERVER) {
			/* Given up in mid-try: not a verdict on the
			 * server. */
			c->servers[t->server].st.timeouts++;
		}
		return fail_tx(c, i, now, out, "not answered in time by any "
		    "RADIUS server");
	}
	if (t->state == TX_PARKED && t->due <= now) {
		/* Another round: through the queue, behind nothing. */
		c->n_waiting--;
		requeue(c, i);
		return advance(c, i, now, out, 1);
	}
	return PK_OK;
}

int
radius_client_timeout(struct radius_client *c, uint64_t now,
    struct pk_out *out)
{
	c->retry_at = PK_TIME_NEVER;
	while (c->heap_len > 0) {
		uint32_t i = c->heap[0];

		if (radius_tx_deadline(&c->tx[i]) > now)
			break;
		if (tx_due(c, i, now, out) == PK_ERR_FULL)
			return PK_OK;
		/* A transaction that is still due and still first made no
		 * progress: leave it for the next call. */
		if (c->heap_len > 0 && c->heap[0] == i &&
		    radius_tx_deadline(&c->tx[i]) <= now) {
			radius_tx_defer(c, now);
			break;
		}
	}
	pump(c, now, out);
	return PK_OK;
}

uint64_t
radius_client_next_deadline(const struct radius_client *c)
{
	uint64_t d = c->retry_at;

	if (c->heap_len > 0)
		d = pk_deadline_min(d, radius_tx_deadline(&c->tx[c->heap[0]]));
	return d;
}

size_t
radius_client_pending(const struct radius_client *c)
{
	return c->n_used;
}

/* ---- results and stats --------------------------------------------------- */

int
radius_client_event(const struct pk_out *out, size_t idx,
    struct radius_result *res)
{
	const struct out_item *it = out_item(out, idx);
	struct rc_event_hdr h;
	struct buf_reader rd;
	struct pk_event ev;
	const uint8_t *pkt;
	int r;

	memset(res, 0, sizeof(*res));
	if (it == NULL || it->kind != OUT_EVENT ||
	    out_get_event(out, idx, &ev) != 0 || ev.source != EV_SRC_RADIUS)
		return PK_ERR_TYPE;
	buf_reader_init(&rd, out_data(out, idx), it->len);
	if ((r = buf_skip(&rd, sizeof(ev))) != 0 ||
	    (r = buf_get_bytes(&rd, &h, sizeof(h))) != 0 ||
	    (r = buf_get_ptr(&rd, &pkt, h.len)) != 0)
		return r;
	res->type = ev.type;
	res->code = ev.code;
	res->handle = ev.id;
	res->cookie = h.cookie;
	res->server = h.server;
	memcpy(res->req_auth, h.req_auth, sizeof(res->req_auth));
	memcpy(res->text, ev.text, sizeof(res->text));
	if (h.len > 0)
		return radius_packet_decode(pkt, h.len, &res->reply);
	return PK_OK;
}

const uint8_t *
radius_client_secret(const struct radius_client *c, unsigned server,
    size_t *len)
{
	if (server >= c->cfg.n_servers)
		return NULL;
	*len = c->servers[server].conf.secret_len;
	return c->servers[server].conf.secret;
}

void
radius_client_stats(const struct radius_client *c,
    struct radius_client_stats *st)
{
	*st = c->st;
	st->pending = c->n_used;
	st->waiting = c->n_waiting;
}

int
radius_client_server_stats(const struct radius_client *c, unsigned server,
    uint64_t now, struct radius_server_stats *st)
{
	const struct rc_server *sv;

	if (server >= c->cfg.n_servers)
		return PK_ERR_ARG;
	sv = &c->servers[server];
	*st = sv->st;
	st->dead = !radius_tx_server_alive(sv, now);
	st->probation = sv->probation;
	st->dead_until = sv->dead_until;
	st->outstanding = sv->in_use;
	return PK_OK;
}
