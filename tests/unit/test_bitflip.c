/*
 * test_bitflip.c - the keyless MPPE modifier against the engine's own
 * MPPE (RFC 3078): a UDP datagram is encrypted by one mppe object,
 * framed in PPP and GRE inside an outer IPv4 packet, modified by
 * bitflip_apply() (which gets no key), and decrypted by the receiving
 * mppe object. The plaintext must come out changed exactly as asked,
 * with a UDP checksum the receiver accepts ("fix"), a zero checksum
 * ("zero"), or a wrong one ("keep"); stateless and stateful, 40 and 128
 * bits, both forms of the inner protocol field. Packets that are not the
 * target stay untouched, and the tunnel addresses come from clear-text
 * IPCP.
 */
#include <arpa/inet.h>

#include "audit/bitflip.h"
#include "core/buf.h"
#include "core/err.h"
#include "gre/gre.h"
#include "mppe/mppe.h"
#include "ppp/ppp_proto.h"
#include "test.h"

#define CLIENT_OUTER 0xc6124602u	/* 198.18.70.2 */
#define SERVER_OUTER 0xc6124702u	/* 198.18.71.2 */
#define CLIENT_TUN 0xc6134602u		/* 198.19.70.2 */
#define SERVER_TUN 0xc6134601u		/* 198.19.70.1 */

static const char MSG[] = "PAY 100 EUR TO ACCOUNT 12345";

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
add16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* An IPv4/UDP datagram from the client's tunnel address, with correct
 * header and UDP checksums, as the sender's kernel builds it. */
static size_t
datagram(uint8_t *p, const char *payload, size_t plen)
{
	size_t len = 28 + plen;
	uint32_t a = htonl(CLIENT_TUN), b = htonl(SERVER_TUN);
	uint16_t c;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = 0x12;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &a, 4);
	memcpy(p + 16, &b, 4);
	c = (uint16_t)~fold(add16(0, p, 20));
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 40000 >> 8;
	p[21] = 40000 & 0xff;
	p[22] = 5300 >> 8;
	p[23] = 5300 & 0xff;
	p[24] = (uint8_t)((8 + plen) >> 8);
	p[25] = (uint8_t)(8 + plen);
	memcpy(p + 28, payload, plen);
	c = bitflip_udp_checksum(a, b, 40000, 5300, p + 28, plen);
	p[26] = (uint8_t)(c >> 8);
	p[27] = (uint8_t)c;
	return len;
}

/* The receiver's check (RFC 768): 0 = no checksum; else the sum over
 * pseudo-header and datagram must be all ones. */
static int
udp_ok(const uint8_t *ip, size_t len)
{
	uint32_t sum = 0;
	uint8_t pseudo[12];

	if (ip[26] == 0 && ip[27] == 0)
		return 2;
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	pseudo[10] = (uint8_t)((len - 20) >> 8);
	pseudo[11] = (uint8_t)(len - 20);
	sum = add16(add16(0, pseudo, 12), ip + 20, len - 20);
	return fold(sum) == 0xffff;
}

/* Outer IPv4 + GRE + PPP [FF 03] 00 FD + MPPE, from src. */
static size_t
outer(uint8_t *out, size_t cap, uint32_t src, const uint8_t *ppp,
    size_t plen, uint32_t seq)
{
	struct buf_writer w;
	struct gre_hdr h = { .has_seq = 1, .call_id = 0x4242, .seq = seq };
	uint32_t s = htonl(src), d = htonl(src == CLIENT_OUTER ?
	    SERVER_OUTER : CLIENT_OUTER);

	buf_writer_init(&w, out, cap);
	buf_put_u8(&w, 0x45);
	buf_put_u8(&w, 0);
	buf_put_u16(&w, 0);	/* total, below */
	buf_put_zero(&w, 5);
	buf_put_u8(&w, 47);
	buf_put_u16(&w, 0);
	buf_put_bytes(&w, &s, 4);
	buf_put_bytes(&w, &d, 4);
	CHECK_INT(gre_encode(&w, &h, ppp, plen), PK_OK);
	buf_set_u16_at(&w, 2, (uint16_t)w.len);
	return w.len;
}

struct lab {
	struct mppe tx, rx;
	struct bitflip_ipcp ipcp;
	struct bitflip_target t;
};

static void
lab_init(struct lab *l, int bits, int stateless, int checksum)
{
	uint8_t k1[16], k2[16];

	for (int i = 0; i < 16; i++) {
		k1[i] = (uint8_t)(0x11 * i + 3);
		k2[i] = (uint8_t)(0x5a ^ i);
	}
	CHECK_INT(mppe_init(&l->tx, k1, k2, bits, stateless), PK_OK);
	CHECK_INT(mppe_init(&l->rx, k2, k1, bits, stateless), PK_OK);
	memset(&l->ipcp, 0, sizeof(l->ipcp));
	memset(&l->t, 0, sizeof(l->t));
	l->t.outer_client = htonl(CLIENT_OUTER);
	l->t.sport = 40000;
	l->t.dport = 5300;
	l->t.payload_len = strlen(MSG);
	memcpy(l->t.payload, MSG, l->t.payload_len);
	l->t.offset = 4;
	memcpy(l->t.repl, "900", 3);
	l->t.repl_len = 3;
	l->t.checksum = checksum;
}

