/*
 * capture.c - the capture model's control side (see audit.h): PPTP
 * control connections, their calls, and which GRE flow belongs to which
 * call. PPP inside the calls is ppp_watch.c's.
 *
 * RFC 2637 §4.1: the Call ID in a GRE header is the *receiver's*. So a
 * call's direction 0 (PNS -> PAC) carries the PAC's Call ID, learnt from
 * the Outgoing-Call-Reply (§2.8) or the Incoming-Call-Request (§2.9), and
 * direction 1 the PNS's, from the Outgoing-Call-Request (§2.7) or the
 * Incoming-Call-Reply (§2.10). A GRE flow whose ID no control message
 * named is matched to a call still missing that direction's ID between
 * the same two addresses, or becomes an orphan call of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/map.h"
#include "core/err.h"
#include "core/limits.h"
#include "pptp/pptp_proto.h"

void
audit_limits_default(struct audit_limits *lim)
{
	lim->max_ctrls = PK_AUDIT_CTRLS_MAX;
	lim->max_calls = PK_AUDIT_CALLS_MAX;
	lim->max_hs = PK_AUDIT_HS_MAX;
}

int
audit_cap_init(struct audit_cap *c, const struct audit_limits *lim)
{
	memset(c, 0, sizeof(*c));
	if (lim != NULL)
		c->lim = *lim;
	else
		audit_limits_default(&c->lim);
	c->pptp_port = PPTP_TCP_PORT;
	c->ctrl_map = audit_map_new();
	c->gre_map = audit_map_new();
	if (c->ctrl_map == NULL || c->gre_map == NULL) {
		audit_cap_free(c);
		return PK_ERR_NOMEM;
	}
	return PK_OK;
}

void
audit_cap_free(struct audit_cap *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_ctrls; i++) {
		audit_tcp_dir_free(&c->ctrls[i].tcp[0]);
		audit_tcp_dir_free(&c->ctrls[i].tcp[1]);
	}
	free(c->ctrls);
	free(c->calls);
	/* PAP passwords and responses are the capture's, but do not leave
	 * them lying in freed memory either. */
	if (c->hs != NULL)
		memset(c->hs, 0, c->cap_hs * sizeof(*c->hs));
	free(c->hs);
	audit_map_free(c->ctrl_map);
	audit_map_free(c->gre_map);
	memset(c, 0, sizeof(*c));
}

/* Grows an array of n elements of size sz to hold one more, up to max.
 * Returns 0, PK_ERR_FULL or PK_ERR_NOMEM. */
static int
grow(void **arr, size_t *cap, size_t n, size_t sz, size_t max)
{
	size_t ncap;
	void *na;

	if (n >= max)
		return PK_ERR_FULL;
	if (n < *cap)
		return PK_OK;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > max)
		ncap = max;
	if ((na = realloc(*arr, ncap * sz)) == NULL)
		return PK_ERR_NOMEM;
	memset((uint8_t *)na + *cap * sz, 0, (ncap - *cap) * sz);
	*arr = na;
	*cap = ncap;
	return PK_OK;
}

static void
key_put32(uint8_t *k, size_t off, uint32_t v)
{
	k[off] = (uint8_t)(v >> 24);
	k[off + 1] = (uint8_t)(v >> 16);
	k[off + 2] = (uint8_t)(v >> 8);
	k[off + 3] = (uint8_t)v;
}

static void
gre_key(uint8_t k[AUDIT_MAP_KEY_LEN], uint32_t src, uint32_t dst,
    uint16_t id)
{
	memset(k, 0, AUDIT_MAP_KEY_LEN);
	key_put32(k, 0, src);
	key_put32(k, 4, dst);
	k[8] = (uint8_t)(id >> 8);
	k[9] = (uint8_t)id;
}

/* Direction d of call i now has a known GRE Call ID: route it. */
static int
route_dir(struct audit_cap *c, size_t i, int d)
{
	struct audit_call *call = &c->calls[i];
	uint8_t k[AUDIT_MAP_KEY_LEN];

	gre_key(k, call->ip[d], call->ip[1 - d], call->key[d]);
	return audit_map_put(c->gre_map, k, i * 2 + (size_t)d);
}

