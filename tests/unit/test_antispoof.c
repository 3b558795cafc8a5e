/*
 * test_antispoof.c - the tunnelled source check (policy/antispoof.c):
 * IPv4 only from the assigned address, IPv6 only from fe80::IFID (and ::
 * for ICMPv6), everything else dropped, malformed packets too.
 */
#include <arpa/inet.h>

#include "core/err.h"
#include "policy/antispoof.h"
#include "test.h"

static size_t
ipv4(uint8_t *p, const char *src, const char *dst)
{
	struct in_addr a;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[3] = 28;
	p[8] = 64;
	p[9] = 1;
	inet_pton(AF_INET, src, &a);
	memcpy(p + 12, &a, 4);
	inet_pton(AF_INET, dst, &a);
	memcpy(p + 16, &a, 4);
	return 28;
}

static size_t
ipv6(uint8_t *p, const char *src, uint8_t next)
{
	memset(p, 0, 48);
	p[0] = 0x60;
	p[5] = 8;
	p[6] = next;
	p[7] = 255;
	inet_pton(AF_INET6, src, p + 8);
	inet_pton(AF_INET6, "ff02::1", p + 24);
	return 48;
}

static const struct antispoof client = {
	.ipv4 = 0xc6130002,	/* 198.19.0.2 */
	.ipv6 = 1,
	.ifid = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 },
};

static void
test_ipv4(void)
{
	uint8_t p[64];
	size_t n;
	char buf[64];

	n = ipv4(p, "198.19.0.2", "198.19.0.1");
	CHECK_INT(antispoof_check(&client, p, n), PK_OK);
	n = ipv4(p, "198.19.0.3", "198.19.0.1");
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	antispoof_source_str(p, n, buf, sizeof(buf));
	CHECK_STR(buf, "198.19.0.3");
	n = ipv4(p, "0.0.0.0", "255.255.255.255");
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	n = ipv4(p, "10.0.0.1", "198.19.0.1");
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	/* Before IPCP gave an address, nothing passes. */
	{
		struct antispoof none = { 0 };

		n = ipv4(p, "198.19.0.2", "198.19.0.1");
		CHECK_INT(antispoof_check(&none, p, n), PK_ERR_POLICY);
	}
	CHECK_INT(antispoof_check(&client, p, 19), PK_ERR_SHORT);
}

static void
test_ipv6(void)
{
	uint8_t p[64];
	size_t n;
	char buf[64];

	n = ipv6(p, "fe80::211:22ff:fe33:4455", 17);
	CHECK_INT(antispoof_check(&client, p, n), PK_OK);
	/* Another interface identifier, a global address, a ULA. */
	n = ipv6(p, "fe80::211:22ff:fe33:4456", 17);
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	n = ipv6(p, "2001:db8::211:22ff:fe33:4455", 17);
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	antispoof_source_str(p, n, buf, sizeof(buf));
	CHECK_STR(buf, "2001:db8::211:22ff:fe33:4455");
	n = ipv6(p, "fd00::1", 58);
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	/* :: for DAD (ICMPv6) and MLD (hop-by-hop first), nothing else. */
	n = ipv6(p, "::", 58);
	CHECK_INT(antispoof_check(&client, p, n), PK_OK);
	n = ipv6(p, "::", 0);
	CHECK_INT(antispoof_check(&client, p, n), PK_OK);
	n = ipv6(p, "::", 17);
	CHECK_INT(antispoof_check(&client, p, n), PK_ERR_POLICY);
	/* Without IPV6CP, only :: (harmless) gets by. */
	{
		struct antispoof v4only = client;

		v4only.ipv6 = 0;
		n = ipv6(p, "fe80::211:22ff:fe33:4455", 17);
		CHECK_INT(antispoof_check(&v4only, p, n), PK_ERR_POLICY);
	}
	CHECK_INT(antispoof_check(&client, p, 39), PK_ERR_SHORT);
}

static void
test_malformed(void)
{
	uint8_t p[64] = { 0x50 };

	CHECK_INT(antispoof_check(&client, p, 40), PK_ERR_VALUE);
	CHECK_INT(antispoof_check(&client, p, 0), PK_ERR_SHORT);
}

int
main(void)
{
	RUN(test_ipv4);
	RUN(test_ipv6);
	RUN(test_malformed);
	TEST_MAIN_END();
}
