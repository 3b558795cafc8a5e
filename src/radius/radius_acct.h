/*
 * radius_acct.h - RADIUS accounting records (RFC 2866, RFC 2869 §5.1-§5.3
 * for the Gigawords): Start, Interim-Update, Stop, Accounting-On and -Off
 * as struct radius_request for the accounting client (radius_client.h,
 * with retry_forever: records wait out an outage; the queue bound drops
 * Interim-Updates first, Stops last, and counts what it drops).
 * Also: unique Acct-Session-Ids, and Acct-Terminate-Cause from the
 * reason a session ended.
 *
 * Glue sequence:
 *   at start:     radius_sid_init(&gen, unix_now); ACCOUNTING_ON record
 *   session up:   radius_sid_next() -> its Acct-Session-Id (also put in
 *                 the Access-Request: struct radius_call); START record
 *   every Acct-Interim-Interval: INTERIM_UPDATE with the counters so far
 *   session down: STOP with counters, Acct-Session-Time and
 *                 radius_acct_terminate_cause(end)
 *   shutdown:     STOPs, ACCOUNTING_OFF, then run the loop until
 *                 radius_client_pending() is 0 or a deadline passes.
 * Each record: radius_acct_request(&rq, &nas, &rec), then
 * radius_client_submit(acct_client, now, &rq, NULL, out).
 */
#ifndef PK_RADIUS_RADIUS_ACCT_H
#define PK_RADIUS_RADIUS_ACCT_H

#include <stddef.h>
#include <stdint.h>

#include "radius/radius_attr.h"
#include "radius/radius_auth.h"
#include "radius/radius_client.h"

/* How a session ended, as pptpkit knows it. */
enum radius_end {
	RADIUS_END_USER_REQUEST = 1,	/* the peer hung up (Call-Clear,
					 * LCP Terminate, Stop-Control) */
	RADIUS_END_LOST_CARRIER = 2,	/* echo timeout, TCP lost */
	RADIUS_END_IDLE_TIMEOUT = 3,
	RADIUS_END_SESSION_TIMEOUT = 4,
	RADIUS_END_ADMIN_KILL = 5,	/* pptpkit kill, Disconnect-Request */
	RADIUS_END_SHUTDOWN = 6,	/* pptpkitd stopping */
	RADIUS_END_REPLACED = 7,	/* single-session replace */
	RADIUS_END_NAS_REQUEST = 8,	/* ended by a rule of ours */
	RADIUS_END_PORT_ERROR = 9,	/* protocol error, failed
					 * negotiation */
	RADIUS_END_NAS_ERROR = 10,	/* internal error */
	RADIUS_END_SERVICE_UNAVAILABLE = 11,	/* e.g. address pool empty */
};

/* Acct-Terminate-Cause (RFC 2866 §5.10) for an end reason; NAS-Error
 * for an unknown one. SHUTDOWN maps to NAS-Reboot (what accel-ppp and
 * most NASes send when they stop), ADMIN_KILL to Admin-Reset, REPLACED
 * to Port-Preempted. */
uint32_t radius_acct_terminate_cause(int end);
/* The end reason a TUNNEL_EV_CALL_DOWN code implies when nothing of
 * ours ended the call: 0 (orderly) or PK_ERR_CLOSED -> USER_REQUEST,
 * PK_ERR_TIMEOUT -> LOST_CARRIER, PK_ERR_NOMEM/INTERNAL/SYS ->
 * NAS_ERROR, anything else (a peer's protocol error) -> PORT_ERROR. */
int radius_end_from_call_down(int code);
const char *radius_end_name(int end);

/* A session's accounting data. */
struct radius_acct_record {
	int status;			/* RADIUS_ACCT_STATUS_* */
	struct radius_call call;	/* Acct-Session-Id required except
					 * for Accounting-On/Off */
	char multi_session_id[RADIUS_ACCT_SESSION_ID_MAX + 1];	/* "" none */
	uint32_t framed_ip;		/* host order, 0 none */
	int authentic;			/* RADIUS_ACCT_AUTHENTIC_*, 0 none */
	/* Class attributes of the Access-Accept, echoed (RFC 2865 §5.25).
	 * NULL or n_classes 0: none. */
	const struct radius_session_attrs *attrs;
	/* RFC 2866 §5.3/§5.4: Input = from the peer, Output = to it. The
	 * octet counts are 64-bit, sent as the low 32 bits plus
	 * Acct-Input/Output-Gigawords (RFC 2869 §5.1, §5.2); packet counts
	 * are sent modulo 2^32. Zero counters are still sent on Interim
	 * and Stop records. */
	uint64_t in_octets, out_octets;
	uint64_t in_packets, out_packets;
	uint32_t session_time;		/* seconds (Interim, Stop) */
	uint32_t terminate_cause;	/* Stop: RADIUS_TERM_* */
	uint32_t event_timestamp;	/* Unix time, 0 to omit */
};

/*
 * Builds the Accounting-Request for rec: Acct-Status-Type, NAS-IP /
 * NAS-Identifier, Acct-Session-Id, then by status User-Name, NAS-Port,
 * NAS-Port-Type, Service-Type, Framed-Protocol, Framed-IP-Address,
 * stations, Class, Acct-Authentic, counters, Acct-Session-Time,
 * Acct-Terminate-Cause, Event-Timestamp. Sets rq's priority (Interim <
 * Start < Stop < On/Off), its coalescing key (the Acct-Session-Id) and
 * Acct-Delay-Time, which the client adds per transmission (RFC 2866
 * §5.2). Returns 0, PK_ERR_ARG (unknown status, no NAS identity, no
 * Acct-Session-Id where required, a Stop without terminate_cause) or
 * PK_ERR_SPACE.
 */
int radius_acct_request(struct radius_request *rq,
    const struct radius_nas *nas, const struct radius_acct_record *rec);

/*
 * Acct-Session-Ids unique across restarts and servers: the start time
 * (32 bits) and 32 random bits, then a counter: 24 hex digits.
 */
struct radius_sid_gen {
	uint32_t boot;
	uint32_t random;
	uint32_t counter;
};
void radius_sid_init(struct radius_sid_gen *g, uint64_t unix_now);
void radius_sid_next(struct radius_sid_gen *g,
    char out[RADIUS_ACCT_SESSION_ID_MAX + 1]);

#endif
