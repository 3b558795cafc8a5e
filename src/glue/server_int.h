/*
 * server_int.h - what the pieces of pptpkitd's glue share: the object
 * tree server -> conn -> call (see server.c) and the few functions one
 * piece calls in another. Not a public interface: only src/glue/server*.c
 * include it.
 *
 *	server.c	loop, listener, control connections, dispatch, GRE,
 *			TUN I/O, signals and housekeeping
 *	server_auth.c	the authentication decision and address assignment
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
#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "engine/tunnel.h"
#include "glue/rtnl.h"
#include "glue/tunif.h"

#define CALL_IDS 65536
#define RATE_BUCKETS 1024

struct server;
struct conn;

struct call {
	struct conn *conn;
	uint16_t call_id;
	uint32_t session_id;
	char user[PK_PPP_NAME_MAX + 1];
	uint32_t peer_ip;		/* host order; 0 until assigned */
	int pool_ip;			/* peer_ip came from the pool */
	int up;
	struct ppp_up_info info;
	struct tunif tun;
	uv_poll_t tun_poll;
	int tun_polling;
	uint64_t started;
	char log_ctx[384];
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
	int closing;			/* reap after dispatch */
	int handles;			/* uv handles still open */
	struct call *calls[PK_CTRL_CALLS_MAX];
	struct conn *next, *prev;
	char log_ctx[96];
};

struct rate_bucket {
	uint32_t addr;
	uint64_t window_start;
	uint32_t count;
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
	uv_signal_t sig_hup, sig_term, sig_int;
	uv_timer_t housekeeping;
	uv_timer_t stop_timer;
	int stopping;
	int exiting;			/* the loop has stopped */
	struct conn *conns;
	struct call *calls[CALL_IDS];
	uint16_t next_call_id;
	unsigned n_calls;
	uint32_t next_conn_id;
	uint32_t next_session_id;
	struct rate_bucket rate[RATE_BUCKETS];
	struct pk_ratelimit rl_gre;
	struct pk_ratelimit rl_conn;
	uint64_t gre_unknown;
	uint8_t pktbuf[65536];
};

static inline uint64_t
srv_now_ms(void)
{
	return pk_clock_ms();
}

/* server.c */
/* Acts on every result in srv->out (see server.c), then empties it. */
void srv_conn_dispatch(struct conn *c);
/* Sets the user of a call and its log context. */
void srv_call_set_user(struct call *k, const char *user);

/* server_auth.c */
/*
 * Decides TUNNEL_EV_AUTH_REQUEST req for call k of conn c: the password
 * against chap-secrets, then the client's address. The answer goes to the
 * tunnel with tunnel_auth_complete(), which may also be called later (from
 * another callback) as long as the call still exists.
 */
void srv_authenticate(struct conn *c, struct call *k,
    const struct auth_request *req);

/* server_ctl.c */
/* Opens the control socket cfg.control_socket; 0 or a libuv error. */
int srv_ctl_open(struct server *srv);
/* Removes the socket file (the handle closes with the loop). */
void srv_ctl_close(struct server *srv);

#endif
