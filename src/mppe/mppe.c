/*
 * mppe.c - MPPE data encryption and decryption (RFC 3078), with the key
 * schedule of RFC 3079.
 *
 * The interoperability target is the Linux kernel's ppp_mppe.c, which
 * every pppd peer uses, so where RFC 3078 is vague or the kernel differs
 * from its letter, we do what the kernel does:
 *
 *  - Initial session key: GetNewKeyFromSHA(master, master), reduced for
 *    40/56 bits, then rc4_key() (RFC 3079 §3.1-§3.3). No RC4 pass over
 *    it: that belongs to later key changes only (RFC 3078 §7.3).
 *  - Coherency counts start at 0 (the kernel's assumption; RFC 3078 does
 *    not say).
 *  - Stateless: a key change before every packet, the first included
 *    (RFC 3078 §7.1), and A on every packet.
 *  - Stateful: a key change before each "flag" packet (count's low octet
 *    0xff, §7.2), and A set on exactly those packets. RFC 3078 §8.2 says
 *    a reset re-keys RC4 with the *same* session key, but the kernel makes
 *    a full key change on every flushed packet, in both directions, and we
 *    must match its receiver. So the packet that answers a CCP
 *    Reset-Request is sent as the next flag packet: the count jumps to the
 *    end of its 256-block (the receiver, which asked for the reset, is
 *    discarding and takes the jump for the loss it already saw). A kernel
 *    receiver then counts our key changes right even when that flushed
 *    packet is lost, which it could not if we changed keys off the flag
 *    slots the way the kernel's sender does (see the limit below); a
 *    receiver that follows RFC 3078 to the letter changes keys on flag
 *    packets only, and agrees too.
 *
 * The receiver mirrors that, and in three places is more careful than the
 * kernel, without sending anything a kernel peer would not understand:
 *
 *  - Stateless: a duplicate or late packet is dropped without touching
 *    the keys (the kernel would run ~4095 key changes to "reach" an old
 *    count and stay desynchronised for good).
 *  - Stateless: the key changes a packet may force are capped per packet
 *    and per session, and the work toward a count that was not accepted
 *    is kept, so a forged count far ahead, or its replay, cannot make the
 *    receiver run thousands of key changes (stateless_decrypt()).
 *  - Stateful: a duplicate or late packet is dropped without declaring
 *    loss: our RC4 state was not consumed by it.
 *  - Stateful: after a gap, a flushed packet resynchronises at once (the
 *    kernel drops it and waits for the next one); a flag packet without A
 *    still changes the key, as RFC 3078 §7.2 requires (the kernel drops it
 *    as a bogon).
 *
 * A limit of the kernel's scheme: in stateful mode, if a flushed packet
 * that was not a flag packet (the kernel sender's answer to a reset) is
 * lost and a later flushed packet arrives, the receiver cannot know from
 * the header that the sender changed keys twice, and decrypts garbage from
 * then on. Seen against pppd (tests/interop, PK_INTEROP_LOSS_FLUSHED=out,
 * before the reset packet became a flag packet): the kernel decrypted
 * every later packet to garbage and pppd sent LCP Protocol-Rejects for
 * random protocol numbers until the session ended. Our sender no longer
 * causes this; as a receiver of a kernel sender we still face it, and
 * with a plausibility test installed (struct mppe.plausible) we notice:
 * garbage after an in-order packet means lost sync (drop, Reset-Request),
 * and a flushed packet that decrypts to garbage is tried again with up to
 * MPPE_RESYNC_TRIES further key changes before it is given up. RFC 3078
 * §9 advises against stateful mode on lossy links; pptpkit prefers
 * stateless.
 */
#include <string.h>

#include "core/err.h"
#include "core/limits.h"
#include "mppe/mppe.h"
#include "mppe/mppe_keys.h"

#define MPPE_KEY_MAX 16
#define MPPE_BLOCK_SHIFT 8	/* stateful keys change per 256 counts */
#define MPPE_BLOCKS 16		/* 4096 / 256 */

/* A stateless packet may need one key change per count it is ahead. */
_Static_assert(MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW - 1 <= PK_MPPE_MAX_REKEYS,
    "stateless resync must stay within PK_MPPE_MAX_REKEYS");

static int
key_len_ok(const struct mppe *m)
{
	return m->key_len == 8 || m->key_len == 16;
}

/* RFC 3078 §7.3: the key change. */
static void
key_change(const struct mppe *m, struct mppe_dir *d)
{
	mppe_change_key(d->master_key, d->session_key, m->key_len,
	    m->key_bits);
	crypto_rc4_set_key(&d->rc4, d->session_key, m->key_len);
}

