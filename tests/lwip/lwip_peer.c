/*
 * lwip_peer.c - wraps lwIP 2.1.3's PPP behind lwip_peer.h: a custom lower
 * layer (struct link_callbacks, as lwIP's PPPoE and L2TP code provide)
 * turns frames into queue entries, an IPv4 input hook captures what PPP
 * delivers, and sys_now() reads a virtual clock.
 *
 * lwIP's frame conventions, from ppp.c: link_cb->write() gets a control
 * frame that starts with FF 03 and the protocol and owns the pbuf;
 * link_cb->netif_output() gets a data packet plus its protocol and does
 * not own the pbuf; ppp_input() wants the protocol first, two bytes, with
 * FF 03 already removed (pppoe.c, pppol2tp.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "netif/ppp/ppp_impl.h"
#include "netif/ppp/ccp.h"
#include "netif/ppp/lcp.h"

#include "core/buf.h"
#include "core/err.h"
#include "lwip_peer.h"
#include "lwip_peer_hooks.h"

#define PPP_ADDR_CTRL_LEN	2	/* FF 03, RFC 1662 §3.1 */
#define PPP_PROTO_LEN		2
#define PPP_HDR_MAX		(PPP_ADDR_CTRL_LEN + PPP_PROTO_LEN)
#define IPV4_HDR_MIN		20	/* RFC 791 §3.1 */
#define IPV4_DST_OFFSET		16

/* One queued frame or packet. */
struct lwip_peer_item {
	struct lwip_peer_item *next;
	size_t len;
	uint8_t data[];
};

struct lwip_peer_queue {
	struct lwip_peer_item *head, *tail;
	size_t n;
};

struct lwip_peer {
	struct lwip_peer *next;		/* all live peers, for the IP hook */
	struct lwip_peer_config cfg;
	char user[LWIP_PEER_NAME_MAX + 1];
	char password[LWIP_PEER_NAME_MAX + 1];
	struct netif netif;
	ppp_pcb *pcb;
	int started;
	int up;
	int last_err;
	/* Transmit-side ACFC/PFC as LCP set them (link_cb->send_config). */
	int tx_pcomp, tx_accomp;
	struct lwip_peer_queue frames;
	struct lwip_peer_queue ip;
	uint64_t n_out, n_in, n_dropped;
};

static struct lwip_peer *peers;
static int lwip_ready;
static uint32_t clock_ms;
static uint32_t rand_state = 0x9e3779b9u;
static int debug_on = -1;

/* ---- platform glue (arch/cc.h, sys.h) ---- */

u32_t
sys_now(void)
{
	return clock_ms;
}

u32_t
sys_jiffies(void)
{
	return clock_ms;
}

void
lwip_peer_diag(const char *fmt, ...)
{
	va_list ap;

	if (debug_on < 0) {
		const char *e = getenv("LWIP_PEER_DEBUG");

		debug_on = e != NULL && *e != '\0' && strcmp(e, "0") != 0;
	}
	if (!debug_on)
		return;
	fprintf(stderr, "[lwip %6lu] ", (unsigned long)clock_ms);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void
lwip_peer_assert(const char *msg, const char *file, int line)
{
	fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", msg, file,
	    line);
	fflush(stderr);
	abort();
}

/* xorshift32: reproducible, not secure, which a test peer does not need. */
uint32_t
lwip_peer_rand(void)
{
	uint32_t x = rand_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rand_state = x;
	return x;
}

void
lwip_peer_set_seed(uint32_t seed)
{
	rand_state = seed != 0 ? seed : 0x9e3779b9u;
}

/* ---- queues ---- */

static int
queue_push(struct lwip_peer *p, struct lwip_peer_queue *q,
    const uint8_t *hdr, size_t hdr_len, struct pbuf *pb)
{
	struct lwip_peer_item *it;
	struct buf_writer w;
	size_t body = pb != NULL ? pb->tot_len : 0;
	uint8_t *dst;

	if (q->n >= LWIP_PEER_QUEUE_MAX) {
		p->n_dropped++;
		return PK_ERR_FULL;
	}
	if ((it = malloc(sizeof(*it) + hdr_len + body)) == NULL) {
		p->n_dropped++;
		return PK_ERR_NOMEM;
	}
	it->next = NULL;
	it->len = hdr_len + body;
	buf_writer_init(&w, it->data, it->len);
	if (buf_put_bytes(&w, hdr, hdr_len) != PK_OK ||
	    buf_put_reserve(&w, body, &dst) != PK_OK ||
	    (body > 0 && pbuf_copy_partial(pb, dst, (u16_t)body, 0) != body)) {
		free(it);
		p->n_dropped++;
		return PK_ERR_INTERNAL;
	}
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->n++;
	return PK_OK;
}

