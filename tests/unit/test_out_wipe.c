/*
 * test_out_wipe.c - the result arena is wiped by out_reset() (a PAP
 * password travels in an event payload through it), including an item
 * begun and never committed, and only as far as it was used.
 */
#include "core/err.h"
#include "core/out.h"
#include "test.h"

static int
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
test_reset_wipes(void)
{
	struct pk_out o;
	struct buf_writer w;
	static const char secret[] = "correct horse battery staple";

	CHECK_INT(out_init(&o, 4096, 16), PK_OK);
	memset(o.arena, 0, o.arena_cap);
	CHECK_INT(out_event(&o, EV_SRC_PPP, 1, 0, 7, secret, sizeof(secret),
	    "auth request"), PK_OK);
	CHECK_INT(out_put(&o, OUT_CTRL, 0, secret, sizeof(secret)), PK_OK);
	/* An item begun and abandoned (a failed encode) also held data. */
	CHECK_INT(out_begin(&o, 100, &w), PK_OK);
	CHECK_INT(buf_put_bytes(&w, secret, sizeof(secret)), PK_OK);
	CHECK(!all_zero(o.arena, o.arena_cap));
	CHECK(o.arena_dirty >= o.arena_used + sizeof(secret));
	CHECK(o.arena_dirty < 1024);	/* only what was used */
	out_reset(&o);
	CHECK(all_zero(o.arena, o.arena_cap));
	CHECK_INT(o.arena_dirty, 0);
	CHECK_INT(o.n_items, 0);
	/* Still usable. */
	CHECK_INT(out_put(&o, OUT_CTRL, 0, "x", 1), PK_OK);
	CHECK_INT(out_item(&o, 0)->len, 1);
	out_free(&o);
}

int
main(void)
{
	RUN(test_reset_wipes);
	TEST_MAIN_END();
}
