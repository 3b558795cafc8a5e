/*
 * policy.h - what each side requires, allows or refuses: authentication
 * methods, MPPE strength and MPPE mode. The same struct configures the
 * server (what it asks of peers) and the client (what it accepts from
 * servers).
 *
 * The default is the only combination PPTP offers that is not trivially
 * broken in transit: MS-CHAPv2 with MPPE-128 required. It is still
 * broken (MS-CHAPv2 reduces to one DES key; MPPE has no integrity and no
 * forward secrecy), and anything weaker needs an explicit choice and is
 * announced by policy_warnings().
 */
#ifndef PK_POLICY_POLICY_H
#define PK_POLICY_POLICY_H

#include <stddef.h>

/* Authentication methods, as a bit mask. */
enum pk_auth_method {
	PK_AUTH_NONE = 0,
	PK_AUTH_PAP = 1 << 0,		/* RFC 1334: password in clear */
	PK_AUTH_CHAP_MD5 = 1 << 1,	/* RFC 1994 */
	PK_AUTH_MSCHAPV1 = 1 << 2,	/* RFC 2433 */
	PK_AUTH_MSCHAPV2 = 1 << 3,	/* RFC 2759 */
};
#define PK_AUTH_ALL (PK_AUTH_PAP | PK_AUTH_CHAP_MD5 | PK_AUTH_MSCHAPV1 | \
    PK_AUTH_MSCHAPV2)
/* Methods that yield MPPE keys (RFC 3079). */
#define PK_AUTH_MPPE_CAPABLE (PK_AUTH_MSCHAPV1 | PK_AUTH_MSCHAPV2)

enum pk_mppe_use {
	PK_MPPE_REQUIRE = 0,	/* no MPPE, no link */
	PK_MPPE_ALLOW = 1,	/* MPPE if the peer agrees, else clear text */
	PK_MPPE_DENY = 2,	/* never encrypt */
};

/* MPPE key strengths, as a bit mask. */
enum pk_mppe_bits {
	PK_MPPE_40 = 1 << 0,
	PK_MPPE_56 = 1 << 1,
	PK_MPPE_128 = 1 << 2,
};

enum pk_mppe_stateful {
	PK_STATEFUL_DENY = 0,	/* stateless (H bit) only */
	PK_STATEFUL_ALLOW = 1,	/* prefer stateless, accept stateful */
	PK_STATEFUL_REQUIRE = 2,	/* stateful only */
};

struct pk_policy {
	unsigned auth;		/* mask of enum pk_auth_method */
	int mppe;		/* enum pk_mppe_use */
	unsigned mppe_bits;	/* mask of enum pk_mppe_bits */
	int mppe_stateful;	/* enum pk_mppe_stateful */
};

/* MS-CHAPv2 only, MPPE required, 128-bit only, stateless preferred. */
void policy_default(struct pk_policy *p);

/* Parsers for the command-line/config values. Each returns 0 or
 * PK_ERR_CONFIG and, on error, writes a message naming the bad word. */
int policy_parse_auth(const char *list, unsigned *mask, char *err,
    size_t errlen);
int policy_parse_mppe(const char *word, int *mppe, char *err, size_t errlen);
int policy_parse_bits(const char *list, unsigned *mask, char *err,
    size_t errlen);
int policy_parse_stateful(const char *word, int *mode, char *err,
    size_t errlen);

/*
 * Checks that the policy can ever be satisfied (e.g. MPPE required but
 * only PAP allowed cannot: MPPE keys come from MS-CHAP). Returns 0 or
 * PK_ERR_CONFIG with a message.
 */
int policy_validate(const struct pk_policy *p, char *err, size_t errlen);

/*
 * Calls emit once per weakness the policy accepts beyond the default,
 * each message naming the weakness. Returns the number of warnings.
 */
typedef void policy_warn_fn(const char *msg, void *arg);
int policy_warnings(const struct pk_policy *p, policy_warn_fn *emit,
    void *arg);

/* The strongest allowed method in mask & p->auth, or PK_AUTH_NONE. Order:
 * MS-CHAPv2, MS-CHAPv1, CHAP-MD5, PAP. */
unsigned policy_best_auth(unsigned mask);
/* The strongest bit size in mask (PK_MPPE_*), or 0. */
unsigned policy_best_bits(unsigned mask);
/* Names for logs: "mschapv2", "128", "stateless"... */
const char *policy_auth_name(unsigned method);
/* Formats a comma list of methods or bit sizes into buf. */
void policy_auth_list(unsigned mask, char *buf, size_t len);
void policy_bits_list(unsigned mask, char *buf, size_t len);
/* Key bits for one PK_MPPE_* flag: 40, 56, 128, or 0. */
int policy_bits_value(unsigned flag);

#endif
