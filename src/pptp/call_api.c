/*
 * call_api.c - what the owner does to calls: start one, answer the peer's
 * request, clear or disconnect, report link errors and ACCMs, and look
 * calls up (see ctrl.h). Each verb checks role and call state against
 * the state machine in call.c before anything is sent.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "pptp/ctrl_int.h"

/* What the owner's call functions share: the call, in a usable state. */
static int
owner_call(struct pptp_ctrl *c, uint16_t id, int role, struct pptp_call **kp)
{
	if (c->state == PPTP_CTRL_CLOSED)
		return PK_ERR_CLOSED;
	if (role != 0 && c->cfg.role != role)
		return PK_ERR_STATE;
	if ((*kp = pptp_call_by_local(c, id)) == NULL)
		return PK_ERR_NOT_FOUND;
	return PK_OK;
}

void
pptp_call_params_default(struct pptp_call_params *p)
{
	memset(p, 0, sizeof(*p));
	p->min_bps = 300;
	p->max_bps = 100000000;
	p->bearer_type = PPTP_BEARER_ANY;
	p->framing_type = PPTP_FRAMING_ANY;
}

int
pptp_ctrl_call_start(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call_params *p, uint16_t *local_call_id,
    struct pk_out *out)
{
	struct pptp_call_params defaults;
	struct pptp_call *k;
	struct pptp_msg m;
	int r;

	if (c->state == PPTP_CTRL_CLOSED)
		return PK_ERR_CLOSED;
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return PK_ERR_STATE;
	if (p == NULL) {
		pptp_call_params_default(&defaults);
		p = &defaults;
	}
	if ((k = pptp_call_alloc(c, p->local_call_id, &r)) == NULL)
		return r;
	/* [MS-PTPT] <10>: serial numbers count up from 1. */
	if (c->next_serial == 0)
		c->next_serial = 1;
	k->serial = c->next_serial++;
	k->our_rwin = p->recv_window != 0 ? p->recv_window :
	    c->cfg.recv_window;
	k->our_delay = p->processing_delay;
	k->framing_type = p->framing_type;
	memset(&m, 0, sizeof(m));
	if (c->cfg.role == PPTP_ROLE_PNS) {
		struct pptp_ocrq *o = &m.u.ocrq;

		k->direction = PPTP_CALL_OUTGOING;
		m.type = PPTP_OCRQ;
		o->call_id = k->local_id;
		o->serial = k->serial;
		o->min_bps = p->min_bps;
		o->max_bps = p->max_bps;
		o->bearer_type = p->bearer_type;
		o->framing_type = p->framing_type;
		o->recv_window = k->our_rwin;
		o->processing_delay = k->our_delay;
		snprintf(o->phone, sizeof(o->phone), "%s", p->phone);
		o->phone_len = (uint16_t)strlen(o->phone);
		memcpy(o->subaddr, p->subaddr, sizeof(o->subaddr));
	} else {
		struct pptp_icrq *i = &m.u.icrq;

		k->direction = PPTP_CALL_INCOMING;
		k->connect_speed = p->connect_speed;
		k->physical_channel = p->physical_channel;
		m.type = PPTP_ICRQ;
		i->call_id = k->local_id;
		i->serial = k->serial;
		i->bearer_type = p->bearer_type;
		i->physical_channel = p->physical_channel;
		snprintf(i->dialed, sizeof(i->dialed), "%s", p->phone);
		snprintf(i->dialing, sizeof(i->dialing), "%s", p->dialing);
		i->dialed_len = (uint16_t)strlen(i->dialed);
		i->dialing_len = (uint16_t)strlen(i->dialing);
		memcpy(i->subaddr, p->subaddr, sizeof(i->subaddr));
	}
	if ((r = pptp_ctrl_send(c, &m, out)) != 0) {
		memset(k, 0, sizeof(*k));	/* never announced */
		return r;
	}
	pptp_call_enter(c, k, pptp_call_next(k, PPTP_CV_START), PPTP_CV_START,
	    now);
	*local_call_id = k->local_id;
	return PK_OK;
}

