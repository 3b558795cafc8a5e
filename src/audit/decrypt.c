/*
 * decrypt.c - a passive MPPE receiver per session and direction (see
 * decrypt.h). The key schedule is the engine's (mppe_keys.c:
 * GetNewKeyFromSHA, the key change, the 40/56-bit reduction); what is
 * different from an endpoint's receiver (mppe.c) is what an observer
 * has to cope with: it cannot ask for a reset, the capture may miss
 * packets the endpoints exchanged, and it may not have seen the CCP
 * negotiation. So every decision is checked against the plaintext: the
 * packet must come out as a valid IP packet, or it is not written.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/decrypt.h"
#include "auth/mschap.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "crypto/crypto.h"
#include "mppe/mppe.h"
#include "mppe/mppe_keys.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

#define KEY_CACHE 64		/* stateless keys kept for late packets */
#define EXTRA_CHANGES 3		/* unseen key changes tried on a flush */
/* After this many stateful failures in a row, key stream searches stop
 * until a packet that starts a key's run (each search costs some 30 KB
 * of RC4: a capture of garbage must not cost that per frame). */
#define SEARCH_GIVE_UP 16
#define PPP_PROTO_VJ_COMP 0x002d
#define PPP_PROTO_VJ_UNCOMP 0x002f
#define SEARCH_SPAN (PK_AUDIT_RESYNC_SEARCH + PK_PPP_FRAME_MAX)

struct cached_key {
	int64_t abs;
	uint8_t key[16];
};

struct rx {
	int init;
	int bits;
	size_t key_len;
	int stateless;
	uint8_t master[16];
	uint8_t key[16];	/* the current session key */
	struct crypto_rc4 rc4;	/* stateful: stream after the last packet */
	int strict;		/* only valid IP will do (first packet) */
	unsigned fails;		/* stateful: failures in a row */
	uint16_t cc;		/* the last accepted coherency count */
	int64_t abs;		/* the same, unwrapped; -1 before the first */
	struct cached_key cache[KEY_CACHE];
	struct audit_decrypt_stats st;
};

/* One way to set up a direction, tried on its first packet. */
struct rx_mode {
	uint8_t master[16];
	int bits;
	int stateless;
};

#define MODES_MAX 24

struct call_state {
	int looked;		/* the key exchange was searched for */
	long hs;		/* exchange whose keys are used, -1 none */
	struct rx_mode modes[2][MODES_MAX];
	size_t n_modes[2];
	struct rx rx[2];
	struct audit_decrypt_stats none[2];	/* before keys exist */
};

struct audit_decrypt {
	struct audit_cred creds[AUDIT_CRED_MAX];
	size_t n_creds;
	struct call_state *calls;
	size_t n_calls;
	uint8_t plain[PK_PPP_FRAME_MAX];
	uint8_t *ks;		/* SEARCH_SPAN bytes of key stream */
};

int
audit_decrypt_new(struct audit_decrypt **dp, const struct audit_cred *creds,
    size_t n_creds)
{
	struct audit_decrypt *d;

	*dp = NULL;
	if (n_creds > AUDIT_CRED_MAX)
		return PK_ERR_ARG;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return PK_ERR_NOMEM;
	if ((d->ks = malloc(SEARCH_SPAN)) == NULL) {
		free(d);
		return PK_ERR_NOMEM;
	}
	memcpy(d->creds, creds, n_creds * sizeof(*creds));
	d->n_creds = n_creds;
	*dp = d;
	return PK_OK;
}

void
audit_decrypt_free(struct audit_decrypt *d)
{
	if (d == NULL)
		return;
	if (d->calls != NULL)
		crypto_wipe(d->calls, d->n_calls * sizeof(*d->calls));
	free(d->calls);
	crypto_wipe(d->creds, sizeof(d->creds));
	free(d->ks);
	crypto_wipe(d, sizeof(*d));
	free(d);
}

