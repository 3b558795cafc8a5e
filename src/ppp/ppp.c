/*
 * ppp.c - one PPP link composed: the phases of RFC 1661 §3 (Dead,
 * Establish, Authenticate, Network, Terminate) driven by LCP, the
 * authentication protocols and the NCPs, plus the public entry points
 * other than the data path (ppp_data.c).
 *
 * Failures raised inside an automaton's callback are only recorded
 * (ppp_fail) and acted upon by settle() when the entry point returns, so
 * no automaton is re-entered from its own callback.
 *
 * Timers (ppp_next_deadline is their minimum): the four automata's
 * Restart timers, the LCP keepalive, the authentication retransmission
 * and overall deadline, and the MPPE Reset-Request repeat.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/clock.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

/* ppp_close()'s failure text starts with this; what follows is the
 * owner's reason, which the Terminate-Request passes on (settle()). */
#define CLOSE_PREFIX "closed: "

void
ppp_config_default(struct ppp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	policy_default(&cfg->policy);
	cfg->mru = 1400;
	cfg->restart_ms = 3000;
	cfg->max_configure = 10;
	cfg->max_terminate = 2;
	cfg->max_failure = 5;
	cfg->echo_interval_ms = 10000;
	cfg->echo_failures = 3;
	cfg->auth_timeout_ms = 30000;
	cfg->mppe_rekey_max = 256;
	cfg->mppe_rekey_rate = 1024;
}

static const char *const phase_names[] = {
	"Dead", "Establish", "Authenticate", "Network", "Terminate",
};

const char *
ppp_phase_name(int phase)
{
	if (phase < 0 || phase > PPP_PHASE_TERMINATE)
		return "?";
	return phase_names[phase];
}

static void
set_phase(struct ppp *p, int phase)
{
	if (p->phase == phase)
		return;
	pk_log(PK_LOG_DEBUG, p->log_ctx, "phase %s -> %s",
	    ppp_phase_name(p->phase), ppp_phase_name(phase));
	p->phase = phase;
}

/* --- helpers shared by the protocol files --- */

int
ppp_ctl_parse(const uint8_t *pkt, size_t len, uint8_t *code, uint8_t *id,
    struct buf_reader *data)
{
	struct buf_reader rd;
	uint16_t plen;
	int r;

	buf_reader_init(&rd, pkt, len);
	if ((r = buf_get_u8(&rd, code)) != 0 ||
	    (r = buf_get_u8(&rd, id)) != 0 ||
	    (r = buf_get_u16(&rd, &plen)) != 0)
		return r;
	if (plen < PPP_HDR_LEN || plen > len)
		return PK_ERR_LENGTH;
	return buf_get_sub(&rd, plen - PPP_HDR_LEN, data);
}

void
ppp_log_rl(struct ppp *p, int level, const char *fmt, ...)
{
	va_list ap;

	if (!pk_ratelimit_ok(&p->rl, p->now, NULL))
		return;
	va_start(ap, fmt);
	pk_vlog(level, p->log_ctx, fmt, ap);
	va_end(ap);
}

void
ppp_event(struct ppp *p, int type, int code, const void *payload,
    size_t len, const char *fmt, ...)
{
	char text[PK_EVENT_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pk_log(code == 0 ? PK_LOG_INFO : PK_LOG_NOTICE, p->log_ctx, "%s",
	    text);
	if (p->out != NULL)
		out_event(p->out, EV_SRC_PPP, (uint16_t)type, code, 0, payload,
		    len, "%s", text);
}

static void
record_failure(struct ppp *p, int code, const char *fmt, va_list ap)
{
	if (p->fail_reason[0] != '\0')
		return;		/* the first cause is the one to report */
	vsnprintf(p->fail_reason, sizeof(p->fail_reason), fmt, ap);
	p->fail_code = code;
	pk_log(PK_LOG_NOTICE, p->log_ctx, "closing: %s", p->fail_reason);
}

void
ppp_fail(struct ppp *p, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_failure(p, code, fmt, ap);
	va_end(ap);
	p->fail_pending = 1;
}

void
ppp_fail_now(struct ppp *p, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_failure(p, code, fmt, ap);
	va_end(ap);
	p->fail_pending = 1;
	p->fail_now = 1;
}

/* --- going down --- */

static void
wipe_keys(struct ppp *p)
{
	crypto_wipe(p->send_key, sizeof(p->send_key));
	crypto_wipe(p->recv_key, sizeof(p->recv_key));
	p->have_keys = 0;
	if (p->mppe_on)
		mppe_wipe(&p->mppe);
	p->mppe_on = 0;
}

/* Appends s to the NUL-ended text in buf, truncating. */
static void
append(char *buf, size_t len, const char *s)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s", s);
}

