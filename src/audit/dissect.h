/*
 * dissect.h - from one captured frame to what PPTP is made of: the TCP
 * segments of a control connection (port 1723) and the enhanced GRE
 * packets that carry PPP (RFC 2637 §4). Sans-I/O: bytes and a timestamp
 * in, a struct audit_l4 out; every field is read through the one cursor
 * (core/buf.h).
 *
 * Link layers: Ethernet (with 802.1Q/802.1ad tags), Linux cooked capture
 * v1 (DLT_LINUX_SLL, tcpdump -i any before libpcap 1.10) and v2
 * (DLT_LINUX_SLL2), raw IP (DLT_RAW, DLT_IPV4, as on a TUN device) and
 * BSD loopback (DLT_NULL, DLT_LOOP). IPv4 only (PPTP is IPv4, RFC 2637
 * §1.4; IPv6 frames are counted), fragments reassembled (RFC 791 §3.2):
 * a GRE packet larger than the path MTU arrives in pieces.
 */
#ifndef PK_AUDIT_DISSECT_H
#define PK_AUDIT_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/pcap_io.h"
#include "gre/gre.h"

enum audit_l4_kind {
	AUDIT_L4_TCP = 1,	/* a segment to or from the PPTP port */
	AUDIT_L4_GRE = 2,	/* an enhanced GRE (version 1) packet */
};

#define AUDIT_TCP_FIN 0x01
#define AUDIT_TCP_SYN 0x02
#define AUDIT_TCP_RST 0x04
#define AUDIT_TCP_ACK 0x10

struct audit_l4 {
	int kind;		/* enum audit_l4_kind */
	uint64_t ts_us;
	uint32_t src, dst;	/* IPv4 addresses, host byte order */
	/* TCP */
	uint16_t sport, dport;
	uint32_t seq;
	uint8_t tcp_flags;
	/* GRE (RFC 2637 §4.1), decoded by gre_decode() */
	struct gre_hdr gre;
	/* The TCP payload, or the PPP frame GRE carries. Borrowed from the
	 * frame (or the dissector's reassembly buffer): valid until the
	 * next audit_dissect() call. */
	const uint8_t *payload;
	size_t payload_len;
};

/* What the dissector saw, for the report's capture summary. */
struct audit_dissect_stats {
	uint64_t frames;
	uint64_t bytes;		/* wire bytes */
	uint64_t truncated;	/* caplen < wire length and it mattered */
	uint64_t bad_link;	/* link header malformed */
	uint64_t not_ip;	/* ARP, LLDP, ... */
	uint64_t ipv6;		/* IPv6 (not followed: PPTP is IPv4) */
	uint64_t bad_ip;	/* IPv4 header or fragment malformed */
	uint64_t bad_tcp;	/* PPTP-port TCP header malformed */
	uint64_t fragments;	/* IPv4 fragments seen */
	uint64_t reassembled;	/* datagrams rebuilt from them */
	uint64_t frag_dropped;	/* incomplete datagrams given up */
	uint64_t tcp_pptp;	/* TCP segments to/from the PPTP port */
	uint64_t gre_pptp;	/* enhanced GRE packets */
	uint64_t gre_bad;	/* GRE version 1 that gre_decode() refused */
	uint64_t other;		/* any other IPv4 traffic */
};

struct audit_frag;

struct audit_dissector {
	int dlt;
	uint16_t pptp_port;	/* PPTP_TCP_PORT unless told otherwise */
	int cut;		/* this frame: caplen < wire length */
	struct audit_dissect_stats st;
	struct audit_frag *frags;	/* PK_AUDIT_FRAGS_MAX slots */
	uint8_t *reasm;		/* the last reassembled datagram's payload */
};

/* 1 if the dissector reads this link type. */
int audit_dlt_supported(int dlt);
/* "Ethernet", "Linux cooked v2", ... or "DLT n" for others. */
const char *audit_dlt_name(int dlt, char *buf, size_t len);

/*
 * Sets up a dissector for frames of link type dlt. Returns 0,
 * PK_ERR_TYPE (link type not supported: nothing is allocated) or
 * PK_ERR_NOMEM. Free with audit_dissector_free().
 */
int audit_dissector_init(struct audit_dissector *d, int dlt);
void audit_dissector_free(struct audit_dissector *d);

/*
 * Dissects one frame. Returns 1 when *out holds a PPTP TCP segment or a
 * GRE packet, 0 when the frame is something else (or a fragment still
 * incomplete), or a negative PK_ERR_* when it is malformed; everything
 * is counted in d->st either way.
 */
int audit_dissect(struct audit_dissector *d, const struct audit_frame *f,
    struct audit_l4 *out);

#endif
