/*
 * server.c - pptpkitd's event loop (see server.h).
 *
 * Object tree, after npppd: server -> conn (one TCP control connection,
 * one struct tunnel) -> call (one PPTP call: a session and its TUN).
 * Every input is handed to the conn's tunnel with the server's result
 * list; conn_dispatch() then acts on the results in order: control bytes
 * are queued on the TCP stream, GRE packets sent, IP packets written to
 * the call's TUN, events answered. Answers (accepting a call, an
 * authentication decision) append to the same list, which the dispatch
 * loop keeps reading until it is empty. Teardown is deferred out of the
 * libuv callbacks: a conn marked closing is reaped after dispatch.
 *
 * The structures live in server_int.h; the authentication decision in
 * server_auth.c and the control socket in server_ctl.c.
 *
 * GRE is demultiplexed by Call ID alone: the server hands out Call IDs
 * from one table for all connections, so two clients behind one NAT
 * address never share one, and the source address must match the
 * call's control connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "auth/auth.h"
#include "config/pool.h"
#include "config/secrets.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "engine/tunnel.h"
#include "gre/gre.h"
#include "glue/gre_sock.h"
#include "glue/rtnl.h"
#include "glue/server.h"
#include "glue/server_int.h"
#include "glue/tunif.h"

/* Packets taken from one socket per wake-up, so one busy session cannot
 * starve the others. */
#define BATCH 64
#define STOP_GRACE_MS 3000
#define HOUSEKEEPING_MS 1000
/* How long a closing connection may take to flush its last bytes. */
#define LINGER_MS 5000

static void conn_arm_timer(struct conn *c);

/* ---- calls ---------------------------------------------------------- */

static struct call *
call_get(struct server *srv, struct conn *c, uint16_t call_id)
{
	struct call *k = srv->calls[call_id];

	return k != NULL && k->conn == c ? k : NULL;
}

static void
tun_closed_cb(uv_handle_t *h)
{
	free(h->data);
}

static size_t
conn_call_count(const struct conn *c)
{
	size_t n = 0;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		n += c->calls[i] != NULL;
	return n;
}

static void
call_free(struct call *k)
{
	struct conn *c = k->conn;
	struct server *srv = c->srv;
	uint64_t now = srv_now_ms();

	if (k->pool_ip)
		pool_release(&srv->pool, k->peer_ip);
	if (k->slot)
		guard_call_close(srv->guard, &c->gaddr, k->authed);
	if (srv->calls[k->call_id] == k) {
		srv->calls[k->call_id] = NULL;
		callid_release(srv->call_ids, now, k->call_id);
	}
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i] == k)
			c->calls[i] = NULL;
	if (conn_call_count(c) == 0)
		c->callless_since = now;
	srv->n_calls--;
	if (k->tun_polling) {
		/* The poll handle must close before the fd and the memory
		 * go; the close callback frees the call. */
		uv_poll_stop(&k->tun_poll);
		tunif_close(&k->tun);
		k->tun_poll.data = k;
		uv_close((uv_handle_t *)&k->tun_poll, tun_closed_cb);
		return;
	}
	tunif_close(&k->tun);
	free(k);
}