/* The reason LCP gives when nothing else failed first. */
static void
lcp_reason(const struct ppp *p, int *code, char *buf, size_t len)
{
	const struct ppp_fsm *f = &p->lcp_fsm;

	switch (f->cause) {
	case PPP_FSM_CAUSE_PEER_TERM:
		*code = PK_ERR_CLOSED;
		snprintf(buf, len, "LCP terminated by peer");
		if (f->peer_reason[0] != '\0') {
			append(buf, len, ": ");
			append(buf, len, f->peer_reason);
		}
		if (p->lcp.refusal[0] != '\0') {
			append(buf, len, "; ");
			append(buf, len, p->lcp.refusal);
		}
		break;
	case PPP_FSM_CAUSE_TIMEOUT:
		*code = PK_ERR_TIMEOUT;
		if (p->stats.frames_in == 0)
			snprintf(buf, len, "LCP negotiation failed: no answer "
			    "from the peer to %u Configure-Requests",
			    p->cfg.max_configure);
		else
			snprintf(buf, len, "LCP negotiation failed: no "
			    "agreement with the peer within %u "
			    "Configure-Requests", p->cfg.max_configure);
		break;
	case PPP_FSM_CAUSE_REJECTED:
		*code = PK_ERR_TYPE;
		snprintf(buf, len, "peer rejected an LCP code we need");
		break;
	default:
		*code = PK_ERR_CLOSED;
		snprintf(buf, len, "LCP closed");
		break;
	}
}

static void
go_dead(struct ppp *p)
{
	char reason[PK_EVENT_TEXT_MAX];
	int code;

	if (p->dead)
		return;
	p->dead = 1;
	set_phase(p, PPP_PHASE_DEAD);
	wipe_keys(p);
	if (p->fail_reason[0] != '\0') {
		code = p->fail_code;
		snprintf(reason, sizeof(reason), "%s", p->fail_reason);
	} else {
		lcp_reason(p, &code, reason, sizeof(reason));
	}
	ppp_event(p, PPP_EV_DOWN, code, NULL, 0, "%s", reason);
}

/*
 * The Data of our Terminate-Request (RFC 1661 §5.5: for the peer's log).
 * A close on purpose (shutdown, administrative kill) says why; a failure
 * says no more than its category, so nothing about our secrets leaks.
 */
static const char *
terminate_hint(const struct ppp *p)
{
	if (p->fail_code == PK_ERR_AUTH)
		return "Authentication failed";
	if (p->fail_code == PK_ERR_CLOSED && strncmp(p->fail_reason,
	    CLOSE_PREFIX, strlen(CLOSE_PREFIX)) == 0)
		return p->fail_reason + strlen(CLOSE_PREFIX);
	return "Link closed";
}

/* Acts on failures recorded during the call (see the file comment). */
static void
settle(struct ppp *p)
{
	int st;

	if (p->dead)
		return;
	/* CCP dropped MPPE to renegotiate (ppp_relink); unless the link is
	 * ending anyway, renegotiate LCP for a new authentication. */
	if (p->relink_pending) {
		p->relink_pending = 0;
		if (!p->fail_pending && !p->closing &&
		    p->lcp_fsm.state == PPP_FSM_OPENED)
			ppp_fsm_restart(&p->lcp_fsm, p->now);
	}
	if (p->fail_pending) {
		p->fail_pending = 0;
		if (!p->closing) {
			p->closing = 1;
			set_phase(p, PPP_PHASE_TERMINATE);
			ppp_fsm_close(&p->lcp_fsm, p->now, terminate_hint(p));
		}
	}
	/* Nothing more to wait for: LCP is not (or no longer) talking. */
	st = p->lcp_fsm.state;
	if (p->fail_now || (p->closing && (st == PPP_FSM_INITIAL ||
	    st == PPP_FSM_STARTING || st == PPP_FSM_CLOSED ||
	    st == PPP_FSM_STOPPED)))
		go_dead(p);
}

