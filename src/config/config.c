/* config.c - the keyword table of pptpkitd's settings (see config.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/pool.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"

#define CONFIG_FILE_MAX (1024 * 1024)

void
config_defaults(struct server_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "0.0.0.0");
	c->port = 1723;
	snprintf(c->secrets, sizeof(c->secrets), "/etc/ppp/chap-secrets");
	snprintf(c->name, sizeof(c->name), "pptpkit");
	/* RFC 2544's benchmarking range: never routed on the Internet, so
	 * an unconfigured server cannot clash with real networks. */
	snprintf(c->pool, sizeof(c->pool), "198.19.254.0/24");
	policy_default(&c->policy);
	/* 1500 - 20 (IP) - 16 (GRE with seq+ack) - 4 (PPP) - 2 (MPPE)
	 * = 1458; 1400 leaves room for PPPoE and other encapsulations
	 * between the client and us. */
	c->mtu = 1400;
	c->mru = 1400;
	c->mss_clamp = 1;
	snprintf(c->ifname_prefix, sizeof(c->ifname_prefix), "pptp");
	c->max_sessions = 1024;
	c->max_sessions_per_ip = 0;
	c->connect_rate = 20;
	c->echo_interval = 60;
	c->lcp_echo_interval = 30;
	c->lcp_echo_failures = 4;
	c->idle_timeout = 0;
	c->handshake_timeout = 30;
	snprintf(c->control_socket, sizeof(c->control_socket),
	    "/run/pptpkitd.sock");
	c->ipv6 = 0;
	c->log_level = PK_LOG_INFO;
	c->connect_burst = 20;
	c->max_connections = 2048;
	c->max_preauth_conns = 256;
	c->max_connections_per_ip = 64;
	c->max_calls_per_conn = 4;
	c->max_preauth = 128;
	c->max_preauth_per_ip = 8;
	c->login_timeout = 30;
	c->idle_conn_timeout = 60;
	c->max_queued_output = 64 * 1024;
	c->lockout_failures_ip = 10;
	c->lockout_failures_user = 5;
	c->lockout_time = 60;
	c->lockout_max_time = 3600;
	c->lockout_window = 900;
	c->mppe_rekey_max = 256;
	c->mppe_rekey_rate = 1024;
	c->call_id_quarantine = 60;
	c->anti_spoofing = 1;
	c->max_control_clients = 8;
	c->control_timeout = 5;
}

typedef int config_setter(struct server_config *c, const char *v, char *err,
    size_t errlen);

static int
set_string(char *dst, size_t cap, const char *v, char *err, size_t errlen)
{
	if (strlen(v) >= cap || v[0] == '\0') {
		snprintf(err, errlen, "value must be 1 to %zu characters",
		    cap - 1);
		return PK_ERR_CONFIG;
	}
	memcpy(dst, v, strlen(v) + 1);
	return PK_OK;
}

static int
parse_uint(const char *v, unsigned long min, unsigned long max,
    unsigned long *out, char *err, size_t errlen)
{
	char *end;
	unsigned long n;

	errno = 0;
	if (v[0] == '-' || v[0] == '\0')
		goto bad;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		goto bad;
	*out = n;
	return PK_OK;
bad:
	snprintf(err, errlen, "\"%s\" is not a number from %lu to %lu", v, min,
	    max);
	return PK_ERR_CONFIG;
}

static int
parse_bool(const char *v, int *out, char *err, size_t errlen)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0 ||
	    strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = 0;
	else {
		snprintf(err, errlen, "\"%s\" is not yes or no", v);
		return PK_ERR_CONFIG;
	}
	return PK_OK;
}

static int
parse_ipv4(const char *v, uint32_t *out, char *err, size_t errlen)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1) {
		snprintf(err, errlen, "\"%s\" is not an IPv4 address", v);
		return PK_ERR_CONFIG;
	}
	*out = ntohl(a.s_addr);
	return PK_OK;
}

