/*
 * test_gre_chan.c - two GRE data channels joined in memory: ordering,
 * duplicates, gaps, sequence-number wrap, the send window, acks, and a
 * seeded lossy network checked against an independent oracle.
 */
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/out.h"
#include "gre/gre.h"
#include "gre/gre_chan.h"
#include "test.h"

#define A_ID 10		/* A's call ID: B puts it in packets to A */
#define B_ID 20
#define MAX_PKTS 256

struct pkt {
	uint8_t b[PK_GRE_PACKET_MAX];
	size_t len;
};

/* What one channel produced, drained from the shared pk_out. */
struct side {
	struct gre_chan *ch;
	struct pkt gre[MAX_PKTS];	/* OUT_GRE packets, in order */
	size_t n_gre;
	uint32_t ppp[MAX_PKTS];		/* indices of OUT_PPP frames */
	size_t n_ppp;
};

static struct pk_out out;
static struct side sa, sb;

/* Frame i: its index big-endian, then a pattern; 4..16 bytes. */
static size_t
frame_make(uint32_t i, uint8_t *buf)
{
	size_t len = 4 + i % 13;

	buf[0] = (uint8_t)(i >> 24);
	buf[1] = (uint8_t)(i >> 16);
	buf[2] = (uint8_t)(i >> 8);
	buf[3] = (uint8_t)i;
	for (size_t k = 4; k < len; k++)
		buf[k] = (uint8_t)(i * 7 + k);
	return len;
}

/* Checks a delivered frame is exactly what frame_make() built. */
static uint32_t
frame_index(const uint8_t *p, size_t len)
{
	uint8_t want[32];
	uint32_t i;

	CHECK(len >= 4);
	if (len < 4)
		return UINT32_MAX;
	i = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	CHECK_INT(len, frame_make(i, want));
	if (len == frame_make(i, want))
		CHECK_MEM(p, want, len);
	return i;
}

/* Moves everything in out to s, checking tags. */
static void
drain(struct side *s, uint16_t my_id, uint16_t peer_id)
{
	CHECK_INT(out.overflow, 0);
	for (size_t i = 0; i < out.n_items; i++) {
		const struct out_item *it = out_item(&out, i);
		const uint8_t *d = out_data(&out, i);

		if (it->kind == OUT_GRE) {
			CHECK_INT(it->tag, peer_id);
			CHECK(s->n_gre < MAX_PKTS);
			if (s->n_gre >= MAX_PKTS)
				continue;
			memcpy(s->gre[s->n_gre].b, d, it->len);
			s->gre[s->n_gre++].len = it->len;
		} else if (it->kind == OUT_PPP) {
			CHECK_INT(it->tag, my_id);
			CHECK(s->n_ppp < MAX_PKTS);
			if (s->n_ppp < MAX_PKTS)
				s->ppp[s->n_ppp++] = frame_index(d, it->len);
		} else
			CHECK(0);
	}
	out_reset(&out);
}

static void
drain_a(void)
{
	drain(&sa, A_ID, B_ID);
}

static void
drain_b(void)
{
	drain(&sb, B_ID, A_ID);
}

static void
setup(const struct gre_chan_config *ca, const struct gre_chan_config *cb)
{
	struct gre_chan_config da, db;

	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	gre_chan_config_default(&da, A_ID, B_ID);
	gre_chan_config_default(&db, B_ID, A_ID);
	CHECK_INT(gre_chan_new(&sa.ch, ca != NULL ? ca : &da), PK_OK);
	CHECK_INT(gre_chan_new(&sb.ch, cb != NULL ? cb : &db), PK_OK);
	out_reset(&out);
}

static void
teardown(void)
{
	gre_chan_free(sa.ch);
	gre_chan_free(sb.ch);
	sa.ch = sb.ch = NULL;
}

static int
send_a(uint64_t now, uint32_t i)
{
	uint8_t f[32];
	int r = gre_chan_send(sa.ch, now, f, frame_make(i, f), &out);

	drain_a();
	return r;
}

static int
send_b(uint64_t now, uint32_t i)
{
	uint8_t f[32];
	int r = gre_chan_send(sb.ch, now, f, frame_make(i, f), &out);

	drain_b();
	return r;
}

/* Feeds A's k-th packet to B. */
static int
a_to_b(uint64_t now, size_t k)
{
	int r = gre_chan_input(sb.ch, now, sa.gre[k].b, sa.gre[k].len, &out);

	drain_b();
	return r;
}

static int
b_to_a(uint64_t now, size_t k)
{
	int r = gre_chan_input(sa.ch, now, sb.gre[k].b, sb.gre[k].len, &out);

	drain_a();
	return r;
}

static void
timeout_b(uint64_t now)
{
	CHECK_INT(gre_chan_timeout(sb.ch, now, &out), PK_OK);
	drain_b();
}

static void
timeout_a(uint64_t now)
{
	CHECK_INT(gre_chan_timeout(sa.ch, now, &out), PK_OK);
	drain_a();
}

static struct gre_hdr
hdr_of(const struct pkt *p)
{
	struct buf_reader pl;
	struct gre_hdr h;

	memset(&h, 0, sizeof(h));
	CHECK_INT(gre_decode(p->b, p->len, &h, &pl), PK_OK);
	return h;
}

/* A packet built by hand, as a peer would send it to A (call ID A_ID). */
static size_t
craft(struct pkt *p, int has_seq, uint32_t seq, int has_ack, uint32_t ack,
    uint32_t idx)
{
	struct gre_hdr h = { .has_seq = has_seq, .has_ack = has_ack,
	    .call_id = A_ID, .seq = seq, .ack = ack };
	struct buf_writer w;
	uint8_t f[32];
	size_t fl = has_seq ? frame_make(idx, f) : 0;

	buf_writer_init(&w, p->b, sizeof(p->b));
	CHECK_INT(gre_encode(&w, &h, f, fl), PK_OK);
	p->len = w.len;
	return p->len;
}

