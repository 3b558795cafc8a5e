/*
 * server_int.h - what the pieces of pptpkitd's glue share: the object
 * tree server -> conn -> call (see server.c) and the few functions one
 * piece calls in another. Not a public interface: only src/glue/server*.c
 * include it.
 *
 *	server.c	loop, listener, control connections, dispatch, GRE,
 *			TUN I/O, signals and housekeeping
 *	server_auth.c	the authentication decision, address assignment
 *	server_ctl.c	the control socket (show sessions, kill)
 */
#ifndef PK_GLUE_SERVER_INT_H
#define PK_GLUE_SERVER_INT_H

#include <arpa/inet.h>
#include <stdint.h>

#include <uv.h>

#include "auth/auth.h"
#include "config/config.h"
#include "config/pool.h"
#include "config/secrets.h"
#include "core/clock.h"
#include "core/escape.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "engine/tunnel.h"
#include "glue/rtnl.h"
#include "glue/tunif.h"
#include "policy/antispoof.h"
#include "policy/guard.h"
#include "pptp/callid.h"

#define CALL_IDS 65536

struct server;
struct conn;

struct call {
	struct conn *conn;
	uint16_t call_id;
	uint32_t session_id;
	char user[PK_PPP_NAME_MAX + 1];	/* as the peer sent it */
	char user_shown[PK_ESCAPED_MAX(PK_PPP_NAME_MAX)];	/* escaped */
	uint32_t peer_ip;		/* host order; 0 until assigned */
	int pool_ip;			/* peer_ip came from the pool */
	int up;
	int authed;			/* holds a session slot */
	int slot;			/* holds a guard call slot */
	int ending;			/* a deadline closed it */
	struct ppp_up_info info;
	struct antispoof spoof;		/* the client's own addresses */
	uint64_t spoofed;		/* packets dropped by anti-spoofing */
	struct tunif tun;
	uv_poll_t tun_poll;
	int tun_polling;
	uint64_t started;
	char log_ctx[PK_ESCAPED_MAX(64) + 128];
};

struct conn {
	struct server *srv;
	uint32_t id;
	uv_tcp_t tcp;
	uv_timer_t timer;
	struct tunnel *tun;
	uint32_t peer_addr;		/* network order */
	uint32_t local_addr;		/* where the peer reached us */
	uint16_t peer_port;
	char peer_str[INET_ADDRSTRLEN];
	struct guard_addr gaddr;	/* peer_addr for the guard */
	int counted;			/* guard_conn_open() took a slot */
	uint64_t accepted;		/* ms */
	uint64_t callless_since;	/* ms; 0 while it carries a call */
	int authed;			/* a call of it has authenticated */
	int closing;			/* reap after dispatch */
	int abort;			/* close without flushing output */
	int handles;			/* uv handles still open */
	struct call *calls[PK_CTRL_CALLS_MAX];
	struct conn *next, *prev;
	char log_ctx[96];
};

/* What srv_limit() logs: "limit KEY: ...", KEY the setting that was hit. */
enum srv_limit {
	LIM_CONNECT_RATE,
	LIM_CONNS_PER_IP,
	LIM_CONNS,
	LIM_PREAUTH_PER_IP,
	LIM_PREAUTH,
	LIM_SESSIONS_PER_IP,
	LIM_SESSIONS,
	LIM_LOCKOUT_IP,
	LIM_LOCKOUT_USER,
	LIM_QUEUE,
	LIM_LOGIN,
	LIM_IDLE_CONN,
	LIM_SPOOF,
	LIM_CONTROL,
	LIM_CONNS_PREEMPT,	/* making room at a connection cap */
	LIM_PREAUTH_CONNS,
	LIM_KINDS
};

