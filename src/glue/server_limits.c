/*
 * server_limits.c - pptpkitd's limits on strangers, the glue around
 * policy/guard.c: admission of control connections, the deadlines of
 * connections that do not authenticate or carry no call, and the one
 * "limit KEY: ..." log line (rate-limited per kind) every limit writes
 * when it is hit, KEY being the setting an operator would change.
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>

#include "glue/server_int.h"

/* At max-connections, the oldest connection without an authenticated
 * call makes room for a new one if it is at least this old. */
#define PREEMPT_AGE_MS 2000

static const char *const limit_keys[LIM_KINDS] = {
	[LIM_CONNECT_RATE] = "connect-rate",
	[LIM_CONNS_PER_IP] = "max-connections-per-ip",
	[LIM_CONNS] = "max-connections",
	[LIM_PREAUTH_PER_IP] = "max-preauth-per-ip",
	[LIM_PREAUTH] = "max-preauth",
	[LIM_SESSIONS_PER_IP] = "max-sessions-per-ip",
	[LIM_SESSIONS] = "max-sessions",
	[LIM_LOCKOUT_IP] = "lockout-failures-per-ip",
	[LIM_LOCKOUT_USER] = "lockout-failures-per-user",
	[LIM_QUEUE] = "max-queued-output",
	[LIM_LOGIN] = "login-timeout",
	[LIM_IDLE_CONN] = "idle-connection-timeout",
	[LIM_SPOOF] = "anti-spoofing",
	[LIM_CONTROL] = "max-control-clients",
	[LIM_CONNS_PREEMPT] = "max-connections",
	[LIM_PREAUTH_CONNS] = "max-preauth-connections",
};

const char *
srv_limit_key(int kind)
{
	return kind >= 0 && kind < LIM_KINDS ? limit_keys[kind] : "?";
}

void
srv_limit(struct server *srv, int kind, const char *ctx, const char *fmt,
    ...)
{
	char msg[512];
	uint32_t sup;
	va_list ap;

	if (kind < 0 || kind >= LIM_KINDS)
		return;
	srv->limit_hits[kind]++;
	if (!pk_ratelimit_ok(&srv->rl_limit[kind], srv_now_ms(), &sup))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pk_log(PK_LOG_WARN, ctx, "limit %s: %s%s", limit_keys[kind], msg,
	    sup != 0 ? " (similar messages suppressed)" : "");
}

/* The limit kind of a guard verdict. */
int
srv_limit_of(int verdict)
{
	switch (verdict) {
	case GUARD_RATE:
		return LIM_CONNECT_RATE;
	case GUARD_SRC_CONNS:
		return LIM_CONNS_PER_IP;
	case GUARD_SRC_PREAUTH:
		return LIM_PREAUTH_PER_IP;
	case GUARD_PREAUTH:
		return LIM_PREAUTH;
	case GUARD_SRC_SESSIONS:
		return LIM_SESSIONS_PER_IP;
	case GUARD_SESSIONS:
		return LIM_SESSIONS;
	case GUARD_SRC_LOCKED:
		return LIM_LOCKOUT_IP;
	case GUARD_USER_LOCKED:
		return LIM_LOCKOUT_USER;
	default:
		return LIM_CONNS;
	}
}

/*
 * Makes room: closes the oldest connection that has not authenticated a
 * call, if it is PREEMPT_AGE_MS old (younger ones may be users logging
 * in). Returns 1 if one was closed.
 */
static int
preempt(struct server *srv, uint64_t now, const char *key)
{
	struct conn *old = NULL;

	for (struct conn *o = srv->conns; o != NULL; o = o->next)
		if (!o->authed && !o->closing &&
		    now - o->accepted >= PREEMPT_AGE_MS &&
		    (old == NULL || o->accepted < old->accepted))
			old = o;
	if (old == NULL)
		return 0;
	srv_limit(srv, LIM_CONNS_PREEMPT, old->log_ctx, "closing the oldest "
	    "connection without an authenticated call (%llu s old) to make "
	    "room (%s)", (unsigned long long)((now - old->accepted) / 1000),
	    key);
	old->closing = 1;
	old->abort = 1;
	srv_conn_reap(old);
	return 1;
}

/*
 * The verdict on a new connection: the guard's (lockout, connect-rate,
 * max-connections-per-ip, max-connections), then max-preauth-connections
 * for those without an authenticated call. At either cap the oldest
 * stranger makes room, so that idle strangers cannot keep users out;
 * connections with an authenticated call are never touched.
 */
