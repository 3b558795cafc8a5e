/*
 * radius_packet.c - RADIUS framing, the attribute walk, encoders and the
 * Authenticator / Message-Authenticator computations (see
 * radius_packet.h).
 *
 * The keyed hashes run over the packet in segments, substituting the
 * authenticator field and the Message-Authenticator's value as each RFC
 * requires, so that a received packet is never copied or modified.
 */
#include <string.h>

#include <nettle/hmac.h>

#include "core/err.h"
#include "crypto/crypto.h"
#include "radius/radius_packet.h"

/* High octet of a Vendor-Id: "the high-order octet is 0" (§5.26). */
#define VENDOR_ID_MAX 0x00ffffffu

int
radius_vendor_known(uint32_t vendor)
{
	return vendor == RADIUS_VENDOR_MICROSOFT ||
	    vendor == RADIUS_VENDOR_WISPR || vendor == RADIUS_VENDOR_MIKROTIK;
}

/* The sub-attributes of a known vendor, in the RFC 2865 §5.26 suggested
 * format: the same TLV rule, and they must fill the VSA exactly. */
static int
check_vsa_subs(struct buf_reader rd)
{
	uint8_t vtype, vlen;

	while (buf_remaining(&rd) > 0) {
		if (buf_remaining(&rd) < RADIUS_VSA_SUB_HDR_LEN ||
		    buf_get_u8(&rd, &vtype) != 0 ||
		    buf_get_u8(&rd, &vlen) != 0 ||
		    vlen < RADIUS_VSA_SUB_HDR_LEN ||
		    buf_skip(&rd, vlen - RADIUS_VSA_SUB_HDR_LEN) != 0)
			return PK_ERR_VALUE;
	}
	return PK_OK;
}

static int
check_vsa(struct buf_reader val)
{
	uint32_t vendor;

	/* §5.26: Length >= 7, i.e. Vendor-Id and at least one octet. */
	if (buf_remaining(&val) < RADIUS_VSA_VENDOR_LEN + 1 ||
	    buf_get_u32(&val, &vendor) != 0 || vendor > VENDOR_ID_MAX)
		return PK_ERR_VALUE;
	if (radius_vendor_known(vendor))
		return check_vsa_subs(val);
	return PK_OK;
}

int
radius_packet_decode(const uint8_t *data, size_t len, struct radius_packet *p)
{
	struct buf_reader rd, attrs, val;
	uint16_t length;
	uint8_t type, alen;
	int r;

	memset(p, 0, sizeof(*p));
	if (len < RADIUS_PACKET_MIN)
		return PK_ERR_SHORT;
	if (len > RADIUS_PACKET_MAX)
		return PK_ERR_LONG;
	buf_reader_init(&rd, data, len);
	if ((r = buf_get_u8(&rd, &p->code)) != 0 ||
	    (r = buf_get_u8(&rd, &p->id)) != 0 ||
	    (r = buf_get_u16(&rd, &length)) != 0 ||
	    (r = buf_get_bytes(&rd, p->auth, RADIUS_AUTH_LEN)) != 0)
		return r;
	/* §3: a Length beyond the octets received means a truncated
	 * packet; octets past Length are padding and ignored. */
	if (length < RADIUS_PACKET_MIN || length > RADIUS_PACKET_MAX ||
	    length > len)
		return PK_ERR_LENGTH;
	if ((r = buf_get_sub(&rd, length - RADIUS_HDR_LEN, &attrs)) != 0)
		return r;
	while (buf_remaining(&attrs) > 0) {
		size_t off = RADIUS_HDR_LEN + attrs.pos;

		/* remaining >= 2 && len >= 2 && len <= remaining */
		if (buf_remaining(&attrs) < RADIUS_ATTR_HDR_LEN)
			return PK_ERR_SHORT;
		if ((r = buf_get_u8(&attrs, &type)) != 0 ||
		    (r = buf_get_u8(&attrs, &alen)) != 0)
			return r;
		if (alen < RADIUS_ATTR_HDR_LEN ||
		    (size_t)(alen - RADIUS_ATTR_HDR_LEN) >
		    buf_remaining(&attrs))
			return PK_ERR_LENGTH;
		if ((r = buf_get_sub(&attrs, alen - RADIUS_ATTR_HDR_LEN,
		    &val)) != 0)
			return r;
		if (type == RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
			/* RFC 3579 §3.2: exactly one, 18 octets. */
			if (alen != RADIUS_MA_ATTR_LEN)
				return PK_ERR_LENGTH;
			if (p->ma_off != 0)
				return PK_ERR_DUPLICATE;
			p->ma_off = off + RADIUS_ATTR_HDR_LEN;
		} else if (type == RADIUS_ATTR_VENDOR_SPECIFIC) {
			if ((r = check_vsa(val)) != 0)
				return r;
		}
	}
	p->data = data;
	p->len = length;
	return PK_OK;
}