static struct call *
call_new(struct conn *c, uint16_t call_id)
{
	struct server *srv = c->srv;
	struct call *k;
	size_t slot;

	for (slot = 0; slot < PK_CTRL_CALLS_MAX; slot++)
		if (c->calls[slot] == NULL)
			break;
	if (slot == PK_CTRL_CALLS_MAX || (k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->conn = c;
	k->call_id = call_id;
	k->session_id = ++srv->next_session_id;
	k->tun.fd = -1;
	k->started = srv_now_ms();
	snprintf(k->log_ctx, sizeof(k->log_ctx), "ctrl=%u call=%u peer=%s",
	    c->id, call_id, c->peer_str);
	c->calls[slot] = k;
	c->callless_since = 0;
	srv->calls[call_id] = k;
	srv->n_calls++;
	return k;
}

void
srv_call_set_user(struct call *k, const char *user)
{
	char shown[64 * 4 + 1];

	snprintf(k->user, sizeof(k->user), "%s", user);
	/* Peer text is shown printable only (core/escape.h); the log
	 * context keeps the first 64 bytes of the name. */
	pk_escape(k->user_shown, sizeof(k->user_shown), user);
	pk_escape_bytes(shown, sizeof(shown), user, strnlen(user, 64));
	snprintf(k->log_ctx, sizeof(k->log_ctx), "ctrl=%u call=%u user=%s "
	    "peer=%s", k->conn->id, k->call_id, shown, k->conn->peer_str);
}

struct call *
srv_call_find(struct server *srv, uint16_t call_id, uint32_t session_id)
{
	struct call *k = srv->calls[call_id];

	return k != NULL && k->session_id == session_id ? k : NULL;
}

/* ---- TUN I/O -------------------------------------------------------- */

static void
tun_readable(uv_poll_t *h, int status, int events)
{
	struct call *k = h->data;
	struct conn *c = k->conn;
	struct server *srv = c->srv;
	uint16_t call_id = k->call_id;

	if (status < 0 || c->closing)
		return;
	for (int i = 0; i < BATCH; i++) {
		ssize_t n = read(k->tun.fd, srv->pktbuf, PK_IP_PACKET_MAX);

		if (n <= 0)
			break;
		(void)tunnel_ip_input(c->tun, srv_now_ms(), call_id,
		    srv->pktbuf, (size_t)n, &srv->out);
		srv_conn_dispatch(c);
		/* The call may have ended while its output was handled. */
		if (srv->calls[call_id] != k || c->closing)
			break;
	}
	srv_conn_reap(c);
}

static void
call_up(struct conn *c, struct call *k, const struct ppp_up_info *info)
{
	struct server *srv = c->srv;
	char err[256], lip[INET_ADDRSTRLEN], pip[INET_ADDRSTRLEN];
	struct in_addr a;
	char name[IFNAMSIZ];
	int mtu;

	k->up = 1;
	k->info = *info;
	k->spoof.ipv4 = info->peer_ip;
	if (info->ipv6_up) {
		k->spoof.ipv6 = 1;
		memcpy(k->spoof.ifid, info->peer_ifid, sizeof(k->spoof.ifid));
	}
	snprintf(name, sizeof(name), "%s%%d", srv->cfg.ifname_prefix);
	/* The peer's MRU (less MPPE overhead) bounds what we may send. */
	mtu = srv->cfg.mtu;
	if (info->mtu != 0 && info->mtu < mtu)
		mtu = info->mtu;
	if (tunif_open(&k->tun, &srv->nl, name, info->local_ip, info->peer_ip,
	    mtu, err, sizeof(err)) != 0) {
		pk_log(PK_LOG_ERR, k->log_ctx, "%s; ending the session", err);
		(void)tunnel_call_close(c->tun, srv_now_ms(), k->call_id,
		    "cannot create the TUN interface", &srv->out);
		return;
	}
	if (info->ipv6_up)
		(void)tunif_add_ipv6(&k->tun, &srv->nl, info->local_ifid);
	if (uv_poll_init(srv->loop, &k->tun_poll, k->tun.fd) == 0) {
		k->tun_poll.data = k;
		k->tun_polling = 1;
		uv_poll_start(&k->tun_poll, UV_READABLE, tun_readable);
	}
	a.s_addr = htonl(info->local_ip);
	inet_ntop(AF_INET, &a, lip, sizeof(lip));
	a.s_addr = htonl(info->peer_ip);
	inet_ntop(AF_INET, &a, pip, sizeof(pip));
	pk_log(PK_LOG_NOTICE, k->log_ctx, "session %u up: interface=%s "
	    "local=%s remote=%s auth=%s mppe=%s%s mtu=%d", k->session_id,
	    k->tun.name, lip, pip, policy_auth_name(info->auth_method),
	    info->mppe_bits == 0 ? "none" : info->mppe_bits == 40 ? "40" :
	    info->mppe_bits == 56 ? "56" : "128",
	    info->mppe_bits == 0 ? "" : info->mppe_stateless ? "-stateless" :
	    "-stateful", mtu);
}

/* ---- control connection --------------------------------------------- */

struct write_req {
	uv_write_t req;
	uint8_t data[];
};

static void
write_done(uv_write_t *req, int status)
{
	free(req);
}

static void
conn_write(struct conn *c, const uint8_t *data, size_t len)
{
	struct write_req *w;
	size_t queued;
	uv_buf_t b;

	if (c->handles == 0 || c->abort ||
	    uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	if ((w = malloc(sizeof(*w) + len)) == NULL)
		return;
	memcpy(w->data, data, len);
	b = uv_buf_init((char *)w->data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done) != 0) {
		free(w);
		return;
	}
	/* libuv queues what the socket does not take: a peer that sends
	 * requests but never reads the replies must not grow it. */
	if ((queued = uv_stream_get_write_queue_size(
	    (uv_stream_t *)&c->tcp)) > c->srv->cfg.max_queued_output) {
		srv_limit(c->srv, LIM_QUEUE, c->log_ctx, "control connection "
		    "closed: the peer is not reading (%zu bytes queued)",
		    queued);
		c->closing = 1;
		c->abort = 1;
	}
}

static void
handle_event(struct conn *c, size_t idx)
{
	struct server *srv = c->srv;
	struct pk_out *out = &srv->out;
	struct pk_event ev;
	struct call *k;

	if (out_get_event(out, idx, &ev) != 0 || ev.source != EV_SRC_SESSION)
		return;
	k = call_get(srv, c, (uint16_t)ev.id);
	switch (ev.type) {
	case TUNNEL_EV_CTRL_UP:
		pk_log(PK_LOG_INFO, c->log_ctx, "control connection up: %s",
		    ev.text);
		break;
	case TUNNEL_EV_CALL_REQUEST: {
		uint16_t id;
		int v;

		/*
		 * A call takes an unauthenticated slot (max-preauth, and
		 * per address) until it authenticates; only then a session
		 * slot. Refused calls get RFC 2637 §2.8 General Error 4
		 * (No-Resource).
		 */
		v = GUARD_OK;
		if (srv->stopping)
			pk_log(PK_LOG_WARN, c->log_ctx, "call refused: "
			    "shutting down");
		else if (!guard_session_room(srv->guard, &c->gaddr))
			srv_limit(srv, LIM_SESSIONS, c->log_ctx, "call "
			    "refused: session limit reached (%u sessions)",
			    srv->n_calls);
		else if ((v = guard_call_open(srv->guard, &c->gaddr)) !=
		    GUARD_OK)
			srv_limit(srv, srv_limit_of(v), c->log_ctx, "call "
			    "refused: too many calls not yet authenticated%s",
			    v == GUARD_SRC_PREAUTH ? " from this address" : "");
		else if (callid_alloc(srv->call_ids, srv_now_ms(), &id) != 0 ||
		    (k = call_new(c, id)) == NULL) {
			pk_log(PK_LOG_WARN, c->log_ctx, "call refused: no Call "
			    "ID or memory left");
			guard_call_close(srv->guard, &c->gaddr, 0);
			v = GUARD_TABLE_FULL;
		} else {
			k->slot = 1;
			pk_log(PK_LOG_INFO, k->log_ctx, "call request "
			    "accepted");
			if (tunnel_call_accept(c->tun, srv_now_ms(),
			    (uint16_t)ev.id, id, out) != 0)
				call_free(k);
			break;
		}
		(void)tunnel_call_reject(c->tun, srv_now_ms(), (uint16_t)ev.id,
		    PPTP_OCRP_GENERAL_ERROR, PPTP_GE_NO_RESOURCE, out);
		break;
	}
	case TUNNEL_EV_CALL_UP:
		break;
	case TUNNEL_EV_AUTH_REQUEST: {
		struct auth_request req;

		if (k == NULL || out_event_payload(out, idx, &req,
		    sizeof(req)) != 0)
			break;
		srv_authenticate(c, k, &req);
		crypto_wipe(&req, sizeof(req));
		break;
	}
	case TUNNEL_EV_AUTH_OK:
		break;
	case TUNNEL_EV_AUTH_FAILED:
		pk_log(PK_LOG_WARN, k != NULL ? k->log_ctx : c->log_ctx,
		    "authentication failed: %s", ev.text);
		break;
	case TUNNEL_EV_UP: {
		struct ppp_up_info info;

		if (k != NULL && out_event_payload(out, idx, &info,
		    sizeof(info)) == 0)
			call_up(c, k, &info);
		break;
	}
	case TUNNEL_EV_IPV6_UP: {
		struct ppp_up_info info;

		if (k == NULL || out_event_payload(out, idx, &info,
		    sizeof(info)) != 0)
			break;
		k->spoof.ipv6 = 1;
		memcpy(k->spoof.ifid, info.peer_ifid, sizeof(k->spoof.ifid));
		if (k->tun.fd >= 0)
			(void)tunif_add_ipv6(&k->tun, &srv->nl,
			    info.local_ifid);
		break;
	}
	case TUNNEL_EV_CALL_DOWN:
		if (k == NULL)
			break;
		pk_log(PK_LOG_NOTICE, k->log_ctx, "session %u down after %llu "
		    "s: %s", k->session_id, (unsigned long long)
		    ((srv_now_ms() - k->started) / 1000), ev.text[0] != '\0' ?
		    ev.text : "call ended");
		call_free(k);
		break;
	case TUNNEL_EV_CLOSED:
		pk_log(PK_LOG_INFO, c->log_ctx, "control connection closed: %s",
		    ev.text[0] != '\0' ? ev.text : pk_strerror(ev.code));
		c->closing = 1;
		break;
	}
}

/* A packet from the client whose source is not the client's. */
static void
spoofed(struct call *k, const uint8_t *pkt, size_t len)
{
	char src[INET6_ADDRSTRLEN], own[INET6_ADDRSTRLEN];
	struct in_addr a = { .s_addr = htonl(k->spoof.ipv4) };
	uint8_t ll[16] = { 0xfe, 0x80 };

	k->spoofed++;
	k->conn->srv->spoofed++;
	antispoof_source_str(pkt, len, src, sizeof(src));
	memcpy(ll + 8, k->spoof.ifid, 8);
	if (strchr(src, ':') != NULL && k->spoof.ipv6)
		inet_ntop(AF_INET6, ll, own, sizeof(own));
	else
		inet_ntop(AF_INET, &a, own, sizeof(own));
	srv_limit(k->conn->srv, LIM_SPOOF, k->log_ctx, "packet from %s "
	    "dropped: not the client's address (%s)", src, own);
}

/*
 * Acts on every result in srv->out, including results that answers
 * append while this loop runs, then empties the list.
 */
void
srv_conn_dispatch(struct conn *c)
{
	struct server *srv = c->srv;
	struct pk_out *out = &srv->out;

	for (size_t i = 0; i < out->n_items; i++) {
		const struct out_item *it = out_item(out, i);

		switch (it->kind) {
		case OUT_CTRL:
			conn_write(c, out_data(out, i), it->len);
			break;
		case OUT_GRE:
			(void)gre_sock_send(srv->gre_fd, c->local_addr,
			    c->peer_addr, out_data(out, i), it->len);
			break;
		case OUT_IP: {
			struct call *k = call_get(srv, c, it->tag);

			if (k == NULL || k->tun.fd < 0)
				break;
			if (srv->cfg.anti_spoofing && antispoof_check(&k->spoof,
			    out_data(out, i), it->len) != 0) {
				spoofed(k, out_data(out, i), it->len);
				break;
			}
			if (write(k->tun.fd, out_data(out, i), it->len) < 0 &&
			    errno != EAGAIN)
				pk_log(PK_LOG_DEBUG, k->log_ctx, "tun write: %s",
				    strerror(errno));
			break;
		}
		case OUT_EVENT:
			handle_event(c, i);
			break;
		}
	}
	if (out->overflow)
		pk_log(PK_LOG_ERR, c->log_ctx, "result list overflow (bug)");
	out_reset(out);
	if (!c->closing)
		conn_arm_timer(c);
}

static void
conn_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->handles > 0)
		return;
	tunnel_free(c->tun);
	free(c);
}

