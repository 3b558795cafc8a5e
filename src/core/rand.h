/*
 * rand.h - the one source of randomness for the cores (challenges, magic
 * numbers, call IDs). Production uses getrandom(2); tests install a seeded
 * deterministic source so that in-memory runs are reproducible.
 */
#ifndef PK_CORE_RAND_H
#define PK_CORE_RAND_H

#include <stddef.h>
#include <stdint.h>

typedef void pk_rand_fn(void *buf, size_t n, void *arg);

/* Fills buf with n random bytes. Aborts if the kernel source fails: a
 * predictable challenge would be worse than no service. */
void pk_rand_bytes(void *buf, size_t n);
uint32_t pk_rand_u32(void);
/* NULL restores getrandom(2). */
void pk_rand_set_source(pk_rand_fn *fn, void *arg);
/* A deterministic source (xorshift), for tests and fuzzing only. */
void pk_rand_use_seeded(uint64_t seed);

#endif
