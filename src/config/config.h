/*
 * config.h - pptpkitd's settings: a keyword table shared by the config
 * file ("key value" lines) and the command line ("--key value"), so every
 * setting has a flag and every error names its source: "file:line: ..."
 * for the file, "--key: ..." for a flag.
 *
 * config_defaults() is the embedded configuration: with nothing but a
 * secrets file the server runs, hardened (MS-CHAPv2 + MPPE-128 required).
 */
#ifndef PK_CONFIG_CONFIG_H
#define PK_CONFIG_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

#define CONFIG_PATH_MAX 256
#define CONFIG_NAME_MAX 64
#define CONFIG_DNS_MAX 2

struct server_config {
	char listen[64];		/* address to listen on, "0.0.0.0" */
	uint16_t port;			/* 1723 */
	char secrets[CONFIG_PATH_MAX];	/* chap-secrets path */
	char name[CONFIG_NAME_MAX];	/* our CHAP name / secrets server field */
	char pool[64];			/* as written, parsed by pool_parse */
	uint32_t local_ip;		/* host order; 0 = first pool address */
	uint32_t dns[CONFIG_DNS_MAX];	/* host order, 0 = unset */
	uint32_t nbns[CONFIG_DNS_MAX];
	struct pk_policy policy;
	int mtu;			/* TUN MTU */
	int mru;			/* PPP MRU we ask for */
	int mss_clamp;			/* rewrite TCP MSS in SYNs */
	char ifname_prefix[12];		/* "pptp" -> pptp0, pptp1 ... */
	unsigned max_sessions;
	unsigned max_sessions_per_ip;	/* 0 = no limit */
	unsigned connect_rate;		/* new TCP connections/s per source */
	unsigned echo_interval;		/* s: PPTP echo after idle */
	unsigned lcp_echo_interval;	/* s */
	unsigned lcp_echo_failures;
	unsigned idle_timeout;		/* s without data; 0 = never */
	unsigned handshake_timeout;	/* s for each phase to complete */
	char control_socket[CONFIG_PATH_MAX];
	int ipv6;			/* negotiate IPV6CP */
	int log_level;			/* PK_LOG_* */
	/* Limits on strangers (policy/guard.h; docs/pptpkitd.conf.example):
	 * every one is logged as "limit KEY: ..." when it is hit. */
	unsigned connect_burst;		/* connect-rate bucket depth */
	unsigned max_connections;	/* control connections in all */
	unsigned max_connections_per_ip;	/* 0 = no limit */
	unsigned max_preauth_conns;	/* connections not yet authenticated */
	unsigned max_calls_per_conn;	/* calls on one connection */
	unsigned max_preauth;		/* unauthenticated calls in all */
	unsigned max_preauth_per_ip;	/* 0 = no limit */
	unsigned login_timeout;		/* s to authenticate a call */
	unsigned idle_conn_timeout;	/* s a connection may carry no call */
	unsigned max_queued_output;	/* bytes queued to a slow reader */
	unsigned lockout_failures_ip;	/* 0 = no source lockout */
	unsigned lockout_failures_user;	/* 0 = no user lockout */
	unsigned lockout_time;		/* s, first lockout */
	unsigned lockout_max_time;	/* s, longest (doubling) */
	unsigned lockout_window;	/* s after which failures are forgotten */
	unsigned mppe_rekey_max;	/* stateless key changes per packet */
	unsigned mppe_rekey_rate;	/* per session per second beyond that */
	unsigned call_id_quarantine;	/* s before a Call ID is reused */
	int anti_spoofing;		/* drop tunnelled packets not from the
					 * client's own address */
	char control_group[CONFIG_NAME_MAX];	/* may use the socket too */
	unsigned max_control_clients;
	unsigned control_timeout;	/* s for a request line */
};

void config_defaults(struct server_config *c);

/*
 * Sets one key from its textual value. where is "file:line" or "--key"
 * and prefixes any error written to err. Returns 0, PK_ERR_NOT_FOUND for
 * an unknown key, or PK_ERR_CONFIG for a bad value.
 */
int config_set(struct server_config *c, const char *key, const char *value,
    const char *where, char *err, size_t errlen);
/* Parses "key value" lines ('#' comments, blank lines ignored). */
int config_parse_text(struct server_config *c, const char *text,
    const char *file, char *err, size_t errlen);
int config_load(struct server_config *c, const char *path, char *err,
    size_t errlen);
/* Cross-field checks (policy consistency, pool vs local address). */
int config_validate(const struct server_config *c, char *err, size_t errlen);
/* 1 if key names a setting (used for the command line). */
int config_known_key(const char *key);
/* Writes the list of keys with one-line help, for --help. */
void config_usage(void (*emit)(const char *line, void *arg), void *arg);

#endif
