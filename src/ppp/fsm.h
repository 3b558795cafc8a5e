/*
 * fsm.h - the RFC 1661 §4 option-negotiation automaton, written once and
 * driven through a callback table that LCP, IPCP, IPV6CP and CCP each
 * supply (after npppd's fsm.h).
 *
 * States (RFC 1661 §4.2): Initial, Starting, Closed, Stopped, Closing,
 * Stopping, Req-Sent, Ack-Rcvd, Ack-Sent, Opened.
 * Timers: one Restart timer (RFC 1661 §4.6), running in Closing,
 * Stopping, Req-Sent, Ack-Rcvd and Ack-Sent. Its deadline is
 * ppp_fsm_next_deadline(); the owner calls ppp_fsm_timeout() once reached.
 * Counters: Max-Configure and Max-Terminate bound retransmissions;
 * Max-Failure bounds the Configure-Naks we send without an Ack, after
 * which Naks turn into Rejects so a Nak loop always ends.
 *
 * The automaton never touches a socket: it hands each control packet
 * (Code, Identifier, Length, Data) to cb->send, which the owner frames.
 */
#ifndef PK_PPP_FSM_H
#define PK_PPP_FSM_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/limits.h"
#include "core/log.h"

enum ppp_fsm_state {
	PPP_FSM_INITIAL = 0,
	PPP_FSM_STARTING = 1,
	PPP_FSM_CLOSED = 2,
	PPP_FSM_STOPPED = 3,
	PPP_FSM_CLOSING = 4,
	PPP_FSM_STOPPING = 5,
	PPP_FSM_REQSENT = 6,
	PPP_FSM_ACKRCVD = 7,
	PPP_FSM_ACKSENT = 8,
	PPP_FSM_OPENED = 9,
};
#define PPP_FSM_NSTATES 10

/* The events of RFC 1661 §4.3, for the table and for tests. */
enum ppp_fsm_event {
	PPP_FSM_EV_UP = 0,
	PPP_FSM_EV_DOWN,
	PPP_FSM_EV_OPEN,
	PPP_FSM_EV_CLOSE,
	PPP_FSM_EV_TO_P,	/* TO+: restart counter > 0 */
	PPP_FSM_EV_TO_M,	/* TO-: restart counter expired */
	PPP_FSM_EV_RCR_P,	/* good Configure-Request */
	PPP_FSM_EV_RCR_M,	/* bad Configure-Request */
	PPP_FSM_EV_RCA,
	PPP_FSM_EV_RCN,		/* Configure-Nak or Configure-Reject */
	PPP_FSM_EV_RTR,
	PPP_FSM_EV_RTA,
	PPP_FSM_EV_RUC,		/* unknown code */
	PPP_FSM_EV_RXJ_P,	/* permitted Code/Protocol-Reject */
	PPP_FSM_EV_RXJ_M,	/* catastrophic Code/Protocol-Reject */
	PPP_FSM_EV_RXR,		/* Echo-Request/Reply, Discard-Request */
};
#define PPP_FSM_NEVENTS 16

/* Why the automaton last reached Closed/Stopped (for the owner's logs). */
enum ppp_fsm_cause {
	PPP_FSM_CAUSE_NONE = 0,
	PPP_FSM_CAUSE_CLOSE,		/* our Close event */
	PPP_FSM_CAUSE_PEER_TERM,	/* peer sent Terminate-Request */
	PPP_FSM_CAUSE_TIMEOUT,		/* Max-Configure/Max-Terminate hit */
	PPP_FSM_CAUSE_REJECTED,		/* catastrophic Code/Protocol-Reject */
	PPP_FSM_CAUSE_DOWN,		/* lower layer went down */
};

struct ppp_fsm;

/*
 * What a protocol supplies. Every callback receives the automaton; the
 * protocol finds its own state through f->arg. Callbacks must not call
 * back into the automaton's event functions (results that need a state
 * change are raised after the call returns, by the owner).
 */