static int
craft_to_a(uint64_t now, uint32_t seq, uint32_t idx)
{
	struct pkt p;
	int r;

	craft(&p, 1, seq, 0, 0, idx);
	r = gre_chan_input(sa.ch, now, p.b, p.len, &out);
	drain_a();
	return r;
}

static int
ack_to_a(uint64_t now, uint32_t ack)
{
	struct pkt p;
	int r;

	craft(&p, 0, 0, 1, ack, 0);
	r = gre_chan_input(sa.ch, now, p.b, p.len, &out);
	drain_a();
	return r;
}

static void
check_ppp(const struct side *s, const uint32_t *want, size_t n)
{
	CHECK_INT(s->n_ppp, n);
	for (size_t i = 0; i < n && i < s->n_ppp; i++)
		CHECK_INT(s->ppp[i], want[i]);
}

/* ---- Ordering -------------------------------------------------------- */

static void
test_in_order(void)
{
	const uint32_t want[] = { 0, 1, 2, 3, 4 };
	uint8_t f[32], hdr[12];
	size_t fl;

	setup(NULL, NULL);
	for (uint32_t i = 0; i < 5; i++)
		CHECK_INT(send_a(0, i), PK_OK);
	CHECK_INT(sa.n_gre, 5);
	for (size_t k = 0; k < sa.n_gre; k++) {
		struct gre_hdr h = hdr_of(&sa.gre[k]);

		CHECK_INT(h.has_seq, 1);
		CHECK_INT(h.has_ack, 0);	/* nothing received yet */
		CHECK_INT(h.call_id, B_ID);
		CHECK_INT(h.seq, k);		/* first number sent is 0 */
	}
	/* Exact bytes of the first packet: S, K, Ver 1, call 20, seq 0. */
	fl = frame_make(0, f);
	CHECK_INT(sa.gre[0].len, 12 + fl);
	test_unhex("30 01 88 0b 00 04 00 14 00 00 00 00", hdr, sizeof(hdr));
	CHECK_MEM(sa.gre[0].b, hdr, 12);
	CHECK_MEM(sa.gre[0].b + 12, f, fl);
	for (size_t k = 0; k < 5; k++)
		CHECK_INT(a_to_b(1, k), PK_OK);
	check_ppp(&sb, want, 5);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_packets, 5);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_bytes, 4 + 5 + 6 + 7 + 8);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_packets, 5);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_bytes, 4 + 5 + 6 + 7 + 8);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_reordered, 0);
	teardown();
}

static void
test_reorder(void)
{
	const uint32_t want[] = { 0, 1, 2, 3, 4 };
	const size_t order[] = { 0, 2, 3, 1, 4 };

	setup(NULL, NULL);
	for (uint32_t i = 0; i < 5; i++)
		send_a(0, i);
	for (size_t k = 0; k < 5; k++) {
		CHECK_INT(a_to_b(1, order[k]), PK_OK);
		/* Nothing after 0 comes out before 1 arrives. */
		CHECK_INT(sb.n_ppp, k < 3 ? 1 : k + 1);
	}
	check_ppp(&sb, want, 5);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_reordered, 2);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_lost, 0);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 1 + GRE_ACK_TIMEOUT_MS);
	teardown();
}

static void
test_duplicates(void)
{
	const uint32_t want[] = { 0, 1, 2, 3 };

	setup(NULL, NULL);
	for (uint32_t i = 0; i < 4; i++)
		send_a(0, i);
	CHECK_INT(a_to_b(1, 0), PK_OK);
	CHECK_INT(a_to_b(1, 1), PK_OK);
	CHECK_INT(a_to_b(1, 1), PK_ERR_DUPLICATE);	/* delivered */
	CHECK_INT(a_to_b(1, 3), PK_OK);
	CHECK_INT(a_to_b(1, 3), PK_ERR_DUPLICATE);	/* held */
	CHECK_INT(a_to_b(1, 2), PK_OK);
	CHECK_INT(a_to_b(1, 0), PK_ERR_DUPLICATE);	/* long delivered */
	CHECK_INT(a_to_b(1, 3), PK_ERR_DUPLICATE);
	check_ppp(&sb, want, 4);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_duplicates, 4);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_late, 0);
	teardown();
}

static void
test_gap_timeout_and_late(void)
{
	const uint32_t want[] = { 0, 2, 3, 4, 6 };

	setup(NULL, NULL);
	for (uint32_t i = 0; i < 7; i++)
		send_a(0, i);
	CHECK_INT(a_to_b(0, 0), PK_OK);
	CHECK_INT(a_to_b(10, 2), PK_OK);	/* held, 1 missing */
	CHECK_INT(a_to_b(20, 6), PK_OK);	/* held */
	CHECK_INT(a_to_b(40, 3), PK_OK);	/* held */
	CHECK_INT(sb.n_ppp, 1);
	/* The ack for 0 is due at 100; the oldest held frame at 60. */
	CHECK_INT(gre_chan_next_deadline(sb.ch), 10 + GRE_REORDER_TIMEOUT_MS);
	timeout_b(59);
	CHECK_INT(sb.n_ppp, 1);
	/* At 60, 2 has waited long enough: 1 is given up, 2 and 3 go;
	 * 6 has waited only 40 ms and stays. */
	timeout_b(60);
	CHECK_INT(sb.n_ppp, 3);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_lost, 1);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 20 + GRE_REORDER_TIMEOUT_MS);
	CHECK_INT(a_to_b(61, 1), PK_ERR_LATE);	/* given up: late */
	CHECK_INT(a_to_b(62, 4), PK_OK);
	timeout_b(70);		/* 5 given up, 6 delivered */
	check_ppp(&sb, want, 5);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_lost, 2);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_late, 1);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_duplicates, 0);
	CHECK_INT(a_to_b(71, 5), PK_ERR_LATE);
	CHECK_INT(a_to_b(71, 6), PK_ERR_DUPLICATE);
	teardown();
}

