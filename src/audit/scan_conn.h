/*
 * scan_conn.h - one scan probe over one PPTP control connection, sans-I/O.
 *
 * A probe sends a Start-Control-Connection-Request and classifies the
 * answer (scan_reply_parse). Without a method to probe it then stops the
 * control connection politely (Stop-Control-Connection-Request). With
 * one (the deep scan), it opens a call (Outgoing-Call-Request), speaks
 * GRE (gre_chan) and LCP (the RFC 1661 automaton, ppp/fsm.h, with the
 * prober's own option callbacks below) to find out whether the server
 * agrees to that authentication method, and ends cleanly: LCP
 * Terminate-Request, Call-Clear-Request, Stop-Control-Connection-Request.
 *
 * How a method is asked about (RFC 1661 §5.3, §6.2): the server proposes
 * an Auth-Protocol in its Configure-Request. If it is the method probed,
 * we Configure-Ack it: accepted. Otherwise we Configure-Nak it with the
 * method probed. A server that allows it proposes it next (accepted); one
 * that does not proposes another method, drops the option, or terminates
 * (refused). Each probe uses a fresh negotiation because servers treat a
 * Nak as "the peer cannot do this": pppd removes the Nak'd method from
 * its list, pptpkitd marks it tried. No credentials are ever sent.
 *
 * The control connection is the engine's pptp_ctrl (PNS role); the
 * probe also keeps the raw bytes of the first answer for the report.
 *
 * Inputs: scan_conn_start(), scan_conn_ctrl_input() with the TCP bytes,
 * scan_conn_ctrl_eof(), scan_conn_gre_input() with each GRE packet from
 * the target (IP header removed) whose Call ID is ours, and
 * scan_conn_timeout() once scan_conn_next_deadline() is reached.
 * Outputs, appended to the caller's struct pk_out: OUT_CTRL (bytes for
 * the TCP connection) and OUT_GRE (packets for the target). When
 * scan_conn_done() says so, the owner writes what is queued and closes
 * TCP; the result is then complete.
 *
 * Timers: each wait (the reply, the call, the first LCP packet, the
 * verdict, a CHAP Challenge after LCP is up) lasts timeout_ms; LCP's
 * Restart timer runs at 1 s; teardown waits are bounded the same way,
 * and the whole probe never outlives SCAN_CONN_LIFETIME_WAITS waits.
 */
#ifndef PK_AUDIT_SCAN_CONN_H
#define PK_AUDIT_SCAN_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "audit/scan.h"
#include "core/out.h"
#include "ppp/fsm.h"

/* The deep probe's hard upper bound, in multiples of timeout_ms. */
#define SCAN_CONN_LIFETIME_WAITS 8
/* LCP's Restart timer in a probe (RFC 1661 §4.6 suggests 3 s; a scan
 * waits on it only for retransmissions and the Terminate-Ack). */
#define SCAN_LCP_RESTART_MS 1000

/* --- the LCP prober --- */

enum scan_lcp_event {
	SCAN_LCP_PROGRESS = 0,	/* nothing decided */
	SCAN_LCP_DECIDED,	/* verdict is set */
};

struct scan_lcp {
	struct ppp_fsm fsm;
	int target;		/* SCAN_M_* probed */
	uint32_t magic;		/* ours; 0 once the server rejected it */
	int reqs;		/* server Configure-Requests seen */
	/* The server's first Auth-Protocol (SCAN_M_*, NONE or OTHER). */
	int first;
	uint8_t first_raw[8];
	size_t first_raw_len;
	/* The Configure-Request being looked at. */
	int cur;
	int cur_rejects;	/* options we reject in it */
	/* Our Nak suggesting the target was sent for this Identifier. */
	int nak_sent;
	uint8_t nak_id;
	int verdict;		/* enum scan_verdict, UNTESTED until known */
	char evidence[SCAN_EVIDENCE_MAX];
	int opened, finished;
	int peer_terminated;	/* the server sent Terminate-Request */
	/* The server started authenticating: CHAP Challenge (value size)
	 * or EAP Request. */
	int auth_started;
	size_t challenge_len;
	/* How a packet leaves: the owner frames it (FF 03 C0 21 ...). */
	int (*send)(void *arg, uint16_t proto, const uint8_t *pkt,
	    size_t len);
	void *send_arg;
};

