/*
 * client.c - `pptpkit connect`: the PPTP client's Linux glue (see
 * client.h). One TCP connection to the server, one call, one TUN device;
 * the protocol lives in the sans-I/O tunnel object. The client watches
 * for the failures people actually hit and says what they mean: nothing
 * listening on 1723, GRE filtered on the path (control works, data never
 * arrives), authentication refused, encryption settings that do not
 * match.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "engine/tunnel.h"
#include "gre/gre.h"
#include "glue/client.h"
#include "glue/gre_sock.h"
#include "glue/rtnl.h"
#include "glue/tunif.h"

#define BATCH 64
/* How long after the call is up we wait for the first GRE packet before
 * blaming the path: LCP retries every 3 s, so 10 s is three chances. */
#define GRE_WATCHDOG_MS 10000
#define STOP_GRACE_MS 3000
#define BACKOFF_MAX_S 60

enum client_exit {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_AUTH = 2,
	EXIT_USAGE = 64,
};

struct route {
	uint32_t dst;		/* network order */
	int plen;
	uint32_t gw;
	int ifindex;
};

#define ROUTES_MAX (CLIENT_ROUTES_MAX + 3)

struct client {
	const struct client_options *opt;
	uv_loop_t *loop;
	uv_tcp_t tcp;
	uv_connect_t connect_req;
	uv_timer_t timer;
	uv_timer_t watchdog;
	uv_timer_t retry;
	uv_signal_t sig_int, sig_term;
	uv_poll_t gre_poll, tun_poll;
	int tcp_open, gre_polling, tun_polling;
	int gre_fd;
	struct tunnel *tun;
	struct pk_out out;
	struct nl nl;
	struct tunif tif;
	uint32_t server_addr;		/* network order */
	uint32_t local_addr;		/* our end of the TCP connection */
	uint16_t call_id;
	int call_up, up, got_gre;
	int stopping;			/* user asked to stop */
	int exit_code;
	int failures;			/* consecutive, for the backoff */
	char reason[512];
	struct route routes[ROUTES_MAX];
	int n_routes;
	uint8_t pktbuf[65536];
};

static void client_dispatch(struct client *cl);
static void client_timer_cb(uv_timer_t *h);
static void session_end(struct client *cl);

static uint64_t
now_ms(void)
{
	return pk_clock_ms();
}

static void
set_reason(struct client *cl, int code, const char *fmt, const char *text)
{
	if (cl->reason[0] != '\0')
		return;
	snprintf(cl->reason, sizeof(cl->reason), fmt, text);
	cl->exit_code = code;
}

/* ---- routes --------------------------------------------------------- */

static void
route_add(struct client *cl, uint32_t dst, int plen, uint32_t gw,
    int ifindex)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &dst, a, sizeof(a));
	if (cl->n_routes >= ROUTES_MAX)
		return;
	if (nl_route_add(&cl->nl, dst, plen, gw, ifindex) != 0) {
		pk_log(PK_LOG_WARN, NULL, "cannot add route %s/%d: %s", a, plen,
		    strerror(errno));
		return;
	}
	cl->routes[cl->n_routes++] = (struct route){ dst, plen, gw, ifindex };
	pk_log(PK_LOG_INFO, NULL, "route %s/%d added", a, plen);
}

static void
routes_remove(struct client *cl)
{
	/* Routes through the TUN vanish with it; the host route to the
	 * server through the old gateway does not. */
	while (cl->n_routes > 0) {
		struct route *r = &cl->routes[--cl->n_routes];

		(void)nl_route_del(&cl->nl, r->dst, r->plen, r->gw, r->ifindex);
	}
}

