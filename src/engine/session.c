/*
 * session.c - joins a GRE channel and a PPP link into one call's data
 * plane (see session.h).
 *
 * Two scratch result lists sit between the layers: GRE's output (frames
 * in order) feeds PPP, and PPP's output is translated into the caller's
 * list, wrapping each OUT_PPP frame in GRE. They are shared by every
 * session: the cores run on one thread and never re-enter a session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "engine/mss.h"
#include "engine/session.h"

struct session {
	struct gre_chan *gre;
	struct ppp *ppp;
	int mss_clamp;
	int mtu;
	uint64_t last_rx;
	uint64_t last_data;
	uint64_t ip_in_bytes;
	uint64_t ip_out_bytes;
	uint64_t mss_clamped;
	char log_ctx[128];
};

static struct pk_out scratch_gre;	/* gre_chan_input's results */
static struct pk_out scratch_ppp;	/* ppp_*'s results */
static int scratch_ready;

static int
scratch_init(void)
{
	int r;

	if (scratch_ready)
		return PK_OK;
	if ((r = out_init(&scratch_gre, PK_OUT_ARENA, PK_OUT_ITEMS)) != 0)
		return r;
	if ((r = out_init(&scratch_ppp, PK_OUT_ARENA, PK_OUT_ITEMS)) != 0) {
		out_free(&scratch_gre);
		return r;
	}
	scratch_ready = 1;
	return PK_OK;
}

int
session_new(struct session **sp, const struct session_config *cfg)
{
	struct session *s;
	int r;

	*sp = NULL;
	if ((r = scratch_init()) != 0)
		return r;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return PK_ERR_NOMEM;
	snprintf(s->log_ctx, sizeof(s->log_ctx), "%s",
	    cfg->log_ctx != NULL ? cfg->log_ctx : "");
	s->mss_clamp = cfg->mss_clamp;
	s->mtu = cfg->mtu;
	if ((r = gre_chan_new(&s->gre, &cfg->gre)) != 0)
		goto fail;
	if ((s->ppp = ppp_new(&cfg->ppp, s->log_ctx)) == NULL) {
		r = PK_ERR_NOMEM;
		goto fail;
	}
	*sp = s;
	return PK_OK;
fail:
	session_free(s);
	return r;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	gre_chan_free(s->gre);
	ppp_free(s->ppp);
	free(s);
}

/*
 * Moves PPP's results into the caller's list: frames go out through GRE,
 * everything else is copied. Returns the first error that matters
 * (PK_ERR_FULL); a frame refused by a full GRE send queue is dropped, as
 * a full interface queue drops.
 */
static int
flush_ppp(struct session *s, uint64_t now, struct pk_out *out)
{
	int r = PK_OK;

	for (size_t i = 0; i < scratch_ppp.n_items; i++) {
		const struct out_item *it = out_item(&scratch_ppp, i);
		int e;

		if (it->kind == OUT_PPP) {
			e = gre_chan_send(s->gre, now, out_data(&scratch_ppp, i),
			    it->len, out);
			if (e == PK_ERR_FULL && out->overflow)
				r = e;
			continue;
		}
		if (it->kind == OUT_IP) {
			s->ip_in_bytes += it->len;
			s->last_data = now;
		}
		if ((e = out_copy_item(out, &scratch_ppp, i)) != 0)
			r = e;
	}
	out_reset(&scratch_ppp);
	return r;
}

/* Runs a PPP entry point's result through flush_ppp, keeping the entry
 * point's own return value unless flushing failed. */
static int
finish(struct session *s, uint64_t now, int r, struct pk_out *out)
{
	int e = flush_ppp(s, now, out);

	return e != 0 ? e : r;
}

int
session_start(struct session *s, uint64_t now, struct pk_out *out)
{
	out_reset(&scratch_ppp);
	return finish(s, now, ppp_start(s->ppp, now, &scratch_ppp), out);
}