static void
test_reorder_buffer_full(void)
{
	struct gre_chan_config cb;
	const uint32_t want[] = { 0, 2, 3, 4, 5, 7, 8, 9, 10, 11,
	    13, 14, 15, 16, 17 };

	gre_chan_config_default(&cb, B_ID, A_ID);
	cb.rwin = 4;		/* reorder buffer of 4 */
	setup(NULL, &cb);
	for (uint32_t i = 0; i < 18; i++)
		send_a(0, i);
	a_to_b(0, 0);
	/* 2..5 fill the buffer; 7 forces the lowest (2) out, 1 lost. */
	for (size_t k = 2; k <= 5; k++)
		CHECK_INT(a_to_b(0, k), PK_OK);
	CHECK_INT(sb.n_ppp, 1);
	CHECK_INT(a_to_b(0, 7), PK_OK);
	CHECK_INT(sb.n_ppp, 5);
	/* 7, 9, 10, 11 held; 8 is above the lowest: 7 goes (6 lost). */
	for (size_t k = 9; k <= 11; k++)
		CHECK_INT(a_to_b(0, k), PK_OK);
	CHECK_INT(a_to_b(0, 8), PK_OK);
	CHECK_INT(sb.n_ppp, 10);
	/* 14..17 held; 13 is below all of them: it goes, 12 lost. */
	for (size_t k = 14; k <= 17; k++)
		CHECK_INT(a_to_b(0, k), PK_OK);
	CHECK_INT(a_to_b(0, 13), PK_OK);
	check_ppp(&sb, want, 15);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_lost, 3);
	/* rwin 4: B acked at once after each second delivery. */
	CHECK(sb.n_gre > 0);
	if (sb.n_gre > 0)
		CHECK_INT(hdr_of(&sb.gre[sb.n_gre - 1]).ack, 17);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	teardown();
}

/* Sends 40 frames starting at start; B sees 0, then pairs swapped. */
static void
run_first_seq(uint32_t start)
{
	struct gre_chan_config ca;
	uint32_t want[40];
	struct gre_hdr h;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.tx_seq_start = start;
	setup(&ca, NULL);
	for (uint32_t i = 0; i < 40; i++) {
		send_a(0, i);
		want[i] = i;
	}
	for (size_t k = 0; k < 40; k++)
		CHECK_INT(hdr_of(&sa.gre[k]).seq, (uint32_t)(start + k));
	CHECK_INT(a_to_b(1, 0), PK_OK);
	for (size_t k = 1; k + 1 < 40; k += 2) {
		CHECK_INT(a_to_b(1, k + 1), PK_OK);
		CHECK_INT(a_to_b(1, k), PK_OK);
	}
	CHECK_INT(a_to_b(1, 39), PK_OK);
	check_ppp(&sb, want, 40);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_late, 0);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_lost, 0);
	CHECK_INT(gre_chan_stats(sb.ch)->rx_resyncs, 0);
	/* B acked at once when 31 and 32 took it past rwin/2 = 32 frames
	 * unacknowledged, then acks the rest on its timer. */
	CHECK_INT(sb.n_gre, 1);
	h = hdr_of(&sb.gre[0]);
	CHECK_INT(h.has_ack, 1);
	CHECK_INT(h.ack, (uint32_t)(start + 32));
	timeout_b(1 + GRE_ACK_TIMEOUT_MS);
	CHECK_INT(sb.n_gre, 2);
	h = hdr_of(&sb.gre[1]);
	CHECK_INT(h.has_ack, 1);
	CHECK_INT(h.has_seq, 0);
	CHECK_INT(h.ack, (uint32_t)(start + 39));
	teardown();
}

static void
test_first_seq(void)
{
	run_first_seq(0);
	run_first_seq(1);
	run_first_seq(0xfffffff0);	/* wraps after 16 packets */
	run_first_seq(0xffffffff);
	run_first_seq(0x7ffffff0);	/* crosses 2^31 */
}

static void
test_resync(void)
{
	const uint32_t want[] = { 1, 2, 4, 3, 5, 50, 9, 10 };

	setup(NULL, NULL);
	/* The peer starts at 100, then jumps GRE_RX_RESYNC_GAP ahead
	 * while 103 waits for 102. */
	CHECK_INT(craft_to_a(0, 100, 1), PK_OK);
	CHECK_INT(craft_to_a(0, 101, 2), PK_OK);
	CHECK_INT(craft_to_a(0, 103, 4), PK_OK);	/* held */
	CHECK_INT(sa.n_ppp, 2);
	CHECK_INT(craft_to_a(0, 102 + GRE_RX_RESYNC_GAP, 3), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_resyncs, 1);
	/* The held frame went first (102 given up), then the jump target;
	 * the jump itself is not counted as loss. */
	CHECK_INT(sa.n_ppp, 4);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_lost, 1);
	CHECK_INT(craft_to_a(0, 103 + GRE_RX_RESYNC_GAP, 5), PK_OK);
	/* One short of the gap is an ordinary hold, not a jump. */
	CHECK_INT(craft_to_a(0, 103 + 2 * GRE_RX_RESYNC_GAP, 50), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_resyncs, 1);
	CHECK_INT(sa.n_ppp, 5);
	/* The peer restarts at 0: far behind; the 4th in a row wins, after
	 * what was held. */
	CHECK_INT(craft_to_a(1, 0, 6), PK_ERR_LATE);
	CHECK_INT(craft_to_a(1, 1, 7), PK_ERR_LATE);
	CHECK_INT(craft_to_a(1, 2, 8), PK_ERR_LATE);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_resyncs, 1);
	CHECK_INT(craft_to_a(1, 3, 9), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_resyncs, 2);
	CHECK_INT(craft_to_a(1, 4, 10), PK_OK);
	check_ppp(&sa, want, 8);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_late, 3);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_lost, 1 + GRE_RX_RESYNC_GAP - 1);
	/* A stray packet far behind, between good ones, is only late. */
	CHECK_INT(craft_to_a(2, 0xffff0000, 11), PK_ERR_LATE);
	CHECK_INT(craft_to_a(2, 5, 12), PK_OK);
	CHECK_INT(craft_to_a(2, 0xffff0001, 13), PK_ERR_LATE);
	CHECK_INT(craft_to_a(2, 0xffff0002, 14), PK_ERR_LATE);
	CHECK_INT(craft_to_a(2, 0xffff0003, 15), PK_ERR_LATE);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_resyncs, 2);
	teardown();
}

