/*
 * loadgen.c - many PPTP clients against one pptpkitd (bench/sessions).
 *
 * Each session is the real client engine (struct tunnel in the PNS role,
 * as src/glue/client.c uses it) with its own TCP control connection,
 * bound to one of --src-count source addresses so that no address carries
 * many connections; it does the whole handshake (Start-Control-Connection,
 * Outgoing-Call, LCP, MS-CHAPv2, CCP/MPPE-128, IPCP). There is no TUN
 * device: the generator builds the IP packets itself (ICMP echo requests
 * to the server's tunnel address) and checks every reply that comes back
 * through the tunnel (addresses, identifier, sequence, payload, checksum).
 *
 * One raw GRE socket serves every session. A packet is matched to its
 * session by the address it was sent to (each TCP connection's own
 * source) and the Call ID in its GRE header: Call IDs are chosen by each
 * client engine at random, so two sessions on different addresses may
 * share one.
 *
 * Phases: ramp (start sessions at --rate per second, at most --inflight
 * handshakes at once, until every session is up or has failed), hold
 * (--hold seconds; the server's keepalives are answered by the engines,
 * and with --trickle each session pings every so often), check (--sample
 * sessions spread over all that are up each send a ping and must get the
 * reply), teardown (every session stops its control connection). The
 * server process (--server-pid) and the generator are read from /proc at
 * each phase boundary; loadgen_report.c turns the readings into figures.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "engine/tunnel.h"
#include "glue/gre_sock.h"
#include "gre/gre.h"
#include "loadgen.h"

#define LG_TICK_MS 20
#define LG_SCAN_MS 250
#define LG_PING_PAYLOAD 32
#define LG_PING_LEN (20 + 8 + LG_PING_PAYLOAD)
#define LG_CHECK_TRIES 5
#define LG_CHECK_RETRY_MS 1000
#define LG_RECV_BATCH 256
#define IPV4_DST_OFF 16
/* GRE that arrives before its call is known (see gre_readable). */
#define LG_EARLY_MAX 1024
#define LG_EARLY_MS 1000

enum lg_state {
	LG_S_IDLE = 0,
	LG_S_CONNECTING,	/* TCP connect under way */
	LG_S_HANDSHAKE,		/* control connection, call, PPP */
	LG_S_UP,		/* PPP up (IPCP open) */
	LG_S_DONE,		/* ended; handles closing or closed */
};

enum lg_phase {
	LG_P_RAMP = 0,
	LG_P_HOLD,
	LG_P_CHECK,
	LG_P_TEARDOWN,
	LG_P_EXIT,
};

struct lg_sess {
	struct lg *lg;
	uint32_t idx;
	uint32_t src;			/* network order */
	int state;
	uv_tcp_t tcp;
	uv_connect_t creq;
	uv_timer_t timer;
	int handles;			/* initialised uv handles */
	int tcp_open;
	struct tunnel *tun;
	uint16_t call_id;
	int hashed;
	int32_t hnext;			/* GRE demux chain */
	int ctrl_up, call_up, closed;
	uint32_t local_ip, peer_ip;	/* host order, once up */
	uint64_t t_start, t_up, next_ping;
	uint16_t ping_seq;
	uint16_t ping_wait;		/* seq we wait for, 0: none */
	int want_ping, first_ping_done;
	int check_state;		/* 0 no, 1 waiting, 2 ok */
	int check_tries;
	char reason[LG_REASON_LEN];
};

struct lg_early {
	uint32_t dst;			/* network order */
	uint64_t t;
	size_t len;
	uint8_t pkt[PK_GRE_PACKET_MAX];
};

struct lg {
	struct lg_opts opt;
	uv_loop_t *loop;
	uv_timer_t tick;
	uv_signal_t sig_int, sig_term;
	uv_poll_t gre_poll;
	uv_check_t early_check;
	int gre_fd;
	struct lg_early *early;
	size_t n_early;
	uint32_t server_addr;		/* network order */
	struct sockaddr_in server_sin;
	struct pk_out out;
	struct lg_sess *sess;
	int32_t *buckets;
	uint32_t nbuckets;
	uint32_t next_start;
	uint32_t inflight;
	int phase;
	uint64_t phase_start;
	uint64_t last_progress;
	uint64_t last_scan;		/* expiry and trickle walk all */
	uint32_t *check_list;
	uint32_t n_check;
	struct lg_tally t;
	uint8_t pktbuf[65536];
};