int
audit_mppe_master_keys(const struct audit_hs *h, const uint8_t nt_hash[16],
    uint8_t master[2][16])
{
	uint8_t resp[24], hh[16], mk[16];
	int peer = 1 - h->auth_dir;

	if ((h->method != AUDIT_AUTH_MSCHAPV1 &&
	    h->method != AUDIT_AUTH_MSCHAPV2) || !h->have_des)
		return PK_ERR_TYPE;
	/* RFC 2759 §8.5 ChallengeResponse: is this the user's hash? */
	mschap_challenge_response(h->des_plain, nt_hash, resp);
	if (!crypto_memeq(resp, h->nt_response, sizeof(resp)))
		return PK_ERR_AUTH;
	crypto_hash_nt_password_hash(nt_hash, hh);
	if (h->method == AUDIT_AUTH_MSCHAPV2) {
		/* RFC 3079 §3.4: the peer (the side that answered the
		 * challenge) is the "client", sending with Magic2. */
		mppe_get_master_key(hh, h->nt_response, mk);
		mppe_get_asymmetric_start_key(mk, master[peer], 16, 1, 0);
		mppe_get_asymmetric_start_key(mk, master[h->auth_dir], 16, 1,
		    1);
	} else {
		mppe_get_start_key_v1(h->des_plain, hh, master[0]);
		memcpy(master[1], master[0], 16);
	}
	crypto_wipe(hh, sizeof(hh));
	crypto_wipe(mk, sizeof(mk));
	return PK_OK;
}

static struct call_state *
call_state(struct audit_decrypt *d, size_t call)
{
	if (call >= d->n_calls) {
		size_t n = call + 64;
		struct call_state *nc = realloc(d->calls, n * sizeof(*nc));

		if (nc == NULL)
			return NULL;
		memset(nc + d->n_calls, 0, (n - d->n_calls) * sizeof(*nc));
		for (size_t i = d->n_calls; i < n; i++)
			nc[i].hs = -1;
		d->calls = nc;
		d->n_calls = n;
	}
	return &d->calls[call];
}

static void
add_mode(struct call_state *s, int dir, const uint8_t master[16], int bits,
    int stateless)
{
	struct rx_mode *m;

	for (size_t i = 0; i < s->n_modes[dir]; i++) {
		m = &s->modes[dir][i];
		if (m->bits == bits && m->stateless == stateless &&
		    memcmp(m->master, master, 16) == 0)
			return;
	}
	if (s->n_modes[dir] >= MODES_MAX)
		return;
	m = &s->modes[dir][s->n_modes[dir]++];
	memcpy(m->master, master, 16);
	m->bits = bits;
	m->stateless = stateless;
}

/*
 * Finds the newest MS-CHAP exchange of the call that a credential
 * matches and lists the ways each direction may be set up: the
 * negotiated mode first, then (CCP not captured) every other.
 */
static void
look_up_keys(struct audit_decrypt *d, const struct audit_cap *c, size_t ci,
    struct call_state *s)
{
	const struct audit_call *call = &c->calls[ci];
	static const int all_bits[3] = { 128, 56, 40 };
	uint8_t master[2][16], lm[16];

