/*
 * ppp_harness.h - two struct ppp (client and server) joined in memory for
 * the PPP tests and the fuzz corpus generator: OUT_PPP of one side is fed
 * to ppp_input() of the other, PPP_EV_AUTH_REQUEST is answered with
 * auth_verify_local() from a one-line password table, and time advances
 * to the next deadline when both sides are quiet.
 *
 * Header-only (static inline) so that each test binary stays one file.
 */
#ifndef PK_TEST_PPP_HARNESS_H
#define PK_TEST_PPP_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/out.h"
#include "ppp/ppp.h"
#include "ppp/ppp_proto.h"

#define H_CLIENT 0
#define H_SERVER 1
#define H_MAXPKT 64

/* What one side reported. */
struct h_side {
	struct ppp *ppp;
	struct pk_out out, spare;
	int up, ipv6_up, down, auth_ok, auth_failed, auth_requests;
	int down_code, auth_failed_code;
	struct ppp_up_info up_info;
	char down_text[PK_EVENT_TEXT_MAX];
	char auth_failed_text[PK_EVENT_TEXT_MAX];
	/* IP packets delivered to this side's TUN, in order. */
	uint8_t ip[H_MAXPKT][PK_IP_PACKET_MAX];
	size_t ip_len[H_MAXPKT];
	int nip;
};

struct h_link;
/* Returns 0 to deliver a frame, 1 to drop it; may rewrite it in place
 * (*len may shrink). from is H_CLIENT or H_SERVER. */
typedef int h_filter_fn(struct h_link *l, int from, uint8_t *frame,
    size_t *len);
/* Sees every frame that crosses (for the fuzz corpus). */
typedef void h_tap_fn(struct h_link *l, int from, const uint8_t *frame,
    size_t len);
/* Called before each call into side (the corpus generator gives each
 * side its own random stream). */
typedef void h_enter_fn(struct h_link *l, int side);
/* Called after a frame was handed to side `to` (which may be given more
 * input here: its results go into its out list like any other). */
typedef void h_after_fn(struct h_link *l, int to, const uint8_t *frame,
    size_t len);

struct h_link {
	struct h_side side[2];
	uint64_t now;
	const char *user;		/* the server's password table */
	const char *user_password;
	int hold_auth;			/* do not answer AUTH_REQUEST */
	struct auth_request held;
	h_filter_fn *filter;
	h_tap_fn *tap;
	h_enter_fn *enter;
	h_after_fn *after;
	void *arg;
	int frames;			/* crossed so far */
};

/* A configuration both tests start from: 192.0.2.1 <-> 192.0.2.2. */
static inline void
h_config(struct ppp_config *c, int server)
{
	ppp_config_default(c);
	c->is_server = server;
	c->local_name = server ? "pptpkit-server" : "alice";
	c->password = server ? NULL : "correct horse";
	if (server) {
		c->local_ip = 0xc0000201;
		c->peer_ip = 0xc0000202;
		c->dns[0] = 0x08080808;
		c->dns[1] = 0x01010101;
		c->nbns[0] = 0x0a000001;
		c->nbns[1] = 0x0a000002;
	}
}