/* ---- Send window and acks -------------------------------------------- */

static void
test_send_window(void)
{
	struct gre_chan_config ca;
	uint8_t want[12];
	struct gre_hdr h;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 4;
	setup(&ca, NULL);
	for (uint32_t i = 0; i < 10; i++)
		CHECK_INT(send_a(0, i), PK_OK);
	CHECK_INT(sa.n_gre, 4);
	CHECK_INT(gre_chan_txq_len(sa.ch), 6);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_queued, 6);
	CHECK_INT(gre_chan_next_deadline(sa.ch), GRE_WINDOW_TIMEOUT_MS);
	for (size_t k = 0; k < 4; k++)
		a_to_b(1, k);
	CHECK_INT(sb.n_ppp, 4);
	/* B owes an ack; with no data to carry it, it goes alone. */
	CHECK_INT(gre_chan_next_deadline(sb.ch), 101);
	timeout_b(101);
	CHECK_INT(sb.n_gre, 1);
	test_unhex("20 81 88 0b 00 00 00 0a 00 00 00 03", want, sizeof(want));
	CHECK_INT(sb.gre[0].len, 12);
	CHECK_MEM(sb.gre[0].b, want, 12);
	CHECK_INT(gre_chan_stats(sb.ch)->tx_acks_only, 1);
	/* The ack opens the window for four more. */
	CHECK_INT(b_to_a(102, 0), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 1);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks_only, 1);
	CHECK_INT(sa.n_gre, 8);
	CHECK_INT(gre_chan_txq_len(sa.ch), 2);
	CHECK_INT(hdr_of(&sa.gre[4]).seq, 4);
	CHECK_INT(hdr_of(&sa.gre[7]).seq, 7);
	/* Still closed, but the peer acks: the no-ack timer restarts. */
	CHECK_INT(gre_chan_next_deadline(sa.ch), 102 + GRE_WINDOW_TIMEOUT_MS);
	for (size_t k = 4; k < 8; k++)
		a_to_b(103, k);
	/* B's next data packet carries the ack (piggyback). */
	CHECK_INT(send_b(110, 500), PK_OK);
	CHECK_INT(sb.n_gre, 2);
	h = hdr_of(&sb.gre[1]);
	CHECK_INT(h.has_seq, 1);
	CHECK_INT(h.has_ack, 1);
	CHECK_INT(h.ack, 7);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	CHECK_INT(b_to_a(111, 1), PK_OK);
	CHECK_INT(sa.n_ppp, 1);
	CHECK_INT(sa.ppp[0], 500);
	CHECK_INT(sa.n_gre, 10);
	CHECK_INT(gre_chan_txq_len(sa.ch), 0);
	/* The released frames carry A's ack for B's frame. */
	h = hdr_of(&sa.gre[8]);
	CHECK_INT(h.has_ack, 1);
	CHECK_INT(h.ack, 0);
	CHECK_INT(hdr_of(&sa.gre[9]).has_ack, 0);
	CHECK_INT(gre_chan_next_deadline(sa.ch), PK_TIME_NEVER);
	CHECK_INT(gre_chan_window_enforced(sa.ch), 1);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_window_timeouts, 0);
	teardown();
}

static void
test_txq_full(void)
{
	struct gre_chan_config ca;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 1;
	setup(&ca, NULL);
	CHECK_INT(send_a(0, 0), PK_OK);
	for (uint32_t i = 1; i <= PK_GRE_TXQ_MAX; i++)
		CHECK_INT(send_a(0, i), PK_OK);
	CHECK_INT(gre_chan_txq_len(sa.ch), PK_GRE_TXQ_MAX);
	/* The newest is refused; those already queued keep their order. */
	CHECK_INT(send_a(0, 999), PK_ERR_FULL);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_queue_drops, 1);
	CHECK_INT(sa.n_gre, 1);
	/* Acks release them one at a time, in order. */
	for (uint32_t a = 0; a < 3; a++) {
		CHECK_INT(ack_to_a(1, a), PK_OK);
		CHECK_INT(sa.n_gre, a + 2);
		CHECK_INT(frame_index(sa.gre[a + 1].b + 12,
		    sa.gre[a + 1].len - 12), a + 1);
	}
	teardown();
}

static void
test_peer_never_acks(void)
{
	struct gre_chan_config ca;
	const uint64_t tmo = GRE_WINDOW_TIMEOUT_MS + 300;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 2;
	ca.peer_ppd = 3;	/* 0.3 s */
	setup(&ca, NULL);
	for (uint32_t i = 0; i < 5; i++)
		CHECK_INT(send_a(0, i), PK_OK);
	CHECK_INT(sa.n_gre, 2);
	CHECK_INT(gre_chan_next_deadline(sa.ch), tmo);
	timeout_a(tmo - 1);
	CHECK_INT(sa.n_gre, 2);
	/* No ack for the window timeout: stop enforcing, flush. */
	timeout_a(tmo);
	CHECK_INT(sa.n_gre, 5);
	CHECK_INT(gre_chan_txq_len(sa.ch), 0);
	CHECK_INT(gre_chan_window_enforced(sa.ch), 0);
	CHECK_INT(gre_chan_stats(sa.ch)->tx_window_timeouts, 1);
	CHECK_INT(gre_chan_next_deadline(sa.ch), PK_TIME_NEVER);
	/* Traffic keeps flowing without acks. */
	for (uint32_t i = 5; i < 15; i++)
		CHECK_INT(send_a(tmo + 100, i), PK_OK);
	CHECK_INT(sa.n_gre, 15);
	for (size_t k = 0; k < 15; k++)
		CHECK_INT(hdr_of(&sa.gre[k]).seq, k);
	/* A stale-looking ack still advances (3 < 15): enforce again. */
	CHECK_INT(ack_to_a(tmo + 200, 3), PK_OK);
	CHECK_INT(gre_chan_window_enforced(sa.ch), 1);
	CHECK_INT(send_a(tmo + 201, 15), PK_OK);	/* 11 outstanding */
	CHECK_INT(sa.n_gre, 15);
	CHECK_INT(gre_chan_txq_len(sa.ch), 1);
	CHECK_INT(ack_to_a(tmo + 202, 14), PK_OK);
	CHECK_INT(sa.n_gre, 16);
	CHECK_INT(gre_chan_txq_len(sa.ch), 0);
	teardown();

	/* A huge Packet Processing Delay is capped. */
	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 1;
	ca.peer_ppd = 0xffff;
	setup(&ca, NULL);
	send_a(1000, 0);
	send_a(1000, 1);
	CHECK_INT(gre_chan_next_deadline(sa.ch),
	    1000 + GRE_WINDOW_TIMEOUT_MS + GRE_PPD_CAP_MS);
	teardown();
}