/* "dns A" may be given twice; a third is an error, not a silent drop. */
static int
add_server(uint32_t list[CONFIG_DNS_MAX], const char *v, char *err,
    size_t errlen)
{
	uint32_t a;
	int r;

	if ((r = parse_ipv4(v, &a, err, errlen)) != 0)
		return r;
	for (int i = 0; i < CONFIG_DNS_MAX; i++) {
		if (list[i] == 0) {
			list[i] = a;
			return PK_OK;
		}
	}
	snprintf(err, errlen, "at most %d servers may be given",
	    CONFIG_DNS_MAX);
	return PK_ERR_CONFIG;
}

#define UINT_SETTER(fn, field, min, max)				\
static int								\
fn(struct server_config *c, const char *v, char *err, size_t errlen)	\
{									\
	unsigned long n;						\
	int r;								\
									\
	if ((r = parse_uint(v, min, max, &n, err, errlen)) != 0)	\
		return r;						\
	c->field = (unsigned)n;						\
	return PK_OK;							\
}

UINT_SETTER(set_max_sessions, max_sessions, 1, 100000)
UINT_SETTER(set_max_per_ip, max_sessions_per_ip, 0, 100000)
UINT_SETTER(set_connect_rate, connect_rate, 0, 100000)
UINT_SETTER(set_echo_interval, echo_interval, 0, 3600)
UINT_SETTER(set_lcp_echo_interval, lcp_echo_interval, 0, 3600)
UINT_SETTER(set_lcp_echo_failures, lcp_echo_failures, 1, 100)
UINT_SETTER(set_idle_timeout, idle_timeout, 0, 86400 * 7)
UINT_SETTER(set_handshake_timeout, handshake_timeout, 5, 600)
UINT_SETTER(set_connect_burst, connect_burst, 1, 100000)
UINT_SETTER(set_max_connections, max_connections, 1, 1000000)
UINT_SETTER(set_max_connections_per_ip, max_connections_per_ip, 0, 1000000)
UINT_SETTER(set_max_preauth_conns, max_preauth_conns, 1, 1000000)
UINT_SETTER(set_max_calls_per_conn, max_calls_per_conn, 1, PK_CTRL_CALLS_MAX)
UINT_SETTER(set_max_preauth, max_preauth, 1, 100000)
UINT_SETTER(set_max_preauth_per_ip, max_preauth_per_ip, 0, 100000)
UINT_SETTER(set_login_timeout, login_timeout, 2, 600)
UINT_SETTER(set_idle_conn_timeout, idle_conn_timeout, 2, 86400)
UINT_SETTER(set_max_queued_output, max_queued_output, 1024, 64 * 1024 * 1024)
UINT_SETTER(set_lockout_failures_ip, lockout_failures_ip, 0, 100000)
UINT_SETTER(set_lockout_failures_user, lockout_failures_user, 0, 100000)
UINT_SETTER(set_lockout_time, lockout_time, 1, 86400)
UINT_SETTER(set_lockout_max_time, lockout_max_time, 1, 86400 * 7)
UINT_SETTER(set_lockout_window, lockout_window, 1, 86400 * 7)
UINT_SETTER(set_mppe_rekey_max, mppe_rekey_max, 1, 4096)
UINT_SETTER(set_mppe_rekey_rate, mppe_rekey_rate, 0, 1000000)
UINT_SETTER(set_call_id_quarantine, call_id_quarantine, 0, 3600)
UINT_SETTER(set_max_control_clients, max_control_clients, 1, 1024)
UINT_SETTER(set_control_timeout, control_timeout, 1, 3600)

static int
set_port(struct server_config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	int r;

	if ((r = parse_uint(v, 1, 65535, &n, err, errlen)) != 0)
		return r;
	c->port = (uint16_t)n;
	return PK_OK;
}

static int
set_mtu(struct server_config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	int r;

	if ((r = parse_uint(v, 576, 1500, &n, err, errlen)) != 0)
		return r;
	c->mtu = (int)n;
	return PK_OK;
}

static int
set_mru(struct server_config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	int r;

	if ((r = parse_uint(v, 576, 1500, &n, err, errlen)) != 0)
		return r;
	c->mru = (int)n;
	return PK_OK;
}