/* Closes both handles; the second close callback frees the conn. */
static void
conn_close_handles(struct conn *c)
{
	if (!uv_is_closing((uv_handle_t *)&c->timer))
		uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	/* A peer that stopped reading gets a reset: what the kernel still
	 * holds for it is dropped at once. */
	if (!c->abort || uv_tcp_close_reset(&c->tcp, conn_handle_closed) != 0)
		uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
}

static void
conn_shutdown_done(uv_shutdown_t *req, int status)
{
	struct conn *c = req->data;

	free(req);
	conn_close_handles(c);
}

/* The peer did not take our last bytes within LINGER_MS. */
static void
conn_linger_cb(uv_timer_t *h)
{
	conn_close_handles(h->data);
}

/*
 * Unlinks a closing conn and closes its handles once queued writes have
 * gone out (uv_shutdown waits for them), or after LINGER_MS, or at once
 * for a conn closed because its peer does not read.
 */
void
srv_conn_reap(struct conn *c)
{
	struct server *srv = c->srv;
	uv_shutdown_t *req;

	if (!c->closing || c->prev == c)
		return;
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i] != NULL)
			call_free(c->calls[i]);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c;		/* marks "unlinked" */
	c->next = NULL;
	srv->n_conns--;
	if (!c->authed)
		srv->n_unauth--;
	if (c->counted)
		guard_conn_close(srv->guard, &c->gaddr);
	c->counted = 0;
	uv_timer_stop(&c->timer);
	uv_read_stop((uv_stream_t *)&c->tcp);
	/* At exit there is no loop left to wait for queued writes. */
	if (!srv->exiting && !c->abort &&
	    (req = malloc(sizeof(*req))) != NULL) {
		req->data = c;
		if (uv_shutdown(req, (uv_stream_t *)&c->tcp,
		    conn_shutdown_done) == 0) {
			uv_timer_start(&c->timer, conn_linger_cb, LINGER_MS, 0);
			return;
		}
		free(req);
	}
	conn_close_handles(c);
}