static void
dir_init(const struct mppe *m, struct mppe_dir *d, const uint8_t master[16])
{
	memcpy(d->master_key, master, MPPE_KEY_MAX);
	/* RFC 3079 §3.3: GetNewKeyFromSHA(Master, Master, len, Session). */
	mppe_get_new_key_from_sha(d->master_key, d->master_key, m->key_len,
	    d->session_key);
	mppe_reduce_key(d->session_key, m->key_bits);
	crypto_rc4_set_key(&d->rc4, d->session_key, m->key_len);
}

int
mppe_init(struct mppe *m, const uint8_t send_master[16],
    const uint8_t recv_master[16], int bits, int stateless)
{
	memset(m, 0, sizeof(*m));
	if (bits != 40 && bits != 56 && bits != 128)
		return PK_ERR_ARG;
	m->key_bits = bits;
	m->key_len = bits == 128 ? 16 : 8;
	m->stateless = stateless != 0;
	dir_init(m, &m->tx, send_master);
	dir_init(m, &m->rx, recv_master);
	m->tx.ccount = 0;
	m->rx.ccount = MPPE_CCOUNT_MASK;	/* so that 0 is next */
	return PK_OK;
}

static int
is_flag_packet(uint16_t ccount)
{
	return (ccount & MPPE_FLAG_MASK) == MPPE_FLAG_MASK;
}

int
mppe_encrypt(struct mppe *m, const uint8_t *plain, size_t len,
    struct buf_writer *w)
{
	struct mppe_dir *d = &m->tx;
	uint16_t hdr;
	uint8_t *dst;
	int flushed, r;

	if (!key_len_ok(m) || len == 0)
		return PK_ERR_ARG;
	/* Check room first: a failed call must not use up a count. */
	if (buf_avail(w) < MPPE_HDR_LEN || buf_avail(w) - MPPE_HDR_LEN < len)
		return PK_ERR_SPACE;

	/* A reset is answered with the next flag packet (file comment). */
	if (!m->stateless && d->flush_next)
		d->ccount |= MPPE_FLAG_MASK;
	flushed = m->stateless || is_flag_packet(d->ccount);
	if (flushed)
		key_change(m, d);
	hdr = (uint16_t)((MPPE_BIT_ENCRYPTED << 8) | d->ccount);
	if (flushed)
		hdr |= MPPE_BIT_FLUSHED << 8;
	if ((r = buf_put_u16(w, hdr)) != 0 ||
	    (r = buf_put_reserve(w, len, &dst)) != 0)
		return r;	/* not reached: room was checked */
	crypto_rc4_crypt(&d->rc4, dst, plain, len);
	d->ccount = (d->ccount + 1) & MPPE_CCOUNT_MASK;
	d->flush_next = 0;
	return PK_OK;
}

void
mppe_set_rekey_limits(struct mppe *m, unsigned per_packet,
    unsigned per_second)
{
	m->rekey_max = per_packet;
	m->rekey_rate = per_second;
	m->budget_milli = (uint64_t)MPPE_REKEY_BUDGET_MAX * 1000;
	m->budget_at = 0;
}

void
mppe_set_clock(struct mppe *m, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)MPPE_REKEY_BUDGET_MAX * 1000;

	if (m->rekey_rate == 0)
		return;
	if (m->budget_at != 0 && now_ms > m->budget_at) {
		uint64_t add = (now_ms - m->budget_at) * m->rekey_rate;

		m->budget_milli = cap - m->budget_milli < add ? cap :
		    m->budget_milli + add;
	}
	if (now_ms > m->budget_at)
		m->budget_at = now_ms;
}

/* Key changes one stateless packet may cost now (at least 1). */
static unsigned
rekey_allowance(const struct mppe *m)
{
	unsigned n = MPPE_CCOUNT_MOD;

	if (m->rekey_max != 0 && m->rekey_max < n)
		n = m->rekey_max;
	if (m->rekey_rate != 0 && 1 + m->budget_milli / 1000 < n)
		n = 1 + (unsigned)(m->budget_milli / 1000);
	return n;
}

/* Runs n key changes on d for a received packet. */
static void
rx_key_changes(struct mppe *m, struct mppe_dir *d, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		key_change(m, d);
	d->ccount = (uint16_t)((d->ccount + n) & MPPE_CCOUNT_MASK);
	m->rx_rekeys += n;
}

