/*
 * ppp_watch.c - the PPP side of the capture model (audit.h): a passive
 * reader of one call's frames in both directions. It takes part in
 * nothing; it notes what each side asked for and what was agreed:
 *
 *   LCP  (RFC 1661 §5-§6)  the Authentication-Protocol option each side
 *        requested and the one its peer acknowledged (RFC 1994 §3 for
 *        the CHAP algorithm byte), Terminate-Request reasons;
 *   PAP  (RFC 1334 §2.2)   Peer-ID and Password, in clear, and the answer;
 *   CHAP (RFC 1994 §4, RFC 2433 §5-§8, RFC 2759 §3-§6)  Challenge,
 *        Response, Success/Failure, including the MS-CHAP retry whose
 *        challenge the Failure packet carries (C=);
 *   CCP  (RFC 1962, RFC 3078 §2)  MPPE Supported Bits asked and agreed,
 *        Reset-Requests; MPPE data frames (RFC 3078 §3) and their
 *        coherency counts;
 *   IPCP (RFC 1332)  the addresses agreed; IP in clear counted.
 *
 * Every packet is framed before it is read: Length >= 4 and within the
 * frame, each option's length >= 2 and within the packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/mschap.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "mppe/mppe.h"
#include "ppp/ppp_proto.h"

#define PPP_PROTO_EAP 0xc227
#define PPP_PROTO_VJ_COMP 0x002d
#define PPP_PROTO_VJ_UNCOMP 0x002f
#define MSCHAP_RESPONSE_LEN 49
#define MSCHAPV2_CHALLENGE_LEN 16
#define MSCHAPV1_CHALLENGE_LEN 8
#define CHAP_MD5_RESPONSE_LEN 16

/* A PPP control packet: Code, Identifier, and the data after Length. */
struct ctl_pkt {
	uint8_t code, id;
	struct buf_reader data;
};

static int
ctl_parse(struct buf_reader *rd, struct ctl_pkt *p)
{
	uint16_t len;
	int r;

	if ((r = buf_get_u8(rd, &p->code)) != 0 ||
	    (r = buf_get_u8(rd, &p->id)) != 0 ||
	    (r = buf_get_u16(rd, &len)) != 0)
		return r;
	if (len < PPP_HDR_LEN ||
	    (size_t)(len - PPP_HDR_LEN) > buf_remaining(rd))
		return PK_ERR_LENGTH;
	/* Bytes after Length are padding (RFC 1661 §5). */
	return buf_get_sub(rd, len - PPP_HDR_LEN, &p->data);
}

/* Walks an option list: returns 1 with the next option's type and value
 * reader, 0 at the end, PK_ERR_LENGTH for a bad option length. */
static int
next_opt(struct buf_reader *opts, uint8_t *type, struct buf_reader *val)
{
	uint8_t len;
	int r;

	if (buf_remaining(opts) == 0)
		return 0;
	if ((r = buf_get_u8(opts, type)) != 0 ||
	    (r = buf_get_u8(opts, &len)) != 0)
		return PK_ERR_LENGTH;
	if (len < PPP_OPT_HDR_LEN || (size_t)(len - PPP_OPT_HDR_LEN) >
	    buf_remaining(opts))
		return PK_ERR_LENGTH;
	if (buf_get_sub(opts, len - PPP_OPT_HDR_LEN, val) != 0)
		return PK_ERR_LENGTH;
	return 1;
}

/* Copies a name or text field (raw bytes, cut at a NUL) into dst. */
static void
copy_text(char *dst, size_t cap, struct buf_reader *rd, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1, i;
	const uint8_t *p;

	if (buf_get_ptr(rd, &p, n) != 0) {
		dst[0] = '\0';
		return;
	}
	for (i = 0; i < k && p[i] != 0; i++)
		dst[i] = (char)p[i];
	dst[i] = '\0';
}