void
radius_iter_init(struct radius_iter *it, const struct radius_packet *p)
{
	memset(it, 0, sizeof(*it));
	if (p->data == NULL || p->len < RADIUS_HDR_LEN)
		return;
	buf_reader_init(&it->attrs, p->data, p->len);
	(void)buf_skip(&it->attrs, RADIUS_HDR_LEN);
}

/* The next sub-attribute of the VSA being walked (checked at decode). */
static int
next_sub(struct radius_iter *it, struct radius_attr *a)
{
	uint8_t vtype, vlen;

	if (buf_get_u8(&it->vsa, &vtype) != 0 ||
	    buf_get_u8(&it->vsa, &vlen) != 0 ||
	    vlen < RADIUS_VSA_SUB_HDR_LEN ||
	    buf_get_ptr(&it->vsa, &a->value,
	    vlen - RADIUS_VSA_SUB_HDR_LEN) != 0) {
		buf_reader_init(&it->vsa, NULL, 0);
		return 0;
	}
	a->type = RADIUS_ATTR_VENDOR_SPECIFIC;
	a->vendor = it->vendor;
	a->vtype = vtype;
	a->len = vlen - RADIUS_VSA_SUB_HDR_LEN;
	return 1;
}

int
radius_iter_next(struct radius_iter *it, struct radius_attr *a)
{
	struct buf_reader val;
	uint8_t type, alen;

	memset(a, 0, sizeof(*a));
	if (buf_remaining(&it->vsa) > 0)
		return next_sub(it, a);
	/* Defensive: a packet that was not decoded ends the walk. */
	if (buf_get_u8(&it->attrs, &type) != 0 ||
	    buf_get_u8(&it->attrs, &alen) != 0 ||
	    alen < RADIUS_ATTR_HDR_LEN ||
	    buf_get_sub(&it->attrs, alen - RADIUS_ATTR_HDR_LEN, &val) != 0)
		return 0;
	if (type == RADIUS_ATTR_VENDOR_SPECIFIC &&
	    buf_get_u32(&val, &it->vendor) == 0 &&
	    radius_vendor_known(it->vendor) && buf_remaining(&val) > 0) {
		it->vsa = val;
		return next_sub(it, a);
	}
	a->type = type;
	if (type == RADIUS_ATTR_VENDOR_SPECIFIC) {
		/* An opaque VSA: value after the Vendor-Id. */
		a->vendor = it->vendor;
	}
	a->len = buf_remaining(&val);
	a->value = buf_cur(&val);
	return 1;
}

int
radius_attr_u32(const struct radius_attr *a, uint32_t *v)
{
	struct buf_reader rd;

	if (a->len != RADIUS_INT_LEN)
		return PK_ERR_LENGTH;
	buf_reader_init(&rd, a->value, a->len);
	return buf_get_u32(&rd, v);
}

int
radius_attr_text(const struct radius_attr *a, char *dst, size_t cap)
{
	if (cap == 0)
		return PK_ERR_SPACE;
	dst[0] = '\0';
	if (a->len > 0 && memchr(a->value, '\0', a->len) != NULL)
		return PK_ERR_VALUE;
	if (a->len >= cap)
		return PK_ERR_SPACE;
	if (a->len > 0)
		memcpy(dst, a->value, a->len);
	dst[a->len] = '\0';
	return PK_OK;
}

void
radius_attr_printable(const struct radius_attr *a, char *dst, size_t cap)
{
	size_t n;

	if (cap == 0)
		return;
	n = a->len < cap - 1 ? a->len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = a->value[i];

		dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	dst[n] = '\0';
}

/* ---- encoding ------------------------------------------------------------ */

