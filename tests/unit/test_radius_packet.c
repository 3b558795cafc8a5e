/*
 * test_radius_packet.c - the RADIUS codec: RFC 2865 §7 examples, packets
 * whose Message-Authenticator and Authenticators were computed
 * independently (Python's hmac and hashlib, expected bytes committed
 * here), a wire table of malformed packets with the exact error each
 * gets, the VSA walk, and the encoder's limits.
 */
#include "core/buf.h"
#include "core/err.h"
#include "radius/radius_attr.h"
#include "radius/radius_mppe.h"
#include "radius/radius_packet.h"
#include "test.h"

#define SECRET_RFC "xyzzy5461"
#define SECRET "testing123"

/* RFC 2865 §7.1: Access-Request for "nemo", password "arctangent". */
static const char *rfc_7_1_request =
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb"
    "98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d"
    "93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8"
    "01 10 05 06 00 00 00 03";
static const char *rfc_7_1_accept =
    "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf"
    "9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00"
    "0e 06 c0 a8 01 03";
/* RFC 2865 §7.2: CHAP user "flopsy" and the Access-Accept. */
static const char *rfc_7_2_request =
    "01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e"
    "0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9"
    "75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04"
    "06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00"
    "02 07 06 00 00 00 01";
static const char *rfc_7_2_accept =
    "02 01 00 38 15 ef bc 7d ab 26 cf a3 dc 34 d9 c0"
    "3c 86 01 a4 06 06 00 00 00 02 07 06 00 00 00 01"
    "08 06 ff ff ff fe 0a 06 00 00 00 02 0d 06 00 00"
    "00 01 0c 06 00 00 05 dc";

/*
 * Computed with Python (hmac.new(secret, pkt, hashlib.md5), hashlib.md5)
 * for secret "testing123", Request Authenticator 00 01 .. 0f:
 * A: Access-Request id 0x42, Message-Authenticator, User-Name "alice",
 *    NAS-Identifier "pptpkit".
 * C: the Access-Accept answering A: Message-Authenticator,
 *    Framed-IP-Address 198.19.0.5.
 * B: Accounting-Request id 7: Acct-Status-Type Start, Acct-Session-Id
 *    "0001", NAS-Identifier "pptpkit".
 * D: CoA-Request id 9: Message-Authenticator, User-Name "alice",
 *    Session-Timeout 600.  E: the CoA-ACK answering D (MA only).
 */
static const char *kat_a =
    "01420036000102030405060708090a0b0c0d0e0f50129a87cd86ad10308cf8b2"
    "89483a91aebd0107616c6963652009707074706b6974";
static const char *kat_c =
    "0242002cf09f8986e47606406a84e12fc69417335012bd23a25640c4b47fec7b"
    "81cba8ec13210806c6130005";
static const char *kat_b =
    "040700299715260827e5e6eaaeea1d9dba5a282c2806000000012c0630303031"
    "2009707074706b6974";
static const char *kat_d =
    "2b09003337a8d71ffc7e0a37a977c6d284ef2fb75012099ca38f7c102941bdae"
    "0906cd4e04d40107616c6963651b0600000258";
static const char *kat_e =
    "2c09002664755264a3323edb0dc2ab28d28cb3e85012ac6721b8f44922e43f6f"
    "dfe245f9d392";

static const uint8_t *
secret(const char *s)
{
	return (const uint8_t *)s;
}