/* --- phases --- */

static void
for_each_fsm(struct ppp *p, void (*fn)(struct ppp_fsm *, uint64_t))
{
	fn(&p->ccp_fsm, p->now);
	fn(&p->ipcp_fsm, p->now);
	fn(&p->ipv6cp_fsm, p->now);
}

static void
ncp_lower_down(struct ppp_fsm *f, uint64_t now)
{
	if (f->state != PPP_FSM_INITIAL && f->state != PPP_FSM_STARTING)
		ppp_fsm_lower_down(f, now);
}

static void
enter_network(struct ppp *p)
{
	set_phase(p, PPP_PHASE_NETWORK);
	/* CCP first, so MPPE is agreed on as early as possible. It runs
	 * only with keys; without, a required MPPE failed earlier and an
	 * optional one is simply off (the peer's CCP gets a
	 * Protocol-Reject). */
	if (p->cfg.policy.mppe != PK_MPPE_DENY && p->have_keys) {
		p->ccp.settled = 0;
		ppp_fsm_open(&p->ccp_fsm, p->now);
		ppp_fsm_lower_up(&p->ccp_fsm, p->now);
	} else {
		p->ccp.settled = 1;
	}
	ppp_fsm_open(&p->ipcp_fsm, p->now);
	ppp_fsm_lower_up(&p->ipcp_fsm, p->now);
	if (p->cfg.ipv6) {
		ppp_fsm_open(&p->ipv6cp_fsm, p->now);
		ppp_fsm_lower_up(&p->ipv6cp_fsm, p->now);
	}
}

void
ppp_lcp_up(struct ppp *p)
{
	const struct lcp_opts *his = &p->lcp.his, *want = &p->lcp.want;
	unsigned method;
	uint16_t mru = his->neg_mru ? his->mru : PPP_MRU_DEFAULT;

	/* Never build frames larger than our own buffers hold. */
	if (mru > PK_PPP_FRAME_MAX - PPP_AC_LEN - PPP_PROTO_LEN)
		mru = PK_PPP_FRAME_MAX - PPP_AC_LEN - PPP_PROTO_LEN;
	p->peer_mru = mru;
	p->our_mru = want->neg_mru ? want->mru : PPP_MRU_DEFAULT;
	p->lcp_fsm.peer_mru = p->ccp_fsm.peer_mru = p->ipcp_fsm.peer_mru =
	    p->ipv6cp_fsm.peer_mru = mru;
	method = p->cfg.is_server ? want->auth : his->auth;
	memset(&p->auth, 0, sizeof(p->auth));
	p->auth.method = method;
	p->auth.deadline = p->auth.retry_at = PK_TIME_NEVER;
	lcp_keepalive_start(p);
	if (p->cfg.policy.mppe == PK_MPPE_REQUIRE &&
	    (method & PK_AUTH_MPPE_CAPABLE) == 0) {
		if (method == PK_AUTH_NONE)
			ppp_fail(p, PK_ERR_POLICY, "MPPE required but the "
			    "server did not ask us to authenticate, so there "
			    "are no MPPE keys");
		else
			ppp_fail(p, PK_ERR_POLICY, "MPPE required but %s "
			    "yields no MPPE keys (allow mschapv2)",
			    policy_auth_name(method));
		return;
	}
	if (method == PK_AUTH_NONE) {
		/*
		 * The server asked for no authentication (pppd does this
		 * after we Nak its method): the link would run with nothing
		 * proving who the server is. Hardened by default: refuse.
		 */
		ppp_fail(p, PK_ERR_POLICY, "the server did not ask us to "
		    "authenticate (it offered no method we allow): refusing "
		    "an unauthenticated link");
		return;
	}
	set_phase(p, PPP_PHASE_AUTHENTICATE);
	p->auth.deadline = p->now + p->cfg.auth_timeout_ms;
	if (method == PK_AUTH_PAP)
		pap_start(p);
	else
		chap_start(p);
}