static void
conn_timer_cb(uv_timer_t *h)
{
	struct conn *c = h->data;

	(void)tunnel_timeout(c->tun, srv_now_ms(), &c->srv->out);
	srv_conn_dispatch(c);
	srv_conn_reap(c);
}

static void
conn_arm_timer(struct conn *c)
{
	uint64_t d = tunnel_next_deadline(c->tun), now = srv_now_ms();

	if (d == PK_TIME_NEVER) {
		uv_timer_stop(&c->timer);
		return;
	}
	uv_timer_start(&c->timer, conn_timer_cb, d > now ? d - now : 0, 0);
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char rbuf[PK_CTRL_RXBUF];

	buf->base = rbuf;
	buf->len = sizeof(rbuf);
}

static void
conn_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct conn *c = s->data;

	if (n > 0)
		(void)tunnel_ctrl_input(c->tun, srv_now_ms(),
		    (uint8_t *)buf->base, (size_t)n, &c->srv->out);
	else if (n < 0)
		(void)tunnel_ctrl_closed(c->tun, srv_now_ms(), &c->srv->out);
	else
		return;
	srv_conn_dispatch(c);
	srv_conn_reap(c);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct server *srv = server->data;
	struct tunnel_config tc;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	int len = sizeof(ss);
	struct conn *c;

	if (status < 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->srv = srv;
	uv_tcp_init(srv->loop, &c->tcp);
	c->tcp.data = c;
	c->handles = 1;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0 ||
	    ss.ss_family != AF_INET) {
		uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
		return;
	}
	c->peer_addr = sin->sin_addr.s_addr;
	c->peer_port = ntohs(sin->sin_port);
	{
		struct sockaddr_in me;

		len = sizeof(me);
		if (uv_tcp_getsockname(&c->tcp, (struct sockaddr *)&me,
		    &len) == 0 && me.sin_family == AF_INET)
			c->local_addr = me.sin_addr.s_addr;
	}
	inet_ntop(AF_INET, &sin->sin_addr, c->peer_str, sizeof(c->peer_str));
	c->id = ++srv->next_conn_id;
	snprintf(c->log_ctx, sizeof(c->log_ctx), "ctrl=%u peer=%s:%u", c->id,
	    c->peer_str, c->peer_port);
	guard_addr_v4(&c->gaddr, c->peer_addr);
	if (!srv_admit(srv, c)) {
		/* A reset: nothing of it lingers in the kernel. */
		if (uv_tcp_close_reset(&c->tcp, conn_handle_closed) != 0)
			uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
		return;
	}
	c->counted = 1;
	c->accepted = c->callless_since = srv_now_ms();
	tunnel_config_default(&tc, PPTP_ROLE_PAC);
	snprintf(tc.log_ctx, sizeof(tc.log_ctx), "%s", c->log_ctx);
	snprintf(tc.ctrl.host_name, sizeof(tc.ctrl.host_name), "%s",
	    srv->cfg.name);
	tc.ctrl.echo_interval_ms = srv->cfg.echo_interval * 1000;
	tc.ctrl.setup_timeout_ms = srv->cfg.handshake_timeout * 1000;
	tc.ppp.policy = srv->cfg.policy;
	tc.ppp.mru = (uint16_t)srv->cfg.mru;
	tc.ppp.local_name = srv->cfg.name;
	tc.ppp.local_ip = srv->local_ip;
	tc.ppp.dns[0] = srv->cfg.dns[0];
	tc.ppp.dns[1] = srv->cfg.dns[1];
	tc.ppp.nbns[0] = srv->cfg.nbns[0];
	tc.ppp.nbns[1] = srv->cfg.nbns[1];
	tc.ppp.ipv6 = srv->cfg.ipv6;
	tc.ppp.echo_interval_ms = srv->cfg.lcp_echo_interval * 1000;
	tc.ppp.echo_failures = srv->cfg.lcp_echo_failures;
	tc.ppp.auth_timeout_ms = srv->cfg.handshake_timeout * 1000;
	tc.ppp.mppe_rekey_max = srv->cfg.mppe_rekey_max;
	tc.ppp.mppe_rekey_rate = srv->cfg.mppe_rekey_rate;
	tc.ctrl.max_calls = (uint16_t)srv->cfg.max_calls_per_conn;
	tc.mss_clamp = srv->cfg.mss_clamp;
	tc.mtu = srv->cfg.mtu;
	if (tunnel_new(&c->tun, &tc, srv_now_ms()) != 0) {
		guard_conn_close(srv->guard, &c->gaddr);
		uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
		return;
	}
	uv_timer_init(srv->loop, &c->timer);
	c->timer.data = c;
	c->handles = 2;
	uv_tcp_nodelay(&c->tcp, 1);
	c->next = srv->conns;
	if (srv->conns != NULL)
		srv->conns->prev = c;
	srv->conns = c;
	srv->n_conns++;
	srv->n_unauth++;
	pk_log(PK_LOG_INFO, c->log_ctx, "control connection accepted");
	uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, conn_read_cb);
	conn_arm_timer(c);
}