struct ppp_fsm_callbacks {
	/* Before the first Configure-Request of a negotiation: restore the
	 * options we want to their configured values. */
	void (*reset)(struct ppp_fsm *f);
	/* Writes our Configure-Request options (no header). */
	int (*build_request)(struct ppp_fsm *f, struct buf_writer *w);
	/* A peer's Configure-Request begins: forget the previous one. */
	void (*req_begin)(struct ppp_fsm *f);
	/*
	 * One option of a peer's Configure-Request; val holds the value
	 * (after Type and Length). Returns PPP_CONFACK, PPP_CONFREJ, or
	 * PPP_CONFNAK after writing the whole suggested option into nak.
	 */
	int (*req_option)(struct ppp_fsm *f, uint8_t type,
	    struct buf_reader *val, struct buf_writer *nak);
	/* Optional: after the last option, append Naks for options the
	 * peer left out but must send (RFC 1661 §5.3). */
	void (*req_end)(struct ppp_fsm *f, struct buf_writer *nak);
	/* One option of the peer's Configure-Nak (RFC 1661 §5.3). */
	void (*nak_option)(struct ppp_fsm *f, uint8_t type,
	    struct buf_reader *val);
	/* One option of the peer's Configure-Reject (RFC 1661 §5.4): stop
	 * requesting it. */
	void (*rej_option)(struct ppp_fsm *f, uint8_t type,
	    struct buf_reader *val);
	/* This-Layer-Up/Down/Started/Finished (RFC 1661 §4.4). */
	void (*up)(struct ppp_fsm *f);
	void (*down)(struct ppp_fsm *f);
	void (*starting)(struct ppp_fsm *f);
	void (*finished)(struct ppp_fsm *f);
	/*
	 * Optional: codes beyond Code-Reject (LCP 8-13, CCP 14-15).
	 * Returns 0 if the code is known (whatever it did), PPP_FSM_RXR if
	 * it is an Echo-Request/Reply or Discard-Request (the automaton then
	 * runs the RXR event, whose ser action calls rxr below, in Opened
	 * only), or PK_ERR_TYPE to have a Code-Reject sent (RUC).
	 */
	int (*extcode)(struct ppp_fsm *f, uint8_t code, uint8_t id,
	    struct buf_reader *data);
	/* Optional: the ser action for the packet extcode classified. */
	void (*rxr)(struct ppp_fsm *f, uint8_t code, uint8_t id,
	    struct buf_reader *data);
	/* Optional: a Terminate-Request arrived (before the RTR event
	 * runs; f->peer_reason holds its text). */
	void (*peer_terminated)(struct ppp_fsm *f);
	/* Optional: the peer Code-Rejected one of our extension codes. */
	void (*code_rejected)(struct ppp_fsm *f, uint8_t code);
	/* Sends one control packet (Code..Data) under f->proto. */
	int (*send)(struct ppp_fsm *f, const uint8_t *pkt, size_t len);
};

/* extcode's answer for the RXR class of packets. */
#define PPP_FSM_RXR 1

/* Counters and timer of RFC 1661 §4.6. */
struct ppp_fsm_timers {
	uint32_t restart_ms;	/* 3000 */
	uint32_t max_configure;	/* 10 */
	uint32_t max_terminate;	/* 2 */
	uint32_t max_failure;	/* 5 */
};

/* Largest options field we put in our own Configure-Request. */
#define PPP_FSM_REQ_MAX 256
/* Largest text we put in a Terminate-Request. */
#define PPP_FSM_REASON_MAX 64

struct ppp_fsm {
	uint16_t proto;			/* LCP, IPCP, ... */
	const char *name;		/* "LCP", for logs */
	const char *log_ctx;		/* borrowed from the owner */
	const struct ppp_fsm_callbacks *cb;
	void *arg;			/* the protocol's state */
	struct ppp_fsm_timers t;
	/* Largest packet the peer accepts (Code-Reject is cut to fit). */
	size_t peer_mru;

	int state;			/* enum ppp_fsm_state */
	uint64_t now;			/* time of the current call */
	uint64_t deadline;		/* Restart timer; PK_TIME_NEVER: off */
	uint32_t restart_count;
	uint32_t naks_sent;		/* Configure-Naks since the last Ack */
	uint32_t naks_rcvd;		/* RCN since the negotiation began */
	uint8_t next_id;
	uint8_t req_id;			/* Identifier of our last Conf-Req */
	/* Our last Configure-Request has had its Ack, Nak or Reject: any
	 * further answer carrying its Identifier is a duplicate, out of
	 * sequence (RFC 1661 §4.3 RCA/RCN), and is silently discarded. */
	int answered;
	/* cb->reset already ran for the scr the current event performs. */
	int reset_done;
	/* The peer's request we last acked: a copy of it reaching us in
	 * Opened is a retransmission, answered again (rcv_confreq). */
	uint8_t acked_id;
	size_t acked_len;
	uint32_t acked_hash;
	/* Set while This-Layer-Down runs for a renegotiation (tld together
	 * with scr in Opened, or ppp_fsm_restart()) rather than for a
	 * close, a Terminate or the lower layer going down. */
	int renegotiating;
	uint8_t term_id;
	int cause;			/* enum ppp_fsm_cause */

	/* Our last Configure-Request options, for the exact-match Ack
	 * check (RFC 1661 §5.2). */
	uint8_t req[PPP_FSM_REQ_MAX];
	size_t req_len;

	/* The reply computed for the Configure-Request being processed,
	 * sent by the sca/scn actions. */
	uint8_t reply_code;
	uint8_t reply_id;
	uint8_t reply[PK_PPP_FRAME_MAX];
	size_t reply_len;