/* Sends one datagram through the lab; returns the plaintext the
 * receiver decrypted (IP packet) in got, and whether bitflip matched. */
static int
send_one(struct lab *l, const char *payload, int proto_len, uint8_t *got,
    size_t *got_len, struct bitflip_result *res, int *rc_out)
{
	uint8_t ip[300], plain[310], ppp[400], pkt[500], dec[400];
	struct buf_writer w;
	struct buf_reader rd, frame;
	struct gre_hdr gh;
	size_t n = datagram(ip, payload, strlen(payload)), plen, len;
	int reset, rc;

	/* RFC 3078 §3: the protocol field is encrypted with the data. */
	plen = 0;
	if (proto_len == 2)
		plain[plen++] = 0x00;
	plain[plen++] = 0x21;
	memcpy(plain + plen, ip, n);
	plen += n;
	buf_writer_init(&w, ppp, sizeof(ppp));
	buf_put_u8(&w, 0xff);
	buf_put_u8(&w, 0x03);
	buf_put_u16(&w, PPP_PROTO_COMP);
	CHECK_INT(mppe_encrypt(&l->tx, plain, plen, &w), PK_OK);
	len = outer(pkt, sizeof(pkt), CLIENT_OUTER, ppp, w.len, 7);
	rc = bitflip_apply(&l->t, &l->ipcp, pkt, len, res);
	if (rc_out != NULL)
		*rc_out = rc;
	/* The receiver: GRE, PPP, MPPE with its own key. */
	CHECK_INT(gre_decode(pkt + 20, len - 20, &gh, &frame), PK_OK);
	CHECK_INT(buf_skip(&frame, 4), PK_OK);
	buf_writer_init(&w, dec, sizeof(dec));
	CHECK_INT(mppe_decrypt(&l->rx, buf_cur(&frame), buf_remaining(&frame),
	    &w, &reset), PK_OK);
	buf_reader_init(&rd, dec, w.len);
	CHECK_INT(buf_skip(&rd, (size_t)proto_len), PK_OK);
	*got_len = buf_remaining(&rd);
	memcpy(got, buf_cur(&rd), *got_len);
	return rc;
}

static void
run_case(int bits, int stateless, int proto_len, int checksum)
{
	struct lab l;
	struct bitflip_result res;
	uint8_t got[400];
	size_t n;
	char label[64];
	int rc;

	snprintf(label, sizeof(label), "%d-bit %s proto %d csum %d", bits,
	    stateless ? "stateless" : "stateful", proto_len, checksum);
	test_current = label;
	lab_init(&l, bits, stateless, checksum);
	l.ipcp.client_addr = htonl(CLIENT_TUN);
	l.ipcp.server_addr = htonl(SERVER_TUN);
	/* Some traffic before: other lengths are left alone. */
	for (int i = 0; i < 300; i++) {
		CHECK_INT(send_one(&l, "hello", proto_len, got, &n, &res, NULL),
		    0);
		CHECK_MEM(got + 28, "hello", 5);
		CHECK_INT(udp_ok(got, n), 1);
	}
	rc = send_one(&l, MSG, proto_len, got, &n, &res, NULL);
	CHECK_INT(rc, 1);
	CHECK_INT(n, 28 + strlen(MSG));
	CHECK_MEM(got + 28, "PAY 900 EUR TO ACCOUNT 12345", strlen(MSG));
	/* Nothing else in the datagram changed. */
	CHECK_INT(got[20] << 8 | got[21], 40000);
	CHECK_INT(got[24] << 8 | got[25], 8 + strlen(MSG));
	CHECK_INT(fold(add16(0, got, 20)), 0xffff);	/* IP header */
	CHECK_INT(res.inner_proto_len, proto_len);
	CHECK_INT(res.call_id, 0x4242);
	CHECK_INT(res.gre_seq, 7);
	CHECK_INT(res.ct_len, proto_len + 28 + strlen(MSG));
	/* '1' -> '9' is one bit; "00" stays: one payload flip. */
	CHECK_INT(res.csum_flip, 1);
	CHECK_INT(res.flips[0].mask, '1' ^ '9');
	CHECK_INT(res.flips[0].off, (size_t)proto_len + 28 + 4);
	switch (checksum) {
	case BITFLIP_CSUM_FIX:
		CHECK_INT(udp_ok(got, n), 1);
		CHECK_INT(got[26] << 8 | got[27], res.csum_after);
		break;
	case BITFLIP_CSUM_ZERO:
		CHECK_INT(udp_ok(got, n), 2);
		CHECK_INT(res.csum_after, 0);
		break;
	case BITFLIP_CSUM_KEEP:
		CHECK_INT(udp_ok(got, n), 0);	/* the receiver drops it */
		CHECK_INT(res.n_flips, 1);
		break;
	}
	/* The next packet is still in step (the keystream did not move). */
	CHECK_INT(send_one(&l, "bye!!", proto_len, got, &n, &res, NULL), 0);
	CHECK_MEM(got + 28, "bye!!", 5);
	CHECK_INT(udp_ok(got, n), 1);
}