/* The Authentication-Protocol option's value (RFC 1661 §6.2). */
static int
auth_from_opt(struct buf_reader *val)
{
	uint16_t proto;
	uint8_t alg;

	if (buf_get_u16(val, &proto) != 0)
		return AUDIT_AUTH_OTHER;
	if (proto == PPP_PROTO_PAP)
		return AUDIT_AUTH_PAP;
	if (proto == PPP_PROTO_EAP)
		return AUDIT_AUTH_EAP;
	if (proto != PPP_PROTO_CHAP || buf_get_u8(val, &alg) != 0)
		return AUDIT_AUTH_OTHER;
	switch (alg) {
	case CHAP_ALG_MD5:
		return AUDIT_AUTH_CHAP_MD5;
	case CHAP_ALG_MSCHAPV1:
		return AUDIT_AUTH_MSCHAPV1;
	case CHAP_ALG_MSCHAPV2:
		return AUDIT_AUTH_MSCHAPV2;
	}
	return AUDIT_AUTH_OTHER;
}

static int
lcp_packet(struct audit_call *call, int dir, struct ctl_pkt *p)
{
	struct audit_dir *me = &call->d[dir];
	struct buf_reader val;
	uint8_t type;
	int auth = AUDIT_AUTH_NONE, r;

	switch (p->code) {
	case PPP_CONFREQ:
	case PPP_CONFACK:
		while ((r = next_opt(&p->data, &type, &val)) == 1) {
			if (type == LCP_OPT_AUTH)
				auth = auth_from_opt(&val);
			if (p->code != PPP_CONFREQ)
				continue;
			if (type == LCP_OPT_PFC)
				me->lcp_pfc = 1;
			else if (type == LCP_OPT_ACFC)
				me->lcp_acfc = 1;
			else if (type == LCP_OPT_MRU)
				(void)buf_get_u16(&val, &me->lcp_mru);
		}
		if (r < 0)
			return r;
		if (p->code == PPP_CONFREQ) {
			me->lcp_auth = auth;
			call->lcp_acked[dir] = 0;
			break;
		}
		/* This side acknowledges the other's request: the other
		 * side authenticates this one with what it asked for. */
		call->lcp_acked[1 - dir] = 1;
		if (auth != AUDIT_AUTH_NONE) {
			call->auth = auth;
			call->auth_dir = 1 - dir;
			call->auth_known = 1;
		} else if (!call->auth_known && call->lcp_acked[dir]) {
			/* Both requests acked, neither with an auth option:
			 * the link came up without authentication. */
			call->auth = AUDIT_AUTH_NONE;
			call->auth_known = 1;
		}
		break;
	case PPP_CONFNAK:
		me->lcp_naks++;
		break;
	case PPP_CONFREJ:
		me->lcp_rejs++;
		break;
	case PPP_TERMREQ:
		copy_text(me->term_reason, sizeof(me->term_reason), &p->data,
		    buf_remaining(&p->data));
		break;
	}
	return PK_OK;
}

static int
new_hs(struct audit_cap *c, size_t ci, int method, int auth_dir, uint8_t id,
    uint64_t ts, struct audit_hs **out)
{
	struct audit_call *call = &c->calls[ci];
	struct audit_hs *h;

	if (call->n_hs >= PK_AUDIT_HS_PER_CALL) {
		call->hs_dropped++;
		c->hs_dropped++;
		return PK_ERR_FULL;
	}
	if (c->n_hs >= c->lim.max_hs) {
		c->hs_dropped++;
		return PK_ERR_FULL;
	}
	if (c->n_hs >= c->cap_hs) {
		size_t ncap = c->cap_hs ? c->cap_hs * 2 : 16;
		struct audit_hs *nh;

		if (ncap > c->lim.max_hs)
			ncap = c->lim.max_hs;
		if ((nh = realloc(c->hs, ncap * sizeof(*nh))) == NULL)
			return PK_ERR_NOMEM;
		c->hs = nh;
		c->cap_hs = ncap;
	}
	h = &c->hs[c->n_hs];
	memset(h, 0, sizeof(*h));
	h->call = ci;
	h->method = method;
	h->auth_dir = auth_dir;
	h->id = id;
	h->t_start = h->t_end = ts;
	call->hs[call->n_hs++] = c->n_hs++;
	*out = h;
	return PK_OK;
}