	s->looked = 1;
	for (size_t k = call->n_hs; k-- > 0 && s->hs < 0;) {
		const struct audit_hs *h = &c->hs[call->hs[k]];

		for (size_t j = 0; j < d->n_creds; j++) {
			if (audit_mppe_master_keys(h, d->creds[j].nt_hash,
			    master) != 0)
				continue;
			s->hs = (long)call->hs[k];
			for (int dir = 0; dir < 2; dir++) {
				int kb = audit_mppe_key_bits(call->mppe_bits);

				if (call->have_mppe && kb != 0)
					add_mode(s, dir, master[dir], kb,
					    (call->mppe_bits & MPPE_SB_H) != 0);
				for (int b = 0; b < 3; b++)
					for (int sl = 1; sl >= 0; sl--)
						add_mode(s, dir, master[dir],
						    all_bits[b], sl);
			}
			/* RFC 3079 §2.1/§2.2: MS-CHAPv1 40/56-bit keys from
			 * the LM hash (Windows); needs the password. */
			if (h->method == AUDIT_AUTH_MSCHAPV1 &&
			    d->creds[j].have_password &&
			    mschapv1_lm_password_hash(d->creds[j].password,
			    lm) == 0) {
				memset(lm + 8, 0, 8);
				for (int dir = 0; dir < 2; dir++)
					for (int b = 1; b < 3; b++)
						for (int sl = 1; sl >= 0; sl--)
							add_mode(s, dir, lm,
							    all_bits[b], sl);
			}
			break;
		}
	}
	crypto_wipe(master, sizeof(master));
	crypto_wipe(lm, sizeof(lm));
}

static void
rx_setup(struct rx *rx, const struct rx_mode *m)
{
	struct audit_decrypt_stats st = rx->st;

	memset(rx, 0, sizeof(*rx));
	rx->st = st;
	rx->init = 1;
	rx->bits = m->bits;
	rx->key_len = m->bits == 128 ? 16 : 8;
	rx->stateless = m->stateless;
	memcpy(rx->master, m->master, 16);
	/* RFC 3079 §3.3 (§2.4 for v1): the first key from the master. */
	mppe_get_new_key_from_sha(rx->master, rx->master, rx->key_len,
	    rx->key);
	mppe_reduce_key(rx->key, rx->bits);
	crypto_rc4_set_key(&rx->rc4, rx->key, rx->key_len);
	rx->cc = MPPE_CCOUNT_MASK;
	rx->abs = -1;
	for (size_t i = 0; i < KEY_CACHE; i++)
		rx->cache[i].abs = -1;
}

static void
change(const struct rx *rx, uint8_t key[16])
{
	mppe_change_key(rx->master, key, rx->key_len, rx->bits);
}

/*
 * An exact IP packet after the protocol field (compressed or not): IPv4
 * with Total Length equal to what is left and a valid header checksum
 * (RFC 791), or IPv6 with Payload Length equal to what is left, a known
 * Next Header and a Hop Limit (RFC 8200). A key stream search tries tens
 * of thousands of offsets, so this must be far stricter than the
 * engine's receiver check (ppp_mppe_plausible, which allows padding):
 * random bytes pass about once in 2^40.
 */