static void
test_rfc2865_7_1(void)
{
	uint8_t req[64], acc[64], out[RADIUS_PASSWORD_MAX], again[64];
	size_t n = test_unhex(rfc_7_1_request, req, sizeof(req));
	size_t m = test_unhex(rfc_7_1_accept, acc, sizeof(acc));
	struct radius_packet p, q;
	struct radius_iter it;
	struct radius_attr a;
	struct buf_writer w;
	size_t hidden_len;
	uint8_t hidden[RADIUS_PASSWORD_MAX];
	uint32_t v;
	int seen = 0;

	CHECK_INT(radius_packet_decode(req, n, &p), PK_OK);
	CHECK_INT(p.code, RADIUS_CODE_ACCESS_REQUEST);
	CHECK_INT(p.len, 56);
	CHECK_INT(p.ma_off, 0);
	radius_iter_init(&it, &p);
	while (radius_iter_next(&it, &a)) {
		if (a.type == RADIUS_ATTR_USER_PASSWORD) {
			CHECK_INT(a.len, 16);
			CHECK_INT(radius_password_unhide(a.value, a.len,
			    p.auth, secret(SECRET_RFC), 9, out), PK_OK);
			CHECK_MEM(out, "arctangent\0\0\0\0\0\0", 16);
			seen++;
		}
		if (a.type == RADIUS_ATTR_NAS_PORT) {
			CHECK_INT(radius_attr_u32(&a, &v), PK_OK);
			CHECK_INT(v, 3);
			seen++;
		}
	}
	CHECK_INT(seen, 2);
	/* The same request from our encoder, byte for byte. */
	buf_writer_init(&w, again, sizeof(again));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_ACCESS_REQUEST, 0,
	    p.auth), PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_USER_NAME, "nemo"), PK_OK);
	CHECK_INT(radius_password_hide((const uint8_t *)"arctangent", 10,
	    p.auth, secret(SECRET_RFC), 9, hidden, &hidden_len), PK_OK);
	CHECK_INT(hidden_len, 16);
	CHECK_INT(radius_put_attr(&w, RADIUS_ATTR_USER_PASSWORD, hidden,
	    hidden_len), PK_OK);
	CHECK_INT(radius_put_u32(&w, RADIUS_ATTR_NAS_IP_ADDRESS, 0xc0a80110),
	    PK_OK);
	CHECK_INT(radius_put_u32(&w, RADIUS_ATTR_NAS_PORT, 3), PK_OK);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET_RFC), 9, NULL), PK_OK);
	CHECK_INT(w.len, n);
	CHECK_MEM(again, req, n);
	/* The Access-Accept's Response Authenticator. */
	CHECK_INT(radius_packet_decode(acc, m, &q), PK_OK);
	CHECK_INT(radius_check_response_auth(&q, p.auth, secret(SECRET_RFC),
	    9), PK_OK);
	CHECK_INT(radius_check_response_auth(&q, p.auth, secret("xyzzy5462"),
	    9), PK_ERR_AUTH);
	acc[m - 1] ^= 1;	/* Login-IP-Host 192.168.1.2 */
	CHECK_INT(radius_packet_decode(acc, m, &q), PK_OK);
	CHECK_INT(radius_check_response_auth(&q, p.auth, secret(SECRET_RFC),
	    9), PK_ERR_AUTH);
}

static void
test_rfc2865_7_2(void)
{
	uint8_t req[80], acc[64];
	size_t n = test_unhex(rfc_7_2_request, req, sizeof(req));
	size_t m = test_unhex(rfc_7_2_accept, acc, sizeof(acc));
	struct radius_session_attrs sa;
	struct radius_packet p, q;
	struct radius_iter it;
	struct radius_attr a;
	const char *what;
	int known = 0;

	CHECK_INT(radius_packet_decode(req, n, &p), PK_OK);
	radius_iter_init(&it, &p);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.type, RADIUS_ATTR_USER_NAME);
	CHECK_INT(a.len, 6);
	CHECK_MEM(a.value, "flopsy", 6);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.type, RADIUS_ATTR_CHAP_PASSWORD);
	CHECK_INT(a.len, 17);
	CHECK_INT(a.value[0], 22);	/* CHAP ID */
	CHECK_INT(radius_packet_decode(acc, m, &q), PK_OK);
	CHECK_INT(radius_check_response_auth(&q, p.auth, secret(SECRET_RFC),
	    9), PK_OK);
	/* Framed-IP-Address 255.255.255.254: the NAS picks; MTU 1500. */
	radius_session_attrs_init(&sa);
	radius_iter_init(&it, &q);
	while (radius_iter_next(&it, &a)) {
		int r = radius_session_attr(&sa, &a, &what);

		CHECK(r >= 0);
		known += r;
	}
	CHECK_INT(known, 2);
	CHECK_INT(sa.ip_mode, RADIUS_IP_NAS_CHOOSES);
	CHECK_INT(sa.framed_mtu, 1500);
}