/* The newest exchange of a call matching method class and Identifier
 * whose authenticator sends in direction auth_dir; NULL if none. */
static struct audit_hs *
find_hs(struct audit_cap *c, size_t ci, int pap, uint8_t id, int auth_dir)
{
	struct audit_call *call = &c->calls[ci];

	for (size_t k = call->n_hs; k-- > 0;) {
		struct audit_hs *h = &c->hs[call->hs[k]];

		if ((h->method == AUDIT_AUTH_PAP) == pap && h->id == id &&
		    h->auth_dir == auth_dir)
			return h;
	}
	return NULL;
}

static int
pap_packet(struct audit_cap *c, size_t ci, int dir, struct ctl_pkt *p,
    uint64_t ts)
{
	struct audit_hs *h;
	char user[AUDIT_NAME_MAX], pw[AUDIT_NAME_MAX];
	uint8_t n;
	size_t pwlen;
	int r;

	if (p->code == PAP_AUTHREQ) {
		if (buf_get_u8(&p->data, &n) != 0 ||
		    n > buf_remaining(&p->data))
			return PK_ERR_LENGTH;
		copy_text(user, sizeof(user), &p->data, n);
		if (buf_get_u8(&p->data, &n) != 0 ||
		    n > buf_remaining(&p->data))
			return PK_ERR_LENGTH;
		pwlen = n;
		copy_text(pw, sizeof(pw), &p->data, n);
		/* A retransmission repeats Identifier and content. */
		h = find_hs(c, ci, 1, p->id, 1 - dir);
		if (h != NULL && strcmp(h->user, user) == 0 &&
		    strcmp(h->password, pw) == 0)
			return PK_OK;
		if ((r = new_hs(c, ci, AUDIT_AUTH_PAP, 1 - dir, p->id, ts,
		    &h)) != 0)
			return r == PK_ERR_FULL ? PK_OK : r;
		memcpy(h->user, user, sizeof(user));
		memcpy(h->password, pw, sizeof(pw));
		h->password_len = pwlen;
		h->have_response = 1;
		return PK_OK;
	}
	if (p->code != PAP_AUTHACK && p->code != PAP_AUTHNAK)
		return PK_OK;
	if ((h = find_hs(c, ci, 1, p->id, dir)) == NULL)
		return PK_OK;
	h->result = p->code == PAP_AUTHACK ? AUDIT_RES_SUCCESS :
	    AUDIT_RES_FAILURE;
	h->t_end = ts;
	if (buf_get_u8(&p->data, &n) == 0 && n <= buf_remaining(&p->data))
		copy_text(h->message, sizeof(h->message), &p->data, n);
	return PK_OK;
}

/* Decides an exchange's CHAP algorithm: the LCP agreement if the capture
 * has it, else the value sizes (RFC 2433 §5: 8-byte challenge and 49-byte
 * response; RFC 2759 §3-§4: 16 and 49; RFC 1994: a 16-byte MD5 digest). */