static void sess_dispatch(struct lg_sess *s);
static void sess_finish(struct lg_sess *s, const char *why);

static uint64_t
now_ms(void)
{
	return pk_clock_ms();
}

/* Source address k: x.y.z.1-254, then x.y.(z+1).1-254, ... */
static uint32_t
src_addr(const struct lg_opts *o, uint32_t k)
{
	return htonl(o->src_net + (k / 254) * 256 + 1 + k % 254);
}

/* ---- GRE demultiplexing by (our address, Call ID) ------------------- */

static uint32_t
hash_key(uint32_t addr, uint16_t call_id)
{
	uint64_t k = ((uint64_t)addr << 16) | call_id;

	return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32);
}

static void
hash_add(struct lg *lg, struct lg_sess *s)
{
	uint32_t b = hash_key(s->src, s->call_id) & (lg->nbuckets - 1);

	s->hnext = lg->buckets[b];
	lg->buckets[b] = (int32_t)s->idx;
	s->hashed = 1;
}

static void
hash_del(struct lg *lg, struct lg_sess *s)
{
	uint32_t b = hash_key(s->src, s->call_id) & (lg->nbuckets - 1);
	int32_t *p = &lg->buckets[b];

	if (!s->hashed)
		return;
	while (*p >= 0 && *p != (int32_t)s->idx)
		p = &lg->sess[*p].hnext;
	if (*p >= 0)
		*p = s->hnext;
	s->hashed = 0;
}

static struct lg_sess *
hash_find(struct lg *lg, uint32_t addr, uint16_t call_id)
{
	int32_t i = lg->buckets[hash_key(addr, call_id) & (lg->nbuckets - 1)];

	for (; i >= 0; i = lg->sess[i].hnext)
		if (lg->sess[i].src == addr && lg->sess[i].call_id == call_id)
			return &lg->sess[i];
	return NULL;
}

/* ---- pings through the tunnel ---------------------------------------- */

static uint16_t
cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t
ping_byte(const struct lg_sess *s, uint16_t seq, size_t i)
{
	return (uint8_t)(s->idx * 31u + seq * 7u + i);
}

/* An ICMP echo request from our tunnel address to the server's. */
static void
sess_ping(struct lg_sess *s)
{
	struct lg *lg = s->lg;
	uint8_t pkt[LG_PING_LEN];
	struct buf_writer w;

	if (s->state != LG_S_UP || s->tun == NULL)
		return;
	if (++s->ping_seq == 0)
		s->ping_seq = 1;
	buf_writer_init(&w, pkt, sizeof(pkt));
	(void)(buf_put_u8(&w, 0x45) || buf_put_u8(&w, 0) ||
	    buf_put_u16(&w, LG_PING_LEN) || buf_put_u16(&w, s->ping_seq) ||
	    buf_put_u16(&w, 0) || buf_put_u8(&w, 64) || buf_put_u8(&w, 1) ||
	    buf_put_u16(&w, 0) || buf_put_u32(&w, s->local_ip) ||
	    buf_put_u32(&w, s->peer_ip) || buf_put_u8(&w, 8) ||
	    buf_put_u8(&w, 0) || buf_put_u16(&w, 0) ||
	    buf_put_u16(&w, (uint16_t)s->idx) || buf_put_u16(&w, s->ping_seq));
	for (size_t i = 0; i < LG_PING_PAYLOAD; i++)
		(void)buf_put_u8(&w, ping_byte(s, s->ping_seq, i));
	if (w.err != 0)
		return;
	(void)buf_set_u16_at(&w, 10, cksum(pkt, 20));
	(void)buf_set_u16_at(&w, 22, cksum(pkt + 20, LG_PING_LEN - 20));
	s->ping_wait = s->ping_seq;
	lg->t.pings_sent++;
	(void)tunnel_ip_input(s->tun, now_ms(), s->call_id, pkt, sizeof(pkt),
	    &lg->out);
	sess_dispatch(s);
}

/* Checks an IP packet the tunnel delivered: the echo reply we wait for,
 * from the server's tunnel address, with our payload. */