/* Our encoder reproduces the independently computed packets. */
static void
test_kat_encode(void)
{
	static const uint8_t ra[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12, 13, 14, 15 };
	uint8_t want[128], got[128];
	struct buf_writer w;
	size_t n;

	n = test_unhex(kat_a, want, sizeof(want));
	buf_writer_init(&w, got, sizeof(got));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_ACCESS_REQUEST, 0x42, ra),
	    PK_OK);
	CHECK_INT(radius_put_ma(&w), PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_USER_NAME, "alice"), PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_NAS_IDENTIFIER, "pptpkit"),
	    PK_OK);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL), PK_OK);
	CHECK_INT(w.len, n);
	CHECK_MEM(got, want, n);

	n = test_unhex(kat_c, want, sizeof(want));
	buf_writer_init(&w, got, sizeof(got));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_ACCESS_ACCEPT, 0x42, NULL),
	    PK_OK);
	CHECK_INT(radius_put_ma(&w), PK_OK);
	CHECK_INT(radius_put_u32(&w, RADIUS_ATTR_FRAMED_IP_ADDRESS,
	    0xc6130005), PK_OK);
	/* A reply cannot be signed without the request's authenticator. */
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL), PK_ERR_ARG);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, ra), PK_OK);
	CHECK_INT(w.len, n);
	CHECK_MEM(got, want, n);

	n = test_unhex(kat_b, want, sizeof(want));
	buf_writer_init(&w, got, sizeof(got));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_ACCOUNTING_REQUEST, 7,
	    NULL), PK_OK);
	CHECK_INT(radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE,
	    RADIUS_ACCT_STATUS_START), PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_ACCT_SESSION_ID, "0001"),
	    PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_NAS_IDENTIFIER, "pptpkit"),
	    PK_OK);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL), PK_OK);
	CHECK_INT(w.len, n);
	CHECK_MEM(got, want, n);

	n = test_unhex(kat_d, want, sizeof(want));
	buf_writer_init(&w, got, sizeof(got));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_COA_REQUEST, 9, NULL),
	    PK_OK);
	CHECK_INT(radius_put_ma(&w), PK_OK);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_USER_NAME, "alice"), PK_OK);
	CHECK_INT(radius_put_u32(&w, RADIUS_ATTR_SESSION_TIMEOUT, 600), PK_OK);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL), PK_OK);
	CHECK_INT(w.len, n);
	CHECK_MEM(got, want, n);
}

/* And its checks accept them, and refuse them with the wrong key. */
static void
test_kat_verify(void)
{
	static const uint8_t ra[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12, 13, 14, 15 };
	static const uint8_t zero[16];
	uint8_t a[128], b[128], c[128], d[128], e[128];
	size_t na = test_unhex(kat_a, a, sizeof(a));
	size_t nb = test_unhex(kat_b, b, sizeof(b));
	size_t nc = test_unhex(kat_c, c, sizeof(c));
	size_t nd = test_unhex(kat_d, d, sizeof(d));
	size_t ne = test_unhex(kat_e, e, sizeof(e));
	struct radius_packet p;

	CHECK_INT(radius_packet_decode(a, na, &p), PK_OK);
	CHECK_INT(p.ma_off, 22);
	CHECK_INT(radius_check_ma(&p, p.auth, secret(SECRET), 10), PK_OK);
	CHECK_INT(radius_check_ma(&p, p.auth, secret("testing124"), 10),
	    PK_ERR_AUTH);
	CHECK_INT(radius_packet_decode(c, nc, &p), PK_OK);
	CHECK_INT(radius_check_ma(&p, ra, secret(SECRET), 10), PK_OK);
	CHECK_INT(radius_check_response_auth(&p, ra, secret(SECRET), 10),
	    PK_OK);
	CHECK_INT(radius_check_ma(&p, zero, secret(SECRET), 10), PK_ERR_AUTH);
	CHECK_INT(radius_packet_decode(b, nb, &p), PK_OK);
	CHECK_INT(radius_check_request_auth(&p, secret(SECRET), 10), PK_OK);
	CHECK_INT(radius_check_ma(&p, zero, secret(SECRET), 10),
	    PK_ERR_NOT_FOUND);
	b[nb - 1] ^= 0x20;
	CHECK_INT(radius_packet_decode(b, nb, &p), PK_OK);
	CHECK_INT(radius_check_request_auth(&p, secret(SECRET), 10),
	    PK_ERR_AUTH);
	CHECK_INT(radius_packet_decode(d, nd, &p), PK_OK);
	CHECK_INT(radius_check_request_auth(&p, secret(SECRET), 10), PK_OK);
	CHECK_INT(radius_check_ma(&p, zero, secret(SECRET), 10), PK_OK);
	CHECK_INT(radius_packet_decode(e, ne, &p), PK_OK);
	{
		struct radius_packet dp;

		CHECK_INT(radius_packet_decode(d, nd, &dp), PK_OK);
		CHECK_INT(radius_check_ma(&p, dp.auth, secret(SECRET), 10),
		    PK_OK);
		CHECK_INT(radius_check_response_auth(&p, dp.auth,
		    secret(SECRET), 10), PK_OK);
	}
}

/* Malformed packets: each with the error the decoder must give. AU is
 * the 16-octet authenticator. */