static void
test_peer_without_window(void)
{
	/* peer_rwin 0 (MS-PTPT peers advertise 0 or ignore ours): never
	 * queue. */
	setup(NULL, NULL);
	for (uint32_t i = 0; i < 200; i++)
		CHECK_INT(send_a(0, i % 50), PK_OK);
	CHECK_INT(gre_chan_txq_len(sa.ch), 0);
	CHECK_INT(gre_chan_window_enforced(sa.ch), 0);
	CHECK_INT(gre_chan_next_deadline(sa.ch), PK_TIME_NEVER);
	teardown();
}

static void
test_ack_timer(void)
{
	uint8_t want[12];

	setup(NULL, NULL);
	for (uint32_t i = 0; i < 4; i++)
		send_a(0, i);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	a_to_b(1000, 0);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 1100);
	/* Later deliveries do not push the ack back. */
	a_to_b(1050, 1);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 1100);
	timeout_b(1099);
	CHECK_INT(sb.n_gre, 0);
	timeout_b(1100);
	CHECK_INT(sb.n_gre, 1);
	test_unhex("20 81 88 0b 00 00 00 0a 00 00 00 01", want, sizeof(want));
	CHECK_MEM(sb.gre[0].b, want, 12);
	/* One ack per timeout: nothing more is owed. */
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	timeout_b(1200);
	timeout_b(5000);
	CHECK_INT(sb.n_gre, 1);
	CHECK_INT(gre_chan_stats(sb.ch)->tx_acks_only, 1);
	/* New data, new timer from its arrival. */
	a_to_b(6000, 2);
	a_to_b(6090, 3);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 6100);
	timeout_b(6100);
	CHECK_INT(sb.n_gre, 2);
	CHECK_INT(hdr_of(&sb.gre[1]).ack, 3);
	CHECK_INT(hdr_of(&sb.gre[1]).has_seq, 0);
	/* Duplicates and late packets do not make us owe an ack. */
	a_to_b(6200, 3);
	a_to_b(6200, 0);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	teardown();
}

/* A peer that honours the window we advertised must not wait for the
 * ack timer: half a window unacknowledged is acked at once. */
static void
test_ack_half_window(void)
{
	struct gre_chan_config cb;

	gre_chan_config_default(&cb, B_ID, A_ID);
	cb.rwin = 8;
	setup(NULL, &cb);
	for (uint32_t i = 0; i < 12; i++)
		send_a(0, i);
	for (size_t k = 0; k < 3; k++)
		a_to_b(1, k);
	CHECK_INT(sb.n_gre, 0);
	CHECK_INT(gre_chan_next_deadline(sb.ch), 101);
	a_to_b(2, 3);
	CHECK_INT(sb.n_gre, 1);
	CHECK_INT(hdr_of(&sb.gre[0]).ack, 3);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	/* Four frames in one call: still one ack-only packet. */
	a_to_b(3, 5);
	a_to_b(3, 6);
	a_to_b(3, 7);
	CHECK_INT(sb.n_gre, 1);
	a_to_b(3, 4);
	CHECK_INT(sb.n_ppp, 8);
	CHECK_INT(sb.n_gre, 2);
	CHECK_INT(hdr_of(&sb.gre[1]).ack, 7);
	CHECK_INT(hdr_of(&sb.gre[1]).has_seq, 0);
	CHECK_INT(gre_chan_stats(sb.ch)->tx_acks_only, 2);
	/* Duplicates do not count towards it. */
	for (size_t k = 0; k < 8; k++)
		a_to_b(4, k);
	CHECK_INT(sb.n_gre, 2);
	teardown();
}

static void
test_piggyback(void)
{
	struct gre_hdr h;

	setup(NULL, NULL);
	send_a(0, 0);
	a_to_b(0, 0);
	CHECK_INT(send_b(50, 7), PK_OK);
	h = hdr_of(&sb.gre[0]);
	CHECK_INT(h.has_seq, 1);
	CHECK_INT(h.has_ack, 1);
	CHECK_INT(h.ack, 0);
	CHECK_INT(h.seq, 0);
	CHECK_INT(sb.gre[0].len, 16 + frame_make(7, (uint8_t[32]){ 0 }));
	CHECK_INT(gre_chan_stats(sb.ch)->tx_acks_piggybacked, 1);
	CHECK_INT(gre_chan_next_deadline(sb.ch), PK_TIME_NEVER);
	timeout_b(100);
	CHECK_INT(sb.n_gre, 1);
	/* Nothing owed: the next data packet carries no ack. */
	CHECK_INT(send_b(60, 8), PK_OK);
	CHECK_INT(hdr_of(&sb.gre[1]).has_ack, 0);
	CHECK_INT(sb.gre[1].len, 12 + frame_make(8, (uint8_t[32]){ 0 }));
	teardown();
}

