/* rand.c - getrandom(2) by default, a seeded xorshift for tests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "core/rand.h"

static pk_rand_fn *rand_fn;
static void *rand_arg;
static uint64_t seeded_state;

void
pk_rand_set_source(pk_rand_fn *fn, void *arg)
{
	rand_fn = fn;
	rand_arg = arg;
}

static void
seeded_fill(void *buf, size_t n, void *arg)
{
	uint8_t *p = buf;

	(void)arg;
	for (size_t i = 0; i < n; i++) {
		seeded_state ^= seeded_state << 13;
		seeded_state ^= seeded_state >> 7;
		seeded_state ^= seeded_state << 17;
		p[i] = (uint8_t)(seeded_state >> 24);
	}
}

void
pk_rand_use_seeded(uint64_t seed)
{
	seeded_state = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
	pk_rand_set_source(seeded_fill, NULL);
}

void
pk_rand_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t done = 0;

	if (rand_fn != NULL) {
		rand_fn(buf, n, rand_arg);
		return;
	}
	while (done < n) {
		ssize_t k = getrandom(p + done, n - done, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			perror("getrandom");
			abort();
		}
		done += (size_t)k;
	}
}

uint32_t
pk_rand_u32(void)
{
	uint8_t b[4];

	pk_rand_bytes(b, sizeof(b));
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	    ((uint32_t)b[2] << 8) | b[3];
}
