/*
 * radius_packet.h - the RADIUS packet codec (RFC 2865 §3-§5): framing,
 * the attribute walk (Vendor-Specific sub-attributes included), the
 * encoders, and the two integrity checks every packet carries: the
 * MD5 Request/Response Authenticator (RFC 2865 §3, RFC 2866 §3, RFC 5176
 * §2.3) and the HMAC-MD5 Message-Authenticator (RFC 2869 §5.14,
 * RFC 3579 §3.2, RFC 5176 §3.4).
 *
 * Decoding checks the framing of the whole packet once; afterwards the
 * iterator walks attributes that are known to be well formed. Nothing
 * here allocates: a decoded packet borrows the caller's bytes.
 */
#ifndef PK_RADIUS_RADIUS_PACKET_H
#define PK_RADIUS_RADIUS_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "radius/radius_proto.h"

struct radius_packet {
	const uint8_t *data;	/* borrowed: the datagram */
	size_t len;		/* the Length field; octets past it are
				 * padding (RFC 2865 §3) and ignored */
	uint8_t code;
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	size_t ma_off;		/* offset of the Message-Authenticator's
				 * value, 0 if the packet has none */
};

/*
 * Checks the framing of a received datagram and fills *p. Errors, each
 * meaning the packet is silently discarded (RFC 2865 §3):
 *   PK_ERR_SHORT   fewer than 20 octets, or one octet of attribute left
 *   PK_ERR_LONG    datagram larger than 4096 octets
 *   PK_ERR_LENGTH  Length field below 20, above 4096 or beyond the
 *                  datagram; an attribute length below 2 or past the
 *                  end; a Message-Authenticator not 18 octets long
 *   PK_ERR_VALUE   a Vendor-Specific attribute shorter than 7 octets,
 *                  with a non-zero high Vendor-Id octet, or (for the
 *                  vendors whose sub-attributes we read: Microsoft,
 *                  WISPr, MikroTik) with a malformed sub-attribute
 *   PK_ERR_DUPLICATE  more than one Message-Authenticator
 */
int radius_packet_decode(const uint8_t *data, size_t len,
    struct radius_packet *p);

/* One attribute. For a sub-attribute of a Vendor-Specific attribute of
 * a vendor we read, type is 26, vendor and vtype are set and value is
 * the sub-attribute's value; for other vendors vtype is 0 and value is
 * everything after the Vendor-Id. */
struct radius_attr {
	uint8_t type;
	uint8_t vtype;
	uint32_t vendor;	/* 0 for standard attributes */
	const uint8_t *value;	/* borrowed from the packet */
	size_t len;
};

struct radius_iter {
	struct buf_reader attrs;
	struct buf_reader vsa;	/* sub-attributes still to be returned */
	uint32_t vendor;
};

/* Starts a walk over a packet radius_packet_decode() accepted. */
void radius_iter_init(struct radius_iter *it, const struct radius_packet *p);
/* Returns 1 and the next attribute, or 0 at the end. */
int radius_iter_next(struct radius_iter *it, struct radius_attr *a);

/* Whether sub-attributes of this vendor are walked (see above). */
int radius_vendor_known(uint32_t vendor);

/* Value readers: PK_ERR_LENGTH unless the value has the exact size. */
int radius_attr_u32(const struct radius_attr *a, uint32_t *v);
/*
 * Copies a text value into dst (cap bytes, NUL-terminated). Returns
 * PK_ERR_VALUE if it holds a NUL octet, PK_ERR_SPACE if it does not fit
 * (dst then holds an empty string).
 */
int radius_attr_text(const struct radius_attr *a, char *dst, size_t cap);
/* Like radius_attr_text() but for display: any octet that is not
 * printable ASCII becomes '?', and an overlong value is truncated. */
void radius_attr_printable(const struct radius_attr *a, char *dst,
    size_t cap);

/*
 * Encoders. radius_enc_begin() writes the header (auth NULL means 16 zero
 * octets, the form for Accounting-, CoA- and Disconnect-Requests). Each
 * put returns 0, PK_ERR_VALUE for a value longer than an attribute can
 * hold (253 octets, 247 in a VSA) or an empty text, or PK_ERR_SPACE when
 * the packet would pass 4096 octets or the writer's capacity.
 */
int radius_enc_begin(struct buf_writer *w, uint8_t code, uint8_t id,
    const uint8_t auth[RADIUS_AUTH_LEN]);
int radius_put_attr(struct buf_writer *w, uint8_t type, const void *value,
    size_t len);
int radius_put_u32(struct buf_writer *w, uint8_t type, uint32_t v);
int radius_put_text(struct buf_writer *w, uint8_t type, const char *s);
int radius_put_vsa(struct buf_writer *w, uint32_t vendor, uint8_t vtype,
    const void *value, size_t len);
int radius_put_vsa_u32(struct buf_writer *w, uint32_t vendor, uint8_t vtype,
    uint32_t v);
/* A Message-Authenticator placeholder (16 zero octets) that
 * radius_enc_finish() fills in. */
int radius_put_ma(struct buf_writer *w);
/*
 * Sets the Length field and signs the packet according to its code:
 *  - Access-Request, Status-Server: the Request Authenticator is the
 *    random value given to radius_enc_begin(); only the
 *    Message-Authenticator (if any) is computed.
 *  - Accounting-, Disconnect-, CoA-Request: Message-Authenticator over
 *    the packet with a zero authenticator, then the Request
 *    Authenticator MD5(packet with zero authenticator + secret).
 *  - every reply code: req_auth (the request's authenticator, required)
 *    stands in for the authenticator in the Message-Authenticator and
 *    the Response Authenticator MD5(Code+ID+Length+req_auth+attrs+secret).
 * Returns 0, PK_ERR_ARG (reply without req_auth, unknown code) or the
 * writer's error.
 */
int radius_enc_finish(struct buf_writer *w, const uint8_t *secret,
    size_t secret_len, const uint8_t *req_auth);

/*
 * Integrity checks on a decoded packet, in constant time. Each returns
 * 0 or PK_ERR_AUTH.
 *
 * radius_check_response_auth: the Response Authenticator of a reply to
 * a request whose authenticator was req_auth.
 * radius_check_request_auth: the Request Authenticator of an
 * Accounting-, Disconnect- or CoA-Request (MD5 over the packet with a
 * zero authenticator and the secret).
 * radius_check_ma: the Message-Authenticator, computed with auth standing
 * in for the packet's authenticator field (the request's authenticator
 * for replies, zeros for Accounting/CoA/Disconnect-Requests, the packet's
 * own for Access-Requests). PK_ERR_NOT_FOUND if the packet has none.
 */
int radius_check_response_auth(const struct radius_packet *p,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len);
int radius_check_request_auth(const struct radius_packet *p,
    const uint8_t *secret, size_t secret_len);
int radius_check_ma(const struct radius_packet *p,
    const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len);

/* Name of a packet code for logs ("Access-Accept"), never NULL. */
const char *radius_code_name(int code);

#endif