static int
set_listen(struct server_config *c, const char *v, char *err, size_t errlen)
{
	uint32_t a;
	int r;

	if ((r = parse_ipv4(v, &a, err, errlen)) != 0)
		return r;
	return set_string(c->listen, sizeof(c->listen), v, err, errlen);
}

static int
set_secrets(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return set_string(c->secrets, sizeof(c->secrets), v, err, errlen);
}

static int
set_name(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return set_string(c->name, sizeof(c->name), v, err, errlen);
}

static int
set_pool(struct server_config *c, const char *v, char *err, size_t errlen)
{
	uint32_t first, count;
	int r;

	if ((r = pool_parse(v, &first, &count, err, errlen)) != 0)
		return r;
	return set_string(c->pool, sizeof(c->pool), v, err, errlen);
}

static int
set_local_ip(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return parse_ipv4(v, &c->local_ip, err, errlen);
}

static int
set_dns(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return add_server(c->dns, v, err, errlen);
}

static int
set_nbns(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return add_server(c->nbns, v, err, errlen);
}

static int
set_auth(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return policy_parse_auth(v, &c->policy.auth, err, errlen);
}

static int
set_mppe(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return policy_parse_mppe(v, &c->policy.mppe, err, errlen);
}

static int
set_mppe_bits(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	return policy_parse_bits(v, &c->policy.mppe_bits, err, errlen);
}

static int
set_mppe_stateful(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	return policy_parse_stateful(v, &c->policy.mppe_stateful, err, errlen);
}

static int
set_mss_clamp(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	return parse_bool(v, &c->mss_clamp, err, errlen);
}

static int
set_ipv6(struct server_config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool(v, &c->ipv6, err, errlen);
}

static int
set_ifname_prefix(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	for (const char *p = v; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_')) {
			snprintf(err, errlen, "interface prefix may hold only "
			    "a-z, 0-9, '-' and '_'");
			return PK_ERR_CONFIG;
		}
	}
	/* IFNAMSIZ is 16 with the NUL: leave room for five digits. */
	return set_string(c->ifname_prefix, 11, v, err, errlen);
}

static int
set_control_socket(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	/* sun_path holds 108 bytes. */
	return set_string(c->control_socket, 108, v, err, errlen);
}

static int
set_anti_spoofing(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	return parse_bool(v, &c->anti_spoofing, err, errlen);
}

static int
set_control_group(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	return set_string(c->control_group, sizeof(c->control_group), v, err,
	    errlen);
}

static int
set_log_level(struct server_config *c, const char *v, char *err,
    size_t errlen)
{
	for (int i = PK_LOG_ERR; i <= PK_LOG_DEBUG; i++) {
		if (strcmp(v, pk_log_level_name(i)) == 0) {
			c->log_level = i;
			return PK_OK;
		}
	}
	snprintf(err, errlen, "\"%s\" is not error, warning, notice, info or "
	    "debug", v);
	return PK_ERR_CONFIG;
}