#define AU " 000102030405060708090a0b0c0d0e0f "
static const struct {
	const char *name;
	const char *hex;
	int err;
} wire[] = {
	{ "empty", "", PK_ERR_SHORT },
	{ "header cut", "02 00 00 14 000102030405060708090a0b0c0d0e",
	    PK_ERR_SHORT },
	{ "minimal ok", "02 00 00 14" AU, PK_OK },
	{ "Length below 20", "02 00 00 13" AU, PK_ERR_LENGTH },
	{ "Length past datagram (lying)", "02 00 00 20" AU "0106616c69",
	    PK_ERR_LENGTH },
	{ "Length above 4096", "02 00 10 01" AU, PK_ERR_LENGTH },
	{ "padding after Length ignored", "02 00 00 14" AU "0000ffff",
	    PK_OK },
	{ "attr: one octet left", "02 00 00 15" AU "01", PK_ERR_SHORT },
	{ "attr: zero length", "02 00 00 16" AU "0100", PK_ERR_LENGTH },
	{ "attr: length 1", "02 00 00 16" AU "0101", PK_ERR_LENGTH },
	{ "attr: length past end", "02 00 00 18" AU "0107616c69",
	    PK_ERR_LENGTH },
	{ "attr: empty value ok", "02 00 00 16" AU "1202", PK_OK },
	{ "attr: past Length, inside datagram", "02 00 00 18" AU
	    "0106616c6963", PK_ERR_LENGTH },
	{ "MA wrong length", "02 00 00 18" AU "50040000", PK_ERR_LENGTH },
	{ "MA duplicate", "02 00 00 38" AU
	    "5012 00000000000000000000000000000000"
	    "5012 00000000000000000000000000000000", PK_ERR_DUPLICATE },
	{ "VSA shorter than 7", "02 00 00 1a" AU "1a06 00000137",
	    PK_ERR_VALUE },
	{ "VSA unknown vendor, opaque ok", "02 00 00 1b" AU
	    "1a07 00000009 ff", PK_OK },
	{ "VSA vendor id high octet", "02 00 00 1d" AU "1a09 01000137 0103ff",
	    PK_ERR_VALUE },
	{ "VSA MS sub length 0", "02 00 00 1d" AU "1a09 00000137 0700ff",
	    PK_ERR_VALUE },
	{ "VSA MS sub length past VSA", "02 00 00 1d" AU
	    "1a09 00000137 0704ff", PK_ERR_VALUE },
	{ "VSA MS sub header cut", "02 00 00 1e" AU
	    "1a0a 00000137 0703ff 07", PK_ERR_VALUE },
	{ "VSA MS two subs ok", "02 00 00 23" AU
	    "1a0f 00000137 0703ff 1c0600000001", PK_OK },
	{ "VSA WISPr sub short", "02 00 00 1b" AU "1a07 0000372a 07",
	    PK_ERR_VALUE },
};

static void
test_wire_table(void)
{
	struct radius_packet p;
	uint8_t buf[128];

	for (size_t i = 0; i < sizeof(wire) / sizeof(wire[0]); i++) {
		size_t n = test_unhex(wire[i].hex, buf, sizeof(buf));
		int r = radius_packet_decode(buf, n, &p);

		if (r != wire[i].err)
			fprintf(stderr, "case \"%s\": %d (%s), want %d\n",
			    wire[i].name, r, pk_strerror(r), wire[i].err);
		CHECK_INT(r, wire[i].err);
	}
}

/* A datagram larger than 4096 octets is refused whatever it says. */
static void
test_oversize(void)
{
	static uint8_t big[RADIUS_PACKET_MAX + 1];
	struct radius_packet p;

	big[0] = RADIUS_CODE_ACCESS_ACCEPT;
	big[2] = 0x00;
	big[3] = 0x14;
	CHECK_INT(radius_packet_decode(big, sizeof(big), &p), PK_ERR_LONG);
	CHECK_INT(radius_packet_decode(big, RADIUS_PACKET_MAX, &p), PK_OK);
}

