/*
 * test_pptp_ctrl.c - a PAC object against a PNS object in memory: each
 * side's OUT_CTRL bytes are fed to the other's pptp_ctrl_input(), and the
 * events of both are recorded and checked. Raw messages stand in for
 * peers that behave differently (PoPToP, Windows, broken ones).
 */
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/out.h"
#include "core/rand.h"
#include "pptp/ctrl.h"
#include "pptp/ctrl_msg.h"
#include "test.h"

#define MAX_EV 600
#define WIRE_MAX 32768

struct rec {
	struct pk_event ev;
	union {
		struct pptp_ev_ctrl_up up;
		struct pptp_ev_ctrl_down down;
		struct pptp_ev_call_request req;
		struct pptp_ev_call_up cup;
		struct pptp_ev_call_end end;
		struct pptp_ev_wan_error wen;
		struct pptp_ev_set_link_info sli;
	} p;
};

struct side {
	struct pptp_ctrl *c;
	struct pk_out out;
	uint8_t wire[WIRE_MAX];	/* bytes sent, not yet delivered */
	size_t wire_len;
	struct rec ev[MAX_EV];
	size_t nev;
	int last_rc;		/* of the last pptp_ctrl_input() */
};

static struct side pac_side, pns_side;

static size_t
payload_size(int type)
{
	switch (type) {
	case PPTP_EV_CTRL_UP:
		return sizeof(struct pptp_ev_ctrl_up);
	case PPTP_EV_CTRL_DOWN:
		return sizeof(struct pptp_ev_ctrl_down);
	case PPTP_EV_CALL_REQUEST:
		return sizeof(struct pptp_ev_call_request);
	case PPTP_EV_CALL_UP:
		return sizeof(struct pptp_ev_call_up);
	case PPTP_EV_CALL_FAILED:
	case PPTP_EV_CALL_DOWN:
	case PPTP_EV_CALL_CLEAR_REQUESTED:
		return sizeof(struct pptp_ev_call_end);
	case PPTP_EV_WAN_ERROR:
		return sizeof(struct pptp_ev_wan_error);
	case PPTP_EV_SET_LINK_INFO:
		return sizeof(struct pptp_ev_set_link_info);
	}
	return 0;
}

/* Moves a side's output into its wire buffer and event list. */
static void
collect(struct side *s)
{
	for (size_t i = 0; i < s->out.n_items; i++) {
		const struct out_item *it = out_item(&s->out, i);

		if (it->kind == OUT_CTRL) {
			CHECK(s->wire_len + it->len <= WIRE_MAX);
			if (s->wire_len + it->len > WIRE_MAX)
				continue;
			memcpy(s->wire + s->wire_len, out_data(&s->out, i),
			    it->len);
			s->wire_len += it->len;
		} else if (it->kind == OUT_EVENT) {
			struct rec *r;

			CHECK(s->nev < MAX_EV);
			if (s->nev >= MAX_EV)
				continue;
			r = &s->ev[s->nev++];
			memset(r, 0, sizeof(*r));
			CHECK_INT(out_get_event(&s->out, i, &r->ev), PK_OK);
			CHECK_INT(r->ev.source, EV_SRC_CTRL);
			/* The payload is exactly the documented struct. */
			CHECK_INT(out_event_payload(&s->out, i, &r->p,
			    payload_size(r->ev.type)), PK_OK);
		} else {
			CHECK(!"unexpected out kind");
		}
	}
	CHECK(!s->out.overflow);
	out_reset(&s->out);
}

/* Feeds from's pending bytes to `to`, chunk bytes at a time (0: all). */
static void
deliver(struct side *from, struct side *to, uint64_t now, size_t chunk)
{
	size_t off = 0;

	while (off < from->wire_len) {
		size_t n = from->wire_len - off;

		if (chunk != 0 && n > chunk)
			n = chunk;
		to->last_rc = pptp_ctrl_input(to->c, now, from->wire + off, n,
		    &to->out);
		collect(to);
		off += n;
		if (to->last_rc != 0)
			break;
	}
	from->wire_len = 0;
}

static void
pump_chunked(uint64_t now, size_t chunk)
{
	for (int i = 0; i < 50 && (pac_side.wire_len || pns_side.wire_len);
	    i++) {
		deliver(&pns_side, &pac_side, now, chunk);
		deliver(&pac_side, &pns_side, now, chunk);
	}
	CHECK_INT(pac_side.wire_len + pns_side.wire_len, 0);
}

static void
pump(uint64_t now)
{
	pump_chunked(now, 0);
}

static size_t
count_ev(const struct side *s, int type)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nev; i++)
		if (s->ev[i].ev.type == type)
			n++;
	return n;
}

/* The nth event of a type, or a zeroed record (and a failed check). */
static const struct rec *
find_ev(const struct side *s, int type, size_t nth)
{
	static struct rec none;

	for (size_t i = 0; i < s->nev; i++)
		if (s->ev[i].ev.type == type && nth-- == 0)
			return &s->ev[i];
	fprintf(stderr, "  no %s event #%zu\n", pptp_ctrl_event_name(type),
	    nth);
	CHECK(!"event missing");
	memset(&none, 0, sizeof(none));
	return &none;
}

static const struct rec *
last_ev(const struct side *s)
{
	static struct rec none;

	if (s->nev == 0) {
		CHECK(!"no events");
		return &none;
	}
	return &s->ev[s->nev - 1];
}

/* Decodes the bytes a side has queued (without delivering them). */
static size_t
sent_msgs(const struct side *s, struct pptp_msg *m, size_t max)
{
	size_t off = 0, n = 0, len;

	while (off < s->wire_len && n < max) {
		CHECK_INT(pptp_msg_frame(s->wire + off, s->wire_len - off,
		    &len), PK_OK);
		if (len == 0 || off + len > s->wire_len)
			break;
		pptp_msg_decode(s->wire + off, len, &m[n++]);
		off += len;
	}
	return n;
}

/* The first queued message of a type; 0 if found. */
static int
find_sent(const struct side *s, unsigned type, struct pptp_msg *out)
{
	struct pptp_msg m[32];
	size_t n = sent_msgs(s, m, 32);

	for (size_t i = 0; i < n; i++)
		if (m[i].type == type) {
			*out = m[i];
			return 0;
		}
	fprintf(stderr, "  no %s queued\n", pptp_msg_name(type));
	CHECK(!"message not sent");
	memset(out, 0, sizeof(*out));
	return -1;
}

static void
inject(struct side *to, uint64_t now, const char *hex)
{
	uint8_t raw[4096];
	size_t n = test_unhex(hex, raw, sizeof(raw));

	to->last_rc = pptp_ctrl_input(to->c, now, raw, n, &to->out);
	collect(to);
}

static void
side_reset(struct side *s)
{
	pptp_ctrl_free(s->c);
	s->c = NULL;
	s->wire_len = 0;
	s->nev = 0;
	s->last_rc = 0;
	out_reset(&s->out);
}

static void
make_pair_cfg(const struct pptp_ctrl_config *pac_cfg,
    const struct pptp_ctrl_config *pns_cfg, uint64_t now)
{
	side_reset(&pac_side);
	side_reset(&pns_side);
	CHECK_INT(pptp_ctrl_new(&pac_side.c, pac_cfg, now), PK_OK);
	CHECK_INT(pptp_ctrl_new(&pns_side.c, pns_cfg, now), PK_OK);
}

static void
make_pair(uint64_t now)
{
	struct pptp_ctrl_config pac, pns;

	pptp_ctrl_config_default(&pac, PPTP_ROLE_PAC);
	pptp_ctrl_config_default(&pns, PPTP_ROLE_PNS);
	snprintf(pac.host_name, sizeof(pac.host_name), "vpn.example");
	snprintf(pns.host_name, sizeof(pns.host_name), "laptop");
	make_pair_cfg(&pac, &pns, now);
}

