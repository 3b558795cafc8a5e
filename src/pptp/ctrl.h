/*
 * ctrl.h - one PPTP control connection and the calls it carries, sans-I/O,
 * for either role: PAC (the server, which accepts TCP) or PNS (the client).
 *
 * The object implements the control-connection state machine of RFC 2637
 * §3.1 (idle, wait_ctl_reply, established, wait_stop_reply), keep-alives
 * and timers (§3.1.4, [MS-PTPT] §3.1.2), and one call state machine per
 * call (§3.2.3, §3.2.4) for both outgoing calls (PNS: OCRQ, PAC: OCRP)
 * and incoming calls (PAC: ICRQ, PNS: ICRP, PAC: ICCN), with clearing by
 * Call-Clear-Request and Call-Disconnect-Notify.
 *
 * Input is the TCP byte stream exactly as read; output goes to a
 * caller-owned struct pk_out as OUT_CTRL items (bytes to write to the TCP
 * socket, in order) and OUT_EVENT items (source EV_SRC_CTRL, type enum
 * pptp_ctrl_event; read the payload with out_event_payload()).
 *
 * Calls are named by our own (local) Call ID, which is also pk_event.id
 * of every call event. A request received from the peer reserves a local
 * Call ID at once, so the owner answers it with that ID.
 *
 * Usage, server (PAC) side:
 *
 *	pptp_ctrl_config_default(&cfg, PPTP_ROLE_PAC);
 *	snprintf(cfg.log_ctx, sizeof(cfg.log_ctx), "ctrl=%u peer=%s", n, ip);
 *	pptp_ctrl_new(&c, &cfg, now);		// on TCP accept
 *	loop:
 *	  n = read(fd, buf, PK_CTRL_RXBUF);
 *	  n > 0 ? pptp_ctrl_input(c, now, buf, n, out)
 *	        : pptp_ctrl_peer_closed(c, now, out);
 *	  now >= pptp_ctrl_next_deadline(c) -> pptp_ctrl_timeout(c, now, out);
 *	  for each item of out:
 *	    OUT_CTRL: queue the bytes for the socket
 *	    PPTP_EV_CALL_REQUEST: set up GRE channel + PPP for ev.id, then
 *	        pptp_ctrl_call_accept(c, now, ev.id, &answer, out)
 *	        (or pptp_ctrl_call_reject(...))
 *	    PPTP_EV_CALL_CLEAR_REQUESTED: stop PPP, then
 *	        pptp_ctrl_call_disconnect(c, now, ev.id, PPTP_CDN_REQUEST, 0,
 *	            0, stats, out)
 *	    PPTP_EV_CALL_DOWN / PPTP_EV_CALL_FAILED: free the call's session
 *	    PPTP_EV_CTRL_DOWN: flush the queued bytes, close TCP,
 *	        pptp_ctrl_free(c)
 *	  out_reset(out);
 *
 * Client (PNS) side: pptp_ctrl_new() with PPTP_ROLE_PNS after connect(),
 * pptp_ctrl_start() (sends SCCRQ), wait for PPTP_EV_CTRL_UP, then
 * pptp_ctrl_call_start() (sends OCRQ) and wait for PPTP_EV_CALL_UP, whose
 * payload holds the peer's Call ID for the GRE header and its receive
 * window. pptp_ctrl_call_clear() hangs up; [MS-PTPT] §3.3.4.2 then wants
 * pptp_ctrl_stop() once no call is left.
 *
 * Lifetimes: every call the owner hears of (a CALL_REQUEST event, or a
 * successful pptp_ctrl_call_start()) ends with exactly one
 * PPTP_EV_CALL_FAILED (it never came up) or PPTP_EV_CALL_DOWN (it did),
 * including calls ended by the owner's own reject/disconnect/clear and
 * calls swept away when the control connection goes down; after that
 * event its local Call ID is invalid. PPTP_EV_CTRL_DOWN is always the last
 * event; afterwards every entry point returns PK_ERR_CLOSED (except
 * pptp_ctrl_peer_closed and pptp_ctrl_stop, which return 0) and emits
 * nothing.
 *
 * Choices made where RFC 2637 leaves room (see also ctrl.c):
 *  - Collisions (§3.1.3): each TCP connection is its own control
 *    connection, as [MS-PTPT] §3.1.5.1.1 does; no tie-break by IP address
 *    between connections. On one connection a second SCCRQ (or an SCCRQ
 *    from the side that accepted TCP while we wait for our reply) is
 *    answered with result 3 "already exists" and changes nothing.
 *  - A malformed message (framing: length, magic, message or control type)
 *    means the stream is out of sync (§1.4): if the connection was
 *    established we send Stop-Control-Connection-Request with Reason 1
 *    (None: general request; 2 and 3 mean version and local shutdown),
 *    then go down at once with the decode error as the event code,
 *    without waiting for a reply we could not parse.
 *  - A well-formed message in the wrong state, for the wrong role or for
 *    an unknown call is logged (rate-limited), counted and dropped; a
 *    request that has a reply gets an error reply: call requests and
 *    Echo-Requests before the connection is up get General Error 1
 *    (Not-Connected), a call request reusing a busy peer Call ID gets
 *    General Error 5 (Bad-Call ID), and a full call table gets General
 *    Error 4 (No-Resource), as a Windows PNS does ([MS-PTPT] <12>).
 *    Replies to refused requests carry Call ID 0: no call exists.
 *  - Call timers are per call (RFC 2637 §3.2.1 would close the whole
 *    connection): an unanswered call request fails, an unanswered
 *    Call-Clear-Request is dropped; the connection lives on.
 *  - A CDN answering a Call-Clear-Request sent before the OCRP names a
 *    PAC Call ID we never learned (§2.13); it is matched when exactly one
 *    call is in that situation.
 */
