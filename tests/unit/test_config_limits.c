/*
 * test_config_limits.c - the limit settings of issue 12 in config.c:
 * documented defaults, every key settable from a file and checked for
 * range with file:line errors, and the cross-check of the lockout times.
 */
#include "config/config.h"
#include "core/err.h"
#include "test.h"

static void
test_defaults(void)
{
	struct server_config c;
	char err[256];

	config_defaults(&c);
	CHECK_INT(c.max_connections, 2048);
	CHECK_INT(c.max_preauth_conns, 256);
	CHECK_INT(c.max_connections_per_ip, 64);
	CHECK_INT(c.connect_rate, 20);
	CHECK_INT(c.connect_burst, 20);
	CHECK_INT(c.max_calls_per_conn, 4);
	CHECK_INT(c.max_preauth, 128);
	CHECK_INT(c.max_preauth_per_ip, 8);
	CHECK_INT(c.login_timeout, 30);
	CHECK_INT(c.idle_conn_timeout, 60);
	CHECK_INT(c.max_queued_output, 65536);
	CHECK_INT(c.lockout_failures_ip, 10);
	CHECK_INT(c.lockout_failures_user, 5);
	CHECK_INT(c.lockout_time, 60);
	CHECK_INT(c.lockout_max_time, 3600);
	CHECK_INT(c.lockout_window, 900);
	CHECK_INT(c.mppe_rekey_max, 256);
	CHECK_INT(c.mppe_rekey_rate, 1024);
	CHECK_INT(c.call_id_quarantine, 60);
	CHECK_INT(c.anti_spoofing, 1);
	CHECK_INT(c.max_control_clients, 8);
	CHECK_INT(c.control_timeout, 5);
	CHECK_STR(c.control_group, "");
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_OK);
}

static void
test_set_all(void)
{
	static const char text[] =
	    "max-connections 300\n"
	    "max-preauth-connections 40\n"
	    "max-connections-per-ip 0\n"
	    "connect-burst 5\n"
	    "max-calls-per-connection 1\n"
	    "max-preauth 9\n"
	    "max-preauth-per-ip 2\n"
	    "login-timeout 12\n"
	    "idle-connection-timeout 33\n"
	    "max-queued-output 4096\n"
	    "lockout-failures-per-ip 0\n"
	    "lockout-failures-per-user 3\n"
	    "lockout-time 10\n"
	    "lockout-max-time 20\n"
	    "lockout-window 30\n"
	    "mppe-rekey-max 16\n"
	    "mppe-rekey-rate 0\n"
	    "call-id-quarantine 5\n"
	    "anti-spoofing no\n"
	    "control-group pptpadm\n"
	    "max-control-clients 2\n"
	    "control-timeout 9\n";
	struct server_config c;
	char err[256];

	config_defaults(&c);
	CHECK_INT(config_parse_text(&c, text, "t.conf", err, sizeof(err)),
	    PK_OK);
	CHECK_INT(c.max_connections, 300);
	CHECK_INT(c.max_preauth_conns, 40);
	CHECK_INT(c.max_connections_per_ip, 0);
	CHECK_INT(c.connect_burst, 5);
	CHECK_INT(c.max_calls_per_conn, 1);
	CHECK_INT(c.max_preauth, 9);
	CHECK_INT(c.max_preauth_per_ip, 2);
	CHECK_INT(c.login_timeout, 12);
	CHECK_INT(c.idle_conn_timeout, 33);
	CHECK_INT(c.max_queued_output, 4096);
	CHECK_INT(c.lockout_failures_ip, 0);
	CHECK_INT(c.lockout_failures_user, 3);
	CHECK_INT(c.lockout_time, 10);
	CHECK_INT(c.lockout_max_time, 20);
	CHECK_INT(c.lockout_window, 30);
	CHECK_INT(c.mppe_rekey_max, 16);
	CHECK_INT(c.mppe_rekey_rate, 0);
	CHECK_INT(c.call_id_quarantine, 5);
	CHECK_INT(c.anti_spoofing, 0);
	CHECK_STR(c.control_group, "pptpadm");
	CHECK_INT(c.max_control_clients, 2);
	CHECK_INT(c.control_timeout, 9);
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_OK);
}

static void
test_ranges(void)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "max-connections 0\n", "t.conf:1: max-connections: \"0\"" },
		{ "max-calls-per-connection 17\n",
		    "t.conf:1: max-calls-per-connection: \"17\"" },
		{ "login-timeout 1\n", "t.conf:1: login-timeout: \"1\"" },
		{ "max-queued-output 100\n",
		    "t.conf:1: max-queued-output: \"100\"" },
		{ "mppe-rekey-max 0\n", "t.conf:1: mppe-rekey-max: \"0\"" },
		{ "mppe-rekey-max 4097\n", "t.conf:1: mppe-rekey-max" },
		{ "\nanti-spoofing maybe\n", "t.conf:2: anti-spoofing" },
		{ "max-preauth -1\n", "t.conf:1: max-preauth: \"-1\"" },
	};
	struct server_config c;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&c);
		err[0] = '\0';
		CHECK_INT(config_parse_text(&c, bad[i].text, "t.conf", err,
		    sizeof(err)), PK_ERR_CONFIG);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0) {
			fprintf(stderr, "case %zu: got \"%s\"\n", i, err);
			test_failures++;
		}
	}
	config_defaults(&c);
	c.lockout_time = 100;
	c.lockout_max_time = 50;
	CHECK_INT(config_validate(&c, err, sizeof(err)), PK_ERR_CONFIG);
	CHECK(strstr(err, "lockout-max-time") != NULL);
	CHECK(config_known_key("max-preauth-per-ip"));
	CHECK(config_known_key("control-group"));
}

int
main(void)
{
	RUN(test_defaults);
	RUN(test_set_all);
	RUN(test_ranges);
	TEST_MAIN_END();
}