static int
chap_method(const struct audit_call *call, const struct audit_hs *h)
{
	if (call->auth_known && (call->auth == AUDIT_AUTH_CHAP_MD5 ||
	    call->auth == AUDIT_AUTH_MSCHAPV1 ||
	    call->auth == AUDIT_AUTH_MSCHAPV2))
		return call->auth;
	if (h->have_response && h->response_len == CHAP_MD5_RESPONSE_LEN)
		return AUDIT_AUTH_CHAP_MD5;
	if (h->have_response && h->response_len == MSCHAP_RESPONSE_LEN) {
		if (h->have_challenge)
			return h->challenge_len == MSCHAPV1_CHALLENGE_LEN ?
			    AUDIT_AUTH_MSCHAPV1 : AUDIT_AUTH_MSCHAPV2;
		/* v1 sets the use-NT flag; v2's flags are 0 (§4). */
		return h->response[48] == 1 ? AUDIT_AUTH_MSCHAPV1 :
		    AUDIT_AUTH_MSCHAPV2;
	}
	if (h->have_challenge && h->challenge_len == MSCHAPV1_CHALLENGE_LEN)
		return AUDIT_AUTH_MSCHAPV1;
	return AUDIT_AUTH_CHAP_MD5;
}

/* Splits an MS-CHAP Response value and computes the DES plaintext. */
static void
mschap_fields(struct audit_hs *h)
{
	struct buf_reader rd;

	h->have_des = 0;
	if (!h->have_response || h->response_len != MSCHAP_RESPONSE_LEN)
		return;
	buf_reader_init(&rd, h->response, h->response_len);
	if (h->method == AUDIT_AUTH_MSCHAPV2) {
		(void)(buf_get_bytes(&rd, h->peer_challenge, 16) ||
		    buf_skip(&rd, 8) ||
		    buf_get_bytes(&rd, h->nt_response, 24) ||
		    buf_get_u8(&rd, &h->flags));
		if (h->have_challenge &&
		    h->challenge_len == MSCHAPV2_CHALLENGE_LEN) {
			mschapv2_challenge_hash(h->peer_challenge,
			    h->challenge, h->user, h->des_plain);
			h->have_des = 1;
		}
	} else if (h->method == AUDIT_AUTH_MSCHAPV1) {
		(void)(buf_get_bytes(&rd, h->lm_response, 24) ||
		    buf_get_bytes(&rd, h->nt_response, 24) ||
		    buf_get_u8(&rd, &h->flags));
		if (h->have_challenge &&
		    h->challenge_len == MSCHAPV1_CHALLENGE_LEN) {
			memcpy(h->des_plain, h->challenge, 8);
			h->have_des = 1;
		}
	}
}

/* CHAP Challenge and Response share Value-Size, Value, Name (§4.1). */
static int
chalresp(struct ctl_pkt *p, uint8_t *val, size_t *vlen, char *name)
{
	uint8_t n;

	if (buf_get_u8(&p->data, &n) != 0 || n == 0 ||
	    buf_get_bytes(&p->data, val, n) != 0)
		return PK_ERR_LENGTH;
	*vlen = n;
	copy_text(name, AUDIT_NAME_MAX, &p->data, buf_remaining(&p->data));
	return PK_OK;
}

static int
chap_challenge(struct audit_cap *c, size_t ci, int dir, struct ctl_pkt *p,
    uint64_t ts)
{
	uint8_t val[AUDIT_VALUE_MAX];
	char name[AUDIT_NAME_MAX];
	struct audit_hs *h;
	size_t vlen;
	int r;

	if ((r = chalresp(p, val, &vlen, name)) != 0)
		return r;
	h = find_hs(c, ci, 0, p->id, dir);
	if (h != NULL && h->have_challenge && h->challenge_len == vlen &&
	    memcmp(h->challenge, val, vlen) == 0)
		return PK_OK;	/* retransmitted (RFC 1994 §4.1) */
	if ((r = new_hs(c, ci, AUDIT_AUTH_CHAP_MD5, dir, p->id, ts, &h)) != 0)
		return r == PK_ERR_FULL ? PK_OK : r;
	h->have_challenge = 1;
	memcpy(h->challenge, val, vlen);
	h->challenge_len = vlen;
	memcpy(h->auth_name, name, sizeof(name));
	h->method = chap_method(&c->calls[ci], h);
	return PK_OK;
}

/* The last failed MS-CHAP exchange of the call that offered a retry
 * challenge (RFC 2759 §6, RFC 2433 §8: C=). */
