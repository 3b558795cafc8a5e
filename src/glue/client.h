/*
 * client.h - `pptpkit connect`: the PPTP client (PNS) on Linux, entirely
 * in user space: TCP 1723 for control, a raw GRE socket for data, a TUN
 * device for IP.
 */
#ifndef PK_GLUE_CLIENT_H
#define PK_GLUE_CLIENT_H

#include <stdint.h>

#include "core/limits.h"
#include "policy/policy.h"

#define CLIENT_ROUTES_MAX 32

struct client_options {
	const char *server;
	uint16_t port;
	const char *user;
	const char *password;		/* UTF-8; the caller wipes it */
	struct pk_policy policy;
	const char *ifname;		/* "pptp%d" by default */
	int mtu;
	int default_route;
	int reconnect;
	int ipv6;
	struct {
		uint32_t addr;		/* network order */
		int plen;
	} routes[CLIENT_ROUTES_MAX];
	int n_routes;
};

/* Runs until the tunnel ends (or, with reconnect, until a signal).
 * Returns the process exit code: 0 after a requested disconnect, 2 for an
 * authentication failure, 1 for anything else. */
int client_run(const struct client_options *opt);

#endif
