/*
 * ppp_script.h - one struct ppp driven by hand-written frames, for the
 * raw-byte PPP tests: feed hex, find the frames it answered with (hex
 * patterns where "xx" matches any byte), and record its events.
 *
 * Header-only (static inline) so that each test binary stays one file.
 */
#ifndef PK_TEST_PPP_SCRIPT_H
#define PK_TEST_PPP_SCRIPT_H

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "core/err.h"
#include "core/out.h"
#include "ppp/ppp.h"
#include "ppp/ppp_proto.h"
#include "test.h"

struct script {
	struct ppp *p;
	struct pk_out out;
	uint64_t now;
	int auth_requests, auth_ok, auth_failed, up, ipv6_up, down;
	int down_code;
	struct auth_request req;
	struct ppp_up_info up_info;
	char down_text[PK_EVENT_TEXT_MAX];
	char auth_failed_text[PK_EVENT_TEXT_MAX];
	char auth_ok_text[PK_EVENT_TEXT_MAX];
};

/* Records the events among the current items (each once). */
static inline void
s_events(struct script *s, size_t from)
{
	struct pk_event ev;

	for (size_t k = from; k < s->out.n_items; k++) {
		if (out_get_event(&s->out, k, &ev) != 0)
			continue;
		switch (ev.type) {
		case PPP_EV_AUTH_REQUEST:
			s->auth_requests++;
			out_event_payload(&s->out, k, &s->req, sizeof(s->req));
			break;
		case PPP_EV_AUTH_OK:
			s->auth_ok++;
			snprintf(s->auth_ok_text, sizeof(s->auth_ok_text),
			    "%s", ev.text);
			break;
		case PPP_EV_AUTH_FAILED:
			s->auth_failed++;
			snprintf(s->auth_failed_text,
			    sizeof(s->auth_failed_text), "%s", ev.text);
			break;
		case PPP_EV_UP:
			s->up++;
			out_event_payload(&s->out, k, &s->up_info,
			    sizeof(s->up_info));
			break;
		case PPP_EV_IPV6_UP:
			s->ipv6_up++;
			break;
		case PPP_EV_DOWN:
			s->down++;
			s->down_code = ev.code;
			snprintf(s->down_text, sizeof(s->down_text), "%s",
			    ev.text);
			break;
		}
	}
}