/*
 * Charges the budget for n key changes spent on a packet that was then
 * dropped (beyond the first, the cost of any packet). Work for accepted
 * packets is free: a genuine sender that skips counts (its own drops, or
 * losses on the way) must never run out.
 */
static void
charge(struct mppe *m, unsigned n)
{
	uint64_t c = n > 1 ? (uint64_t)(n - 1) * 1000 : 0;

	if (m->rekey_rate != 0)
		m->budget_milli -= m->budget_milli < c ? m->budget_milli : c;
}

/*
 * Stateless receive (RFC 3078 §8.1): the sender changed keys before every
 * packet, so count c, diff ahead of the last accepted one, needs diff key
 * changes. They are bounded by the rekey limits, and the state reached
 * toward a packet that is not accepted is kept in m->ahead, so that the
 * same work is never paid twice (see mppe.h). The Linux kernel commits
 * the key changes before it decrypts (and since "ppp: mppe: discard late
 * packet in stateless mode" drops counts more than half the space
 * behind); we commit only plausible plaintext, so a forged packet cannot
 * move the keys, and the lookahead makes its replay cost nothing.
 */
static int
stateless_decrypt(struct mppe *m, struct buf_reader *rd, size_t n,
    uint16_t c, uint16_t diff, struct buf_writer *w)
{
	struct mppe_dir *d = &m->rx, trial;
	struct crypto_rc4 rc4;
	const uint8_t *ct;
	uint8_t *dst;
	unsigned from = 0, need, allowed;
	int r, ok, ahead_short = 1;

	memset(&rc4, 0, sizeof(rc4));
	if (m->ahead_valid) {
		unsigned adist = (unsigned)(m->ahead.ccount - d->ccount) &
		    MPPE_CCOUNT_MASK;

		if (adist <= diff)
			from = adist;
		else
			ahead_short = 0;	/* it lies beyond c */
	}
	trial = from > 0 ? m->ahead : *d;
	need = diff - from;
	allowed = rekey_allowance(m);
	if (need > allowed) {
		/* Too far for now: move the lookahead toward c. */
		rx_key_changes(m, &trial, allowed);
		charge(m, allowed);
		m->ahead = trial;
		m->ahead_valid = 1;
		m->rx_rekey_capped++;
		r = PK_ERR_POLICY;
		goto drop;
	}
	rx_key_changes(m, &trial, need);
	if ((r = buf_get_ptr(rd, &ct, n)) != 0 ||
	    (r = buf_put_reserve(w, n, &dst)) != 0)
		goto drop;	/* not reached: both were checked */
	rc4 = trial.rc4;
	crypto_rc4_crypt(&rc4, dst, ct, n);
	ok = m->plausible == NULL || m->plausible(dst, n);
	if (!ok) {
		memset(dst, 0, n);
		m->rx_implausible++;
		charge(m, need);
		if (ahead_short && need > 0) {
			/* Keep the work: a replay starts from here. */
			m->ahead = trial;
			m->ahead_valid = 1;
		}
		r = PK_ERR_CRYPTO;
		goto drop;
	}
	trial.rc4 = rc4;
	trial.started = 1;
	if (ahead_short && m->ahead_valid) {
		/* The lookahead is at or behind c now. */
		crypto_wipe(&m->ahead, sizeof(m->ahead));
		m->ahead_valid = 0;
	}
	if (diff > 1)
		m->rx_resyncs++;
	*d = trial;
	crypto_wipe(&trial, sizeof(trial));
	crypto_wipe(&rc4, sizeof(rc4));
	return PK_OK;
drop:
	crypto_wipe(&trial, sizeof(trial));
	crypto_wipe(&rc4, sizeof(rc4));
	m->rx_dropped++;
	return r;
}

/*
 * Stateful resync on a flushed packet with count c after loss (RFC 3078
 * §8.2): the sender changed keys at every flag packet between the one we
 * expected and c, and once more for c itself. Flag packets sit at the end
 * of each 256-count block, so their number is the number of block
 * boundaries crossed (what the kernel's "rekey for every missed flag
 * packet" loop counts). At most 16.
 */
static unsigned
stateful_resync_changes(uint16_t last, uint16_t c)
{
	uint16_t expected = (last + 1) & MPPE_CCOUNT_MASK;
	unsigned blocks = ((unsigned)(c >> MPPE_BLOCK_SHIFT) -
	    (unsigned)(expected >> MPPE_BLOCK_SHIFT)) & (MPPE_BLOCKS - 1);

	return blocks + 1;
}