static void
install_routes(struct client *cl)
{
	const struct client_options *o = cl->opt;

	if (o->default_route) {
		uint32_t gw = 0;
		int oif = 0;

		/* Keep the way to the server outside the tunnel, then take
		 * the whole address space with two /1s, which win over the
		 * existing default route without replacing it. */
		if (nl_route_get(&cl->nl, cl->server_addr, &gw, &oif) == 0 &&
		    oif != cl->tif.ifindex)
			route_add(cl, cl->server_addr, 32, gw, oif);
		route_add(cl, htonl(0x00000000), 1, 0, cl->tif.ifindex);
		route_add(cl, htonl(0x80000000), 1, 0, cl->tif.ifindex);
	}
	for (int i = 0; i < o->n_routes; i++)
		route_add(cl, o->routes[i].addr, o->routes[i].plen, 0,
		    cl->tif.ifindex);
}

/* ---- data path ------------------------------------------------------ */

static void
tun_readable(uv_poll_t *h, int status, int events)
{
	struct client *cl = h->data;

	for (int i = 0; i < BATCH && cl->tun != NULL && cl->tif.fd >= 0; i++) {
		ssize_t n = read(cl->tif.fd, cl->pktbuf, PK_IP_PACKET_MAX);

		if (n <= 0)
			break;
		(void)tunnel_ip_input(cl->tun, now_ms(), cl->call_id,
		    cl->pktbuf, (size_t)n, &cl->out);
		client_dispatch(cl);
	}
}

static void
gre_readable(uv_poll_t *h, int status, int events)
{
	struct client *cl = h->data;

	for (int i = 0; i < BATCH && cl->tun != NULL; i++) {
		const uint8_t *gre;
		uint32_t src;
		size_t len;
		int r;

		r = gre_sock_recv(cl->gre_fd, cl->pktbuf, sizeof(cl->pktbuf),
		    &src, &gre, &len);
		if (r == 0 || r == PK_ERR_SYS)
			break;
		if (r < 0 || src != cl->server_addr)
			continue;
		if (tunnel_gre_input(cl->tun, now_ms(), gre, len,
		    &cl->out) != PK_ERR_NOT_FOUND && !cl->got_gre) {
			cl->got_gre = 1;
			uv_timer_stop(&cl->watchdog);
		}
		client_dispatch(cl);
	}
}

static void
watchdog_cb(uv_timer_t *h)
{
	struct client *cl = h->data;
	char a[INET_ADDRSTRLEN];

	if (cl->got_gre || cl->tun == NULL)
		return;
	inet_ntop(AF_INET, &cl->server_addr, a, sizeof(a));
	snprintf(cl->reason, sizeof(cl->reason), "no GRE packets from %s "
	    "within %d s although the control connection works: GRE (IP "
	    "protocol 47) is probably blocked by a firewall or a NAT without "
	    "a PPTP helper on the path", a, GRE_WATCHDOG_MS / 1000);
	cl->exit_code = EXIT_FAIL;
	(void)tunnel_stop(cl->tun, now_ms(), PPTP_STOP_NONE, "no GRE",
	    &cl->out);
	client_dispatch(cl);
}

