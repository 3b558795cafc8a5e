/*
 * session.h - one PPTP call's data plane: the GRE channel (gre_chan) and
 * the PPP link (ppp, with MPPE inside) joined together, sans-I/O.
 *
 * GRE packets from the peer go in through session_gre_input(); IP packets
 * from the TUN device through session_ip_input(). Results go to the
 * caller's struct pk_out as:
 *   OUT_GRE   tag = peer call ID   a GRE packet for the peer
 *   OUT_IP    tag = 0              a packet for the TUN device
 *   OUT_EVENT source EV_SRC_PPP    PPP's events, unchanged (ppp.h)
 * PPP frames never leave the session: every OUT_PPP the link produces is
 * numbered and wrapped by the GRE channel here.
 */
#ifndef PK_ENGINE_SESSION_H
#define PK_ENGINE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/out.h"
#include "gre/gre_chan.h"
#include "ppp/ppp.h"

struct auth_result;
struct session;

struct session_config {
	struct ppp_config ppp;
	struct gre_chan_config gre;
	int mss_clamp;		/* clamp TCP MSS of SYNs both ways */
	int mtu;		/* the tunnel MTU the clamp fits */
	const char *log_ctx;	/* copied */
};

struct session_stats {
	const struct gre_chan_stats *gre;
	const struct ppp_stats *ppp;
	uint64_t ip_in_bytes;	/* IP bytes delivered to the TUN device */
	uint64_t ip_out_bytes;	/* IP bytes accepted from the TUN device */
	uint64_t mss_clamped;
};

/* Returns 0 and *sp, or PK_ERR_NOMEM / PK_ERR_ARG. */
int session_new(struct session **sp, const struct session_config *cfg);
void session_free(struct session *s);

/* Each returns 0 or a PK_ERR_* code that explains a dropped input; drops
 * are counted and need no action. PK_ERR_FULL means out was too small. */
int session_start(struct session *s, uint64_t now, struct pk_out *out);
int session_gre_input(struct session *s, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out);
/* pkt may be modified in place (MSS clamping). */
int session_ip_input(struct session *s, uint64_t now, uint8_t *pkt,
    size_t len, struct pk_out *out);
int session_timeout(struct session *s, uint64_t now, struct pk_out *out);
uint64_t session_next_deadline(const struct session *s);
int session_auth_complete(struct session *s, uint64_t now,
    const struct auth_result *res, struct pk_out *out);
int session_close(struct session *s, uint64_t now, const char *reason,
    struct pk_out *out);
void session_lower_down(struct session *s, uint64_t now, struct pk_out *out);

void session_get_stats(const struct session *s, struct session_stats *st);
int session_phase(const struct session *s);	/* enum ppp_phase */
/* ppp_pending_reason() of the session's link. */
int session_pending_reason(const struct session *s, int *code, char *buf,
    size_t len);
/* Time of the last GRE packet received from the peer (0 if none). */
uint64_t session_last_rx(const struct session *s);
/* Time of the last IP packet in either direction (for idle timeouts). */
uint64_t session_last_data(const struct session *s);

#endif
