/*
 * ctrl_int.h - the inside of struct pptp_ctrl, shared by ctrl.c (the
 * control connection) and call.c (the calls); not for the owner.
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
	uint16_t next_call_id;
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

/* call.c */
/* Handles a call-management message (types 7..15). */
int pptp_call_rx(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out);
int pptp_call_timeout(struct pptp_ctrl *c, uint64_t now, struct pk_out *out);
uint64_t pptp_call_next_deadline(const struct pptp_ctrl *c);
/* Ends every live call with CALL_DOWN/CALL_FAILED (origin, code). */
int pptp_call_end_all(struct pptp_ctrl *c, uint64_t now, int origin,
    int code, struct pk_out *out);

#endif