static void
connect_pair(uint64_t now)
{
	CHECK_INT(pptp_ctrl_start(pns_side.c, now, &pns_side.out), PK_OK);
	collect(&pns_side);
	pump(now);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_ESTABLISHED);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_ESTABLISHED);
}

/* PNS places an outgoing call, PAC accepts it. */
static void
call_up(uint64_t now, uint16_t *pns_id, uint16_t *pac_id)
{
	struct pptp_call_params p;
	const struct rec *req;
	size_t nreq = count_ev(&pac_side, PPTP_EV_CALL_REQUEST);
	size_t nup = count_ev(&pns_side, PPTP_EV_CALL_UP);

	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, now, &p, pns_id,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	pump(now);
	req = find_ev(&pac_side, PPTP_EV_CALL_REQUEST, nreq);
	*pac_id = (uint16_t)req->ev.id;
	CHECK_INT(req->p.req.peer_call_id, *pns_id);
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, now, *pac_id, NULL,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(now);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_UP), nup + 1);
}

static void
test_setup(void)
{
	const struct rec *up;

	make_pair(0);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_IDLE);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 5, &pns_side.out), PK_OK);
	collect(&pns_side);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_WAIT_CTL_REPLY);
	CHECK_INT(pns_side.wire_len, PPTP_LEN_SCCRQ);
	pump(5);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_ESTABLISHED);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_ESTABLISHED);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_UP), 1);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CTRL_UP), 1);
	up = find_ev(&pac_side, PPTP_EV_CTRL_UP, 0);
	CHECK_STR(up->p.up.peer_host_name, "laptop");
	CHECK_STR(up->p.up.peer_vendor, "pptpkit");
	CHECK_INT(up->p.up.peer_version, PPTP_VERSION);
	up = find_ev(&pns_side, PPTP_EV_CTRL_UP, 0);
	CHECK_STR(up->p.up.peer_host_name, "vpn.example");
	CHECK_STR(pptp_ctrl_peer_info(pns_side.c)->peer_host_name,
	    "vpn.example");
	/* Established: only the echo timer, 60 s after the last message. */
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    5 + PPTP_ECHO_INTERVAL_MS);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->rx_msgs[PPTP_SCCRQ], 1);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->tx_msgs[PPTP_SCCRP], 1);
	/* A second start is refused. */
	CHECK_INT(pptp_ctrl_start(pns_side.c, 5, &pns_side.out),
	    PK_ERR_STATE);
	collect(&pns_side);
	CHECK_INT(pns_side.wire_len, 0);
}

static void
test_two_calls(void)
{
	uint16_t pns1, pac1, pns2, pac2, found;
	const struct rec *u;
	struct pptp_call_info info;

	make_pair(0);
	connect_pair(0);
	call_up(10, &pns1, &pac1);
	call_up(20, &pns2, &pac2);
	CHECK(pns1 != pns2);
	CHECK(pac1 != pac2);
	CHECK(pns1 != 0 && pns2 != 0 && pac1 != 0 && pac2 != 0);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 2);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 2);
	/* Each side learns the other's Call ID for the GRE header. */
	u = find_ev(&pns_side, PPTP_EV_CALL_UP, 1);
	CHECK_INT(u->ev.id, pns2);
	CHECK_INT(u->p.cup.local_call_id, pns2);
	CHECK_INT(u->p.cup.peer_call_id, pac2);
	CHECK_INT(u->p.cup.peer_recv_window, PK_GRE_RWIN_DEFAULT);
	CHECK_INT(u->p.cup.serial, 2);
	CHECK_INT(u->p.cup.direction, PPTP_CALL_OUTGOING);
	/* Without a figure the PAC reports the maximum asked for. */
	CHECK_INT(u->p.cup.connect_speed, 100000000);
	u = find_ev(&pac_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(u->p.cup.local_call_id, pac1);
	CHECK_INT(u->p.cup.peer_call_id, pns1);
	CHECK_INT(u->p.cup.serial, 1);
	CHECK_INT(pptp_ctrl_call_find_peer(pac_side.c, pns2, &found), PK_OK);
	CHECK_INT(found, pac2);
	CHECK_INT(pptp_ctrl_call_find_peer(pac_side.c, 0x7777, &found),
	    PK_ERR_NOT_FOUND);
	CHECK_INT(pptp_ctrl_call_get(pns_side.c, pns1, &info), PK_OK);
	CHECK_INT(info.state, PPTP_CALL_ESTABLISHED);
	CHECK_INT(info.peer_call_id, pac1);
	CHECK_INT(info.peer_known, 1);
	CHECK_INT(info.deadline, PK_TIME_NEVER);
	CHECK_INT(pptp_ctrl_call_at(pac_side.c, 1, &info), PK_OK);
	CHECK_INT(pptp_ctrl_call_at(pac_side.c, 2, &info), PK_ERR_NOT_FOUND);
	CHECK_INT(pptp_ctrl_call_get(pns_side.c, 0x7777, &info),
	    PK_ERR_NOT_FOUND);
}

/* Call IDs are random (not guessable from the previous one) and not
 * reused by the next calls on the connection (pptp_call_alloc()). */
static void
test_call_ids_random(void)
{
	uint16_t pns[40], pac, near = 0;

	make_pair(0);
	connect_pair(0);
	for (int i = 0; i < 40; i++) {
		call_up(10 + (uint64_t)i, &pns[i], &pac);
		/* The PAC ends it (Call-Disconnect-Notify). */
		CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c,
		    10 + (uint64_t)i, pac, PPTP_CDN_ADMIN_SHUTDOWN, 0, 0,
		    NULL, &pac_side.out), PK_OK);
		collect(&pac_side);
		pump(10 + (uint64_t)i);
		CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);
		for (int j = i - PK_CTRL_CALLS_MAX; j < i; j++)
			if (j >= 0)
				CHECK(pns[j] != pns[i]);
		if (i > 0 && abs((int)pns[i] - (int)pns[i - 1]) <= 64)
			near++;
	}
	CHECK(near <= 2);
}

static void
test_echo_keepalive(void)
{
	struct pptp_msg m[4];
	uint64_t t = PPTP_ECHO_INTERVAL_MS;

	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c), t);
	/* Not yet due: nothing. */
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t - 1, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_ECHORQ);
	/* Now the deadline is the echo timeout. */
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    t + PPTP_ECHO_TIMEOUT_MS);
	deliver(&pac_side, &pns_side, t + 100, 0);
	CHECK_INT(sent_msgs(&pns_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_ECHORP);
	CHECK_INT(m[0].u.echo.result, PPTP_ECHORP_OK);
	deliver(&pns_side, &pac_side, t + 200, 0);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->echo_replies, 1);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->echo_answered, 1);
	/* The reply was traffic: next echo 60 s after it. */
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    t + 200 + PPTP_ECHO_INTERVAL_MS);
	/* The PNS heard the Echo-Request at t + 100. */
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c),
	    t + 100 + PPTP_ECHO_INTERVAL_MS);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_DOWN), 0);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_ESTABLISHED);
}

static void
test_echo_timeout(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *d;
	uint64_t t = PPTP_ECHO_INTERVAL_MS + 50;

	make_pair(0);
	connect_pair(0);
	call_up(50, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t, &pac_side.out), PK_OK);
	collect(&pac_side);
	pac_side.wire_len = 0;	/* the peer is gone: never delivered */
	/* A reply that matches no request does not count. */
	inject(&pac_side, t + 10, "0014 0001 1a2b3c4d 0006 0000 00000000 "
	    "01 00 0000");
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->echo_replies, 0);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->rx_unexpected, 1);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    t + PPTP_ECHO_TIMEOUT_MS);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t + PPTP_ECHO_TIMEOUT_MS - 1,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_DOWN), 0);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t + PPTP_ECHO_TIMEOUT_MS,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_CLOSED);
	d = find_ev(&pac_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(d->ev.id, pac_id);
	CHECK_INT(d->p.end.origin, PPTP_END_CTRL);
	d = last_ev(&pac_side);
	CHECK_INT(d->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(d->ev.code, PK_ERR_TIMEOUT);
	CHECK_INT(d->p.down.origin, PPTP_END_TIMEOUT);
	CHECK(strstr(d->ev.text, "Echo-Reply") != NULL);
	/* RFC 2637 §3.1.4: just close TCP, no message. */
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c), PK_TIME_NEVER);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, t + 2 * PPTP_ECHO_TIMEOUT_MS,
	    &pac_side.out), PK_ERR_CLOSED);
}