int
srv_admit(struct server *srv, struct conn *c)
{
	uint64_t now = srv_now_ms(), wait;
	int v;

	if (srv->stopping) {
		pk_log(PK_LOG_WARN, c->log_ctx, "connection refused: shutting "
		    "down");
		return 0;
	}
	v = guard_conn_open(srv->guard, &c->gaddr, now, &wait);
	if (v == GUARD_CONNS && preempt(srv, now, "max-connections"))
		v = guard_conn_open(srv->guard, &c->gaddr, now, &wait);
	if (v == GUARD_OK && srv->n_unauth >= srv->cfg.max_preauth_conns &&
	    !preempt(srv, now, "max-preauth-connections")) {
		guard_conn_close(srv->guard, &c->gaddr);
		srv_limit(srv, LIM_PREAUTH_CONNS, c->log_ctx, "connection "
		    "refused: %u connections without an authenticated call",
		    srv->n_unauth);
		return 0;
	}
	switch (v) {
	case GUARD_OK:
		return 1;
	case GUARD_RATE:
		srv_limit(srv, LIM_CONNECT_RATE, c->log_ctx, "connection "
		    "refused: more than %u new connections per second from "
		    "this address", srv->cfg.connect_rate);
		break;
	case GUARD_SRC_LOCKED:
		srv_limit(srv, LIM_LOCKOUT_IP, c->log_ctx, "connection "
		    "refused: address locked out for %llu s more",
		    (unsigned long long)((wait + 999) / 1000));
		break;
	case GUARD_SRC_CONNS:
		srv_limit(srv, LIM_CONNS_PER_IP, c->log_ctx, "connection "
		    "refused: %u connections from this address",
		    srv->cfg.max_connections_per_ip);
		break;
	default:
		srv_limit(srv, LIM_CONNS, c->log_ctx, "connection refused: "
		    "%u control connections", srv->n_conns);
		break;
	}
	return 0;
}

/*
 * A connection must authenticate a call within login-timeout of its
 * accept, and may carry no call for at most idle-connection-timeout.
 * Returns 1 if c is being closed.
 */
int
srv_conn_deadlines(struct conn *c, uint64_t now)
{
	struct server *srv = c->srv;

	if (!c->authed && now - c->accepted >
	    (uint64_t)srv->cfg.login_timeout * 1000)
		srv_limit(srv, LIM_LOGIN, c->log_ctx, "control connection "
		    "closed: no call authenticated within %u s",
		    srv->cfg.login_timeout);
	else if (c->callless_since != 0 && now - c->callless_since >
	    (uint64_t)srv->cfg.idle_conn_timeout * 1000)
		srv_limit(srv, LIM_IDLE_CONN, c->log_ctx, "control connection "
		    "closed: no call for %u s", srv->cfg.idle_conn_timeout);
	else
		return 0;
	/* Stop-Control-Connection-Request, flushed by the shutdown. */
	(void)tunnel_stop(c->tun, now, PPTP_STOP_NONE, "connection "
	    "time limit", &srv->out);
	srv_conn_dispatch(c);
	c->closing = 1;
	srv_conn_reap(c);
	return 1;
}

struct guard *
srv_new_guard(const struct server_config *cfg)
{
	struct guard_config gc;

	guard_config_default(&gc);
	gc.conn_rate = cfg->connect_rate;
	gc.conn_burst = cfg->connect_burst;
	gc.max_conns = cfg->max_connections;
	gc.max_conns_per_src = cfg->max_connections_per_ip;
	gc.max_preauth = cfg->max_preauth;
	gc.max_preauth_per_src = cfg->max_preauth_per_ip;
	gc.max_sessions = cfg->max_sessions;
	gc.max_sessions_per_src = cfg->max_sessions_per_ip;
	gc.src_fail_limit = cfg->lockout_failures_ip;
	gc.user_fail_limit = cfg->lockout_failures_user;
	gc.lockout_ms = cfg->lockout_time * 1000;
	gc.lockout_max_ms = cfg->lockout_max_time * 1000;
	gc.fail_window_ms = cfg->lockout_window * 1000;
	return guard_new(&gc);
}

/*
 * Each connection takes a descriptor, each session one more (its TUN):
 * raise the soft limit toward what the configured limits need, and say so
 * if the hard limit is lower, so that accept() does not fail first.
 */
void
srv_raise_fd_limit(const struct server_config *cfg)
{
	rlim_t need = (rlim_t)cfg->max_connections + cfg->max_sessions +
	    cfg->max_control_clients + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ?
	    need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < need)
		pk_log(PK_LOG_WARN, NULL, "open files limited to %llu; "
		    "max-connections + max-sessions need about %llu",
		    (unsigned long long)rl.rlim_cur,
		    (unsigned long long)need);
}
