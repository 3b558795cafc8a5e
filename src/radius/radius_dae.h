/*
 * radius_dae.h - Dynamic Authorization (RFC 5176) as the NAS sees it:
 * Disconnect-Request and CoA-Request parsed and verified (the Request
 * Authenticator as for accounting, the Message-Authenticator if present
 * or required), the session they name, the changes a CoA asks for, and
 * the ACK/NAK with Error-Cause. Also a small cache so that a
 * retransmitted request gets the same answer instead of a second action.
 *
 * Glue sequence for a datagram from a configured DAE client on 3799:
 *   r = radius_dae_parse(bytes, len, secret, slen, &cfg, unix_now, &req)
 *   r < 0: drop silently, log (rate-limited) why.
 *   radius_dae_cache_find(&cache, client_key, &req, now, &p, &n): resend.
 *   req.error_cause != 0: NAK with it. Else find the sessions with
 *   radius_dae_matches(); none: NAK 503 (Session-Context-Not-Found);
 *   Disconnect: end them (Acct-Terminate-Cause Admin-Reset), ACK;
 *   CoA: apply req.changes (Session-Timeout, Idle-Timeout, rates), ACK.
 *   radius_dae_reply(&w, &req, ack, cause, secret, slen); send it back
 *   to the request's source; radius_dae_cache_store() it.
 */
#ifndef PK_RADIUS_RADIUS_DAE_H
#define PK_RADIUS_RADIUS_DAE_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "radius/radius_attr.h"
#include "radius/radius_auth.h"

#define RADIUS_DAE_PROXY_STATE_MAX 8

struct radius_dae_config {
	/* Our identity: a NAS-IP-Address or NAS-Identifier in a request
	 * must match it (else NAK 403). */
	struct radius_nas nas;
	int require_ma;			/* refuse requests without one */
	/* Event-Timestamp must be within this many seconds of unix_now
	 * (RFC 5176 §6.2 replay protection); 0 = not checked. Requests
	 * without one are accepted unless require_timestamp. */
	uint32_t event_window_s;
	int require_timestamp;
};

struct radius_dae_opaque {
	uint8_t len;
	uint8_t data[RADIUS_ATTR_VALUE_MAX];
};

struct radius_dae_request {
	uint8_t code;			/* Disconnect- or CoA-Request */
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	/* Session identification (RFC 5176 §3): a session matches if it
	 * matches every attribute given. */
	int has_user, has_session_id, has_multi_session_id;
	int has_framed_ip, has_calling, has_called, has_nas_port;
	char user[PK_PPP_NAME_MAX + 1];
	char acct_session_id[RADIUS_ACCT_SESSION_ID_MAX + 1];
	char multi_session_id[RADIUS_ACCT_SESSION_ID_MAX + 1];
	uint32_t framed_ip;
	char calling_station_id[RADIUS_STATION_ID_MAX + 1];
	char called_station_id[RADIUS_STATION_ID_MAX + 1];
	uint32_t nas_port;
	/* CoA: Session-Timeout, Idle-Timeout, Acct-Interim-Interval
	 * (RADIUS_UNSET when absent) and rate limits (0 when absent). */
	struct radius_session_attrs changes;
	/* Echoed in the reply, in order (RFC 5176 §3.1, §3.3). */
	struct radius_dae_opaque proxy_state[RADIUS_DAE_PROXY_STATE_MAX];
	size_t n_proxy_state;
	int has_state;
	struct radius_dae_opaque state;
	/* Non-zero: answer with a NAK carrying this Error-Cause
	 * (RADIUS_ERROR_*) and do nothing else. */
	uint32_t error_cause;
	char error_text[96];		/* for the log */
};

/*
 * Parses and verifies one request. Returns 0 when it must be answered
 * (req->error_cause says whether with a NAK regardless of sessions), or
 * a reason to drop it silently:
 *   decoder errors (radius_packet_decode)
 *   PK_ERR_TYPE    not a Disconnect-Request or CoA-Request
 *   PK_ERR_AUTH    Request Authenticator or Message-Authenticator wrong
 *   PK_ERR_POLICY  Message-Authenticator or Event-Timestamp required
 *                  and absent
 *   PK_ERR_LATE    Event-Timestamp outside the window
 */
int radius_dae_parse(const uint8_t *data, size_t len, const uint8_t *secret,
    size_t secret_len, const struct radius_dae_config *cfg,
    uint32_t unix_now, struct radius_dae_request *req);

/* Whether a session (call, its Acct-Multi-Session-Id or "" and its
 * address or 0) matches every identification attribute of req. */
int radius_dae_matches(const struct radius_dae_request *req,
    const struct radius_call *call, const char *multi_session_id,
    uint32_t framed_ip);

/*
 * Encodes the answer: Disconnect-ACK/NAK or CoA-ACK/NAK with a
 * Message-Authenticator, Error-Cause (a NAK with cause non-zero), the
 * request's Proxy-States and (CoA) State; signed with the request's
 * authenticator (RFC 5176 §2.3, §3.4). Returns 0 or the writer's error.
 */
int radius_dae_reply(struct buf_writer *w,
    const struct radius_dae_request *req, int ack, uint32_t error_cause,
    const uint8_t *secret, size_t secret_len);

/* Answers kept for retransmitted requests (RFC 5080 §2.2.2). */
#define RADIUS_DAE_CACHE_REPLY_MAX 512
struct radius_dae_cache_entry {
	uint64_t client;		/* the glue's key for the source */
	uint64_t expires;
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	uint16_t len;			/* 0: empty */
	uint8_t reply[RADIUS_DAE_CACHE_REPLY_MAX];
};
struct radius_dae_cache {
	struct radius_dae_cache_entry e[PK_RADIUS_DAE_CACHE];
	size_t next;
	uint32_t ttl_ms;
};
void radius_dae_cache_init(struct radius_dae_cache *c, uint32_t ttl_ms);
/* 1 and the cached answer (borrowed) if this request was answered
 * within ttl_ms, else 0. */
int radius_dae_cache_find(const struct radius_dae_cache *c, uint64_t client,
    const struct radius_dae_request *req, uint64_t now, const uint8_t **reply,
    size_t *len);
/* Remembers an answer (not kept if longer than the cache's slots). */
void radius_dae_cache_store(struct radius_dae_cache *c, uint64_t client,
    const struct radius_dae_request *req, uint64_t now, const uint8_t *reply,
    size_t len);

#endif