static void
test_echo_disabled(void)
{
	struct pptp_ctrl_config pac, pns;

	pptp_ctrl_config_default(&pac, PPTP_ROLE_PAC);
	pptp_ctrl_config_default(&pns, PPTP_ROLE_PNS);
	pac.echo_interval_ms = 0;
	pns.echo_interval_ms = 5000;
	pns.echo_timeout_ms = 1000;
	make_pair_cfg(&pac, &pns, 0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c), PK_TIME_NEVER);
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c), 5000);
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, 5000, &pns_side.out), PK_OK);
	collect(&pns_side);
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c), 6000);
	pump(5500);
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c), 10500);
}

static void
test_clear_by_pns(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;
	struct pptp_call_info info;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 100, pns_id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	CHECK_INT(pptp_ctrl_call_get(pns_side.c, pns_id, &info), PK_OK);
	CHECK_INT(info.state, PPTP_CALL_WAIT_DISCONNECT);
	CHECK_INT(info.deadline, 100 + PPTP_REPLY_TIMEOUT_MS);
	/* Clearing twice sends nothing more. */
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 100, pns_id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	CHECK_INT(pns_side.wire_len, PPTP_LEN_CCRQ);
	pump(100);
	e = find_ev(&pac_side, PPTP_EV_CALL_CLEAR_REQUESTED, 0);
	CHECK_INT(e->ev.id, pac_id);
	CHECK_INT(e->p.end.peer_call_id, pns_id);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_DOWN), 0);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 200, pac_id,
	    PPTP_CDN_REQUEST, 0, 0, "rx 10 tx 20", &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.id, pac_id);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	pump(200);
	e = find_ev(&pns_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.id, pns_id);
	CHECK_INT(e->ev.code, PPTP_CDN_REQUEST);
	CHECK_INT(e->p.end.result, PPTP_CDN_REQUEST);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	CHECK_STR(e->p.end.stats, "rx 10 tx 20");
	CHECK(strstr(e->ev.text, "result 4 (Request)") != NULL);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 0);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_ESTABLISHED);
}

/* PAC hangs up on its own (RFC 2637 §3.2.4.1 local terminate). */
static void
test_cdn_unprompted(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 10, pac_id,
	    PPTP_CDN_ADMIN_SHUTDOWN, 0, 0, NULL, &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->p.end.origin, PPTP_END_LOCAL);
	pump(10);
	e = find_ev(&pns_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.id, pns_id);
	CHECK_INT(e->ev.code, PPTP_CDN_ADMIN_SHUTDOWN);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_DOWN), 1);
	/* The call is gone on both sides; the IDs are invalid now. */
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 20, pns_id, &pns_side.out),
	    PK_ERR_NOT_FOUND);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 20, pac_id, 3, 0, 0,
	    NULL, &pac_side.out), PK_ERR_NOT_FOUND);
}

/* [MS-PTPT] §3.2.5.5: a Windows PAC sends CDN Result Code 0. */
static void
test_cdn_result_zero(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 10, pac_id,
	    PPTP_CDN_UNDEFINED, 0, 0, NULL, &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(10);
	e = find_ev(&pns_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.code, 0);
	CHECK_INT(e->p.end.result, 0);
	CHECK(strstr(e->ev.text, "Undefined") != NULL);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 0);
}

/* PoPToP pptpd answers Call-Clear-Request by closing TCP. */
static void
test_clear_answered_by_close(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 10, pns_id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_peer_closed(pns_side.c, 20, &pns_side.out), PK_OK);
	collect(&pns_side);
	CHECK_INT(pns_side.nev >= 2, 1);
	e = &pns_side.ev[pns_side.nev - 2];
	CHECK_INT(e->ev.type, PPTP_EV_CALL_DOWN);
	CHECK_INT(e->ev.id, pns_id);
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_CLOSED);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_CLOSED);
	/* Closed: idempotent close, everything else refused. */
	CHECK_INT(pptp_ctrl_peer_closed(pns_side.c, 30, &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_input(pns_side.c, 30, (const uint8_t *)"x", 1,
	    &pns_side.out), PK_ERR_CLOSED);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 30, pns_id, &pns_side.out),
	    PK_ERR_CLOSED);
	collect(&pns_side);
	CHECK_INT(pns_side.wire_len, 0);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CTRL_DOWN), 1);
}

/* A clear with no CDN and no close: dropped after the call timer. */
static void
test_clear_timeout(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;
	uint64_t dl = 10 + PPTP_REPLY_TIMEOUT_MS;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 10, pns_id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	/* The echo timer (60 s after the last message at 0) comes first. */
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c), PPTP_ECHO_INTERVAL_MS);
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, dl - 1, &pns_side.out), PK_OK);
	collect(&pns_side);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_DOWN), 0);
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c), dl);
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, dl, &pns_side.out), PK_OK);
	collect(&pns_side);
	e = find_ev(&pns_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK_INT(e->p.end.origin, PPTP_END_TIMEOUT);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CTRL_DOWN), 0);
}

/* The PAC never calls disconnect after CCRQ: the CDN goes out anyway. */
static void
test_clearing_timeout(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;
	struct pptp_msg m[4];

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 10, pns_id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pump(10);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_CLEAR_REQUESTED), 1);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, 10 + PPTP_REPLY_TIMEOUT_MS,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	/* The echo timer is due too; the CDN is among what was sent. */
	find_sent(&pac_side, PPTP_CDN, &m[0]);
	CHECK_INT(m[0].u.cdn.result, PPTP_CDN_REQUEST);
	CHECK_INT(m[0].u.cdn.call_id, pac_id);
	e = find_ev(&pac_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->p.end.origin, PPTP_END_TIMEOUT);
	pump(10 + PPTP_REPLY_TIMEOUT_MS);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_DOWN), 1);
}

static void
test_stop_clears_calls(void)
{
	uint16_t pns1, pac1, pns2, pac2;
	const struct rec *e;
	size_t i;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns1, &pac1);
	call_up(0, &pns2, &pac2);
	pac_side.nev = pns_side.nev = 0;
	CHECK_INT(pptp_ctrl_stop(pac_side.c, 10, 9, &pac_side.out),
	    PK_ERR_ARG);
	CHECK_INT(pptp_ctrl_stop(pac_side.c, 10, PPTP_STOP_LOCAL_SHUTDOWN,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_WAIT_STOP_REPLY);
	/* §2.3: the calls are cleared with the request, at once. */
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_DOWN), 2);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 0);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_DOWN), 0);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    10 + PPTP_REPLY_TIMEOUT_MS);
	/* Stopping again is a no-op. */
	CHECK_INT(pptp_ctrl_stop(pac_side.c, 11, PPTP_STOP_NONE,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.wire_len, PPTP_LEN_STOPCCRQ);
	pump(20);
	/* The PNS: both calls down, then the connection, last. */
	CHECK_INT(pns_side.nev, 3);
	for (i = 0; i < 2; i++) {
		CHECK_INT(pns_side.ev[i].ev.type, PPTP_EV_CALL_DOWN);
		CHECK_INT(pns_side.ev[i].p.end.origin, PPTP_END_CTRL);
	}
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, 0);
	CHECK_INT(e->p.down.origin, PPTP_END_PEER);
	CHECK_INT(e->p.down.stop_reason, PPTP_STOP_LOCAL_SHUTDOWN);
	CHECK(strstr(e->ev.text, "Stop-Local-Shutdown") != NULL);
	e = last_ev(&pac_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, 0);
	CHECK_INT(e->p.down.origin, PPTP_END_LOCAL);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_CLOSED);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_CLOSED);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->tx_msgs[PPTP_STOPCCRP], 1);
}

