/*
 * ctrl_int.h - the inside of struct pptp_ctrl, shared by ctrl.c (the
 * control connection), call.c (the call state machine and its messages)
 * and call_api.c (the owner's call verbs); not for the owner.
 */
#ifndef PK_PPTP_CTRL_INT_H
#define PK_PPTP_CTRL_INT_H

#include <stdint.h>

#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "pptp/ctrl.h"
#include "pptp/ctrl_msg.h"

struct pptp_call {
	int state;			/* enum pptp_call_state */
	int direction;			/* enum pptp_call_dir */
	int was_up;			/* reached ESTABLISHED once */
	int peer_known;			/* peer_id is valid */
	uint16_t local_id;
	uint16_t peer_id;
	uint16_t serial;
	uint64_t deadline;		/* PK_TIME_NEVER if none */
	uint16_t peer_rwin;
	uint16_t peer_delay;
	uint32_t connect_speed;
	uint32_t framing_type;
	uint32_t physical_channel;
	uint32_t max_bps;		/* from the OCRQ, default speed */
	uint16_t our_rwin;		/* what we advertised */
	uint16_t our_delay;
};

struct pptp_ctrl {
	struct pptp_ctrl_config cfg;
	int state;			/* enum pptp_ctrl_state */
	uint64_t setup_deadline;	/* until established */
	uint64_t stop_deadline;		/* in WAIT_STOP_REPLY */
	uint64_t last_rx;		/* last complete message */
	uint8_t stop_reason;		/* StopCCRQ Reason we sent */
	int echo_outstanding;
	uint32_t echo_id;		/* last Echo-Request we sent */
	uint64_t echo_deadline;
	/* Call IDs of the calls that ended last, not handed out again
	 * soon (see pptp_call_alloc()). */
	uint16_t recent_ids[PK_CTRL_CALLS_MAX];
	size_t recent_next;
	uint16_t next_serial;
	struct pptp_ev_ctrl_up peer;	/* peer's SCCRQ/SCCRP */
	struct pptp_ctrl_stats stats;
	struct pk_ratelimit rl;		/* peer-triggered log lines */
	struct pptp_call calls[PK_CTRL_CALLS_MAX];
	size_t rxlen;
	uint8_t rxbuf[PK_CTRL_RXBUF];
};

/* ctrl.c */
int pptp_ctrl_send(struct pptp_ctrl *c, const struct pptp_msg *m,
    struct pk_out *out);
/* Logs a line the peer caused, at most a burst per interval; ctx NULL
 * means the connection's own prefix. */
void pptp_ctrl_peer_log(struct pptp_ctrl *c, uint64_t now, int level,
    const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void pptp_ctrl_sanitize(char *dst, const char *src, size_t cap);

/* Inputs of the call state machine (call.c). */
enum pptp_call_ev {
	PPTP_CV_START,		/* we send OCRQ / ICRQ */
	PPTP_CV_RX_REQUEST,	/* we got OCRQ / ICRQ */
	PPTP_CV_ACCEPT,		/* owner accepts */
	PPTP_CV_REJECT,		/* owner refuses */
	PPTP_CV_RX_REPLY_OK,	/* OCRP Connected / ICRP Connect */
	PPTP_CV_RX_REPLY_ERR,	/* any other result */
	PPTP_CV_RX_CONNECTED,	/* ICCN */
	PPTP_CV_CLEAR,		/* PNS sends CCRQ */
	PPTP_CV_RX_CLEAR,	/* PAC got CCRQ */
	PPTP_CV_DISCONNECT,	/* PAC sends CDN */
	PPTP_CV_RX_DISCONNECT,	/* PNS got CDN */
	PPTP_CV_TIMEOUT,
	PPTP_CV_CTRL_DOWN,
	PPTP_CV_COUNT
};

/* call.c: the call state machine, used by call_api.c too. */
/* The state ev leads to from k's state, or -1 if that is not allowed. */
int pptp_call_next(const struct pptp_call *k, int ev);
/* Enters next (from pptp_call_next()), arms its timer; FREE clears k. */
void pptp_call_enter(struct pptp_ctrl *c, struct pptp_call *k, int next,
    int ev, uint64_t now);
struct pptp_call *pptp_call_by_local(struct pptp_ctrl *c, uint16_t id);
/* A FREE slot holding a new unique local Call ID (want, or allocated),
 * or NULL with *err PK_ERR_FULL / PK_ERR_DUPLICATE. */
struct pptp_call *pptp_call_alloc(struct pptp_ctrl *c, uint16_t want,
    int *err);
/* The one terminal event of a call: CALL_DOWN if it was up, else
 * CALL_FAILED. */
int pptp_call_emit_end(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call *k, int origin, int code, uint8_t result,
    uint8_t error, uint16_t cause, const char *stats, const char *what,
    struct pk_out *out);
int pptp_call_emit_up(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call *k, struct pk_out *out);
void pptp_call_result_text(char *buf, size_t cap, const char *msg,
    unsigned type, uint8_t result, uint8_t error, uint16_t cause);
/* k may be NULL for a refusal that names no call of ours. */
int pptp_call_send_ocrp(struct pptp_ctrl *c, uint16_t call_id,
    uint16_t peer_call_id, uint8_t result, uint8_t error, uint16_t cause,
    const struct pptp_call *k, struct pk_out *out);
int pptp_call_send_icrp(struct pptp_ctrl *c, uint16_t call_id,
    uint16_t peer_call_id, uint8_t result, uint8_t error,
    const struct pptp_call *k, struct pk_out *out);
int pptp_call_send_ccrq(struct pptp_ctrl *c, const struct pptp_call *k,
    struct pk_out *out);
int pptp_call_send_cdn(struct pptp_ctrl *c, const struct pptp_call *k,
    uint8_t result, uint8_t error, uint16_t cause, const char *stats,
    struct pk_out *out);
/* Handles a call-management message (types 7..15). */
int pptp_call_rx(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out);
int pptp_call_timeout(struct pptp_ctrl *c, uint64_t now, struct pk_out *out);
uint64_t pptp_call_next_deadline(const struct pptp_ctrl *c);
/* Ends every live call with CALL_DOWN/CALL_FAILED (origin, code); why
 * is the events' text (the reason the control connection ended). */
int pptp_call_end_all(struct pptp_ctrl *c, uint64_t now, int origin,
    int code, const char *why, struct pk_out *out);

#endif