#ifndef PK_PPTP_CTRL_H
#define PK_PPTP_CTRL_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/out.h"
#include "pptp/pptp_proto.h"

struct pptp_ctrl;

enum pptp_role {
	PPTP_ROLE_PAC = 1,	/* access concentrator: the VPN server */
	PPTP_ROLE_PNS = 2,	/* network server: the VPN client */
};

#define PPTP_LOG_CTX_MAX 96

struct pptp_ctrl_config {
	int role;			/* enum pptp_role */
	char host_name[PPTP_HOSTNAME_LEN + 1];	/* sent in SCCRQ/SCCRP */
	char vendor[PPTP_VENDOR_LEN + 1];
	uint16_t firmware_rev;
	uint32_t framing_caps;		/* PPTP_FRAMING_CAP_* bits */
	uint32_t bearer_caps;		/* PPTP_BEARER_CAP_* bits */
	uint16_t max_channels;		/* §2.1: PNS SHOULD send 0 */
	uint16_t max_calls;		/* 1..PK_CTRL_CALLS_MAX */
	uint32_t echo_interval_ms;	/* idle before Echo-Request; 0: off */
	uint32_t echo_timeout_ms;	/* Echo-Reply wait before closing */
	uint32_t setup_timeout_ms;	/* SCCRQ/SCCRP exchange must finish */
	uint32_t call_timeout_ms;	/* call request/clear answer wait */
	uint32_t stop_timeout_ms;	/* Stop-Control-Connection-Reply wait */
	uint16_t recv_window;		/* our Packet Recv. Window Size */
	uint16_t processing_delay;	/* ours, in 1/10 s (§2.7) */
	int call_id_zero_ok;		/* may we allocate local Call ID 0 */
	char log_ctx[PPTP_LOG_CTX_MAX];	/* "ctrl=3 peer=198.18.0.2" */
};

/*
 * Fills *cfg with the defaults for role: echo every 60 s with a 60 s
 * timeout (RFC 2637 §3.1.4), 30 s setup ([MS-PTPT] §3.1.2), 60 s for call
 * and stop replies (RFC 2637 §3), PK_CTRL_CALLS_MAX calls, receive window
 * PK_GRE_RWIN_DEFAULT, vendor "pptpkit", empty host name, async+sync
 * framing and analog+digital bearer capabilities.
 */