int
pptp_ctrl_call_accept(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, const struct pptp_call_answer *a,
    struct pk_out *out)
{
	struct pptp_call *k;
	int next, r;

	if ((r = owner_call(c, local_call_id, 0, &k)) != 0)
		return r;
	if ((next = pptp_call_next(k, PPTP_CV_ACCEPT)) < 0)
		return PK_ERR_STATE;
	if (a != NULL && a->local_call_id != 0 &&
	    a->local_call_id != k->local_id) {
		if (pptp_call_by_local(c, a->local_call_id) != NULL)
			return PK_ERR_DUPLICATE;
		k->local_id = a->local_call_id;
	}
	if (a != NULL && a->recv_window != 0)
		k->our_rwin = a->recv_window;
	if (a != NULL)
		k->our_delay = a->processing_delay;
	if (k->direction == PPTP_CALL_OUTGOING) {
		/* Without a figure, report the speed asked for (as pptpd). */
		k->connect_speed = a != NULL && a->connect_speed != 0 ?
		    a->connect_speed : k->max_bps;
		k->physical_channel = a != NULL ? a->physical_channel : 0;
		r = pptp_call_send_ocrp(c, k->local_id, k->peer_id,
		    PPTP_OCRP_CONNECTED, PPTP_GE_NONE, 0, k, out);
	} else {
		r = pptp_call_send_icrp(c, k->local_id, k->peer_id,
		    PPTP_ICRP_CONNECT, PPTP_GE_NONE, k, out);
	}
	if (r != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_ACCEPT, now);
	if (k->state == PPTP_CALL_ESTABLISHED)
		return pptp_call_emit_up(c, now, k, out);
	return PK_OK;
}

int
pptp_ctrl_call_reject(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint8_t result, uint8_t error, uint16_t cause,
    struct pk_out *out)
{
	struct pptp_call *k;
	char what[PK_EVENT_TEXT_MAX];
	int next, r;

	if ((r = owner_call(c, local_call_id, 0, &k)) != 0)
		return r;
	if ((next = pptp_call_next(k, PPTP_CV_REJECT)) < 0)
		return PK_ERR_STATE;
	if (k->direction == PPTP_CALL_OUTGOING) {
		if (result < PPTP_OCRP_GENERAL_ERROR ||
		    result > PPTP_OCRP_DO_NOT_ACCEPT)
			return PK_ERR_ARG;
		r = pptp_call_send_ocrp(c, 0, k->peer_id, result, error, cause,
		    NULL, out);
		pptp_call_result_text(what, sizeof(what), "refused",
		    PPTP_OCRP, result, error, cause);
	} else {
		if (result < PPTP_ICRP_GENERAL_ERROR ||
		    result > PPTP_ICRP_DO_NOT_ACCEPT)
			return PK_ERR_ARG;
		r = pptp_call_send_icrp(c, 0, k->peer_id, result, error, NULL,
		    out);
		pptp_call_result_text(what, sizeof(what), "refused",
		    PPTP_ICRP, result, error, 0);
	}
	if (r != 0 || (r = pptp_call_emit_end(c, now, k, PPTP_END_LOCAL, result,
	    result, error, cause, NULL, what, out)) != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_REJECT, now);
	return PK_OK;
}

int
pptp_ctrl_call_clear(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, struct pk_out *out)
{
	struct pptp_call *k;
	int next, r;

	if ((r = owner_call(c, local_call_id, PPTP_ROLE_PNS, &k)) != 0)
		return r;
	if (k->state == PPTP_CALL_WAIT_DISCONNECT)
		return PK_OK;
	if ((next = pptp_call_next(k, PPTP_CV_CLEAR)) < 0)
		return PK_ERR_STATE;
	if ((r = pptp_call_send_ccrq(c, k, out)) != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_CLEAR, now);
	return PK_OK;
}

