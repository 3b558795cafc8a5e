/*
 * test_pptp_callid.c - random Call IDs (pptp/callid.c): unique, never 0,
 * not sequential, not reused within the quarantine, and still handed out
 * when the space is crowded; and the PNS side's per-connection IDs.
 */
#include <stdlib.h>

#include "core/err.h"
#include "core/rand.h"
#include "pptp/callid.h"
#include "test.h"

static struct callid_pool pool;

static void
test_unique_nonzero(void)
{
	static uint8_t seen[CALLID_SPACE];
	uint16_t id;

	callid_pool_init(&pool, 60000);
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < 30000; i++) {
		CHECK_INT(callid_alloc(&pool, 1000, &id), PK_OK);
		CHECK(id != 0);
		CHECK_INT(seen[id], 0);
		seen[id] = 1;
	}
	CHECK_INT(pool.in_use, 30000);
}

/* Consecutive IDs look unrelated: a sequential allocator gives a
 * difference of 1 every time; random IDs land within +-64 of the previous
 * one about once in 512. */
static void
test_not_sequential(void)
{
	uint16_t prev = 0, id;
	int near = 0;

	callid_pool_init(&pool, 60000);
	for (int i = 0; i < 2000; i++) {
		CHECK_INT(callid_alloc(&pool, 1000 + (uint64_t)i, &id), PK_OK);
		if (i > 0 && abs((int)id - (int)prev) <= 64)
			near++;
		callid_release(&pool, 1000 + (uint64_t)i, id);
		prev = id;
	}
	CHECK(near < 20);
}

static void
test_quarantine(void)
{
	static uint8_t recent[CALLID_SPACE];
	uint16_t id;

	callid_pool_init(&pool, 60000);
	memset(recent, 0, sizeof(recent));
	/* One call at a time for 5,000 calls inside one minute: no ID may
	 * come back while its quarantine lasts. */
	for (int i = 0; i < 5000; i++) {
		CHECK_INT(callid_alloc(&pool, 1000 + (uint64_t)i, &id), PK_OK);
		CHECK_INT(recent[id], 0);
		recent[id] = 1;
		callid_release(&pool, 1000 + (uint64_t)i, id);
		CHECK(callid_taken(&pool, id));
	}
	CHECK_INT(pool.in_use, 0);
	CHECK_INT(pool.q_len, 5000);
	/* After the quarantine the IDs are free again. */
	CHECK_INT(callid_alloc(&pool, 1000 + 60000 + 5000, &id), PK_OK);
	CHECK_INT(pool.q_len, 0);
}

static void
test_crowded_and_full(void)
{
	uint16_t id, last = 0;

	callid_pool_init(&pool, 60000);
	for (int i = 0; i < CALLID_SPACE - 1; i++) {
		CHECK_INT(callid_alloc(&pool, 1, &id), PK_OK);
		last = id;
	}
	CHECK_INT(callid_alloc(&pool, 1, &id), PK_ERR_FULL);
	/* One freed ID in quarantine is still handed out rather than none:
	 * a full server refuses calls for want of room, not of age. */
	callid_release(&pool, 2, last);
	CHECK_INT(callid_alloc(&pool, 3, &id), PK_OK);
	CHECK_INT(id, last);
	/* Releasing 0 or an unknown ID changes nothing. */
	callid_release(&pool, 4, 0);
	CHECK_INT(pool.in_use, CALLID_SPACE - 1);
}

static void
test_quarantine_ring_bounded(void)
{
	uint16_t id;

	callid_pool_init(&pool, 3600000);
	/* More frees than the ring holds, all inside the quarantine: the
	 * oldest leave it early, nothing overflows. */
	for (int i = 0; i < CALLID_QUARANTINE_MAX + 500; i++) {
		CHECK_INT(callid_alloc(&pool, 10, &id), PK_OK);
		callid_release(&pool, 10, id);
	}
	CHECK_INT(pool.q_len, CALLID_QUARANTINE_MAX);
	CHECK_INT(pool.in_use, 0);
}

int
main(void)
{
	RUN(test_unique_nonzero);
	RUN(test_not_sequential);
	RUN(test_quarantine);
	RUN(test_crowded_and_full);
	RUN(test_quarantine_ring_bounded);
	TEST_MAIN_END();
}