static void
sess_ip_in(struct lg_sess *s, const uint8_t *pkt, size_t len)
{
	struct lg *lg = s->lg;
	struct buf_reader r;
	uint8_t vihl, proto, type, code, b;
	uint16_t total, id, seq;
	uint32_t src, dst;
	int bad = 0;

	buf_reader_init(&r, pkt, len);
	if (buf_get_u8(&r, &vihl) != 0 || vihl != 0x45 ||
	    buf_skip(&r, 1) != 0 || buf_get_u16(&r, &total) != 0 ||
	    total != len || buf_skip(&r, 5) != 0 ||
	    buf_get_u8(&r, &proto) != 0 || proto != 1 ||
	    buf_skip(&r, 2) != 0 || buf_get_u32(&r, &src) != 0 ||
	    buf_get_u32(&r, &dst) != 0 || src != s->peer_ip ||
	    dst != s->local_ip || cksum(pkt, 20) != 0 ||
	    cksum(pkt + 20, len - 20) != 0 ||
	    buf_get_u8(&r, &type) != 0 || buf_get_u8(&r, &code) != 0 ||
	    type != 0 || code != 0 || buf_skip(&r, 2) != 0 ||
	    buf_get_u16(&r, &id) != 0 || buf_get_u16(&r, &seq) != 0 ||
	    id != (uint16_t)s->idx || seq != s->ping_wait ||
	    buf_remaining(&r) != LG_PING_PAYLOAD)
		bad = 1;
	for (size_t i = 0; !bad && i < LG_PING_PAYLOAD; i++)
		if (buf_get_u8(&r, &b) != 0 || b != ping_byte(s, seq, i))
			bad = 1;
	if (bad) {
		lg->t.pings_bad++;
		return;
	}
	lg->t.pings_ok++;
	s->ping_wait = 0;
	if (!s->first_ping_done) {
		s->first_ping_done = 1;
		lg->t.first_ping_ok++;
	}
	if (s->check_state == 1) {
		s->check_state = 2;
		lg->t.check_ok++;
	}
}

/* ---- one session ------------------------------------------------------ */

static void
write_done(uv_write_t *req, int status)
{
	free(req);
}

static void
sess_write(struct lg_sess *s, const uint8_t *data, size_t len)
{
	uv_write_t *w;
	uv_buf_t b;

	if (!s->tcp_open || (w = malloc(sizeof(*w) + len)) == NULL)
		return;
	memcpy(w + 1, data, len);
	b = uv_buf_init((char *)(w + 1), (unsigned)len);
	if (uv_write(w, (uv_stream_t *)&s->tcp, &b, 1, write_done) != 0)
		free(w);
}

static void
set_reason(struct lg_sess *s, const char *what, const char *text)
{
	if (s->reason[0] == '\0')
		snprintf(s->reason, sizeof(s->reason), "%s%s", what, text);
}

static void
sess_up(struct lg_sess *s, const struct ppp_up_info *info)
{
	struct lg *lg = s->lg;

	s->state = LG_S_UP;
	s->t_up = now_ms();
	s->local_ip = info->local_ip;
	s->peer_ip = info->peer_ip;
	lg->inflight--;
	lg->t.connected++;
	lg->t.up_now++;
	lg->t.last_up_ms = s->t_up;
	lg->t.latency_ms[lg->t.n_latency++] = (uint32_t)(s->t_up - s->t_start);
	if (info->mppe_bits == 128 && info->mppe_stateless)
		lg->t.stateless++;
	else if (info->mppe_bits == 128)
		lg->t.stateful++;
	else
		lg->t.other_mppe++;
	if (lg->opt.trickle_s != 0)
		s->next_ping = s->t_up + (uint64_t)lg->opt.trickle_s * 1000;
	/* The first ping goes out once this dispatch is over. */
	s->want_ping = 1;
}

static void
sess_event(struct lg_sess *s, size_t idx)
{
	struct lg *lg = s->lg;
	struct pk_event ev;
	struct ppp_up_info info;

	if (out_get_event(&lg->out, idx, &ev) != 0 ||
	    ev.source != EV_SRC_SESSION)
		return;
	switch (ev.type) {
	case TUNNEL_EV_CTRL_UP:
		s->ctrl_up = 1;
		break;
	case TUNNEL_EV_CALL_UP:
		s->call_up = 1;
		s->call_id = (uint16_t)ev.id;
		hash_add(lg, s);
		break;
	case TUNNEL_EV_AUTH_FAILED:
		set_reason(s, "authentication failed: ", ev.text);
		break;
	case TUNNEL_EV_UP:
		if (out_event_payload(&lg->out, idx, &info, sizeof(info)) == 0)
			sess_up(s, &info);
		break;
	case TUNNEL_EV_CALL_DOWN:
		if (ev.text[0] != '\0' && ev.code != PK_ERR_CLOSED)
			set_reason(s, "call ended: ", ev.text);
		hash_del(lg, s);
		break;
	case TUNNEL_EV_CLOSED:
		set_reason(s, "control connection closed: ", ev.text[0] !=
		    '\0' ? ev.text : pk_strerror(ev.code));
		s->closed = 1;
		break;
	}
}