static int
set_key(struct audit_cap *c, size_t i, int d, uint16_t key)
{
	c->calls[i].key[d] = key;
	c->calls[i].key_known[d] = 1;
	return route_dir(c, i, d);
}

static int
new_call(struct audit_cap *c, long ctrl, uint32_t ip0, uint32_t ip1,
    uint64_t ts, size_t *idx)
{
	struct audit_call *call;
	int r;

	if ((r = grow((void **)&c->calls, &c->cap_calls, c->n_calls,
	    sizeof(*c->calls), c->lim.max_calls)) != 0) {
		c->calls_dropped++;
		return r;
	}
	call = &c->calls[c->n_calls];
	memset(call, 0, sizeof(*call));
	call->id = (unsigned)c->n_calls + 1;
	call->ctrl = ctrl;
	call->ip[0] = ip0;
	call->ip[1] = ip1;
	call->t_first = call->t_last = ts;
	if (ctrl >= 0) {
		call->roles_known = 1;
		c->ctrls[ctrl].n_calls++;
	}
	*idx = c->n_calls++;
	return PK_OK;
}

/* The newest call of control connection ctrl whose direction d has GRE
 * Call ID key (pending: only those still waiting for a reply). */
static int
ctrl_call(struct audit_cap *c, size_t ctrl, int d, uint16_t key,
    int pending, size_t *idx)
{
	for (size_t i = c->n_calls; i-- > 0;) {
		struct audit_call *call = &c->calls[i];

		if (call->ctrl != (long)ctrl || !call->key_known[d] ||
		    call->key[d] != key)
			continue;
		if (pending && call->have_reply)
			continue;
		*idx = i;
		return 1;
	}
	return 0;
}

/* One decoded control message from side `from` (0 PNS, 1 PAC). */
static int
ctrl_message(struct audit_cap *c, size_t ci, int from,
    const struct pptp_msg *m, uint64_t ts)
{
	struct audit_ctrl *ctl = &c->ctrls[ci];
	uint32_t me = ctl->ip[from], peer = ctl->ip[1 - from];
	size_t i;
	int r = PK_OK;

	switch (m->type) {
	case PPTP_SCCRQ:
		ctl->have_sccrq = 1;
		ctl->sccrq = m->u.start;
		break;
	case PPTP_SCCRP:
		ctl->have_sccrp = 1;
		ctl->sccrp = m->u.start;
		break;
	case PPTP_STOPCCRQ:
		ctl->have_stop = 1;
		ctl->stop_reason = m->u.stop.reason;
		break;
	case PPTP_OCRQ:
		/* Sent by the PNS: direction 0 is the sender's. */
		if ((r = new_call(c, (long)ci, me, peer, ts, &i)) != 0)
			break;
		snprintf(c->calls[i].phone, sizeof(c->calls[i].phone), "%s",
		    m->u.ocrq.phone);
		r = set_key(c, i, 1, m->u.ocrq.call_id);
		break;
	case PPTP_OCRP:
		if (!ctrl_call(c, ci, 1, m->u.ocrp.peer_call_id, 1, &i)) {
			c->ctrl_unknown_call++;
			break;
		}
		c->calls[i].have_reply = 1;
		c->calls[i].result = m->u.ocrp.result;
		r = set_key(c, i, 0, m->u.ocrp.call_id);
		break;
	case PPTP_ICRQ:
		/* Sent by the PAC: direction 0 is towards the sender. */
		if ((r = new_call(c, (long)ci, peer, me, ts, &i)) != 0)
			break;
		c->calls[i].incoming = 1;
		snprintf(c->calls[i].phone, sizeof(c->calls[i].phone), "%s",
		    m->u.icrq.dialing);
		r = set_key(c, i, 0, m->u.icrq.call_id);
		break;
	case PPTP_ICRP:
		if (!ctrl_call(c, ci, 0, m->u.icrp.peer_call_id, 1, &i)) {
			c->ctrl_unknown_call++;
			break;
		}
		c->calls[i].have_reply = 1;
		c->calls[i].result = m->u.icrp.result;
		r = set_key(c, i, 1, m->u.icrp.call_id);
		break;
	case PPTP_CCRQ:
		if (ctrl_call(c, ci, 1, m->u.ccrq.call_id, 0, &i))
			c->calls[i].cleared = 1;
		break;
	case PPTP_CDN:
		if (ctrl_call(c, ci, 0, m->u.cdn.call_id, 0, &i)) {
			c->calls[i].cleared = 1;
			c->calls[i].cdn_result = m->u.cdn.result;
		}
		break;
	default:
		break;
	}
	return r == PK_ERR_FULL ? PK_OK : r;
}