static const struct config_key {
	const char *key;
	config_setter *set;
	const char *help;
} config_keys[] = {
	{ "listen", set_listen, "ADDR  address for TCP 1723 (0.0.0.0)" },
	{ "port", set_port, "N  control port (1723)" },
	{ "secrets", set_secrets, "FILE  chap-secrets (/etc/ppp/chap-secrets)" },
	{ "name", set_name, "NAME  our name in CHAP and chap-secrets (pptpkit)" },
	{ "pool", set_pool, "CIDR|A-B  client addresses (198.19.254.0/24)" },
	{ "local-ip", set_local_ip, "ADDR  server tunnel address (first of pool)" },
	{ "dns", set_dns, "ADDR  DNS server pushed to clients (up to 2)" },
	{ "nbns", set_nbns, "ADDR  WINS server pushed to clients (up to 2)" },
	{ "auth", set_auth, "LIST  pap,chap,mschap,mschapv2 (mschapv2)" },
	{ "mppe", set_mppe, "require|allow|deny (require)" },
	{ "mppe-bits", set_mppe_bits, "LIST  40,56,128 (128)" },
	{ "mppe-stateful", set_mppe_stateful, "deny|allow|require (allow)" },
	{ "mtu", set_mtu, "N  tunnel MTU (1400)" },
	{ "mru", set_mru, "N  PPP MRU asked of clients (1400)" },
	{ "mss-clamp", set_mss_clamp, "yes|no  clamp TCP MSS to the MTU (yes)" },
	{ "ifname-prefix", set_ifname_prefix, "NAME  TUN name prefix (pptp)" },
	{ "max-sessions", set_max_sessions, "N  authenticated sessions (1024)" },
	{ "max-sessions-per-ip", set_max_per_ip,
	    "N  authenticated, per client address (0: none)" },
	{ "connect-rate", set_connect_rate, "N  TCP connections/s per source (20)" },
	{ "echo-interval", set_echo_interval, "S  PPTP echo after idle (60)" },
	{ "lcp-echo-interval", set_lcp_echo_interval, "S  LCP echo interval (30)" },
	{ "lcp-echo-failures", set_lcp_echo_failures, "N  missed LCP echoes (4)" },
	{ "idle-timeout", set_idle_timeout, "S  end idle sessions (0: never)" },
	{ "handshake-timeout", set_handshake_timeout, "S  per phase (30)" },
	{ "control-socket", set_control_socket, "PATH  (/run/pptpkitd.sock)" },
	{ "ipv6", set_ipv6, "yes|no  negotiate IPV6CP (no)" },
	{ "log-level", set_log_level, "error|warning|notice|info|debug (info)" },
	/* Limits on strangers; each is logged as "limit KEY: ..." when hit. */
	{ "connect-burst", set_connect_burst,
	    "N  connect-rate bucket depth (20)" },
	{ "max-connections", set_max_connections,
	    "N  control connections in all (2048)" },
	{ "max-preauth-connections", set_max_preauth_conns,
	    "N  connections without an authenticated call (256)" },
	{ "max-connections-per-ip", set_max_connections_per_ip,
	    "N  per client address (64; 0: none)" },
	{ "max-calls-per-connection", set_max_calls_per_conn,
	    "N  calls on one connection (4)" },
	{ "max-preauth", set_max_preauth,
	    "N  calls not yet authenticated, in all (128)" },
	{ "max-preauth-per-ip", set_max_preauth_per_ip,
	    "N  per client address (8; 0: none)" },
	{ "login-timeout", set_login_timeout,
	    "S  to authenticate a call (30)" },
	{ "idle-connection-timeout", set_idle_conn_timeout,
	    "S  a connection may carry no call (60)" },
	{ "max-queued-output", set_max_queued_output,
	    "BYTES  unread replies before closing (65536)" },
	{ "lockout-failures-per-ip", set_lockout_failures_ip,
	    "N  failed logins locking an address (10; 0: off)" },
	{ "lockout-failures-per-user", set_lockout_failures_user,
	    "N  failed logins locking a user (5; 0: off)" },
	{ "lockout-time", set_lockout_time,
	    "S  first lockout, doubled each time (60)" },
	{ "lockout-max-time", set_lockout_max_time,
	    "S  longest lockout (3600)" },
	{ "lockout-window", set_lockout_window,
	    "S  failures older are forgotten (900)" },
	{ "mppe-rekey-max", set_mppe_rekey_max,
	    "N  MPPE key changes one packet may force (256)" },
	{ "mppe-rekey-rate", set_mppe_rekey_rate,
	    "N  more per session per second (1024; 0: no cap)" },
	{ "call-id-quarantine", set_call_id_quarantine,
	    "S  before a Call ID is reused (60)" },
	{ "anti-spoofing", set_anti_spoofing,
	    "yes|no  drop spoofed tunnel sources (yes)" },
	{ "control-group", set_control_group,
	    "GROUP  may use the control socket, besides root" },
	{ "max-control-clients", set_max_control_clients,
	    "N  control socket clients at once (8)" },
	{ "control-timeout", set_control_timeout,
	    "S  for a control request (5)" },
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

int
config_known_key(const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return 1;
	return 0;
}

void
config_usage(void (*emit)(const char *line, void *arg), void *arg)
{
	char line[160];

	for (size_t i = 0; i < NKEYS; i++) {
		snprintf(line, sizeof(line), "  --%-20s %s", config_keys[i].key,
		    config_keys[i].help);
		emit(line, arg);
	}
}

int
config_set(struct server_config *c, const char *key, const char *value,
    const char *where, char *err, size_t errlen)
{
	char msg[256];

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(config_keys[i].key, key) != 0)
			continue;
		if (value == NULL || value[0] == '\0') {
			snprintf(err, errlen, "%s: \"%s\" needs a value", where,
			    key);
			return PK_ERR_CONFIG;
		}
		msg[0] = '\0';
		if (config_keys[i].set(c, value, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: %s: %s", where, key, msg);
			return PK_ERR_CONFIG;
		}
		return PK_OK;
	}
	snprintf(err, errlen, "%s: unknown setting \"%s\"", where, key);
	return PK_ERR_NOT_FOUND;
}

