/*
 * scan_targets.h - the targets of `pptpkit scan`: IPv4 addresses, CIDR
 * ranges and host names, each optionally with ":PORT". A range is kept
 * as its bounds, so a /16 costs no memory until it is scanned.
 *
 * For prefixes /0 to /30 the network and broadcast addresses are left
 * out (nothing answers TCP there); /31 and /32 keep every address
 * (RFC 3021).
 */
#ifndef PK_AUDIT_SCAN_TARGETS_H
#define PK_AUDIT_SCAN_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Default cap on the addresses of one scan (--max-targets). */
#define SCAN_TARGETS_DEFAULT_MAX 65536
#define SCAN_TARGETS_HARD_MAX (1u << 24)
/* Most TARGET arguments on one command line. */
#define SCAN_SPECS_MAX 1024

struct scan_target_spec {
	uint32_t first, last;	/* host order, inclusive */
	uint16_t port;
};

struct scan_targets {
	struct scan_target_spec specs[SCAN_SPECS_MAX];
	size_t n;
	uint64_t count;		/* addresses in all specs */
	uint64_t max;		/* refuse to grow past this */
};

void scan_targets_init(struct scan_targets *t, uint64_t max);

/*
 * Adds one TARGET argument: "A.B.C.D", "A.B.C.D/N", "NAME", each with an
 * optional ":PORT" (1-65535, else default_port). Names are resolved now
 * (IPv4, first address). Returns 0, or PK_ERR_CONFIG with a message
 * naming the argument in err: bad syntax, unknown name, a port out of
 * range, too many arguments, or more than max addresses in all.
 */
int scan_targets_add(struct scan_targets *t, const char *arg,
    uint16_t default_port, char *err, size_t errlen);

/* The idx-th address (network order) and port, idx < t->count. */
void scan_targets_get(const struct scan_targets *t, uint64_t idx,
    uint32_t *addr, uint16_t *port);

#endif