static int
find_ctrl(struct audit_cap *c, const struct audit_l4 *p, uint16_t port,
    size_t *idx, int *from)
{
	uint8_t k[AUDIT_MAP_KEY_LEN];
	uint32_t cli, srv;
	uint16_t cport, sport;
	struct audit_ctrl *ctl;
	int r;

	/* The PAC is the side on the PPTP port. */
	if (p->dport == port) {
		cli = p->src, cport = p->sport, srv = p->dst, sport = p->dport;
		*from = 0;
	} else {
		cli = p->dst, cport = p->dport, srv = p->src, sport = p->sport;
		*from = 1;
	}
	memset(k, 0, sizeof(k));
	key_put32(k, 0, cli);
	key_put32(k, 4, srv);
	k[8] = (uint8_t)(cport >> 8);
	k[9] = (uint8_t)cport;
	k[10] = (uint8_t)(sport >> 8);
	k[11] = (uint8_t)sport;
	/* A SYN on a 4-tuple we know after it closed is a new connection. */
	if (audit_map_get(c->ctrl_map, k, idx)) {
		ctl = &c->ctrls[*idx];
		if (!((p->tcp_flags & AUDIT_TCP_SYN) &&
		    !(p->tcp_flags & AUDIT_TCP_ACK) && (ctl->fin || ctl->rst)))
			return PK_OK;
	}
	if ((r = grow((void **)&c->ctrls, &c->cap_ctrls, c->n_ctrls,
	    sizeof(*c->ctrls), c->lim.max_ctrls)) != 0) {
		c->ctrls_dropped++;
		return r;
	}
	ctl = &c->ctrls[c->n_ctrls];
	memset(ctl, 0, sizeof(*ctl));
	ctl->id = (unsigned)c->n_ctrls + 1;
	ctl->ip[0] = cli;
	ctl->ip[1] = srv;
	ctl->port[0] = cport;
	ctl->port[1] = sport;
	ctl->t_first = p->ts_us;
	audit_tcp_dir_init(&ctl->tcp[0]);
	audit_tcp_dir_init(&ctl->tcp[1]);
	if ((r = audit_map_put(c->ctrl_map, k, c->n_ctrls)) != 0)
		return r;
	*idx = c->n_ctrls++;
	return PK_OK;
}

/* Parses every complete message waiting in direction d. */
static int
ctrl_drain(struct audit_cap *c, size_t ci, int d, uint64_t ts)
{
	uint8_t msg[PK_CTRL_MSG_MAX];
	struct pptp_msg m;
	size_t len;
	int r, rd;

	while (audit_tcp_dir_next_msg(&c->ctrls[ci].tcp[d], msg, sizeof(msg),
	    &len)) {
		rd = pptp_msg_decode(msg, len, &m);
		if (rd != PK_OK && rd != PK_ERR_VERSION) {
			c->ctrls[ci].bad_msgs[d]++;
			continue;
		}
		c->ctrls[ci].msgs[d]++;
		if ((r = ctrl_message(c, ci, d, &m, ts)) != 0)
			return r;
	}
	return PK_OK;
}

static int
tcp_input(struct audit_cap *c, const struct audit_l4 *p)
{
	struct audit_ctrl *ctl;
	uint16_t port = p->dport == c->pptp_port ? p->dport : p->sport;
	size_t ci;
	int from, r;

	if ((r = find_ctrl(c, p, port, &ci, &from)) != 0)
		return r == PK_ERR_FULL ? PK_OK : r;
	ctl = &c->ctrls[ci];
	ctl->t_last = p->ts_us;
	if (p->tcp_flags & AUDIT_TCP_SYN)
		ctl->syn = 1;
	if (p->tcp_flags & AUDIT_TCP_FIN)
		ctl->fin = 1;
	if (p->tcp_flags & AUDIT_TCP_RST)
		ctl->rst = 1;
	if (p->tcp_flags & AUDIT_TCP_RST)
		return PK_OK;
	if ((r = audit_tcp_dir_segment(&ctl->tcp[from], p->seq, p->tcp_flags,
	    p->payload, p->payload_len)) != 0)
		return r;
	return ctrl_drain(c, ci, from, p->ts_us);
}

