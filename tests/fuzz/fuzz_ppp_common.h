/*
 * fuzz_ppp_common.h - what fuzz_ppp.c and its corpus generator
 * (gen_fuzz_ppp.c) must agree on: the meaning of the selector byte, the
 * per-side random streams and the input framing.
 *
 * Input: selector byte, then records "len, len bytes"; a record of length
 * 0 advances the clock by 3 s and runs ppp_timeout(). Selector bits:
 *   0     role: 0 server (fed the client's frames), 1 client
 *   1-2   authentication: PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2
 *   3-4   MPPE: deny, allow, require 128, require 40/56/128
 *   5     stateful MPPE required (else allowed)
 *   6     IPV6CP on
 */
#ifndef PK_FUZZ_PPP_COMMON_H
#define PK_FUZZ_PPP_COMMON_H

#include <stdint.h>
#include <string.h>

#include "ppp/ppp.h"
#include "../unit/ppp_harness.h"

#define FZ_ROLE_CLIENT 0x01
#define FZ_TIME_STEP 3000
/* Each side draws from its own stream so that a side replayed alone
 * makes the same random choices (magic numbers, challenges) it made in
 * the two-sided session the corpus was captured from. */
#define FZ_SEED_SERVER 0x5eed5eed00000001ull
#define FZ_SEED_CLIENT 0x5eed5eed00000002ull

static inline void
fz_rand(void *buf, size_t n, void *arg)
{
	uint64_t *x = arg;
	uint8_t *b = buf;

	for (size_t i = 0; i < n; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		b[i] = (uint8_t)(*x >> 32);
	}
}

static inline void
fz_config(uint8_t sel, struct ppp_config *c)
{
	static const unsigned auths[4] = { PK_AUTH_PAP, PK_AUTH_CHAP_MD5,
	    PK_AUTH_MSCHAPV1, PK_AUTH_MSCHAPV2 };

	h_config(c, !(sel & FZ_ROLE_CLIENT));
	c->policy.auth = auths[(sel >> 1) & 3];
	switch ((sel >> 3) & 3) {
	case 0:
		c->policy.mppe = PK_MPPE_DENY;
		break;
	case 1:
		c->policy.mppe = PK_MPPE_ALLOW;
		break;
	case 2:
		c->policy.mppe = PK_MPPE_REQUIRE;
		break;
	default:
		c->policy.mppe = PK_MPPE_REQUIRE;
		c->policy.mppe_bits = PK_MPPE_40 | PK_MPPE_56 | PK_MPPE_128;
		break;
	}
	c->policy.mppe_stateful = (sel & 0x20) ? PK_STATEFUL_REQUIRE :
	    PK_STATEFUL_ALLOW;
	c->ipv6 = (sel & 0x40) != 0;
}

#endif