/* Room for n more octets within both the writer and RFC 2865's 4096. */
static int
room(struct buf_writer *w, size_t n)
{
	if (w->len > RADIUS_PACKET_MAX || RADIUS_PACKET_MAX - w->len < n) {
		if (w->err == 0)
			w->err = PK_ERR_SPACE;
		return PK_ERR_SPACE;
	}
	return PK_OK;
}

int
radius_enc_begin(struct buf_writer *w, uint8_t code, uint8_t id,
    const uint8_t auth[RADIUS_AUTH_LEN])
{
	int r;

	if ((r = buf_put_u8(w, code)) != 0 ||
	    (r = buf_put_u8(w, id)) != 0 ||
	    (r = buf_put_u16(w, 0)) != 0)	/* set by radius_enc_finish */
		return r;
	if (auth == NULL)
		return buf_put_zero(w, RADIUS_AUTH_LEN);
	return buf_put_bytes(w, auth, RADIUS_AUTH_LEN);
}

int
radius_put_attr(struct buf_writer *w, uint8_t type, const void *value,
    size_t len)
{
	int r;

	if (len > RADIUS_ATTR_VALUE_MAX)
		return PK_ERR_VALUE;
	if ((r = room(w, RADIUS_ATTR_HDR_LEN + len)) != 0 ||
	    (r = buf_put_u8(w, type)) != 0 ||
	    (r = buf_put_u8(w, (uint8_t)(RADIUS_ATTR_HDR_LEN + len))) != 0)
		return r;
	return buf_put_bytes(w, value, len);
}