static int
exact_ip(const uint8_t *p, size_t n)
{
	struct buf_reader rd, hdr;
	uint16_t proto, total, word;
	uint8_t b0, b1, v, nh, hops;
	uint32_t sum = 0;

	buf_reader_init(&rd, p, n);
	if (buf_get_u8(&rd, &b0) != 0)
		return 0;
	proto = b0;
	if (!(b0 & 1)) {
		if (buf_get_u8(&rd, &b1) != 0)
			return 0;
		proto = (uint16_t)(b0 << 8 | b1);
	}
	if (buf_peek_u8(&rd, 0, &v) != 0)
		return 0;
	if (proto == PPP_PROTO_IPV6) {
		if ((v >> 4) != 6 || buf_peek_u16(&rd, 4, &total) != 0 ||
		    buf_peek_u8(&rd, 6, &nh) != 0 ||
		    buf_peek_u8(&rd, 7, &hops) != 0 ||
		    (size_t)total + 40 != buf_remaining(&rd) || hops == 0)
			return 0;
		/* hop-by-hop, TCP, UDP, routing, fragment, ESP, AH, ICMPv6,
		 * none, destination options */
		return nh == 0 || nh == 6 || nh == 17 || nh == 43 || nh == 44 ||
		    nh == 50 || nh == 51 || nh == 58 || nh == 59 || nh == 60;
	}
	if (proto != PPP_PROTO_IP || (v >> 4) != 4 || (v & 0x0f) < 5 ||
	    buf_peek_u16(&rd, 2, &total) != 0 ||
	    total != buf_remaining(&rd) ||
	    buf_get_sub(&rd, (size_t)(v & 0x0f) * 4, &hdr) != 0)
		return 0;
	while (buf_get_u16(&hdr, &word) == 0)
		sum += word;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Is a decrypted PPP frame believable? strict: only an exact IP packet
 * will do (searches, first packets); else what the engine's receiver
 * accepts, and VJ-compressed TCP (RFC 1144) that nothing here checks. */
static int
plausible(const uint8_t *p, size_t n, int strict)
{
	if (exact_ip(p, n))
		return 1;
	if (strict || n < 2)
		return 0;
	if (ppp_mppe_plausible(p, n))
		return 1;
	return (p[0] == 0 && (p[1] == PPP_PROTO_VJ_COMP ||
	    p[1] == PPP_PROTO_VJ_UNCOMP)) || p[0] == PPP_PROTO_VJ_COMP ||
	    p[0] == PPP_PROTO_VJ_UNCOMP;
}

/* Number of flag counts (low octet 0xff) in (from, from + diff]. */
static unsigned
flags_between(uint16_t from, unsigned diff)
{
	return (unsigned)((from + diff + 1) / 256 - (from + 1u) / 256);
}

static int
is_flag(uint16_t c)
{
	return (c & MPPE_FLAG_MASK) == MPPE_FLAG_MASK;
}

/* RFC 3078 §8.1: stateless, the key for count c. */
static int
stateless_decrypt(struct rx *rx, uint16_t c, const uint8_t *ct, size_t n,
    uint8_t *out)
{
	unsigned diff = (unsigned)((c - rx->cc) & MPPE_CCOUNT_MASK);
	uint8_t key[16];
	struct crypto_rc4 rc4;
	int64_t abs;

	if (rx->abs >= 0 && diff == 0) {
		rx->st.dup++;
		return PK_ERR_DUPLICATE;
	}
	if (rx->abs >= 0 && diff >= MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW) {
		struct cached_key *ck;

		abs = rx->abs - (int64_t)(MPPE_CCOUNT_MOD - diff);
		ck = &rx->cache[(uint64_t)abs % KEY_CACHE];
		if (abs < 0 || ck->abs != abs) {
			rx->st.late++;
			return PK_ERR_LATE;
		}
		crypto_rc4_set_key(&rc4, ck->key, rx->key_len);
		crypto_rc4_crypt(&rc4, out, ct, n);
		return plausible(out, n, rx->strict) ? PK_OK : PK_ERR_CRYPTO;
	}
	memcpy(key, rx->key, sizeof(key));
	for (unsigned i = 0; i < diff; i++)
		change(rx, key);
	crypto_rc4_set_key(&rc4, key, rx->key_len);
	crypto_rc4_crypt(&rc4, out, ct, n);
	if (!plausible(out, n, rx->strict))
		return PK_ERR_CRYPTO;
	/* Commit, and keep the keys skipped over for late packets. */
	for (unsigned i = 0; i < diff; i++) {
		change(rx, rx->key);
		abs = rx->abs + 1 + (int64_t)i;
		rx->cache[(uint64_t)abs % KEY_CACHE].abs = abs;
		memcpy(rx->cache[(uint64_t)abs % KEY_CACHE].key, rx->key, 16);
	}
	rx->st.key_changes += diff;
	if (diff > 1 && rx->abs >= 0)
		rx->st.resync++;
	rx->cc = c;
	rx->abs += diff;
	return PK_OK;
}

/*
 * Looks for the offset into the key stream of rc4 at which the
 * ciphertext decrypts to a valid IP packet (packets the capture missed
 * used the bytes before it). On success *rc4 is advanced past the packet.
 */
static int
search(struct audit_decrypt *d, struct crypto_rc4 *rc4, const uint8_t *ct,
    size_t n, uint8_t *out)
{
	struct crypto_rc4 probe = *rc4;
	size_t span = PK_AUDIT_RESYNC_SEARCH + n;

	memset(d->ks, 0, span);
	crypto_rc4_crypt(&probe, d->ks, d->ks, span);
	for (size_t off = 0; off + n <= span; off++) {
		uint8_t p0 = ct[0] ^ d->ks[off], p1 = n > 1 ?
		    ct[1] ^ d->ks[off + 1] : 0, p2 = n > 2 ?
		    ct[2] ^ d->ks[off + 2] : 0;

		/* Cheap first look: the protocol field of IPv4/IPv6,
		 * compressed or not, and the IP version after it. */
		if (!((p0 == 0 && p1 == 0x21 && (p2 >> 4) == 4) ||
		    (p0 == 0 && p1 == 0x57 && (p2 >> 4) == 6) ||
		    (p0 == 0x21 && (p1 >> 4) == 4) ||
		    (p0 == 0x57 && (p1 >> 4) == 6)))
			continue;
		for (size_t i = 0; i < n; i++)
			out[i] = ct[i] ^ d->ks[off + i];
		if (!plausible(out, n, 1))
			continue;
		/* Found: move the real stream to just after the packet. */
		probe = *rc4;
		crypto_rc4_crypt(&probe, d->ks, d->ks, off);
		crypto_rc4_crypt(&probe, out, ct, n);
		*rc4 = probe;
		return PK_OK;
	}
	return PK_ERR_CRYPTO;
}

/*
 * A stateful packet under the key `changes` key changes after ours: at
 * the start of that key's stream if the packet opens its run (first),
 * else at an offset found by searching (strict plausibility). On success
 * the trial key and stream are in key and rc4.
 */
static int
stateful_try(struct audit_decrypt *d, struct rx *rx, unsigned changes,
    int first, int strict, const uint8_t *ct, size_t n, uint8_t *out,
    uint8_t key[16], struct crypto_rc4 *rc4)
{
	memcpy(key, rx->key, 16);
	for (unsigned i = 0; i < changes; i++)
		change(rx, key);
	crypto_rc4_set_key(rc4, key, rx->key_len);
	if (!first)
		return search(d, rc4, ct, n, out);
	crypto_rc4_crypt(rc4, out, ct, n);
	return plausible(out, n, strict) ? PK_OK : PK_ERR_CRYPTO;
}

/*
 * RFC 3078 §7.2/§8.2, as the Linux sender does it (decrypt.h). The key
 * changes the coherency count proves (flag slots passed, this packet
 * flushed) are tried first; then, when the capture missed packets, up
 * to EXTRA_CHANGES more (a flushed packet among those missed changed
 * the key too), and for a flushed packet off the flag slots RFC 3078
 * §8.2's reset that keeps the key. Anything but the plain continuation
 * of the stream must decrypt to a valid IP packet to be believed.
 */
static int
stateful_decrypt(struct audit_decrypt *d, struct rx *rx, uint16_t c,
    int flushed, const uint8_t *ct, size_t n, uint8_t *out)
{
	unsigned diff = (unsigned)((c - rx->cc) & MPPE_CCOUNT_MASK), changes;
	unsigned extra;
	int first = flushed || is_flag(c), r = PK_ERR_CRYPTO;
	struct crypto_rc4 rc4;
	uint8_t key[16];

	if (rx->abs >= 0 && diff == 0) {
		rx->st.dup++;
		return PK_ERR_DUPLICATE;
	}
	if (rx->abs >= 0 && diff >= MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW) {
		rx->st.late++;
		return PK_ERR_LATE;
	}
	changes = flags_between(rx->cc, diff) + (flushed && !is_flag(c));
	/* Missed packets may each have been a flushed one. */
	extra = diff - 1 < EXTRA_CHANGES ? diff - 1 : EXTRA_CHANGES;
	if (first)
		extra = EXTRA_CHANGES;
	if (!first && rx->fails >= SEARCH_GIVE_UP) {
		rx->fails++;
		return PK_ERR_CRYPTO;
	}
	if (changes == 0 && diff == 1) {
		/* In order: the stream goes on. */
		memcpy(key, rx->key, 16);
		rc4 = rx->rc4;
		crypto_rc4_crypt(&rc4, out, ct, n);
		if (plausible(out, n, rx->strict))
			r = PK_OK;
	} else if (changes == 0) {
		/* Packets missed inside one key's run: find the offset. */
		memcpy(key, rx->key, 16);
		rc4 = rx->rc4;
		r = search(d, &rc4, ct, n, out);
	} else {
		r = stateful_try(d, rx, changes, first, 1, ct, n, out, key,
		    &rc4);
	}
	for (unsigned x = 1; r != PK_OK && x <= extra; x++)
		r = stateful_try(d, rx, changes + x, first, 1, ct, n, out, key,
		    &rc4);
	if (r != PK_OK && flushed && !is_flag(c))
		r = stateful_try(d, rx, changes - 1, 1, 1, ct, n, out, key,
		    &rc4);
	if (r != PK_OK && first && !rx->strict)
		/* Not IP (say VJ), but where the count says it belongs. */
		r = stateful_try(d, rx, changes, 1, 0, ct, n, out, key, &rc4);
	if (r != PK_OK) {
		rx->fails++;
		return r;
	}
	rx->fails = 0;
	if (diff > 1 && rx->abs >= 0)
		rx->st.resync++;
	rx->st.key_changes += changes;
	memcpy(rx->key, key, 16);
	rx->rc4 = rc4;
	rx->cc = c;
	rx->abs += diff;
	crypto_wipe(key, sizeof(key));
	return PK_OK;
}

static int
rx_decrypt(struct audit_decrypt *d, struct rx *rx, const uint8_t *pkt,
    size_t len, uint8_t *out, size_t *outlen)
{
	struct buf_reader rd;
	uint16_t hdr;
	size_t n;
	int flushed, r;

	buf_reader_init(&rd, pkt, len);
	if (buf_get_u16(&rd, &hdr) != 0 || (n = buf_remaining(&rd)) == 0 ||
	    n > PK_PPP_FRAME_MAX)
		return PK_ERR_SHORT;
	/* RFC 3078 §3: D must be set; C (MPPC) is not followed. */
	if (((hdr >> 8) & MPPE_BIT_ENCRYPTED) == 0 ||
	    ((hdr >> 8) & MPPE_BIT_COMPRESSED) != 0)
		return PK_ERR_VALUE;
	flushed = ((hdr >> 8) & MPPE_BIT_FLUSHED) != 0;
	if (rx->stateless)
		r = stateless_decrypt(rx, hdr & MPPE_CCOUNT_MASK, buf_cur(&rd),
		    n, out);
	else
		r = stateful_decrypt(d, rx, hdr & MPPE_CCOUNT_MASK, flushed,
		    buf_cur(&rd), n, out);
	*outlen = n;
	return r;
}

/* A direction's first MPPE packet: try each way to set it up. */
static int
first_packet(struct audit_decrypt *d, struct call_state *s, int dir,
    const uint8_t *pkt, size_t len, uint8_t *out, size_t *outlen)
{
	struct rx *rx = &s->rx[dir];
	int r = PK_ERR_CRYPTO;

	for (size_t i = 0; i < s->n_modes[dir]; i++) {
		struct rx trial;

		trial.st = rx->st;
		rx_setup(&trial, &s->modes[dir][i]);
		/* The first packet picks the mode: only a valid IP packet
		 * proves it (a VJ frame would let 1 in 128 wrong keys by). */
		trial.strict = 1;
		r = rx_decrypt(d, &trial, pkt, len, out, outlen);
		if (r == PK_OK) {
			trial.strict = 0;
			*rx = trial;
			crypto_wipe(&trial, sizeof(trial));
			return PK_OK;
		}
		crypto_wipe(&trial, sizeof(trial));
		if (r == PK_ERR_SHORT || r == PK_ERR_VALUE)
			break;
	}
	return r;
}

int
audit_decrypt_frame(struct audit_decrypt *d, const struct audit_cap *c,
    const struct audit_ppp_event *ev, struct audit_plain *out)
{
	struct call_state *s;
	struct audit_decrypt_stats *st;
	struct buf_reader rd;
	uint16_t proto;
	size_t n = 0;
	uint8_t b0;
	int r;

	if ((s = call_state(d, ev->call)) == NULL)
		return PK_ERR_NOMEM;
	out->call = ev->call;
	out->dir = ev->dir;
	out->ts_us = ev->ts_us;
	if (ev->proto == PPP_PROTO_IP || ev->proto == PPP_PROTO_IPV6) {
		st = s->rx[ev->dir].init ? &s->rx[ev->dir].st :
		    &s->none[ev->dir];
		st->clear++;
		out->data = ev->info;
		out->len = ev->info_len;
		return ev->info_len > 0 ? 1 : 0;
	}
	if (ev->proto == PPP_PROTO_CCP) {
		/* A new CCP agreement restarts MPPE (RFC 3078 §2). */
		if (ev->info_len > 0 && ev->info[0] == PPP_CONFACK) {
			s->rx[0].init = 0;
			s->rx[1].init = 0;
		}
		return 0;
	}
	if (ev->proto != PPP_PROTO_COMP)
		return 0;
	if (!s->looked)
		look_up_keys(d, c, ev->call, s);
	if (s->hs < 0) {
		s->none[ev->dir].mppe++;
		s->none[ev->dir].no_key++;
		return 0;
	}
	st = &s->rx[ev->dir].st;
	st->mppe++;
	if (!s->rx[ev->dir].init)
		r = first_packet(d, s, ev->dir, ev->info, ev->info_len,
		    d->plain, &n);
	else
		r = rx_decrypt(d, &s->rx[ev->dir], ev->info, ev->info_len,
		    d->plain, &n);
	st = &s->rx[ev->dir].st;
	if (r != PK_OK) {
		if (r != PK_ERR_DUPLICATE && r != PK_ERR_LATE)
			st->failed++;
		return 0;
	}
	/* The protocol field (RFC 1661 §6.5: compressed or not). */
	buf_reader_init(&rd, d->plain, n);
	if (buf_get_u8(&rd, &b0) != 0)
		return 0;
	proto = b0;
	if (!(b0 & 1)) {
		uint8_t b1;

		if (buf_get_u8(&rd, &b1) != 0)
			return 0;
		proto = (uint16_t)(b0 << 8 | b1);
	}
	if (proto != PPP_PROTO_IP && proto != PPP_PROTO_IPV6) {
		st->other++;
		return 0;
	}
	st->decrypted++;
	out->data = buf_cur(&rd);
	out->len = buf_remaining(&rd);
	return 1;
}

int
audit_decrypt_stats(const struct audit_decrypt *d, size_t call, int dir,
    struct audit_decrypt_stats *st, long *hs_used, int *bits,
    int *stateless)
{
	const struct call_state *s;
	const struct audit_decrypt_stats *a, *b;

	memset(st, 0, sizeof(*st));
	*hs_used = -1;
	*bits = 0;
	*stateless = 0;
	if (call >= d->n_calls)
		return PK_ERR_NOT_FOUND;
	s = &d->calls[call];
	a = &s->rx[dir].st;
	b = &s->none[dir];
	if (!s->looked && b->clear == 0 && a->clear == 0)
		return PK_ERR_NOT_FOUND;
	*st = *a;
	st->mppe += b->mppe;
	st->clear += b->clear;
	st->no_key += b->no_key;
	*hs_used = s->hs;
	*bits = s->rx[dir].bits;
	*stateless = s->rx[dir].stateless;
	return PK_OK;
}