/* ---- GRE ------------------------------------------------------------ */

static void
gre_readable(uv_poll_t *h, int status, int events)
{
	struct server *srv = h->data;

	for (int i = 0; i < BATCH; i++) {
		const uint8_t *gre;
		size_t len;
		uint32_t src, sup;
		uint16_t call_id;
		struct call *k;
		int r;

		r = gre_sock_recv(srv->gre_fd, srv->pktbuf, sizeof(srv->pktbuf),
		    &src, &gre, &len);
		if (r == 0 || r == PK_ERR_SYS)
			break;
		if (r < 0 || gre_peek_call_id(gre, len, &call_id) != 0)
			continue;
		k = srv->calls[call_id];
		if (k == NULL || k->conn->peer_addr != src || k->conn->closing) {
			srv->gre_unknown++;
			if (pk_ratelimit_ok(&srv->rl_gre, srv_now_ms(), &sup)) {
				char a[INET_ADDRSTRLEN];

				inet_ntop(AF_INET, &src, a, sizeof(a));
				pk_log(PK_LOG_DEBUG, NULL, "GRE from %s for "
				    "unknown call %u dropped", a, call_id);
			}
			continue;
		}
		/* The call may end (and k be freed) while its results are
		 * handled; the conn outlives this callback. */
		struct conn *c = k->conn;

		(void)tunnel_gre_input(c->tun, srv_now_ms(), gre, len,
		    &srv->out);
		srv_conn_dispatch(c);
		srv_conn_reap(c);
	}
}

