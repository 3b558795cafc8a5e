/*
 * ppp.h - one PPP link as PPTP carries it in GRE (RFC 2637 §4): LCP,
 * authentication (PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2), CCP/MPPE, IPCP
 * and IPV6CP, composed into the phases of RFC 1661 §3. Sans-I/O.
 *
 * Inputs: ppp_start() when the call is up, ppp_input() for each PPP frame
 * out of GRE, ppp_send_ip() for each packet from the TUN device,
 * ppp_timeout() once ppp_next_deadline() is reached, ppp_auth_complete()
 * to answer PPP_EV_AUTH_REQUEST (server), ppp_close()/ppp_lower_down().
 *
 * Outputs, appended to the caller's struct pk_out in order:
 *   OUT_PPP   one frame for GRE: [FF 03] protocol information. FF 03 is
 *             left out only when the peer asked for ACFC and never on
 *             LCP (RFC 1661 §6.6); the protocol field is one byte when
 *             the peer asked for PFC and the value allows it (§6.5).
 *   OUT_IP    one IPv4/IPv6 packet for the TUN device (decrypted).
 *   OUT_EVENT source EV_SRC_PPP, type enum ppp_event_type below.
 *
 * The link is one-shot: after PPP_EV_DOWN it stays Dead and every entry
 * point returns PK_ERR_STATE; the owner frees it.
 *
 * Renegotiation (RFC 1661 §4.1: a Configure-Request, or an Ack/Nak that
 * answers an outstanding request, reaching an Opened automaton; also a
 * late retransmission under load) does not end the link. LCP
 * renegotiation runs the link phase again, with the peer: authentication
 * (PPP_EV_AUTH_REQUEST and PPP_EV_AUTH_OK again; it must be the same user),
 * then the NCPs and CCP, whose MPPE keys come fresh from the new
 * authentication. IPCP/IPV6CP renegotiation pauses that protocol's
 * packets until it opens again; CCP renegotiation while MPPE is on
 * renegotiates LCP, since only a new authentication gives new keys
 * (RFC 3079 derives them from the authentication alone; restarting RC4
 * from the same keys would repeat its key stream). PPP_EV_UP is raised
 * once: the link must come back as it was reported (same addresses,
 * interface identifier, MPPE mode, an MTU no smaller), or it ends with
 * PK_ERR_STATE. Meanwhile IP is dropped and counted (drop_not_up).
 */
#ifndef PK_PPP_PPP_H
#define PK_PPP_PPP_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/out.h"
#include "policy/policy.h"

struct auth_result;

/*
 * Events (struct pk_event, source EV_SRC_PPP). code is 0 or a PK_ERR_*;
 * text is for humans. Payloads, when any, are read back with
 * out_event_payload().
 */
enum ppp_event_type {
	/* Server: a peer answered; payload struct auth_request (auth.h).
	 * Answer with ppp_auth_complete(), now or later; until then the
	 * link waits (auth_timeout_ms applies). */
	PPP_EV_AUTH_REQUEST = 1,
	/* Both roles: authentication succeeded; text names user and method. */
	PPP_EV_AUTH_OK = 2,
	/* Both roles: authentication failed; text says why. code
	 * PK_ERR_AUTH (credentials refused, bad S= from a server),
	 * PK_ERR_POLICY (no acceptable method: raised during LCP),
	 * PK_ERR_TIMEOUT. PPP_EV_DOWN follows. */
	PPP_EV_AUTH_FAILED = 3,
	/* IPCP opened (and CCP settled); payload struct ppp_up_info. If
	 * IPV6CP opened first, ipv6_up is set in it and no PPP_EV_IPV6_UP
	 * follows. */
	PPP_EV_UP = 4,
	/* IPV6CP opened after PPP_EV_UP; payload struct ppp_up_info. */
	PPP_EV_IPV6_UP = 5,
	/* The link is Dead. code PK_ERR_*, text the reason, e.g. "LCP
	 * terminated by peer: ...", "echo timeout: ...", "MPPE required but
	 * peer refused (...)", "closed: <ppp_close reason>", "lower layer
	 * down". No payload. Always the last event. */
	PPP_EV_DOWN = 6,
};