void pptp_ctrl_config_default(struct pptp_ctrl_config *cfg, int role);

enum pptp_ctrl_state {
	PPTP_CTRL_IDLE = 0,		/* receiver: waiting for SCCRQ */
	PPTP_CTRL_WAIT_CTL_REPLY = 1,	/* originator: SCCRQ sent */
	PPTP_CTRL_ESTABLISHED = 2,
	PPTP_CTRL_WAIT_STOP_REPLY = 3,	/* StopCCRQ sent */
	PPTP_CTRL_CLOSED = 4,		/* CTRL_DOWN emitted; close TCP */
};

enum pptp_call_state {
	PPTP_CALL_FREE = 0,		/* slot unused */
	PPTP_CALL_WAIT_REPLY = 1,	/* we sent OCRQ (PNS) / ICRQ (PAC) */
	PPTP_CALL_WAIT_ANSWER = 2,	/* got OCRQ/ICRQ: owner must answer */
	PPTP_CALL_WAIT_CONNECT = 3,	/* PNS sent ICRP, waits for ICCN */
	PPTP_CALL_ESTABLISHED = 4,
	PPTP_CALL_CLEARING = 5,		/* PAC got CCRQ: owner sends CDN */
	PPTP_CALL_WAIT_DISCONNECT = 6,	/* PNS sent CCRQ, waits for CDN */
};

enum pptp_call_dir {
	PPTP_CALL_OUTGOING = 1,		/* OCRQ/OCRP (PNS asks PAC to dial) */
	PPTP_CALL_INCOMING = 2,		/* ICRQ/ICRP/ICCN (PAC got a call) */
};

/* Why a call or the connection ended. */
enum pptp_end_origin {
	PPTP_END_PEER = 1,	/* the peer's message (OCRP/ICRP error, CDN) */
	PPTP_END_LOCAL = 2,	/* the owner: reject, disconnect, clear, stop */
	PPTP_END_TIMEOUT = 3,	/* a timer expired */
	PPTP_END_CTRL = 4,	/* the control connection went down */
	PPTP_END_PROTOCOL = 5,	/* a malformed message from the peer */
};

/* Event types (pk_event.type, source EV_SRC_CTRL). */
enum pptp_ctrl_event {
	/* The control connection is established. Payload struct
	 * pptp_ev_ctrl_up; id 0. */
	PPTP_EV_CTRL_UP = 1,
	/* The control connection is gone; the owner writes the OUT_CTRL
	 * bytes queued before this event and then closes TCP. code: 0 for an
	 * orderly stop, else the PK_ERR_* cause: PK_ERR_TIMEOUT (setup, echo
	 * or stop timer), PK_ERR_CLOSED (TCP EOF), the decode error of a
	 * malformed message (PK_ERR_MAGIC, PK_ERR_LENGTH, PK_ERR_TYPE),
	 * PK_ERR_VERSION (versions incompatible), PK_ERR_AUTH (peer answered
	 * "not authorized"), PK_ERR_POLICY (peer refused otherwise); text
	 * says why. Payload struct pptp_ev_ctrl_down. */
	PPTP_EV_CTRL_DOWN = 2,
	/* The peer asks for a call (PAC: OCRQ; PNS: ICRQ). id is the local
	 * Call ID reserved for it; answer with pptp_ctrl_call_accept() or
	 * pptp_ctrl_call_reject() within call_timeout_ms (else it is
	 * rejected for you). Payload struct pptp_ev_call_request. */
	PPTP_EV_CALL_REQUEST = 3,
	/* A call is established. Payload struct pptp_ev_call_up. */
	PPTP_EV_CALL_UP = 4,
	/* A call ended before it came up. code: the Result Code of the
	 * reply that refused it (the peer's, or ours for origin LOCAL),
	 * PK_ERR_TIMEOUT for origin TIMEOUT, PK_ERR_CLOSED for origin CTRL.
	 * Payload struct pptp_ev_call_end. */
	PPTP_EV_CALL_FAILED = 5,
	/* PAC: the PNS sent Call-Clear-Request. Tear the session down and
	 * answer with pptp_ctrl_call_disconnect() (after call_timeout_ms a
	 * CDN with Result 4 is sent for you). Payload struct pptp_ev_call_end
	 * (ids only). */
	PPTP_EV_CALL_CLEAR_REQUESTED = 6,
	/* An established call ended. code as for CALL_FAILED; a CDN's
	 * Result Code may be 0 ([MS-PTPT] §3.2.5.5: Windows always sends 0,
	 * and it is not an error). Payload struct pptp_ev_call_end. */
	PPTP_EV_CALL_DOWN = 7,
	/* PNS: WAN-Error-Notify for a call. Informational ([MS-PTPT]
	 * §3.2.5.6 says a PNS ignores it). Payload struct pptp_ev_wan_error. */
	PPTP_EV_WAN_ERROR = 8,
	/* PAC: Set-Link-Info for a call. Payload struct
	 * pptp_ev_set_link_info. */
	PPTP_EV_SET_LINK_INFO = 9,
};

