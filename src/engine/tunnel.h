/*
 * tunnel.h - one PPTP endpoint, sans-I/O: a control connection
 * (pptp_ctrl) and the calls it carries, each with its data plane
 * (session: GRE + PPP + MPPE). The server (PAC) and the client (PNS) are
 * both this object; the Linux glue only moves bytes between it and the
 * sockets, and the in-memory tests join two of them directly.
 *
 * Inputs: TCP bytes (tunnel_ctrl_input), TCP EOF (tunnel_ctrl_closed),
 * GRE packets from the peer (tunnel_gre_input: demultiplexed here by Call
 * ID), IP packets for a call (tunnel_ip_input), timers, and the owner's
 * answers to requests (tunnel_call_accept/reject, tunnel_auth_complete).
 *
 * Outputs, appended in order to the caller's struct pk_out:
 *   OUT_CTRL   bytes for the TCP connection
 *   OUT_GRE    tag = peer call ID: a GRE packet for the peer's address
 *   OUT_IP     tag = our call ID: a packet for that call's TUN device
 *   OUT_EVENT  source EV_SRC_SESSION, type enum tunnel_event, id = our
 *              call ID (0 for connection events)
 *
 * Lifetimes: every call announced by TUNNEL_EV_CALL_REQUEST or started by
 * the client ends with exactly one TUNNEL_EV_CALL_DOWN, after which its
 * Call ID is invalid. TUNNEL_EV_CLOSED is the last event: write the
 * OUT_CTRL bytes before it, close TCP, then tunnel_free().
 */
#ifndef PK_ENGINE_TUNNEL_H
#define PK_ENGINE_TUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/out.h"
#include "engine/session.h"
#include "pptp/ctrl.h"
#include "ppp/ppp.h"

struct auth_result;
struct tunnel;

enum tunnel_event {
	/* Control connection established. Payload struct pptp_ev_ctrl_up. */
	TUNNEL_EV_CTRL_UP = 1,
	/* Server: the peer asks for a call; id is the Call ID reserved for
	 * it. Answer with tunnel_call_accept() or tunnel_call_reject().
	 * Payload struct pptp_ev_call_request. */
	TUNNEL_EV_CALL_REQUEST = 2,
	/* The call is up and GRE may flow. Payload struct pptp_ev_call_up. */
	TUNNEL_EV_CALL_UP = 3,
	/* Server: authenticate. Payload struct auth_request (auth.h).
	 * Answer with tunnel_auth_complete(), now or later. */
	TUNNEL_EV_AUTH_REQUEST = 4,
	/* Authentication result; text says who and how, or why not. */
	TUNNEL_EV_AUTH_OK = 5,
	TUNNEL_EV_AUTH_FAILED = 6,
	/* PPP is up (IPCP open). Payload struct ppp_up_info. */
	TUNNEL_EV_UP = 7,
	/* IPV6CP opened after TUNNEL_EV_UP. Payload struct ppp_up_info. */
	TUNNEL_EV_IPV6_UP = 8,
	/* The call is over. code PK_ERR_* (0 for an orderly end), text the
	 * reason; no payload. */
	TUNNEL_EV_CALL_DOWN = 9,
	/* The control connection is over; code and text say why. */
	TUNNEL_EV_CLOSED = 10,
};

struct tunnel_config {
	struct pptp_ctrl_config ctrl;	/* role PAC or PNS */
	struct ppp_config ppp;		/* template for every call */
	int mss_clamp;
	int mtu;
	/* Client: start one call as soon as the control connection is up,
	 * and stop the connection when the last call ends (MS-PTPT
	 * §3.3.4.2). */
	int auto_call;
	char log_ctx[96];		/* "ctrl=3 peer=198.18.0.2" */
};

/* What the owner may show about a call. */
struct tunnel_call_info {
	uint16_t call_id;
	uint16_t peer_call_id;
	int up;				/* PPP up (TUNNEL_EV_UP seen) */
	struct ppp_up_info info;	/* valid when up */
	struct session_stats stats;	/* valid when has_session */
	int has_session;
	uint64_t started_ms;
	uint64_t last_data;		/* last IP packet either way, 0 none */
};

/* Fills a client or server default: pptp_ctrl_config_default() and
 * ppp_config_default() with the role set in both. */
void tunnel_config_default(struct tunnel_config *cfg, int role);

int tunnel_new(struct tunnel **tp, const struct tunnel_config *cfg,
    uint64_t now);
/* Frees everything (NULL is fine); emits nothing. */
void tunnel_free(struct tunnel *t);

/* Client: send Start-Control-Connection-Request. */
int tunnel_start(struct tunnel *t, uint64_t now, struct pk_out *out);
int tunnel_ctrl_input(struct tunnel *t, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out);
int tunnel_ctrl_closed(struct tunnel *t, uint64_t now, struct pk_out *out);
/*
 * One GRE packet from the peer (GRE header first). Returns 0, or the
 * reason it was dropped: PK_ERR_NOT_FOUND (no call with that Call ID),
 * a decode error, or the session's drop reason.
 */
int tunnel_gre_input(struct tunnel *t, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out);
/* One IP packet for call_id (modified in place by MSS clamping). */
int tunnel_ip_input(struct tunnel *t, uint64_t now, uint16_t call_id,
    uint8_t *pkt, size_t len, struct pk_out *out);
int tunnel_timeout(struct tunnel *t, uint64_t now, struct pk_out *out);
uint64_t tunnel_next_deadline(const struct tunnel *t);

/*
 * Server: accept the call request id, renaming it to final_call_id
 * (0 keeps id), e.g. from a server-wide allocator so GRE can be
 * demultiplexed by Call ID alone. TUNNEL_EV_CALL_UP follows.
 */
int tunnel_call_accept(struct tunnel *t, uint64_t now, uint16_t id,
    uint16_t final_call_id, struct pk_out *out);
/* Server: refuse it (OCRP result PPTP_OCRP_*, General Error Code). */
int tunnel_call_reject(struct tunnel *t, uint64_t now, uint16_t id,
    uint8_t result, uint8_t error, struct pk_out *out);
/* Client: start a call (auto_call does this by itself). */
int tunnel_call_start(struct tunnel *t, uint64_t now, struct pk_out *out);
/*
 * Server: the decision for TUNNEL_EV_AUTH_REQUEST of call_id. res->framed_ip
 * (if set) is the address the client gets. Returns PK_ERR_NOT_FOUND if the
 * call is gone (the owner may ignore it).
 */
int tunnel_auth_complete(struct tunnel *t, uint64_t now, uint16_t call_id,
    const struct auth_result *res, struct pk_out *out);
/* Ends one call: LCP Terminate, then the call is cleared. */
int tunnel_call_close(struct tunnel *t, uint64_t now, uint16_t call_id,
    const char *reason, struct pk_out *out);
/* Ends everything: LCP Terminate on each call, then
 * Stop-Control-Connection-Request (reason PPTP_STOP_*). */
int tunnel_stop(struct tunnel *t, uint64_t now, uint8_t reason,
    const char *why, struct pk_out *out);

size_t tunnel_call_count(const struct tunnel *t);
/* The idx-th call (0 <= idx < tunnel_call_count()). */
int tunnel_call_at(const struct tunnel *t, size_t idx,
    struct tunnel_call_info *info);
int tunnel_call_get(const struct tunnel *t, uint16_t call_id,
    struct tunnel_call_info *info);
const struct pptp_ctrl *tunnel_ctrl(const struct tunnel *t);
const char *tunnel_event_name(int type);

#endif
