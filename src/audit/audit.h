/*
 * audit.h - what a capture says about its PPTP sessions: the model that
 * `pptpkit audit`, `export`, `crack` and `decrypt` share.
 *
 * Sans-I/O: audit_cap_input() takes one dissected packet (dissect.h) at a
 * time and updates three tables, each capped (struct audit_limits):
 *
 *   control connections  TCP to port 1723, both directions reassembled
 *                        (tcp_stream.h), every message decoded with the
 *                        engine's own decoder (pptp/ctrl_msg.h);
 *   calls                one per Outgoing/Incoming-Call-Request, or per
 *                        GRE flow whose control connection the capture
 *                        missed ("orphan"); each call is one PPP session
 *                        seen in two directions;
 *   exchanges            every PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2
 *                        authentication attempt, finished or not.
 *
 * Direction 0 of a call is PNS -> PAC (client to server) when the
 * control connection said so; for an orphan it is simply the direction
 * of the first packet seen (roles_known is 0).
 */
#ifndef PK_AUDIT_AUDIT_H
#define PK_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/dissect.h"
#include "audit/tcp_stream.h"
#include "core/limits.h"
#include "pptp/ctrl_msg.h"

enum audit_auth {
	AUDIT_AUTH_NONE = 0,
	AUDIT_AUTH_PAP,
	AUDIT_AUTH_CHAP_MD5,
	AUDIT_AUTH_MSCHAPV1,
	AUDIT_AUTH_MSCHAPV2,
	AUDIT_AUTH_EAP,
	AUDIT_AUTH_OTHER,	/* another CHAP algorithm or protocol */
};

enum audit_result {
	AUDIT_RES_PENDING = 0,	/* no answer in the capture */
	AUDIT_RES_SUCCESS,
	AUDIT_RES_FAILURE,
};

#define AUDIT_NAME_MAX 256	/* PPP names and PAP passwords, + NUL */
#define AUDIT_VALUE_MAX 255	/* CHAP Value-Size is one octet */
#define AUDIT_MSG_MAX 256

/* One authentication exchange (RFC 1334 §2, RFC 1994 §4, RFC 2433,
 * RFC 2759). Text fields hold the peer's raw bytes: sanitize to print. */
struct audit_hs {
	size_t call;		/* index into audit_cap.calls */
	int method;		/* enum audit_auth */
	int auth_dir;		/* direction the authenticator sends in */
	uint8_t id;		/* PPP Identifier */
	char user[AUDIT_NAME_MAX];	/* PAP Peer-ID, CHAP Response Name */
	char auth_name[AUDIT_NAME_MAX];	/* CHAP Challenge Name */
	char password[AUDIT_NAME_MAX];	/* PAP only: in clear */
	size_t password_len;
	int have_challenge, have_response;
	uint8_t challenge[AUDIT_VALUE_MAX];
	size_t challenge_len;
	uint8_t response[AUDIT_VALUE_MAX];
	size_t response_len;
	/* MS-CHAP, from the 49-byte Response value (RFC 2433 §5, RFC 2759
	 * §4): v2 peer challenge, v1 LM response, NT response, flags; and
	 * the 8-byte plaintext the NT response encrypts (v1: the
	 * challenge; v2: ChallengeHash, RFC 2759 §8.2). */
	uint8_t peer_challenge[16];
	uint8_t lm_response[24];
	uint8_t nt_response[24];
	uint8_t flags;
	uint8_t des_plain[8];
	int have_des;		/* des_plain and nt_response are valid */
	int result;		/* enum audit_result */
	char message[AUDIT_MSG_MAX];	/* Success/Failure/PAP message */
	int ms_error;		/* MS-CHAP Failure E=, 0 if none */
	int ms_retry;		/* R= */
	uint8_t next_challenge[16];	/* C=: the retry's challenge */
	size_t next_challenge_len;
	uint64_t t_start, t_end;
};

/* What one direction of a call carried. */
struct audit_dir {
	uint64_t gre_packets, gre_bytes, acks_only;
	int have_seq;
	uint32_t seq_last;
	uint64_t seq_lost, seq_dup, seq_late;
	uint64_t frames, lcp, auth, ccp, ipcp, ipv6cp, other_ctl;
	uint64_t ip_clear, ipv6_clear, vj, mppe, mppe_flushed;
	uint64_t bad_frames;	/* PPP frames that did not parse */
	int have_ccount;
	uint16_t ccount_last;
	uint64_t ccount_jumps;	/* coherency count moved by more than 1 */
	uint64_t ccount_missing;	/* counts skipped: packets not seen */
	uint64_t ccp_reset_req;
	/* LCP: this side's last Configure-Request. */
	int lcp_auth;		/* enum audit_auth it asked for, if any */
	int lcp_pfc, lcp_acfc;
	uint16_t lcp_mru;
	unsigned lcp_naks, lcp_rejs;	/* sent by this side */
	/* CCP: this side's Configure-Request MPPE bits (RFC 3078 §2.1). */
	int have_ccp_req;
	uint32_t ccp_req_bits;
	/* IPCP: the address this side asked for in its last request, and
	 * whether the other side acknowledged it. */
	uint32_t ipcp_addr;
	int ipcp_acked;
	char term_reason[AUDIT_MSG_MAX];	/* LCP Terminate-Request */
};