/* Peer text fields in payloads are NUL-terminated with non-printable
 * bytes replaced by '?', safe to log. */
struct pptp_ev_ctrl_up {
	uint16_t peer_version;
	uint16_t peer_max_channels;
	uint16_t peer_firmware_rev;
	uint32_t peer_framing_caps;	/* may be 0 (PoPToP sends 0) */
	uint32_t peer_bearer_caps;
	char peer_host_name[PPTP_HOSTNAME_LEN + 1];	/* may be empty */
	char peer_vendor[PPTP_VENDOR_LEN + 1];
};

struct pptp_ev_ctrl_down {
	int origin;		/* enum pptp_end_origin */
	uint8_t stop_reason;	/* StopCCRQ Reason sent/received, else 0 */
};

struct pptp_ev_call_request {
	uint16_t local_call_id;	/* reserved for this call; the handle */
	uint16_t peer_call_id;
	uint16_t serial;
	int direction;		/* OUTGOING: an OCRQ; INCOMING: an ICRQ */
	uint32_t min_bps;		/* OCRQ */
	uint32_t max_bps;		/* OCRQ */
	uint32_t bearer_type;
	uint32_t framing_type;		/* OCRQ */
	uint32_t physical_channel;	/* ICRQ */
	uint16_t peer_recv_window;	/* OCRQ */
	uint16_t peer_processing_delay;	/* OCRQ */
	char phone[PPTP_PHONE_LEN + 1];		/* OCRQ phone / ICRQ dialed */
	char dialing[PPTP_PHONE_LEN + 1];	/* ICRQ */
	uint8_t subaddr[PPTP_SUBADDR_LEN];	/* raw */
};

struct pptp_ev_call_up {
	uint16_t local_call_id;	/* the Call ID the peer puts in GRE to us */
	uint16_t peer_call_id;	/* the Call ID we put in GRE to the peer */
	uint16_t serial;
	int direction;
	uint16_t peer_recv_window;	/* 0 if the peer sent 0 */
	uint16_t peer_processing_delay;
	uint32_t connect_speed;
	uint32_t framing_type;		/* ICCN; OCRQ's for outgoing */
	uint32_t physical_channel;	/* OCRP; ICRQ's for incoming */
};

struct pptp_ev_call_end {
	uint16_t local_call_id;
	uint16_t peer_call_id;	/* valid if peer_known */
	int peer_known;
	int direction;
	int origin;		/* enum pptp_end_origin */
	uint8_t result;		/* from the peer's OCRP/ICRP/CDN or ours */
	uint8_t error;		/* General Error Code */
	uint16_t cause;
	char stats[PPTP_STATS_LEN + 1];	/* CDN Call Statistics */
};

struct pptp_ev_wan_error {
	uint16_t local_call_id;
	uint32_t crc_errors;
	uint32_t framing_errors;
	uint32_t hw_overruns;
	uint32_t buf_overruns;
	uint32_t timeout_errors;
	uint32_t alignment_errors;
};