static void
test_stop_timeout(void)
{
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_stop(pns_side.c, 10, PPTP_STOP_NONE,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, 10 + PPTP_REPLY_TIMEOUT_MS,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK_INT(e->p.down.stop_reason, PPTP_STOP_NONE);
}

static void
test_setup_timeout(void)
{
	const struct rec *e;

	/* Receiver: no SCCRQ within 30 s of the TCP accept. */
	make_pair(1000);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c),
	    1000 + PPTP_SETUP_TIMEOUT_MS);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, 1000 + PPTP_SETUP_TIMEOUT_MS -
	    1, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.nev, 0);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, 1000 + PPTP_SETUP_TIMEOUT_MS,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	e = last_ev(&pac_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK(strstr(e->ev.text, "Start-Control-Connection-Request") != NULL);
	CHECK_INT(pac_side.wire_len, 0);

	/* Originator: SCCRQ sent at 5000, no reply. */
	CHECK_INT(pptp_ctrl_start(pns_side.c, 5000, &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_next_deadline(pns_side.c),
	    5000 + PPTP_SETUP_TIMEOUT_MS);
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, 5000 + PPTP_SETUP_TIMEOUT_MS,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK(strstr(e->ev.text, "Start-Control-Connection-Reply") != NULL);

	/* Stopping before the connection exists: no message, just down. */
	make_pair(0);
	CHECK_INT(pptp_ctrl_stop(pac_side.c, 1, PPTP_STOP_NONE,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(last_ev(&pac_side)->ev.type, PPTP_EV_CTRL_DOWN);
}

static void
test_byte_at_a_time(void)
{
	uint16_t pns_id, pac_id, pns2, pac2;
	struct pptp_call_params p;
	const struct rec *req;

	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	pump_chunked(0, 1);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_UP), 1);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CTRL_UP), 1);
	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &pns_id,
	    &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &pns2,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	/* Odd chunks: messages split anywhere, several per chunk. */
	pump_chunked(0, 7);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_REQUEST), 2);
	req = find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 0);
	pac_id = (uint16_t)req->ev.id;
	CHECK_INT(req->p.req.peer_call_id, pns_id);
	CHECK_INT(req->p.req.min_bps, 300);
	CHECK_INT(req->p.req.max_bps, 100000000);
	CHECK_INT(req->p.req.bearer_type, PPTP_BEARER_ANY);
	pac2 = (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 1)->ev.id;
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac_id, NULL,
	    &pac_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac2, NULL,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump_chunked(0, 1);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_UP), 2);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->rx_malformed, 0);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_malformed, 0);
}

#define SCCRQ_HEX \
    "009c 0001 1a2b3c4d 0001 0000 0100 0000 00000001 00000001 0000 0000 " \
    Z64 Z64
#define Z4 "00000000"
#define Z16 Z4 Z4 Z4 Z4
#define Z64 Z16 Z16 Z16 Z16
#define OCRQ_HEX(id) \
    "00a8 0001 1a2b3c4d 0007 0000 " id " 0001 0000012c 05f5e100 " \
    "00000003 00000003 0040 0000 0000 0000 " Z64 Z64
#define ECHORQ_HEX "0010 0001 1a2b3c4d 0005 0000 cafebabe"

/* Several messages in one read, answered in order. */
static void
test_many_in_one_chunk(void)
{
	struct pptp_msg m[8];
	size_t n;

	make_pair(0);
	inject(&pac_side, 0, SCCRQ_HEX OCRQ_HEX("faea") ECHORQ_HEX);
	CHECK_INT(pac_side.last_rc, PK_OK);
	n = sent_msgs(&pac_side, m, 8);
	CHECK_INT(n, 2);
	CHECK_INT(m[0].type, PPTP_SCCRP);
	CHECK_INT(m[0].u.start.result, PPTP_SCCRP_OK);
	CHECK_INT(m[1].type, PPTP_ECHORP);
	CHECK_INT(m[1].u.echo.id, 0xcafebabe);
	CHECK_INT(pac_side.nev, 2);
	CHECK_INT(pac_side.ev[0].ev.type, PPTP_EV_CTRL_UP);
	CHECK_INT(pac_side.ev[1].ev.type, PPTP_EV_CALL_REQUEST);
	CHECK_INT(pac_side.ev[1].p.req.peer_call_id, 0xfaea);
	CHECK_INT(pac_side.ev[1].p.req.peer_recv_window, 64);
}

/* More than PK_CTRL_RXBUF in one call: handled, the buffer bounded. */
static void
test_big_read(void)
{
	static uint8_t big[300 * PPTP_LEN_ECHORQ + 5];
	uint8_t one[PPTP_LEN_ECHORQ];
	size_t n = test_unhex(ECHORQ_HEX, one, sizeof(one));

	CHECK_INT(n, PPTP_LEN_ECHORQ);
	make_pair(0);
	inject(&pac_side, 0, SCCRQ_HEX);
	pac_side.wire_len = 0;
	for (size_t i = 0; i < 300; i++)
		memcpy(big + i * PPTP_LEN_ECHORQ, one, PPTP_LEN_ECHORQ);
	/* Plus the first 5 bytes of one more, kept for later. */
	memcpy(big + 300 * PPTP_LEN_ECHORQ, one, 5);
	CHECK(sizeof(big) > PK_CTRL_RXBUF);
	CHECK_INT(pptp_ctrl_input(pac_side.c, 1, big, sizeof(big),
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.wire_len, 300 * PPTP_LEN_ECHORP);
	pac_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_input(pac_side.c, 2, one + 5,
	    PPTP_LEN_ECHORQ - 5, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.wire_len, PPTP_LEN_ECHORP);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->echo_answered, 301);
}

static const struct malformed_case {
	const char *name;
	const char *hex;
	int err;
} malformed_cases[] = {
	{ "bad magic", "0010 0001 1a2b3c4e 0005 0000 12345678",
	    PK_ERR_MAGIC },
	/* Only the 12-byte header: judged before the rest arrives. */
	{ "length 0xffff", "ffff 0001 1a2b3c4d 0005 0000", PK_ERR_LENGTH },
	{ "length 0", "0000 0001 1a2b3c4d 0005 0000", PK_ERR_LENGTH },
	{ "echo of 20", "0014 0001 1a2b3c4d 0005 0000 12345678 00000000",
	    PK_ERR_LENGTH },
	{ "unknown control type", "0010 0001 1a2b3c4d 0063 0000 12345678",
	    PK_ERR_TYPE },
	{ "management message", "0010 0002 1a2b3c4d 0005 0000 12345678",
	    PK_ERR_TYPE },
	{ "HTTP", "474554202f20485454502f312e310d0a", PK_ERR_LENGTH },
};

