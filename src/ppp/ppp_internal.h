/*
 * ppp_internal.h - the state of one PPP link shared by the files of
 * src/ppp (ppp.c composes; lcp.c, pap.c, chap.c, ccp.c, ipcp.c and
 * ipv6cp.c each own one protocol). Not for use outside src/ppp.
 *
 * Every public entry point of ppp.c stores now and out in struct ppp for
 * the duration of the call, so protocol code sends through ppp_output()
 * without threading them through the automaton's callbacks.
 */
#ifndef PK_PPP_INTERNAL_H
#define PK_PPP_INTERNAL_H

#include <stdint.h>

#include "auth/auth.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "mppe/mppe.h"
#include "ppp/fsm.h"
#include "ppp/ppp.h"
#include "ppp/ppp_proto.h"

/* --- LCP (lcp.c) --- */

struct lcp_opts {
	int neg_mru;
	uint16_t mru;
	unsigned auth;		/* PK_AUTH_*; 0 = no Auth-Protocol */
	int neg_magic;
	uint32_t magic;
	int pfc, acfc;
};

struct lcp_state {
	struct lcp_opts want;	/* our Configure-Request */
	struct lcp_opts his;	/* the peer's last (acked when Opened) */
	unsigned auth_tried;	/* server: methods already requested */
	unsigned loops;		/* times our own magic came back */
	/* Keepalive (RFC 1661 §5.8 Echo-Request). */
	uint64_t echo_deadline;
	uint32_t echo_missed;
	int echo_off;		/* the peer Code-Rejected Echo-Request */
	/* Client: why we Nak'd the server's Auth-Protocol, for the reason
	 * of a later Terminate. */
	char refusal[160];
};

extern const struct ppp_fsm_callbacks lcp_callbacks;
/* The authentication methods this side accepts (policy filtered: when
 * MPPE is required only methods yielding keys). */
unsigned lcp_auth_allowed(const struct ppp *p);
void lcp_keepalive_start(struct ppp *p);
uint64_t lcp_next_deadline(const struct ppp *p);
void lcp_timeout(struct ppp *p);
/* Encodes/decodes the Auth-Protocol option value (RFC 1661 §6.2,
 * RFC 1994 §3). Decoding returns the PK_AUTH_* method or 0. */
int lcp_put_auth(struct buf_writer *w, unsigned method);
unsigned lcp_parse_auth(struct buf_reader *val);

/* --- authentication (pap.c, chap.c) --- */

enum ppp_auth_state {
	AUTH_IDLE = 0,
	AUTH_STARTED,		/* challenge/request sent or awaited */
	AUTH_WAIT_OWNER,	/* server: PPP_EV_AUTH_REQUEST raised */
	AUTH_WAIT_RESULT,	/* client: response sent */
	AUTH_DONE,		/* succeeded */
	AUTH_FAILED,
};

struct ppp_auth {
	unsigned method;	/* PK_AUTH_* in use */
	int state;		/* enum ppp_auth_state */
	uint8_t id;		/* Identifier of the current exchange */
	uint64_t deadline;	/* whole exchange, auth_timeout_ms */
	uint64_t retry_at;	/* next retransmission */
	uint32_t retries;	/* retransmissions left */
	uint8_t challenge[AUTH_CHALLENGE_MAX];
	size_t challenge_len;
	/* Client, MS-CHAP: what we sent, to verify S= and derive keys. */
	uint8_t peer_challenge[16];
	uint8_t nt_response[24];
	/* Server: the final packet, resent for a duplicate Response
	 * (RFC 1994 §4.2). */
	uint8_t last[PPP_HDR_LEN + AUTH_MESSAGE_MAX + 1];
	size_t last_len;
	uint16_t last_proto;
	struct auth_request req;	/* server: raised to the owner */
};

void pap_start(struct ppp *p);
int pap_input(struct ppp *p, const uint8_t *pkt, size_t len);
void pap_timeout(struct ppp *p);
int pap_complete(struct ppp *p, const struct auth_result *res);
void chap_start(struct ppp *p);
int chap_input(struct ppp *p, const uint8_t *pkt, size_t len);
void chap_timeout(struct ppp *p);
int chap_complete(struct ppp *p, const struct auth_result *res);

/* --- CCP / MPPE (ccp.c) --- */

struct ccp_state {
	int want_mppe;		/* our request carries option 18 */
	uint32_t want_bits;
	int his_mppe;
	uint32_t his_bits;
	unsigned h_naks;	/* how often we Nak'd the peer's H bit */
	int settled;		/* opened, or failed with MPPE optional */
	uint8_t reset_id;
	uint64_t reset_at;	/* resend Reset-Request while out of sync */
};

extern const struct ppp_fsm_callbacks ccp_callbacks;
/* Reset-Request to the peer after a stateful loss (RFC 3078 §7.1). */
void ccp_send_reset(struct ppp *p);
uint64_t ccp_next_deadline(const struct ppp *p);
void ccp_timeout(struct ppp *p);

/* --- IPCP (ipcp.c) --- */

/* Bits for the IPCP options we request. */
#define IPCP_W_ADDR 0x01
#define IPCP_W_DNS1 0x02
#define IPCP_W_DNS2 0x04
#define IPCP_W_NBNS1 0x08
#define IPCP_W_NBNS2 0x10

struct ipcp_state {
	unsigned want;		/* IPCP_W_* still requested */
	uint32_t addr;		/* ours (learned through Nak by a client) */
	uint32_t dns[2], nbns[2];	/* client: learned */
	uint32_t his_addr;	/* the peer's, from its request */
	int his_addr_seen;	/* its request carried IP-Address */
};

extern const struct ppp_fsm_callbacks ipcp_callbacks;