struct pptp_ev_set_link_info {
	uint16_t local_call_id;
	uint32_t send_accm;
	uint32_t recv_accm;
};

/* What pptp_ctrl_call_start() sends (PNS: OCRQ §2.7; PAC: ICRQ §2.9). */
struct pptp_call_params {
	uint16_t local_call_id;	/* 0: allocate one (see call_id_zero_ok) */
	uint32_t min_bps;	/* OCRQ */
	uint32_t max_bps;	/* OCRQ */
	uint32_t bearer_type;	/* PPTP_BEARER_* */
	uint32_t framing_type;	/* OCRQ; ICCN framing for an incoming call */
	uint32_t physical_channel;	/* ICRQ */
	uint32_t connect_speed;		/* ICCN (PAC, incoming) */
	uint16_t recv_window;	/* 0: the config's */
	uint16_t processing_delay;
	char phone[PPTP_PHONE_LEN + 1];		/* OCRQ phone / ICRQ dialed */
	char dialing[PPTP_PHONE_LEN + 1];	/* ICRQ */
	uint8_t subaddr[PPTP_SUBADDR_LEN];
};

/* Windows' values ([MS-PTPT] Appendix A <10>): 300..100000000 bps, any
 * bearer, any framing; everything else 0 (window from the config). */
void pptp_call_params_default(struct pptp_call_params *p);

/* What pptp_ctrl_call_accept() sends (PAC: OCRP §2.8; PNS: ICRP §2.10). */
struct pptp_call_answer {
	uint16_t local_call_id;	/* 0: keep the one reserved at the request;
				 * else use this one (unique on this
				 * connection), e.g. from a server-wide
				 * allocator so that clients behind one NAT
				 * address never share a Call ID */
	uint16_t recv_window;	/* 0: the config's */
	uint16_t processing_delay;
	uint32_t connect_speed;		/* OCRP */
	uint32_t physical_channel;	/* OCRP */
};

/* Every pptp_call_state other than FREE has an entry here. */
struct pptp_call_info {
	uint16_t local_call_id;
	uint16_t peer_call_id;	/* valid if peer_known */
	int peer_known;
	int state;		/* enum pptp_call_state */
	int direction;		/* enum pptp_call_dir */
	uint16_t serial;
	uint16_t peer_recv_window;
	uint16_t peer_processing_delay;
	uint32_t connect_speed;
	uint64_t deadline;	/* PK_TIME_NEVER if no timer */
};

struct pptp_ctrl_stats {
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint32_t rx_msgs[PPTP_CTRL_TYPE_MAX + 1];	/* by type */
	uint32_t tx_msgs[PPTP_CTRL_TYPE_MAX + 1];
	uint32_t rx_malformed;	/* fatal framing/decode errors */
	uint32_t rx_unexpected;	/* well-formed but dropped or refused */
	uint32_t echo_sent;
	uint32_t echo_answered;	/* Echo-Replies we sent */
	uint32_t echo_replies;	/* matching Echo-Replies received */
	uint32_t calls_up;
	uint32_t calls_failed;
	uint32_t calls_down;
	uint32_t calls_refused;	/* refused by us without owner (full, dup) */
};

/*
 * Creates a control connection in state IDLE and arms the setup timer
 * (RFC 2637 §3.1.4 item 1). *cfg is copied. Returns 0 and *cp, PK_ERR_CONFIG
 * for an invalid config (role, max_calls 0 or above PK_CTRL_CALLS_MAX, a
 * zero timeout), or PK_ERR_NOMEM. Free with pptp_ctrl_free().
 */
int pptp_ctrl_new(struct pptp_ctrl **cp, const struct pptp_ctrl_config *cfg,
    uint64_t now);
/* Frees the object (NULL is fine). Emits nothing: call pptp_ctrl_stop()
 * or pptp_ctrl_peer_closed() first if the owner wants the events. */
void pptp_ctrl_free(struct pptp_ctrl *c);

