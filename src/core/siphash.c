/* siphash.c - SipHash-2-4 (see siphash.h). */
#include "core/siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* Little-endian load of n <= 8 bytes. */
static uint64_t
load_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint64_t
pk_siphash24(const uint8_t key[PK_SIPHASH_KEY_LEN], const void *data,
    size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = load_le(key, 8), k1 = load_le(key + 8, 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i;

	/* Compression: two rounds per 8-byte word. */
	for (i = 0; i + 8 <= len; i += 8) {
		m = load_le(in + i, 8);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	/* The last word: what is left, and the length in the top byte. */
	b |= load_le(in + i, len - i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	/* Finalisation: four rounds. */
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
