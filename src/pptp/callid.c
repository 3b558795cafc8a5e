/* callid.c - random Call IDs with a reuse quarantine (see callid.h). */
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "pptp/callid.h"

/* Random draws before a scan: with at most half the space taken, the
 * chance that all of them miss is below 2^-32. */
#define CALLID_DRAWS 32

static void
bit_set(struct callid_pool *p, uint16_t id)
{
	p->taken[id / 64] |= (uint64_t)1 << (id % 64);
}

static void
bit_clear(struct callid_pool *p, uint16_t id)
{
	p->taken[id / 64] &= ~((uint64_t)1 << (id % 64));
}

int
callid_taken(const struct callid_pool *p, uint16_t id)
{
	return (p->taken[id / 64] >> (id % 64)) & 1;
}

void
callid_pool_init(struct callid_pool *p, uint32_t quarantine_ms)
{
	memset(p, 0, sizeof(*p));
	p->quarantine_ms = quarantine_ms;
	bit_set(p, 0);		/* never handed out */
}

/* Takes the oldest ID out of quarantine. */
static void
q_pop(struct callid_pool *p)
{
	bit_clear(p, p->q[p->q_head].id);
	p->q_head = (p->q_head + 1) % CALLID_QUARANTINE_MAX;
	p->q_len--;
}

int
callid_alloc(struct callid_pool *p, uint64_t now, uint16_t *id)
{
	uint16_t start;

	while (p->q_len > 0 && now - p->q[p->q_head].at >= p->quarantine_ms)
		q_pop(p);
	if (p->in_use >= CALLID_SPACE - 1)
		return PK_ERR_FULL;
	for (;;) {
		for (int i = 0; i < CALLID_DRAWS; i++) {
			uint16_t cand = (uint16_t)pk_rand_u32();

			if (!callid_taken(p, cand)) {
				*id = cand;
				goto found;
			}
		}
		/* Crowded: the first free ID after a random point. */
		start = (uint16_t)pk_rand_u32();
		for (uint32_t i = 0; i < CALLID_SPACE; i++) {
			uint16_t cand = (uint16_t)(start + i);

			if (!callid_taken(p, cand)) {
				*id = cand;
				goto found;
			}
		}
		/* Everything free is in quarantine: reuse the oldest. */
		q_pop(p);
	}
found:
	bit_set(p, *id);
	p->in_use++;
	return PK_OK;
}

void
callid_release(struct callid_pool *p, uint64_t now, uint16_t id)
{
	size_t tail;

	if (id == 0 || !callid_taken(p, id) || p->in_use == 0)
		return;
	if (p->q_len == CALLID_QUARANTINE_MAX)
		q_pop(p);
	tail = (p->q_head + p->q_len) % CALLID_QUARANTINE_MAX;
	p->q[tail].id = id;
	p->q[tail].at = now;
	p->q_len++;
	p->in_use--;
}