int
radius_put_u32(struct buf_writer *w, uint8_t type, uint32_t v)
{
	uint8_t b[RADIUS_INT_LEN] = {
		(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
		(uint8_t)v };

	return radius_put_attr(w, type, b, sizeof(b));
}

int
radius_put_text(struct buf_writer *w, uint8_t type, const char *s)
{
	size_t n = s == NULL ? 0 : strlen(s);

	/* §5: text attributes hold at least one octet. */
	if (n == 0)
		return PK_ERR_VALUE;
	return radius_put_attr(w, type, s, n);
}

int
radius_put_vsa(struct buf_writer *w, uint32_t vendor, uint8_t vtype,
    const void *value, size_t len)
{
	int r;

	if (len > RADIUS_VSA_VALUE_MAX || vendor > VENDOR_ID_MAX)
		return PK_ERR_VALUE;
	if ((r = room(w, RADIUS_VSA_HDR_LEN + RADIUS_VSA_SUB_HDR_LEN +
	    len)) != 0 ||
	    (r = buf_put_u8(w, RADIUS_ATTR_VENDOR_SPECIFIC)) != 0 ||
	    (r = buf_put_u8(w, (uint8_t)(RADIUS_VSA_HDR_LEN +
	    RADIUS_VSA_SUB_HDR_LEN + len))) != 0 ||
	    (r = buf_put_u32(w, vendor)) != 0 ||
	    (r = buf_put_u8(w, vtype)) != 0 ||
	    (r = buf_put_u8(w, (uint8_t)(RADIUS_VSA_SUB_HDR_LEN + len))) != 0)
		return r;
	return buf_put_bytes(w, value, len);
}

int
radius_put_vsa_u32(struct buf_writer *w, uint32_t vendor, uint8_t vtype,
    uint32_t v)
{
	uint8_t b[RADIUS_INT_LEN] = {
		(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
		(uint8_t)v };

	return radius_put_vsa(w, vendor, vtype, b, sizeof(b));
}

int
radius_put_ma(struct buf_writer *w)
{
	static const uint8_t zero[RADIUS_MA_LEN];

	return radius_put_attr(w, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, zero,
	    sizeof(zero));
}

/* ---- keyed hashes over a packet ------------------------------------------ */

typedef void hash_update_fn(void *ctx, const uint8_t *data, size_t len);

static void
pk_md5_seg(void *ctx, const uint8_t *data, size_t len)
{
	crypto_md5_update(ctx, data, len);
}

static void
pk_hmac_seg(void *ctx, const uint8_t *data, size_t len)
{
	hmac_md5_update(ctx, len, data);
}

/*
 * Feeds the packet to fn with auth in place of its authenticator field
 * and, if zero_ma, 16 zero octets in place of the Message-Authenticator.
 */
static int
hash_packet(const struct radius_packet *p, const uint8_t auth[16],
    int zero_ma, hash_update_fn *fn, void *ctx)
{
	static const uint8_t zero[RADIUS_MA_LEN];
	struct buf_reader rd;
	const uint8_t *seg;
	int r;

	buf_reader_init(&rd, p->data, p->len);
	if ((r = buf_get_ptr(&rd, &seg, RADIUS_AUTH_OFF)) != 0 ||
	    (r = buf_skip(&rd, RADIUS_AUTH_LEN)) != 0)
		return r;
	fn(ctx, seg, RADIUS_AUTH_OFF);
	fn(ctx, auth, RADIUS_AUTH_LEN);
	if (zero_ma && p->ma_off != 0) {
		if (p->ma_off < RADIUS_HDR_LEN ||
		    (r = buf_get_ptr(&rd, &seg, p->ma_off - RADIUS_HDR_LEN))
		    != 0 || (r = buf_skip(&rd, RADIUS_MA_LEN)) != 0)
			return PK_ERR_INTERNAL;
		fn(ctx, seg, p->ma_off - RADIUS_HDR_LEN);
		fn(ctx, zero, sizeof(zero));
	}
	seg = buf_cur(&rd);
	fn(ctx, seg, buf_remaining(&rd));
	return PK_OK;
}

/* MD5(Code+ID+Length+auth+Attributes+Secret): RFC 2865 §3, RFC 2866 §3. */
static int
compute_auth(const struct radius_packet *p, const uint8_t auth[16],
    const uint8_t *secret, size_t secret_len, uint8_t out[16])
{
	struct crypto_md5 h;
	int r;

	crypto_md5_init(&h);
	if ((r = hash_packet(p, auth, 0, pk_md5_seg, &h)) != 0) {
		crypto_md5_final(&h, out);
		return r;
	}
	crypto_md5_update(&h, secret, secret_len);
	crypto_md5_final(&h, out);
	return PK_OK;
}

/* HMAC-MD5 keyed with the secret: RFC 3579 §3.2, RFC 5176 §3.4. */
static int
compute_ma(const struct radius_packet *p, const uint8_t auth[16],
    const uint8_t *secret, size_t secret_len, uint8_t out[16])
{
	struct hmac_md5_ctx h;
	int r;

	hmac_md5_set_key(&h, secret_len, secret);
	r = hash_packet(p, auth, 1, pk_hmac_seg, &h);
	hmac_md5_digest(&h, RADIUS_MA_LEN, out);
	crypto_wipe(&h, sizeof(h));
	return r;
}

static int
is_reply(int code)
{
	switch (code) {
	case RADIUS_CODE_ACCESS_ACCEPT:
	case RADIUS_CODE_ACCESS_REJECT:
	case RADIUS_CODE_ACCESS_CHALLENGE:
	case RADIUS_CODE_ACCOUNTING_RESPONSE:
	case RADIUS_CODE_DISCONNECT_ACK:
	case RADIUS_CODE_DISCONNECT_NAK:
	case RADIUS_CODE_COA_ACK:
	case RADIUS_CODE_COA_NAK:
		return 1;
	}
	return 0;
}

/* Requests whose authenticator is computed, not random. */
static int
is_hashed_request(int code)
{
	return code == RADIUS_CODE_ACCOUNTING_REQUEST ||
	    code == RADIUS_CODE_DISCONNECT_REQUEST ||
	    code == RADIUS_CODE_COA_REQUEST;
}

/* Overwrites n octets of an encoded packet at off. */
static int
set_bytes_at(struct buf_writer *w, size_t off, const uint8_t *src, size_t n)
{
	int r;

	for (size_t i = 0; i < n; i++)
		if ((r = buf_set_u8_at(w, off + i, src[i])) != 0)
			return r;
	return PK_OK;
}

int
radius_enc_finish(struct buf_writer *w, const uint8_t *secret,
    size_t secret_len, const uint8_t *req_auth)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];
	uint8_t auth[RADIUS_AUTH_LEN], mac[RADIUS_MA_LEN];
	struct radius_packet p;
	const uint8_t *hmac_auth;
	int r;

	if (w->err != 0)
		return w->err;
	if (w->len < RADIUS_HDR_LEN || w->len > RADIUS_PACKET_MAX)
		return PK_ERR_ARG;
	if ((r = buf_set_u16_at(w, 2, (uint16_t)w->len)) != 0)
		return r;
	/* Our own output must pass our own decoder; it also finds the
	 * Message-Authenticator. */
	if ((r = radius_packet_decode(w->data, w->len, &p)) != 0)
		return r;
	if (is_reply(p.code)) {
		if (req_auth == NULL)
			return PK_ERR_ARG;
		hmac_auth = req_auth;
	} else if (is_hashed_request(p.code))
		hmac_auth = zero;
	else if (p.code == RADIUS_CODE_ACCESS_REQUEST ||
	    p.code == RADIUS_CODE_STATUS_SERVER)
		hmac_auth = p.auth;
	else
		return PK_ERR_ARG;
	if (is_hashed_request(p.code) &&
	    (r = set_bytes_at(w, RADIUS_AUTH_OFF, zero, sizeof(zero))) != 0)
		return r;
	if (p.ma_off != 0) {
		if ((r = compute_ma(&p, hmac_auth, secret, secret_len,
		    mac)) != 0 ||
		    (r = set_bytes_at(w, p.ma_off, mac, sizeof(mac))) != 0)
			return r;
	}
	if (is_reply(p.code) || is_hashed_request(p.code)) {
		if ((r = compute_auth(&p, hmac_auth, secret, secret_len,
		    auth)) != 0 ||
		    (r = set_bytes_at(w, RADIUS_AUTH_OFF, auth,
		    sizeof(auth))) != 0)
			return r;
	}
	return PK_OK;
}