/*
 * The call a GRE packet belongs to, and its direction: by the routing
 * table, else the newest call between the same two addresses still
 * missing that direction's Call ID, else a new orphan call.
 */
static int
gre_call(struct audit_cap *c, const struct audit_l4 *p, size_t *idx, int *d)
{
	uint8_t k[AUDIT_MAP_KEY_LEN];
	size_t v;
	int r;

	gre_key(k, p->src, p->dst, p->gre.call_id);
	if (audit_map_get(c->gre_map, k, &v)) {
		*idx = v / 2;
		*d = (int)(v % 2);
		return PK_OK;
	}
	if (c->n_calls >= c->lim.max_calls) {
		c->calls_dropped++;
		return PK_ERR_FULL;
	}
	for (size_t i = c->n_calls; i-- > 0;) {
		struct audit_call *call = &c->calls[i];

		for (int dd = 0; dd < 2; dd++)
			if (call->ip[dd] == p->src && !call->key_known[dd] &&
			    call->ip[1 - dd] == p->dst) {
				*idx = i;
				*d = dd;
				return set_key(c, i, dd, p->gre.call_id);
			}
	}
	if ((r = new_call(c, -1, p->src, p->dst, p->ts_us, idx)) != 0)
		return r;
	*d = 0;
	return set_key(c, *idx, 0, p->gre.call_id);
}

/* RFC 2637 §4.2: sequence numbers count data packets per direction. */
static void
gre_seq(struct audit_dir *dir, uint32_t seq)
{
	int32_t diff;

	if (!dir->have_seq) {
		dir->have_seq = 1;
		dir->seq_last = seq;
		return;
	}
	diff = (int32_t)(seq - dir->seq_last);
	if (diff == 0) {
		dir->seq_dup++;
	} else if (diff < 0) {
		dir->seq_late++;
	} else {
		dir->seq_lost += (uint64_t)(diff - 1);
		dir->seq_last = seq;
	}
}

static int
gre_input(struct audit_cap *c, const struct audit_l4 *p,
    struct audit_ppp_event *ev)
{
	struct audit_call *call;
	struct audit_dir *dir;
	size_t i;
	int d, r;

	if ((r = gre_call(c, p, &i, &d)) != 0)
		return r == PK_ERR_FULL ? PK_OK : r;
	call = &c->calls[i];
	dir = &call->d[d];
	call->t_last = p->ts_us;
	dir->gre_packets++;
	dir->gre_bytes += p->payload_len;
	if (!p->gre.has_seq) {
		dir->acks_only++;
		return PK_OK;
	}
	gre_seq(dir, p->gre.seq);
	return audit_ppp_frame(c, i, d, p->ts_us, p->payload, p->payload_len,
	    ev);
}

int
audit_cap_input(struct audit_cap *c, const struct audit_l4 *p,
    struct audit_ppp_event *ev)
{
	if (ev != NULL)
		memset(ev, 0, sizeof(*ev));
	if (c->t_first == 0 || p->ts_us < c->t_first)
		c->t_first = p->ts_us;
	if (p->ts_us > c->t_last)
		c->t_last = p->ts_us;
	if (p->kind == AUDIT_L4_TCP)
		return tcp_input(c, p);
	if (p->kind == AUDIT_L4_GRE)
		return gre_input(c, p, ev);
	return PK_OK;
}

void
audit_cap_finish(struct audit_cap *c)
{
	for (size_t i = 0; i < c->n_ctrls; i++)
		for (int d = 0; d < 2; d++)
			while (audit_tcp_dir_skip_gap(&c->ctrls[i].tcp[d]))
				if (ctrl_drain(c, i, d,
				    c->ctrls[i].t_last) != 0)
					break;
}