void
ppp_lcp_down(struct ppp *p)
{
	/* RFC 1661 §3.5-§3.6: LCP leaving Opened takes down what runs on
	 * it: authentication, CCP and the NCPs (Down: they wait in
	 * Starting), and with CCP the MPPE state. */
	p->in_lcp_down = 1;
	p->auth.state = AUTH_IDLE;
	p->auth.deadline = p->auth.retry_at = PK_TIME_NEVER;
	for_each_fsm(p, ncp_lower_down);
	if (p->mppe_on)
		mppe_wipe(&p->mppe);
	p->mppe_on = 0;
	p->ccp.settled = 0;
	p->ip_ready = 0;
	p->in_lcp_down = 0;
	if (p->closing || (!ppp_fsm_renegotiating(&p->lcp_fsm) &&
	    (p->lcp_fsm.cause == PPP_FSM_CAUSE_PEER_TERM ||
	    p->lcp_fsm.cause == PPP_FSM_CAUSE_REJECTED))) {
		set_phase(p, PPP_PHASE_TERMINATE);
		return;
	}
	if (!ppp_fsm_renegotiating(&p->lcp_fsm)) {
		/* Down in Opened comes only from ppp_lower_down(), which
		 * ends the link itself; nothing else leaves Opened. */
		set_phase(p, PPP_PHASE_ESTABLISH);
		ppp_fail(p, PK_ERR_STATE, "LCP left Opened unexpectedly");
		return;
	}
	/*
	 * RFC 1661 §4.1: renegotiation (the peer's Configure-Request in
	 * Opened, often a late retransmission). The link phase runs again
	 * as pppd runs it: Establish, Authenticate, Network. The keys of
	 * the last authentication go now: the next one yields new ones
	 * (RFC 3079), so MPPE never restarts RC4 from keys it used.
	 */
	crypto_wipe(p->send_key, sizeof(p->send_key));
	crypto_wipe(p->recv_key, sizeof(p->recv_key));
	p->have_keys = 0;
	p->stats.renegotiations++;
	set_phase(p, PPP_PHASE_ESTABLISH);
	ppp_log_rl(p, PK_LOG_NOTICE, "LCP renegotiating: the link pauses; "
	    "authentication and the network protocols run again");
}

void
ppp_lcp_finished(struct ppp *p)
{
	p->closing = 1;
	go_dead(p);
}

void
ppp_auth_succeeded(struct ppp *p)
{
	char who[PK_EVENT_TEXT_MAX];

	p->auth.state = AUTH_DONE;
	p->auth.deadline = p->auth.retry_at = PK_TIME_NEVER;
	/* A CHAP re-challenge answered in the Network phase (RFC 1994 §2
	 * allows them) changes nothing. */
	if (p->phase == PPP_PHASE_NETWORK)
		return;
	if (p->up_sent)
		p->stats.reauthentications++;
	if (p->cfg.is_server)
		ppp_event(p, PPP_EV_AUTH_OK, 0, NULL, 0, "user \"%s\" "
		    "%sauthenticated with %s",
		    pk_escape(who, sizeof(who), p->peer_name),
		    p->up_sent ? "re-" : "", policy_auth_name(p->auth.method));
	else
		ppp_event(p, PPP_EV_AUTH_OK, 0, NULL, 0, "%sauthenticated to "
		    "the server with %s", p->up_sent ? "re-" : "",
		    policy_auth_name(p->auth.method));
	if (p->cfg.policy.mppe == PK_MPPE_REQUIRE && !p->have_keys) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE required but the "
		    "authentication yielded no MPPE keys");
		return;
	}
	enter_network(p);
}