static void
test_vsa_walk(void)
{
	/* Standard attr, then one MS VSA with two subs, then an opaque VSA
	 * of vendor 9, then WISPr. */
	static const char *hex =
	    "02 00 00 3d 000102030405060708090a0b0c0d0e0f"
	    "1b06 0000003c"
	    "1a0f 00000137 0703ff 1c06c6120001"
	    "1a08 00000009 aabb"
	    "1a0c 0000372a 0806 000f4240";
	uint8_t buf[128];
	size_t n = test_unhex(hex, buf, sizeof(buf));
	struct radius_packet p;
	struct radius_iter it;
	struct radius_attr a;
	uint32_t v;

	CHECK_INT(radius_packet_decode(buf, n, &p), PK_OK);
	radius_iter_init(&it, &p);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.type, RADIUS_ATTR_SESSION_TIMEOUT);
	CHECK_INT(a.vendor, 0);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.vendor, RADIUS_VENDOR_MICROSOFT);
	CHECK_INT(a.vtype, 7);
	CHECK_INT(a.len, 1);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.vendor, RADIUS_VENDOR_MICROSOFT);
	CHECK_INT(a.vtype, RADIUS_MS_PRIMARY_DNS_SERVER);
	CHECK_INT(radius_attr_u32(&a, &v), PK_OK);
	CHECK_INT(v, 0xc6120001);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.type, RADIUS_ATTR_VENDOR_SPECIFIC);
	CHECK_INT(a.vendor, 9);
	CHECK_INT(a.vtype, 0);
	CHECK_INT(a.len, 2);
	CHECK(radius_iter_next(&it, &a));
	CHECK_INT(a.vendor, RADIUS_VENDOR_WISPR);
	CHECK_INT(a.vtype, RADIUS_WISPR_BANDWIDTH_MAX_DOWN);
	CHECK_INT(radius_attr_u32(&a, &v), PK_OK);
	CHECK_INT(v, 1000000);
	CHECK(!radius_iter_next(&it, &a));
	CHECK(!radius_iter_next(&it, &a));
}

static void
test_encoder_limits(void)
{
	static uint8_t buf[2 * RADIUS_PACKET_MAX];
	uint8_t v[256];
	struct buf_writer w;
	struct radius_packet p;
	int r = PK_OK, n = 0;

	memset(v, 'x', sizeof(v));
	buf_writer_init(&w, buf, sizeof(buf));
	CHECK_INT(radius_enc_begin(&w, RADIUS_CODE_ACCESS_REQUEST, 1, v),
	    PK_OK);
	CHECK_INT(radius_put_attr(&w, RADIUS_ATTR_CLASS, v, 254),
	    PK_ERR_VALUE);
	CHECK_INT(radius_put_vsa(&w, RADIUS_VENDOR_MICROSOFT, 1, v, 248),
	    PK_ERR_VALUE);
	CHECK_INT(radius_put_vsa(&w, 0x01000000, 1, v, 1), PK_ERR_VALUE);
	CHECK_INT(radius_put_text(&w, RADIUS_ATTR_USER_NAME, ""),
	    PK_ERR_VALUE);
	CHECK_INT(w.err, 0);
	/* 4096 octets and not one more, even with a bigger buffer. */
	while ((r = radius_put_attr(&w, RADIUS_ATTR_CLASS, v, 253)) == 0)
		n++;
	CHECK_INT(r, PK_ERR_SPACE);
	CHECK_INT(n, (RADIUS_PACKET_MAX - RADIUS_HDR_LEN) / 255);
	CHECK(w.len <= RADIUS_PACKET_MAX);
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL),
	    PK_ERR_SPACE);
	/* Without the latched error the packet is valid and decodes. */
	w.err = 0;
	CHECK_INT(radius_enc_finish(&w, secret(SECRET), 10, NULL), PK_OK);
	CHECK_INT(radius_packet_decode(buf, w.len, &p), PK_OK);
	CHECK_INT(p.len, w.len);
}

static void
test_text(void)
{
	static const uint8_t nul[] = { 'a', 0, 'b' };
	static const uint8_t ctl[] = { 'o', 'k', '\n', 0x80, '!' };
	struct radius_attr a = { .value = nul, .len = sizeof(nul) };
	char s[8];

	CHECK_INT(radius_attr_text(&a, s, sizeof(s)), PK_ERR_VALUE);
	a.value = ctl;
	a.len = sizeof(ctl);
	CHECK_INT(radius_attr_text(&a, s, 5), PK_ERR_SPACE);
	CHECK_STR(s, "");
	radius_attr_printable(&a, s, sizeof(s));
	CHECK_STR(s, "ok?" "?!");
	radius_attr_printable(&a, s, 3);
	CHECK_STR(s, "ok");
}

int
main(void)
{
	RUN(test_rfc2865_7_1);
	RUN(test_rfc2865_7_2);
	RUN(test_kat_encode);
	RUN(test_kat_verify);
	RUN(test_wire_table);
	RUN(test_oversize);
	RUN(test_vsa_walk);
	RUN(test_encoder_limits);
	RUN(test_text);
	TEST_MAIN_END();
}
