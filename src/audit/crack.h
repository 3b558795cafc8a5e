/*
 * crack.h - recovering a password (or NT hash) from captured exchanges,
 * two engines behind one interface:
 *
 *   builtin  threads over nettle (MD4, MD5, DES): for MS-CHAP, each
 *            candidate costs one MD4 (its NT hash), and only a hash whose
 *            bytes 14-15 equal the exchange's K3 (found first, 2^16 DES)
 *            is checked further with two DES: asleap's filter
 *            (audit-reference.md §2.4); CHAP-MD5 costs one MD5 per
 *            candidate and exchange;
 *   hashcat  (hashcat.h) the same targets as -m 5500 / 27000 / 4800
 *            lines, hashcat run on them, the result read back and
 *            checked here.
 *
 * Candidates: a word list (one per line, CR LF tolerated), optionally
 * with the rule set below applied to each word, or a list of NT hashes
 * (32 hex digits per line, e.g. from a breach dump; MS-CHAP only).
 *
 * Also the DES-keyspace route that needs no candidates at all: K1 and K2
 * of an MS-CHAP response are two DES keys under one known plaintext; the
 * rate of DES trials here, and a search over the low bits of both keys
 * when the high bits are given (to show the method on a keyspace small
 * enough to finish).
 */
#ifndef PK_AUDIT_CRACK_H
#define PK_AUDIT_CRACK_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"

struct audit_target {
	int method;		/* AUDIT_AUTH_CHAP_MD5, _MSCHAPV1, _MSCHAPV2 */
	char label[AUDIT_NAME_MAX + 48];	/* "session 3 user alice" */
	/* MS-CHAP: the DES plaintext, the NT-response, K3 */
	uint8_t plain[8];
	uint8_t nt_response[24];
	uint8_t k3[2];
	/* CHAP-MD5 (RFC 1994 §4.1): MD5(id || secret || challenge) */
	uint8_t id;
	uint8_t challenge[AUDIT_VALUE_MAX];
	size_t challenge_len;
	uint8_t md5[16];
	/* result */
	int found;
	char password[AUDIT_NAME_MAX];	/* empty when only the hash */
	uint8_t nt_hash[16];
	int have_nt_hash;
};

/*
 * Fills t from a captured exchange: K3 is recovered for MS-CHAP (2^16
 * DES). Returns 0, PK_ERR_TYPE (PAP or EAP: nothing to crack),
 * PK_ERR_STATE (no challenge or response), PK_ERR_NOT_FOUND (no K3:
 * not an MS-CHAP response).
 */
int audit_target_from_hs(const struct audit_hs *h, unsigned session,
    struct audit_target *t);
/* From the 8-byte DES plaintext (MS-CHAPv2 ChallengeHash, MS-CHAPv1
 * challenge) and the 24-byte NT-response given by hand. */
int audit_target_mschap(const uint8_t plain[8], const uint8_t resp[24],
    int method, const char *label, struct audit_target *t);

/* 1 if password (UTF-8) answers t; sets t->found and friends. */
int audit_target_check_password(struct audit_target *t, const char *pw);
/* 1 if nt_hash answers t (MS-CHAP only). */
int audit_target_check_nt_hash(struct audit_target *t,
    const uint8_t nt_hash[16]);

/* The rule set (--rules): one hashcat rule per line, e.g. "c $1 $2".
 * The builtin engine applies exactly these. */
size_t audit_rules_count(void);
const char *audit_rule(size_t i);
/* Applies rule i to word (len bytes) into out (cap bytes); returns the
 * new length, or -1 if it would not fit. */
long audit_rule_apply(size_t i, const char *word, size_t len, char *out,
    size_t cap);

/* Progress for a terminal: called about 5 times a second from the
 * engine's thread (fraction 0..1, candidates/s, seconds left or -1). */
typedef void audit_progress_fn(void *arg, double fraction, double rate,
    double eta);

struct audit_crack_opts {
	unsigned threads;	/* 0: one per online CPU */
	int rules;
	audit_progress_fn *progress;	/* NULL: quiet */
	void *progress_arg;
};

struct audit_crack_stats {
	uint64_t candidates;	/* tested (after rules) */
	uint64_t words;		/* lines read */
	double seconds;
	unsigned threads;
};

/*
 * Tries every word of the list (and its rule variants) against the
 * targets, stopping when all are found. Returns 0 (found or not: see
 * t[i].found), or PK_ERR_SYS with the reason in err (file unreadable).
 */
int audit_crack_wordlist(struct audit_target *t, size_t n, const char *path,
    const struct audit_crack_opts *o, struct audit_crack_stats *st,
    char *err, size_t errlen);
/* The same with a list of NT hashes (MS-CHAP targets only). */
int audit_crack_nt_hashes(struct audit_target *t, size_t n, const char *path,
    const struct audit_crack_opts *o, struct audit_crack_stats *st,
    char *err, size_t errlen);

/*
 * Measures, on threads threads for about seconds each: *limit the
 * candidates per second of the plain nettle construction (one MD4 of an
 * 8-character password, two DES with key set-up) per thread, summed;
 * *des the DES key trials per second (key set-up and one block).
 */
void audit_measure(unsigned threads, double seconds, double *limit,
    double *des);

/*
 * The DES route with a head start: known_bits (0..56) high bits of K1
 * and K2 (7-byte keys k1, k2) are given, the rest searched; found keys
 * are written back to k1 and k2, and *found1 and *found2 set. Returns 0, or
 * PK_ERR_ARG if the remaining space is over 2^40.
 */
int audit_des_known_bits(const uint8_t plain[8], const uint8_t c1[8],
    const uint8_t c2[8], uint8_t k1[7], uint8_t k2[7], int known_bits,
    const struct audit_crack_opts *o, int *found1, int *found2,
    struct audit_crack_stats *st);

/* 7-byte DES key (56 bits) to 8 bytes with odd parity (RFC 2759 §8.6)
 * and back (the low bit of each byte dropped). */
void audit_des_expand(const uint8_t k7[7], uint8_t k8[8]);
void audit_des_compress(const uint8_t k8[8], uint8_t k7[7]);

unsigned audit_cpu_count(void);

#endif