/*
 * Originator side (whoever opened TCP; normally the PNS): sends SCCRQ
 * and enters wait_ctl_reply; the setup timer restarts. Returns 0,
 * PK_ERR_STATE if not IDLE, PK_ERR_CLOSED, or PK_ERR_FULL (out too small).
 */
int pptp_ctrl_start(struct pptp_ctrl *c, uint64_t now, struct pk_out *out);

/*
 * Feeds len bytes read from TCP (any split: a message may span calls and
 * one call may hold many). Complete messages are handled in order; a
 * partial one waits in a buffer of PK_CTRL_RXBUF bytes that never grows.
 * Returns 0 if the bytes were handled (even if the peer's message ended
 * the connection in an orderly way: see PPTP_EV_CTRL_DOWN), the decode
 * error (PK_ERR_MAGIC, PK_ERR_LENGTH, PK_ERR_TYPE) that made us drop the
 * connection (CTRL_DOWN was emitted with the same code), PK_ERR_CLOSED
 * after CTRL_DOWN, or PK_ERR_FULL if out overflowed (a sizing bug; the
 * connection is then unusable and should be closed).
 */
int pptp_ctrl_input(struct pptp_ctrl *c, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out);

/*
 * The TCP connection reached EOF or failed. Every call ends (CALL_DOWN or
 * CALL_FAILED) and CTRL_DOWN follows with code PK_ERR_CLOSED. This is how
 * a call whose Call-Clear-Request was answered by a TCP close (PoPToP
 * pptpd does this) is ended. Returns 0 (also if already closed) or
 * PK_ERR_FULL.
 */
int pptp_ctrl_peer_closed(struct pptp_ctrl *c, uint64_t now,
    struct pk_out *out);

/*
 * Local termination (RFC 2637 §3.1.1): if established, sends
 * Stop-Control-Connection-Request with reason (PPTP_STOP_*), ends every
 * call (the StopCCRQ clears them implicitly, §2.3) and waits for the reply
 * (CTRL_DOWN on reply or after stop_timeout_ms). If not established yet,
 * goes down at once. Returns 0 (also if already stopping or closed),
 * PK_ERR_ARG for a reason outside 1..3, or PK_ERR_FULL.
 */
int pptp_ctrl_stop(struct pptp_ctrl *c, uint64_t now, uint8_t reason,
    struct pk_out *out);

/* The earliest absolute time at which pptp_ctrl_timeout() has work, or
 * PK_TIME_NEVER. */
uint64_t pptp_ctrl_next_deadline(const struct pptp_ctrl *c);
/* Runs every timer due at now (setup, echo, stop, per call). Returns 0,
 * PK_ERR_CLOSED or PK_ERR_FULL. */
int pptp_ctrl_timeout(struct pptp_ctrl *c, uint64_t now, struct pk_out *out);

/*
 * Starts a call we initiate: the PNS sends Outgoing-Call-Request, the PAC
 * sends Incoming-Call-Request; the call waits for the reply for
 * call_timeout_ms (then CALL_FAILED, and a PNS also sends
 * Call-Clear-Request). p NULL means pptp_call_params_default().
 * *local_call_id receives the Call ID. Returns 0,
 * PK_ERR_STATE (not established), PK_ERR_FULL (max_calls reached or out
 * full), PK_ERR_DUPLICATE (p->local_call_id in use), PK_ERR_ARG.
 */
int pptp_ctrl_call_start(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call_params *p, uint16_t *local_call_id,
    struct pk_out *out);

/*
 * Accepts the peer's call request (state WAIT_ANSWER). PAC: sends
 * Outgoing-Call-Reply "Connected" and emits CALL_UP. PNS: sends
 * Incoming-Call-Reply "Connect" and waits for Incoming-Call-Connected.
 * a may be NULL for defaults. If a->local_call_id renames the call, later
 * calls and events use the new ID. Returns 0, PK_ERR_NOT_FOUND,
 * PK_ERR_STATE, PK_ERR_DUPLICATE, PK_ERR_CLOSED, PK_ERR_FULL.
 */