static void
sess_timer_cb(uv_timer_t *h)
{
	struct lg_sess *s = h->data;

	if (s->tun == NULL)
		return;
	(void)tunnel_timeout(s->tun, now_ms(), &s->lg->out);
	sess_dispatch(s);
}

static void
sess_dispatch(struct lg_sess *s)
{
	struct lg *lg = s->lg;
	struct pk_out *out = &lg->out;

	for (size_t i = 0; i < out->n_items; i++) {
		const struct out_item *it = out_item(out, i);

		switch (it->kind) {
		case OUT_CTRL:
			sess_write(s, out_data(out, i), it->len);
			break;
		case OUT_GRE:
			if (gre_sock_send(lg->gre_fd, s->src, lg->server_addr,
			    out_data(out, i), it->len) != 0)
				lg->t.gre_send_err++;
			break;
		case OUT_IP:
			sess_ip_in(s, out_data(out, i), it->len);
			break;
		case OUT_EVENT:
			sess_event(s, i);
			break;
		}
	}
	out_reset(out);
	if (s->closed) {
		sess_finish(s, NULL);
		return;
	}
	if (s->tun != NULL) {
		uint64_t d = tunnel_next_deadline(s->tun), now = now_ms();

		uv_timer_stop(&s->timer);
		if (d != PK_TIME_NEVER)
			uv_timer_start(&s->timer, sess_timer_cb,
			    d > now ? d - now : 0, 0);
	}
	if (s->want_ping) {
		s->want_ping = 0;
		sess_ping(s);
	}
}

static void
handle_closed(uv_handle_t *h)
{
	struct lg_sess *s = h->data;

	s->handles--;
}

/* The session is over (why: our own reason, or NULL for the engine's):
 * count it once, close its handles, free its engine. */
static void
sess_finish(struct lg_sess *s, const char *why)
{
	struct lg *lg = s->lg;
	int was = s->state;

	if (was == LG_S_DONE || was == LG_S_IDLE)
		return;
	if (why != NULL)
		set_reason(s, why, "");
	s->state = LG_S_DONE;
	hash_del(lg, s);
	if (was == LG_S_UP) {
		lg->t.up_now--;
		if (lg->phase == LG_P_TEARDOWN) {
			if (why == NULL)
				lg->t.closed_clean++;
			else
				lg->t.closed_forced++;
		} else {
			lg->t.dropped++;
			lg_reason_add(&lg->t.drop_reasons, s->reason[0] ?
			    s->reason : "ended without a reason");
		}
	} else {
		lg->inflight--;
		lg->t.failed++;
		lg_reason_add(&lg->t.fail_reasons, s->reason[0] ?
		    s->reason : "ended without a reason");
	}
	if (s->tcp_open) {
		s->tcp_open = 0;
		uv_close((uv_handle_t *)&s->tcp, handle_closed);
	}
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, handle_closed);
	tunnel_free(s->tun);
	s->tun = NULL;
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char rbuf[PK_CTRL_RXBUF];

	buf->base = rbuf;
	buf->len = sizeof(rbuf);
}

