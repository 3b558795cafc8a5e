/* map.c - open addressing with linear probing (see map.h); grows at half
 * load so that probes stay short. Nothing is ever removed. */
#include <stdlib.h>
#include <string.h>

#include "audit/map.h"
#include "core/err.h"

#define MAP_INIT 64

struct map_slot {
	int used;
	uint8_t key[AUDIT_MAP_KEY_LEN];
	size_t value;
};

struct audit_map {
	struct map_slot *slots;
	size_t cap;		/* a power of two */
	size_t n;
};

/* FNV-1a: the keys are addresses and IDs, not chosen to collide (a
 * crafted capture can only make lookups slower, never wrong). */
static size_t
hash(const uint8_t *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < AUDIT_MAP_KEY_LEN; i++) {
		h ^= k[i];
		h *= 0x100000001b3ull;
	}
	return (size_t)(h ^ (h >> 32));
}

struct audit_map *
audit_map_new(void)
{
	struct audit_map *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	if ((m->slots = calloc(MAP_INIT, sizeof(*m->slots))) == NULL) {
		free(m);
		return NULL;
	}
	m->cap = MAP_INIT;
	return m;
}

void
audit_map_free(struct audit_map *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static struct map_slot *
find(struct map_slot *slots, size_t cap, const uint8_t *key)
{
	size_t i = hash(key) & (cap - 1);

	while (slots[i].used && memcmp(slots[i].key, key,
	    AUDIT_MAP_KEY_LEN) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int
grow(struct audit_map *m)
{
	size_t cap = m->cap * 2;
	struct map_slot *ns = calloc(cap, sizeof(*ns));

	if (ns == NULL)
		return PK_ERR_NOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			*find(ns, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = ns;
	m->cap = cap;
	return PK_OK;
}

int
audit_map_put(struct audit_map *m, const uint8_t key[AUDIT_MAP_KEY_LEN],
    size_t value)
{
	struct map_slot *s;
	int r;

	if ((m->n + 1) * 2 > m->cap && (r = grow(m)) != 0)
		return r;
	s = find(m->slots, m->cap, key);
	if (!s->used) {
		s->used = 1;
		memcpy(s->key, key, AUDIT_MAP_KEY_LEN);
		m->n++;
	}
	s->value = value;
	return PK_OK;
}

int
audit_map_get(const struct audit_map *m,
    const uint8_t key[AUDIT_MAP_KEY_LEN], size_t *value)
{
	struct map_slot *s = find(m->slots, m->cap, key);

	if (!s->used)
		return 0;
	*value = s->value;
	return 1;
}