static void
session_up(struct client *cl, const struct ppp_up_info *info)
{
	char err[256], lip[INET_ADDRSTRLEN], pip[INET_ADDRSTRLEN], mppe[24];
	struct in_addr a;
	int mtu = cl->opt->mtu;

	if (info->mtu != 0 && info->mtu < mtu)
		mtu = info->mtu;
	if (tunif_open(&cl->tif, &cl->nl, cl->opt->ifname, info->local_ip,
	    info->peer_ip, mtu, err, sizeof(err)) != 0) {
		set_reason(cl, EXIT_FAIL, "%s", err);
		(void)tunnel_stop(cl->tun, now_ms(), PPTP_STOP_NONE, err,
		    &cl->out);
		return;
	}
	if (info->ipv6_up)
		(void)tunif_add_ipv6(&cl->tif, &cl->nl, info->local_ifid);
	uv_poll_init(cl->loop, &cl->tun_poll, cl->tif.fd);
	cl->tun_poll.data = cl;
	cl->tun_polling = 1;
	uv_poll_start(&cl->tun_poll, UV_READABLE, tun_readable);
	install_routes(cl);
	cl->up = 1;
	cl->failures = 0;
	a.s_addr = htonl(info->local_ip);
	inet_ntop(AF_INET, &a, lip, sizeof(lip));
	a.s_addr = htonl(info->peer_ip);
	inet_ntop(AF_INET, &a, pip, sizeof(pip));
	if (info->mppe_bits == 0)
		snprintf(mppe, sizeof(mppe), "none");
	else
		snprintf(mppe, sizeof(mppe), "%d-%s", info->mppe_bits,
		    info->mppe_stateless ? "stateless" : "stateful");
	printf("connected: ifname=%s local=%s peer=%s auth=%s mppe=%s mtu=%d\n",
	    cl->tif.name, lip, pip, policy_auth_name(info->auth_method), mppe,
	    mtu);
	for (int i = 0; i < 2; i++) {
		if (info->dns[i] == 0)
			continue;
		a.s_addr = htonl(info->dns[i]);
		inet_ntop(AF_INET, &a, lip, sizeof(lip));
		printf("dns: %s\n", lip);
	}
	fflush(stdout);
	if (info->mppe_bits == 0)
		pk_log(PK_LOG_WARN, NULL, "this tunnel is NOT encrypted: "
		    "everything in it crosses the network in clear text");
}

/* ---- events --------------------------------------------------------- */

static void
handle_event(struct client *cl, size_t idx)
{
	struct pk_event ev;

	if (out_get_event(&cl->out, idx, &ev) != 0 ||
	    ev.source != EV_SRC_SESSION)
		return;
	switch (ev.type) {
	case TUNNEL_EV_CTRL_UP:
		pk_log(PK_LOG_INFO, NULL, "control connection up: %s", ev.text);
		break;
	case TUNNEL_EV_CALL_UP:
		cl->call_id = (uint16_t)ev.id;
		cl->call_up = 1;
		pk_log(PK_LOG_INFO, NULL, "call %u up; negotiating PPP",
		    cl->call_id);
		uv_timer_start(&cl->watchdog, watchdog_cb, GRE_WATCHDOG_MS, 0);
		break;
	case TUNNEL_EV_AUTH_OK:
		pk_log(PK_LOG_INFO, NULL, "authenticated: %s", ev.text);
		break;
	case TUNNEL_EV_AUTH_FAILED:
		set_reason(cl, EXIT_AUTH, "authentication rejected: %s",
		    ev.text);
		break;
	case TUNNEL_EV_UP: {
		struct ppp_up_info info;

		if (out_event_payload(&cl->out, idx, &info, sizeof(info)) == 0)
			session_up(cl, &info);
		break;
	}
	case TUNNEL_EV_IPV6_UP: {
		struct ppp_up_info info;

		if (cl->tif.fd >= 0 && out_event_payload(&cl->out, idx, &info,
		    sizeof(info)) == 0) {
			(void)tunif_add_ipv6(&cl->tif, &cl->nl, info.local_ifid);
			printf("ipv6: up\n");
			fflush(stdout);
		}
		break;
	}
	case TUNNEL_EV_CALL_DOWN:
		if (ev.code == PK_ERR_POLICY)
			set_reason(cl, EXIT_FAIL, "%s (the server's "
			    "authentication or MPPE settings do not match ours; "
			    "see --auth, --mppe, --mppe-bits, --mppe-stateful)",
			    ev.text);
		else if (ev.text[0] != '\0' && ev.code != PK_ERR_CLOSED)
			/* PK_ERR_CLOSED: the control connection is going
			 * down, and its own event says why. */
			set_reason(cl, EXIT_FAIL, "call ended: %s", ev.text);
		break;
	case TUNNEL_EV_CLOSED:
		if (ev.text[0] != '\0')
			set_reason(cl, EXIT_FAIL, "control connection closed: %s",
			    ev.text);
		session_end(cl);
		break;
	}
}

static void
write_done(uv_write_t *req, int status)
{
	free(req);
}

