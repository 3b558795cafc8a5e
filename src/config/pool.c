/* pool.c - the tunnel address pool (see pool.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/pool.h"
#include "core/err.h"

static int
parse_ip(const char *s, size_t len, uint32_t *out)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

int
pool_parse(const char *spec, uint32_t *first, uint32_t *count, char *err,
    size_t errlen)
{
	const char *slash = strchr(spec, '/');
	const char *dash = strchr(spec, '-');
	uint32_t a, b;

	if (slash != NULL) {
		char *end;
		long plen = strtol(slash + 1, &end, 10);

		if (parse_ip(spec, (size_t)(slash - spec), &a) != 0 ||
		    *end != '\0' || end == slash + 1 || plen < 16 || plen > 30) {
			snprintf(err, errlen, "bad pool \"%s\" (expected "
			    "A.B.C.D/16..30 or A.B.C.D-E.F.G.H)", spec);
			return PK_ERR_CONFIG;
		}
		uint32_t size = 1u << (32 - plen);
		uint32_t net = a & ~(size - 1);

		/* Skip the network and broadcast addresses. */
		*first = net + 1;
		*count = size - 2;
		return PK_OK;
	}
	if (dash != NULL) {
		if (parse_ip(spec, (size_t)(dash - spec), &a) != 0 ||
		    parse_ip(dash + 1, strlen(dash + 1), &b) != 0 || b < a ||
		    b - a >= POOL_MAX_ADDRESSES) {
			snprintf(err, errlen, "bad pool range \"%s\" (first-last, "
			    "first <= last, at most %d addresses)", spec,
			    POOL_MAX_ADDRESSES);
			return PK_ERR_CONFIG;
		}
		*first = a;
		*count = b - a + 1;
		return PK_OK;
	}
	snprintf(err, errlen, "bad pool \"%s\" (expected A.B.C.D/N or "
	    "A.B.C.D-E.F.G.H)", spec);
	return PK_ERR_CONFIG;
}

int
pool_init(struct pool *p, uint32_t first, uint32_t count, uint32_t exclude)
{
	memset(p, 0, sizeof(*p));
	if (count == 0 || count > POOL_MAX_ADDRESSES)
		return PK_ERR_ARG;
	if ((p->used = calloc(count, 1)) == NULL)
		return PK_ERR_NOMEM;
	p->first = first;
	p->count = count;
	if (pool_contains(p, exclude)) {
		p->used[exclude - first] = 1;
		p->in_use++;
	}
	return PK_OK;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->used);
	memset(p, 0, sizeof(*p));
}

int
pool_contains(const struct pool *p, uint32_t addr)
{
	return p->used != NULL && addr >= p->first && addr - p->first < p->count;
}

int
pool_alloc(struct pool *p, uint32_t *addr)
{
	if (p->in_use >= p->count)
		return PK_ERR_FULL;
	/* Rotate so a just-released address is not reused at once: a late
	 * packet for the old session must not reach the new one. */
	for (uint32_t i = 0; i < p->count; i++) {
		uint32_t k = (p->next + i) % p->count;

		if (!p->used[k]) {
			p->used[k] = 1;
			p->in_use++;
			p->next = (k + 1) % p->count;
			*addr = p->first + k;
			return PK_OK;
		}
	}
	return PK_ERR_FULL;
}

int
pool_claim(struct pool *p, uint32_t addr)
{
	if (!pool_contains(p, addr))
		return PK_OK;
	if (p->used[addr - p->first])
		return PK_ERR_DUPLICATE;
	p->used[addr - p->first] = 1;
	p->in_use++;
	return PK_OK;
}

void
pool_release(struct pool *p, uint32_t addr)
{
	if (pool_contains(p, addr) && p->used[addr - p->first]) {
		p->used[addr - p->first] = 0;
		p->in_use--;
	}
}