struct server {
	uv_loop_t *loop;
	struct server_config cfg;
	struct secrets secrets;
	struct pool pool;
	uint32_t local_ip;		/* host order */
	struct nl nl;
	struct pk_out out;
	uv_tcp_t listener;
	int gre_fd;
	uv_poll_t gre_poll;
	uv_pipe_t ctl;
	int ctl_open;
	int ctl_gid;			/* control-group, -1 if none */
	unsigned ctl_clients;
	uv_signal_t sig_hup, sig_term, sig_int;
	uv_timer_t housekeeping;
	uv_timer_t stop_timer;
	int stopping;
	int exiting;			/* the loop has stopped */
	struct conn *conns;
	unsigned n_conns;
	unsigned n_unauth;		/* conns not authenticated */
	struct call *calls[CALL_IDS];
	struct callid_pool *call_ids;
	struct guard *guard;
	unsigned n_calls;
	uint32_t next_conn_id;
	uint32_t next_session_id;
	struct pk_ratelimit rl_gre;
	struct pk_ratelimit rl_ctl;
	struct pk_ratelimit rl_limit[LIM_KINDS];
	uint64_t limit_hits[LIM_KINDS];
	uint64_t gre_unknown;
	uint64_t spoofed;
	uint8_t pktbuf[65536];
};

static inline uint64_t
srv_now_ms(void)
{
	return pk_clock_ms();
}

/* "limit KEY: ..." lines: at most a burst per interval, per kind. */
#define SRV_LIMIT_LOG_INTERVAL_MS 10000
#define SRV_LIMIT_LOG_BURST 5

/* server.c */
/* Acts on every result in srv->out (see server.c), then empties it. */
void srv_conn_dispatch(struct conn *c);
/* Unlinks a conn marked closing and closes it (see server.c). */
void srv_conn_reap(struct conn *c);
/* Sets the user of a call and its log context (escaped). */
void srv_call_set_user(struct call *k, const char *user);
/* The call with this ID if it is still session_id's, else NULL (for
 * answers that come later than the request). */
struct call *srv_call_find(struct server *srv, uint16_t call_id,
    uint32_t session_id);

/* server_limits.c */
/* Counts a limit hit and logs "limit KEY: <fmt>" for it, rate-limited
 * per kind; ctx as for pk_log(). */
void srv_limit(struct server *srv, int kind, const char *ctx,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The setting a limit kind stands for ("max-preauth-per-ip"). */
const char *srv_limit_key(int kind);
/* The limit kind of a guard verdict (enum guard_verdict). */
int srv_limit_of(int verdict);
/* 1 if the new connection c may stay (counted with the guard), else 0
 * with the reason logged. */
int srv_admit(struct server *srv, struct conn *c);
/* Closes c if its login or idle deadline has passed; 1 if it did. */
int srv_conn_deadlines(struct conn *c, uint64_t now);
/* The guard for the configured limits; NULL without memory. */
struct guard *srv_new_guard(const struct server_config *cfg);
/* Raises RLIMIT_NOFILE toward what the limits need (logs if it cannot). */
void srv_raise_fd_limit(const struct server_config *cfg);

/* server_auth.c */
/*
 * Decides TUNNEL_EV_AUTH_REQUEST req for call k of conn c: the lockout,
 * then the password against chap-secrets. The decision goes through
 * srv_auth_complete(), which another backend (RADIUS) may call later.
 */
void srv_authenticate(struct conn *c, struct call *k,
    const struct auth_request *req);
/*
 * Finishes an authentication: records the password's verdict (pw_ok) with
 * the lockout, takes a session slot and the client's address, logs, and
 * answers the tunnel. The call is found again by ID and session, so this
 * may run after the request's callback; it does nothing if the call is
 * gone. res->framed_ip may carry a static address (host order); why
 * explains a refusal for the log. static_ip is the user's chap-secrets
 * address (network order, 0 = pool).
 */
void srv_auth_complete(struct server *srv, uint16_t call_id,
    uint32_t session_id, int method, int pw_ok, uint32_t static_ip,
    const char *why, struct auth_result *res);

/* server_ctl.c */
/* Opens the control socket cfg.control_socket; 0 or a libuv error. */
int srv_ctl_open(struct server *srv);
/* Removes the socket file (the handle closes with the loop). */
void srv_ctl_close(struct server *srv);
/* Writes the server's counters as a JSON object (show stats). */
struct json_object;
struct json_object *srv_stats_json(struct server *srv);

#endif