static void
client_dispatch(struct client *cl)
{
	struct pk_out *out = &cl->out;

	for (size_t i = 0; i < out->n_items; i++) {
		const struct out_item *it = out_item(out, i);

		switch (it->kind) {
		case OUT_CTRL:
			if (cl->tcp_open) {
				uv_write_t *w = malloc(sizeof(*w) + it->len);
				uv_buf_t b;

				if (w == NULL)
					break;
				memcpy(w + 1, out_data(out, i), it->len);
				b = uv_buf_init((char *)(w + 1), it->len);
				if (uv_write(w, (uv_stream_t *)&cl->tcp, &b, 1,
				    write_done) != 0)
					free(w);
			}
			break;
		case OUT_GRE:
			(void)gre_sock_send(cl->gre_fd, cl->local_addr,
			    cl->server_addr, out_data(out, i), it->len);
			break;
		case OUT_IP:
			if (cl->tif.fd >= 0 && write(cl->tif.fd,
			    out_data(out, i), it->len) < 0 && errno != EAGAIN)
				pk_log(PK_LOG_DEBUG, NULL, "tun write: %s",
				    strerror(errno));
			break;
		case OUT_EVENT:
			handle_event(cl, i);
			break;
		}
		if (cl->tun == NULL)
			break;
	}
	out_reset(out);
	if (cl->tun != NULL) {
		uint64_t d = tunnel_next_deadline(cl->tun), now = now_ms();

		uv_timer_stop(&cl->timer);
		if (d != PK_TIME_NEVER)
			uv_timer_start(&cl->timer, client_timer_cb,
			    d > now ? d - now : 0, 0);
	}
}

static void
client_timer_cb(uv_timer_t *h)
{
	struct client *cl = h->data;

	if (cl->tun == NULL)
		return;
	(void)tunnel_timeout(cl->tun, now_ms(), &cl->out);
	client_dispatch(cl);
}

/* ---- connection lifecycle ------------------------------------------- */

static void connect_once(struct client *cl);

static void
tcp_closed(uv_handle_t *h)
{
}

static void
retry_cb(uv_timer_t *h)
{
	connect_once(h->data);
}

/*
 * The session is over: tear down the data path, say why, and either stop
 * or retry with exponential backoff (1, 2, 4 ... 60 s).
 */
static void
session_end(struct client *cl)
{
	if (cl->tun == NULL)
		return;
	if (cl->tun_polling) {
		uv_poll_stop(&cl->tun_poll);
		uv_close((uv_handle_t *)&cl->tun_poll, NULL);
		cl->tun_polling = 0;
	}
	routes_remove(cl);
	tunif_close(&cl->tif);
	if (cl->gre_polling) {
		uv_poll_stop(&cl->gre_poll);
		uv_close((uv_handle_t *)&cl->gre_poll, NULL);
		cl->gre_polling = 0;
	}
	if (cl->gre_fd >= 0)
		close(cl->gre_fd);
	cl->gre_fd = -1;
	uv_timer_stop(&cl->timer);
	uv_timer_stop(&cl->watchdog);
	if (cl->tcp_open) {
		cl->tcp_open = 0;
		uv_close((uv_handle_t *)&cl->tcp, tcp_closed);
	}
	tunnel_free(cl->tun);
	cl->tun = NULL;
	if (cl->stopping) {
		fprintf(stderr, "disconnected\n");
		cl->exit_code = EXIT_OK;
		uv_stop(cl->loop);
		return;
	}
	if (cl->reason[0] == '\0')
		set_reason(cl, EXIT_FAIL, "%s", "the tunnel went down");
	fprintf(stderr, "pptpkit: %s\n", cl->reason);
	if (!cl->opt->reconnect || (cl->exit_code == EXIT_AUTH &&
	    !cl->up && cl->failures > 2)) {
		uv_stop(cl->loop);
		return;
	}
	unsigned delay = 1u << (cl->failures < 6 ? cl->failures : 6);

	if (delay > BACKOFF_MAX_S)
		delay = BACKOFF_MAX_S;
	cl->failures++;
	fprintf(stderr, "pptpkit: reconnecting in %u s\n", delay);
	uv_timer_start(&cl->retry, retry_cb, delay * 1000ull, 0);
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char rbuf[PK_CTRL_RXBUF];

	buf->base = rbuf;
	buf->len = sizeof(rbuf);
}

