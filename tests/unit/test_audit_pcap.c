/*
 * test_audit_pcap.c - captures from bytes to model (load.h, dissect.h,
 * pcap_io.h): every link layer read (Ethernet with VLAN tags, Linux
 * cooked v1 and v2, raw IP, BSD loopback), pcapng, IPv4 fragments put
 * back together, and what must give a clear message and no crash: a
 * link type we do not read, random bytes, a file cut short, a record
 * claiming more bytes than the file has, frames cut by the snap length,
 * and headers whose length fields lie.
 */
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "audit/load.h"
#include "core/err.h"
#include "gre/gre.h"
#include "test.h"

#define CAP_MAX 65536

struct capbuf {
	uint8_t b[CAP_MAX];
	size_t n;
};

static void
put_le32(struct capbuf *c, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		c->b[c->n++] = (uint8_t)(v >> (8 * i));
}

static void
put_le16(struct capbuf *c, uint16_t v)
{
	c->b[c->n++] = (uint8_t)v;
	c->b[c->n++] = (uint8_t)(v >> 8);
}

static void
pcap_header(struct capbuf *c, uint32_t dlt)
{
	c->n = 0;
	put_le32(c, 0xa1b2c3d4);
	put_le16(c, 2);
	put_le16(c, 4);
	put_le32(c, 0);
	put_le32(c, 0);
	put_le32(c, 65535);
	put_le32(c, dlt);
}

static void
pcap_record(struct capbuf *c, const uint8_t *f, size_t caplen, size_t len)
{
	static uint32_t t = 1000;

	put_le32(c, t++);
	put_le32(c, 0);
	put_le32(c, (uint32_t)caplen);
	put_le32(c, (uint32_t)len);
	memcpy(c->b + c->n, f, caplen);
	c->n += caplen;
}

/* IPv4 header (no options, checksum not checked by the dissector). */
static size_t
ipv4(uint8_t *p, uint8_t proto, uint16_t id, uint16_t frag,
    const uint8_t *payload, size_t len)
{
	size_t total = 20 + len;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[4] = (uint8_t)(id >> 8);
	p[5] = (uint8_t)id;
	p[6] = (uint8_t)(frag >> 8);
	p[7] = (uint8_t)frag;
	p[8] = 64;
	p[9] = proto;
	p[12] = 198, p[13] = 18, p[14] = 0, p[15] = 2;
	p[16] = 198, p[17] = 18, p[18] = 0, p[19] = 1;
	memcpy(p + 20, payload, len);
	return total;
}

/* A GRE packet with an LCP Configure-Request as its PPP frame. */
static size_t
gre_lcp(uint8_t *p, size_t pad)
{
	uint8_t ppp[64] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 8,
	    5, 6, 1, 2, 3, 4 };
	struct gre_hdr h;
	struct buf_writer w;

	memset(&h, 0, sizeof(h));
	h.has_seq = 1;
	h.call_id = 0x1234;
	buf_writer_init(&w, p, 256);
	CHECK_INT(gre_encode(&w, &h, ppp, 14 + pad), 0);
	return w.len;
}

static int
load_mem(const struct capbuf *c, struct audit_load *l, char *err,
    size_t errlen)
{
	struct audit_pcap_reader *rd;
	int r;

	memset(l, 0, sizeof(*l));
	if ((r = audit_pcap_open_mem(c->b, c->n, &rd, err, errlen)) != 0)
		return r;
	r = audit_load_reader(rd, NULL, 0, NULL, NULL, l, err, errlen);
	audit_pcap_close(rd);
	return r;
}

