/*
 * notify.c - sd_notify(3) messages for systemd (see notify.h). A thin
 * wrapper: libsystemd does the socket work (abstract or path sockets,
 * credentials); this file only formats the few messages pptpkitd sends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "core/err.h"
#include "glue/notify.h"

/* STATUS= is for a person reading "systemctl status": one short line. */
#define NOTIFY_STATUS_MAX 200

/* Keeps STATUS= to one line: a newline would start another assignment. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static int
send_state(const char *state)
{
	/* 0 = not started by systemd, > 0 = sent; the environment is kept,
	 * so children (ip-up scripts) can see whether they run under it. */
	int r = sd_notify(0, state);

	return r < 0 ? PK_ERR_SYS : r > 0 ? 1 : 0;
}

int
notify_ready(const char *status)
{
	char msg[NOTIFY_STATUS_MAX + 32];

	if (status == NULL)
		return send_state("READY=1");
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%.*s", NOTIFY_STATUS_MAX,
	    status);
	one_line(msg + strlen("READY=1\nSTATUS="));
	return send_state(msg);
}

int
notify_status(const char *fmt, ...)
{
	char text[NOTIFY_STATUS_MAX + 1], msg[NOTIFY_STATUS_MAX + 16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	one_line(text);
	snprintf(msg, sizeof(msg), "STATUS=%s", text);
	return send_state(msg);
}

int
notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
	return send_state(msg);
}

int
notify_stopping(void)
{
	return send_state("STOPPING=1");
}