static size_t
queue_pop(struct lwip_peer_queue *q, uint8_t *buf, size_t cap)
{
	struct lwip_peer_item *it = q->head;
	size_t len;

	if (it == NULL)
		return 0;
	if ((q->head = it->next) == NULL)
		q->tail = NULL;
	q->n--;
	len = it->len;
	if (buf != NULL && cap > 0)
		memcpy(buf, it->data, len < cap ? len : cap);
	free(it);
	return len;
}

static void
queue_clear(struct lwip_peer_queue *q)
{
	while (q->head != NULL)
		(void)queue_pop(q, NULL, 0);
}

/*
 * Builds the header lwip_peer puts in front of a frame's protocol and
 * information fields: FF 03 unless ACFC applies (never on LCP, RFC 1661
 * §6.6), then the protocol in one byte when PFC applies (only protocols
 * 0x00xx with an odd low byte, RFC 1661 §6.5).
 */
static size_t
frame_header(const struct lwip_peer *p, uint16_t proto,
    uint8_t hdr[PPP_HDR_MAX])
{
	struct buf_writer w;
	int compress = p->cfg.hdr_compress;

	buf_writer_init(&w, hdr, PPP_HDR_MAX);
	if (!(compress && p->tx_accomp && proto != PPP_LCP)) {
		(void)buf_put_u8(&w, PPP_ALLSTATIONS);
		(void)buf_put_u8(&w, PPP_UI);
	}
	if (compress && p->tx_pcomp && proto < 0x100 && (proto & 1) != 0)
		(void)buf_put_u8(&w, (uint8_t)proto);
	else
		(void)buf_put_u16(&w, proto);
	return w.len;	/* at most PPP_HDR_MAX: cannot fail */
}

/* ---- lwIP link callbacks ---- */

static void
link_connect(ppp_pcb *pcb, void *ctx)
{
	(void)ctx;
	/* The "link" exists as soon as it is asked for: start LCP. */
	ppp_start(pcb);
}

static void
link_listen(ppp_pcb *pcb, void *ctx)
{
	(void)ctx;
	ppp_start(pcb);
}

static void
link_disconnect(ppp_pcb *pcb, void *ctx)
{
	(void)ctx;
	/* Nothing below PPP to hang up: report the link ended. */
	ppp_link_end(pcb);
}

static err_t
link_free(ppp_pcb *pcb, void *ctx)
{
	(void)pcb;
	(void)ctx;
	return ERR_OK;
}

/* Control frames from LCP, the authentication protocols and the NCPs:
 * FF 03, protocol, information. We own pb. */
static err_t
link_write(ppp_pcb *pcb, void *ctx, struct pbuf *pb)
{
	struct lwip_peer *p = ctx;
	uint8_t raw[PPP_HDR_MAX], hdr[PPP_HDR_MAX];
	struct buf_reader rd;
	uint16_t proto;
	int r;

	(void)pcb;
	if (pbuf_copy_partial(pb, raw, sizeof(raw), 0) != sizeof(raw)) {
		pbuf_free(pb);
		return ERR_VAL;
	}
	buf_reader_init(&rd, raw, sizeof(raw));
	if (buf_peek_u16(&rd, PPP_ADDR_CTRL_LEN, &proto) != PK_OK) {
		pbuf_free(pb);
		return ERR_VAL;
	}
	pbuf_remove_header(pb, sizeof(raw));
	r = queue_push(p, &p->frames, hdr, frame_header(p, proto, hdr), pb);
	pbuf_free(pb);
	if (r != PK_OK)
		return ERR_MEM;
	p->n_out++;
	return ERR_OK;
}

/* Data packets (IP, VJ, MPPE-encrypted) without any PPP header; the
 * caller keeps pb. */