void
ppp_auth_failed(struct ppp *p, int code, const char *fmt, ...)
{
	char text[PK_EVENT_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	p->auth.state = AUTH_FAILED;
	p->auth.deadline = p->auth.retry_at = PK_TIME_NEVER;
	ppp_event(p, PPP_EV_AUTH_FAILED, code, NULL, 0, "%s", text);
	ppp_fail(p, code, "%s", text);
}

static void
fill_up_info(const struct ppp *p, struct ppp_up_info *u)
{
	memset(u, 0, sizeof(*u));
	u->local_ip = p->ipcp.addr;
	u->peer_ip = p->ipcp.his_addr;
	if (p->cfg.is_server) {
		memcpy(u->dns, p->cfg.dns, sizeof(u->dns));
		memcpy(u->nbns, p->cfg.nbns, sizeof(u->nbns));
	} else {
		memcpy(u->dns, p->ipcp.dns, sizeof(u->dns));
		memcpy(u->nbns, p->ipcp.nbns, sizeof(u->nbns));
	}
	if (p->ipv6cp_fsm.state == PPP_FSM_OPENED) {
		u->ipv6_up = 1;
		memcpy(u->local_ifid, p->ipv6cp.ifid, PPP_IFID_LEN);
		memcpy(u->peer_ifid, p->ipv6cp.his_ifid, PPP_IFID_LEN);
	}
	u->auth_method = p->auth.method;
	u->mppe_bits = p->mppe_on ? p->mppe_bits : 0;
	u->mppe_stateless = p->mppe_on && p->mppe_stateless;
	u->mru = p->our_mru;
	u->peer_mru = p->peer_mru;
	u->mtu = (uint16_t)(p->peer_mru - (p->mppe_on ? PPP_MPPE_OVERHEAD :
	    0));
	memcpy(u->peer_name, p->peer_name, sizeof(u->peer_name));
}

int
ppp_auth_user_ok(const struct ppp *p, const char *user)
{
	return !p->up_sent || strcmp(user, p->reported.peer_name) == 0;
}

/*
 * A renegotiated link must come back as the owner configured it: same
 * addresses, same MPPE mode (never clear text where it was encrypted),
 * an MTU no smaller. Returns NULL, or what changed.
 */
static const char *
link_changed(const struct ppp *p, const struct ppp_up_info *u)
{
	const struct ppp_up_info *r = &p->reported;

	if (u->local_ip != r->local_ip)
		return "our IPv4 address";
	if (u->peer_ip != r->peer_ip)
		return "the peer's IPv4 address";
	if (u->mppe_bits != r->mppe_bits ||
	    u->mppe_stateless != r->mppe_stateless)
		return "the MPPE mode";
	if (u->mtu < r->mtu)
		return "the MTU (the peer's MRU shrank)";
	return NULL;
}

/* IPCP opened and CCP settled, for the first time or again. */
static void
ip_up(struct ppp *p)
{
	struct ppp_up_info u;
	const char *what;

	if (p->cfg.policy.mppe == PK_MPPE_REQUIRE && !p->mppe_on) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE required but not "
		    "negotiated");
		return;
	}
	fill_up_info(p, &u);
	if (p->up_sent) {
		if ((what = link_changed(p, &u)) != NULL) {
			ppp_fail(p, PK_ERR_STATE, "renegotiation changed %s; "
			    "ending the link", what);
			return;
		}
		p->ip_ready = 1;
		p->stats.resumed++;
		ppp_log_rl(p, PK_LOG_NOTICE, "link renegotiated; traffic "
		    "resumes");
		return;
	}
	p->reported = u;
	p->ip_ready = 1;
	p->up_sent = 1;
	p->ipv6_up_sent = u.ipv6_up;
	ppp_event(p, PPP_EV_UP, 0, &u, sizeof(u), "link up: "
	    "%u.%u.%u.%u <-> %u.%u.%u.%u, %s, MPPE %s%s",
	    u.local_ip >> 24, (u.local_ip >> 16) & 0xff,
	    (u.local_ip >> 8) & 0xff, u.local_ip & 0xff,
	    u.peer_ip >> 24, (u.peer_ip >> 16) & 0xff,
	    (u.peer_ip >> 8) & 0xff, u.peer_ip & 0xff,
	    policy_auth_name(u.auth_method),
	    u.mppe_bits == 128 ? "128" : u.mppe_bits == 56 ? "56" :
	    u.mppe_bits == 40 ? "40" : "off",
	    u.mppe_bits == 0 ? "" : u.mppe_stateless ? " stateless" :
	    " stateful");
}