static void
test_bad_input(void)
{
	uint8_t pkt[64];
	struct pkt p;
	size_t n;

	setup(NULL, NULL);
	/* Another call's packet. */
	send_b(0, 1);
	sb.gre[0].b[7] = 99;
	CHECK_INT(b_to_a(0, 0), PK_ERR_NOT_FOUND);
	/* Plain GRE and broken headers. */
	n = test_unhex("00 00 08 00 45 00", pkt, sizeof(pkt));
	CHECK_INT(gre_chan_input(sa.ch, 0, pkt, n, &out), PK_ERR_VERSION);
	n = test_unhex("30 01 88 0b 00 09 00 0a 00 00 00 00 01", pkt,
	    sizeof(pkt));
	CHECK_INT(gre_chan_input(sa.ch, 0, pkt, n, &out), PK_ERR_LENGTH);
	CHECK_INT(out.n_items, 0);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_errors, 3);
	CHECK_INT(gre_chan_next_deadline(sa.ch), PK_TIME_NEVER);
	/* Trailing bytes are ignored; the frame arrives intact. */
	craft(&p, 1, 77, 0, 0, 5);
	p.b[p.len++] = 0xee;
	p.b[p.len++] = 0xee;
	CHECK_INT(gre_chan_input(sa.ch, 0, p.b, p.len, &out), PK_OK);
	drain_a();
	CHECK_INT(sa.n_ppp, 1);
	CHECK_INT(sa.ppp[0], 5);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_padded, 1);
	/* Caller errors. */
	CHECK_INT(gre_chan_send(sa.ch, 0, pkt, 0, &out), PK_ERR_ARG);
	CHECK_INT(gre_chan_send(sa.ch, 0, NULL, 4, &out), PK_ERR_ARG);
	CHECK_INT(gre_chan_send(sa.ch, 0, pkt, PK_PPP_FRAME_MAX + 1, &out),
	    PK_ERR_ARG);
	CHECK_INT(out.n_items, 0);
	teardown();
}

static void
test_bogus_acks(void)
{
	struct gre_chan_config ca;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 2;
	ca.tx_seq_start = 0xfffffffe;
	setup(&ca, NULL);
	/* Before we sent anything, no ack means anything. */
	CHECK_INT(ack_to_a(0, 0xfffffffe), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 0);
	for (uint32_t i = 0; i < 4; i++)
		send_a(0, i);	/* 0xfffffffe, 0xffffffff sent; 2 queued */
	CHECK_INT(sa.n_gre, 2);
	CHECK_INT(ack_to_a(1, 0), PK_OK);		/* not sent yet */
	CHECK_INT(ack_to_a(1, 0x7ffffffe), PK_OK);	/* nonsense */
	CHECK_INT(ack_to_a(1, 0xfffffffd), PK_OK);	/* before start */
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 0);
	CHECK_INT(sa.n_gre, 2);
	CHECK_INT(ack_to_a(1, 0xfffffffe), PK_OK);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 1);
	CHECK_INT(sa.n_gre, 3);
	CHECK_INT(hdr_of(&sa.gre[2]).seq, 0);		/* wrapped */
	CHECK_INT(ack_to_a(1, 0xfffffffe), PK_OK);	/* repeated */
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 1);
	CHECK_INT(ack_to_a(1, 0), PK_OK);		/* covers 0xffffffff */
	CHECK_INT(sa.n_gre, 4);
	CHECK_INT(gre_chan_stats(sa.ch)->rx_acks, 2);
	teardown();
}

/* An ack that opens a whole window when the caller's out is nearly full
 * releases what fits and asks to be called again at once. */
static void
test_release_deferred(void)
{
	struct gre_chan_config ca;
	struct pk_out small;
	size_t released = 0;

	gre_chan_config_default(&ca, A_ID, B_ID);
	ca.peer_rwin = 8;
	setup(&ca, NULL);
	for (uint32_t i = 0; i < 16; i++)
		send_a(0, i);
	CHECK_INT(sa.n_gre, 8);
	CHECK_INT(gre_chan_txq_len(sa.ch), 8);
	/* Room for the ack-only input's output and about three packets. */
	CHECK_INT(out_init(&small, 3 * (GRE_HDR_MAX + 16 + 8) + 8, 16),
	    PK_OK);
	{
		struct pkt p;

		craft(&p, 0, 0, 1, 7, 0);
		CHECK_INT(gre_chan_input(sa.ch, 5, p.b, p.len, &small),
		    PK_OK);
	}
	CHECK_INT(small.overflow, 0);
	released = small.n_items;
	CHECK(released >= 1 && released < 8);
	CHECK_INT(gre_chan_txq_len(sa.ch), 8 - released);
	CHECK_INT(gre_chan_next_deadline(sa.ch), 5);
	out_free(&small);
	out_reset(&out);
	/* The window is open, but a new frame must not overtake. */
	CHECK_INT(send_a(5, 16), PK_OK);
	CHECK_INT(sa.n_gre, 8);
	CHECK_INT(gre_chan_txq_len(sa.ch), 8 - released + 1);
	timeout_a(5);
	/* The window (8 from seq 8) lets 8..15 go; 16 waits for an ack. */
	CHECK_INT(gre_chan_txq_len(sa.ch), 1);
	CHECK_INT(sa.n_gre, 16 - released);
	CHECK_INT(hdr_of(&sa.gre[8]).seq, 8 + released);
	for (size_t k = 8; k < sa.n_gre; k++)
		CHECK_INT(frame_index(sa.gre[k].b + 12, sa.gre[k].len - 12),
		    k + released);
	CHECK_INT(gre_chan_next_deadline(sa.ch), 5 + GRE_WINDOW_TIMEOUT_MS);
	CHECK_INT(ack_to_a(6, 8), PK_OK);
	CHECK_INT(gre_chan_txq_len(sa.ch), 0);
	CHECK_INT(frame_index(sa.gre[sa.n_gre - 1].b + 12,
	    sa.gre[sa.n_gre - 1].len - 12), 16);
	CHECK_INT(gre_chan_next_deadline(sa.ch), PK_TIME_NEVER);
	teardown();
}

/* A zeroed config gets the defaults; freeing a channel that still holds
 * and queues frames releases them (LeakSanitizer checks under ASan). */