struct audit_call {
	unsigned id;		/* 1-based, as printed */
	long ctrl;		/* index into audit_cap.ctrls, -1 orphan */
	uint32_t ip[2];		/* ip[d] sends direction d */
	uint16_t key[2];	/* GRE Call ID field of direction d */
	int key_known[2];
	int roles_known;	/* direction 0 is PNS -> PAC */
	int incoming;		/* opened by Incoming-Call-Request */
	int have_reply;
	unsigned result;	/* Outgoing/Incoming-Call-Reply result */
	int cleared;		/* Call-Clear-Request or CDN seen */
	unsigned cdn_result;
	char phone[PPTP_PHONE_LEN + 1];
	uint64_t t_first, t_last;
	struct audit_dir d[2];
	/* PPP as negotiated (RFC 1661 §6.2, RFC 1962): the authenticating
	 * protocol from the Configure-Ack, who authenticated, MPPE bits
	 * from the CCP Configure-Ack. */
	int auth;		/* enum audit_auth */
	int auth_dir;		/* the authenticator's sending direction */
	int auth_known;
	int lcp_acked[2];	/* direction d's Configure-Request acked */
	int have_mppe;
	uint32_t mppe_bits;
	size_t hs[PK_AUDIT_HS_PER_CALL];	/* indices into audit_cap.hs */
	size_t n_hs;
	uint64_t hs_dropped;
};

struct audit_ctrl {
	unsigned id;		/* 1-based */
	uint32_t ip[2];		/* [0] PNS (client), [1] PAC (server) */
	uint16_t port[2];
	uint64_t t_first, t_last;
	struct audit_tcp_dir tcp[2];	/* [0] PNS -> PAC */
	int have_sccrq, have_sccrp;
	struct pptp_start sccrq, sccrp;
	int have_stop;
	unsigned stop_reason;
	uint64_t msgs[2], bad_msgs[2];
	int syn, fin, rst;
	unsigned n_calls;
};

/* Caps on what one capture can make us hold (core/limits.h). */
struct audit_limits {
	size_t max_ctrls;
	size_t max_calls;
	size_t max_hs;
};

struct audit_map;

struct audit_cap {
	struct audit_limits lim;
	uint16_t pptp_port;	/* the control port (1723) */
	struct audit_ctrl *ctrls;
	size_t n_ctrls, cap_ctrls;
	struct audit_call *calls;
	size_t n_calls, cap_calls;
	struct audit_hs *hs;
	size_t n_hs, cap_hs;
	struct audit_map *ctrl_map;	/* 4-tuple -> ctrl */
	struct audit_map *gre_map;	/* (src, dst, call ID) -> call */
	uint64_t t_first, t_last;
	uint64_t ctrls_dropped, calls_dropped, hs_dropped;	/* caps hit */
	uint64_t ctrl_unknown_call;	/* call messages for no known call */
};

/*
 * One PPP frame the capture carried, as audit_cap_input() hands it to a
 * caller that wants the data (the decryptor): the protocol field decoded
 * (address/control and PFC undone), info the bytes after it.
 */
struct audit_ppp_event {
	int valid;
	size_t call;		/* index into audit_cap.calls */
	int dir;
	uint16_t proto;
	const uint8_t *info;	/* borrowed from the packet */
	size_t info_len;
	uint64_t ts_us;
};

void audit_limits_default(struct audit_limits *lim);

/* Returns 0 or PK_ERR_NOMEM. Free with audit_cap_free(). */
int audit_cap_init(struct audit_cap *c, const struct audit_limits *lim);
void audit_cap_free(struct audit_cap *c);

/*
 * Feeds one dissected packet. ev (may be NULL) receives the PPP frame a
 * GRE packet carried, if any. Returns 0, or PK_ERR_NOMEM (the model is
 * still consistent; the packet was not fully used). Malformed content is
 * counted, never an error.
 */
int audit_cap_input(struct audit_cap *c, const struct audit_l4 *p,
    struct audit_ppp_event *ev);

/* End of capture: gives up on TCP holes and parses what they held. */
void audit_cap_finish(struct audit_cap *c);

/* Names for reports; never NULL. */
const char *audit_auth_name(int method);
const char *audit_result_name(int result);
/* "128-stateless", "40-stateful", "none", ... from MPPE Supported Bits */
const char *audit_mppe_name(int have_mppe, uint32_t bits, char *buf,
    size_t len);
/* Key length of MPPE bits: 128, 56, 40, or 0 if none is set. */
int audit_mppe_key_bits(uint32_t bits);

/* Internal: PPP frames of a call (ppp_watch.c). */
int audit_ppp_frame(struct audit_cap *c, size_t call, int dir, uint64_t ts,
    const uint8_t *frame, size_t len, struct audit_ppp_event *ev);

#endif
