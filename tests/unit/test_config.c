/* test_config.c - pptpkitd settings, chap-secrets and the address pool. */
#include <arpa/inet.h>

#include "config/config.h"
#include "config/pool.h"
#include "config/secrets.h"
#include "core/err.h"
#include "core/log.h"
#include "test.h"

static void
test_defaults_are_hardened(void)
{
	struct server_config c;
	char err[256];

	config_defaults(&c);
	CHECK_INT(c.policy.auth, PK_AUTH_MSCHAPV2);
	CHECK_INT(c.policy.mppe, PK_MPPE_REQUIRE);
	CHECK_INT(c.policy.mppe_bits, PK_MPPE_128);
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_OK);
	CHECK_INT(c.port, 1723);
}

static void
test_file_and_errors(void)
{
	struct server_config c;
	char err[512];

	config_defaults(&c);
	CHECK_INT(config_parse_text(&c,
	    "# comment\n"
	    "\n"
	    "  pool 10.1.0.10-10.1.0.20   # trailing comment\n"
	    "dns 10.1.0.1\n"
	    "dns 10.1.0.2\n"
	    "auth mschap,mschapv2\n"
	    "mppe-bits 40,128\n"
	    "mss-clamp no\n"
	    "log-level debug\r\n", "t.conf", err, sizeof(err)), PK_OK);
	CHECK_STR(c.pool, "10.1.0.10-10.1.0.20");
	CHECK_INT(c.dns[0], 0x0a010001);
	CHECK_INT(c.dns[1], 0x0a010002);
	CHECK_INT(c.policy.auth, PK_AUTH_MSCHAPV1 | PK_AUTH_MSCHAPV2);
	CHECK_INT(c.policy.mppe_bits, PK_MPPE_40 | PK_MPPE_128);
	CHECK_INT(c.mss_clamp, 0);
	CHECK_INT(c.log_level, PK_LOG_DEBUG);

	/* Each error names the file and the line. */
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "pool 10.0.0.0/24\nbogus 1\n", "t.conf:2: unknown setting \"bogus\"" },
		{ "\n\nport 70000\n", "t.conf:3: port: \"70000\" is not a number" },
		{ "port -1\n", "t.conf:1: port:" },
		{ "port 12abc\n", "t.conf:1: port:" },
		{ "dns 1.2.3.4\ndns 1.2.3.5\ndns 1.2.3.6\n", "t.conf:3: dns: at most 2" },
		{ "auth pap,telnet\n", "t.conf:1: auth: unknown authentication method \"telnet\"" },
		{ "mppe maybe\n", "t.conf:1: mppe: unknown MPPE setting \"maybe\"" },
		{ "pool 10.0.0.0/8\n", "t.conf:1: pool: bad pool" },
		{ "pool 10.0.0.9-10.0.0.1\n", "t.conf:1: pool: bad pool range" },
		{ "listen\n", "t.conf:1: \"listen\" needs a value" },
		{ "ifname-prefix ../x\n", "t.conf:1: ifname-prefix:" },
		{ "mss-clamp sometimes\n", "t.conf:1: mss-clamp:" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&c);
		err[0] = '\0';
		CHECK(config_parse_text(&c, bad[i].text, "t.conf", err,
		    sizeof(err)) != PK_OK);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0) {
			fprintf(stderr, "case %zu: got \"%s\", want prefix \"%s\"\n",
			    i, err, bad[i].want);
			test_failures++;
		}
	}
}

static void
test_validate(void)
{
	struct server_config c;
	char err[256];

	config_defaults(&c);
	c.policy.auth = PK_AUTH_PAP;	/* MPPE still required */
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_ERR_CONFIG);
	CHECK(strstr(err, "MPPE") != NULL);
	c.policy.mppe = PK_MPPE_DENY;
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_OK);
}