int pptp_ctrl_call_accept(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, const struct pptp_call_answer *a,
    struct pk_out *out);

/*
 * Refuses the peer's call request with result (PAC: OCRP result 2..7;
 * PNS: ICRP result 2..3) and General Error Code error (for result 2) and
 * cause (OCRP only). Emits CALL_FAILED. Returns 0, PK_ERR_NOT_FOUND,
 * PK_ERR_STATE, PK_ERR_ARG (result 1 or out of range), PK_ERR_CLOSED,
 * PK_ERR_FULL.
 */
int pptp_ctrl_call_reject(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint8_t result, uint8_t error, uint16_t cause,
    struct pk_out *out);

/*
 * PNS: sends Call-Clear-Request for a call that is waiting for a reply,
 * waiting for ICCN or established, and waits call_timeout_ms for the
 * Call-Disconnect-Notify. The call ends (CALL_DOWN, or CALL_FAILED if it
 * never came up) when the CDN arrives, when the timer expires, or when
 * the connection goes down, whichever comes first. Returns 0 (also if a
 * clear is already pending), PK_ERR_NOT_FOUND, PK_ERR_STATE (wrong role
 * or state), PK_ERR_CLOSED, PK_ERR_FULL.
 */
int pptp_ctrl_call_clear(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, struct pk_out *out);

/*
 * PAC: sends Call-Disconnect-Notify (result PPTP_CDN_*, General Error Code
 * error, cause, and stats as Call Statistics; stats may be NULL) for an
 * established call, one the PNS asked to clear, or an incoming call still
 * waiting for ICRP; emits CALL_DOWN (or CALL_FAILED). Returns 0,
 * PK_ERR_NOT_FOUND, PK_ERR_STATE, PK_ERR_CLOSED, PK_ERR_FULL.
 */
int pptp_ctrl_call_disconnect(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint8_t result, uint8_t error, uint16_t cause,
    const char *stats, struct pk_out *out);

/* PAC: sends WAN-Error-Notify (§2.14) for an established call; the
 * counters are those of the event struct. Returns 0, PK_ERR_NOT_FOUND,
 * PK_ERR_STATE, PK_ERR_CLOSED, PK_ERR_FULL. */
int pptp_ctrl_wan_error(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, const struct pptp_ev_wan_error *e,
    struct pk_out *out);

/* PNS: sends Set-Link-Info (§2.15) for an established call. Returns as
 * pptp_ctrl_wan_error(). */
int pptp_ctrl_set_link_info(struct pptp_ctrl *c, uint64_t now,
    uint16_t local_call_id, uint32_t send_accm, uint32_t recv_accm,
    struct pk_out *out);

/* Lookups for the owner. Return 0 or PK_ERR_NOT_FOUND. */
int pptp_ctrl_call_get(const struct pptp_ctrl *c, uint16_t local_call_id,
    struct pptp_call_info *info);
/* Finds the call whose peer Call ID is peer_call_id (once known). */
int pptp_ctrl_call_find_peer(const struct pptp_ctrl *c,
    uint16_t peer_call_id, uint16_t *local_call_id);
/* The idx-th live call (0 <= idx < pptp_ctrl_call_count()), for listing. */
int pptp_ctrl_call_at(const struct pptp_ctrl *c, size_t idx,
    struct pptp_call_info *info);
size_t pptp_ctrl_call_count(const struct pptp_ctrl *c);

int pptp_ctrl_state(const struct pptp_ctrl *c);	/* enum pptp_ctrl_state */
int pptp_ctrl_role(const struct pptp_ctrl *c);
const struct pptp_ctrl_stats *pptp_ctrl_get_stats(const struct pptp_ctrl *c);
/* The peer's SCCRQ/SCCRP as received (valid once established). */
const struct pptp_ev_ctrl_up *pptp_ctrl_peer_info(const struct pptp_ctrl *c);

const char *pptp_ctrl_state_name(int state);
const char *pptp_call_state_name(int state);
const char *pptp_ctrl_event_name(int type);

#endif
