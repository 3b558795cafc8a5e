/*
 * fuzz_mppe.c - libFuzzer target for the MPPE receiver and the MS-CHAP
 * Failure message parser.
 *
 * Input: one mode byte, then the body.
 *   mode & 0x80: the body is a Failure message for mschap_parse_failure();
 *                a parsed message must survive format -> parse unchanged.
 *   otherwise:   mode & 0x03 picks 40/56/128/128 bits, mode & 0x04
 *                stateless, mode & 0x08 the rekey limits; the body is a script of one-byte operations
 *                between a genuine sender and the receiver under test:
 *     op % 6 == 0  a raw packet: next byte is its length, then the bytes
 *              1  the sender encrypts the next packet, it is delivered
 *              2  the sender encrypts the next packet, it is lost
 *              3  the sender encrypts the next packet, it is held back
 *              4  the oldest held packet is delivered now (reordered)
 *              5  the sender gets a CCP Reset-Request
 *     and whenever mppe_decrypt() asks for a Reset-Request, the sender
 *     gets one, as CCP would do.
 *
 * Beyond "no crash", while no raw packet has been injected, every packet
 * the receiver accepts must decrypt to exactly what was sent, and in
 * stateless mode every new packet must be accepted; every stateful packet
 * the sender flushes must be a flag packet (mppe.c: that is what keeps a
 * receiver in step when a flushed packet is lost). Counts further apart
 * than 12 bits can tell are excluded (see receive()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The code under test is compiled into this file (as WireGuard's and
 * OpenSSH's fuzzers do) so that libFuzzer's coverage instrumentation,
 * which CMake applies to this target only, sees its branches. The
 * engine library's copies of these objects are then never linked in.
 */
#include "../../src/crypto/crypto.c"
#include "../../src/mppe/mppe_keys.c"
#include "../../src/mppe/mppe.c"
#include "../../src/auth/mschap.c"

#define MODE_FAILURE 0x80
#define MODE_STATELESS 0x04
/* Stateless receive limits on (mppe_set_rekey_limits): a small cap and
 * budget, so that the lookahead is exercised; each op is 10 ms. */
#define MODE_LIMITS 0x08
#define LIMIT_CAP 8
#define LIMIT_RATE 400
#define PLAIN_MAX 64
#define PKT_MAX (PLAIN_MAX + MPPE_HDR_LEN)
#define HELD_MAX 8
#define SEND_MAX 3000
/* Held packets older than this many counts are beyond MPPE_LATE_WINDOW:
 * lost. */
#define HELD_AGE_MAX 200

static const uint8_t key_a[16] = {
	0x8b, 0x7c, 0xdc, 0x14, 0x9b, 0x99, 0x3a, 0x1b,
	0xa1, 0x18, 0xcb, 0x15, 0x3f, 0x56, 0xdc, 0xcb
};
static const uint8_t key_b[16] = {
	0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
	0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26
};

struct held {
	uint8_t b[PKT_MAX];
	size_t len;
	unsigned seq;
	unsigned long count;
};

struct run {
	struct mppe tx, rx;
	unsigned sent;		/* packets the sender made */
	/* The coherency counts without the 12-bit wrap (a reset makes the
	 * sender's jump): the next one the sender uses, and the one of the
	 * newest packet the receiver accepted. */
	unsigned long counts, accepted;
	int have_accepted;
	long highest;		/* highest seq delivered, -1 none */
	int tainted;		/* a raw packet was injected */
	int unsure;		/* counts too far apart: ambiguous */
	struct held held[HELD_MAX];
	size_t n_held;
};

static size_t
plain_for(unsigned seq, uint8_t *p)
{
	size_t len = 1 + (seq * 13) % (PLAIN_MAX - 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 31 + i);
	return len;
}

static void
fail(void)
{
	abort();
}

static void
receive(struct run *r, const uint8_t *pkt, size_t len, long seq,
    unsigned long count)
{
	uint8_t out[256], want[PLAIN_MAX];
	struct buf_writer w;
	int reset = 0, rc;

	/* 12 bits cannot tell a packet this far ahead from a late one. */
	if (seq >= 0 && r->have_accepted && count > r->accepted &&
	    count - r->accepted >= MPPE_CCOUNT_MOD - MPPE_LATE_WINDOW)
		r->unsure = 1;
	buf_writer_init(&w, out, sizeof(out));
	rc = mppe_decrypt(&r->rx, pkt, len, &w, &reset);
	if (rc == PK_OK && w.len + MPPE_HDR_LEN != len)
		fail();
	if (rc != PK_OK && (w.len != 0 || rc == PK_ERR_SPACE))
		fail();
	if (reset && r->rx.stateless)
		fail();
	if (reset)
		mppe_reset_request(&r->tx);
	if (seq < 0 || r->tainted || r->unsure)
		return;
	if (rc == PK_OK) {
		size_t n = plain_for((unsigned)seq, want);

		if (w.len != n || memcmp(out, want, n) != 0)
			fail();
	}
	/* Stateless: anything newer than all before must get through,
	 * unless the rekey limits defer it (the work is kept). */
	if (r->rx.stateless && seq > r->highest && rc != PK_OK &&
	    !(r->rx.rekey_max != 0 && rc == PK_ERR_POLICY))
		fail();
	if (rc == PK_OK && seq > r->highest)
		r->highest = seq;
	if (rc == PK_OK && (!r->have_accepted || count > r->accepted)) {
		r->accepted = count;
		r->have_accepted = 1;
	}
}

