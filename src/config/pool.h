/*
 * pool.h - the tunnel address pool: a CIDR block or a "first-last" range
 * of IPv4 addresses handed to clients, minus the server's own tunnel
 * address and the network/broadcast addresses of a CIDR block. Users with
 * a static address in chap-secrets get exactly that address.
 */
#ifndef PK_CONFIG_POOL_H
#define PK_CONFIG_POOL_H

#include <stddef.h>
#include <stdint.h>

/* Refuse pools larger than this: a /16 is already 65k sessions. */
#define POOL_MAX_ADDRESSES 65536

struct pool {
	uint32_t first;		/* host order */
	uint32_t count;
	uint8_t *used;		/* one byte per address */
	uint32_t in_use;
	uint32_t next;		/* rotating start of the search */
};

/* Parses "198.18.1.0/24" or "198.18.1.10-198.18.1.99" (host order out).
 * Returns 0 or PK_ERR_CONFIG with a message. */
int pool_parse(const char *spec, uint32_t *first, uint32_t *count, char *err,
    size_t errlen);
/* Builds a pool; exclude (host order, 0 = none) is never handed out. */
int pool_init(struct pool *p, uint32_t first, uint32_t count,
    uint32_t exclude);
void pool_free(struct pool *p);
/* Takes a free address (host order) or returns PK_ERR_FULL. */
int pool_alloc(struct pool *p, uint32_t *addr);
/* Claims a specific address: 0, PK_ERR_DUPLICATE if in use. Addresses
 * outside the pool are not tracked and always succeed. */
int pool_claim(struct pool *p, uint32_t addr);
void pool_release(struct pool *p, uint32_t addr);
int pool_contains(const struct pool *p, uint32_t addr);

#endif
