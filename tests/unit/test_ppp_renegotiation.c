/*
 * test_ppp_renegotiation.c - late and duplicated control packets against
 * a client and a server struct ppp joined in memory (ppp_harness.h), the
 * failure seen with 300 sessions at once (issue 13): a Configure-Request
 * retransmitted under load that arrives once the link is open, and
 * answers with an earlier Identifier.
 *
 * For every authentication method and MPPE mode, the handshake is first
 * run once to learn its frames. Then, for every point k of it (after the
 * k-th frame was delivered) and every control packet j delivered at or
 * before k, a fresh link runs the same handshake (same random stream) and
 * packet j is delivered again, to the side that received it, right after
 * frame k: a duplicate when j == k, a late one otherwise. This covers
 * every phase (LCP negotiation, authentication, CCP, IPCP, IPV6CP) in
 * both roles; a last round replays each packet once the link is up and
 * data has crossed. Each run must end with:
 *
 *  - the answers (Configure-Ack/Nak/Reject) silently discarded: ppp_input
 *    returns PK_ERR_VALUE and nothing is sent (RFC 1661 §4.3 RCA/RCN);
 *  - a Configure-Request reaching an Opened automaton renegotiating it
 *    (RFC 1661 §4.1 RCR in Opened: tld, scr, sca/scn): a new request of
 *    that protocol goes out at once;
 *  - both sides up, exactly one PPP_EV_UP each, no PPP_EV_DOWN; IPv4 and
 *    IPv6 packets crossing both ways byte for byte; with MPPE, each
 *    side's send key equal to the other's receive key, and new keys after
 *    any re-authentication.
 *
 * Then the cases the policy decides: another user re-authenticating, the
 * peer turning MPPE off, renegotiation that changes the address, and CCP
 * renegotiation, which renegotiates LCP for fresh keys.
 */
#include <stdarg.h>

#include "core/log.h"
#include "core/rand.h"
#include "ppp/ppp_internal.h"
#include "ppp_harness.h"
#include "test.h"

#define REC_MAX 128
#define AT_DATA (-2)		/* replay once the link is up */
#define SETTLE_MS 60000		/* protocol time to recover */

/* --- traffic (as test_ppp_session.c) --- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void
make_packet(uint8_t *pkt, size_t len, int v6)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i++)
		pkt[i] = (uint8_t)rnd();
	pkt[0] = v6 ? 0x60 : 0x45;
	if (v6) {
		pkt[4] = (uint8_t)((len - 40) >> 8);
		pkt[5] = (uint8_t)(len - 40);
		return;
	}
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	pkt[10] = pkt[11] = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pkt[10] = (uint8_t)(~sum >> 8);
	pkt[11] = (uint8_t)~sum;
}

/* Sends n packets from side `from`; returns how many the other side's
 * TUN got byte for byte, in order. A packet that arrives but was not
 * sent (altered, or out of order) sets *bad. */
static int
cross_checked(struct h_link *l, int from, int n, int v6, int *bad)
{
	uint8_t sent[16][PK_IP_PACKET_MAX];
	size_t sent_len[16];
	struct h_side *s = &l->side[from], *o = &l->side[1 - from];
	size_t mtu = s->up_info.mtu;
	int ok = 0;

	if (n > 16)
		n = 16;
	o->nip = 0;
	for (int i = 0; i < n; i++) {
		size_t len = v6 ? 40 + rnd() % (mtu - 39) :
		    20 + rnd() % (mtu - 19);

		make_packet(sent[i], len, v6);
		sent_len[i] = len;
		(void)ppp_send_ip(s->ppp, l->now, sent[i], len, &s->out);
	}
	h_pump(l);
	for (int i = 0, k = 0; i < o->nip && i < H_MAXPKT; i++) {
		while (k < n && (o->ip_len[i] != sent_len[k] ||
		    memcmp(o->ip[i], sent[k], sent_len[k]) != 0))
			k++;
		if (k == n) {
			*bad = 1;
			break;
		}
		ok++;
		k++;
	}
	return ok;
}

static int
cross(struct h_link *l, int from, int n, int v6)
{
	int bad = 0;

	return cross_checked(l, from, n, v6, &bad);
}

/* --- recording and replaying frames --- */

struct rec {
	int to;			/* H_CLIENT or H_SERVER */
	uint16_t proto;
	uint8_t code;
	size_t len;
	uint8_t frame[PK_PPP_FRAME_MAX];
};