/* ---- checks -------------------------------------------------------------- */

int
radius_check_response_auth(const struct radius_packet *p,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len)
{
	uint8_t want[RADIUS_AUTH_LEN];

	if (compute_auth(p, req_auth, secret, secret_len, want) != 0)
		return PK_ERR_AUTH;
	return crypto_memeq(want, p->auth, sizeof(want)) ? PK_OK :
	    PK_ERR_AUTH;
}

int
radius_check_request_auth(const struct radius_packet *p,
    const uint8_t *secret, size_t secret_len)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];

	return radius_check_response_auth(p, zero, secret, secret_len);
}

int
radius_check_ma(const struct radius_packet *p,
    const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len)
{
	uint8_t want[RADIUS_MA_LEN];
	struct buf_reader rd;
	const uint8_t *got;

	if (p->ma_off == 0)
		return PK_ERR_NOT_FOUND;
	buf_reader_init(&rd, p->data, p->len);
	if (buf_skip(&rd, p->ma_off) != 0 ||
	    buf_get_ptr(&rd, &got, RADIUS_MA_LEN) != 0 ||
	    compute_ma(p, auth, secret, secret_len, want) != 0)
		return PK_ERR_AUTH;
	return crypto_memeq(want, got, sizeof(want)) ? PK_OK : PK_ERR_AUTH;
}

const char *
radius_code_name(int code)
{
	switch (code) {
	case RADIUS_CODE_ACCESS_REQUEST:	return "Access-Request";
	case RADIUS_CODE_ACCESS_ACCEPT:		return "Access-Accept";
	case RADIUS_CODE_ACCESS_REJECT:		return "Access-Reject";
	case RADIUS_CODE_ACCOUNTING_REQUEST:	return "Accounting-Request";
	case RADIUS_CODE_ACCOUNTING_RESPONSE:	return "Accounting-Response";
	case RADIUS_CODE_ACCESS_CHALLENGE:	return "Access-Challenge";
	case RADIUS_CODE_STATUS_SERVER:		return "Status-Server";
	case RADIUS_CODE_DISCONNECT_REQUEST:	return "Disconnect-Request";
	case RADIUS_CODE_DISCONNECT_ACK:	return "Disconnect-ACK";
	case RADIUS_CODE_DISCONNECT_NAK:	return "Disconnect-NAK";
	case RADIUS_CODE_COA_REQUEST:		return "CoA-Request";
	case RADIUS_CODE_COA_ACK:		return "CoA-ACK";
	case RADIUS_CODE_COA_NAK:		return "CoA-NAK";
	}
	return "unknown code";
}
