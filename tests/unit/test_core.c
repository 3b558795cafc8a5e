/* test_core.c - the cursor, the result list and the rate limiter. */
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/out.h"
#include "test.h"

static void
test_reader_bounds(void)
{
	const uint8_t data[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct buf_reader rd, sub;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	buf_reader_init(&rd, data, sizeof(data));
	CHECK_INT(buf_get_u16(&rd, &v16), PK_OK);
	CHECK_INT(v16, 0x1234);
	/* A failed get leaves the cursor where it was. */
	CHECK_INT(buf_get_u32(&rd, &v32), PK_ERR_SHORT);
	CHECK_INT(buf_remaining(&rd), 3);
	CHECK_INT(buf_peek_u8(&rd, 2, &v8), PK_OK);
	CHECK_INT(v8, 0x9a);
	CHECK_INT(buf_peek_u8(&rd, 3, &v8), PK_ERR_SHORT);
	CHECK_INT(buf_peek_u16(&rd, 2, &v16), PK_ERR_SHORT);
	CHECK_INT(buf_get_sub(&rd, 4, &sub), PK_ERR_SHORT);
	CHECK_INT(buf_get_sub(&rd, 2, &sub), PK_OK);
	CHECK_INT(buf_remaining(&sub), 2);
	CHECK_INT(buf_get_u16_le(&sub, &v16), PK_OK);
	CHECK_INT(v16, 0x7856);
	CHECK_INT(buf_expect_end(&sub), PK_OK);
	CHECK_INT(buf_expect_end(&rd), PK_ERR_LONG);
	CHECK_INT(buf_skip(&rd, 2), PK_ERR_SHORT);
	CHECK_INT(buf_skip(&rd, 1), PK_OK);
	CHECK_INT(buf_get_u8(&rd, &v8), PK_ERR_SHORT);
	/* Huge lengths must not wrap the bounds check. */
	buf_reader_init(&rd, data, sizeof(data));
	CHECK_INT(buf_skip(&rd, SIZE_MAX), PK_ERR_SHORT);
	CHECK_INT(buf_peek_u8(&rd, SIZE_MAX, &v8), PK_ERR_SHORT);
}

static void
test_writer_bounds(void)
{
	uint8_t mem[8];
	struct buf_writer w;
	const uint8_t want[] = { 0xab, 0x00, 0x05, 'h', 'i', 0, 0 };

	buf_writer_init(&w, mem, 7);
	CHECK_INT(buf_put_u8(&w, 0xab), PK_OK);
	CHECK_INT(buf_put_u16(&w, 0), PK_OK);
	CHECK_INT(buf_put_padded_str(&w, "hi", 4), PK_OK);
	CHECK_INT(buf_set_u16_at(&w, 1, 5), PK_OK);
	CHECK_INT(w.len, 7);
	CHECK_MEM(mem, want, 7);
	CHECK_INT(buf_put_u8(&w, 1), PK_ERR_SPACE);
	CHECK_INT(w.err, PK_ERR_SPACE);
	CHECK_INT(w.len, 7);
	CHECK_INT(buf_set_u16_at(&w, 6, 1), PK_ERR_ARG);
}

static void
test_out_list(void)
{
	struct pk_out o;
	struct pk_event ev;
	uint32_t payload = 0xdeadbeef, back = 0;

	CHECK_INT(out_init(&o, 256, 4), PK_OK);
	CHECK_INT(out_put(&o, OUT_GRE, 7, "abc", 3), PK_OK);
	CHECK_INT(out_event(&o, EV_SRC_PPP, 2, -5, 9, &payload,
	    sizeof(payload), "down: %s", "because"), PK_OK);
	CHECK_INT(o.n_items, 2);
	CHECK_INT(out_item(&o, 0)->tag, 7);
	CHECK_MEM(out_data(&o, 0), "abc", 3);
	CHECK_INT(out_get_event(&o, 0, &ev), PK_ERR_TYPE);
	CHECK_INT(out_get_event(&o, 1, &ev), PK_OK);
	CHECK_STR(ev.text, "down: because");
	CHECK_INT(ev.code, -5);
	CHECK_INT(out_event_payload(&o, 1, &back, 2), PK_ERR_LENGTH);
	CHECK_INT(out_event_payload(&o, 1, &back, 4), PK_OK);
	CHECK_INT(back, 0xdeadbeef);
	/* Arena exhaustion is reported, not overrun. */
	CHECK_INT(out_put(&o, OUT_IP, 0, NULL, 250), PK_ERR_FULL);
	CHECK_INT(o.overflow, 1);
	out_reset(&o);
	CHECK_INT(o.n_items, 0);
	out_free(&o);
}

static void
test_ratelimit(void)
{
	struct pk_ratelimit rl;
	uint32_t sup;
	int allowed = 0;

	pk_ratelimit_init(&rl, 1000, 3);
	for (int i = 0; i < 10; i++)
		allowed += pk_ratelimit_ok(&rl, 100 + (uint64_t)i, &sup);
	CHECK_INT(allowed, 3);
	CHECK_INT(pk_ratelimit_ok(&rl, 1200, &sup), 1);
	CHECK_INT(sup, 7);
}

int
main(void)
{
	RUN(test_reader_bounds);
	RUN(test_writer_bounds);
	RUN(test_out_list);
	RUN(test_ratelimit);
	TEST_MAIN_END();
}
