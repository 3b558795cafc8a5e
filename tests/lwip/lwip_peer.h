/*
 * lwip_peer.h - lwIP 2.1.3's PPP (a port of pppd) as a sans-I/O test peer:
 * PPP frames in, PPP frames out, a virtual clock, no lwIP type in sight.
 *
 * Tests join an lwip_peer to pptpkit's PPP engine (or to a second
 * lwip_peer) by moving frames between lwip_peer_pop_frame() and the other
 * side's input, and prove interoperability against an implementation
 * pptpkit shares no code with.
 *
 * Frames are whole PPP frames without HDLC framing or FCS, as PPTP carries
 * them in GRE (RFC 2637 §4.1): address/control FF 03 (optional on input),
 * then the protocol field (one byte if PFC-compressed, on input), then the
 * information field.
 *
 * lwIP keeps global state (its timer list, its random pool), so all peers
 * of a process share one virtual clock: lwip_peer_advance() moves it for
 * every peer and runs every peer's due timers. Nothing here is
 * thread-safe. Return codes are 0 or a negative PK_ERR_* (core/err.h).
 */
#ifndef PK_LWIP_PEER_H
#define PK_LWIP_PEER_H

#include <stddef.h>
#include <stdint.h>

/* Authentication methods: lwip_peer_config.auth and lwip_peer_auth_done().
 * The values are lwIP's PPPAUTHTYPE_* bits. */
#define LWIP_PEER_AUTH_PAP		0x01
#define LWIP_PEER_AUTH_CHAP_MD5		0x02
#define LWIP_PEER_AUTH_MSCHAP_V1	0x04
#define LWIP_PEER_AUTH_MSCHAP_V2	0x08
#define LWIP_PEER_AUTH_ALL		0x0f

/* MPPE policy: lwip_peer_config.mppe. lwIP has no "allow" mode: MPPE is
 * either refused (0) or required; the other bits only shape a required
 * MPPE. The values are lwIP's PPP_MPPE_* bits. */
#define LWIP_PEER_MPPE_REQUIRE		0x01
#define LWIP_PEER_MPPE_ALLOW_STATEFUL	0x02
#define LWIP_PEER_MPPE_REFUSE_40	0x04
#define LWIP_PEER_MPPE_REFUSE_128	0x08

/* Longest frame lwip_peer_input() accepts (MRU 1500 plus the MPPE and
 * PPP headers, with room to spare). */
#define LWIP_PEER_FRAME_MAX		4096
/* Longest user name or password (lwIP's MAXNAMELEN / MAXSECRETLEN). */
#define LWIP_PEER_NAME_MAX		256
/* Frames or IP packets one peer holds before it drops new ones. */
#define LWIP_PEER_QUEUE_MAX		1024

struct lwip_peer;

struct lwip_peer_config {
	/* 0: client, started with ppp_connect(); it authenticates itself
	 * with user/password when the other side asks, and asks for an
	 * address. 1: server, started with ppp_listen() (PPP_SERVER); it
	 * requires the other side to authenticate as exactly user/password
	 * and assigns local_ip/peer_ip. */
	int is_server;
	/* Credentials (copied). Client: what it sends. Server: the single
	 * account it accepts. NULL or "" means none: a client then refuses
	 * to authenticate, a server does not ask. */
	const char *user;
	const char *password;
	/* LWIP_PEER_AUTH_* methods lwIP may use; 0 means all of them. A
	 * server requests them in lwIP's order of preference: CHAP (MD5,
	 * then MS-CHAPv2, then MS-CHAPv1) before PAP. */
	unsigned auth;
	/* LWIP_PEER_MPPE_* bits; 0 refuses MPPE. */
	unsigned mppe;
	/* Host byte order. Server: its own address and the one it assigns
	 * to the other side (both required). Client: 0 asks the other side
	 * for an address; non-zero requests that address. */
	uint32_t local_ip;
	uint32_t peer_ip;
	/* Send nothing until the other side's first LCP Configure-Request
	 * arrives (pppd's and lwIP's "silent" mode). */
	int passive;
	/* Let lwIP request Van Jacobson TCP/IP header compression in IPCP,
	 * as it does by default. 0 disables it. */
	int vj;
	/* Once LCP negotiated them, omit FF 03 (ACFC, RFC 1661 §6.6; never
	 * on LCP frames) and send 1-byte protocol fields (PFC, RFC 1661
	 * §6.5) on the frames this peer emits. 0 always sends full headers.
	 * lwIP negotiates ACFC and PFC either way. */
	int hdr_compress;
	/* Our MRU for LCP (0: lwIP's default 1500). */
	uint16_t mru;
	/* Seconds between LCP Echo-Requests (0: none, lwIP's default). */
	uint8_t lcp_echo_interval;
};

/*
 * Creates a peer (lwIP is initialised on first use). The config is copied.
 * Returns NULL if the config is invalid (a name or password longer than
 * LWIP_PEER_NAME_MAX, unknown auth or mppe bits, mppe bits without
 * LWIP_PEER_MPPE_REQUIRE, a server without addresses) or memory ran out.
 * Free with lwip_peer_free().
 */
struct lwip_peer *lwip_peer_new(const struct lwip_peer_config *cfg);

/* Tears the link down without sending anything, cancels the peer's timers
 * and frees it with its queues. Accepts NULL. */
void lwip_peer_free(struct lwip_peer *p);