int
pptp_ctrl_call_disconnect(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint8_t result, uint8_t error, uint16_t cause,
    const char *stats, struct pk_out *out)
{
	struct pptp_call *k;
	char what[PK_EVENT_TEXT_MAX];
	int next, r, origin;

	if ((r = owner_call(c, local_call_id, PPTP_ROLE_PAC, &k)) != 0)
		return r;
	if ((next = pptp_call_next(k, PPTP_CV_DISCONNECT)) < 0)
		return PK_ERR_STATE;
	origin = k->state == PPTP_CALL_CLEARING ? PPTP_END_PEER :
	    PPTP_END_LOCAL;
	pptp_call_result_text(what, sizeof(what), "disconnected", PPTP_CDN,
	    result, error, cause);
	if ((r = pptp_call_send_cdn(c, k, result, error, cause, stats,
	    out)) != 0 ||
	    (r = pptp_call_emit_end(c, now, k, origin, result, result, error,
	    cause, stats, what, out)) != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_DISCONNECT, now);
	return PK_OK;
}

int
pptp_ctrl_wan_error(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, const struct pptp_ev_wan_error *e,
    struct pk_out *out)
{
	struct pptp_call *k;
	struct pptp_msg m;
	int r;

	if ((r = owner_call(c, local_call_id, PPTP_ROLE_PAC, &k)) != 0)
		return r;
	if (k->state != PPTP_CALL_ESTABLISHED)
		return PK_ERR_STATE;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_WEN;
	m.u.wen.peer_call_id = k->peer_id;
	m.u.wen.crc_errors = e->crc_errors;
	m.u.wen.framing_errors = e->framing_errors;
	m.u.wen.hw_overruns = e->hw_overruns;
	m.u.wen.buf_overruns = e->buf_overruns;
	m.u.wen.timeout_errors = e->timeout_errors;
	m.u.wen.alignment_errors = e->alignment_errors;
	return pptp_ctrl_send(c, &m, out);
}

int
pptp_ctrl_set_link_info(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint32_t send_accm, uint32_t recv_accm,
    struct pk_out *out)
{
	struct pptp_call *k;
	struct pptp_msg m;
	int r;

	if ((r = owner_call(c, local_call_id, PPTP_ROLE_PNS, &k)) != 0)
		return r;
	if (k->state != PPTP_CALL_ESTABLISHED)
		return PK_ERR_STATE;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SLI;
	m.u.sli.peer_call_id = k->peer_id;
	m.u.sli.send_accm = send_accm;
	m.u.sli.recv_accm = recv_accm;
	return pptp_ctrl_send(c, &m, out);
}

static void
call_info(const struct pptp_call *k, struct pptp_call_info *info)
{
	memset(info, 0, sizeof(*info));
	info->local_call_id = k->local_id;
	info->peer_call_id = k->peer_id;
	info->peer_known = k->peer_known;
	info->state = k->state;
	info->direction = k->direction;
	info->serial = k->serial;
	info->peer_recv_window = k->peer_rwin;
	info->peer_processing_delay = k->peer_delay;
	info->connect_speed = k->connect_speed;
	info->deadline = k->deadline;
}

int
pptp_ctrl_call_get(const struct pptp_ctrl *c, uint16_t local_call_id,
    struct pptp_call_info *info)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		const struct pptp_call *k = &c->calls[i];

		if (k->state != PPTP_CALL_FREE &&
		    k->local_id == local_call_id) {
			call_info(k, info);
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}

int
pptp_ctrl_call_find_peer(const struct pptp_ctrl *c, uint16_t peer_call_id,
    uint16_t *local_call_id)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		const struct pptp_call *k = &c->calls[i];

		if (k->state != PPTP_CALL_FREE && k->peer_known &&
		    k->peer_id == peer_call_id) {
			*local_call_id = k->local_id;
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}

int
pptp_ctrl_call_at(const struct pptp_ctrl *c, size_t idx,
    struct pptp_call_info *info)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		const struct pptp_call *k = &c->calls[i];

		if (k->state == PPTP_CALL_FREE)
			continue;
		if (idx-- == 0) {
			call_info(k, info);
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}
