/* clock.c - the monotonic clock for the Linux glue. */
#include <time.h>

#include "core/clock.h"

uint64_t
pk_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