static void
test_malformed_stops(void)
{
	for (size_t i = 0; i < sizeof(malformed_cases) /
	    sizeof(malformed_cases[0]); i++) {
		const struct malformed_case *mc = &malformed_cases[i];
		uint16_t pns_id, pac_id;
		struct pptp_msg m[4];
		const struct rec *e;

		make_pair(0);
		connect_pair(0);
		call_up(0, &pns_id, &pac_id);
		test_current = mc->name;
		pac_side.nev = 0;
		inject(&pac_side, 10, mc->hex);
		CHECK_INT(pac_side.last_rc, mc->err);
		CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_CLOSED);
		/* Stop-Control-Connection-Request, Reason 1, then down. */
		CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
		CHECK_INT(m[0].type, PPTP_STOPCCRQ);
		CHECK_INT(m[0].u.stop.reason, PPTP_STOP_NONE);
		CHECK_INT(pac_side.nev, 2);
		CHECK_INT(pac_side.ev[0].ev.type, PPTP_EV_CALL_DOWN);
		e = last_ev(&pac_side);
		CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
		CHECK_INT(e->ev.code, mc->err);
		CHECK_INT(e->p.down.origin, PPTP_END_PROTOCOL);
		CHECK(strstr(e->ev.text, pk_strerror(mc->err)) != NULL);
		CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->rx_malformed, 1);
		/* The peer sees a clean stop. */
		pump(10);
		CHECK_INT(last_ev(&pns_side)->ev.type, PPTP_EV_CTRL_DOWN);
		CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_DOWN), 1);
	}
	test_current = "test_malformed_stops";
	/* Before the connection exists: no Stop, just down. */
	make_pair(0);
	inject(&pac_side, 0, "0010 0001 1a2b3c4e 0005 0000 12345678");
	CHECK_INT(pac_side.last_rc, PK_ERR_MAGIC);
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(last_ev(&pac_side)->ev.code, PK_ERR_MAGIC);
	/* A bad message after good ones in the same read: the good ones
	 * are handled first, the rest of the read is ignored. */
	make_pair(0);
	inject(&pac_side, 0, SCCRQ_HEX "0010 0001 1a2b3c4e 0005 0000 12345678"
	    ECHORQ_HEX);
	CHECK_INT(pac_side.last_rc, PK_ERR_MAGIC);
	CHECK_INT(pac_side.nev, 2);
	CHECK_INT(pac_side.ev[0].ev.type, PPTP_EV_CTRL_UP);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->echo_answered, 0);
}

static void
test_call_limit(void)
{
	struct pptp_ctrl_config pac, pns;
	struct pptp_call_params p;
	uint16_t ids[3];
	const struct rec *e;

	pptp_ctrl_config_default(&pac, PPTP_ROLE_PAC);
	pptp_ctrl_config_default(&pns, PPTP_ROLE_PNS);
	pac.max_calls = 2;
	make_pair_cfg(&pac, &pns, 0);
	connect_pair(0);
	pptp_call_params_default(&p);
	for (int i = 0; i < 3; i++)
		CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &ids[i],
		    &pns_side.out), PK_OK);
	collect(&pns_side);
	pump(0);
	/* Two reach the owner, the third is refused by the PAC itself. */
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_REQUEST), 2);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->calls_refused, 1);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, ids[2]);
	CHECK_INT(e->ev.code, PPTP_OCRP_GENERAL_ERROR);
	CHECK_INT(e->p.end.result, PPTP_OCRP_GENERAL_ERROR);
	CHECK_INT(e->p.end.error, PPTP_GE_NO_RESOURCE);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	CHECK(strstr(e->ev.text, "No-Resource") != NULL);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 2);
	/* The owner's own limit: the PNS cannot start past max_calls. */
	pns.max_calls = 1;
	make_pair_cfg(&pac, &pns, 0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &ids[0],
	    &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &ids[1],
	    &pns_side.out), PK_ERR_FULL);
	collect(&pns_side);
}

/* The owner refuses (e.g. a server-wide session limit). */
static void
test_call_reject(void)
{
	struct pptp_call_params p;
	uint16_t id;
	const struct rec *e;
	uint16_t pac_id;

	make_pair(0);
	connect_pair(0);
	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pump(0);
	pac_id = (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 0)->ev.id;
	CHECK_INT(pptp_ctrl_call_reject(pac_side.c, 0, pac_id,
	    PPTP_OCRP_CONNECTED, 0, 0, &pac_side.out), PK_ERR_ARG);
	CHECK_INT(pptp_ctrl_call_reject(pac_side.c, 0, pac_id, 8, 0, 0,
	    &pac_side.out), PK_ERR_ARG);
	CHECK_INT(pptp_ctrl_call_reject(pac_side.c, 0, pac_id,
	    PPTP_OCRP_DO_NOT_ACCEPT, 0, 0x10, &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->p.end.origin, PPTP_END_LOCAL);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 0);
	pump(0);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, id);
	CHECK_INT(e->ev.code, PPTP_OCRP_DO_NOT_ACCEPT);
	CHECK_INT(e->p.end.cause, 0x10);
	CHECK(strstr(e->ev.text, "Do not accept") != NULL);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);
}