static err_t
link_netif_output(ppp_pcb *pcb, void *ctx, struct pbuf *pb, u_short proto)
{
	struct lwip_peer *p = ctx;
	uint8_t hdr[PPP_HDR_MAX];

	int r;

	(void)pcb;
	r = queue_push(p, &p->frames, hdr, frame_header(p, proto, hdr), pb);
	if (r == PK_ERR_FULL)
		return ERR_WOULDBLOCK;	/* told apart in lwip_peer_send_ip() */
	if (r != PK_OK)
		return ERR_MEM;
	p->n_out++;
	return ERR_OK;
}

static void
link_send_config(ppp_pcb *pcb, void *ctx, u32_t accm, int pcomp, int accomp)
{
	struct lwip_peer *p = ctx;

	(void)pcb;
	(void)accm;	/* async control character map: no meaning here */
	p->tx_pcomp = pcomp;
	p->tx_accomp = accomp;
}

static void
link_recv_config(ppp_pcb *pcb, void *ctx, u32_t accm, int pcomp, int accomp)
{
	/* Input accepts compressed and full headers at any time. */
	(void)pcb;
	(void)ctx;
	(void)accm;
	(void)pcomp;
	(void)accomp;
}

static const struct link_callbacks peer_link = {
	link_connect,
	link_listen,
	link_disconnect,
	link_free,
	link_write,
	link_netif_output,
	link_send_config,
	link_recv_config,
};

static void
link_status(ppp_pcb *pcb, int err, void *ctx)
{
	struct lwip_peer *p = ctx;

	(void)pcb;
	p->last_err = err;
	p->up = err == PPPERR_NONE;
	lwip_peer_diag("peer %p (%s): status %d (%s)\n", (void *)p,
	    p->cfg.is_server ? "server" : "client", err,
	    lwip_peer_err_text(err));
}

int
lwip_peer_hook_ip4_input(struct pbuf *pb, struct netif *inp)
{
	struct lwip_peer *p;

	for (p = peers; p != NULL; p = p->next) {
		if (&p->netif == inp)
			break;
	}
	if (p == NULL)
		return 0;	/* not ours: let lwIP route it */
	(void)queue_push(p, &p->ip, NULL, 0, pb);
	pbuf_free(pb);
	return 1;
}

/* ---- public API ---- */

static int
copy_secret(char *dst, const char *src)
{
	size_t n;

	if (src == NULL) {
		dst[0] = '\0';
		return PK_OK;
	}
	if ((n = strlen(src)) > LWIP_PEER_NAME_MAX)
		return PK_ERR_CONFIG;
	memcpy(dst, src, n + 1);
	return PK_OK;
}