/* Encrypts the next packet; returns 0 once SEND_MAX is reached. Its
 * count without the wrap goes to *count. */
static int
send_next(struct run *r, uint8_t *pkt, size_t *len, unsigned *seq,
    unsigned long *count)
{
	uint8_t plain[PLAIN_MAX];
	struct buf_writer w;
	uint16_t c;
	size_t n;

	if (r->sent >= SEND_MAX)
		return 0;
	n = plain_for(r->sent, plain);
	buf_writer_init(&w, pkt, PKT_MAX);
	if (mppe_encrypt(&r->tx, plain, n, &w) != PK_OK)
		fail();
	c = (uint16_t)(((pkt[0] & 0x0f) << 8) | pkt[1]);
	/* Stateful: A only on flag packets, a reset's answer included. */
	if (!r->tx.stateless && (pkt[0] & MPPE_BIT_FLUSHED) &&
	    (c & MPPE_FLAG_MASK) != MPPE_FLAG_MASK)
		fail();
	*count = r->counts + ((c - r->counts) & MPPE_CCOUNT_MASK);
	r->counts = *count + 1;
	*len = w.len;
	*seq = r->sent++;
	return 1;
}

static void
run_script(const uint8_t *data, size_t size, int bits, int stateless,
    int limits)
{
	static const int bit_sizes[4] = { 40, 56, 128, 128 };
	struct run r;
	struct buf_reader rd;
	const uint8_t *raw;
	uint8_t pkt[PKT_MAX], op, n;
	size_t len;
	unsigned seq;
	unsigned long count;
	uint64_t now = 1;

	memset(&r, 0, sizeof(r));
	r.highest = -1;
	if (mppe_init(&r.tx, key_a, key_b, bit_sizes[bits], stateless) != 0 ||
	    mppe_init(&r.rx, key_b, key_a, bit_sizes[bits], stateless) != 0)
		fail();
	if (limits)
		mppe_set_rekey_limits(&r.rx, LIMIT_CAP, LIMIT_RATE);
	buf_reader_init(&rd, data, size);
	while (buf_get_u8(&rd, &op) == 0) {
		now += 10;
		mppe_set_clock(&r.rx, now);
		switch (op % 6) {
		case 0:
			/* A length byte, then that many bytes (or the rest). */
			if (buf_get_u8(&rd, &n) != 0)
				break;
			len = n < buf_remaining(&rd) ? n : buf_remaining(&rd);
			if (buf_get_ptr(&rd, &raw, len) != 0)
				fail();
			r.tainted = 1;
			receive(&r, raw, len, -1, 0);
			break;
		case 1:
			if (send_next(&r, pkt, &len, &seq, &count))
				receive(&r, pkt, len, seq, count);
			break;
		case 2:
			(void)send_next(&r, pkt, &len, &seq, &count);
			break;
		case 3:
			if (r.n_held == HELD_MAX || !send_next(&r, pkt, &len,
			    &seq, &count))
				break;
			memcpy(r.held[r.n_held].b, pkt, len);
			r.held[r.n_held].len = len;
			r.held[r.n_held].seq = seq;
			r.held[r.n_held].count = count;
			r.n_held++;
			break;
		case 4:
			if (r.n_held == 0)
				break;
			/* Past the late window it would look new (mppe.h):
			 * such a packet is simply lost. */
			if (r.counts - r.held[0].count <= HELD_AGE_MAX)
				receive(&r, r.held[0].b, r.held[0].len,
				    r.held[0].seq, r.held[0].count);
			memmove(&r.held[0], &r.held[1],
			    (r.n_held - 1) * sizeof(r.held[0]));
			r.n_held--;
			break;
		case 5:
			mppe_reset_request(&r.tx);
			break;
		}
	}
	mppe_wipe(&r.tx);
	mppe_wipe(&r.rx);
}

static void
run_failure(const uint8_t *data, size_t size)
{
	struct mschap_failure f, g;
	char text[512];

	if (mschap_parse_failure((const char *)data, size, &f) != PK_OK)
		return;
	if (strlen(f.message) >= sizeof(f.message))
		fail();
	/* What we parse, we can write back and read again unchanged. */
	mschap_format_failure(f.error, f.retry,
	    f.have_challenge ? f.challenge : NULL, f.challenge_len,
	    f.version, f.message[0] != '\0' ? f.message : NULL, text,
	    sizeof(text));
	if (mschap_parse_failure(text, strlen(text), &g) != PK_OK ||
	    g.error != f.error || g.retry != f.retry ||
	    g.version != f.version || g.have_challenge != f.have_challenge ||
	    g.challenge_len != f.challenge_len ||
	    memcmp(g.challenge, f.challenge, f.challenge_len) != 0 ||
	    strcmp(g.message, f.message) != 0)
		fail();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf_reader rd;
	uint8_t mode;

	buf_reader_init(&rd, data, size);
	if (buf_get_u8(&rd, &mode) != 0)
		return 0;
	if (mode & MODE_FAILURE)
		run_failure(buf_cur(&rd), buf_remaining(&rd));
	else
		run_script(buf_cur(&rd), buf_remaining(&rd), mode & 0x03,
		    (mode & MODE_STATELESS) != 0, (mode & MODE_LIMITS) != 0);
	return 0;
}