/* One GRE/LCP frame behind each link layer: one call, one LCP frame. */
static void
test_link_layers(void)
{
	static const struct {
		uint32_t dlt;
		uint8_t hdr[32];
		size_t hlen;
	} v[] = {
		{ DLT_EN10MB, { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0 },
		    14 },
		/* two VLAN tags (802.1ad outside, 802.1Q inside) */
		{ DLT_EN10MB, { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xa8,
		    0, 5, 0x81, 0x00, 0, 7, 0x08, 0 }, 22 },
		{ DLT_LINUX_SLL, { 0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 2, 0, 0,
		    0x08, 0 }, 16 },
		{ DLT_LINUX_SLL2, { 0x08, 0, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2,
		    0, 0, 0, 0, 2, 0, 0 }, 20 },
		{ 101 /* LINKTYPE_RAW */, { 0 }, 0 },
		{ DLT_NULL, { 2, 0, 0, 0 }, 4 },
		{ DLT_LOOP, { 0, 0, 0, 2 }, 4 },
	};
	char err[AUDIT_ERR_MAX];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t gre[256], frame[512];
		struct capbuf *c = calloc(1, sizeof(*c));
		struct audit_load l;
		size_t n;

		memcpy(frame, v[i].hdr, v[i].hlen);
		n = v[i].hlen + ipv4(frame + v[i].hlen, 47, 1, 0, gre,
		    gre_lcp(gre, 0));
		pcap_header(c, v[i].dlt);
		pcap_record(c, frame, n, n);
		/* Ethernet padding after the datagram is not part of it. */
		memset(frame + n, 0, 16);
		pcap_record(c, frame, n + 16, n + 16);
		CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
		CHECK_INT(l.dis.st.gre_pptp, 2);
		CHECK_INT(l.cap.n_calls, 1);
		if (l.cap.n_calls == 1) {
			CHECK_INT(l.cap.calls[0].d[0].lcp, 2);
			CHECK_INT(l.cap.calls[0].key[0], 0x1234);
			CHECK_INT(l.cap.calls[0].ip[0], 0xc6120002);
		}
		CHECK_INT(l.dis.st.bad_ip + l.dis.st.gre_bad, 0);
		audit_load_free(&l);
		free(c);
	}
}

static void
test_pcapng(void)
{
	struct capbuf *c = calloc(1, sizeof(*c));
	uint8_t gre[256], frame[512];
	char err[AUDIT_ERR_MAX];
	struct audit_load l;
	size_t n, pad;

	/* Section header, interface description (raw IP), one enhanced
	 * packet block (pcapng, draft-ietf-opsawg-pcapng). */
	put_le32(c, 0x0a0d0d0a);
	put_le32(c, 28);
	put_le32(c, 0x1a2b3c4d);
	put_le16(c, 1);
	put_le16(c, 0);
	put_le32(c, 0xffffffff);
	put_le32(c, 0xffffffff);
	put_le32(c, 28);
	put_le32(c, 1);
	put_le32(c, 20);
	put_le16(c, 101);
	put_le16(c, 0);
	put_le32(c, 65535);
	put_le32(c, 20);
	n = ipv4(frame, 47, 1, 0, gre, gre_lcp(gre, 0));
	pad = (4 - n % 4) % 4;
	put_le32(c, 6);
	put_le32(c, (uint32_t)(32 + n + pad));
	put_le32(c, 0);
	put_le32(c, 0);
	put_le32(c, 0);
	put_le32(c, (uint32_t)n);
	put_le32(c, (uint32_t)n);
	memcpy(c->b + c->n, frame, n);
	c->n += n;
	memset(c->b + c->n, 0, pad);
	c->n += pad;
	put_le32(c, (uint32_t)(32 + n + pad));
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
	CHECK_INT(l.dis.st.gre_pptp, 1);
	CHECK_INT(l.cap.n_calls, 1);
	audit_load_free(&l);
	free(c);
}

static void
test_fragments(void)
{
	struct capbuf *c = calloc(1, sizeof(*c));
	uint8_t gre[256], frame[512];
	char err[AUDIT_ERR_MAX];
	struct audit_load l;
	size_t n = gre_lcp(gre, 40), n1;

	/* GRE in three pieces (8-byte multiples), last first. */
	pcap_header(c, 101);
	n1 = ipv4(frame, 47, 9, 4, gre + 32, n - 32);	/* offset 32 */
	pcap_record(c, frame, n1, n1);
	n1 = ipv4(frame, 47, 9, 0x2000, gre, 16);	/* MF, offset 0 */
	pcap_record(c, frame, n1, n1);
	n1 = ipv4(frame, 47, 9, 0x2000 | 2, gre + 16, 16);
	pcap_record(c, frame, n1, n1);
	/* A fragment of another datagram that never completes. */
	n1 = ipv4(frame, 47, 10, 0x2000, gre, 16);
	pcap_record(c, frame, n1, n1);
	/* A middle fragment whose length is not a multiple of 8. */
	n1 = ipv4(frame, 47, 11, 0x2000, gre, 13);
	pcap_record(c, frame, n1, n1);
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
	CHECK_INT(l.dis.st.fragments, 5);
	CHECK_INT(l.dis.st.reassembled, 1);
	CHECK_INT(l.dis.st.gre_pptp, 1);
	CHECK_INT(l.dis.st.bad_ip, 1);
	CHECK_INT(l.cap.n_calls, 1);
	if (l.cap.n_calls == 1)
		CHECK_INT(l.cap.calls[0].d[0].lcp, 1);
	audit_load_free(&l);
	free(c);
}