/* ---- signals, housekeeping ------------------------------------------ */

static void
reload_secrets(struct server *srv)
{
	struct secrets fresh;
	char err[512];
	int world = 0;

	if (secrets_load(&fresh, srv->cfg.secrets, &world, err,
	    sizeof(err)) != 0) {
		pk_log(PK_LOG_ERR, NULL, "reload failed, keeping the old users: "
		    "%s", err);
		return;
	}
	if (world)
		pk_log(PK_LOG_WARN, NULL, "%s is readable by its group; "
		    "chmod 600 it unless that is meant", srv->cfg.secrets);
	secrets_free(&srv->secrets);
	srv->secrets = fresh;
	pk_log(PK_LOG_NOTICE, NULL, "reloaded %zu users from %s; %u sessions "
	    "kept", srv->secrets.n, srv->cfg.secrets, srv->n_calls);
}

static void
on_sighup(uv_signal_t *h, int sig)
{
	reload_secrets(h->data);
}

static void
finish_stop(struct server *srv)
{
	uv_stop(srv->loop);
}

static void
stop_timer_cb(uv_timer_t *h)
{
	struct server *srv = h->data;

	if (srv->conns != NULL)
		pk_log(PK_LOG_WARN, NULL, "shutdown: peers did not answer "
		    "in time; closing");
	finish_stop(srv);
}