static struct audit_hs *
retry_source(struct audit_cap *c, size_t ci, int auth_dir)
{
	struct audit_call *call = &c->calls[ci];

	for (size_t k = call->n_hs; k-- > 0;) {
		struct audit_hs *h = &c->hs[call->hs[k]];

		if (h->auth_dir != auth_dir || h->method == AUDIT_AUTH_PAP)
			continue;
		return h->result == AUDIT_RES_FAILURE &&
		    h->next_challenge_len > 0 ? h : NULL;
	}
	return NULL;
}

static int
chap_response(struct audit_cap *c, size_t ci, int dir, struct ctl_pkt *p,
    uint64_t ts)
{
	uint8_t val[AUDIT_VALUE_MAX], chal[AUDIT_VALUE_MAX];
	char name[AUDIT_NAME_MAX], auth_name[AUDIT_NAME_MAX];
	struct audit_hs *h, *src;
	size_t vlen, clen = 0;
	int r;

	if ((r = chalresp(p, val, &vlen, name)) != 0)
		return r;
	h = find_hs(c, ci, 0, p->id, 1 - dir);
	if (h != NULL && h->have_response && h->response_len == vlen &&
	    memcmp(h->response, val, vlen) == 0)
		return PK_OK;	/* retransmitted */
	if (h == NULL || h->have_response) {
		/* No open challenge with this Identifier: a second answer
		 * to the same challenge, an MS-CHAP retry with the C= of
		 * the last Failure, or a challenge the capture missed.
		 * (Copy first: new_hs() may move the table.) */
		src = h != NULL && h->have_challenge ? h :
		    retry_source(c, ci, 1 - dir);
		auth_name[0] = '\0';
		if (src == h && h != NULL) {
			clen = h->challenge_len;
			memcpy(chal, h->challenge, clen);
			memcpy(auth_name, h->auth_name, sizeof(auth_name));
		} else if (src != NULL) {
			clen = src->next_challenge_len;
			memcpy(chal, src->next_challenge, clen);
			memcpy(auth_name, src->auth_name, sizeof(auth_name));
		}
		if ((r = new_hs(c, ci, AUDIT_AUTH_CHAP_MD5, 1 - dir, p->id,
		    ts, &h)) != 0)
			return r == PK_ERR_FULL ? PK_OK : r;
		if (clen > 0) {
			memcpy(h->challenge, chal, clen);
			h->challenge_len = clen;
			h->have_challenge = 1;
			memcpy(h->auth_name, auth_name, sizeof(auth_name));
		}
	}
	h->have_response = 1;
	memcpy(h->response, val, vlen);
	h->response_len = vlen;
	memcpy(h->user, name, sizeof(name));
	h->method = chap_method(&c->calls[ci], h);
	mschap_fields(h);
	return PK_OK;
}

static int
chap_packet(struct audit_cap *c, size_t ci, int dir, struct ctl_pkt *p,
    uint64_t ts)
{
	struct mschap_failure f;
	struct audit_hs *h;
	size_t n;

	if (p->code == CHAP_CHALLENGE)
		return chap_challenge(c, ci, dir, p, ts);
	if (p->code == CHAP_RESPONSE)
		return chap_response(c, ci, dir, p, ts);
	if (p->code != CHAP_SUCCESS && p->code != CHAP_FAILURE)
		return PK_OK;	/* MS-CHAP change-password: not followed */
	if ((h = find_hs(c, ci, 0, p->id, dir)) == NULL)
		return PK_OK;
	h->result = p->code == CHAP_SUCCESS ? AUDIT_RES_SUCCESS :
	    AUDIT_RES_FAILURE;
	h->t_end = ts;
	n = buf_remaining(&p->data);
	copy_text(h->message, sizeof(h->message), &p->data, n);
	if (p->code == CHAP_FAILURE && (h->method == AUDIT_AUTH_MSCHAPV1 ||
	    h->method == AUDIT_AUTH_MSCHAPV2) &&
	    mschap_parse_failure(h->message, strlen(h->message), &f) == 0) {
		h->ms_error = f.error;
		h->ms_retry = f.retry;
		if (f.have_challenge) {
			memcpy(h->next_challenge, f.challenge,
			    f.challenge_len);
			h->next_challenge_len = f.challenge_len;
		}
	}
	return PK_OK;
}