static void
test_secrets(void)
{
	struct secrets s;
	const struct secret_entry *e;
	char err[256];

	CHECK_INT(secrets_parse(&s,
	    "# client server secret addresses\n"
	    "alice  *        \"pass word\"\n"
	    "bob    pptpkit  'it''s'   10.1.0.5\n"
	    "carol  other    x\n"
	    "dave   *        y  -\n"
	    "*      *        guestpw *\n"
	    "eve    *        a\\ b#c  # comment\n",
	    "secrets", err, sizeof(err)), PK_OK);
	CHECK_INT(s.n, 6);
	e = secrets_find(&s, "alice", "pptpkit");
	CHECK(e != NULL && strcmp(e->secret, "pass word") == 0);
	e = secrets_find(&s, "bob", "pptpkit");
	CHECK(e != NULL && strcmp(e->secret, "its") == 0);
	CHECK(e != NULL && e->static_ip == inet_addr("10.1.0.5"));
	/* carol's entry is for another server: the wildcard answers. */
	e = secrets_find(&s, "carol", "pptpkit");
	CHECK(e != NULL && strcmp(e->client, "*") == 0);
	e = secrets_find(&s, "dave", "pptpkit");
	CHECK(e != NULL && e->denied);
	e = secrets_find(&s, "eve", "pptpkit");
	CHECK(e != NULL && strcmp(e->secret, "a b") == 0);
	secrets_free(&s);

	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "alice *\n", "f:1: expected" },
		{ "ok * x\nbob * \"open\n", "f:2: unterminated quote" },
		{ "bob * @/etc/pw\n", "f:1: \"@file\" secrets" },
		{ "bob * x 1.2.3\n", "f:1: the 4th word is not" },
		{ "bob * x 1.2.3.4 1.2.3.5\n", "f:1: more than 4 words" },
		{ "bob * x\\\n", "f:1: backslash at end" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_INT(secrets_parse(&s, bad[i].text, "f", err, sizeof(err)),
		    PK_ERR_CONFIG);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0) {
			fprintf(stderr, "secrets case %zu: got \"%s\"\n", i, err);
			test_failures++;
		}
		/* The secret never appears in an error message. */
		CHECK(strstr(err, "open") == NULL);
		CHECK_INT(s.n, 0);
	}
}

static void
test_pool(void)
{
	struct pool p;
	uint32_t first, count, a, seen[6];
	char err[128];

	CHECK_INT(pool_parse("10.9.0.0/29", &first, &count, err, sizeof(err)),
	    PK_OK);
	CHECK_INT(first, 0x0a090001);
	CHECK_INT(count, 6);
	CHECK_INT(pool_parse("10.9.0.7-10.9.0.8", &first, &count, err,
	    sizeof(err)), PK_OK);
	CHECK_INT(count, 2);
	CHECK_INT(pool_parse("10.9.0.0", &first, &count, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK_INT(pool_parse("10.9.0.0/31", &first, &count, err, sizeof(err)),
	    PK_ERR_CONFIG);

	/* /29: .1-.6, .1 is the server's: five for clients. */
	CHECK_INT(pool_init(&p, 0x0a090001, 6, 0x0a090001), PK_OK);
	CHECK_INT(pool_claim(&p, 0x0a090004), PK_OK);
	CHECK_INT(pool_claim(&p, 0x0a090004), PK_ERR_DUPLICATE);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(pool_alloc(&p, &seen[i]), PK_OK);
		CHECK(seen[i] != 0x0a090001 && seen[i] != 0x0a090004);
		for (int j = 0; j < i; j++)
			CHECK(seen[i] != seen[j]);
	}
	CHECK_INT(pool_alloc(&p, &a), PK_ERR_FULL);
	pool_release(&p, seen[1]);
	CHECK_INT(pool_alloc(&p, &a), PK_OK);
	CHECK_INT(a, seen[1]);
	/* Outside the pool: not tracked. */
	CHECK_INT(pool_claim(&p, 0x0b000001), PK_OK);
	CHECK(!pool_contains(&p, 0x0b000001));
	pool_free(&p);
}

int
main(void)
{
	RUN(test_defaults_are_hardened);
	RUN(test_file_and_errors);
	RUN(test_validate);
	RUN(test_secrets);
	RUN(test_pool);
	TEST_MAIN_END();
}
