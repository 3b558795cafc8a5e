/*
 * pptpkitd.c - the PPTP server's command line: an embedded default
 * configuration, an optional config file (-c), and a --flag for every
 * setting, applied in that order. -n checks and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/secrets.h"
#include "core/err.h"
#include "core/log.h"
#include "glue/server.h"
#include "policy/policy.h"

#define PPTPKIT_VERSION "0.1.0"

static void
print_line(const char *line, void *arg)
{
	fprintf(arg, "%s\n", line);
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkitd [-c FILE] [-n] [--KEY VALUE]...\n"
	    "\n"
	    "PPTP server (RFC 2637) in user space: TCP 1723, raw GRE, one TUN\n"
	    "interface per session. PPTP is cryptographically broken; run it\n"
	    "only where you must, and plan its retirement.\n"
	    "\n"
	    "  -c FILE        read settings from FILE (\"key value\" lines)\n"
	    "  -n             check the configuration and the secrets, then exit\n"
	    "  -d, --debug    log protocol detail (same as --log-level debug)\n"
	    "  -h, --help     this text\n"
	    "  -V, --version  print the version\n"
	    "\n"
	    "Settings (each also a config file key). A limit that is hit is\n"
	    "logged as \"limit KEY: ...\", KEY being its setting; see\n"
	    "docs/pptpkitd.conf.example and `pptpkit show stats`.\n");
	config_usage(print_line, f);
}

static void
warn_print(const char *msg, void *arg)
{
	fprintf(stderr, "warning: weak policy: %s\n", msg);
}

int
main(int argc, char **argv)
{
	struct server_config cfg;
	const char *config_file = NULL;
	char err[1024];
	int check_only = 0, debug = 0;

	config_defaults(&cfg);
	/* First pass: the config file, so flags override it. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			config_file = argv[++i];
	}
	if (config_file != NULL && config_load(&cfg, config_file, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "pptpkitd: %s\n", err);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char key[64];
		const char *value, *eq;

		if (strcmp(a, "-c") == 0) {
			if (++i >= argc) {
				fprintf(stderr, "pptpkitd: -c needs a file\n");
				return 64;
			}
			continue;
		}
		if (strcmp(a, "-n") == 0) {
			check_only = 1;
			continue;
		}
		if (strcmp(a, "-d") == 0 || strcmp(a, "--debug") == 0) {
			debug = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("pptpkitd %s\n", PPTPKIT_VERSION);
			return 0;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "pptpkitd: unexpected argument \"%s\" "
			    "(see --help)\n", a);
			return 64;
		}
		/* --key value or --key=value */
		eq = strchr(a + 2, '=');
		if (eq != NULL) {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - a - 2),
			    a + 2);
			value = eq + 1;
		} else {
			snprintf(key, sizeof(key), "%s", a + 2);
			if (!config_known_key(key)) {
				fprintf(stderr, "pptpkitd: unknown option %s "
				    "(see --help)\n", a);
				return 64;
			}
			if (i + 1 >= argc) {
				fprintf(stderr, "pptpkitd: %s needs a value\n",
				    a);
				return 64;
			}
			value = argv[++i];
		}
		char where[80];

		snprintf(where, sizeof(where), "--%s", key);
		if (config_set(&cfg, key, value, where, err, sizeof(err)) != 0) {
			fprintf(stderr, "pptpkitd: %s\n", err);
			return 64;
		}
	}
	if (debug)
		cfg.log_level = PK_LOG_DEBUG;
	if (config_validate(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkitd: %s%s%s\n", config_file ?
		    config_file : "", config_file ? ": " : "", err);
		return 1;
	}
	pk_log_set_level(cfg.log_level);
	if (check_only) {
		struct secrets s;
		int world = 0;

		policy_warnings(&cfg.policy, warn_print, NULL);
		if (secrets_load(&s, cfg.secrets, &world, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "pptpkitd: %s\n", err);
			return 1;
		}
		if (world)
			fprintf(stderr, "warning: %s is readable by its group; "
			    "chmod 600 it unless that is meant\n",
			    cfg.secrets);
		printf("configuration OK: %zu users in %s\n", s.n,
		    cfg.secrets);
		secrets_free(&s);
		return 0;
	}
	pk_log_set_timestamps(1);
	return server_run(&cfg);
}
