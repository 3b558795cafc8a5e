/*
 * fuzz_gre.c - the GRE decoder and one data channel fed arbitrary
 * packets, with invariants checked on everything the channel emits.
 *
 * Input: a 6-byte prologue (our rwin, the peer's rwin, our first sequence
 * number) then chunks of [ctl][len hi][len lo][len bytes]. ctl bit 0
 * patches the Call ID to ours (so the packet reaches the channel's logic),
 * bit 1 hands the bytes to gre_chan_send() instead of gre_chan_input(),
 * bits 2-7 advance the clock by 4 ms each. Timers run whenever due.
 * tests/fuzz/gen_corpus_gre.py writes the seed corpus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/out.h"
/*
 * The code under test is included rather than linked so that libFuzzer's
 * coverage instrumentation (applied to this file only) sees its branches
 * (style.md item 20). The library's copies are then never pulled in.
 */
#include "../../src/gre/gre.c"
#include "../../src/gre/gre_chan.c"

#define FUZZ_CALL_ID 0x002a
#define FUZZ_PEER_CALL_ID 0x0014
#define FUZZ_PROLOGUE 6
#define FUZZ_CHUNK_HDR 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pk_out out;

static void
must(int cond)
{
	if (!cond)
		abort();
}

/* Decodes pkt and, if it is valid, checks that encoding the result gives
 * the same bytes back (minus padding). */
static void
check_codec(const uint8_t *pkt, size_t len)
{
	static uint8_t again[PK_GRE_PACKET_MAX];
	struct buf_reader payload;
	struct buf_writer w;
	struct gre_hdr h;
	uint16_t call_id;
	int r, rp;

	r = gre_decode(pkt, len, &h, &payload);
	rp = gre_peek_call_id(pkt, len, &call_id);
	/* The peek never accepts what the decoder's first checks refuse. */
	if (rp != PK_OK)
		must(r == rp);
	if (r != PK_OK)
		return;
	must(rp == PK_OK && call_id == h.call_id);
	must(h.payload_len == buf_remaining(&payload));
	must(gre_hdr_len(&h) + h.payload_len + h.padding == len);
	buf_writer_init(&w, again, sizeof(again));
	must(gre_encode(&w, &h, buf_cur(&payload), h.payload_len) == PK_OK);
	must(w.len == len - h.padding);
	must(memcmp(again, pkt, w.len) == 0);
}

/* Everything a channel emits must be well-formed. */
static void
check_out(void)
{
	must(!out.overflow);
	for (size_t i = 0; i < out.n_items; i++) {
		const struct out_item *it = out_item(&out, i);
		struct buf_reader payload;
		struct gre_hdr h;

		if (it->kind == OUT_PPP) {
			must(it->tag == FUZZ_CALL_ID);
			must(it->len > 0 && it->len <= PK_PPP_FRAME_MAX);
			continue;
		}
		must(it->kind == OUT_GRE);
		must(it->tag == FUZZ_PEER_CALL_ID);
		must(gre_decode(out_data(&out, i), it->len, &h,
		    &payload) == PK_OK);
		must(h.call_id == FUZZ_PEER_CALL_ID && h.padding == 0);
	}
	out_reset(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gre_chan_config cfg;
	struct gre_chan *ch;
	struct buf_reader rd;
	uint64_t now = 1000;
	uint32_t start;
	uint8_t rwin, peer_rwin;

	if (out.arena == NULL &&
	    out_init(&out, PK_OUT_ARENA, PK_OUT_ITEMS) != PK_OK)
		abort();
	out_reset(&out);
	check_codec(data, size);

	buf_reader_init(&rd, data, size);
	if (buf_get_u8(&rd, &rwin) != 0 || buf_get_u8(&rd, &peer_rwin) != 0 ||
	    buf_get_u32(&rd, &start) != 0)
		return 0;
	gre_chan_config_default(&cfg, FUZZ_CALL_ID, FUZZ_PEER_CALL_ID);
	cfg.rwin = rwin;
	cfg.peer_rwin = peer_rwin;
	cfg.tx_seq_start = start;
	if (gre_chan_new(&ch, &cfg) != PK_OK)
		abort();

	while (buf_remaining(&rd) >= FUZZ_CHUNK_HDR) {
		static uint8_t pkt[PK_GRE_PACKET_MAX + 64];
		uint16_t len;
		uint8_t ctl;

		if (buf_get_u8(&rd, &ctl) != 0 || buf_get_u16(&rd, &len) != 0)
			break;
		if (len > buf_remaining(&rd))
			len = (uint16_t)buf_remaining(&rd);
		if (len > sizeof(pkt))
			len = sizeof(pkt);
		if (buf_get_bytes(&rd, pkt, len) != 0)
			break;
		now += (uint64_t)(ctl >> 2) * 4;
		if (ctl & 2) {
			int r = gre_chan_send(ch, now, pkt, len, &out);

			must(r == PK_OK || r == PK_ERR_ARG || r == PK_ERR_FULL);
		} else {
			if ((ctl & 1) && len >= GRE_BASE_LEN) {
				pkt[6] = FUZZ_CALL_ID >> 8;
				pkt[7] = FUZZ_CALL_ID & 0xff;
			}
			check_codec(pkt, len);
			(void)gre_chan_input(ch, now, pkt, len, &out);
		}
		check_out();
		if (gre_chan_next_deadline(ch) <= now) {
			must(gre_chan_timeout(ch, now, &out) == PK_OK);
			check_out();
		}
		must(gre_chan_next_deadline(ch) > now);
		must(gre_chan_txq_len(ch) <= PK_GRE_TXQ_MAX);
	}
	/* Let every timer run out: nothing may stay queued or held. */
	for (int i = 0; i < 16; i++) {
		uint64_t t = gre_chan_next_deadline(ch);

		if (t == PK_TIME_NEVER)
			break;
		now = t > now ? t : now;
		must(gre_chan_timeout(ch, now, &out) == PK_OK);
		check_out();
	}
	must(gre_chan_next_deadline(ch) == PK_TIME_NEVER);
	must(gre_chan_txq_len(ch) == 0);
	gre_chan_free(ch);
	return 0;
}