static inline int
h_init(struct h_link *l, const struct ppp_config *client,
    const struct ppp_config *server)
{
	memset(l, 0, sizeof(*l));
	l->user = "alice";
	l->user_password = "correct horse";
	l->now = 1000;
	for (int i = 0; i < 2; i++) {
		struct h_side *s = &l->side[i];

		if (out_init(&s->out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0 ||
		    out_init(&s->spare, PK_OUT_ARENA, PK_OUT_ITEMS) != 0)
			return -1;
	}
	l->side[H_CLIENT].ppp = ppp_new(client, "side=client");
	l->side[H_SERVER].ppp = ppp_new(server, "side=server");
	return l->side[0].ppp != NULL && l->side[1].ppp != NULL ? 0 : -1;
}

static inline void
h_free(struct h_link *l)
{
	for (int i = 0; i < 2; i++) {
		ppp_free(l->side[i].ppp);
		out_free(&l->side[i].out);
		out_free(&l->side[i].spare);
	}
}

static inline void
h_enter(struct h_link *l, int side)
{
	if (l->enter != NULL)
		l->enter(l, side);
}

static inline void
h_answer_auth(struct h_link *l, const struct auth_request *req)
{
	struct auth_result res;

	h_enter(l, H_SERVER);
	memset(&res, 0, sizeof(res));
	if (strcmp(req->user, l->user) == 0)
		auth_verify_local(req, l->user_password, &res);
	else
		snprintf(res.message, sizeof(res.message), "unknown user");
	ppp_auth_complete(l->side[H_SERVER].ppp, l->now, &res,
	    &l->side[H_SERVER].out);
	auth_result_wipe(&res);
}

/*
 * Moves the items of side i's out list: frames to the other side, IP to
 * i's received list, events to i's record. Returns how many items moved.
 */
static inline int
h_drain(struct h_link *l, int i)
{
	struct h_side *s = &l->side[i], *o = &l->side[1 - i];
	struct pk_out tmp;
	struct auth_request req;
	int n = 0, want_auth = 0;

	if (s->out.n_items == 0)
		return 0;
	/* Answering auth adds to our list: work on the full one and let
	 * new items go into the (empty) spare. */
	tmp = s->out;
	s->out = s->spare;
	for (size_t k = 0; k < tmp.n_items; k++) {
		const struct out_item *it = out_item(&tmp, k);
		const uint8_t *d = out_data(&tmp, k);
		struct pk_event ev;
		uint8_t frame[PK_PPP_FRAME_MAX + 64];
		size_t len = it->len;

		n++;
		if (it->kind == OUT_PPP) {
			if (len > sizeof(frame))
				continue;
			memcpy(frame, d, len);
			if (l->tap != NULL)
				l->tap(l, i, frame, len);
			if (l->filter != NULL && l->filter(l, i, frame, &len))
				continue;
			l->frames++;
			h_enter(l, 1 - i);
			ppp_input(o->ppp, l->now, frame, len, &o->out);
			if (l->after != NULL)
				l->after(l, 1 - i, frame, len);
		} else if (it->kind == OUT_IP) {
			if (s->nip < H_MAXPKT) {
				memcpy(s->ip[s->nip], d, len);
				s->ip_len[s->nip] = len;
			}
			s->nip++;
		} else if (it->kind == OUT_EVENT) {
			out_get_event(&tmp, k, &ev);
			switch (ev.type) {
			case PPP_EV_AUTH_REQUEST:
				s->auth_requests++;
				out_event_payload(&tmp, k, &req, sizeof(req));
				want_auth = 1;
				break;
			case PPP_EV_AUTH_OK:
				s->auth_ok++;
				break;
			case PPP_EV_AUTH_FAILED:
				s->auth_failed++;
				s->auth_failed_code = ev.code;
				snprintf(s->auth_failed_text,
				    sizeof(s->auth_failed_text), "%s",
				    ev.text);
				break;
			case PPP_EV_UP:
				s->up++;
				out_event_payload(&tmp, k, &s->up_info,
				    sizeof(s->up_info));
				break;
			case PPP_EV_IPV6_UP:
				s->ipv6_up++;
				out_event_payload(&tmp, k, &s->up_info,
				    sizeof(s->up_info));
				break;
			case PPP_EV_DOWN:
				s->down++;
				s->down_code = ev.code;
				snprintf(s->down_text, sizeof(s->down_text),
				    "%s", ev.text);
				break;
			}
		}
	}
	out_reset(&tmp);
	s->spare = tmp;
	if (want_auth) {
		if (l->hold_auth)
			l->held = req;
		else
			h_answer_auth(l, &req);
	}
	return n;
}

/* Pumps frames until both sides are quiet. */
static inline void
h_pump(struct h_link *l)
{
	int guard = 0;

	while ((h_drain(l, 0) + h_drain(l, 1)) > 0 && guard++ < 100000)
		;
}

static inline uint64_t
h_next_deadline(const struct h_link *l)
{
	return pk_deadline_min(ppp_next_deadline(l->side[0].ppp),
	    ppp_next_deadline(l->side[1].ppp));
}

/* Runs until both quiet and no timer is due before until (absolute). */
static inline void
h_run_until(struct h_link *l, uint64_t until)
{
	for (;;) {
		uint64_t d;

		h_pump(l);
		d = h_next_deadline(l);
		if (d == PK_TIME_NEVER || d > until)
			break;
		if (d > l->now)
			l->now = d;
		for (int i = 0; i < 2; i++)
			if (ppp_next_deadline(l->side[i].ppp) <= l->now) {
				h_enter(l, i);
				ppp_timeout(l->side[i].ppp, l->now,
				    &l->side[i].out);
			}
	}
	if (l->now < until)
		l->now = until;
}

static inline void
h_start(struct h_link *l)
{
	h_enter(l, H_SERVER);
	ppp_start(l->side[H_SERVER].ppp, l->now, &l->side[H_SERVER].out);
	h_enter(l, H_CLIENT);
	ppp_start(l->side[H_CLIENT].ppp, l->now, &l->side[H_CLIENT].out);
}

/* Brings the link up: start, then run for up to a minute of protocol
 * time. Echo keepalives would keep it busy for ever, so stop as soon as
 * both sides reported up or down. */
static inline void
h_connect(struct h_link *l)
{
	uint64_t end;

	h_start(l);
	end = l->now + 60000;
	while (l->now < end) {
		h_run_until(l, l->now + 500);
		if ((l->side[0].up || l->side[0].down) &&
		    (l->side[1].up || l->side[1].down))
			break;
	}
	h_pump(l);
}

#endif
