/* antispoof.c - tunnelled source address check (see antispoof.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "policy/antispoof.h"

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40
#define IPV6_NH_HOPOPTS 0
#define IPV6_NH_ICMPV6 58

int
antispoof_check(const struct antispoof *a, const uint8_t *pkt, size_t len)
{
	static const uint8_t linklocal[8] = { 0xfe, 0x80 };
	static const uint8_t unspecified[16];
	struct buf_reader rd;
	uint8_t v, nh, src[16];
	uint32_t src4;
	int r;

	buf_reader_init(&rd, pkt, len);
	if ((r = buf_peek_u8(&rd, 0, &v)) != 0)
		return r;
	switch (v >> 4) {
	case 4:
		/* RFC 791: the source is octets 12-15. */
		if (len < IPV4_HDR_MIN)
			return PK_ERR_SHORT;
		if ((r = buf_skip(&rd, 12)) != 0 ||
		    (r = buf_get_u32(&rd, &src4)) != 0)
			return r;
		return a->ipv4 != 0 && src4 == a->ipv4 ? PK_OK :
		    PK_ERR_POLICY;
	case 6:
		/* RFC 8200 §3: next header at 6, source at 8-23. */
		if (len < IPV6_HDR_LEN)
			return PK_ERR_SHORT;
		if ((r = buf_peek_u8(&rd, 6, &nh)) != 0 ||
		    (r = buf_skip(&rd, 8)) != 0 ||
		    (r = buf_get_bytes(&rd, src, sizeof(src))) != 0)
			return r;
		if (memcmp(src, unspecified, sizeof(src)) == 0)
			return nh == IPV6_NH_ICMPV6 || nh == IPV6_NH_HOPOPTS ?
			    PK_OK : PK_ERR_POLICY;
		if (a->ipv6 && memcmp(src, linklocal, 8) == 0 &&
		    memcmp(src + 8, a->ifid, 8) == 0)
			return PK_OK;
		return PK_ERR_POLICY;
	default:
		return PK_ERR_VALUE;
	}
}

void
antispoof_source_str(const uint8_t *pkt, size_t len, char *buf,
    size_t buflen)
{
	struct buf_reader rd;
	uint8_t v, src[16];

	if (buflen == 0)
		return;
	snprintf(buf, buflen, "?");
	buf_reader_init(&rd, pkt, len);
	if (buf_peek_u8(&rd, 0, &v) != 0)
		return;
	if ((v >> 4) == 4 && len >= IPV4_HDR_MIN && buf_skip(&rd, 12) == 0 &&
	    buf_get_bytes(&rd, src, 4) == 0)
		inet_ntop(AF_INET, src, buf, (socklen_t)buflen);
	else if ((v >> 4) == 6 && len >= IPV6_HDR_LEN &&
	    buf_skip(&rd, 8) == 0 && buf_get_bytes(&rd, src, 16) == 0)
		inet_ntop(AF_INET6, src, buf, (socklen_t)buflen);
}
