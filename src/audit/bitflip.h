/*
 * bitflip.h - the in-flight modifier of `pptpkit bitflip`, sans-I/O: what
 * an attacker on the path between a PPTP client and server can do to
 * MPPE without any key.
 *
 * MPPE (RFC 3078) is RC4 with no integrity check: ciphertext = plaintext
 * XOR keystream, so XORing a ciphertext byte with d changes the plaintext
 * byte by the same d, and the receiver has nothing to notice it with
 * (torvalds/linux ppp_mppe.c: the frame is the 2-byte header and the RC4
 * output, nothing else). What stands in the way is the inner UDP
 * checksum, and it is not cryptographic: whoever knows what the datagram
 * said can compute the checksum before and after the change and XOR the
 * checksum field the same way ("fix"), or XOR it to zero, which IPv4 UDP
 * reads as "no checksum" (RFC 768) ("zero").
 *
 * What the modifier knows is what such an attacker knows: the outer
 * addresses it forwards, the tunnel addresses, read from the IPCP
 * negotiation, which MPPE leaves in clear (bitflip_snoop), and the
 * application's message format (known plaintext: the ports and the
 * message). It never sees a key or a password.
 *
 * Packets are outer IPv4 datagrams as NFQUEUE hands them over: IPv4,
 * enhanced GRE (RFC 2637 §4.1), PPP (RFC 1661, compressed or not),
 * then protocol 0x00FD with the MPPE header and the ciphertext of
 * [PPP protocol][IPv4 header][UDP header][payload].
 */
#ifndef PK_AUDIT_BITFLIP_H
#define PK_AUDIT_BITFLIP_H

#include <stddef.h>
#include <stdint.h>

#define BITFLIP_MSG_MAX 256
#define BITFLIP_FLIPS_MAX (BITFLIP_MSG_MAX + 2)

enum bitflip_checksum {
	BITFLIP_CSUM_FIX = 0,	/* recompute: XOR old ^ new into the field */
	BITFLIP_CSUM_ZERO = 1,	/* XOR the old value in: field becomes 0 */
	BITFLIP_CSUM_KEEP = 2,	/* leave it: the receiver must drop it */
};

/* What clear-text IPCP gave away (RFC 1332 §3.3 IP-Address in the
 * Configure-Acks; addresses in network order, 0 until seen). */
struct bitflip_ipcp {
	uint32_t client_addr;	/* acked by the server */
	uint32_t server_addr;	/* acked by the client */
};

struct bitflip_target {
	uint32_t outer_client;	/* modify GRE from this address only */
	/* The known plaintext: the datagram the client sends. */
	uint16_t sport, dport;
	uint8_t payload[BITFLIP_MSG_MAX];
	size_t payload_len;
	/* The change: same length, at offset in the payload. */
	size_t offset;
	uint8_t repl[BITFLIP_MSG_MAX];
	size_t repl_len;
	int checksum;		/* enum bitflip_checksum */
};

struct bitflip_flip {
	size_t off;		/* in the MPPE ciphertext */
	uint8_t before, mask, after;
};

struct bitflip_result {
	uint16_t call_id;	/* GRE Key: the server's Call ID */
	uint32_t gre_seq;
	uint16_t ccount;	/* MPPE coherency count */
	int flushed;		/* MPPE A bit */
	size_t ct_len;		/* ciphertext bytes */
	size_t inner_proto_len;	/* 1 or 2: the encrypted PPP protocol */
	uint16_t csum_before, csum_after;	/* the plaintext UDP checksum */
	struct bitflip_flip flips[BITFLIP_FLIPS_MAX];
	size_t n_flips;
	size_t csum_flip;	/* index of the first checksum flip */
};

/*
 * Watches one outer packet for IPCP Configure-Acks (either direction;
 * outer_client tells which side sent it) and records the addresses.
 * Returns 1 if it learnt something, 0 if not, negative if malformed.
 */
int bitflip_snoop(const uint8_t *pkt, size_t len, uint32_t outer_client,
    struct bitflip_ipcp *ipcp);

/*
 * If pkt (len bytes) is the client's MPPE packet carrying the target
 * datagram (recognised by its length, as an observer would), XORs the
 * change (and the checksum, per t->checksum, computed from the known
 * plaintext and ipcp's addresses) into its ciphertext in place and
 * returns 1 with *res filled. Returns 0 for any other packet (untouched),
 * PK_ERR_STATE if it matches but the addresses are not known yet (the
 * checksum cannot be computed; untouched).
 */
int bitflip_apply(const struct bitflip_target *t,
    const struct bitflip_ipcp *ipcp, uint8_t *pkt, size_t len,
    struct bitflip_result *res);

/*
 * The RFC 768 checksum of a UDP datagram over IPv4 (addresses network
 * order, ports host order), as the sender computes it (0 sent as
 * 0xFFFF).
 */
uint16_t bitflip_udp_checksum(uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const uint8_t *payload, size_t len);

#endif
