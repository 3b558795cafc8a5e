/*
 * map.h - a small open-addressing hash table from a fixed 16-byte key to
 * an index, for finding a capture's control connection by its TCP
 * 4-tuple and a call by its GRE (source, destination, Call ID). A later
 * put with the same key replaces the value (a Call ID reused by a newer
 * call wins).
 */
#ifndef PK_AUDIT_MAP_H
#define PK_AUDIT_MAP_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_MAP_KEY_LEN 16

struct audit_map;

/* Returns NULL when out of memory. */
struct audit_map *audit_map_new(void);
void audit_map_free(struct audit_map *m);
/* Returns 0 or PK_ERR_NOMEM. */
int audit_map_put(struct audit_map *m, const uint8_t key[AUDIT_MAP_KEY_LEN],
    size_t value);
/* Returns 1 with *value set, or 0. */
int audit_map_get(const struct audit_map *m,
    const uint8_t key[AUDIT_MAP_KEY_LEN], size_t *value);

#endif