static void
test_zero_config_and_free(void)
{
	struct gre_chan_config ca, cb;

	memset(&ca, 0, sizeof(ca));
	memset(&cb, 0, sizeof(cb));
	ca.call_id = A_ID;
	ca.peer_call_id = B_ID;
	ca.peer_rwin = 1;
	cb.call_id = B_ID;
	cb.peer_call_id = A_ID;
	setup(&ca, &cb);
	for (uint32_t i = 0; i < 5; i++)
		send_a(0, i);
	CHECK_INT(gre_chan_txq_len(sa.ch), 4);
	CHECK_INT(gre_chan_next_deadline(sa.ch), GRE_WINDOW_TIMEOUT_MS);
	craft(&sa.gre[1], 1, 1, 0, 0, 1);	/* B never saw 0: fake 1, 3 */
	craft(&sa.gre[2], 1, 3, 0, 0, 3);
	sa.gre[1].b[7] = sa.gre[2].b[7] = B_ID;
	CHECK_INT(a_to_b(0, 1), PK_OK);
	CHECK_INT(a_to_b(0, 2), PK_OK);
	CHECK_INT(sb.n_ppp, 1);
	/* rwin 0 means PK_GRE_RWIN_DEFAULT: no immediate ack; timers at
	 * their defaults. */
	CHECK_INT(gre_chan_next_deadline(sb.ch), GRE_REORDER_TIMEOUT_MS);
	timeout_b(GRE_REORDER_TIMEOUT_MS);
	CHECK_INT(sb.n_ppp, 2);
	CHECK_INT(sb.n_gre, 0);
	CHECK_INT(gre_chan_next_deadline(sb.ch), GRE_ACK_TIMEOUT_MS);
	craft(&sa.gre[3], 1, 9, 0, 0, 9);
	sa.gre[3].b[7] = B_ID;
	CHECK_INT(a_to_b(60, 3), PK_OK);	/* held when freed */
	teardown();
	gre_chan_free(NULL);
}

/* ---- Randomised network ---------------------------------------------- */

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/* True with probability pct/100. */
static int
chance(unsigned pct)
{
	return rng() % 100 < pct;
}

#define SIM_INFLIGHT 2048
#define SIM_FRAMES 8192

struct sim_pkt {
	uint64_t at;
	size_t len;
	uint8_t b[64];
};

struct sim_dir {
	struct sim_pkt q[SIM_INFLIGHT];	/* unordered; delivered by time */
	size_t n;
	uint64_t sent;
};

struct sim_end {
	struct gre_chan *ch;
	uint16_t id, peer_id;
	uint32_t offered, refused;	/* frames given to / refused by send */
	/* Receiver side oracle, by frame index of the peer's frames. */
	uint8_t arrived[SIM_FRAMES];
	uint8_t must[SIM_FRAMES];	/* first arrival was ahead */
	uint8_t got[SIM_FRAMES];
	int64_t max_got;		/* highest index delivered, -1 */
	size_t n_got;
};

static struct sim_dir net[2];	/* net[0]: A to B, net[1]: B to A */
static struct sim_end ends[2];

static void
sim_collect(int e, uint64_t now, unsigned loss, unsigned dup)
{
	struct sim_end *me = &ends[e];
	struct sim_dir *d = &net[e];

	CHECK_INT(out.overflow, 0);
	for (size_t i = 0; i < out.n_items; i++) {
		const struct out_item *it = out_item(&out, i);
		const uint8_t *p = out_data(&out, i);

		if (it->kind == OUT_PPP) {
			uint32_t idx = frame_index(p, it->len);

			CHECK_INT(it->tag, me->id);
			/* Strictly increasing, hence never twice. */
			CHECK((int64_t)idx > me->max_got);
			CHECK(idx < SIM_FRAMES);
			if (idx >= SIM_FRAMES)
				continue;
			me->max_got = idx;
			me->got[idx] = 1;
			me->n_got++;
			continue;
		}
		CHECK_INT(it->kind, OUT_GRE);
		CHECK_INT(it->tag, me->peer_id);
		CHECK(it->len <= sizeof(d->q[0].b));
		d->sent++;
		for (int copy = 0; copy < 1 + (chance(dup) ? 1 : 0); copy++) {
			struct sim_pkt *sp;

			if (chance(loss) || it->len > sizeof(d->q[0].b))
				continue;
			CHECK(d->n < SIM_INFLIGHT);
			if (d->n >= SIM_INFLIGHT)
				break;
			sp = &d->q[d->n++];
			/* 5 ms plus up to 40 ms of jitter: heavy reordering. */
			sp->at = now + 5 + rng() % 41;
			sp->len = it->len;
			memcpy(sp->b, p, it->len);
		}
	}
	out_reset(&out);
}

/* Delivers every packet due by now to the receiving end of direction d. */
static void
sim_deliver(int dir, uint64_t now, unsigned loss, unsigned dup)
{
	struct sim_dir *d = &net[dir];
	struct sim_end *rx = &ends[1 - dir];

	for (;;) {
		size_t best = SIZE_MAX;
		struct sim_pkt sp;
		struct buf_reader pl;
		struct gre_hdr h;

		for (size_t i = 0; i < d->n; i++)
			if (d->q[i].at <= now &&
			    (best == SIZE_MAX || d->q[i].at < d->q[best].at))
				best = i;
		if (best == SIZE_MAX)
			return;
		sp = d->q[best];
		d->q[best] = d->q[--d->n];
		/* Oracle: a frame ahead of everything delivered when it
		 * first arrives must come out; any other must not. */
		CHECK_INT(gre_decode(sp.b, sp.len, &h, &pl), PK_OK);
		if (h.has_seq) {
			uint32_t idx = frame_index(buf_cur(&pl),
			    buf_remaining(&pl));

			if (idx < SIM_FRAMES && !rx->arrived[idx]) {
				rx->arrived[idx] = 1;
				rx->must[idx] = (int64_t)idx > rx->max_got;
			}
		}
		(void)gre_chan_input(rx->ch, now, sp.b, sp.len, &out);
		sim_collect(1 - dir, now, loss, dup);
	}
}