struct replay {
	struct rec rec[REC_MAX];
	int nrec;
	int at;			/* inject after this frame; -1 never */
	int which;		/* the recorded frame to deliver again */
	int renumber;		/* ... a Configure-Request under a new id */
	/* What the injection saw and did. */
	int injected;
	int was_opened;		/* the receiver's automaton was Opened */
	int discarded;		/* PK_ERR_VALUE, nothing sent */
	int answered_req;	/* a new Configure-Request of that protocol */
	int reacked;		/* a copy of the acked request: Ack again */
	uint64_t reneg_before;
	int inj_mppe;		/* the receiver had MPPE on */
	int inj_relinked;	/* ... and its LCP left Opened at once */
	uint8_t inj_key[AUTH_MPPE_KEY_LEN];	/* its send key then */
	/* Master keys when both sides first reported up. */
	int have_snap;
	uint8_t snap_send[2][AUTH_MPPE_KEY_LEN];
	/* The first thing that went wrong, for the report. */
	char why[200];
};

/* The protocol field and the offset of the information after it. */
static size_t
frame_proto(const uint8_t *f, size_t len, uint16_t *proto)
{
	size_t off = 0;

	if (len >= 2 && f[0] == PPP_ADDRESS && f[1] == PPP_CONTROL)
		off = 2;
	if (off >= len)
		return 0;
	if (f[off] & 1) {
		*proto = f[off];
		return off + 1;
	}
	if (off + 2 > len)
		return 0;
	*proto = (uint16_t)(f[off] << 8 | f[off + 1]);
	return off + 2;
}

static int
is_fsm_proto(uint16_t proto)
{
	return proto == PPP_PROTO_LCP || proto == PPP_PROTO_IPCP ||
	    proto == PPP_PROTO_IPV6CP || proto == PPP_PROTO_CCP;
}

/* Configure-Request/Ack/Nak/Reject of an automaton, or any PAP/CHAP
 * packet: what a network may deliver late or twice. */
static int
replayable(const struct rec *r)
{
	if (is_fsm_proto(r->proto))
		return r->code >= PPP_CONFREQ && r->code <= PPP_CONFREJ;
	return r->proto == PPP_PROTO_PAP || r->proto == PPP_PROTO_CHAP;
}

static struct ppp_fsm *
fsm_of(struct ppp *p, uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_LCP:
		return &p->lcp_fsm;
	case PPP_PROTO_IPCP:
		return &p->ipcp_fsm;
	case PPP_PROTO_IPV6CP:
		return &p->ipv6cp_fsm;
	case PPP_PROTO_CCP:
		return &p->ccp_fsm;
	default:
		return NULL;
	}
}

static void
fail(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static const char *
proto_name(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_LCP:
		return "LCP";
	case PPP_PROTO_IPCP:
		return "IPCP";
	case PPP_PROTO_IPV6CP:
		return "IPV6CP";
	case PPP_PROTO_CCP:
		return "CCP";
	case PPP_PROTO_PAP:
		return "PAP";
	case PPP_PROTO_CHAP:
		return "CHAP";
	default:
		return "?";
	}
}

/* Does side's out list, from item `from`, hold a Configure-Request of
 * proto? */
static int
sent_request(struct h_side *s, size_t from, uint16_t proto)
{
	for (size_t k = from; k < s->out.n_items; k++) {
		const struct out_item *it = out_item(&s->out, k);
		const uint8_t *d = out_data(&s->out, k);
		uint16_t pr;
		size_t off;

		if (it->kind != OUT_PPP)
			continue;
		off = frame_proto(d, it->len, &pr);
		if (off != 0 && pr == proto && off < it->len &&
		    d[off] == PPP_CONFREQ)
			return 1;
	}
	return 0;
}

/* Is the only frame side sent since item `from` the Configure-Ack of
 * request `req` (same Identifier and options)? */
static int
sent_ack_of(struct h_side *s, size_t from, const uint8_t *req, size_t len)
{
	const uint8_t *d = NULL;
	size_t off, roff, n = 0, dlen = 0;
	uint16_t pr, rpr;

	for (size_t k = from; k < s->out.n_items; k++) {
		if (out_item(&s->out, k)->kind != OUT_PPP)
			continue;
		d = out_data(&s->out, k);
		dlen = out_item(&s->out, k)->len;
		n++;
	}
	if (n != 1 || d == NULL || (off = frame_proto(d, dlen, &pr)) == 0 ||
	    (roff = frame_proto(req, len, &rpr)) == 0 || pr != rpr ||
	    dlen - off != len - roff || d[off] != PPP_CONFACK)
		return 0;
	return memcmp(d + off + 1, req + roff + 1, len - roff - 1) == 0;
}

