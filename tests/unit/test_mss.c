/* test_mss.c - MSS clamping rewrites SYNs and keeps checksums valid. */
#include "core/err.h"
#include "engine/mss.h"
#include "test.h"

/* Full TCP checksum over an IPv4 pseudo-header, computed from scratch:
 * an independent check of the incremental update. */
static uint16_t
tcp4_checksum(const uint8_t *pkt, size_t len)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	size_t tlen = len - ihl;
	uint32_t sum = 0;

	for (int i = 12; i < 20; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	sum += 6;
	sum += (uint32_t)tlen;
	for (size_t i = 0; i < tlen; i += 2) {
		uint16_t w = (uint16_t)(pkt[ihl + i] << 8);

		if (i + 1 < tlen)
			w |= pkt[ihl + i + 1];
		if (i == 16)	/* the checksum field itself counts as 0 */
			w = 0;
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t
make_syn(uint8_t *p, uint8_t flags, uint16_t mss, int with_nops)
{
	size_t n = 0, tcp;

	memset(p, 0, 80);
	p[n++] = 0x45;			/* IPv4, IHL 5 */
	n = 9;
	p[n] = 6;			/* TCP */
	p[12] = 198; p[13] = 18; p[14] = 0; p[15] = 1;
	p[16] = 198; p[17] = 18; p[18] = 0; p[19] = 2;
	tcp = 20;
	p[tcp + 0] = 0x30; p[tcp + 1] = 0x39;	/* ports */
	p[tcp + 2] = 0x00; p[tcp + 3] = 0x50;
	p[tcp + 7] = 1;				/* seq */
	p[tcp + 13] = flags;
	n = tcp + 20;
	if (with_nops) {
		p[n++] = 1;
		p[n++] = 1;
		p[n++] = 4; p[n++] = 2;		/* SACK permitted */
	}
	p[n++] = 2; p[n++] = 4; p[n++] = (uint8_t)(mss >> 8);
	p[n++] = (uint8_t)mss;
	while ((n - tcp) % 4 != 0)
		p[n++] = 0;
	p[tcp + 12] = (uint8_t)(((n - tcp) / 4) << 4);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	uint16_t c = tcp4_checksum(p, n);
	p[tcp + 16] = (uint8_t)(c >> 8);
	p[tcp + 17] = (uint8_t)c;
	return n;
}

static void
test_clamps_syn(void)
{
	uint8_t p[80];
	size_t n;

	for (int nops = 0; nops <= 1; nops++) {
		n = make_syn(p, 0x02, 1460, nops);
		CHECK_INT(mss_clamp(p, n, 1400), 1);
		size_t at = 20 + 20 + (nops ? 4 : 0) + 2;
		CHECK_INT(p[at] << 8 | p[at + 1], 1360);
		CHECK_INT(p[36] << 8 | p[37], tcp4_checksum(p, n));
		/* SYN-ACK too. */
		n = make_syn(p, 0x12, 1460, nops);
		CHECK_INT(mss_clamp(p, n, 1400), 1);
		CHECK_INT(p[36] << 8 | p[37], tcp4_checksum(p, n));
	}
}

static void
test_leaves_others(void)
{
	uint8_t p[80], copy[80];
	size_t n;

	n = make_syn(p, 0x02, 1200, 0);		/* already small */
	memcpy(copy, p, n);
	CHECK_INT(mss_clamp(p, n, 1400), 0);
	CHECK_MEM(p, copy, n);
	n = make_syn(p, 0x10, 1460, 0);		/* plain ACK */
	memcpy(copy, p, n);
	CHECK_INT(mss_clamp(p, n, 1400), 0);
	CHECK_MEM(p, copy, n);
	n = make_syn(p, 0x02, 1460, 0);
	p[9] = 17;				/* UDP */
	CHECK_INT(mss_clamp(p, n, 1400), 0);
}

static void
test_malformed(void)
{
	uint8_t p[80];
	size_t n = make_syn(p, 0x02, 1460, 0);

	CHECK_INT(mss_clamp(p, 30, 1400), PK_ERR_SHORT);
	p[40] = 2; p[41] = 40;			/* option length past end */
	CHECK_INT(mss_clamp(p, n, 1400), PK_ERR_LENGTH);
	p[41] = 0;				/* zero-length option */
	CHECK_INT(mss_clamp(p, n, 1400), PK_ERR_LENGTH);
	n = make_syn(p, 0x02, 1460, 0);
	p[0] = 0x43;				/* IHL 3 < 5 */
	CHECK_INT(mss_clamp(p, n, 1400), PK_ERR_VALUE);
	p[0] = 0x75;
	CHECK_INT(mss_clamp(p, n, 1400), PK_ERR_VERSION);
	CHECK_INT(mss_clamp(p, 0, 1400), PK_ERR_SHORT);
}

int
main(void)
{
	RUN(test_clamps_syn);
	RUN(test_leaves_others);
	RUN(test_malformed);
	TEST_MAIN_END();
}
