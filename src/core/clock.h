/*
 * clock.h - time as the cores see it: milliseconds on a monotonic clock,
 * passed in by the caller. Deadlines are absolute; PK_TIME_NEVER means
 * "no timer armed". Only the Linux glue reads the real clock.
 */
#ifndef PK_CORE_CLOCK_H
#define PK_CORE_CLOCK_H

#include <stdint.h>

#define PK_TIME_NEVER UINT64_MAX

/* CLOCK_MONOTONIC in milliseconds. For the glue, never for the cores. */
uint64_t pk_clock_ms(void);

static inline uint64_t
pk_deadline_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#endif