static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct client *cl = s->data;

	if (cl->tun == NULL || n == 0)
		return;
	if (n > 0)
		(void)tunnel_ctrl_input(cl->tun, now_ms(), (uint8_t *)buf->base,
		    (size_t)n, &cl->out);
	else
		(void)tunnel_ctrl_closed(cl->tun, now_ms(), &cl->out);
	client_dispatch(cl);
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct client *cl = req->data;
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &cl->server_addr, a, sizeof(a));
	if (status < 0) {
		if (status == UV_ECONNREFUSED)
			set_reason(cl, EXIT_FAIL, "connection refused by %s: no "
			    "PPTP server is listening on TCP port 1723 there", a);
		else if (status == UV_ETIMEDOUT || status == UV_EHOSTUNREACH ||
		    status == UV_ENETUNREACH)
			set_reason(cl, EXIT_FAIL, "cannot reach %s on TCP port "
			    "1723 (timeout or no route)", a);
		else
			set_reason(cl, EXIT_FAIL, "cannot connect: %s",
			    uv_strerror(status));
		(void)tunnel_ctrl_closed(cl->tun, now_ms(), &cl->out);
		client_dispatch(cl);
		session_end(cl);
		return;
	}
	pk_log(PK_LOG_INFO, NULL, "connected to %s:%u", a, cl->opt->port);
	{
		struct sockaddr_in me;
		int len = sizeof(me);

		if (uv_tcp_getsockname(&cl->tcp, (struct sockaddr *)&me,
		    &len) == 0 && me.sin_family == AF_INET)
			cl->local_addr = me.sin_addr.s_addr;
	}
	uv_tcp_nodelay(&cl->tcp, 1);
	uv_read_start((uv_stream_t *)&cl->tcp, alloc_cb, read_cb);
	(void)tunnel_start(cl->tun, now_ms(), &cl->out);
	client_dispatch(cl);
}

static void
connect_once(struct client *cl)
{
	const struct client_options *o = cl->opt;
	struct tunnel_config tc;
	struct sockaddr_in sin;

	cl->reason[0] = '\0';
	cl->exit_code = EXIT_FAIL;
	cl->call_up = cl->up = cl->got_gre = 0;
	cl->tif.fd = -1;
	if ((cl->gre_fd = gre_sock_open(0)) < 0) {
		set_reason(cl, EXIT_FAIL, "cannot open a raw GRE socket: %s "
		    "(pptpkit connect needs root or CAP_NET_RAW)",
		    strerror(errno));
		fprintf(stderr, "pptpkit: %s\n", cl->reason);
		uv_stop(cl->loop);
		return;
	}
	tunnel_config_default(&tc, PPTP_ROLE_PNS);
	snprintf(tc.log_ctx, sizeof(tc.log_ctx), "server=%s", o->server);
	tc.ppp.policy = o->policy;
	tc.ppp.local_name = o->user;
	tc.ppp.password = o->password;
	tc.ppp.ipv6 = o->ipv6;
	tc.ppp.mru = (uint16_t)o->mtu;
	tc.mtu = o->mtu;
	tc.mss_clamp = 1;
	if (tunnel_new(&cl->tun, &tc, now_ms()) != 0) {
		crypto_wipe(&tc, sizeof(tc));
		set_reason(cl, EXIT_FAIL, "%s", "out of memory");
		uv_stop(cl->loop);
		return;
	}
	crypto_wipe(&tc, sizeof(tc));
	uv_poll_init(cl->loop, &cl->gre_poll, cl->gre_fd);
	cl->gre_poll.data = cl;
	cl->gre_polling = 1;
	uv_poll_start(&cl->gre_poll, UV_READABLE, gre_readable);
	uv_tcp_init(cl->loop, &cl->tcp);
	cl->tcp.data = cl;
	cl->tcp_open = 1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(o->port);
	sin.sin_addr.s_addr = cl->server_addr;
	cl->connect_req.data = cl;
	if (uv_tcp_connect(&cl->connect_req, &cl->tcp,
	    (struct sockaddr *)&sin, on_connect) != 0) {
		set_reason(cl, EXIT_FAIL, "%s", "cannot start the connection");
		session_end(cl);
	}
}