static void
test_incoming_flow(void)
{
	struct pptp_call_params p;
	uint16_t pac_id, pns_id, pac2;
	const struct rec *e;
	struct pptp_msg m[4];

	make_pair(0);
	connect_pair(0);
	pptp_call_params_default(&p);
	snprintf(p.phone, sizeof(p.phone), "5551234");
	snprintf(p.dialing, sizeof(p.dialing), "5559876");
	p.bearer_type = PPTP_BEARER_DIGITAL;
	p.connect_speed = 64000;
	p.framing_type = PPTP_FRAMING_SYNC;
	p.physical_channel = 3;
	CHECK_INT(pptp_ctrl_call_start(pac_side.c, 0, &p, &pac_id,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_ICRQ);
	CHECK_INT(m[0].u.icrq.dialed_len, 7);
	pump(0);
	e = find_ev(&pns_side, PPTP_EV_CALL_REQUEST, 0);
	CHECK_INT(e->p.req.direction, PPTP_CALL_INCOMING);
	CHECK_INT(e->p.req.peer_call_id, pac_id);
	CHECK_STR(e->p.req.phone, "5551234");
	CHECK_STR(e->p.req.dialing, "5559876");
	CHECK_INT(e->p.req.bearer_type, PPTP_BEARER_DIGITAL);
	CHECK_INT(e->p.req.physical_channel, 3);
	pns_id = (uint16_t)e->ev.id;
	CHECK_INT(pptp_ctrl_call_accept(pns_side.c, 0, pns_id, NULL,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	/* ICRP sent; the PNS waits for ICCN before the call is up. */
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_UP), 0);
	deliver(&pns_side, &pac_side, 0, 0);
	/* The PAC answers ICRP with ICCN and is up. */
	e = find_ev(&pac_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(e->p.cup.peer_call_id, pns_id);
	CHECK_INT(e->p.cup.direction, PPTP_CALL_INCOMING);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_ICCN);
	CHECK_INT(m[0].u.iccn.peer_call_id, pns_id);
	deliver(&pac_side, &pns_side, 0, 0);
	e = find_ev(&pns_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(e->ev.id, pns_id);
	CHECK_INT(e->p.cup.peer_call_id, pac_id);
	CHECK_INT(e->p.cup.connect_speed, 64000);
	CHECK_INT(e->p.cup.framing_type, PPTP_FRAMING_SYNC);
	CHECK_INT(e->p.cup.peer_recv_window, PK_GRE_RWIN_DEFAULT);

	/* A second incoming call, refused by the PNS owner. */
	CHECK_INT(pptp_ctrl_call_start(pac_side.c, 0, &p, &pac2,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(0);
	e = find_ev(&pns_side, PPTP_EV_CALL_REQUEST, 1);
	CHECK_INT(pptp_ctrl_call_reject(pns_side.c, 0, (uint16_t)e->ev.id,
	    PPTP_ICRP_GENERAL_ERROR, PPTP_GE_NO_RESOURCE, 0, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pump(0);
	e = find_ev(&pac_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, pac2);
	CHECK_INT(e->p.end.error, PPTP_GE_NO_RESOURCE);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 1);

	/* A third: the PAC aborts before the PNS answers (CDN). */
	CHECK_INT(pptp_ctrl_call_start(pac_side.c, 0, &p, &pac2,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(0);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 0, pac2,
	    PPTP_CDN_LOST_CARRIER, 0, 0, NULL, &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(0);
	/* #0 is the call the PNS itself refused above. */
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 1);
	CHECK_INT(e->ev.code, PPTP_CDN_LOST_CARRIER);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 1);
}

static void
test_sli_wen(void)
{
	uint16_t pns_id, pac_id;
	struct pptp_ev_wan_error w;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	CHECK_INT(pptp_ctrl_set_link_info(pns_side.c, 5, pns_id, 0xffffffff,
	    0x000a0000, &pns_side.out), PK_OK);
	collect(&pns_side);
	pump(5);
	e = find_ev(&pac_side, PPTP_EV_SET_LINK_INFO, 0);
	CHECK_INT(e->ev.id, pac_id);
	CHECK_INT(e->p.sli.send_accm, 0xffffffffu);
	CHECK_INT(e->p.sli.recv_accm, 0x000a0000);
	memset(&w, 0, sizeof(w));
	w.crc_errors = 7;
	w.alignment_errors = 9;
	CHECK_INT(pptp_ctrl_wan_error(pac_side.c, 6, pac_id, &w,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(6);
	e = find_ev(&pns_side, PPTP_EV_WAN_ERROR, 0);
	CHECK_INT(e->ev.id, pns_id);
	CHECK_INT(e->p.wen.crc_errors, 7);
	CHECK_INT(e->p.wen.alignment_errors, 9);
	/* RFC 2637 §2.14, §2.15 fix the direction of each. */
	CHECK_INT(pptp_ctrl_set_link_info(pac_side.c, 7, pac_id, 0, 0,
	    &pac_side.out), PK_ERR_STATE);
	CHECK_INT(pptp_ctrl_wan_error(pns_side.c, 7, pns_id, &w,
	    &pns_side.out), PK_ERR_STATE);
	/* An SLI for an unknown call is dropped. */
	inject(&pac_side, 8, "0018 0001 1a2b3c4d 000f 0000 7777 0000 "
	    "ffffffff ffffffff");
	CHECK_INT(count_ev(&pac_side, PPTP_EV_SET_LINK_INFO), 1);
	CHECK_INT(pptp_ctrl_get_stats(pac_side.c)->rx_unexpected, 1);
}

/* Well-formed messages in the wrong place are dropped or refused. */
static void
test_unexpected(void)
{
	struct pptp_msg m[4];
	uint16_t pns_id, pac_id;

	/* OCRQ before SCCRQ: General Error 1, Not-Connected (§2.16). */
	make_pair(0);
	inject(&pac_side, 0, OCRQ_HEX("1234"));
	CHECK_INT(pac_side.last_rc, PK_OK);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_OCRP);
	CHECK_INT(m[0].u.ocrp.result, PPTP_OCRP_GENERAL_ERROR);
	CHECK_INT(m[0].u.ocrp.error, PPTP_GE_NOT_CONNECTED);
	CHECK_INT(m[0].u.ocrp.peer_call_id, 0x1234);
	CHECK_INT(m[0].u.ocrp.call_id, 0);
	CHECK_INT(pac_side.nev, 0);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_IDLE);
	pac_side.wire_len = 0;
	/* Echo before SCCRQ: answered Not-Connected. */
	inject(&pac_side, 0, ECHORQ_HEX);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].u.echo.result, PPTP_ECHORP_GENERAL_ERROR);
	CHECK_INT(m[0].u.echo.error, PPTP_GE_NOT_CONNECTED);

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	/* A PNS-only message arriving at the PNS: dropped. */
	inject(&pns_side, 1, OCRQ_HEX("4444"));
	CHECK_INT(pns_side.last_rc, PK_OK);
	CHECK_INT(pns_side.wire_len, 0);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 1);
	/* An OCRP for a call the PNS never asked for: dropped. */
	inject(&pns_side, 1, "0020 0001 1a2b3c4d 0008 0000 "
	    "0101 7777 01 00 0000 00512502 4000 0000 00000000");
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 2);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_UP), 1);
	/* An ICCN for no call, a CDN for no call, a stray StopCCRP. */
	inject(&pns_side, 1, "001c 0001 1a2b3c4d 000b 0000 7777 0000 "
	    "0000fa00 0010 0002 00000002");
	inject(&pns_side, 1, "0094 0001 1a2b3c4d 000d 0000 7777 00 00 0000 "
	    "0000 " Z64 Z64);
	inject(&pns_side, 1, "0010 0001 1a2b3c4d 0004 0000 01 00 0000");
	inject(&pns_side, 1, "0014 0001 1a2b3c4d 0006 0000 01020304 "
	    "01 00 0000");
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 6);
	CHECK_INT(pns_side.wire_len, 0);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_ESTABLISHED);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 1);
	/* A second OCRQ reusing a busy peer Call ID: Bad-Call ID. */
	{
		char hex[1024];

		snprintf(hex, sizeof(hex), OCRQ_HEX("%04x"), pns_id);
		inject(&pac_side, 2, hex);
	}
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_OCRP);
	CHECK_INT(m[0].u.ocrp.error, PPTP_GE_BAD_CALL_ID);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_REQUEST), 1);
	pac_side.wire_len = 0;
	/* A CCRQ for no call: dropped, no CDN (there is no Call ID). */
	inject(&pac_side, 2, "0010 0001 1a2b3c4d 000c 0000 7777 0000");
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_CLEAR_REQUESTED), 0);
}

/* A second SCCRQ on one TCP connection (RFC 2637 §3.1.3 simplified). */
static void
test_collision(void)
{
	struct pptp_msg m[4];

	make_pair(0);
	connect_pair(0);
	inject(&pac_side, 1, SCCRQ_HEX);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_SCCRP);
	CHECK_INT(m[0].u.start.result, PPTP_SCCRP_EXISTS);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_ESTABLISHED);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CTRL_UP), 1);
	/* The acceptor sending SCCRQ while we wait for our reply. */
	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	inject(&pns_side, 0, SCCRQ_HEX);
	CHECK_INT(sent_msgs(&pns_side, m, 4), 1);
	CHECK_INT(m[0].u.start.result, PPTP_SCCRP_EXISTS);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_WAIT_CTL_REPLY);
}

static void
test_versions(void)
{
	struct pptp_msg m[4];
	const struct rec *e;

	/* An earlier version: refused with Result 5, then closed. */
	make_pair(0);
	inject(&pac_side, 0, "009c 0001 1a2b3c4d 0001 0000 00ff 0000 "
	    "00000001 00000001 0000 0000 " Z64 Z64);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_SCCRP);
	CHECK_INT(m[0].u.start.result, PPTP_SCCRP_BAD_VERSION);
	CHECK_INT(m[0].u.start.version, PPTP_VERSION);
	e = last_ev(&pac_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_VERSION);
	/* A later version: we answer with ours and go on (§3.1.2). */
	make_pair(0);
	inject(&pac_side, 0, "009c 0001 1a2b3c4d 0001 0000 0200 0000 "
	    "00000001 00000001 0000 0000 " Z64 Z64);
	CHECK_INT(sent_msgs(&pac_side, m, 4), 1);
	CHECK_INT(m[0].u.start.result, PPTP_SCCRP_OK);
	CHECK_INT(m[0].u.start.version, PPTP_VERSION);
	CHECK_INT(pptp_ctrl_state(pac_side.c), PPTP_CTRL_ESTABLISHED);
	/* The PAC refuses our version: down with PK_ERR_VERSION. */
	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	inject(&pns_side, 0, "009c 0001 1a2b3c4d 0002 0000 0100 05 00 "
	    "00000001 00000001 0000 0000 " Z64 Z64);
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_VERSION);
	CHECK(strstr(e->ev.text, "Version not supported") != NULL);
	/* Not authorized. */
	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	inject(&pns_side, 0, "009c 0001 1a2b3c4d 0002 0000 0100 04 00 "
	    "00000001 00000001 0000 0000 " Z64 Z64);
	CHECK_INT(last_ev(&pns_side)->ev.code, PK_ERR_AUTH);
	/* "Successful" with a version we lack: Stop, Reason 2 (§3.1.1). */
	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	inject(&pns_side, 0, "009c 0001 1a2b3c4d 0002 0000 0200 01 00 "
	    "00000001 00000001 0000 0000 " Z64 Z64);
	CHECK_INT(sent_msgs(&pns_side, m, 4), 1);
	CHECK_INT(m[0].type, PPTP_STOPCCRQ);
	CHECK_INT(m[0].u.stop.reason, PPTP_STOP_PROTOCOL);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_WAIT_STOP_REPLY);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CTRL_UP), 0);
	inject(&pns_side, 1, "0010 0001 1a2b3c4d 0004 0000 01 00 0000");
	e = last_ev(&pns_side);
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_VERSION);
}