/* RFC 1661 §3.2 phases. */
enum ppp_phase {
	PPP_PHASE_DEAD = 0,
	PPP_PHASE_ESTABLISH = 1,
	PPP_PHASE_AUTHENTICATE = 2,
	PPP_PHASE_NETWORK = 3,
	PPP_PHASE_TERMINATE = 4,
};

#define PPP_IFID_LEN 8

struct ppp_config {
	int is_server;		/* 1 = authenticator (PAC side), 0 = peer */
	struct pk_policy policy;
	uint16_t mru;		/* 1400: PPTP over 1500-byte paths */
	const char *local_name;	/* CHAP/PAP name we send; copied */
	const char *password;	/* client: UTF-8 secret; copied, wiped */
	/* Server: our tunnel address and the peer's (host order). Client:
	 * local_ip is the address to ask for (0 = let the server pick). */
	uint32_t local_ip, peer_ip;
	uint32_t dns[2], nbns[2];	/* server: pushed, 0 = none */
	int ipv6;			/* negotiate IPV6CP */
	uint8_t ipv6_ifid[PPP_IFID_LEN];	/* all zero = random */
	int no_header_compression;	/* do not ask for PFC/ACFC */
	/* RFC 1661 §4.6 timer and counters. */
	uint32_t restart_ms;		/* 3000 */
	uint32_t max_configure;		/* 10 */
	uint32_t max_terminate;		/* 2 */
	uint32_t max_failure;		/* 5 */
	/* LCP keepalive: an Echo-Request every echo_interval_ms (0 = off);
	 * the link is declared dead after echo_failures unanswered. */
	uint32_t echo_interval_ms;	/* 10000 */
	uint32_t echo_failures;		/* 3 */
	/* Authentication must complete within this time from LCP up,
	 * including the owner's answer to PPP_EV_AUTH_REQUEST. */
	uint32_t auth_timeout_ms;	/* 30000 */
	/* Stateless MPPE receive limits (mppe_set_rekey_limits()): key
	 * changes one packet may force, and the per-second budget beyond
	 * one per packet. 0 = no limit. */
	uint32_t mppe_rekey_max;	/* 256 */
	uint32_t mppe_rekey_rate;	/* 1024 */
};

/* Fills the defaults above (policy_default(), server 0, no addresses). */
void ppp_config_default(struct ppp_config *cfg);

/* Payload of PPP_EV_UP and PPP_EV_IPV6_UP. */
struct ppp_up_info {
	uint32_t local_ip, peer_ip;	/* host order */
	uint32_t dns[2], nbns[2];	/* learned (client), pushed (server) */
	int ipv6_up;
	uint8_t local_ifid[PPP_IFID_LEN], peer_ifid[PPP_IFID_LEN];
	unsigned auth_method;		/* PK_AUTH_*, PK_AUTH_NONE if none */
	int mppe_bits;			/* 40, 56, 128, or 0 without MPPE */
	int mppe_stateless;
	uint16_t mru;			/* what we receive */
	uint16_t peer_mru;		/* what we may send */
	uint16_t mtu;			/* for the TUN device: peer_mru less
					 * the MPPE overhead */
	char peer_name[PK_PPP_NAME_MAX + 1];	/* authenticated name */
};