static void
read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct lg_sess *s = st->data;

	if (s->tun == NULL || n == 0)
		return;
	if (n > 0)
		(void)tunnel_ctrl_input(s->tun, now_ms(), (uint8_t *)buf->base,
		    (size_t)n, &s->lg->out);
	else
		(void)tunnel_ctrl_closed(s->tun, now_ms(), &s->lg->out);
	sess_dispatch(s);
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct lg_sess *s = req->data;
	struct lg *lg = s->lg;
	struct tunnel_config tc;
	char why[128];

	if (s->state != LG_S_CONNECTING)
		return;
	if (status < 0) {
		snprintf(why, sizeof(why), "TCP connect: %s",
		    uv_strerror(status));
		sess_finish(s, why);
		return;
	}
	tunnel_config_default(&tc, PPTP_ROLE_PNS);
	snprintf(tc.log_ctx, sizeof(tc.log_ctx), "session=%u", s->idx);
	policy_default(&tc.ppp.policy);
	tc.ppp.local_name = lg->opt.user;
	tc.ppp.password = lg->opt.password;
	tc.ppp.mru = 1400;
	tc.ppp.echo_interval_ms = lg->opt.lcp_echo_s * 1000;
	tc.ctrl.echo_interval_ms = lg->opt.pptp_echo_s * 1000;
	tc.mtu = 1400;
	tc.mss_clamp = 0;
	if (tunnel_new(&s->tun, &tc, now_ms()) != 0) {
		sess_finish(s, "out of memory (client engine)");
		return;
	}
	s->state = LG_S_HANDSHAKE;
	uv_tcp_nodelay(&s->tcp, 1);
	uv_read_start((uv_stream_t *)&s->tcp, alloc_cb, read_cb);
	(void)tunnel_start(s->tun, now_ms(), &lg->out);
	sess_dispatch(s);
}

static void
sess_start(struct lg *lg, struct lg_sess *s)
{
	struct sockaddr_in me;
	char why[128];
	int r;

	s->state = LG_S_CONNECTING;
	s->t_start = now_ms();
	if (lg->t.first_start_ms == 0)
		lg->t.first_start_ms = s->t_start;
	lg->t.started++;
	lg->inflight++;
	uv_timer_init(lg->loop, &s->timer);
	s->timer.data = s;
	uv_tcp_init(lg->loop, &s->tcp);
	s->tcp.data = s;
	s->handles = 2;
	s->tcp_open = 1;
	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	me.sin_addr.s_addr = s->src;
	s->creq.data = s;
	if ((r = uv_tcp_bind(&s->tcp, (struct sockaddr *)&me, 0)) != 0 ||
	    (r = uv_tcp_connect(&s->creq, &s->tcp,
	    (struct sockaddr *)&lg->server_sin, on_connect)) != 0) {
		snprintf(why, sizeof(why), "TCP connect: %s", uv_strerror(r));
		sess_finish(s, why);
	}
}

/* ---- the GRE socket ---------------------------------------------------- */

/* Packets for no session: the last ones of sessions we have closed
 * are expected once the teardown has begun; before, they are not. */
static void
gre_unknown(struct lg *lg)
{
	if (lg->phase >= LG_P_TEARDOWN)
		lg->t.gre_after_teardown++;
	else
		lg->t.gre_unknown++;
}

/* Hands one GRE packet to its session; 0 if there is none (yet). */
static int
gre_deliver(struct lg *lg, uint32_t dst, const uint8_t *gre, size_t len)
{
	struct lg_sess *s;
	uint16_t call_id;

	if (gre_peek_call_id(gre, len, &call_id) != 0 ||
	    (s = hash_find(lg, dst, call_id)) == NULL || s->tun == NULL)
		return 0;
	(void)tunnel_gre_input(s->tun, now_ms(), gre, len, &lg->out);
	sess_dispatch(s);
	return 1;
}

/*
 * The server sends its first LCP Configure-Request right after the
 * Outgoing-Call-Reply; both may be waiting in one loop iteration, and
 * libuv may read the GRE socket first, before this session knows its
 * call. Such packets are held (up to LG_EARLY_MS) and offered again
 * after the iteration's reads, as a client with one socket per session
 * would simply read them later. Without it every handshake would wait
 * for the server's 3 s LCP restart timer.
 */
static void
early_hold(struct lg *lg, uint32_t dst, const uint8_t *gre, size_t len)
{
	struct lg_early *e;

	if (lg->n_early == LG_EARLY_MAX || len > sizeof(e->pkt)) {
		gre_unknown(lg);
		return;
	}
	e = &lg->early[lg->n_early++];
	e->dst = dst;
	e->t = now_ms();
	e->len = len;
	memcpy(e->pkt, gre, len);
}

static void
early_check_cb(uv_check_t *h)
{
	struct lg *lg = h->data;
	uint64_t now = now_ms();
	size_t keep = 0, n = lg->n_early;

	/* gre_deliver() never adds to the list (only gre_readable()
	 * does), so it can be compacted while it is walked. */
	for (size_t i = 0; i < n; i++) {
		struct lg_early *e = &lg->early[i];

		if (gre_deliver(lg, e->dst, e->pkt, e->len)) {
			lg->t.gre_early++;
			continue;
		}
		if (now - e->t >= LG_EARLY_MS) {
			gre_unknown(lg);
			continue;
		}
		if (keep != i)
			lg->early[keep] = *e;
		keep++;
	}
	lg->n_early = keep;
}

