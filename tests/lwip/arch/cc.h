/*
 * arch/cc.h - lwIP's compiler and platform glue for the test peer:
 * diagnostics go through the harness, randomness comes from its seeded
 * generator so runs are reproducible.
 */
#ifndef PK_LWIP_ARCH_CC_H
#define PK_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LWIP_TIMEVAL_PRIVATE 0
#include <sys/time.h>

/* Defined in lwip_peer.c. */
void lwip_peer_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void lwip_peer_assert(const char *msg, const char *file, int line)
    __attribute__((noreturn));
uint32_t lwip_peer_rand(void);

#define LWIP_PLATFORM_DIAG(x)	do { lwip_peer_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	lwip_peer_assert((x), __FILE__, __LINE__)
#define LWIP_RAND()		lwip_peer_rand()

#endif