/* The server did not answer our Stop-Control-Connection in time. */
static void
stop_grace_cb(uv_timer_t *h)
{
	struct client *cl = h->data;

	fprintf(stderr, "pptpkit: the server did not answer; closing\n");
	cl->exit_code = EXIT_OK;
	uv_stop(cl->loop);
}

static void
on_signal(uv_signal_t *h, int sig)
{
	struct client *cl = h->data;

	if (cl->stopping || cl->tun == NULL) {
		/* Second signal, or nothing to tear down: leave now. */
		routes_remove(cl);
		cl->exit_code = cl->tun == NULL ? EXIT_OK : cl->exit_code;
		uv_stop(cl->loop);
		return;
	}
	cl->stopping = 1;
	uv_timer_stop(&cl->retry);
	pk_log(PK_LOG_INFO, NULL, "%s: disconnecting",
	    sig == SIGINT ? "SIGINT" : "SIGTERM");
	(void)tunnel_stop(cl->tun, now_ms(), PPTP_STOP_NONE,
	    "client disconnecting", &cl->out);
	client_dispatch(cl);
	if (cl->tun != NULL)
		uv_timer_start(&cl->retry, stop_grace_cb, STOP_GRACE_MS, 0);
}

static void
close_walk_cb(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int
client_run(const struct client_options *opt)
{
	struct client *cl;
	struct addrinfo hints, *res = NULL;
	int rc;

	if ((cl = calloc(1, sizeof(*cl))) == NULL)
		return EXIT_FAIL;
	cl->opt = opt;
	cl->gre_fd = -1;
	cl->tif.fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(opt->server, NULL, &hints, &res)) != 0) {
		fprintf(stderr, "pptpkit: %s: %s\n", opt->server,
		    gai_strerror(rc));
		free(cl);
		return EXIT_FAIL;
	}
	cl->server_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	if (nl_open(&cl->nl) != 0 || out_init(&cl->out, PK_OUT_ARENA,
	    PK_OUT_ITEMS) != 0) {
		fprintf(stderr, "pptpkit: netlink: %s\n", strerror(errno));
		free(cl);
		return EXIT_FAIL;
	}
	cl->loop = uv_default_loop();
	uv_timer_init(cl->loop, &cl->timer);
	uv_timer_init(cl->loop, &cl->watchdog);
	uv_timer_init(cl->loop, &cl->retry);
	cl->timer.data = cl->watchdog.data = cl->retry.data = cl;
	uv_signal_init(cl->loop, &cl->sig_int);
	uv_signal_init(cl->loop, &cl->sig_term);
	cl->sig_int.data = cl->sig_term.data = cl;
	uv_signal_start(&cl->sig_int, on_signal, SIGINT);
	uv_signal_start(&cl->sig_term, on_signal, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	connect_once(cl);
	uv_run(cl->loop, UV_RUN_DEFAULT);
	rc = cl->exit_code;
	if (cl->tun != NULL) {
		routes_remove(cl);
		tunif_close(&cl->tif);
		tunnel_free(cl->tun);
		cl->tun = NULL;
	}
	if (cl->gre_fd >= 0)
		close(cl->gre_fd);
	uv_walk(cl->loop, close_walk_cb, NULL);
	uv_run(cl->loop, UV_RUN_DEFAULT);
	uv_loop_close(cl->loop);
	nl_close(&cl->nl);
	out_free(&cl->out);
	free(cl);
	return rc;
}