static void
gre_readable(uv_poll_t *h, int status, int events)
{
	struct lg *lg = h->data;

	for (int i = 0; i < LG_RECV_BATCH; i++) {
		struct buf_reader ip;
		const uint8_t *gre;
		uint32_t src, dst;
		size_t len;
		int r;

		r = gre_sock_recv(lg->gre_fd, lg->pktbuf, sizeof(lg->pktbuf),
		    &src, &gre, &len);
		if (r == 0 || r == PK_ERR_SYS)
			break;
		/* The address it was sent to: ours, one per connection. */
		buf_reader_init(&ip, lg->pktbuf, sizeof(lg->pktbuf));
		if (r < 0 || src != lg->server_addr ||
		    buf_skip(&ip, IPV4_DST_OFF) != 0 ||
		    buf_get_u32(&ip, &dst) != 0) {
			gre_unknown(lg);
			continue;
		}
		if (!gre_deliver(lg, htonl(dst), gre, len))
			early_hold(lg, htonl(dst), gre, len);
	}
}

/* ---- phases -------------------------------------------------------------- */

static void
mark(struct lg *lg, int m)
{
	uint64_t now = now_ms();

	if (lg->opt.server_pid > 0)
		(void)lg_sample_read(lg->opt.server_pid, now, &lg->t.srv[m]);
	(void)lg_sample_read(getpid(), now, &lg->t.self[m]);
}

static void
set_phase(struct lg *lg, int phase)
{
	static const char *const names[] = { "ramp", "hold", "check",
	    "teardown", "exit" };

	lg->phase = phase;
	lg->phase_start = now_ms();
	fprintf(stderr, "loadgen: phase %s: %u up, %u failed, %u dropped\n",
	    names[phase], lg->t.up_now, lg->t.failed, lg->t.dropped);
}

static void
ramp(struct lg *lg, uint64_t now)
{
	const struct lg_opts *o = &lg->opt;
	uint64_t allowed = o->sessions;

	if (o->rate > 0) {
		allowed = (uint64_t)((double)(now - lg->phase_start) *
		    o->rate / 1000.0) + 1;
		if (allowed > o->sessions)
			allowed = o->sessions;
	}
	while (lg->next_start < allowed && lg->inflight < o->inflight)
		sess_start(lg, &lg->sess[lg->next_start++]);
}

/* Ends handshakes that take too long, with what they had reached. */
static void
expire(struct lg *lg, uint64_t now)
{
	uint64_t limit = (uint64_t)lg->opt.handshake_timeout_s * 1000;

	for (uint32_t i = 0; i < lg->next_start; i++) {
		struct lg_sess *s = &lg->sess[i];
		char why[128];

		if ((s->state != LG_S_CONNECTING &&
		    s->state != LG_S_HANDSHAKE) || now - s->t_start < limit)
			continue;
		snprintf(why, sizeof(why), "handshake timeout after %u s (%s)",
		    lg->opt.handshake_timeout_s,
		    s->state == LG_S_CONNECTING ? "TCP connect" :
		    !s->ctrl_up ? "control connection" :
		    !s->call_up ? "outgoing call" : "PPP negotiation");
		sess_finish(s, why);
	}
}

static void
choose_check(struct lg *lg)
{
	uint32_t n_up = 0, step, k = 0;

	for (uint32_t i = 0; i < lg->opt.sessions; i++)
		n_up += lg->sess[i].state == LG_S_UP;
	lg->n_check = lg->opt.sample < n_up ? lg->opt.sample : n_up;
	if (lg->n_check == 0)
		return;
	step = n_up / lg->n_check;
	for (uint32_t i = 0, j = 0; i < lg->opt.sessions &&
	    k < lg->n_check; i++) {
		if (lg->sess[i].state != LG_S_UP)
			continue;
		if (j++ % step == 0)
			lg->check_list[k++] = i;
	}
	lg->n_check = k;
	lg->t.checked = k;
}