/*
 * Sets up a prober for target in Initial; log_ctx is borrowed. Nothing is
 * sent until scan_lcp_start().
 */
void scan_lcp_init(struct scan_lcp *l, int target, const char *log_ctx,
    int (*send)(void *, uint16_t, const uint8_t *, size_t), void *arg);
/* The lower layer is up: sends our Configure-Request. */
void scan_lcp_start(struct scan_lcp *l, uint64_t now);
/*
 * One PPP frame from the server (address/control and protocol field
 * still on, as GRE carries it). LCP goes to the automaton; a CHAP
 * Challenge or EAP Request marks authentication started; anything else
 * is ignored. Returns 0 or the reason the frame was discarded.
 */
int scan_lcp_frame(struct scan_lcp *l, uint64_t now, const uint8_t *frame,
    size_t len);
/* Administrative close: Terminate-Request with reason. */
void scan_lcp_close(struct scan_lcp *l, uint64_t now, const char *reason);
void scan_lcp_lower_down(struct scan_lcp *l, uint64_t now);
uint64_t scan_lcp_next_deadline(const struct scan_lcp *l);
void scan_lcp_timeout(struct scan_lcp *l, uint64_t now);

/* --- one probe --- */

struct scan_conn_config {
	int method;		/* SCAN_M_* to probe, or -1: reply only */
	uint16_t call_id;	/* our Call ID (unique among live probes) */
	uint32_t timeout_ms;	/* each wait */
	char log_ctx[64];	/* "scan 198.18.0.1:1723" */
};

/* What a probe found. */
enum scan_conn_outcome {
	SCAN_OUT_RUNNING = 0,
	SCAN_OUT_REPLY_ONLY,	/* reply classified, nothing more asked */
	SCAN_OUT_VERDICT,	/* the method's verdict is known */
	SCAN_OUT_NO_AUTH,	/* the server asks for no authentication */
	SCAN_OUT_NO_CONTROL,	/* no control connection (not PPTP/refused) */
	SCAN_OUT_CALL_FAILED,	/* the Outgoing-Call-Request was refused */
	SCAN_OUT_NO_GRE,	/* the call came up, no GRE ever arrived */
	SCAN_OUT_UNDECIDED,	/* LCP went on without an answer */
};

struct scan_conn_result {
	int outcome;			/* enum scan_conn_outcome */
	struct scan_reply reply;	/* valid once reply_done */
	int reply_done;
	int reply_timed_out;
	uint64_t rtt_ms;
	/* deep */
	int offered;			/* SCAN_M_*, NONE, OTHER; see known */
	int offered_known;
	uint8_t offered_raw[8];
	size_t offered_raw_len;
	int verdict;			/* enum scan_verdict for the method */
	char evidence[SCAN_EVIDENCE_MAX];
	char note[SCAN_NOTE_MAX];	/* why the probe ended as it did */
	int clean;			/* every teardown step was answered */
};

struct scan_conn;

/* Returns 0 and *cp, PK_ERR_NOMEM, or PK_ERR_ARG for a bad config. */
int scan_conn_new(struct scan_conn **cp, const struct scan_conn_config *cfg,
    uint64_t now);
void scan_conn_free(struct scan_conn *c);

/* Every entry point returns 0 or PK_ERR_FULL (out too small). */
int scan_conn_start(struct scan_conn *c, uint64_t now, struct pk_out *out);
int scan_conn_ctrl_input(struct scan_conn *c, uint64_t now,
    const uint8_t *data, size_t len, struct pk_out *out);
int scan_conn_ctrl_eof(struct scan_conn *c, uint64_t now, struct pk_out *out);
/* pkt is one GRE packet (header first); packets for other Call IDs are
 * ignored (PK_ERR_NOT_FOUND). */
int scan_conn_gre_input(struct scan_conn *c, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out);
int scan_conn_timeout(struct scan_conn *c, uint64_t now, struct pk_out *out);
uint64_t scan_conn_next_deadline(const struct scan_conn *c);

/* 1 once the probe is over: flush OUT_CTRL, close TCP, read the result. */
int scan_conn_done(const struct scan_conn *c);
const struct scan_conn_result *scan_conn_result(const struct scan_conn *c);
/* Merges a finished probe into the target's report. */
void scan_conn_report(const struct scan_conn *c, struct scan_report *rep);
const char *scan_conn_outcome_name(int outcome);

#endif