struct lwip_peer *
lwip_peer_new(const struct lwip_peer_config *cfg)
{
	struct lwip_peer *p = NULL;
	ip4_addr_t a;
	unsigned auth;
	u8_t mppe;

	if (cfg == NULL || (cfg->auth & ~(unsigned)LWIP_PEER_AUTH_ALL) != 0 ||
	    (cfg->mppe & ~0x0fu) != 0 ||
	    (cfg->mppe != 0 && !(cfg->mppe & LWIP_PEER_MPPE_REQUIRE)) ||
	    (cfg->is_server && (cfg->local_ip == 0 || cfg->peer_ip == 0)))
		return NULL;
	if (!lwip_ready) {
		lwip_init();
		lwip_ready = 1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cfg = *cfg;
	p->last_err = -1;
	if (copy_secret(p->user, cfg->user) != PK_OK ||
	    copy_secret(p->password, cfg->password) != PK_OK)
		goto fail;
	p->cfg.user = p->user;
	p->cfg.password = p->password;

	p->pcb = ppp_new(&p->netif, &peer_link, p, link_status, p);
	if (p->pcb == NULL)
		goto fail;

	/* Credentials: the client's own, or the server's one account
	 * (auth.c: auth_check_passwd() for PAP, get_secret() for CHAP both
	 * compare against pcb->settings.user/passwd). */
	auth = cfg->auth != 0 ? cfg->auth : LWIP_PEER_AUTH_ALL;
	if (p->user[0] != '\0') {
		ppp_set_auth(p->pcb, (u8_t)auth, p->user, p->password);
		if (cfg->is_server)
			ppp_set_auth_required(p->pcb, 1);
	} else {
		ppp_set_auth(p->pcb, PPPAUTHTYPE_NONE, NULL, NULL);
	}
	mppe = PPP_MPPE_DISABLE;
	if (cfg->mppe & LWIP_PEER_MPPE_REQUIRE) {
		mppe = PPP_MPPE_ENABLE;
		if (cfg->mppe & LWIP_PEER_MPPE_ALLOW_STATEFUL)
			mppe |= PPP_MPPE_ALLOW_STATEFUL;
		if (cfg->mppe & LWIP_PEER_MPPE_REFUSE_40)
			mppe |= PPP_MPPE_REFUSE_40;
		if (cfg->mppe & LWIP_PEER_MPPE_REFUSE_128)
			mppe |= PPP_MPPE_REFUSE_128;
	}
	ppp_set_mppe(p->pcb, mppe);

	if (cfg->local_ip != 0) {
		ip4_addr_set_u32(&a, lwip_htonl(cfg->local_ip));
		ppp_set_ipcp_ouraddr(p->pcb, &a);
	}
	if (cfg->peer_ip != 0) {
		ip4_addr_set_u32(&a, lwip_htonl(cfg->peer_ip));
		ppp_set_ipcp_hisaddr(p->pcb, &a);
	}
	ppp_set_silent(p->pcb, cfg->passive != 0);
	if (!cfg->vj) {
		p->pcb->ipcp_wantoptions.neg_vj = 0;
		p->pcb->ipcp_allowoptions.neg_vj = 0;
	}
	if (cfg->mru != 0)
		p->pcb->lcp_wantoptions.mru = cfg->mru;
	p->pcb->settings.lcp_echo_interval = cfg->lcp_echo_interval;

	p->next = peers;
	peers = p;
	return p;
fail:
	if (p->pcb != NULL)
		ppp_free(p->pcb);
	free(p);
	return NULL;
}

/*
 * Cancels every lwIP timer whose argument points into pcb. lwIP does not
 * always cancel its own: after a rejected PAP Authenticate-Request the
 * client's retransmission timer (upap.c: upap_timeout) stays armed, since
 * upap_lowerdown() only cancels it in the AUTHREQ state. In pppd it would
 * fire harmlessly; after ppp_free() it would read freed memory.
 */
static void
cancel_timers(ppp_pcb *pcb)
{
	uintptr_t lo = (uintptr_t)pcb, hi = lo + sizeof(*pcb);
	struct sys_timeo *t;
	int found;

	do {
		found = 0;
		for (t = *sys_timeouts_get_next_timeout(); t != NULL;
		    t = t->next) {
			uintptr_t a = (uintptr_t)t->arg;

			if (a >= lo && a < hi) {
				lwip_peer_diag("cancelling timer %s that lwIP "
				    "left armed\n", t->handler_name);
				sys_untimeout(t->h, t->arg);
				found = 1;
				break;
			}
		}
	} while (found);
}

void
lwip_peer_free(struct lwip_peer *p)
{
	struct lwip_peer **pp;

	if (p == NULL)
		return;
	if (p->pcb->phase != PPP_PHASE_DEAD) {
		/*
		 * ppp_close(pcb, 1) drops the carrier only in the running
		 * phase; this does the same in any phase. link_terminated()
		 * takes LCP down, which takes the upper layers down and
		 * cancels every PPP timer, then the link callback ends the
		 * link and lwIP goes dead.
		 */
		p->pcb->err_code = PPPERR_USER;
		link_terminated(p->pcb);
	}
	cancel_timers(p->pcb);
	ppp_free(p->pcb);
	for (pp = &peers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	queue_clear(&p->frames);
	queue_clear(&p->ip);
	memset(p->password, 0, sizeof(p->password));
	free(p);
}

int
lwip_peer_start(struct lwip_peer *p)
{
	err_t e;

	if (p->started && p->pcb->phase != PPP_PHASE_DEAD)
		return PK_ERR_STATE;
	if (p->cfg.is_server)
		e = ppp_listen(p->pcb);
	else
		e = ppp_connect(p->pcb, 0);
	if (e != ERR_OK)
		return PK_ERR_STATE;
	p->started = 1;
	return PK_OK;
}

int
lwip_peer_close(struct lwip_peer *p)
{
	if (p->pcb->phase == PPP_PHASE_DEAD ||
	    p->pcb->phase >= PPP_PHASE_TERMINATE)
		return PK_ERR_STATE;
	return ppp_close(p->pcb, 0) == ERR_OK ? PK_OK : PK_ERR_STATE;
}

int
lwip_peer_input(struct lwip_peer *p, const uint8_t *frame, size_t len)
{
	struct buf_reader rd;
	struct buf_writer w;
	struct pbuf *pb;
	const uint8_t *body;
	uint8_t addr, ctrl, first;
	size_t pad, n;
	int r;

	if (!p->started)
		return PK_ERR_STATE;
	if (len > LWIP_PEER_FRAME_MAX)
		return PK_ERR_LONG;
	buf_reader_init(&rd, frame, len);
	/* Address and control may be absent (ACFC, RFC 1661 §6.6). */
	if (buf_peek_u8(&rd, 0, &addr) == PK_OK &&
	    buf_peek_u8(&rd, 1, &ctrl) == PK_OK &&
	    addr == PPP_ALLSTATIONS && ctrl == PPP_UI)
		(void)buf_skip(&rd, PPP_ADDR_CTRL_LEN);
	/* An odd first byte is a PFC-compressed protocol (RFC 1661 §6.5):
	 * lwIP's ppp_input() reads two bytes, so put the 0x00 back. */
	if ((r = buf_peek_u8(&rd, 0, &first)) != PK_OK)
		return r;
	pad = (first & 1) != 0 ? 1 : 0;
	n = buf_remaining(&rd);
	if (pad + n < PPP_PROTO_LEN)
		return PK_ERR_SHORT;
	if ((r = buf_get_ptr(&rd, &body, n)) != PK_OK)
		return r;
	if ((pb = pbuf_alloc(PBUF_RAW, (u16_t)(pad + n), PBUF_RAM)) == NULL)
		return PK_ERR_NOMEM;
	buf_writer_init(&w, pb->payload, pad + n);
	if ((pad != 0 && buf_put_u8(&w, 0) != PK_OK) ||
	    buf_put_bytes(&w, body, n) != PK_OK) {
		pbuf_free(pb);
		return PK_ERR_INTERNAL;
	}
	p->n_in++;
	ppp_input(p->pcb, pb);	/* consumes pb */
	return PK_OK;
}

size_t
lwip_peer_pop_frame(struct lwip_peer *p, uint8_t *buf, size_t cap)
{
	return queue_pop(&p->frames, buf, cap);
}

size_t
lwip_peer_frames_pending(const struct lwip_peer *p)
{
	return p->frames.n;
}

void
lwip_peer_advance(struct lwip_peer *p, uint32_t ms)
{
	(void)p;
	if (!lwip_ready)
		return;
	/* Step from deadline to deadline so each timer runs at its due
	 * time, and timers it re-arms are measured from there. */
	for (;;) {
		uint32_t step = sys_timeouts_sleeptime();

		if (step > ms)
			step = ms;
		clock_ms += step;
		ms -= step;
		sys_check_timeouts();
		if (ms == 0)
			break;
	}
}

uint32_t
lwip_peer_now(void)
{
	return clock_ms;
}

uint32_t
lwip_peer_next_timer(void)
{
	u32_t t;

	if (!lwip_ready)
		return UINT32_MAX;
	t = sys_timeouts_sleeptime();
	return t == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT32_MAX : t;
}

int
lwip_peer_is_up(const struct lwip_peer *p)
{
	return p->up;
}

int
lwip_peer_phase(const struct lwip_peer *p)
{
	return p->pcb->phase;
}

const char *
lwip_peer_phase_name(int phase)
{
	static const char *const names[] = {
		"dead", "master", "holdoff", "initialize", "serialconn",
		"dormant", "establish", "authenticate", "callback",
		"network", "running", "terminate", "disconnect",
	};

	if (phase < 0 || (size_t)phase >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[phase];
}

int
lwip_peer_err(const struct lwip_peer *p)
{
	return p->last_err;
}

const char *
lwip_peer_err_text(int err)
{
	switch (err) {
	case -1:			return "no report yet";
	case PPPERR_NONE:		return "up";
	case PPPERR_PARAM:		return "invalid parameter";
	case PPPERR_OPEN:		return "unable to open session";
	case PPPERR_DEVICE:		return "invalid I/O device";
	case PPPERR_ALLOC:		return "out of resources";
	case PPPERR_USER:		return "closed by user";
	case PPPERR_CONNECT:		return "connection lost";
	case PPPERR_AUTHFAIL:		return "authentication failed";
	case PPPERR_PROTOCOL:		return "protocol failure";
	case PPPERR_PEERDEAD:		return "peer dead (echo timeout)";
	case PPPERR_IDLETIMEOUT:	return "idle timeout";
	case PPPERR_CONNECTTIME:	return "maximum connect time";
	case PPPERR_LOOPBACK:		return "loopback detected";
	default:			return "unknown";
	}
}

unsigned
lwip_peer_auth_done(const struct lwip_peer *p)
{
	u16_t d = p->pcb->auth_done;
	unsigned m = 0;

	if (d & (PAP_WITHPEER | PAP_PEER))
		m |= LWIP_PEER_AUTH_PAP;
	if (d & (CHAP_MD5_WITHPEER | CHAP_MD5_PEER))
		m |= LWIP_PEER_AUTH_CHAP_MD5;
	if (d & (CHAP_MS_WITHPEER | CHAP_MS_PEER))
		m |= LWIP_PEER_AUTH_MSCHAP_V1;
	if (d & (CHAP_MS2_WITHPEER | CHAP_MS2_PEER))
		m |= LWIP_PEER_AUTH_MSCHAP_V2;
	return m;
}

uint32_t
lwip_peer_local_ip(const struct lwip_peer *p)
{
	if (!p->up)
		return 0;
	return lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&p->netif)));
}