static void
test_bad_files(void)
{
	struct capbuf *c = calloc(1, sizeof(*c));
	uint8_t gre[256], frame[512];
	char err[AUDIT_ERR_MAX];
	struct audit_load l;
	size_t n;

	/* Another link type: refused by name. */
	pcap_header(c, 105);	/* IEEE 802.11 */
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), PK_ERR_TYPE);
	CHECK(strstr(err, "not a link type pptpkit reads") != NULL);
	audit_load_free(&l);
	/* Random bytes: libpcap says it is no capture. */
	for (size_t i = 0; i < 300; i++)
		c->b[i] = (uint8_t)(i * 131 + 7);
	c->n = 300;
	err[0] = '\0';
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), PK_ERR_SYS);
	CHECK(err[0] != '\0');
	audit_load_free(&l);
	/* Empty. */
	c->n = 0;
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), PK_ERR_SYS);
	audit_load_free(&l);
	/* Cut short in the middle of the second record: the first is
	 * read, the end is a warning. */
	n = ipv4(frame, 47, 1, 0, gre, gre_lcp(gre, 0));
	pcap_header(c, 101);
	pcap_record(c, frame, n, n);
	pcap_record(c, frame, n, n);
	c->n -= 10;
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
	CHECK_INT(l.dis.st.gre_pptp, 1);
	CHECK(strstr(l.warning, "truncated") != NULL);
	audit_load_free(&l);
	/* A record that claims more than the file holds. */
	pcap_header(c, 101);
	pcap_record(c, frame, n, n);
	c->b[24 + 8] = 0xff;	/* caplen */
	c->b[24 + 9] = 0xff;
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
	CHECK(l.warning[0] != '\0');
	CHECK_INT(l.dis.st.frames, 0);
	audit_load_free(&l);
	free(c);
}

static void
test_lying_headers(void)
{
	struct capbuf *c = calloc(1, sizeof(*c));
	uint8_t gre[256], frame[512];
	char err[AUDIT_ERR_MAX];
	struct audit_load l;
	size_t n, g = gre_lcp(gre, 0);

	pcap_header(c, 101);
	/* IPv4 Total Length past the frame, frame not cut: malformed. */
	n = ipv4(frame, 47, 1, 0, gre, g);
	frame[3] += 50;
	pcap_record(c, frame, n, n);
	/* The same frame cut by the snap length: truncated. */
	pcap_record(c, frame, n - 5, n + 45);
	/* IHL below 5. */
	n = ipv4(frame, 47, 1, 0, gre, g);
	frame[0] = 0x44;
	pcap_record(c, frame, n, n);
	/* GRE Payload Length past the packet. */
	gre[5] += 30;
	n = ipv4(frame, 47, 1, 0, gre, g);
	pcap_record(c, frame, n, n);
	gre[5] -= 30;
	/* TCP to port 1723 with a data offset below 5. */
	{
		uint8_t tcp[40] = { 0x9c, 0x40, 0x06, 0xbb, 0, 0, 0, 1,
		    0, 0, 0, 0, 0x30, 0x10 };

		n = ipv4(frame, 6, 1, 0, tcp, 20);
		pcap_record(c, frame, n, n);
	}
	/* Two bytes of an Ethernet frame on a raw IP link. */
	pcap_record(c, frame, 2, 2);
	/* And one good one at the end, still read. */
	n = ipv4(frame, 47, 1, 0, gre, g);
	pcap_record(c, frame, n, n);
	CHECK_INT(load_mem(c, &l, err, sizeof(err)), 0);
	CHECK_INT(l.dis.st.frames, 7);
	CHECK_INT(l.dis.st.bad_ip, 3);
	CHECK_INT(l.dis.st.truncated, 1);
	CHECK_INT(l.dis.st.gre_bad, 1);
	CHECK_INT(l.dis.st.bad_tcp, 1);
	CHECK_INT(l.dis.st.gre_pptp, 1);
	CHECK_INT(l.cap.n_calls, 1);
	audit_load_free(&l);
	free(c);
}

int
main(void)
{
	RUN(test_link_layers);
	RUN(test_pcapng);
	RUN(test_fragments);
	RUN(test_bad_files);
	RUN(test_lying_headers);
	TEST_MAIN_END();
}