/*
 * Facts from testing: PoPToP pptpd replies to SCCRQ with zero framing
 * and bearer capabilities and answers OCRQ with Call ID 0; Windows sends
 * empty host names.
 */
static void
test_pptpd_quirks(void)
{
	struct pptp_call_params p;
	const struct rec *e;
	uint16_t id;

	make_pair(0);
	CHECK_INT(pptp_ctrl_start(pns_side.c, 0, &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	inject(&pns_side, 0, "009c 0001 1a2b3c4d 0002 0000 0100 01 00 "
	    "00000000 00000000 0001 0001 " Z64 Z64);
	e = find_ev(&pns_side, PPTP_EV_CTRL_UP, 0);
	CHECK_INT(e->p.up.peer_framing_caps, 0);
	CHECK_INT(e->p.up.peer_bearer_caps, 0);
	CHECK_STR(e->p.up.peer_host_name, "");
	CHECK_STR(e->p.up.peer_vendor, "");
	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	{
		char hex[256];

		snprintf(hex, sizeof(hex), "0020 0001 1a2b3c4d 0008 0000 "
		    "0000 %04x 01 00 0000 05f5e100 0040 0000 00000000", id);
		inject(&pns_side, 1, hex);
	}
	e = find_ev(&pns_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(e->p.cup.peer_call_id, 0);
	CHECK_INT(e->p.cup.connect_speed, 100000000);
	/* Its CDN then names Call ID 0 and still finds the call. */
	inject(&pns_side, 2, "0094 0001 1a2b3c4d 000d 0000 0000 04 00 0000 "
	    "0000 " Z64 Z64);
	e = find_ev(&pns_side, PPTP_EV_CALL_DOWN, 0);
	CHECK_INT(e->ev.id, id);
	CHECK_INT(e->p.end.peer_call_id, 0);
	CHECK_INT(e->p.end.peer_known, 1);
}

static void
test_peer_closed(void)
{
	uint16_t pns_id, pac_id;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	pac_side.nev = 0;
	CHECK_INT(pptp_ctrl_peer_closed(pac_side.c, 5, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(pac_side.nev, 2);
	e = &pac_side.ev[0];
	CHECK_INT(e->ev.type, PPTP_EV_CALL_DOWN);
	CHECK_INT(e->ev.id, pac_id);
	CHECK_INT(e->ev.code, PK_ERR_CLOSED);
	e = &pac_side.ev[1];
	CHECK_INT(e->ev.type, PPTP_EV_CTRL_DOWN);
	CHECK_INT(e->ev.code, PK_ERR_CLOSED);
	CHECK_INT(pac_side.wire_len, 0);
	CHECK_INT(pptp_ctrl_call_count(pac_side.c), 0);
}

static void
test_call_request_timeouts(void)
{
	struct pptp_call_params p;
	uint16_t id;
	const struct rec *e;
	struct pptp_msg m[4];
	uint64_t dl = 100 + PPTP_REPLY_TIMEOUT_MS;

	/* The PAC owner never answers: OCRP Time-out (§2.8 Result 6). */
	make_pair(0);
	connect_pair(0);
	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 100, &p, &id,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	pump(100);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_REQUEST), 1);
	CHECK_INT(pptp_ctrl_next_deadline(pac_side.c), dl);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, dl - 1, &pac_side.out), PK_OK);
	collect(&pac_side);
	CHECK_INT(count_ev(&pac_side, PPTP_EV_CALL_FAILED), 0);
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, dl, &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK_INT(e->p.end.result, PPTP_OCRP_TIMEOUT);
	pump(dl);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, id);
	CHECK_INT(e->ev.code, PPTP_OCRP_TIMEOUT);
	/* A late accept finds nothing. */
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, dl,
	    (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 0)->ev.id,
	    NULL, &pac_side.out), PK_ERR_NOT_FOUND);

	/* The OCRQ is lost: the PNS gives up and sends CCRQ. */
	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 100, &p, &id,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, dl, &pns_side.out), PK_OK);
	collect(&pns_side);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, id);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK_INT(e->p.end.origin, PPTP_END_TIMEOUT);
	find_sent(&pns_side, PPTP_CCRQ, &m[0]);
	CHECK_INT(m[0].u.ccrq.call_id, id);
	CHECK_INT(pptp_ctrl_state(pns_side.c), PPTP_CTRL_ESTABLISHED);
}

/*
 * The PNS aborts during wait_reply (§3.2.4.2): CCRQ before any OCRP. The
 * PAC's CDN names a Call ID the PNS never learned; with one such call it
 * is matched, with two it is ambiguous and the timers end them.
 */
static void
test_abort_during_setup(void)
{
	uint16_t id, id2, pac_id;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, NULL, &id,
	    &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 0, id, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pump(0);
	e = find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 0);
	pac_id = (uint16_t)e->ev.id;
	e = find_ev(&pac_side, PPTP_EV_CALL_CLEAR_REQUESTED, 0);
	CHECK_INT(e->ev.id, pac_id);
	/* Too late to accept; the owner answers the clear. */
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac_id, NULL,
	    &pac_side.out), PK_ERR_STATE);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 0, pac_id,
	    PPTP_CDN_REQUEST, 0, 0, NULL, &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	pump(0);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, id);
	CHECK_INT(e->ev.code, PPTP_CDN_REQUEST);
	CHECK_INT(e->p.end.origin, PPTP_END_PEER);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);

	/* Two at once: each CDN could be either; neither is guessed. */
	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, NULL, &id,
	    &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, NULL, &id2,
	    &pns_side.out), PK_OK);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 0, id, &pns_side.out),
	    PK_OK);
	CHECK_INT(pptp_ctrl_call_clear(pns_side.c, 0, id2, &pns_side.out),
	    PK_OK);
	collect(&pns_side);
	pump(0);
	for (size_t i = 0; i < 2; i++)
		CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 0,
		    (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_CLEAR_REQUESTED,
		    i)->ev.id, PPTP_CDN_REQUEST, 0, 0, NULL, &pac_side.out),
		    PK_OK);
	collect(&pac_side);
	pump(0);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_FAILED), 0);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 2);
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, PPTP_REPLY_TIMEOUT_MS,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	CHECK_INT(count_ev(&pns_side, PPTP_EV_CALL_FAILED), 2);
	CHECK_INT(pptp_ctrl_call_count(pns_side.c), 0);
}

