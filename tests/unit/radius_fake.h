/*
 * radius_fake.h - a RADIUS server in a few functions, for the unit tests
 * of the client side: it reads the datagrams a client put in a pk_out and
 * answers them (correctly, or forged in the ways the tests need).
 * Header-only (static functions) so each test file takes what it uses.
 */
#ifndef PK_TEST_RADIUS_FAKE_H
#define PK_TEST_RADIUS_FAKE_H

#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/out.h"
#include "crypto/crypto.h"
#include "radius/radius_packet.h"

/* Ways to spoil an answer. */
#define FAKE_NO_MA 1		/* no Message-Authenticator */
#define FAKE_BAD_MA 2		/* Message-Authenticator of a wrong key */
#define FAKE_BAD_AUTH 4		/* Response Authenticator of a wrong key */
#define FAKE_WRONG_ID 8

/* The nth OUT_UDP item of out (0-based): its bytes and server. */
static inline int
fake_dgram(const struct pk_out *o, size_t nth, unsigned *server,
    const uint8_t **data, size_t *len)
{
	for (size_t i = 0; i < o->n_items; i++) {
		const struct out_item *it = out_item(o, i);

		if (it->kind != OUT_UDP)
			continue;
		if (nth-- > 0)
			continue;
		*server = it->tag;
		*data = out_data(o, i);
		*len = it->len;
		return 1;
	}
	return 0;
}

static inline size_t
fake_count(const struct pk_out *o, int kind)
{
	size_t n = 0;

	for (size_t i = 0; i < o->n_items; i++)
		if (out_item(o, i)->kind == kind)
			n++;
	return n;
}

/* Finds the first attribute (vendor 0 for standard ones). */
static inline int
fake_find(const struct radius_packet *p, uint32_t vendor, uint8_t type,
    struct radius_attr *a)
{
	struct radius_iter it;

	radius_iter_init(&it, p);
	while (radius_iter_next(&it, a))
		if (a->vendor == vendor &&
		    (vendor == 0 ? a->type == type : a->vtype == type))
			return 1;
	return 0;
}

/* A callback that adds reply attributes (may be NULL). */
typedef int fake_attrs_fn(struct buf_writer *w, const struct radius_packet *req,
    void *arg);

/*
 * Answers request req (len octets) with code, signed with secret (and
 * spoiled per flags), into buf; returns the length or 0.
 */
static inline size_t
fake_reply(const uint8_t *req, size_t len, uint8_t code, const char *secret,
    int flags, fake_attrs_fn *fn, void *arg, uint8_t *buf, size_t cap)
{
	const char *k_ma = flags & FAKE_BAD_MA ? "wrong-ma-key" : secret;
	const char *k_auth = flags & FAKE_BAD_AUTH ? "wrong-auth-key" : secret;
	struct radius_packet p;
	struct buf_writer w;

	if (radius_packet_decode(req, len, &p) != 0)
		return 0;
	buf_writer_init(&w, buf, cap);
	if (radius_enc_begin(&w, code, (uint8_t)(p.id +
	    (flags & FAKE_WRONG_ID ? 1 : 0)), NULL) != 0)
		return 0;
	if (!(flags & FAKE_NO_MA) && radius_put_ma(&w) != 0)
		return 0;
	if (fn != NULL && fn(&w, &p, arg) != 0)
		return 0;
	if (radius_enc_finish(&w, (const uint8_t *)k_ma, strlen(k_ma),
	    p.auth) != 0)
		return 0;
	if (k_auth != k_ma) {
		/* The Response Authenticator over the packet as it is
		 * (MA included), with the other key (RFC 2865 §3). */
		struct crypto_md5 h;
		uint8_t auth[RADIUS_AUTH_LEN];

		crypto_md5_init(&h);
		crypto_md5_update(&h, buf, RADIUS_AUTH_OFF);
		crypto_md5_update(&h, p.auth, RADIUS_AUTH_LEN);
		crypto_md5_update(&h, buf + RADIUS_HDR_LEN,
		    w.len - RADIUS_HDR_LEN);
		crypto_md5_update(&h, k_auth, strlen(k_auth));
		crypto_md5_final(&h, auth);
		memcpy(buf + RADIUS_AUTH_OFF, auth, RADIUS_AUTH_LEN);
	}
	return w.len;
}

#endif
