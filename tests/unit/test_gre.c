/* test_gre.c - the enhanced GRE header codec (RFC 2637 §4.1), from raw
 * wire bytes. */
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "gre/gre.h"
#include "test.h"

struct decode_case {
	const char *name;
	const char *hex;
	int err;		/* gre_decode() */
	int peek_err;		/* gre_peek_call_id() */
	uint16_t call_id;	/* when peek_err == 0 */
	/* Expected fields when err == 0. */
	int has_seq, has_ack;
	uint32_t seq, ack;
	const char *payload_hex;
	size_t padding;
};

/* A refused packet: decode error, peek error (Call ID 42 if peek passes). */
#define BAD(name, hex, err, peek_err) \
	{ name, hex, err, peek_err, 42, 0, 0, 0, 0, "", 0 }

static const struct decode_case decode_cases[] = {
	{ "data S only",
	  "30 01 88 0b 00 04 00 2a 00 00 00 05 c0 21 01 02",
	  PK_OK, PK_OK, 42, 1, 0, 5, 0, "c0 21 01 02", 0 },
	{ "data S+A",
	  "30 81 88 0b 00 03 ab cd 00 00 00 10 00 00 00 0f ff 03 21",
	  PK_OK, PK_OK, 0xabcd, 1, 1, 16, 15, "ff 03 21", 0 },
	{ "ack only (ack in the sequence number's place)",
	  "20 81 88 0b 00 00 00 2a 00 00 00 07",
	  PK_OK, PK_OK, 42, 0, 1, 0, 7, "", 0 },
	{ "MS-PTPT §4 sample header, seq/ack 15, call 64234",
	  "30 81 88 0b 00 0c fa ea 00 00 00 0f 00 00 00 0f"
	  " ff 03 c0 21 09 01 00 08 11 22 33 44",
	  PK_OK, PK_OK, 0xfaea, 1, 1, 15, 15,
	  "ff 03 c0 21 09 01 00 08 11 22 33 44", 0 },
	{ "sequence number wraps",
	  "30 01 88 0b 00 01 00 01 ff ff ff ff 7e",
	  PK_OK, PK_OK, 1, 1, 0, 0xffffffff, 0, "7e", 0 },
	{ "bytes after Payload Length are padding",
	  "30 01 88 0b 00 02 00 2a 00 00 00 05 c0 21 00 00 00",
	  PK_OK, PK_OK, 42, 1, 0, 5, 0, "c0 21", 3 },
	{ "ack only with padding",
	  "20 81 88 0b 00 00 00 2a 00 00 00 07 00",
	  PK_OK, PK_OK, 42, 0, 1, 0, 7, "", 1 },

	BAD("empty", "", PK_ERR_SHORT, PK_ERR_SHORT),
	BAD("3 bytes", "30 01 88", PK_ERR_SHORT, PK_ERR_SHORT),
	BAD("version 0, IPv4 (RFC 2784)", "00 00 08 00 45 00 00 14",
	  PK_ERR_VERSION, PK_ERR_VERSION),
	BAD("version 0 with key and seq (RFC 2890), PPP",
	  "30 00 88 0b 00 04 00 2a 00 00 00 05 c0 21 01 02",
	  PK_ERR_VERSION, PK_ERR_VERSION),
	BAD("version 0, 4-byte header only", "00 00 88 0b",
	  PK_ERR_VERSION, PK_ERR_VERSION),
	BAD("version 2", "30 02 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VERSION, PK_ERR_VERSION),
	BAD("version 7", "30 07 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VERSION, PK_ERR_VERSION),
	BAD("version 1, protocol IPv4",
	  "30 01 08 00 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_TYPE, PK_ERR_TYPE),
	BAD("version 1, protocol 0x880a",
	  "30 01 88 0a 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_TYPE, PK_ERR_TYPE),
	BAD("C set", "b0 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("R set", "70 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("strict source route set",
	  "38 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("recursion control 1", "31 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("recursion control 4", "34 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("flags bit 12", "30 09 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("flags bit 9", "30 41 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("K clear", "10 01 88 0b 00 01 00 2a 00 00 00 05 7e",
	  PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("K clear, short", "10 01 88 0b", PK_ERR_VALUE, PK_ERR_VALUE),
	BAD("6 bytes", "30 01 88 0b 00 04", PK_ERR_SHORT, PK_ERR_SHORT),
	BAD("7 bytes", "30 01 88 0b 00 04 00", PK_ERR_SHORT, PK_ERR_SHORT),
	BAD("S set, sequence number missing", "30 01 88 0b 00 00 00 2a",
	  PK_ERR_SHORT, PK_OK),
	BAD("S set, sequence number cut", "30 01 88 0b 00 00 00 2a 00 00 00",
	  PK_ERR_SHORT, PK_OK),
	BAD("S+A, ack missing", "30 81 88 0b 00 01 00 2a 00 00 00 01",
	  PK_ERR_SHORT, PK_OK),
	BAD("A only, ack missing", "20 81 88 0b 00 00 00 2a",
	  PK_ERR_SHORT, PK_OK),
	BAD("neither S nor A", "20 01 88 0b 00 00 00 2a",
	  PK_ERR_VALUE, PK_OK),
	BAD("neither S nor A, with payload", "20 01 88 0b 00 01 00 2a 7e",
	  PK_ERR_VALUE, PK_OK),
	BAD("S set, zero-length payload",
	  "30 01 88 0b 00 00 00 2a 00 00 00 01",
	  PK_ERR_LENGTH, PK_OK),
	BAD("S set, zero length, bytes follow",
	  "30 01 88 0b 00 00 00 2a 00 00 00 01 c0 21",
	  PK_ERR_LENGTH, PK_OK),
	BAD("ack only with a payload",
	  "20 81 88 0b 00 02 00 2a 00 00 00 07 c0 21",
	  PK_ERR_LENGTH, PK_OK),
	BAD("Payload Length one more than the bytes",
	  "30 01 88 0b 00 05 00 2a 00 00 00 01 c0 21 01 02",
	  PK_ERR_LENGTH, PK_OK),
	BAD("Payload Length 0xffff",
	  "30 81 88 0b ff ff 00 2a 00 00 00 01 00 00 00 00 c0 21",
	  PK_ERR_LENGTH, PK_OK),
};

static void
test_decode_table(void)
{
	uint8_t pkt[256], want[256];
	struct buf_reader payload;
	struct gre_hdr h;
	uint16_t call_id;

	for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]);
	    i++) {
		const struct decode_case *c = &decode_cases[i];
		size_t len = test_unhex(c->hex, pkt, sizeof(pkt));
		int r;

		test_current = c->name;
		r = gre_decode(pkt, len, &h, &payload);
		CHECK_INT(r, c->err);
		CHECK_INT(gre_peek_call_id(pkt, len, &call_id), c->peek_err);
		if (c->peek_err == PK_OK)
			CHECK_INT(call_id, c->call_id);
		if (r != PK_OK || c->err != PK_OK)
			continue;
		CHECK_INT(h.has_seq, c->has_seq);
		CHECK_INT(h.has_ack, c->has_ack);
		CHECK_INT(h.call_id, c->call_id);
		if (c->has_seq)
			CHECK_INT(h.seq, c->seq);
		if (c->has_ack)
			CHECK_INT(h.ack, c->ack);
		CHECK_INT(h.padding, c->padding);
		size_t wl = test_unhex(c->payload_hex, want, sizeof(want));
		CHECK_INT(h.payload_len, wl);
		CHECK_INT(buf_remaining(&payload), wl);
		if (buf_remaining(&payload) == wl)
			CHECK_MEM(buf_cur(&payload), want, wl);
	}
	test_current = "test_decode_table";
}

/* The length cap applies even when the bytes are all there. */
static void
test_decode_length_cap(void)
{
	static uint8_t pkt[12 + PK_PPP_FRAME_MAX + 1];
	struct buf_reader payload;
	struct gre_hdr h;
	size_t n = test_unhex("30 01 88 0b 08 01 00 2a 00 00 00 01", pkt,
	    sizeof(pkt));

	CHECK_INT(n, 12);
	/* 0x0801 = PK_PPP_FRAME_MAX + 1 */
	CHECK_INT(PK_PPP_FRAME_MAX + 1, 0x0801);
	CHECK_INT(gre_decode(pkt, sizeof(pkt), &h, &payload), PK_ERR_LENGTH);
	/* Exactly the cap is fine. */
	pkt[4] = 0x08;
	pkt[5] = 0x00;
	CHECK_INT(gre_decode(pkt, sizeof(pkt), &h, &payload), PK_OK);
	CHECK_INT(h.payload_len, PK_PPP_FRAME_MAX);
	CHECK_INT(h.padding, 1);
}

struct encode_case {
	const char *name;
	struct gre_hdr h;
	const char *payload_hex;
	const char *want_hex;
};

static const struct encode_case encode_cases[] = {
	{ "data S only", { .has_seq = 1, .call_id = 42, .seq = 5 },
	  "c0 21 01 02",
	  "30 01 88 0b 00 04 00 2a 00 00 00 05 c0 21 01 02" },
	{ "data S+A",
	  { .has_seq = 1, .has_ack = 1, .call_id = 0xabcd, .seq = 16,
	    .ack = 15 },
	  "ff 03 21",
	  "30 81 88 0b 00 03 ab cd 00 00 00 10 00 00 00 0f ff 03 21" },
	{ "ack only", { .has_ack = 1, .call_id = 42, .ack = 7 }, "",
	  "20 81 88 0b 00 00 00 2a 00 00 00 07" },
	{ "ack only, ack 0xfffffffe",
	  { .has_ack = 1, .call_id = 0xffff, .ack = 0xfffffffe }, "",
	  "20 81 88 0b 00 00 ff ff ff ff ff fe" },
	/* payload_len in h is ignored: len is what is written. */
	{ "payload_len field ignored",
	  { .has_seq = 1, .payload_len = 99, .call_id = 1, .seq = 0 },
	  "7e", "30 01 88 0b 00 01 00 01 00 00 00 00 7e" },
};

static void
test_encode_table(void)
{
	uint8_t payload[64], want[128], mem[128];
	struct buf_reader pr;
	struct buf_writer w;
	struct gre_hdr back;

	for (size_t i = 0; i < sizeof(encode_cases) / sizeof(encode_cases[0]);
	    i++) {
		const struct encode_case *c = &encode_cases[i];
		size_t pl = test_unhex(c->payload_hex, payload,
		    sizeof(payload));
		size_t wl = test_unhex(c->want_hex, want, sizeof(want));

		test_current = c->name;
		CHECK_INT(gre_hdr_len(&c->h), wl - pl);
		buf_writer_init(&w, mem, sizeof(mem));
		CHECK_INT(gre_encode(&w, &c->h, payload, pl), PK_OK);
		CHECK_INT(w.len, wl);
		if (w.len == wl)
			CHECK_MEM(mem, want, wl);
		/* And back. */
		CHECK_INT(gre_decode(mem, w.len, &back, &pr), PK_OK);
		CHECK_INT(back.has_seq, c->h.has_seq);
		CHECK_INT(back.has_ack, c->h.has_ack);
		CHECK_INT(back.call_id, c->h.call_id);
		CHECK_INT(back.seq, c->h.has_seq ? c->h.seq : 0);
		CHECK_INT(back.ack, c->h.has_ack ? c->h.ack : 0);
		CHECK_INT(buf_remaining(&pr), pl);
		/* One byte short of room: PK_ERR_SPACE, nothing written. */
		buf_writer_init(&w, mem, wl - 1);
		CHECK_INT(gre_encode(&w, &c->h, payload, pl), PK_ERR_SPACE);
		CHECK_INT(w.len, 0);
		CHECK_INT(w.err, PK_ERR_SPACE);
	}
	test_current = "test_encode_table";
}

static void
test_encode_refuses(void)
{
	static uint8_t big[PK_PPP_FRAME_MAX + 1];
	static uint8_t mem[PK_GRE_PACKET_MAX + 16];
	struct gre_hdr data = { .has_seq = 1, .call_id = 1 };
	struct gre_hdr ack = { .has_ack = 1, .call_id = 1 };
	struct gre_hdr none = { .call_id = 1 };
	struct buf_writer w;

	buf_writer_init(&w, mem, sizeof(mem));
	CHECK_INT(gre_encode(&w, &data, big, 0), PK_ERR_ARG);
	CHECK_INT(gre_encode(&w, &data, NULL, 4), PK_ERR_ARG);
	CHECK_INT(gre_encode(&w, &data, big, PK_PPP_FRAME_MAX + 1),
	    PK_ERR_ARG);
	CHECK_INT(gre_encode(&w, &ack, big, 1), PK_ERR_ARG);
	CHECK_INT(gre_encode(&w, &none, NULL, 0), PK_ERR_ARG);
	CHECK_INT(gre_encode(&w, &none, big, 1), PK_ERR_ARG);
	CHECK_INT(w.len, 0);
	CHECK_INT(w.err, 0);
	CHECK_INT(gre_encode(&w, &data, big, PK_PPP_FRAME_MAX), PK_OK);
	CHECK_INT(w.len, 12 + PK_PPP_FRAME_MAX);
	CHECK(w.len <= PK_GRE_PACKET_MAX);
}

int
main(void)
{
	RUN(test_decode_table);
	RUN(test_decode_length_cap);
	RUN(test_encode_table);
	RUN(test_encode_refuses);
	TEST_MAIN_END();
}