static void
test_modes(void)
{
	int bits[] = { 40, 128 };

	for (int b = 0; b < 2; b++)
		for (int sl = 0; sl < 2; sl++)
			for (int pl = 1; pl <= 2; pl++)
				for (int c = 0; c < 3; c++)
					run_case(bits[b], sl, pl, c);
	test_current = "test_modes";
}

/* Without the tunnel addresses no checksum can be fixed: untouched. */
static void
test_needs_addresses(void)
{
	struct lab l;
	struct bitflip_result res;
	uint8_t got[400];
	size_t n;
	int rc;

	lab_init(&l, 128, 1, BITFLIP_CSUM_FIX);
	send_one(&l, MSG, 2, got, &n, &res, &rc);
	CHECK_INT(rc, PK_ERR_STATE);
	CHECK_MEM(got + 28, MSG, strlen(MSG));
	CHECK_INT(udp_ok(got, n), 1);
	/* From another source: not the client's traffic, untouched. */
	lab_init(&l, 128, 1, BITFLIP_CSUM_KEEP);
	l.t.outer_client = htonl(SERVER_OUTER);
	send_one(&l, MSG, 2, got, &n, &res, &rc);
	CHECK_INT(rc, 0);
	CHECK_MEM(got + 28, MSG, strlen(MSG));
}

/* IPCP Configure-Acks in clear give both tunnel addresses away. */
static void
test_snoop(void)
{
	struct bitflip_ipcp ip = { 0, 0 };
	uint8_t ppp[64], pkt[200];
	size_t n, len;

	/* Server -> client: Ack of the client's address (no FF 03). */
	n = test_unhex("8021 0201000a 0306c6134602", ppp, sizeof(ppp));
	len = outer(pkt, sizeof(pkt), SERVER_OUTER, ppp, n, 1);
	CHECK_INT(bitflip_snoop(pkt, len, htonl(CLIENT_OUTER), &ip), 1);
	CHECK_INT(ntohl(ip.client_addr), CLIENT_TUN);
	CHECK_INT(ip.server_addr, 0);
	/* Client -> server: Ack of the server's address. */
	n = test_unhex("ff03 8021 0207000a 0306c6134601", ppp, sizeof(ppp));
	len = outer(pkt, sizeof(pkt), CLIENT_OUTER, ppp, n, 2);
	CHECK_INT(bitflip_snoop(pkt, len, htonl(CLIENT_OUTER), &ip), 1);
	CHECK_INT(ntohl(ip.server_addr), SERVER_TUN);
	/* A Configure-Request, LCP, or a lying length teach nothing. */
	n = test_unhex("8021 0101000a 0306c6130909", ppp, sizeof(ppp));
	len = outer(pkt, sizeof(pkt), SERVER_OUTER, ppp, n, 3);
	CHECK_INT(bitflip_snoop(pkt, len, htonl(CLIENT_OUTER), &ip), 0);
	n = test_unhex("c021 02010008 05061122", ppp, sizeof(ppp));
	len = outer(pkt, sizeof(pkt), SERVER_OUTER, ppp, n, 4);
	CHECK_INT(bitflip_snoop(pkt, len, htonl(CLIENT_OUTER), &ip), 0);
	n = test_unhex("8021 020100ff 0306c6130909", ppp, sizeof(ppp));
	len = outer(pkt, sizeof(pkt), SERVER_OUTER, ppp, n, 5);
	CHECK_INT(bitflip_snoop(pkt, len, htonl(CLIENT_OUTER), &ip), 0);
	CHECK_INT(ntohl(ip.client_addr), CLIENT_TUN);
	/* Truncated outer packets are refused, not read past. */
	for (size_t k = 0; k < len; k++)
		CHECK(bitflip_snoop(pkt, k, htonl(CLIENT_OUTER), &ip) <= 0);
}

static void
test_checksum(void)
{
	/* RFC 1071 §3 example bytes as a payload: the sum is verified by
	 * udp_ok() on a datagram built with it. */
	uint8_t p[64];
	size_t n = datagram(p, "\x00\x01\xf2\x03\xf4\xf5\xf6\xf7", 8);

	CHECK_INT(udp_ok(p, n), 1);
	n = datagram(p, "odd", 3);
	CHECK_INT(udp_ok(p, n), 1);
}

int
main(void)
{
	RUN(test_checksum);
	RUN(test_modes);
	RUN(test_needs_addresses);
	RUN(test_snoop);
	TEST_MAIN_END();
}
