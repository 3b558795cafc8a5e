/* scan_targets.c - parsing and enumerating scan targets (scan_targets.h). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include "audit/scan_targets.h"
#include "core/err.h"

void
scan_targets_init(struct scan_targets *t, uint64_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
}

/* strtoul with the whole string and a range, never atoi. */
static int
parse_num(const char *s, unsigned long lo, unsigned long hi,
    unsigned long *v)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	*v = strtoul(s, &end, 10);
	return *end == '\0' && *v >= lo && *v <= hi ? 0 : -1;
}

static int
resolve(const char *host, uint32_t *addr_host_order)
{
	struct addrinfo hints, *res = NULL;
	struct in_addr a;

	if (inet_pton(AF_INET, host, &a) == 1) {
		*addr_host_order = ntohl(a.s_addr);
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
		return -1;
	*addr_host_order = ntohl(((struct sockaddr_in *)(void *)
	    res->ai_addr)->sin_addr.s_addr);
	freeaddrinfo(res);
	return 0;
}

int
scan_targets_add(struct scan_targets *t, const char *arg,
    uint16_t default_port, char *err, size_t errlen)
{
	char host[256], *colon, *slash;
	unsigned long port = default_port, plen = 32;
	struct scan_target_spec *s;
	uint32_t addr, mask;
	uint64_t n;

	if (t->n >= SCAN_SPECS_MAX) {
		snprintf(err, errlen, "%s: more than %d targets", arg,
		    SCAN_SPECS_MAX);
		return PK_ERR_CONFIG;
	}
	if (strlen(arg) >= sizeof(host) || arg[0] == '\0') {
		snprintf(err, errlen, "\"%s\": not a target", arg);
		return PK_ERR_CONFIG;
	}
	snprintf(host, sizeof(host), "%s", arg);
	if ((colon = strrchr(host, ':')) != NULL) {
		*colon = '\0';
		if (parse_num(colon + 1, 1, 65535, &port) != 0) {
			snprintf(err, errlen, "%s: port must be 1-65535", arg);
			return PK_ERR_CONFIG;
		}
	}
	if ((slash = strchr(host, '/')) != NULL) {
		*slash = '\0';
		if (parse_num(slash + 1, 0, 32, &plen) != 0) {
			snprintf(err, errlen, "%s: prefix must be 0-32", arg);
			return PK_ERR_CONFIG;
		}
		/* A range needs an address, not a name. */
		struct in_addr a;

		if (inet_pton(AF_INET, host, &a) != 1) {
			snprintf(err, errlen, "%s: a range needs an IPv4 "
			    "address before the /", arg);
			return PK_ERR_CONFIG;
		}
	}
	if (resolve(host, &addr) != 0) {
		snprintf(err, errlen, "%s: cannot resolve \"%s\" to an IPv4 "
		    "address", arg, host);
		return PK_ERR_CONFIG;
	}
	mask = plen == 0 ? 0 : ~0u << (32 - plen);
	s = &t->specs[t->n];
	s->first = addr & mask;
	s->last = s->first | ~mask;
	s->port = (uint16_t)port;
	if (plen <= 30) {
		s->first++;	/* network address */
		s->last--;	/* broadcast address */
	}
	n = (uint64_t)s->last - s->first + 1;
	if (t->count + n > t->max) {
		snprintf(err, errlen, "%s: %llu addresses would exceed the "
		    "limit of %llu (--max-targets)", arg,
		    (unsigned long long)(t->count + n),
		    (unsigned long long)t->max);
		return PK_ERR_CONFIG;
	}
	t->count += n;
	t->n++;
	return PK_OK;
}

void
scan_targets_get(const struct scan_targets *t, uint64_t idx, uint32_t *addr,
    uint16_t *port)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct scan_target_spec *s = &t->specs[i];
		uint64_t n = (uint64_t)s->last - s->first + 1;

		if (idx < n) {
			*addr = htonl((uint32_t)(s->first + idx));
			*port = s->port;
			return;
		}
		idx -= n;
	}
	*addr = 0;
	*port = 0;
}