/* Delivers recorded frame r->which again, to the side that got it. */
static void
inject(struct replay *r, struct h_link *l)
{
	struct rec *rc = &r->rec[r->which];
	struct h_side *s = &l->side[rc->to];
	struct ppp_fsm *f = fsm_of(s->ppp, rc->proto);
	size_t before = s->out.n_items;
	size_t off;
	uint16_t pr;
	int res;

	/* A peer that numbers every copy anew (RFC 1661 §5.1 allows both)
	 * sends the same request under another Identifier. */
	if (r->renumber && f != NULL && rc->code == PPP_CONFREQ &&
	    (off = frame_proto(rc->frame, rc->len, &pr)) != 0 &&
	    off + 1 < rc->len)
		rc->frame[off + 1] ^= 0x80;

	r->injected = 1;
	r->was_opened = f != NULL && f->state == PPP_FSM_OPENED;
	r->reneg_before = ppp_stats(s->ppp)->renegotiations;
	r->inj_mppe = s->ppp->mppe_on;
	memcpy(r->inj_key, s->ppp->send_key, AUTH_MPPE_KEY_LEN);
	res = ppp_input(s->ppp, l->now, rc->frame, rc->len, &s->out);
	r->inj_relinked = s->ppp->lcp_fsm.state == PPP_FSM_REQSENT;
	if (f == NULL)
		return;
	if (rc->code != PPP_CONFREQ) {
		/* RFC 1661 §4.3: out of sequence, silently discarded. */
		r->discarded = res == PK_ERR_VALUE && s->out.n_items == before;
		if (!r->discarded)
			fail(r, "%s answer not discarded (result %d, %zu "
			    "items out)", proto_name(rc->proto), res,
			    s->out.n_items - before);
		return;
	}
	if (!r->was_opened)
		return;
	if (ppp_stats(s->ppp)->renegotiations == r->reneg_before) {
		/* Only a copy of the request that was acked is answered
		 * with its Ack again, and nothing else (RFC 1661 §5.1). */
		r->reacked = !r->renumber && f->state == PPP_FSM_OPENED &&
		    sent_ack_of(s, before, rc->frame, rc->len);
		if (!r->reacked)
			fail(r, "%s Configure-Request in Opened neither "
			    "renegotiated nor answered as a copy",
			    proto_name(rc->proto));
		return;
	}
	/* RFC 1661 §4.1 RCR in Opened: tld, scr, sca/scn. */
	r->answered_req = sent_request(s, before, rc->proto);
	if (!r->answered_req)
		fail(r, "%s Configure-Request in Opened did not renegotiate",
		    proto_name(rc->proto));
}

static void
snapshot_keys(struct replay *r, struct h_link *l)
{
	if (r->have_snap || !l->side[0].ppp->up_sent ||
	    !l->side[1].ppp->up_sent)
		return;
	r->have_snap = 1;
	for (int i = 0; i < 2; i++)
		memcpy(r->snap_send[i], l->side[i].ppp->send_key,
		    AUTH_MPPE_KEY_LEN);
}

static void
after(struct h_link *l, int to, const uint8_t *frame, size_t len)
{
	struct replay *r = l->arg;
	int idx = r->nrec;

	if (r->nrec < REC_MAX) {
		struct rec *rc = &r->rec[r->nrec++];
		size_t off = frame_proto(frame, len, &rc->proto);

		rc->to = to;
		rc->code = off != 0 && off < len ? frame[off] : 0;
		rc->len = len;
		memcpy(rc->frame, frame, len);
	}
	snapshot_keys(r, l);
	if (idx == r->at && !r->injected)
		inject(r, l);
}

/* --- one configuration --- */

struct variant {
	const char *label;
	unsigned auth;
	int mppe_bits;		/* 0: MPPE denied */
	int stateless;
};

static void
config_for(const struct variant *v, struct ppp_config *c, int server)
{
	h_config(c, server);
	c->ipv6 = 1;
	c->policy.auth = v->auth;
	if (v->mppe_bits == 0) {
		c->policy.mppe = PK_MPPE_DENY;
		return;
	}
	c->policy.mppe = PK_MPPE_REQUIRE;
	c->policy.mppe_bits = v->mppe_bits == 40 ? PK_MPPE_40 :
	    v->mppe_bits == 56 ? PK_MPPE_56 : PK_MPPE_128;
	c->policy.mppe_stateful = v->stateless ? PK_STATEFUL_DENY :
	    PK_STATEFUL_REQUIRE;
}