int
mppe_decrypt(struct mppe *m, const uint8_t *pkt, size_t len,
    struct buf_writer *w, int *send_reset)
{
	struct mppe_dir *d = &m->rx;
	struct buf_reader rd;
	const uint8_t *ct;
	uint8_t *dst, bits;
	uint16_t hdr, c, diff;
	unsigned changes = 0;
	size_t n;
	int flushed, r;

	if (send_reset != NULL)
		*send_reset = 0;
	if (!key_len_ok(m))
		return PK_ERR_ARG;

	/* Framing: header, then at least one byte of data (RFC 3078 §3.1). */
	buf_reader_init(&rd, pkt, len);
	if ((r = buf_get_u16(&rd, &hdr)) != 0)
		goto drop;
	if ((n = buf_remaining(&rd)) == 0) {
		r = PK_ERR_SHORT;
		goto drop;
	}
	if (buf_avail(w) < n)
		return PK_ERR_SPACE;

	/* Meaning: D must be set; C (MPPC) is never negotiated by us. */
	bits = (uint8_t)(hdr >> 8) & 0xf0;
	flushed = (bits & MPPE_BIT_FLUSHED) != 0;
	if ((bits & MPPE_BIT_ENCRYPTED) == 0 ||
	    (bits & MPPE_BIT_COMPRESSED) != 0 ||
	    (m->stateless && !flushed)) {
		r = PK_ERR_VALUE;
		goto drop;
	}

	/* Where the count stands relative to the last accepted one. */
	c = hdr & MPPE_CCOUNT_MASK;
	diff = (uint16_t)((c - d->ccount) & MPPE_CCOUNT_MASK);
	if (diff == 0) {
		r = PK_ERR_DUPLICATE;
		goto drop;
	}
	if (diff >= MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW) {
		r = PK_ERR_LATE;
		goto drop;
	}

	if (m->stateless)
		return stateless_decrypt(m, &rd, n, c, diff, w);
	if (!d->discarding && diff == 1) {
		/* In order: §7.2 flag packet, or the sender's reset. */
		changes = (flushed || is_flag_packet(c)) ? 1 : 0;
	} else if (flushed) {
		changes = stateful_resync_changes(d->ccount, c);
		m->rx_resyncs++;
	} else {
		/* §8.2: drop, ask for one reset, await a flushed packet. */
		if (!d->discarding && send_reset != NULL)
			*send_reset = 1;
		d->discarding = 1;
		r = PK_ERR_STATE;
		goto drop;
	}

	if ((r = buf_get_ptr(&rd, &ct, n)) != 0 ||
	    (r = buf_put_reserve(w, n, &dst)) != 0)
		return r;	/* not reached: both were checked above */
	/*
	 * Decrypt into a copy of the direction's state and commit only
	 * plausible plaintext, so garbage never moves our keys.
	 */
	{
		struct mppe_dir trial = *d;
		unsigned tries = !flushed || m->plausible == NULL ? 0 :
		    MPPE_RESYNC_TRIES;
		int ok = 0;

		for (unsigned i = 0; i < changes; i++)
			key_change(m, &trial);
		for (unsigned t = 0; !ok; t++) {
			struct mppe_dir attempt = trial;

			crypto_rc4_crypt(&attempt.rc4, dst, ct, n);
			if (m->plausible == NULL || m->plausible(dst, n)) {
				trial = attempt;
				ok = 1;
				if (t > 0)
					m->rx_catch_ups++;
			}
			crypto_wipe(&attempt, sizeof(attempt));
			if (ok || t >= tries)
				break;
			key_change(m, &trial);
		}
		if (!ok) {
			memset(dst, 0, n);
			m->rx_implausible++;
			/* Lost sync we could not see in the count: ask for
			 * a reset and wait for it. */
			if (!d->discarding && send_reset != NULL)
				*send_reset = 1;
			d->discarding = 1;
			r = PK_ERR_CRYPTO;
			goto drop;
		}
		trial.ccount = c;
		trial.started = 1;
		trial.discarding = 0;
		*d = trial;
		crypto_wipe(&trial, sizeof(trial));
	}
	return PK_OK;

 drop:
	m->rx_dropped++;
	return r;
}

void
mppe_reset_request(struct mppe *m)
{
	if (!m->stateless)
		m->tx.flush_next = 1;
}

void
mppe_wipe(struct mppe *m)
{
	if (m != NULL)
		crypto_wipe(m, sizeof(*m));
}