int
config_parse_text(struct server_config *c, const char *text, const char *file,
    char *err, size_t errlen)
{
	const char *p = text;
	int line = 0;

	while (*p != '\0') {
		char buf[512], where[CONFIG_PATH_MAX + 16];
		const char *eol = strchr(p, '\n');
		size_t len = eol != NULL ? (size_t)(eol - p) : strlen(p);
		char *key, *value, *end;
		int r;

		line++;
		snprintf(where, sizeof(where), "%s:%d", file, line);
		if (len >= sizeof(buf)) {
			snprintf(err, errlen, "%s: line too long", where);
			return PK_ERR_CONFIG;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (eol != NULL ? 1 : 0);
		if ((end = strchr(buf, '#')) != NULL)
			*end = '\0';
		key = buf + strspn(buf, " \t\r");
		end = key + strlen(key);
		while (end > key && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\r'))
			*--end = '\0';
		if (*key == '\0')
			continue;
		value = key + strcspn(key, " \t");
		if (*value != '\0') {
			*value++ = '\0';
			value += strspn(value, " \t");
		}
		if (*value == '\0') {
			snprintf(err, errlen, "%s: \"%s\" needs a value", where,
			    key);
			return PK_ERR_CONFIG;
		}
		if ((r = config_set(c, key, value, where, err, errlen)) != 0)
			return PK_ERR_CONFIG;
	}
	return PK_OK;
}

int
config_load(struct server_config *c, const char *path, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;
	int r;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return PK_ERR_CONFIG;
	}
	if ((text = malloc(CONFIG_FILE_MAX + 1)) == NULL) {
		fclose(f);
		return PK_ERR_NOMEM;
	}
	n = fread(text, 1, CONFIG_FILE_MAX + 1, f);
	fclose(f);
	if (n > CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s: file too large", path);
		free(text);
		return PK_ERR_CONFIG;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		r = PK_ERR_CONFIG;
	} else
		r = config_parse_text(c, text, path, err, errlen);
	free(text);
	return r;
}

int
config_validate(const struct server_config *c, char *err, size_t errlen)
{
	char msg[256];
	uint32_t first, count;

	if (policy_validate(&c->policy, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "policy: %s", msg);
		return PK_ERR_CONFIG;
	}
	if (pool_parse(c->pool, &first, &count, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "pool: %s", msg);
		return PK_ERR_CONFIG;
	}
	if (count < 2 && c->local_ip == 0) {
		snprintf(err, errlen, "pool: too small to hold the server's "
		    "address and a client; set local-ip");
		return PK_ERR_CONFIG;
	}
	if (c->lockout_max_time < c->lockout_time) {
		snprintf(err, errlen, "lockout-max-time %u is shorter than "
		    "lockout-time %u", c->lockout_max_time, c->lockout_time);
		return PK_ERR_CONFIG;
	}
	if (c->mru > c->mtu + 100 || c->mtu < 576) {
		snprintf(err, errlen, "mtu %d / mru %d are inconsistent",
		    c->mtu, c->mru);
		return PK_ERR_CONFIG;
	}
	return PK_OK;
}