static void
check(struct lg *lg, uint64_t now)
{
	int waiting = 0;

	for (uint32_t k = 0; k < lg->n_check; k++) {
		struct lg_sess *s = &lg->sess[lg->check_list[k]];

		if (s->check_state == 2 || s->state != LG_S_UP)
			continue;
		if (s->check_tries < LG_CHECK_TRIES && now >= s->next_ping) {
			s->check_state = 1;
			s->check_tries++;
			s->next_ping = now + LG_CHECK_RETRY_MS;
			sess_ping(s);
		}
		waiting |= s->check_state != 2 &&
		    (s->check_tries < LG_CHECK_TRIES ||
		    now < s->next_ping);
	}
	if (!waiting) {
		mark(lg, LG_MARK_CHECK_END);
		set_phase(lg, lg->opt.teardown ? LG_P_TEARDOWN : LG_P_EXIT);
		if (!lg->opt.teardown)
			return;
		for (uint32_t i = 0; i < lg->next_start; i++) {
			struct lg_sess *s = &lg->sess[i];

			if (s->state == LG_S_UP && s->tun != NULL) {
				(void)tunnel_stop(s->tun, now_ms(),
				    PPTP_STOP_NONE, "load test over", &lg->out);
				sess_dispatch(s);
			}
		}
	}
}

static void
trickle(struct lg *lg, uint64_t now)
{
	for (uint32_t i = 0; i < lg->next_start; i++) {
		struct lg_sess *s = &lg->sess[i];

		if (s->state == LG_S_UP && now >= s->next_ping) {
			s->next_ping = now + (uint64_t)lg->opt.trickle_s * 1000;
			sess_ping(s);
		}
	}
}

static void
progress(struct lg *lg, uint64_t now)
{
	if (now - lg->last_progress < 1000)
		return;
	lg->last_progress = now;
	fprintf(stderr, "loadgen: %6.1f s started %u up %u failed %u "
	    "dropped %u in-flight %u\n", (double)(now -
	    lg->t.first_start_ms) / 1000.0, lg->t.started, lg->t.up_now,
	    lg->t.failed, lg->t.dropped, lg->inflight);
}

static void
stop_all(struct lg *lg, const char *why)
{
	for (uint32_t i = 0; i < lg->next_start; i++)
		sess_finish(&lg->sess[i], why);
}

static void
tick_cb(uv_timer_t *h)
{
	struct lg *lg = h->data;
	uint64_t now = now_ms();
	int scan = now - lg->last_scan >= LG_SCAN_MS;

	if (scan) {
		lg->last_scan = now;
		expire(lg, now);
	}
	switch (lg->phase) {
	case LG_P_RAMP:
		ramp(lg, now);
		progress(lg, now);
		if (lg->next_start == lg->opt.sessions && lg->inflight == 0) {
			mark(lg, LG_MARK_RAMP_END);
			set_phase(lg, LG_P_HOLD);
			lg->t.up_at_hold_start = lg->t.up_now;
			mark(lg, LG_MARK_HOLD_START);
		}
		break;
	case LG_P_HOLD:
		if (lg->opt.trickle_s != 0 && scan)
			trickle(lg, now);
		if (now - lg->phase_start >= (uint64_t)lg->opt.hold_s * 1000) {
			mark(lg, LG_MARK_HOLD_END);
			lg->t.hold_s_actual_ms = (uint32_t)(now - lg->phase_start);
			set_phase(lg, LG_P_CHECK);
			choose_check(lg);
			for (uint32_t k = 0; k < lg->n_check; k++)
				lg->sess[lg->check_list[k]].next_ping = now;
		}
		break;
	case LG_P_CHECK:
		check(lg, now);
		break;
	case LG_P_TEARDOWN:
		if (lg->t.up_now == 0 || now - lg->phase_start >=
		    (uint64_t)lg->opt.teardown_s * 1000) {
			lg->t.teardown_ms = (uint32_t)(now - lg->phase_start);
			stop_all(lg, "teardown: no answer in time");
			set_phase(lg, LG_P_EXIT);
		}
		break;
	case LG_P_EXIT:
		stop_all(lg, "generator exiting");
		mark(lg, LG_MARK_END);
		uv_timer_stop(&lg->tick);
		uv_poll_stop(&lg->gre_poll);
		uv_close((uv_handle_t *)&lg->gre_poll, NULL);
		uv_close((uv_handle_t *)&lg->early_check, NULL);
		uv_close((uv_handle_t *)&lg->sig_int, NULL);
		uv_close((uv_handle_t *)&lg->sig_term, NULL);
		uv_close((uv_handle_t *)&lg->tick, NULL);
		break;
	}
}

