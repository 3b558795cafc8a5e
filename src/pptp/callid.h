/*
 * callid.h - Call IDs a PAC hands out (RFC 2637 §2.7: "a unique
 * identifier ... for this call"), drawn at random so that someone who can
 * spoof a peer's address, or shares its NAT, cannot guess the ID of
 * another's call (GRE carries nothing else to tell calls apart), and kept
 * out of use for quarantine_ms after a call ends, so that late GRE for the
 * old call cannot reach a new one. Sans-I/O: the owner passes the time.
 */
#ifndef PK_PPTP_CALLID_H
#define PK_PPTP_CALLID_H

#include <stddef.h>
#include <stdint.h>

#define CALLID_SPACE 65536
/* IDs remembered as recently freed; beyond this, the oldest is reused
 * first even inside the quarantine time. */
#define CALLID_QUARANTINE_MAX 8192

struct callid_freed {
	uint16_t id;
	uint64_t at;
};

struct callid_pool {
	uint64_t taken[CALLID_SPACE / 64];	/* in use or quarantined */
	struct callid_freed q[CALLID_QUARANTINE_MAX];	/* FIFO ring */
	size_t q_head, q_len;
	size_t in_use;
	uint32_t quarantine_ms;
};

void callid_pool_init(struct callid_pool *p, uint32_t quarantine_ms);
/*
 * A random non-zero ID not in use and not freed within quarantine_ms (or,
 * if every free ID is still in quarantine, the longest freed). Returns 0,
 * or PK_ERR_FULL when all 65535 are in use.
 */
int callid_alloc(struct callid_pool *p, uint64_t now, uint16_t *id);
/* The call ended: id goes into quarantine. Unknown IDs are ignored. */
void callid_release(struct callid_pool *p, uint64_t now, uint16_t id);
/* 1 if id is in use or in quarantine. */
int callid_taken(const struct callid_pool *p, uint16_t id);

#endif