static void
on_sigterm(uv_signal_t *h, int sig)
{
	struct server *srv = h->data;
	struct conn *c, *next;

	if (srv->stopping) {
		finish_stop(srv);
		return;
	}
	srv->stopping = 1;
	pk_log(PK_LOG_NOTICE, NULL, "%s: stopping, telling %u session(s)",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT", srv->n_calls);
	uv_close((uv_handle_t *)&srv->listener, NULL);
	for (c = srv->conns; c != NULL; c = next) {
		next = c->next;
		(void)tunnel_stop(c->tun, srv_now_ms(),
		    PPTP_STOP_LOCAL_SHUTDOWN, "server shutting down",
		    &srv->out);
		srv_conn_dispatch(c);
		srv_conn_reap(c);
	}
	uv_timer_start(&srv->stop_timer, stop_timer_cb, STOP_GRACE_MS, 0);
}

static void
housekeeping_cb(uv_timer_t *h)
{
	struct server *srv = h->data;
	uint64_t now = srv_now_ms();
	struct conn *c, *next;

	if (srv->stopping && srv->conns == NULL) {
		finish_stop(srv);
		return;
	}
	for (c = srv->conns; c != NULL; c = next) {
		next = c->next;
		if (c->closing)
			continue;
		if (srv_conn_deadlines(c, now))
			continue;
		for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
			struct call *k = c->calls[i];
			struct tunnel_call_info ti;
			const char *why = NULL;

			if (k == NULL || k->ending)
				continue;
			if (!k->authed && now - k->started >
			    (uint64_t)srv->cfg.login_timeout * 1000) {
				why = "login timeout";
				srv_limit(srv, LIM_LOGIN, k->log_ctx, "call "
				    "closed: not authenticated within %u s",
				    srv->cfg.login_timeout);
			} else if (!k->up && now - k->started >
			    (uint64_t)srv->cfg.handshake_timeout * 1000 * 2)
				why = "handshake timeout";
			else if (k->up && srv->cfg.idle_timeout != 0 &&
			    tunnel_call_get(c->tun, k->call_id, &ti) == 0 &&
			    ti.has_session && now - (ti.last_data != 0 ?
			    ti.last_data : k->started) >
			    (uint64_t)srv->cfg.idle_timeout * 1000)
				why = "idle timeout";
			if (why == NULL)
				continue;
			k->ending = 1;
			pk_log(PK_LOG_NOTICE, k->log_ctx, "session %u: %s",
			    k->session_id, why);
			(void)tunnel_call_close(c->tun, now, k->call_id, why,
			    &srv->out);
			srv_conn_dispatch(c);
		}
		srv_conn_reap(c);
	}
}

/* ---- setup ---------------------------------------------------------- */

static void
warn_cb(const char *msg, void *arg)
{
	pk_log(PK_LOG_WARN, NULL, "WEAK POLICY: %s", msg);
}

