/* log.c - the default stderr sink, level filter and rate limiter. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

static int log_level = PK_LOG_INFO;
static pk_log_sink_fn *log_sink;
static void *log_sink_arg;
static int log_timestamps;

void
pk_log_set_level(int level)
{
	log_level = level;
}

int
pk_log_get_level(void)
{
	return log_level;
}

void
pk_log_set_sink(pk_log_sink_fn *fn, void *arg)
{
	log_sink = fn;
	log_sink_arg = arg;
}

void
pk_log_set_timestamps(int on)
{
	log_timestamps = on;
}

const char *
pk_log_level_name(int level)
{
	static const char *const names[] = {
		"error", "warning", "notice", "info", "debug"
	};

	if (level < 0 || level > PK_LOG_DEBUG)
		return "?";
	return names[level];
}

void
pk_vlog(int level, const char *ctx, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n = 0;
	int k;

	if (level > log_level)
		return;
	if (log_timestamps) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
		k = snprintf(line + n, sizeof(line) - n, ".%03ldZ ",
		    ts.tv_nsec / 1000000);
		if (k > 0)
			n += (size_t)k;
	}
	k = snprintf(line + n, sizeof(line) - n, "%s: ",
	    pk_log_level_name(level));
	if (k > 0 && (size_t)k < sizeof(line) - n)
		n += (size_t)k;
	if (ctx != NULL && ctx[0] != '\0') {
		k = snprintf(line + n, sizeof(line) - n, "%s ", ctx);
		if (k > 0 && (size_t)k < sizeof(line) - n)
			n += (size_t)k;
	}
	if (n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/* One event, one line: fold any newline a peer smuggled in. */
	for (char *p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (log_sink != NULL)
		log_sink(level, line, log_sink_arg);
	else
		fprintf(stderr, "%s\n", line);
}

void
pk_log(int level, const char *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pk_vlog(level, ctx, fmt, ap);
	va_end(ap);
}

void
pk_ratelimit_init(struct pk_ratelimit *rl, uint32_t interval_ms,
    uint32_t burst)
{
	memset(rl, 0, sizeof(*rl));
	rl->interval_ms = interval_ms;
	rl->burst = burst;
}

int
pk_ratelimit_ok(struct pk_ratelimit *rl, uint64_t now_ms,
    uint32_t *suppressed_out)
{
	if (suppressed_out != NULL)
		*suppressed_out = 0;
	if (rl->count == 0 || now_ms - rl->window_start_ms >= rl->interval_ms) {
		if (suppressed_out != NULL)
			*suppressed_out = rl->suppressed;
		rl->window_start_ms = now_ms;
		rl->count = 1;
		rl->suppressed = 0;
		return 1;
	}
	if (rl->count < rl->burst) {
		rl->count++;
		return 1;
	}
	rl->suppressed++;
	return 0;
}