/* Opens the link: ppp_connect() for a client, ppp_listen() for a server.
 * LCP's first Configure-Request is queued at once unless passive.
 * Returns 0, or PK_ERR_STATE if the peer is already running. */
int lwip_peer_start(struct lwip_peer *p);

/* Closes the link gracefully (LCP Terminate-Request, RFC 1661 §5.5).
 * Returns 0, or PK_ERR_STATE if the link is dead or already closing. */
int lwip_peer_close(struct lwip_peer *p);

/*
 * Hands one received PPP frame to lwIP. FF 03 is stripped when present and
 * a PFC-compressed protocol field is expanded. Whatever lwIP answers is
 * queued for lwip_peer_pop_frame(); IPv4 packets it receives are queued
 * for lwip_peer_pop_ip(). Returns 0; PK_ERR_SHORT if no protocol field is
 * left, PK_ERR_LONG above LWIP_PEER_FRAME_MAX, PK_ERR_STATE before
 * lwip_peer_start(), PK_ERR_NOMEM.
 */
int lwip_peer_input(struct lwip_peer *p, const uint8_t *frame, size_t len);

/*
 * Takes the oldest frame lwIP sent and copies at most cap bytes of it to
 * buf. Returns the frame's full length (so a value above cap means buf got
 * a truncated copy), or 0 when no frame is queued. The frame is dequeued
 * either way.
 */
size_t lwip_peer_pop_frame(struct lwip_peer *p, uint8_t *buf, size_t cap);

/* Number of frames waiting for lwip_peer_pop_frame(). */
size_t lwip_peer_frames_pending(const struct lwip_peer *p);

/*
 * Moves the virtual clock shared by all peers forward by ms, running every
 * lwIP timer at its due time in order (the clock steps from one deadline to
 * the next). p is not used and may be NULL.
 */
void lwip_peer_advance(struct lwip_peer *p, uint32_t ms);

/* The virtual clock in ms since the first lwip_peer_new(). */
uint32_t lwip_peer_now(void);

/* Milliseconds until lwIP's next timer (of any peer) is due, or UINT32_MAX
 * when none is pending. */
uint32_t lwip_peer_next_timer(void);

/* Reseeds the generator behind LWIP_RAND() (magic numbers, CHAP
 * challenges, MS-CHAPv2 peer challenges). A fixed default seed makes runs
 * reproducible without calling this. */
void lwip_peer_set_seed(uint32_t seed);

/* 1 once lwIP reported the link up (IPCP opened, and MPPE up when
 * required, since lwIP starts IPCP only after CCP then), else 0. */
int lwip_peer_is_up(const struct lwip_peer *p);

/* lwIP's PPP phase (PPP_PHASE_*: 0 dead ... 10 running, 11 terminate,
 * 12 disconnect) and a static name for it. */
int lwip_peer_phase(const struct lwip_peer *p);
const char *lwip_peer_phase_name(int phase);

/* The last code lwIP passed to its link status callback (PPPERR_*: 0 up,
 * 5 user close, 6 connection lost, 7 authentication failed, 8 protocol
 * failure, 9 peer dead, ...), or -1 before the first report; and a static
 * text for such a code. */
int lwip_peer_err(const struct lwip_peer *p);
const char *lwip_peer_err_text(int err);

/* LWIP_PEER_AUTH_* methods that completed on this link, in either
 * direction (a client: how it authenticated itself; a server: how the
 * other side authenticated). 0 if none. */
unsigned lwip_peer_auth_done(const struct lwip_peer *p);

/* Addresses negotiated by IPCP in host byte order, 0 if not up. */
uint32_t lwip_peer_local_ip(const struct lwip_peer *p);
uint32_t lwip_peer_peer_ip(const struct lwip_peer *p);

/* MPPE in use for sending: its key length in bits (40 or 128), 0 if not
 * in use; and 1 if it runs in stateful mode. */
int lwip_peer_mppe_bits(const struct lwip_peer *p);
int lwip_peer_mppe_stateful(const struct lwip_peer *p);

/* Whether LCP negotiated ACFC/PFC for what this peer sends (so the other
 * side may receive compressed headers when hdr_compress is set). */
int lwip_peer_tx_acfc(const struct lwip_peer *p);
int lwip_peer_tx_pfc(const struct lwip_peer *p);

/*
 * Sends one IPv4 packet (20..LWIP_PEER_FRAME_MAX bytes, not inspected
 * beyond the destination address) through lwIP's PPP netif output, which
 * applies VJ and MPPE as negotiated and queues the frame. Returns 0;
 * PK_ERR_SHORT / PK_ERR_LONG on a bad length; PK_ERR_STATE when lwIP
 * refuses because IPCP (or required MPPE) is not up; PK_ERR_FULL when
 * LWIP_PEER_QUEUE_MAX frames wait already; PK_ERR_NOMEM.
 */
int lwip_peer_send_ip(struct lwip_peer *p, const uint8_t *pkt, size_t len);

/*
 * Takes the oldest IPv4 packet lwIP received over PPP, with the same
 * copy and return rules as lwip_peer_pop_frame().
 */
size_t lwip_peer_pop_ip(struct lwip_peer *p, uint8_t *buf, size_t cap);

/* Counters: frames queued for sending, frames handed to lwIP, and frames
 * or packets dropped because a queue was full. */
uint64_t lwip_peer_frames_out(const struct lwip_peer *p);
uint64_t lwip_peer_frames_in(const struct lwip_peer *p);
uint64_t lwip_peer_dropped(const struct lwip_peer *p);

#endif
