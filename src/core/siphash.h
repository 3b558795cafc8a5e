/*
 * siphash.h - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012): the keyed hash that places remote-chosen keys
 * (source addresses, user names) in pptpkit's bounded tables, so that a
 * peer cannot aim many keys at one bucket. Nettle 3.8 has no SipHash;
 * this is the reference algorithm, checked against the paper's vector in
 * tests/unit/test_guard.c.
 */
#ifndef PK_CORE_SIPHASH_H
#define PK_CORE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define PK_SIPHASH_KEY_LEN 16

/* The 64-bit SipHash-2-4 of len bytes at data under key. */
uint64_t pk_siphash24(const uint8_t key[PK_SIPHASH_KEY_LEN],
    const void *data, size_t len);

#endif