	/* The packet being handled, for the scj, sta and ser actions. */
	const uint8_t *rx_pkt;
	size_t rx_len;
	uint8_t rx_id;
	uint8_t rx_code;
	struct buf_reader rx_data;

	char reason[PPP_FSM_REASON_MAX];	/* our Terminate-Request data */
	char peer_reason[PPP_FSM_REASON_MAX];	/* peer's, printable only */

	struct pk_ratelimit rl;
};

/* Sets the automaton up in Initial. name and log_ctx are borrowed. */
void ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const char *name,
    const struct ppp_fsm_callbacks *cb, void *arg, const char *log_ctx,
    const struct ppp_fsm_timers *t);

/* The administrative and lower-layer events (RFC 1661 §4.3). Close takes
 * an optional reason sent in the Terminate-Request. */
void ppp_fsm_lower_up(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_lower_down(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_close(struct ppp_fsm *f, uint64_t now, const char *reason);

/*
 * One control packet (starting at Code) received under f->proto.
 * Returns 0 when it was processed (which includes a Code-Reject), or the
 * reason it was silently discarded: PK_ERR_SHORT/PK_ERR_LENGTH for bad
 * framing (Length < 4 or past the data; option lengths 0/1 or past the
 * end), PK_ERR_VALUE for an Ack/Nak/Reject that does not answer our
 * outstanding request (another Identifier, a request already answered,
 * or options that differ), PK_ERR_STATE when the packet is not expected
 * in this state. Nothing is sent for a discarded packet. In Opened, a
 * copy of the Configure-Request acked last (same Identifier and options,
 * RFC 1661 §5.1: a retransmission) gets its Ack again and changes
 * nothing; any other Configure-Request renegotiates (§4.1).
 */
int ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *pkt,
    size_t len);

/*
 * Renegotiates an Opened automaton: the restart option of the Open event
 * (RFC 1661 §4.3, "[r]"), a Down event immediately followed by Up:
 * This-Layer-Down (with renegotiating set), then a fresh
 * Configure-Request in Req-Sent. Returns PK_ERR_STATE, doing nothing, in
 * any other state.
 */
int ppp_fsm_restart(struct ppp_fsm *f, uint64_t now);

/* RXJ- for this protocol: the peer sent an LCP Protocol-Reject of it. */
void ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now);

/* Inside cb->down: whether the automaton renegotiates (see the field). */
int ppp_fsm_renegotiating(const struct ppp_fsm *f);

uint64_t ppp_fsm_next_deadline(const struct ppp_fsm *f);
/* Fires TO+/TO- if the Restart timer has expired at now. */
void ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now);

/* RFC 1661 §5: Code, Identifier, Length, Data - the packet format LCP,
 * the NCPs, PAP and CHAP share. Returns 0 or PK_ERR_SPACE. */
int ppp_ctl_encode(struct buf_writer *w, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len);
/* Copies a peer-supplied message into a printable, NUL-ended string:
 * bytes outside printable ASCII become '?'. */
void ppp_printable(char *dst, size_t dstlen, const uint8_t *src,
    size_t len);
/* Sends a packet with the given code and identifier through cb->send
 * (for extension codes: Echo, Reset-Request...). */
int ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len);
/* A fresh identifier for a request we originate. */
uint8_t ppp_fsm_new_id(struct ppp_fsm *f);

/*
 * Checks that an options field is a well-formed TLV list (each Length
 * >= 2 and within the field). Returns 0, PK_ERR_SHORT (a lone type
 * byte) or PK_ERR_LENGTH.
 */
int ppp_fsm_check_options(const uint8_t *opts, size_t len);

/* The table entry for (state, event): *actions is a mask of the actions
 * of RFC 1661 §4.4 and the return value the next state, or -1 for an
 * illegal event. For tests. */
int ppp_fsm_table(int state, int event, unsigned *actions);
/* Bits of *actions. */
#define PPP_FSM_A_TLU (1u << 0)
#define PPP_FSM_A_TLD (1u << 1)
#define PPP_FSM_A_TLS (1u << 2)
#define PPP_FSM_A_TLF (1u << 3)
#define PPP_FSM_A_IRC (1u << 4)
#define PPP_FSM_A_ZRC (1u << 5)
#define PPP_FSM_A_SCR (1u << 6)
#define PPP_FSM_A_SCA (1u << 7)
#define PPP_FSM_A_SCN (1u << 8)
#define PPP_FSM_A_STR (1u << 9)
#define PPP_FSM_A_STA (1u << 10)
#define PPP_FSM_A_SCJ (1u << 11)
#define PPP_FSM_A_SER (1u << 12)

const char *ppp_fsm_state_name(int state);
const char *ppp_fsm_event_name(int event);

#endif