/*
 * Routes what the GRE channel produced: frames now in order go up
 * through PPP, acks and frames the send window released go out.
 */
static int
route_gre(struct session *s, uint64_t now, int r, struct pk_out *out)
{
	int e;

	for (size_t i = 0; i < scratch_gre.n_items; i++) {
		const struct out_item *it = out_item(&scratch_gre, i);

		if (it->kind != OUT_PPP) {
			if ((e = out_copy_item(out, &scratch_gre, i)) != 0)
				r = e;
			continue;
		}
		out_reset(&scratch_ppp);
		(void)ppp_input(s->ppp, now, out_data(&scratch_gre, i),
		    it->len, &scratch_ppp);
		if ((e = flush_ppp(s, now, out)) != 0)
			r = e;
	}
	out_reset(&scratch_gre);
	if (out->overflow)
		return PK_ERR_FULL;
	return r;
}

int
session_gre_input(struct session *s, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out)
{
	int r;

	out_reset(&scratch_gre);
	r = gre_chan_input(s->gre, now, pkt, len, &scratch_gre);
	if (r == 0 || r == PK_ERR_DUPLICATE || r == PK_ERR_LATE)
		s->last_rx = now;
	return route_gre(s, now, r, out);
}

int
session_ip_input(struct session *s, uint64_t now, uint8_t *pkt, size_t len,
    struct pk_out *out)
{
	int r;

	if (s->mss_clamp && mss_clamp(pkt, len, s->mtu) == 1)
		s->mss_clamped++;
	out_reset(&scratch_ppp);
	r = ppp_send_ip(s->ppp, now, pkt, len, &scratch_ppp);
	if (r == 0) {
		s->ip_out_bytes += len;
		s->last_data = now;
	}
	return finish(s, now, r, out);
}

int
session_timeout(struct session *s, uint64_t now, struct pk_out *out)
{
	int r, e;

	/* A reorder gap given up releases frames: they go through PPP. */
	out_reset(&scratch_gre);
	r = route_gre(s, now, gre_chan_timeout(s->gre, now, &scratch_gre),
	    out);
	out_reset(&scratch_ppp);
	e = finish(s, now, ppp_timeout(s->ppp, now, &scratch_ppp), out);
	return r != 0 ? r : e;
}

uint64_t
session_next_deadline(const struct session *s)
{
	return pk_deadline_min(gre_chan_next_deadline(s->gre),
	    ppp_next_deadline(s->ppp));
}

int
session_auth_complete(struct session *s, uint64_t now,
    const struct auth_result *res, struct pk_out *out)
{
	out_reset(&scratch_ppp);
	return finish(s, now, ppp_auth_complete(s->ppp, now, res,
	    &scratch_ppp), out);
}

int
session_close(struct session *s, uint64_t now, const char *reason,
    struct pk_out *out)
{
	out_reset(&scratch_ppp);
	return finish(s, now, ppp_close(s->ppp, now, reason, &scratch_ppp),
	    out);
}

void
session_lower_down(struct session *s, uint64_t now, struct pk_out *out)
{
	out_reset(&scratch_ppp);
	ppp_lower_down(s->ppp, now, &scratch_ppp);
	(void)flush_ppp(s, now, out);
}

void
session_get_stats(const struct session *s, struct session_stats *st)
{
	st->gre = gre_chan_stats(s->gre);
	st->ppp = ppp_stats(s->ppp);
	st->ip_in_bytes = s->ip_in_bytes;
	st->ip_out_bytes = s->ip_out_bytes;
	st->mss_clamped = s->mss_clamped;
}

int
session_pending_reason(const struct session *s, int *code, char *buf,
    size_t len)
{
	return ppp_pending_reason(s->ppp, code, buf, len);
}

int
session_phase(const struct session *s)
{
	return ppp_phase(s->ppp);
}

uint64_t
session_last_rx(const struct session *s)
{
	return s->last_rx;
}

uint64_t
session_last_data(const struct session *s)
{
	return s->last_data;
}