uint32_t
lwip_peer_peer_ip(const struct lwip_peer *p)
{
	if (!p->up)
		return 0;
	/* sifaddr() (ppp.c) stores the peer's address as the gateway. */
	return lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&p->netif)));
}

int
lwip_peer_mppe_bits(const struct lwip_peer *p)
{
	if (p->pcb->ccp_transmit_method != CI_MPPE)
		return 0;
	return p->pcb->mppe_comp.keylen == 16 ? 128 : 40;
}

int
lwip_peer_mppe_stateful(const struct lwip_peer *p)
{
	return p->pcb->ccp_transmit_method == CI_MPPE &&
	    p->pcb->mppe_comp.stateful;
}

int
lwip_peer_tx_acfc(const struct lwip_peer *p)
{
	return p->tx_accomp;
}

int
lwip_peer_tx_pfc(const struct lwip_peer *p)
{
	return p->tx_pcomp;
}

int
lwip_peer_send_ip(struct lwip_peer *p, const uint8_t *pkt, size_t len)
{
	struct buf_reader rd;
	struct pbuf *pb;
	ip4_addr_t dst;
	uint32_t d;
	err_t e;
	int r;

	if (len < IPV4_HDR_MIN)
		return PK_ERR_SHORT;
	if (len > LWIP_PEER_FRAME_MAX)
		return PK_ERR_LONG;
	buf_reader_init(&rd, pkt, len);
	if ((r = buf_skip(&rd, IPV4_DST_OFFSET)) != PK_OK ||
	    (r = buf_get_u32(&rd, &d)) != PK_OK)
		return r;
	ip4_addr_set_u32(&dst, lwip_htonl(d));
	if ((pb = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM)) == NULL)
		return PK_ERR_NOMEM;
	if (pbuf_take(pb, pkt, (u16_t)len) != ERR_OK) {
		pbuf_free(pb);
		return PK_ERR_INTERNAL;
	}
	/* ppp.c's ppp_netif_output_ip4(): refuses unless IPCP (and
	 * required MPPE) is up, then VJ and MPPE, then our netif_output. */
	e = p->netif.output(&p->netif, pb, &dst);
	pbuf_free(pb);
	switch (e) {
	case ERR_OK:
		return PK_OK;
	case ERR_RTE:
		return PK_ERR_STATE;
	case ERR_WOULDBLOCK:
		return PK_ERR_FULL;
	case ERR_MEM:
		return PK_ERR_NOMEM;
	default:
		return PK_ERR_INTERNAL;
	}
}

size_t
lwip_peer_pop_ip(struct lwip_peer *p, uint8_t *buf, size_t cap)
{
	return queue_pop(&p->ip, buf, cap);
}

uint64_t
lwip_peer_frames_out(const struct lwip_peer *p)
{
	return p->n_out;
}

uint64_t
lwip_peer_frames_in(const struct lwip_peer *p)
{
	return p->n_in;
}

uint64_t
lwip_peer_dropped(const struct lwip_peer *p)
{
	return p->n_dropped;
}