static int
ccp_packet(struct audit_call *call, int dir, struct ctl_pkt *p)
{
	struct audit_dir *me = &call->d[dir];
	struct buf_reader val;
	uint32_t bits;
	uint8_t type;
	int r, found = 0;

	if (p->code == CCP_RESETREQ) {
		me->ccp_reset_req++;
		return PK_OK;
	}
	if (p->code != PPP_CONFREQ && p->code != PPP_CONFACK)
		return PK_OK;
	while ((r = next_opt(&p->data, &type, &val)) == 1) {
		if (type != CCP_OPT_MPPE || buf_get_u32(&val, &bits) != 0)
			continue;
		found = 1;
		if (p->code == PPP_CONFREQ) {
			me->have_ccp_req = 1;
			me->ccp_req_bits = bits;
		} else {
			/* RFC 3078 §2.1: both directions use what the
			 * last Configure-Ack settled. */
			call->have_mppe = 1;
			call->mppe_bits = bits;
		}
	}
	if (r < 0)
		return r;
	if (p->code == PPP_CONFREQ && !found)
		me->have_ccp_req = 0;
	return PK_OK;
}

static int
ipcp_packet(struct audit_call *call, int dir, struct ctl_pkt *p)
{
	struct buf_reader val;
	uint32_t addr;
	uint8_t type;
	int r;

	if (p->code != PPP_CONFREQ && p->code != PPP_CONFACK)
		return PK_OK;
	while ((r = next_opt(&p->data, &type, &val)) == 1) {
		if (type != IPCP_OPT_ADDR || buf_get_u32(&val, &addr) != 0)
			continue;
		if (p->code == PPP_CONFREQ) {
			call->d[dir].ipcp_addr = addr;
			call->d[dir].ipcp_acked = 0;
		} else {
			call->d[1 - dir].ipcp_addr = addr;
			call->d[1 - dir].ipcp_acked = 1;
		}
	}
	return r < 0 ? r : PK_OK;
}

/* RFC 3078 §3: the coherency count should move by one per packet. */
static void
mppe_frame(struct audit_dir *me, struct buf_reader *rd)
{
	uint16_t hdr, cc;

	if (buf_get_u16(rd, &hdr) != 0)
		return;
	cc = hdr & MPPE_CCOUNT_MASK;
	if ((hdr >> 8) & MPPE_BIT_FLUSHED)
		me->mppe_flushed++;
	if (me->have_ccount) {
		unsigned diff = (cc - me->ccount_last) & MPPE_CCOUNT_MASK;

		/* Forward by more than one: packets the capture lacks
		 * (a jump to a flag slot after a CCP reset counts too). */
		if (diff != 1)
			me->ccount_jumps++;
		if (diff > 1 && diff < MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW)
			me->ccount_missing += diff - 1;
	}
	me->have_ccount = 1;
	me->ccount_last = cc;
}