void
ppp_ncp_up(struct ppp *p)
{
	struct ppp_up_info u;

	if (p->closing || p->dead)
		return;
	if (!p->ip_ready && p->ipcp_fsm.state == PPP_FSM_OPENED &&
	    p->ccp.settled)
		ip_up(p);
	if (p->up_sent && p->ipv6cp_fsm.state == PPP_FSM_OPENED) {
		/* IPV6CP (re)opened: the owner's link-local address is made
		 * of our identifier, which must not have moved. */
		if (p->ipv6_up_sent && memcmp(p->ipv6cp.ifid,
		    p->reported.local_ifid, PPP_IFID_LEN) != 0) {
			ppp_fail(p, PK_ERR_STATE, "renegotiation changed our "
			    "IPv6 interface identifier; ending the link");
			return;
		}
		if (!p->ipv6_up_sent) {
			fill_up_info(p, &u);
			p->ipv6_up_sent = 1;
			p->reported.ipv6_up = 1;
			memcpy(p->reported.local_ifid, u.local_ifid,
			    PPP_IFID_LEN);
			memcpy(p->reported.peer_ifid, u.peer_ifid,
			    PPP_IFID_LEN);
			ppp_event(p, PPP_EV_IPV6_UP, 0, &u, sizeof(u),
			    "IPv6 up");
		}
	}
}

/* Why an NCP or CCP stopped, from its automaton's cause. */
static const char *
ncp_why(const struct ppp_fsm *f)
{
	switch (f->cause) {
	case PPP_FSM_CAUSE_REJECTED:
		return "peer rejected it";
	case PPP_FSM_CAUSE_TIMEOUT:
		return "no agreement with the peer";
	case PPP_FSM_CAUSE_PEER_TERM:
		return "peer closed it";
	default:
		return "closed";
	}
}

void
ppp_ncp_down(struct ppp *p, struct ppp_fsm *f)
{
	int reneg = ppp_fsm_renegotiating(f);

	if (p->in_lcp_down || p->closing)
		return;
	if (reneg)
		p->stats.renegotiations++;
	/* IPV6CP: IPv6 pauses (ppp_data.c wants it Opened); a close ends
	 * only IPv6 (ppp_ncp_finished). */
	if (f == &p->ipv6cp_fsm)
		return;
	/* IPCP or CCP: no IPv4 until both are back (ppp_ncp_up). */
	p->ip_ready = 0;
	/* IPCP closed by the peer (Terminate-Request, Protocol-Reject):
	 * there is no link without it. */
	if (!reneg && f == &p->ipcp_fsm)
		ppp_fail(p, PK_ERR_STATE, "IPCP failed: %s", ncp_why(f));
}

void
ppp_relink(struct ppp *p, const char *why)
{
	ppp_log_rl(p, PK_LOG_NOTICE, "%s: renegotiating LCP, so that a new "
	    "authentication gives MPPE new keys", why);
	p->relink_pending = 1;
}

void
ppp_ncp_finished(struct ppp *p, struct ppp_fsm *f)
{
	const char *why = ncp_why(f);

	if (f == &p->ipcp_fsm) {
		ppp_fail(p, PK_ERR_STATE, "IPCP failed: %s", why);
		return;
	}
	pk_log(PK_LOG_NOTICE, p->log_ctx, "%s failed (%s); continuing "
	    "without it", f->name, why);
	ppp_ncp_up(p);
}

void
ppp_protocol_rejected(struct ppp *p, uint16_t proto)
{
	ppp_log_rl(p, PK_LOG_NOTICE, "peer sent Protocol-Reject for 0x%04x",
	    proto);
	switch (proto) {
	case PPP_PROTO_IPCP:
		ppp_fsm_protocol_rejected(&p->ipcp_fsm, p->now);
		break;
	case PPP_PROTO_IPV6CP:
		ppp_fsm_protocol_rejected(&p->ipv6cp_fsm, p->now);
		break;
	case PPP_PROTO_CCP:
		if (p->ccp_fsm.state != PPP_FSM_INITIAL)
			ppp_fsm_protocol_rejected(&p->ccp_fsm, p->now);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (p->phase == PPP_PHASE_AUTHENTICATE)
			ppp_auth_failed(p, PK_ERR_POLICY, "peer rejected the "
			    "authentication protocol 0x%04x", proto);
		break;
	default:
		break;
	}
}

/* --- lifecycle and entry points --- */

