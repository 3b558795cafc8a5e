/*
 * radius_auth.h - authentication over RADIUS: the Access-Request for a
 * PPP authentication exchange (PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2 per
 * RFC 2865 and RFC 2548), and the interpretation of the server's answer
 * as the struct auth_result the PPP layer takes (auth/auth.h), with the
 * session attributes beside it and the MPPE policy the reply allows.
 *
 * Glue sequence, for one TUNNEL_EV_AUTH_REQUEST with payload req:
 *
 *   radius_auth_request(&rq, &nas, &call, &req)    (wipe rq afterwards)
 *   radius_client_submit(auth_client, now, &rq, &handle, out)
 *   ... RADIUS_EV_REPLY for handle, read with radius_client_event():
 *   radius_auth_reply(&result, secret, secret_len, &req, &res, &attrs,
 *       why, sizeof(why))
 *   radius_policy_tighten(&attrs, &local_policy, &session_policy, ...)
 *   tunnel_auth_complete(t, now, call_id, &res, out); auth_result_wipe()
 * ... or RADIUS_EV_FAILED: radius_auth_fail(&req, "...", &res) and
 * tunnel_auth_complete() with it.
 */
#ifndef PK_RADIUS_RADIUS_AUTH_H
#define PK_RADIUS_RADIUS_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "policy/policy.h"
#include "radius/radius_attr.h"
#include "radius/radius_client.h"

#define RADIUS_STATION_ID_MAX 63
#define RADIUS_ACCT_SESSION_ID_MAX 63

/* Who we are (RFC 2865 §5.4, §5.32: at least one of the two). */
struct radius_nas {
	char identifier[RADIUS_TEXT_MAX + 1];	/* NAS-Identifier, "" none */
	uint32_t ip;				/* NAS-IP-Address (host
						 * order), 0 none */
};

/* Which session a request is about (also used by accounting). */
struct radius_call {
	char user[PK_PPP_NAME_MAX + 1];		/* User-Name */
	uint32_t nas_port;			/* NAS-Port: our session
						 * number */
	/* Calling-Station-Id: the peer's address; Called-Station-Id: ours
	 * (what RFC 2865 §5.30/§5.31 mean for a tunnel). "" to omit. */
	char calling_station_id[RADIUS_STATION_ID_MAX + 1];
	char called_station_id[RADIUS_STATION_ID_MAX + 1];
	/* RFC 5176 §3 recommends it in Access-Requests, so that a later
	 * Disconnect-Request can name the session. "" to omit. */
	char acct_session_id[RADIUS_ACCT_SESSION_ID_MAX + 1];
};

/*
 * Builds the Access-Request for req (User-Name, the method's attributes,
 * NAS-IP-Address / NAS-Identifier, NAS-Port, NAS-Port-Type Virtual,
 * Service-Type Framed, Framed-Protocol PPP, Calling/Called-Station-Id,
 * Acct-Session-Id). The client adds Message-Authenticator and hides the
 * PAP password per transmission. Returns 0, or:
 *   PK_ERR_ARG     neither NAS-IP-Address nor NAS-Identifier
 *   PK_ERR_LENGTH  challenge or response of the wrong size for the method
 *   PK_ERR_TYPE    unknown method
 *   PK_ERR_POLICY  MS-CHAPv1 response without the NT response (use-NT
 *                  flag 0): refused locally as auth_verify_local() does
 * rq holds the PAP password: radius_request_wipe() it after submitting.
 */
int radius_auth_request(struct radius_request *rq,
    const struct radius_nas *nas, const struct radius_call *call,
    const struct auth_request *req);

/*
 * Interprets a verified reply (RADIUS_EV_REPLY of the Access-Request for
 * req; secret is the answering server's, radius_client_secret()).
 * Always fills *res (and *attrs for an Access-Accept):
 *   - Access-Accept: res->ok = 1; message "S=... M=..." from
 *     MS-CHAP2-Success (MS-CHAPv2), else the Reply-Message or "Access
 *     granted"; MPPE keys from MS-MPPE-Send/Recv-Key (v2) or derived from
 *     MS-CHAP-MPPE-Keys (v1, RFC 3079 §2.4); framed_ip from
 *     Framed-IP-Address (a static address only).
 *   - Access-Reject: res->ok = 0; message from MS-CHAP-Error (relayed
 *     as received, E=691/648/... and R= included) or Reply-Message, or
 *     empty (the PPP layer then writes its own failure text).
 * Returns 0 for the server's decision, or a negative PK_ERR_* when the
 * reply cannot be used (res->ok then 0 and why says why): PK_ERR_TYPE
 * for an Access-Challenge (no PPP method here can answer one),
 * PK_ERR_VALUE/PK_ERR_LENGTH for a malformed attribute we act on (an
 * Access-Accept we cannot fully honour is refused, RFC 2865 §5.44's
 * spirit), PK_ERR_AUTH for an MS-CHAPv2 Accept without a valid
 * MS-CHAP2-Success. why (may be NULL) gets a line for the log.
 */
int radius_auth_reply(const struct radius_result *rep, const uint8_t *secret,
    size_t secret_len, const struct auth_request *req,
    struct auth_result *res, struct radius_session_attrs *attrs, char *why,
    size_t whylen);

/*
 * A failure result for req when RADIUS gave no usable answer (every
 * server down, queue full): the method's Failure text (MS-CHAP "E=691
 * R=0 ... M=<text>") so the peer sees why.
 */
void radius_auth_fail(const struct auth_request *req, const char *text,
    struct auth_result *res);

/*
 * MS-MPPE-Encryption-Policy and -Types as constraints that can only
 * tighten the local policy (RFC 2548 §2.4.4/§2.4.5): Encryption-Required
 * turns "allow" into "require"; Types removes the strengths it does not
 * list. *out starts as a copy of *local. Returns 0, or PK_ERR_POLICY
 * (why says what) when the two cannot both hold: the server requires
 * encryption the local policy denies, or no strength is left that both
 * allow while encryption is required.
 */
int radius_policy_tighten(const struct radius_session_attrs *attrs,
    const struct pk_policy *local, struct pk_policy *out, char *why,
    size_t whylen);

#endif
