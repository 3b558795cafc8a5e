/*
 * limits.h - every hard cap in pptpkit, in one place (curl's DYN_* idea).
 * A remote peer can make us hold at most these amounts; raising one is a
 * reviewed decision, not a side effect.
 */
#ifndef PK_CORE_LIMITS_H
#define PK_CORE_LIMITS_H

/* Largest PPP frame we accept or build (MRU 1500 + protocol + MPPE
 * header + address/control, with room for peers that ignore our MRU). */
#define PK_PPP_FRAME_MAX 2048
/* Largest GRE packet (header 16 + PPP frame). */
#define PK_GRE_PACKET_MAX (PK_PPP_FRAME_MAX + 16)
/* Largest IP packet carried through the tunnel. */
#define PK_IP_PACKET_MAX 2000

/* PPTP control: the largest message is 220 bytes (Incoming-Call-Request);
 * the reassembly buffer holds a few so a peer cannot make it grow. */
#define PK_CTRL_MSG_MAX 256
#define PK_CTRL_RXBUF 4096
/* Calls one control connection may carry at once. */
#define PK_CTRL_CALLS_MAX 16

/* GRE: packets held for reordering, and the receive window we advertise. */
#define PK_GRE_REORDER_MAX 64
#define PK_GRE_RWIN_DEFAULT 64
/* Packets queued while the peer's receive window is closed. */
#define PK_GRE_TXQ_MAX 64

/* PPP option negotiation: bounded Nak loops and frame sizes. */
#define PK_PPP_OPTIONS_MAX 32
#define PK_PPP_NAME_MAX 255
#define PK_PPP_SECRET_MAX 256

/* MPPE: the most key changes one received packet may cause (a forged
 * coherency count must not cost more than this many SHA-1 runs). */
#define PK_MPPE_MAX_REKEYS 4096

/* Size of a struct pk_out a session passes to the cores: enough for a
 * full reorder-window flush (64 packets) plus control traffic. */
#define PK_OUT_ARENA (PK_GRE_REORDER_MAX * (PK_GRE_PACKET_MAX + 64) + 65536)
#define PK_OUT_ITEMS 512

/* RADIUS: servers per list (failover order), shared-secret length, and
 * the largest request queue a client may be configured with (the
 * configured bound, default 4096, is what a RADIUS outage can fill). */
#define PK_RADIUS_SERVERS_MAX 8
#define PK_RADIUS_SECRET_MAX 128
#define PK_RADIUS_QUEUE_MAX 65535
/* Replies a DAE listener remembers to answer retransmissions. */
#define PK_RADIUS_DAE_CACHE 64

#endif