int
audit_ppp_frame(struct audit_cap *c, size_t ci, int dir, uint64_t ts,
    const uint8_t *frame, size_t len, struct audit_ppp_event *ev)
{
	struct audit_call *call = &c->calls[ci];
	struct audit_dir *me = &call->d[dir];
	struct buf_reader rd;
	struct ctl_pkt p;
	uint8_t b0, b1;
	uint16_t proto;
	int r = PK_OK;

	buf_reader_init(&rd, frame, len);
	/* RFC 1662 §3.1 address and control, absent once ACFC is agreed;
	 * RFC 1661 §6.5 a one-byte protocol (odd) once PFC is. */
	if (buf_peek_u8(&rd, 0, &b0) == 0 && buf_peek_u8(&rd, 1, &b1) == 0 &&
	    b0 == PPP_ADDRESS && b1 == PPP_CONTROL)
		(void)buf_skip(&rd, PPP_AC_LEN);
	if (buf_get_u8(&rd, &b0) != 0)
		goto bad;
	if (b0 & 1) {
		proto = b0;
	} else {
		if (buf_get_u8(&rd, &b1) != 0 || (b1 & 1) == 0)
			goto bad;
		proto = (uint16_t)(b0 << 8 | b1);
	}
	me->frames++;
	if (ev != NULL) {
		ev->valid = 1;
		ev->call = ci;
		ev->dir = dir;
		ev->proto = proto;
		ev->info = buf_cur(&rd);
		ev->info_len = buf_remaining(&rd);
		ev->ts_us = ts;
	}
	switch (proto) {
	case PPP_PROTO_IP:
		me->ip_clear++;
		return PK_OK;
	case PPP_PROTO_IPV6:
		me->ipv6_clear++;
		return PK_OK;
	case PPP_PROTO_VJ_COMP:
	case PPP_PROTO_VJ_UNCOMP:
		me->vj++;
		return PK_OK;
	case PPP_PROTO_COMP:
		me->mppe++;
		mppe_frame(me, &rd);
		return PK_OK;
	}
	if (ctl_parse(&rd, &p) != 0)
		goto bad;
	switch (proto) {
	case PPP_PROTO_LCP:
		me->lcp++;
		r = lcp_packet(call, dir, &p);
		break;
	case PPP_PROTO_PAP:
		me->auth++;
		r = pap_packet(c, ci, dir, &p, ts);
		break;
	case PPP_PROTO_CHAP:
		me->auth++;
		r = chap_packet(c, ci, dir, &p, ts);
		break;
	case PPP_PROTO_CCP:
		me->ccp++;
		r = ccp_packet(call, dir, &p);
		break;
	case PPP_PROTO_IPCP:
		me->ipcp++;
		r = ipcp_packet(call, dir, &p);
		break;
	case PPP_PROTO_IPV6CP:
		me->ipv6cp++;
		break;
	default:
		me->other_ctl++;
		break;
	}
	if (r == PK_ERR_NOMEM)
		return r;
	if (r == PK_OK)
		return PK_OK;
 bad:
	c->calls[ci].d[dir].bad_frames++;
	return PK_OK;
}

const char *
audit_auth_name(int method)
{
	switch (method) {
	case AUDIT_AUTH_NONE:
		return "none";
	case AUDIT_AUTH_PAP:
		return "pap";
	case AUDIT_AUTH_CHAP_MD5:
		return "chap-md5";
	case AUDIT_AUTH_MSCHAPV1:
		return "mschapv1";
	case AUDIT_AUTH_MSCHAPV2:
		return "mschapv2";
	case AUDIT_AUTH_EAP:
		return "eap";
	}
	return "other";
}

const char *
audit_result_name(int result)
{
	switch (result) {
	case AUDIT_RES_SUCCESS:
		return "success";
	case AUDIT_RES_FAILURE:
		return "failure";
	}
	return "no answer";
}

int
audit_mppe_key_bits(uint32_t bits)
{
	/* RFC 3078 §2.1: with several bits set the strongest is meant in
	 * a request; an Ack settles on one. */
	if (bits & MPPE_SB_S)
		return 128;
	if (bits & MPPE_SB_M)
		return 56;
	if (bits & MPPE_SB_L)
		return 40;
	return 0;
}

const char *
audit_mppe_name(int have_mppe, uint32_t bits, char *buf, size_t len)
{
	int kb = audit_mppe_key_bits(bits);

	if (!have_mppe || kb == 0)
		return "none";
	snprintf(buf, len, "%d-%s", kb, (bits & MPPE_SB_H) ? "stateless" :
	    "stateful");
	return buf;
}