struct ppp_stats {
	uint64_t frames_in, frames_out;
	uint64_t bytes_in, bytes_out;
	uint64_t ip_in;			/* delivered to TUN */
	uint64_t ip_out;		/* sent to the peer */
	uint64_t drop_malformed;	/* bad framing or protocol field */
	uint64_t drop_phase;		/* protocol not allowed in phase */
	uint64_t drop_not_up;		/* IP while the NCP was not open */
	uint64_t drop_unencrypted;	/* clear IP while MPPE is on */
	uint64_t drop_mppe;		/* MPPE packet refused by mppe */
	uint64_t drop_too_big;		/* over the peer's MRU */
	uint64_t proto_rejected;	/* Protocol-Rejects we sent */
	uint64_t mppe_resets_sent, mppe_resets_rcvd;
	uint64_t echo_sent;
	/* An automaton left Opened to renegotiate (RFC 1661 §4.1 RCR/RCA/
	 * RCN/RTA in Opened), and the times the link phase ran again. */
	uint64_t renegotiations;
	uint64_t reauthentications;
	uint64_t resumed;		/* data path back after renegotiation */
	uint64_t mppe_rekeys;		/* stateless key changes on receive */
	uint64_t mppe_rekey_capped;	/* dropped by the rekey limits */
};

struct ppp;

/* Returns a new link in phase Dead, or NULL (out of memory or invalid
 * config: logged). cfg strings are copied; log_ctx too. */
struct ppp *ppp_new(const struct ppp_config *cfg, const char *log_ctx);
/* Wipes secrets and frees; NULL is fine. */
void ppp_free(struct ppp *p);

/*
 * Each entry point returns 0, PK_ERR_STATE once the link is Dead (or
 * before ppp_start), or PK_ERR_FULL if the out list overflowed (a sizing
 * bug). ppp_input() and ppp_send_ip() also return the reason a frame or
 * packet was dropped (PK_ERR_SHORT/LENGTH/VALUE for malformed ones,
 * PK_ERR_STATE when not allowed now, PK_ERR_POLICY for clear text while
 * MPPE is on, mppe_decrypt()'s codes); drops are counted in the stats
 * and the owner need not act on them.
 */
int ppp_start(struct ppp *p, uint64_t now, struct pk_out *out);
int ppp_input(struct ppp *p, uint64_t now, const uint8_t *frame, size_t len,
    struct pk_out *out);
/* pkt is an IPv4 or IPv6 packet (version nibble decides). Dropped and
 * counted while the link is not up. */
int ppp_send_ip(struct ppp *p, uint64_t now, const uint8_t *pkt, size_t len,
    struct pk_out *out);
int ppp_timeout(struct ppp *p, uint64_t now, struct pk_out *out);
/* Absolute ms of the next timer, PK_TIME_NEVER if none. */
uint64_t ppp_next_deadline(const struct ppp *p);
/*
 * Server: the decision for the last PPP_EV_AUTH_REQUEST. Returns
 * PK_ERR_STATE if the link no longer waits for it (timed out, closed),
 * which the owner may ignore. res is not kept; wipe it afterwards.
 */
int ppp_auth_complete(struct ppp *p, uint64_t now,
    const struct auth_result *res, struct pk_out *out);
/* Administrative close: LCP Terminate-Request; PPP_EV_DOWN follows once
 * the peer acknowledges or the Terminate retries run out. */
int ppp_close(struct ppp *p, uint64_t now, const char *reason,
    struct pk_out *out);
/* Carrier lost: Dead at once, PPP_EV_DOWN, nothing sent. */
void ppp_lower_down(struct ppp *p, uint64_t now, struct pk_out *out);

/*
 * Why the link is ending before PPP_EV_DOWN has been raised: a recorded
 * failure, or the peer's Terminate-Request (whose Data often says why),
 * which in Opened is only acted on after a restart period. Returns 1 and
 * fills code/buf if there is one, else 0. The owner uses it when the
 * lower layer vanishes first (pptpd closes TCP right after pppd's
 * Terminate-Request).
 */
int ppp_pending_reason(const struct ppp *p, int *code, char *buf,
    size_t len);
const struct ppp_stats *ppp_stats(const struct ppp *p);
int ppp_phase(const struct ppp *p);		/* enum ppp_phase */
const char *ppp_phase_name(int phase);

#endif