/* --- IPV6CP (ipv6cp.c) --- */

struct ipv6cp_state {
	int want_ifid;
	uint8_t ifid[PPP_IFID_LEN];
	int his_ifid_ok;
	uint8_t his_ifid[PPP_IFID_LEN];
	uint8_t nak_ifid[PPP_IFID_LEN];	/* last value we suggested */
};

extern const struct ppp_fsm_callbacks ipv6cp_callbacks;

/* --- the composite (ppp.c) --- */

#define PPP_CTX_MAX 128

struct ppp {
	struct ppp_config cfg;	/* string fields point at the copies */
	char name[PK_PPP_NAME_MAX + 1];
	char password[PK_PPP_SECRET_MAX + 1];
	char log_ctx[PPP_CTX_MAX];

	int phase;		/* enum ppp_phase */
	uint64_t now;		/* of the current call */
	struct pk_out *out;	/* of the current call */

	struct ppp_fsm lcp_fsm, ipcp_fsm, ipv6cp_fsm, ccp_fsm;
	struct lcp_state lcp;
	struct ipcp_state ipcp;
	struct ipv6cp_state ipv6cp;
	struct ccp_state ccp;
	struct ppp_auth auth;

	uint16_t peer_mru;	/* what we may send (LCP) */
	uint16_t our_mru;	/* what the peer may send us */
	char peer_name[PK_PPP_NAME_MAX + 1];

	/* MPPE master keys from authentication, then the cipher state. */
	int have_keys;
	uint8_t send_key[AUTH_MPPE_KEY_LEN], recv_key[AUTH_MPPE_KEY_LEN];
	int mppe_on;
	int mppe_bits;
	int mppe_stateless;
	struct mppe mppe;

	int up_sent, ipv6_up_sent;
	/* What PPP_EV_UP/IPV6_UP told the owner; a renegotiated link must
	 * come back the same (ppp_ncp_up). */
	struct ppp_up_info reported;
	/* IPv4 may flow: IPCP Opened and CCP settled, as reported. Cleared
	 * while IPCP or CCP renegotiates (IPv6 also needs IPV6CP Opened). */
	int ip_ready;
	int in_lcp_down;	/* cascading an LCP This-Layer-Down */
	/* CCP dropped MPPE to renegotiate: LCP renegotiates once the call
	 * returns to ppp.c, for a new authentication and new keys. */
	int relink_pending;

	/* A failure recorded by a callback, acted on once the call that
	 * raised it returns to ppp.c (no automaton is re-entered). */
	int fail_pending;
	int fail_now;		/* go Dead without waiting for the peer */
	int fail_code;
	char fail_reason[PK_EVENT_TEXT_MAX];
	int closing;		/* LCP Close issued */
	int started;		/* ppp_start() was called */
	int dead;		/* PPP_EV_DOWN raised; nothing more happens */

	struct ppp_stats stats;
	struct pk_ratelimit rl;
};

/* Entry/exit of every public call: refuses a dead link (PK_ERR_STATE),
 * stores now/out; on exit acts on recorded failures and returns r, or
 * PK_ERR_FULL if the out list overflowed. */
int ppp_enter(struct ppp *p, uint64_t now, struct pk_out *out);
/* MPPE plaintext check (mppe.h): 1 if it is a sane IPv4/IPv6 packet. */
int ppp_mppe_plausible(const uint8_t *plain, size_t len);
int ppp_leave(struct ppp *p, int r);
/* Frames and sends one packet under proto (ACFC/PFC as negotiated). */
int ppp_output(struct ppp *p, uint16_t proto, const uint8_t *data,
    size_t len);
/* Sends a control packet (Code, Identifier, Length, Data). */
int ppp_output_ctl(struct ppp *p, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len);
/*
 * Splits a control packet (RFC 1661 §5): Code, Identifier, Length, then
 * *data over Length-4 bytes (trailing padding ignored). Returns 0,
 * PK_ERR_SHORT (under 4 bytes) or PK_ERR_LENGTH (Length < 4 or past the
 * end).
 */
int ppp_ctl_parse(const uint8_t *pkt, size_t len, uint8_t *code,
    uint8_t *id, struct buf_reader *data);
/* Records why the link must go down (the first reason wins) and has it
 * closed gracefully once the current call returns. */
void ppp_fail(struct ppp *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, but Dead as soon as the call returns (after one
 * Terminate-Request): for a peer that no longer answers. */
void ppp_fail_now(struct ppp *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends an event. */
void ppp_event(struct ppp *p, int type, int code, const void *payload,
    size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* A rate-limited log line for anything the peer can trigger. */
void ppp_log_rl(struct ppp *p, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Hooks the protocols call into the composite. */
void ppp_lcp_up(struct ppp *p);
void ppp_lcp_down(struct ppp *p);
void ppp_lcp_finished(struct ppp *p);
/* An NCP opened or CCP settled: raise PPP_EV_UP/IPV6_UP when due. */
void ppp_ncp_up(struct ppp *p);
/* An NCP left Opened (renegotiation or close). */
void ppp_ncp_down(struct ppp *p, struct ppp_fsm *f);
/* CCP lost MPPE: renegotiate LCP (see relink_pending). */
void ppp_relink(struct ppp *p, const char *why);
/* Server: may user authenticate now? A renegotiated link must keep the
 * user it was reported with. */
int ppp_auth_user_ok(const struct ppp *p, const char *user);
/* IPCP or IPV6CP gave up (This-Layer-Finished). */
void ppp_ncp_finished(struct ppp *p, struct ppp_fsm *f);
void ppp_protocol_rejected(struct ppp *p, uint16_t proto);
void ppp_auth_succeeded(struct ppp *p);
void ppp_auth_failed(struct ppp *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