static void
run_sim(uint64_t seed, uint32_t start_a, uint32_t start_b, uint16_t rwin_a,
    uint16_t rwin_b, unsigned loss, unsigned dup)
{
	struct gre_chan_config ca, cb;
	const uint64_t t_send = 4000, t_end = t_send + 3000;

	rng_state = seed;
	memset(net, 0, sizeof(net));
	memset(ends, 0, sizeof(ends));
	gre_chan_config_default(&ca, A_ID, B_ID);
	gre_chan_config_default(&cb, B_ID, A_ID);
	ca.tx_seq_start = start_a;
	cb.tx_seq_start = start_b;
	ca.peer_rwin = rwin_b;	/* what B advertised */
	cb.peer_rwin = rwin_a;
	ca.rwin = rwin_a;
	cb.rwin = rwin_b;
	CHECK_INT(gre_chan_new(&ends[0].ch, &ca), PK_OK);
	CHECK_INT(gre_chan_new(&ends[1].ch, &cb), PK_OK);
	ends[0].id = A_ID;
	ends[0].peer_id = B_ID;
	ends[1].id = B_ID;
	ends[1].peer_id = A_ID;
	ends[0].max_got = ends[1].max_got = -1;
	out_reset(&out);

	for (uint64_t now = 0; now <= t_end; now++) {
		for (int e = 0; e < 2; e++) {
			/* A sends in bursts, B trickles. */
			unsigned burst = 0;

			if (e == 0 && chance(30))
				burst = 1 + rng() % 3;
			else if (e == 1 && chance(15))
				burst = 1;

			for (unsigned k = 0; now < t_send && k < burst; k++) {
				uint8_t f[32];
				uint32_t idx = ends[e].offered++;
				size_t fl = frame_make(idx, f);
				int r = gre_chan_send(ends[e].ch, now, f, fl,
				    &out);

				if (r == PK_ERR_FULL)
					ends[e].refused++;
				else
					CHECK_INT(r, PK_OK);
				sim_collect(e, now, loss, dup);
			}
		}
		sim_deliver(0, now, loss, dup);
		sim_deliver(1, now, loss, dup);
		for (int e = 0; e < 2; e++) {
			if (gre_chan_next_deadline(ends[e].ch) <= now) {
				CHECK_INT(gre_chan_timeout(ends[e].ch, now,
				    &out), PK_OK);
				sim_collect(e, now, loss, dup);
			}
			/* A deadline is never left in the past. */
			CHECK(gre_chan_next_deadline(ends[e].ch) > now);
		}
	}
	for (int e = 0; e < 2; e++) {
		const struct gre_chan_stats *st = gre_chan_stats(ends[e].ch);
		const struct sim_end *rx = &ends[1 - e];
		size_t must = 0, missing = 0, extra = 0;

		/* Everything offered was sent or refused; nothing stuck. */
		CHECK_INT(gre_chan_txq_len(ends[e].ch), 0);
		CHECK_INT(st->tx_packets + ends[e].refused, ends[e].offered);
		CHECK_INT(st->tx_queue_drops, ends[e].refused);
		CHECK_INT(net[e].n, 0);
		for (uint32_t i = 0; i < ends[e].offered && i < SIM_FRAMES;
		    i++) {
			must += rx->must[i];
			missing += rx->must[i] && !rx->got[i];
			extra += rx->got[i] && !rx->must[i];
		}
		CHECK_INT(missing, 0);
		CHECK_INT(extra, 0);
		CHECK_INT(rx->n_got, must);
		CHECK_INT(gre_chan_stats(rx->ch)->rx_packets, rx->n_got);
		CHECK(rx->n_got > 0);
		if (loss == 0 && dup == 0) {
			/* Jitter (<= 40 ms) is below the reorder timeout:
			 * with nothing lost, everything sent arrives. */
			CHECK_INT(rx->n_got, st->tx_packets);
			CHECK_INT(gre_chan_stats(rx->ch)->rx_lost, 0);
			CHECK_INT(gre_chan_stats(rx->ch)->rx_late, 0);
		}
		if (test_failures != 0)
			fprintf(stderr, "  seed %llu dir %d: offered %u "
			    "refused %u delivered %zu lost %llu late %llu "
			    "dup %llu\n", (unsigned long long)seed, e,
			    ends[e].offered, ends[e].refused, rx->n_got,
			    (unsigned long long)gre_chan_stats(rx->ch)->rx_lost,
			    (unsigned long long)gre_chan_stats(rx->ch)->rx_late,
			    (unsigned long long)
			    gre_chan_stats(rx->ch)->rx_duplicates);
	}
	gre_chan_free(ends[0].ch);
	gre_chan_free(ends[1].ch);
}

static void
test_random_network(void)
{
	/* seed, A's first seq, B's, windows A/B, loss %, dup % */
	run_sim(1, 0, 1, 64, 64, 5, 3);
	run_sim(2, 0xffffff00, 0xfffffff0, 16, 8, 10, 5);
	run_sim(3, 0x7fffff80, 12345, 0, 0, 2, 10);
	run_sim(4, 1, 0, 4, 64, 20, 2);
	run_sim(5, 0, 0, 64, 2, 0, 0);
	run_sim(6, 0xfffffffb, 0, 32, 32, 50, 20);
}

int
main(void)
{
	CHECK_INT(out_init(&out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	RUN(test_in_order);
	RUN(test_reorder);
	RUN(test_duplicates);
	RUN(test_gap_timeout_and_late);
	RUN(test_reorder_buffer_full);
	RUN(test_first_seq);
	RUN(test_resync);
	RUN(test_send_window);
	RUN(test_txq_full);
	RUN(test_peer_never_acks);
	RUN(test_peer_without_window);
	RUN(test_ack_timer);
	RUN(test_ack_half_window);
	RUN(test_piggyback);
	RUN(test_bad_input);
	RUN(test_bogus_acks);
	RUN(test_release_deferred);
	RUN(test_zero_config_and_free);
	RUN(test_random_network);
	out_free(&out);
	TEST_MAIN_END();
}