/* The PNS accepted an incoming call, the ICCN never comes. */
static void
test_wait_connect_timeout(void)
{
	uint16_t pac_id, pns_id;
	const struct rec *e;
	struct pptp_msg m;

	make_pair(0);
	connect_pair(0);
	CHECK_INT(pptp_ctrl_call_start(pac_side.c, 0, NULL, &pac_id,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	pump(0);
	pns_id = (uint16_t)find_ev(&pns_side, PPTP_EV_CALL_REQUEST, 0)->ev.id;
	CHECK_INT(pptp_ctrl_call_accept(pns_side.c, 10, pns_id, NULL,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	pns_side.wire_len = 0;
	CHECK_INT(pptp_ctrl_timeout(pns_side.c, 10 + PPTP_REPLY_TIMEOUT_MS,
	    &pns_side.out), PK_OK);
	collect(&pns_side);
	e = find_ev(&pns_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, pns_id);
	CHECK_INT(e->ev.code, PK_ERR_TIMEOUT);
	CHECK(strstr(e->ev.text, "Incoming-Call-Connected") != NULL);
	find_sent(&pns_side, PPTP_CCRQ, &m);
	CHECK_INT(m.u.ccrq.call_id, pns_id);
	/* The PAC's own ICRQ timer: no ICRP came back, CDN (§3.2.3.1). */
	CHECK_INT(pptp_ctrl_timeout(pac_side.c, PPTP_REPLY_TIMEOUT_MS,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_FAILED, 0);
	CHECK_INT(e->ev.id, pac_id);
	find_sent(&pac_side, PPTP_CDN, &m);
	CHECK_INT(m.u.cdn.call_id, pac_id);
}

/* A server-wide Call ID allocator renames the reserved ID. */
static void
test_accept_rename(void)
{
	struct pptp_call_params p;
	struct pptp_call_answer a;
	uint16_t id1, id2, pac1, pac2;
	const struct rec *e;

	make_pair(0);
	connect_pair(0);
	pptp_call_params_default(&p);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id1,
	    &pns_side.out), PK_OK);
	p.local_call_id = 0x4242;
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id2,
	    &pns_side.out), PK_OK);
	CHECK_INT(id2, 0x4242);
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id2,
	    &pns_side.out), PK_ERR_DUPLICATE);
	collect(&pns_side);
	pump(0);
	pac1 = (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 0)->ev.id;
	pac2 = (uint16_t)find_ev(&pac_side, PPTP_EV_CALL_REQUEST, 1)->ev.id;
	memset(&a, 0, sizeof(a));
	a.local_call_id = pac2;	/* taken by the other call */
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac1, &a,
	    &pac_side.out), PK_ERR_DUPLICATE);
	a.local_call_id = 0x0900;
	a.recv_window = 16384;
	a.connect_speed = 5317890;
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac1, &a,
	    &pac_side.out), PK_OK);
	collect(&pac_side);
	e = find_ev(&pac_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(e->ev.id, 0x0900);
	pump(0);
	e = find_ev(&pns_side, PPTP_EV_CALL_UP, 0);
	CHECK_INT(e->ev.id, id1);
	CHECK_INT(e->p.cup.peer_call_id, 0x0900);
	CHECK_INT(e->p.cup.peer_recv_window, 16384);
	CHECK_INT(e->p.cup.connect_speed, 5317890);
	/* The old ID is gone; the new one works. */
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 0, pac1, 3, 0, 0,
	    NULL, &pac_side.out), pac1 == 0x0900 ? PK_OK : PK_ERR_NOT_FOUND);
	CHECK_INT(pptp_ctrl_call_disconnect(pac_side.c, 0, 0x0900, 3, 0, 0,
	    NULL, &pac_side.out), pac1 == 0x0900 ? PK_ERR_NOT_FOUND : PK_OK);
	collect(&pac_side);
}

static void
test_api_errors(void)
{
	struct pptp_ctrl_config cfg;
	struct pptp_ctrl *c;
	struct pptp_call_params p;
	uint16_t id, pns_id, pac_id;

	pptp_ctrl_config_default(&cfg, 0);
	CHECK_INT(pptp_ctrl_new(&c, &cfg, 0), PK_ERR_CONFIG);
	CHECK(c == NULL);
	pptp_ctrl_config_default(&cfg, PPTP_ROLE_PAC);
	cfg.max_calls = PK_CTRL_CALLS_MAX + 1;
	CHECK_INT(pptp_ctrl_new(&c, &cfg, 0), PK_ERR_CONFIG);
	cfg.max_calls = 0;
	CHECK_INT(pptp_ctrl_new(&c, &cfg, 0), PK_ERR_CONFIG);
	pptp_ctrl_config_default(&cfg, PPTP_ROLE_PAC);
	cfg.setup_timeout_ms = 0;
	CHECK_INT(pptp_ctrl_new(&c, &cfg, 0), PK_ERR_CONFIG);
	pptp_ctrl_free(NULL);

	make_pair(0);
	pptp_call_params_default(&p);
	/* Not established yet. */
	CHECK_INT(pptp_ctrl_call_start(pns_side.c, 0, &p, &id, &pns_side.out),
	    PK_ERR_STATE);
	connect_pair(0);
	call_up(0, &pns_id, &pac_id);
	/* Wrong role for the verb. */
	CHECK_INT(pptp_ctrl_call_clear(pac_side.c, 0, pac_id, &pac_side.out),
	    PK_ERR_STATE);
	CHECK_INT(pptp_ctrl_call_disconnect(pns_side.c, 0, pns_id, 3, 0, 0,
	    NULL, &pns_side.out), PK_ERR_STATE);
	/* Wrong call state: accept/reject an established call. */
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, pac_id, NULL,
	    &pac_side.out), PK_ERR_STATE);
	CHECK_INT(pptp_ctrl_call_reject(pac_side.c, 0, pac_id, 2, 0, 0,
	    &pac_side.out), PK_ERR_STATE);
	CHECK_INT(pptp_ctrl_call_accept(pac_side.c, 0, 0x7777, NULL,
	    &pac_side.out), PK_ERR_NOT_FOUND);
	collect(&pac_side);
	collect(&pns_side);
	CHECK_INT(pac_side.wire_len + pns_side.wire_len, 0);
	CHECK_STR(pptp_ctrl_state_name(PPTP_CTRL_WAIT_STOP_REPLY),
	    "wait-stop-reply");
	CHECK_STR(pptp_call_state_name(PPTP_CALL_CLEARING), "clearing");
	CHECK_INT(pptp_ctrl_role(pns_side.c), PPTP_ROLE_PNS);
}

/* Log lines a peer can cause are rate-limited. */
static int log_lines;

static void
count_sink(int level, const char *line, void *arg)
{
	(void)level;
	(void)line;
	(void)arg;
	log_lines++;
}

static void
test_log_ratelimit(void)
{
	make_pair(0);
	connect_pair(0);
	pk_log_set_sink(count_sink, NULL);
	pk_log_set_level(PK_LOG_NOTICE);
	log_lines = 0;
	for (int i = 0; i < 200; i++)
		inject(&pns_side, 10,
		    "0010 0001 1a2b3c4d 0004 0000 01 00 0000");
	pk_log_set_sink(NULL, NULL);
	pk_log_set_level(PK_LOG_WARN);
	CHECK_INT(pptp_ctrl_get_stats(pns_side.c)->rx_unexpected, 200);
	CHECK(log_lines >= 1);
	CHECK(log_lines <= 12);
}

int
main(void)
{
	pk_rand_use_seeded(42);
	pk_log_set_level(PK_LOG_WARN);
	CHECK_INT(out_init(&pac_side.out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	CHECK_INT(out_init(&pns_side.out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	RUN(test_setup);
	RUN(test_two_calls);
	RUN(test_echo_keepalive);
	RUN(test_echo_timeout);
	RUN(test_echo_disabled);
	RUN(test_clear_by_pns);
	RUN(test_cdn_unprompted);
	RUN(test_cdn_result_zero);
	RUN(test_clear_answered_by_close);
	RUN(test_clear_timeout);
	RUN(test_clearing_timeout);
	RUN(test_stop_clears_calls);
	RUN(test_stop_timeout);
	RUN(test_setup_timeout);
	RUN(test_byte_at_a_time);
	RUN(test_many_in_one_chunk);
	RUN(test_big_read);
	RUN(test_malformed_stops);
	RUN(test_call_limit);
	RUN(test_call_reject);
	RUN(test_incoming_flow);
	RUN(test_sli_wen);
	RUN(test_unexpected);
	RUN(test_collision);
	RUN(test_versions);
	RUN(test_pptpd_quirks);
	RUN(test_peer_closed);
	RUN(test_call_request_timeouts);
	RUN(test_abort_during_setup);
	RUN(test_wait_connect_timeout);
	RUN(test_accept_rename);
	RUN(test_api_errors);
	RUN(test_log_ratelimit);
	RUN(test_call_ids_random);
	side_reset(&pac_side);
	side_reset(&pns_side);
	out_free(&pac_side.out);
	out_free(&pns_side.out);
	TEST_MAIN_END();
}