static inline int
s_new(struct script *s, const struct ppp_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->now = 1000;
	if (out_init(&s->out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0)
		return -1;
	s->p = ppp_new(cfg, "script");
	return s->p != NULL ? 0 : -1;
}

static inline void
s_free(struct script *s)
{
	ppp_free(s->p);
	out_free(&s->out);
}

/* Forgets the frames and events seen so far. */
static inline void
s_reset(struct script *s)
{
	out_reset(&s->out);
}

static inline int
s_start(struct script *s)
{
	int r = ppp_start(s->p, s->now, &s->out);

	s_events(s, 0);
	return r;
}

/* Feeds one frame given in hex; returns ppp_input()'s result. */
static inline int
s_feed(struct script *s, const char *hex)
{
	uint8_t frame[PK_PPP_FRAME_MAX];
	size_t n = test_unhex(hex, frame, sizeof(frame)), before;
	int r;

	before = s->out.n_items;
	r = ppp_input(s->p, s->now, frame, n, &s->out);
	s_events(s, before);
	return r;
}

static inline int
s_feed_bytes(struct script *s, const uint8_t *frame, size_t n)
{
	size_t before = s->out.n_items;
	int r = ppp_input(s->p, s->now, frame, n, &s->out);

	s_events(s, before);
	return r;
}

static inline void
s_advance(struct script *s, uint64_t ms)
{
	size_t before = s->out.n_items;

	s->now += ms;
	ppp_timeout(s->p, s->now, &s->out);
	s_events(s, before);
}

static inline int
s_nframes(const struct script *s)
{
	int n = 0;

	for (size_t k = 0; k < s->out.n_items; k++)
		if (out_item(&s->out, k)->kind == OUT_PPP)
			n++;
	return n;
}

/* The n-th OUT_PPP item since the last reset, or NULL. */
static inline const uint8_t *
s_frame(const struct script *s, int n, size_t *len)
{
	for (size_t k = 0; k < s->out.n_items; k++) {
		if (out_item(&s->out, k)->kind != OUT_PPP)
			continue;
		if (n-- == 0) {
			*len = out_item(&s->out, k)->len;
			return out_data(&s->out, k);
		}
	}
	*len = 0;
	return NULL;
}

/* Does frame equal the pattern ("xx" = any byte), length included? */
static inline int
s_match(const uint8_t *f, size_t len, const char *pattern)
{
	size_t n = 0;
	const char *p = pattern;

	while (*p != '\0') {
		char pair[3];
		unsigned v;

		if (*p == ' ') {
			p++;
			continue;
		}
		if (p[1] == '\0')
			return 0;
		pair[0] = p[0];
		pair[1] = p[1];
		pair[2] = '\0';
		p += 2;
		if (n >= len)
			return 0;
		if (strcmp(pair, "xx") != 0) {
			if (sscanf(pair, "%2x", &v) != 1 || f[n] != v)
				return 0;
		}
		n++;
	}
	return n == len;
}

/* Index of the first frame matching pattern, or -1 (and a dump). */
static inline int
s_find(const struct script *s, const char *pattern)
{
	size_t len;
	const uint8_t *f;

	for (int i = 0; (f = s_frame(s, i, &len)) != NULL; i++)
		if (s_match(f, len, pattern))
			return i;
	fprintf(stderr, "  no frame matches %s; frames:\n", pattern);
	for (int i = 0; (f = s_frame(s, i, &len)) != NULL; i++)
		test_hexdump("frame", f, len);
	return -1;
}

/* Whether we sent an LCP Terminate-Request carrying "Link closed", the
 * hint a failure gets (ppp.c: terminate_hint()); dumps frames if not. */
static inline int
s_sent_link_closed(const struct script *s)
{
	return s_find(s, "ff 03 c0 21 05 xx 00 0f 4c 69 6e 6b 20 63 6c 6f "
	    "73 65 64") >= 0;
}

/* The peer acknowledges our LCP Terminate-Request. */
static inline void
s_ack_terminate(struct script *s)
{
	s_feed(s, "ff 03 c0 21 06 01 00 04");
}

/* Reads byte off of frame i (for identifiers and magic numbers). */
static inline uint8_t
s_byte(const struct script *s, int i, size_t off)
{
	size_t len;
	const uint8_t *f = s_frame(s, i, &len);

	return f != NULL && off < len ? f[off] : 0;
}

/* Answers the recorded PPP_EV_AUTH_REQUEST with auth_verify_local(). */
static inline int
s_auth_answer(struct script *s, const char *password)
{
	struct auth_result res;
	size_t before = s->out.n_items;
	int r;

	memset(&res, 0, sizeof(res));
	auth_verify_local(&s->req, password, &res);
	r = ppp_auth_complete(s->p, s->now, &res, &s->out);
	auth_result_wipe(&res);
	s_events(s, before);
	return r;
}

/*
 * Opens LCP on a freshly started side: acks its Configure-Request (the
 * first frame) and sends ours (magic 11223344, PFC, ACFC), which it
 * acks. Returns 0 when both happened.
 */
static inline int
s_open_lcp(struct script *s)
{
	uint8_t ack[PK_PPP_FRAME_MAX];
	size_t len;
	const uint8_t *f = s_frame(s, 0, &len);
	int ok;

	if (f == NULL || len < 8 || f[4] != PPP_CONFREQ)
		return -1;
	memcpy(ack, f, len);
	ack[4] = PPP_CONFACK;
	s_reset(s);
	s_feed(s, "ff 03 c0 21 01 01 00 0e 05 06 11 22 33 44 07 02 08 02");
	ok = s_find(s, "ff 03 c0 21 02 01 00 0e 05 06 11 22 33 44 07 02 "
	    "08 02") == 0;
	s_feed_bytes(s, ack, len);
	return ok ? 0 : -1;
}

#endif