static void
on_signal(uv_signal_t *h, int sig)
{
	struct lg *lg = h->data;

	lg->t.interrupted = 1;
	if (lg->phase == LG_P_RAMP)
		mark(lg, LG_MARK_RAMP_END);
	lg->next_start = lg->opt.sessions;
	fprintf(stderr, "loadgen: interrupted\n");
	stop_all(lg, "interrupted");
	set_phase(lg, LG_P_EXIT);
}

int
main(int argc, char **argv)
{
	struct lg *lg;
	uint32_t n;
	int rc = 0;

	if ((lg = calloc(1, sizeof(*lg))) == NULL)
		return 1;
	if (lg_parse_opts(argc, argv, &lg->opt) != 0)
		return 64;
	n = lg->opt.sessions;
	pk_log_set_level(lg->opt.log_level);
	if (inet_pton(AF_INET, lg->opt.server, &lg->server_sin.sin_addr) != 1) {
		fprintf(stderr, "loadgen: bad --server %s\n", lg->opt.server);
		return 64;
	}
	lg->server_sin.sin_family = AF_INET;
	lg->server_sin.sin_port = htons(lg->opt.port);
	lg->server_addr = lg->server_sin.sin_addr.s_addr;
	for (lg->nbuckets = 1024; lg->nbuckets < 2 * n; lg->nbuckets *= 2)
		;
	lg->sess = calloc(n, sizeof(*lg->sess));
	lg->buckets = malloc(lg->nbuckets * sizeof(*lg->buckets));
	lg->check_list = calloc(n, sizeof(*lg->check_list));
	lg->t.latency_ms = calloc(n, sizeof(*lg->t.latency_ms));
	lg->early = calloc(LG_EARLY_MAX, sizeof(*lg->early));
	if (lg->sess == NULL || lg->buckets == NULL || lg->check_list == NULL ||
	    lg->t.latency_ms == NULL || lg->early == NULL ||
	    out_init(&lg->out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0) {
		fprintf(stderr, "loadgen: out of memory\n");
		return 1;
	}
	memset(lg->buckets, 0xff, lg->nbuckets * sizeof(*lg->buckets));
	for (uint32_t i = 0; i < n; i++) {
		lg->sess[i].lg = lg;
		lg->sess[i].idx = i;
		lg->sess[i].hnext = -1;
		lg->sess[i].src = src_addr(&lg->opt, i % lg->opt.src_count);
	}
	lg->t.target = n;
	if ((lg->gre_fd = gre_sock_open(0)) < 0) {
		fprintf(stderr, "loadgen: raw GRE socket: %s (needs root or "
		    "CAP_NET_RAW)\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	lg->loop = uv_default_loop();
	uv_poll_init(lg->loop, &lg->gre_poll, lg->gre_fd);
	lg->gre_poll.data = lg;
	uv_poll_start(&lg->gre_poll, UV_READABLE, gre_readable);
	uv_check_init(lg->loop, &lg->early_check);
	lg->early_check.data = lg;
	uv_check_start(&lg->early_check, early_check_cb);
	uv_signal_init(lg->loop, &lg->sig_int);
	uv_signal_init(lg->loop, &lg->sig_term);
	lg->sig_int.data = lg->sig_term.data = lg;
	uv_signal_start(&lg->sig_int, on_signal, SIGINT);
	uv_signal_start(&lg->sig_term, on_signal, SIGTERM);
	uv_timer_init(lg->loop, &lg->tick);
	lg->tick.data = lg;
	mark(lg, LG_MARK_START);
	set_phase(lg, LG_P_RAMP);
	uv_timer_start(&lg->tick, tick_cb, 0, LG_TICK_MS);
	uv_run(lg->loop, UV_RUN_DEFAULT);
	close(lg->gre_fd);
	lg_report_print(stdout, &lg->opt, &lg->t);
	if (lg->opt.json_path != NULL &&
	    lg_report_json(lg->opt.json_path, &lg->opt, &lg->t) != 0) {
		fprintf(stderr, "loadgen: cannot write %s\n",
		    lg->opt.json_path);
		rc = 1;
	}
	/* A run in which any session failed, dropped, or did not pass the
	 * final check exits 2, so scripts notice without parsing. */
	if (rc == 0 && (lg->t.failed != 0 || lg->t.dropped != 0 ||
	    lg->t.check_ok != lg->t.checked || lg->t.interrupted))
		rc = 2;
	uv_loop_close(lg->loop);
	out_free(&lg->out);
	return rc;
}
