/*
 * log.h - levelled logging with a key=value context prefix.
 *
 * Every line is one event: "LEVEL ctx message", where ctx is the session
 * context ("ctrl=3 call=7 user=alice peer=198.18.0.2") of the object that
 * logs. Secrets are never passed to these functions. The sink defaults to
 * stderr; tests replace it to capture lines.
 */
#ifndef PK_CORE_LOG_H
#define PK_CORE_LOG_H

#include <stdarg.h>
#include <stdint.h>

enum pk_log_level {
	PK_LOG_ERR = 0,
	PK_LOG_WARN = 1,
	PK_LOG_NOTICE = 2,
	PK_LOG_INFO = 3,
	PK_LOG_DEBUG = 4,
};

typedef void pk_log_sink_fn(int level, const char *line, void *arg);

void pk_log_set_level(int level);
int pk_log_get_level(void);
/* NULL restores the default stderr sink. */
void pk_log_set_sink(pk_log_sink_fn *fn, void *arg);
/* Prefix every line with a wall-clock timestamp (the daemons do). */
void pk_log_set_timestamps(int on);

/* ctx may be NULL or "". */
void pk_log(int level, const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pk_vlog(int level, const char *ctx, const char *fmt, va_list ap);
const char *pk_log_level_name(int level);

#define pk_debug_f(ctx, fmt, ...) \
	pk_log(PK_LOG_DEBUG, ctx, "%s: " fmt, __func__, ##__VA_ARGS__)

/*
 * Rate limiting for anything a remote packet can trigger: at most burst
 * lines per interval; the first line after a suppressed stretch reports
 * how many were dropped.
 */
struct pk_ratelimit {
	uint64_t window_start_ms;
	uint32_t interval_ms;
	uint32_t burst;
	uint32_t count;
	uint32_t suppressed;
};

void pk_ratelimit_init(struct pk_ratelimit *rl, uint32_t interval_ms,
    uint32_t burst);
/* Returns 1 if an event at now_ms may be logged, 0 if it is suppressed.
 * *suppressed_out (may be NULL) receives the count dropped before it. */
int pk_ratelimit_ok(struct pk_ratelimit *rl, uint64_t now_ms,
    uint32_t *suppressed_out);

#endif
