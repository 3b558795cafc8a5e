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
/*
 * Audit toolkit (pptpkit audit/export/crack/decrypt): a capture is input
 * from a stranger, so everything it can make us hold is capped. The
 * first three are defaults of struct audit_limits (--max-* flags); the
 * report says when one was hit.
 */
#define PK_AUDIT_CTRLS_MAX 4096		/* PPTP control connections */
#define PK_AUDIT_CALLS_MAX 16384	/* calls (sessions), orphans included */
#define PK_AUDIT_HS_MAX 65536		/* authentication exchanges */
#define PK_AUDIT_HS_PER_CALL 32		/* exchanges kept per call */
#define PK_AUDIT_TCP_OOO_MAX 64		/* out-of-order segments held ... */
#define PK_AUDIT_TCP_OOO_BYTES 262144	/* ... and their bytes, per direction */
#define PK_AUDIT_TCP_BUF_MAX 393216	/* in-order bytes awaiting parsing */
#define PK_AUDIT_FRAGS_MAX 64		/* IPv4 datagrams being reassembled */
#define PK_AUDIT_FRAG_TIMEOUT_US 30000000	/* RFC 791's 15 s, doubled */
/* Stateful MPPE decryption: key stream kept per key (one 256-packet
 * block at most), and how far a lost packet's bytes are searched. */
#define PK_AUDIT_KEYSTREAM_MAX (256 * PK_PPP_FRAME_MAX)
#define PK_AUDIT_RESYNC_SEARCH (16 * PK_PPP_FRAME_MAX)

#endif