struct ppp *
ppp_new(const struct ppp_config *cfg, const char *log_ctx)
{
	struct ppp_fsm_timers t;
	char err[160];
	struct ppp *p;

	if (policy_validate(&cfg->policy, err, sizeof(err)) != 0) {
		pk_log(PK_LOG_ERR, log_ctx, "ppp: %s", err);
		return NULL;
	}
	if (cfg->mru < PPP_MRU_MIN || cfg->mru > PK_IP_PACKET_MAX ||
	    cfg->restart_ms == 0 || cfg->max_configure == 0 ||
	    cfg->max_terminate == 0 || cfg->max_failure == 0 ||
	    (cfg->local_name != NULL &&
	    strlen(cfg->local_name) > PK_PPP_NAME_MAX) ||
	    (!cfg->is_server && (cfg->password == NULL ||
	    strlen(cfg->password) > PK_PPP_SECRET_MAX))) {
		pk_log(PK_LOG_ERR, log_ctx, "ppp: invalid configuration");
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cfg = *cfg;
	snprintf(p->name, sizeof(p->name), "%s",
	    cfg->local_name != NULL ? cfg->local_name : "");
	if (cfg->password != NULL)
		snprintf(p->password, sizeof(p->password), "%s",
		    cfg->password);
	snprintf(p->log_ctx, sizeof(p->log_ctx), "%s",
	    log_ctx != NULL ? log_ctx : "");
	p->cfg.local_name = p->name;
	p->cfg.password = p->password;
	p->phase = PPP_PHASE_DEAD;
	p->peer_mru = p->our_mru = PPP_MRU_DEFAULT;
	p->auth.deadline = p->auth.retry_at = PK_TIME_NEVER;
	p->lcp.echo_deadline = PK_TIME_NEVER;
	p->ccp.reset_at = PK_TIME_NEVER;
	t.restart_ms = cfg->restart_ms;
	t.max_configure = cfg->max_configure;
	t.max_terminate = cfg->max_terminate;
	t.max_failure = cfg->max_failure;
	ppp_fsm_init(&p->lcp_fsm, PPP_PROTO_LCP, "LCP", &lcp_callbacks, p,
	    p->log_ctx, &t);
	ppp_fsm_init(&p->ipcp_fsm, PPP_PROTO_IPCP, "IPCP", &ipcp_callbacks, p,
	    p->log_ctx, &t);
	ppp_fsm_init(&p->ipv6cp_fsm, PPP_PROTO_IPV6CP, "IPV6CP",
	    &ipv6cp_callbacks, p, p->log_ctx, &t);
	ppp_fsm_init(&p->ccp_fsm, PPP_PROTO_CCP, "CCP", &ccp_callbacks, p,
	    p->log_ctx, &t);
	pk_ratelimit_init(&p->rl, 1000, 10);
	return p;
}

void
ppp_free(struct ppp *p)
{
	if (p == NULL)
		return;
	wipe_keys(p);
	crypto_wipe(p, sizeof(*p));
	free(p);
}

int
ppp_enter(struct ppp *p, uint64_t now, struct pk_out *out)
{
	if (p->dead)
		return PK_ERR_STATE;
	p->now = now;
	p->out = out;
	return PK_OK;
}

int
ppp_leave(struct ppp *p, int r)
{
	settle(p);
	if (p->out != NULL && p->out->overflow)
		r = PK_ERR_FULL;
	p->out = NULL;
	return r;
}

int
ppp_start(struct ppp *p, uint64_t now, struct pk_out *out)
{
	int r;

	if (p->started)
		return PK_ERR_STATE;
	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	p->started = 1;
	set_phase(p, PPP_PHASE_ESTABLISH);
	/* RFC 1661 §4.3: Open in Initial, then Up: Req-Sent. */
	ppp_fsm_open(&p->lcp_fsm, now);
	ppp_fsm_lower_up(&p->lcp_fsm, now);
	return ppp_leave(p, PK_OK);
}

int
ppp_timeout(struct ppp *p, uint64_t now, struct pk_out *out)
{
	int r;

	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	ppp_fsm_timeout(&p->lcp_fsm, now);
	ppp_fsm_timeout(&p->ccp_fsm, now);
	ppp_fsm_timeout(&p->ipcp_fsm, now);
	ppp_fsm_timeout(&p->ipv6cp_fsm, now);
	lcp_timeout(p);
	ccp_timeout(p);
	/* Retransmissions first: running out of them is the more precise
	 * reason when both fall due together. */
	if (p->phase == PPP_PHASE_AUTHENTICATE && p->auth.retry_at <= now) {
		if (p->auth.method == PK_AUTH_PAP)
			pap_timeout(p);
		else
			chap_timeout(p);
	}
	if (p->phase == PPP_PHASE_AUTHENTICATE && p->auth.deadline <= now)
		ppp_auth_failed(p, PK_ERR_TIMEOUT, "authentication timed out "
		    "after %u ms%s", p->cfg.auth_timeout_ms,
		    p->auth.state == AUTH_WAIT_OWNER ?
		    " (no decision from the authenticator backend)" :
		    p->auth.state == AUTH_WAIT_RESULT ?
		    " (no answer from the server)" : "");
	return ppp_leave(p, PK_OK);
}

uint64_t
ppp_next_deadline(const struct ppp *p)
{
	uint64_t d;

	if (p->dead || !p->started)
		return PK_TIME_NEVER;
	d = ppp_fsm_next_deadline(&p->lcp_fsm);
	d = pk_deadline_min(d, ppp_fsm_next_deadline(&p->ccp_fsm));
	d = pk_deadline_min(d, ppp_fsm_next_deadline(&p->ipcp_fsm));
	d = pk_deadline_min(d, ppp_fsm_next_deadline(&p->ipv6cp_fsm));
	d = pk_deadline_min(d, lcp_next_deadline(p));
	d = pk_deadline_min(d, ccp_next_deadline(p));
	if (p->phase == PPP_PHASE_AUTHENTICATE) {
		d = pk_deadline_min(d, p->auth.deadline);
		d = pk_deadline_min(d, p->auth.retry_at);
	}
	return d;
}

int
ppp_auth_complete(struct ppp *p, uint64_t now, const struct auth_result *res,
    struct pk_out *out)
{
	int r;

	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	/* After the owner's wait, check the state again before acting:
	 * the link may have timed out or closed meanwhile. */
	if (!p->cfg.is_server || p->phase != PPP_PHASE_AUTHENTICATE ||
	    p->auth.state != AUTH_WAIT_OWNER) {
		p->out = NULL;
		return PK_ERR_STATE;
	}
	/* The owner decides the peer's address with the user (a static
	 * address, RADIUS Framed-IP-Address, the pool); IPCP has not begun
	 * yet, so it negotiates this one. */
	if (res->ok && res->framed_ip != 0 && !p->up_sent)
		p->cfg.peer_ip = res->framed_ip;
	else if (res->ok && res->framed_ip != 0 &&
	    res->framed_ip != p->reported.peer_ip)
		/* Re-authentication after LCP renegotiation: the owner
		 * configured the first address; the link keeps it. */
		ppp_log_rl(p, PK_LOG_NOTICE, "re-authentication offered "
		    "another address; the link keeps its own");
	if (p->auth.method == PK_AUTH_PAP)
		pap_complete(p, res);
	else
		chap_complete(p, res);
	return ppp_leave(p, PK_OK);
}

int
ppp_close(struct ppp *p, uint64_t now, const char *reason,
    struct pk_out *out)
{
	int r;

	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	ppp_fail(p, PK_ERR_CLOSED, CLOSE_PREFIX "%s",
	    reason != NULL ? reason : "administrative close");
	return ppp_leave(p, PK_OK);
}

void
ppp_lower_down(struct ppp *p, uint64_t now, struct pk_out *out)
{
	if (ppp_enter(p, now, out) != 0)
		return;
	if (p->fail_reason[0] == '\0') {
		p->fail_code = PK_ERR_CLOSED;
		snprintf(p->fail_reason, sizeof(p->fail_reason),
		    "lower layer down");
	}
	go_dead(p);
	p->out = NULL;
}

int
ppp_pending_reason(const struct ppp *p, int *code, char *buf, size_t len)
{
	if (p->fail_reason[0] != '\0') {
		*code = p->fail_code;
		snprintf(buf, len, "%s", p->fail_reason);
		return 1;
	}
	if (p->lcp_fsm.cause == PPP_FSM_CAUSE_PEER_TERM) {
		lcp_reason(p, code, buf, len);
		return 1;
	}
	return 0;
}

const struct ppp_stats *
ppp_stats(const struct ppp *p)
{
	return &p->stats;
}

int
ppp_phase(const struct ppp *p)
{
	return p->phase;
}