static int
link_new(struct h_link *l, struct replay *r, const struct variant *v,
    uint64_t seed)
{
	struct ppp_config c, s;

	pk_rand_use_seeded(seed);
	config_for(v, &c, 0);
	config_for(v, &s, 1);
	if (h_init(l, &c, &s) != 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->at = -1;
	l->after = after;
	l->arg = r;
	return 0;
}

/* Checks the link after the replay: up once, data both ways, keys. */
static void
check_link(struct replay *r, struct h_link *l, const struct variant *v)
{
	struct ppp *cp = l->side[H_CLIENT].ppp, *sp = l->side[H_SERVER].ppp;

	for (int i = 0; i < 2; i++) {
		struct h_side *s = &l->side[i];

		if (s->down != 0)
			fail(r, "%s went down: %s", i == H_CLIENT ? "client" :
			    "server", s->down_text);
		else if (s->up != 1)
			fail(r, "%s up %d times", i == H_CLIENT ? "client" :
			    "server", s->up);
		else if (s->auth_failed != 0)
			fail(r, "%s authentication failed: %s",
			    i == H_CLIENT ? "client" : "server",
			    s->auth_failed_text);
	}
	if (r->why[0] != '\0')
		return;
	for (int i = 0; i < 2; i++) {
		if (cross(l, i, 6, 0) != 6)
			fail(r, "IPv4 from the %s did not cross",
			    i == H_CLIENT ? "client" : "server");
		if (cross(l, i, 6, 1) != 6)
			fail(r, "IPv6 from the %s did not cross",
			    i == H_CLIENT ? "client" : "server");
	}
	if (v->mppe_bits == 0)
		return;
	if (!cp->mppe_on || !sp->mppe_on || cp->mppe_bits != v->mppe_bits ||
	    sp->mppe_bits != v->mppe_bits)
		fail(r, "MPPE not on with %d-bit keys on both sides",
		    v->mppe_bits);
	/* RFC 3079 §3: the client's send key is the server's receive key. */
	if (memcmp(cp->send_key, sp->recv_key, AUTH_MPPE_KEY_LEN) != 0 ||
	    memcmp(cp->recv_key, sp->send_key, AUTH_MPPE_KEY_LEN) != 0)
		fail(r, "MPPE keys differ between the sides");
	/* A new authentication, new keys: RC4 never restarts from keys it
	 * used. */
	if (r->have_snap && ppp_stats(cp)->reauthentications > 0 &&
	    memcmp(cp->send_key, r->snap_send[H_CLIENT],
	    AUTH_MPPE_KEY_LEN) == 0)
		fail(r, "re-authenticated but the MPPE keys are the old ones");
}

struct tally {
	int runs, failed, discarded, reacked, renegotiated, reauth, other;
};

/*
 * One run: the handshake, frame `which` delivered again after frame `at`
 * (or after data crossed, at == AT_DATA), SETTLE_MS of protocol time,
 * then the checks.
 */
static void
run_one(const struct variant *v, uint64_t seed, int at, int which,
    int renumber, struct tally *t)
{
	static struct replay r;
	struct h_link l;

	if (link_new(&l, &r, v, seed) != 0) {
		CHECK(0);
		return;
	}
	r.at = at;
	r.which = which;
	r.renumber = renumber;
	h_connect(&l);
	if (at == AT_DATA) {
		if (cross(&l, H_CLIENT, 4, 0) != 4 ||
		    cross(&l, H_SERVER, 4, 1) != 4)
			fail(&r, "no data before the replay");
		inject(&r, &l);
		/* Traffic meets the renegotiation half way: it may be
		 * dropped (and counted), never delivered altered. */
		for (int i = 0; i < 2; i++) {
			int bad = 0;

			(void)cross_checked(&l, i, 4, i, &bad);
			if (bad)
				fail(&r, "a packet crossed altered during the "
				    "renegotiation");
		}
	}
	h_run_until(&l, l.now + SETTLE_MS);
	if (!r.injected)
		fail(&r, "frame %d never replayed", which);
	check_link(&r, &l, v);
	/* CCP renegotiation with MPPE on: LCP renegotiated at once, and
	 * MPPE came back with keys from a new authentication. */
	if (r.rec[which].proto == PPP_PROTO_CCP && r.was_opened &&
	    !r.reacked && r.rec[which].code == PPP_CONFREQ && r.inj_mppe) {
		if (!r.inj_relinked)
			fail(&r, "CCP renegotiated without renegotiating LCP");
		else if (memcmp(r.inj_key, l.side[r.rec[which].to].ppp->send_key,
		    AUTH_MPPE_KEY_LEN) == 0)
			fail(&r, "CCP renegotiated with the old MPPE keys");
	}
	t->runs++;
	if (r.why[0] != '\0') {
		t->failed++;
		if (t->failed <= 10)
			fprintf(stderr, "  %s: %s %s code %u to the %s, after "
			    "%s %d: %s\n", v->label, renumber ?
			    "renumbered replay of" : "replay of",
			    proto_name(r.rec[which].proto),
			    r.rec[which].code, r.rec[which].to == H_CLIENT ?
			    "client" : "server", at == AT_DATA ? "data" :
			    "frame", at == AT_DATA ? 0 : at, r.why);
		test_failures++;
	} else if (r.discarded) {
		t->discarded++;
	} else if (r.reacked) {
		t->reacked++;
	} else if (ppp_stats(l.side[H_CLIENT].ppp)->reauthentications +
	    ppp_stats(l.side[H_SERVER].ppp)->reauthentications > 0) {
		t->reauth++;
	} else if (ppp_stats(l.side[H_CLIENT].ppp)->renegotiations +
	    ppp_stats(l.side[H_SERVER].ppp)->renegotiations > 0) {
		t->renegotiated++;
	} else {
		t->other++;
	}
	h_free(&l);
}

static void
replay_everywhere(const struct variant *v)
{
	static struct replay ref;
	struct h_link l;
	struct tally t;
	uint64_t seed = 0x5eed0000u + v->auth * 131u + (unsigned)v->mppe_bits;
	int n, phases[6] = { 0 };

	test_current = v->label;
	memset(&t, 0, sizeof(t));
	/* The reference run: how many frames, and which. */
	if (link_new(&l, &ref, v, seed) != 0) {
		CHECK(0);
		return;
	}
	h_connect(&l);
	CHECK(l.side[0].up == 1 && l.side[1].up == 1);
	n = ref.nrec;
	h_free(&l);
	CHECK(n > 10 && n < REC_MAX);
	for (int j = 0; j < n; j++) {
		const struct rec *rc = &ref.rec[j];

		if (!replayable(rc))
			continue;
		phases[rc->proto == PPP_PROTO_LCP ? 0 :
		    rc->proto == PPP_PROTO_PAP || rc->proto == PPP_PROTO_CHAP ?
		    1 : rc->proto == PPP_PROTO_CCP ? 2 :
		    rc->proto == PPP_PROTO_IPCP ? 3 : 4]++;
		/* As sent, and (requests) renumbered as a peer that
		 * changes the Identifier of every copy would send it. */
		for (int rn = 0; rn <= (rc->code == PPP_CONFREQ &&
		    is_fsm_proto(rc->proto)); rn++) {
			for (int k = j; k < n; k++)
				run_one(v, seed, k, j, rn, &t);
			run_one(v, seed, AT_DATA, j, rn, &t);
		}
	}
	/* Every phase was exercised (CCP only with MPPE). */
	CHECK(phases[0] > 0 && phases[1] > 0 && phases[3] > 0 &&
	    phases[4] > 0);
	CHECK(v->mppe_bits == 0 || phases[2] > 0);
	fprintf(stderr, "  %-28s %d frames, %d replays: %d discarded, %d "
	    "acked again, %d renegotiated, %d re-authenticated once up, %d "
	    "absorbed otherwise, %d failed\n", v->label, n, t.runs,
	    t.discarded, t.reacked, t.renegotiated, t.reauth, t.other,
	    t.failed);
}

static const struct variant variants[] = {
	{ "PAP", PK_AUTH_PAP, 0, 0 },
	{ "CHAP-MD5", PK_AUTH_CHAP_MD5, 0, 0 },
	{ "MS-CHAPv1 MPPE-128 stateless", PK_AUTH_MSCHAPV1, 128, 1 },
	{ "MS-CHAPv2 MPPE-128 stateless", PK_AUTH_MSCHAPV2, 128, 1 },
	{ "MS-CHAPv2 MPPE-40 stateful", PK_AUTH_MSCHAPV2, 40, 0 },
};

static void
test_replay_everywhere(void)
{
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		replay_everywhere(&variants[i]);
}

/* --- a slow network: the load of issue 13 --- */

#define SLOW_MAX 512

/*
 * Frames wait in a queue for a random delay (each one independently, so
 * they also overtake each other) and some are delivered twice. With a
 * round trip up to twice the delay bound, longer than the Restart timer,
 * retransmissions cross answers and arrive after the link opened, as
 * they did with 300 handshakes at once.
 */
struct slow_net {
	struct {
		uint64_t at;
		int to;
		size_t len;
		uint8_t frame[PK_PPP_FRAME_MAX];
	} q[SLOW_MAX];
	size_t n;
	uint64_t rng;
	uint32_t delay_max;	/* ms, each direction */
	unsigned dup_pct;
	int direct;		/* deliver at once (the network healed) */
	uint64_t delayed, duplicated;
};

static uint32_t
slow_rnd(struct slow_net *sn)
{
	sn->rng ^= sn->rng << 13;
	sn->rng ^= sn->rng >> 7;
	sn->rng ^= sn->rng << 17;
	return (uint32_t)(sn->rng >> 20);
}

static int
slow_filter(struct h_link *l, int from, uint8_t *frame, size_t *len)
{
	struct slow_net *sn = l->arg;
	int copies = 1 + (slow_rnd(sn) % 100 < sn->dup_pct);

	if (sn->direct)
		return 0;
	for (int c = 0; c < copies && sn->n < SLOW_MAX; c++) {
		sn->q[sn->n].at = l->now + slow_rnd(sn) % (sn->delay_max + 1);
		sn->q[sn->n].to = 1 - from;
		sn->q[sn->n].len = *len;
		memcpy(sn->q[sn->n].frame, frame, *len);
		sn->n++;
	}
	sn->delayed++;
	sn->duplicated += copies - 1;
	return 1;
}

/* Delivers every queued frame due by now, earliest first. */
static void
slow_deliver(struct h_link *l, struct slow_net *sn)
{
	for (;;) {
		size_t best = sn->n;

		for (size_t k = 0; k < sn->n; k++)
			if (sn->q[k].at <= l->now && (best == sn->n ||
			    sn->q[k].at < sn->q[best].at))
				best = k;
		if (best == sn->n)
			return;
		struct h_side *to = &l->side[sn->q[best].to];
		uint8_t frame[PK_PPP_FRAME_MAX];
		size_t len = sn->q[best].len;

		memcpy(frame, sn->q[best].frame, len);
		sn->q[best] = sn->q[--sn->n];
		ppp_input(to->ppp, l->now, frame, len, &to->out);
		h_pump(l);
	}
}

/* Runs the slow network for ms of protocol time. */
static void
slow_run(struct h_link *l, struct slow_net *sn, uint64_t ms)
{
	uint64_t end = l->now + ms;

	while (l->now < end) {
		uint64_t t = h_next_deadline(l);

		h_pump(l);
		slow_deliver(l, sn);
		for (size_t k = 0; k < sn->n; k++)
			t = pk_deadline_min(t, sn->q[k].at);
		if (t == PK_TIME_NEVER || t > end)
			break;
		if (t > l->now)
			l->now = t;
		for (int i = 0; i < 2; i++)
			if (ppp_next_deadline(l->side[i].ppp) <= l->now)
				ppp_timeout(l->side[i].ppp, l->now,
				    &l->side[i].out);
	}
	if (l->now < end)
		l->now = end;
}

/*
 * Many handshakes over the slow network, each with its own random
 * delays: every link must come up once and stay up (renegotiating as
 * often as the late packets demand), then, the network healed, carry
 * data both ways with matching MPPE keys.
 */
static void
test_slow_network(void)
{
	static struct slow_net sn;
	static struct replay unused;
	static const struct variant *vs[] = { &variants[0], &variants[3],
	    &variants[4] };
	int links = 0, survived = 0, renegotiated = 0;
	uint64_t late_total = 0;

	for (size_t vi = 0; vi < sizeof(vs) / sizeof(vs[0]); vi++) {
		for (int seed = 1; seed <= 40; seed++) {
			struct h_link l;
			struct replay *r = &unused;

			if (link_new(&l, r, vs[vi], 0x51000 + (uint64_t)seed)
			    != 0) {
				CHECK(0);
				return;
			}
			memset(&sn, 0, sizeof(sn));
			sn.rng = 0x9e3779b97f4a7c15ull * (uint64_t)seed + vi;
			sn.delay_max = 2500;
			sn.dup_pct = 10;
			l.after = NULL;
			l.arg = &sn;
			l.filter = slow_filter;
			h_start(&l);
			slow_run(&l, &sn, 90000);
			sn.direct = 1;
			/* What is still in flight lands late, too. */
			slow_run(&l, &sn, 3000);
			l.now += 3000;
			slow_deliver(&l, &sn);
			h_run_until(&l, l.now + SETTLE_MS);
			links++;
			memset(r, 0, sizeof(*r));
			check_link(r, &l, vs[vi]);
			if (r->why[0] != '\0') {
				fprintf(stderr, "  slow network, %s seed %d: "
				    "%s\n", vs[vi]->label, seed, r->why);
				test_failures++;
			} else {
				survived++;
			}
			for (int i = 0; i < 2; i++)
				if (ppp_stats(l.side[i].ppp)->renegotiations)
					renegotiated++;
			late_total += sn.duplicated;
			h_free(&l);
		}
	}
	/* The delays must actually have forced renegotiations. */
	CHECK(renegotiated > 0);
	fprintf(stderr, "  slow network: %d of %d links up and carrying "
	    "data; %d sides renegotiated; %llu frames duplicated\n",
	    survived, links, renegotiated, (unsigned long long)late_total);
}

/* --- the cases the policy decides --- */

/* Connects v's link, recording frames; returns 0 when both are up. */
static int
connect_recorded(struct h_link *l, struct replay *r, const struct variant *v)
{
	if (link_new(l, r, v, 0x600d) != 0)
		return -1;
	h_connect(l);
	return l->side[0].up == 1 && l->side[1].up == 1 ? 0 : -1;
}

/* The first recorded frame of proto and code sent to side `to`. */
static int
find_rec(const struct replay *r, int to, uint16_t proto, uint8_t code)
{
	for (int i = 0; i < r->nrec; i++)
		if (r->rec[i].to == to && r->rec[i].proto == proto &&
		    r->rec[i].code == code)
			return i;
	return -1;
}

/* Calls into side's struct ppp directly, as its entry points do. */
static void
poke_restart(struct h_link *l, int side, struct ppp_fsm *f)
{
	struct h_side *s = &l->side[side];

	CHECK_INT(ppp_enter(s->ppp, l->now, &s->out), 0);
	CHECK_INT(ppp_fsm_restart(f, l->now), 0);
	(void)ppp_leave(s->ppp, 0);
}

static const struct variant v2 = {
	"MS-CHAPv2 MPPE-128 stateless", PK_AUTH_MSCHAPV2, 128, 1
};

/* After LCP renegotiation only the user the link was reported with may
 * authenticate; another is refused before the owner is asked. */
static void
test_other_user_refused(void)
{
	static struct replay r;
	struct h_link l;
	int j;

	CHECK_INT(connect_recorded(&l, &r, &v2), 0);
	j = find_rec(&r, H_SERVER, PPP_PROTO_LCP, PPP_CONFREQ);
	CHECK(j >= 0);
	snprintf(l.side[H_CLIENT].ppp->name,
	    sizeof(l.side[H_CLIENT].ppp->name), "mallory");
	r.which = j;
	r.renumber = 1;
	inject(&r, &l);
	h_run_until(&l, l.now + SETTLE_MS);
	CHECK(r.was_opened);
	CHECK_INT(l.side[H_SERVER].auth_requests, 1);
	CHECK_INT(l.side[H_SERVER].down, 1);
	CHECK_INT(l.side[H_CLIENT].down, 1);
	CHECK_INT(l.side[H_SERVER].down_code, PK_ERR_AUTH);
	CHECK(strstr(l.side[H_SERVER].down_text, "re-authentication as "
	    "\"mallory\" refused: the link belongs to \"alice\"") != NULL);
	h_free(&l);
}

/*
 * Re-authentication keeps the link's address even if the owner's answer
 * names another (pptpkitd's pool would), and with the same user the
 * link resumes: same addresses, new keys, data both ways.
 */
static void
test_reauth_keeps_address(void)
{
	static struct replay r;
	struct auth_result res;
	struct h_link l;
	struct ppp *sp;
	uint8_t old_key[AUTH_MPPE_KEY_LEN];
	int j;

	CHECK_INT(connect_recorded(&l, &r, &v2), 0);
	sp = l.side[H_SERVER].ppp;
	memcpy(old_key, sp->send_key, sizeof(old_key));
	j = find_rec(&r, H_CLIENT, PPP_PROTO_LCP, PPP_CONFREQ);
	CHECK(j >= 0);
	l.hold_auth = 1;
	r.which = j;
	r.renumber = 1;
	inject(&r, &l);
	h_pump(&l);
	CHECK_INT(l.side[H_SERVER].auth_requests, 2);
	CHECK_INT(ppp_phase(sp), PPP_PHASE_AUTHENTICATE);
	/* Meanwhile no IP goes either way. */
	CHECK(cross(&l, H_CLIENT, 2, 0) == 0);
	CHECK_INT(ppp_stats(l.side[H_CLIENT].ppp)->drop_not_up, 2);
	memset(&res, 0, sizeof(res));
	CHECK_INT(auth_verify_local(&l.held, "correct horse", &res), 0);
	res.framed_ip = 0xc0000263;
	CHECK_INT(ppp_auth_complete(sp, l.now, &res, &l.side[H_SERVER].out),
	    0);
	auth_result_wipe(&res);
	h_run_until(&l, l.now + SETTLE_MS);
	for (int i = 0; i < 2; i++) {
		CHECK_INT(l.side[i].down, 0);
		CHECK_INT(l.side[i].up, 1);
		CHECK_INT(l.side[i].auth_ok, 2);
		CHECK_INT(ppp_stats(l.side[i].ppp)->reauthentications, 1);
		CHECK_INT(ppp_stats(l.side[i].ppp)->resumed, 1);
		CHECK_INT(cross(&l, i, 8, 0), 8);
		CHECK_INT(cross(&l, i, 8, 1), 8);
	}
	CHECK_INT(sp->ipcp.his_addr, 0xc0000202);
	CHECK_INT(l.side[H_CLIENT].ppp->ipcp.addr, 0xc0000202);
	CHECK(memcmp(sp->send_key, old_key, sizeof(old_key)) != 0);
	CHECK_MEM(sp->send_key, l.side[H_CLIENT].ppp->recv_key,
	    AUTH_MPPE_KEY_LEN);
	h_free(&l);
}

/* Renegotiation that changes the address the owner configured ends the
 * link with a clear reason rather than carry on unnoticed. */
static void
test_address_change_ends_link(void)
{
	static struct replay r;
	struct h_link l;
	struct ppp *sp;

	CHECK_INT(connect_recorded(&l, &r, &v2), 0);
	sp = l.side[H_SERVER].ppp;
	sp->cfg.peer_ip = 0xc0000299;
	poke_restart(&l, H_SERVER, &sp->ipcp_fsm);
	h_run_until(&l, l.now + SETTLE_MS);
	CHECK_INT(l.side[H_CLIENT].down, 1);
	CHECK_INT(l.side[H_SERVER].down, 1);
	CHECK_INT(l.side[H_CLIENT].up, 1);
	CHECK_INT(l.side[H_CLIENT].down_code, PK_ERR_STATE);
	CHECK_STR(l.side[H_CLIENT].down_text, "renegotiation changed our "
	    "IPv4 address; ending the link");
	h_free(&l);
}

/*
 * MPPE once on never falls back to clear text: a CCP Terminate-Request
 * ends the link even where MPPE is optional, and a CCP Configure-Request
 * (renegotiation) renegotiates LCP, so the keys come from a new
 * authentication (RFC 3079 has no other source of keys).
 */
static void
test_mppe_never_off(void)
{
	static const struct variant opt = {
		"MS-CHAPv2 MPPE optional", PK_AUTH_MSCHAPV2, 128, 1
	};
	static struct replay r;
	uint8_t frame[32];
	struct h_link l;
	struct ppp *sp, *cp;
	size_t n;

	test_current = "MPPE off by CCP Terminate-Request";
	CHECK_INT(link_new(&l, &r, &opt, 0x600d), 0);
	l.side[H_CLIENT].ppp->cfg.policy.mppe = PK_MPPE_ALLOW;
	l.side[H_SERVER].ppp->cfg.policy.mppe = PK_MPPE_ALLOW;
	h_connect(&l);
	sp = l.side[H_SERVER].ppp;
	CHECK(sp->mppe_on);
	n = test_unhex("ff 03 80 fd 05 77 00 04", frame, sizeof(frame));
	CHECK_INT(ppp_input(sp, l.now, frame, n, &l.side[H_SERVER].out), 0);
	h_run_until(&l, l.now + SETTLE_MS);
	CHECK_INT(l.side[H_SERVER].down, 1);
	CHECK_INT(l.side[H_SERVER].down_code, PK_ERR_POLICY);
	CHECK_STR(l.side[H_SERVER].down_text, "peer turned MPPE off (CCP "
	    "terminated)");
	CHECK_INT(ppp_stats(sp)->ip_in, 0);
	h_free(&l);

	test_current = "CCP renegotiation";
	CHECK_INT(link_new(&l, &r, &opt, 0x600d), 0);
	l.side[H_CLIENT].ppp->cfg.policy.mppe = PK_MPPE_ALLOW;
	l.side[H_SERVER].ppp->cfg.policy.mppe = PK_MPPE_ALLOW;
	h_connect(&l);
	sp = l.side[H_SERVER].ppp;
	cp = l.side[H_CLIENT].ppp;
	n = test_unhex("ff 03 80 fd 01 78 00 0a 12 06 01 00 00 40", frame,
	    sizeof(frame));
	CHECK_INT(ppp_input(sp, l.now, frame, n, &l.side[H_SERVER].out), 0);
	/* Right away: MPPE off, LCP renegotiating, nothing in clear. */
	CHECK(!sp->mppe_on);
	CHECK_INT(ppp_phase(sp), PPP_PHASE_ESTABLISH);
	CHECK_INT(cross(&l, H_SERVER, 2, 0), 0);
	h_run_until(&l, l.now + SETTLE_MS);
	for (int i = 0; i < 2; i++) {
		CHECK_INT(l.side[i].down, 0);
		CHECK_INT(ppp_stats(l.side[i].ppp)->reauthentications, 1);
		CHECK_INT(cross(&l, i, 8, 0), 8);
	}
	CHECK(sp->mppe_on && cp->mppe_on);
	CHECK_MEM(sp->send_key, cp->recv_key, AUTH_MPPE_KEY_LEN);
	h_free(&l);
}

int
main(void)
{
	pk_log_set_level(PK_LOG_ERR);
	RUN(test_replay_everywhere);
	RUN(test_slow_network);
	RUN(test_other_user_refused);
	RUN(test_reauth_keeps_address);
	RUN(test_address_change_ends_link);
	RUN(test_mppe_never_off);
	TEST_MAIN_END();
}