static void
close_walk_cb(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int
server_run(const struct server_config *cfg)
{
	struct server *srv;
	struct sockaddr_in sin;
	char err[512];
	uint32_t first, count;
	int world = 0, r, rc = 1;

	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return 1;
	srv->cfg = *cfg;
	srv->gre_fd = -1;
	srv->ctl_gid = -1;
	pk_ratelimit_init(&srv->rl_gre, 10000, 5);
	for (int i = 0; i < LIM_KINDS; i++)
		pk_ratelimit_init(&srv->rl_limit[i], SRV_LIMIT_LOG_INTERVAL_MS,
		    SRV_LIMIT_LOG_BURST);
	policy_warnings(&cfg->policy, warn_cb, NULL);
	if ((srv->guard = srv_new_guard(cfg)) == NULL ||
	    (srv->call_ids = malloc(sizeof(*srv->call_ids))) == NULL) {
		pk_log(PK_LOG_ERR, NULL, "out of memory");
		goto out;
	}
	callid_pool_init(srv->call_ids, cfg->call_id_quarantine * 1000);
	srv_raise_fd_limit(cfg);
	if (secrets_load(&srv->secrets, cfg->secrets, &world, err,
	    sizeof(err)) != 0) {
		pk_log(PK_LOG_ERR, NULL, "%s", err);
		goto out;
	}
	if (world)
		pk_log(PK_LOG_WARN, NULL, "%s is readable by its group; "
		    "chmod 600 it unless that is meant", cfg->secrets);
	if (pool_parse(cfg->pool, &first, &count, err, sizeof(err)) != 0) {
		pk_log(PK_LOG_ERR, NULL, "pool: %s", err);
		goto out;
	}
	/* The server's own tunnel address: local-ip, or the pool's first. */
	srv->local_ip = cfg->local_ip != 0 ? cfg->local_ip : first;
	if (pool_init(&srv->pool, first, count, srv->local_ip) != 0 ||
	    out_init(&srv->out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0) {
		pk_log(PK_LOG_ERR, NULL, "out of memory");
		goto out;
	}
	if (nl_open(&srv->nl) != 0) {
		pk_log(PK_LOG_ERR, NULL, "netlink: %s", strerror(errno));
		goto out;
	}
	if ((srv->gre_fd = gre_sock_open(0)) < 0) {
		pk_log(PK_LOG_ERR, NULL, "cannot open the raw GRE socket: %s%s",
		    strerror(errno), errno == EPERM ? " (run as root or with "
		    "CAP_NET_RAW)" : "");
		goto out;
	}
	srv->loop = uv_default_loop();
	uv_tcp_init(srv->loop, &srv->listener);
	srv->listener.data = srv;
	uv_ip4_addr(cfg->listen, cfg->port, &sin);
	if ((r = uv_tcp_bind(&srv->listener, (struct sockaddr *)&sin, 0)) != 0 ||
	    (r = uv_listen((uv_stream_t *)&srv->listener, 128,
	    on_connection)) != 0) {
		pk_log(PK_LOG_ERR, NULL, "cannot listen on %s:%u: %s",
		    cfg->listen, cfg->port, uv_strerror(r));
		goto out_loop;
	}
	uv_poll_init(srv->loop, &srv->gre_poll, srv->gre_fd);
	srv->gre_poll.data = srv;
	uv_poll_start(&srv->gre_poll, UV_READABLE, gre_readable);
	if (cfg->control_socket[0] != '\0' && (r = srv_ctl_open(srv)) != 0) {
		pk_log(PK_LOG_ERR, NULL, "control socket %s: %s",
		    cfg->control_socket, uv_strerror(r));
		goto out_loop;
	}
	uv_signal_init(srv->loop, &srv->sig_hup);
	uv_signal_init(srv->loop, &srv->sig_term);
	uv_signal_init(srv->loop, &srv->sig_int);
	srv->sig_hup.data = srv->sig_term.data = srv->sig_int.data = srv;
	uv_signal_start(&srv->sig_hup, on_sighup, SIGHUP);
	uv_signal_start(&srv->sig_term, on_sigterm, SIGTERM);
	uv_signal_start(&srv->sig_int, on_sigterm, SIGINT);
	uv_timer_init(srv->loop, &srv->housekeeping);
	uv_timer_init(srv->loop, &srv->stop_timer);
	srv->housekeeping.data = srv->stop_timer.data = srv;
	uv_timer_start(&srv->housekeeping, housekeeping_cb, HOUSEKEEPING_MS,
	    HOUSEKEEPING_MS);
	signal(SIGPIPE, SIG_IGN);
	pk_log(PK_LOG_NOTICE, NULL, "pptpkitd listening on %s:%u; %zu users; "
	    "pool %s; auth %s; mppe %s", cfg->listen, cfg->port,
	    srv->secrets.n, cfg->pool, (policy_auth_list(cfg->policy.auth,
	    err, sizeof(err)), err), cfg->policy.mppe == PK_MPPE_REQUIRE ?
	    "required" : cfg->policy.mppe == PK_MPPE_ALLOW ? "allowed" :
	    "denied");
	uv_run(srv->loop, UV_RUN_DEFAULT);
	pk_log(PK_LOG_NOTICE, NULL, "pptpkitd stopped");
	rc = 0;
out_loop:
	srv_ctl_close(srv);
	/* Connections still open (peers that never answered the stop) are
	 * reaped through their own close callbacks, which free them. */
	srv->exiting = 1;
	while (srv->conns != NULL) {
		srv->conns->closing = 1;
		srv_conn_reap(srv->conns);
	}
	uv_walk(srv->loop, close_walk_cb, NULL);
	uv_run(srv->loop, UV_RUN_DEFAULT);
	uv_loop_close(srv->loop);
out:
	if (srv->gre_fd >= 0)
		close(srv->gre_fd);
	nl_close(&srv->nl);
	secrets_free(&srv->secrets);
	pool_free(&srv->pool);
	out_free(&srv->out);
	guard_free(srv->guard);
	free(srv->call_ids);
	free(srv);
	return rc;
}
