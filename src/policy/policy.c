/* policy.c - parsing, validation and warnings for struct pk_policy. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/policy.h"

static const struct {
	const char *name;
	unsigned flag;
} auth_names[] = {
	{ "mschapv2", PK_AUTH_MSCHAPV2 },
	{ "mschap", PK_AUTH_MSCHAPV1 },
	{ "chap", PK_AUTH_CHAP_MD5 },
	{ "pap", PK_AUTH_PAP },
};

static const struct {
	const char *name;
	unsigned flag;
	int bits;
} bit_names[] = {
	{ "128", PK_MPPE_128, 128 },
	{ "56", PK_MPPE_56, 56 },
	{ "40", PK_MPPE_40, 40 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void
policy_default(struct pk_policy *p)
{
	p->auth = PK_AUTH_MSCHAPV2;
	p->mppe = PK_MPPE_REQUIRE;
	p->mppe_bits = PK_MPPE_128;
	p->mppe_stateful = PK_STATEFUL_ALLOW;
}

/*
 * Splits a comma list and maps each word through a table. Words are
 * bounded by the caller's buffer; an empty list is an error because
 * "allow nothing" is never what an operator means.
 */
static int
parse_list(const char *list, const char *what, const char *const *names,
    const unsigned *flags, size_t n, unsigned *mask, char *err, size_t errlen)
{
	char word[32];
	unsigned m = 0;
	const char *p = list;

	if (list == NULL || *list == '\0') {
		snprintf(err, errlen, "empty %s list", what);
		return PK_ERR_CONFIG;
	}
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		size_t i;

		if (len == 0 || len >= sizeof(word)) {
			snprintf(err, errlen, "bad %s list \"%s\"", what, list);
			return PK_ERR_CONFIG;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(word, names[i]) == 0)
				break;
		if (i == n) {
			snprintf(err, errlen, "unknown %s \"%s\"", what, word);
			return PK_ERR_CONFIG;
		}
		m |= flags[i];
		p += len;
		if (*p == ',')
			p++;
	}
	*mask = m;
	return PK_OK;
}

int
policy_parse_auth(const char *list, unsigned *mask, char *err, size_t errlen)
{
	const char *names[NELEM(auth_names)];
	unsigned flags[NELEM(auth_names)];

	for (size_t i = 0; i < NELEM(auth_names); i++) {
		names[i] = auth_names[i].name;
		flags[i] = auth_names[i].flag;
	}
	return parse_list(list, "authentication method", names, flags,
	    NELEM(auth_names), mask, err, errlen);
}

int
policy_parse_bits(const char *list, unsigned *mask, char *err, size_t errlen)
{
	const char *names[NELEM(bit_names)];
	unsigned flags[NELEM(bit_names)];

	for (size_t i = 0; i < NELEM(bit_names); i++) {
		names[i] = bit_names[i].name;
		flags[i] = bit_names[i].flag;
	}
	return parse_list(list, "MPPE key length", names, flags,
	    NELEM(bit_names), mask, err, errlen);
}

static int
parse_word(const char *word, const char *what, const char *const names[3],
    int *out, char *err, size_t errlen)
{
	for (int i = 0; i < 3; i++) {
		if (word != NULL && strcmp(word, names[i]) == 0) {
			*out = i;
			return PK_OK;
		}
	}
	snprintf(err, errlen, "unknown %s \"%s\" (expected %s, %s or %s)",
	    what, word == NULL ? "" : word, names[0], names[1], names[2]);
	return PK_ERR_CONFIG;
}

int
policy_parse_mppe(const char *word, int *mppe, char *err, size_t errlen)
{
	/* Index order matches enum pk_mppe_use. */
	static const char *const names[3] = { "require", "allow", "deny" };

	return parse_word(word, "MPPE setting", names, mppe, err, errlen);
}

int
policy_parse_stateful(const char *word, int *mode, char *err, size_t errlen)
{
	/* Index order matches enum pk_mppe_stateful. */
	static const char *const names[3] = { "deny", "allow", "require" };

	return parse_word(word, "MPPE stateful setting", names, mode, err,
	    errlen);
}

int
policy_validate(const struct pk_policy *p, char *err, size_t errlen)
{
	if ((p->auth & PK_AUTH_ALL) == 0 || (p->auth & ~PK_AUTH_ALL) != 0) {
		snprintf(err, errlen, "no valid authentication method allowed");
		return PK_ERR_CONFIG;
	}
	if (p->mppe < PK_MPPE_REQUIRE || p->mppe > PK_MPPE_DENY ||
	    p->mppe_stateful < PK_STATEFUL_DENY ||
	    p->mppe_stateful > PK_STATEFUL_REQUIRE) {
		snprintf(err, errlen, "invalid MPPE setting");
		return PK_ERR_CONFIG;
	}
	if (p->mppe != PK_MPPE_DENY &&
	    (p->mppe_bits == 0 || (p->mppe_bits & ~(unsigned)(PK_MPPE_40 |
	    PK_MPPE_56 | PK_MPPE_128)) != 0)) {
		snprintf(err, errlen, "no MPPE key length allowed");
		return PK_ERR_CONFIG;
	}
	/* RFC 3079: MPPE keys are derived from MS-CHAP only. */
	if (p->mppe == PK_MPPE_REQUIRE &&
	    (p->auth & PK_AUTH_MPPE_CAPABLE) == 0) {
		snprintf(err, errlen, "MPPE is required but only PAP/CHAP-MD5 "
		    "are allowed, and they yield no MPPE keys; allow mschapv2 "
		    "or set --mppe allow/deny");
		return PK_ERR_CONFIG;
	}
	return PK_OK;
}

int
policy_warnings(const struct pk_policy *p, policy_warn_fn *emit, void *arg)
{
	int n = 0;

	if (p->auth & PK_AUTH_PAP) {
		emit("PAP allowed: the password crosses the network in clear "
		    "text", arg);
		n++;
	}
	if (p->auth & PK_AUTH_CHAP_MD5) {
		emit("CHAP-MD5 allowed: one captured exchange allows an "
		    "offline dictionary attack, the server must store clear-text "
		    "passwords, and it yields no MPPE keys", arg);
		n++;
	}
	if (p->auth & PK_AUTH_MSCHAPV1) {
		emit("MS-CHAPv1 allowed: its LM/NT responses fall to "
		    "precomputed tables and it uses the same MPPE key in both "
		    "directions", arg);
		n++;
	}
	if (p->mppe == PK_MPPE_ALLOW) {
		emit("MPPE optional: a session may run with no encryption at "
		    "all", arg);
		n++;
	} else if (p->mppe == PK_MPPE_DENY) {
		emit("MPPE denied: all tunnel traffic crosses the network in "
		    "clear text", arg);
		n++;
	}
	if (p->mppe != PK_MPPE_DENY && (p->mppe_bits & PK_MPPE_40)) {
		emit("40-bit MPPE allowed: the key can be brute-forced in "
		    "hours on one machine", arg);
		n++;
	}
	if (p->mppe != PK_MPPE_DENY && (p->mppe_bits & PK_MPPE_56)) {
		emit("56-bit MPPE allowed: the key space is within reach of "
		    "commodity brute force", arg);
		n++;
	}
	if (p->mppe != PK_MPPE_DENY &&
	    p->mppe_stateful == PK_STATEFUL_REQUIRE) {
		emit("stateful MPPE required: one lost packet stalls the "
		    "tunnel until a CCP resynchronisation", arg);
		n++;
	}
	return n;
}

unsigned
policy_best_auth(unsigned mask)
{
	for (size_t i = 0; i < NELEM(auth_names); i++)
		if (mask & auth_names[i].flag)
			return auth_names[i].flag;
	return PK_AUTH_NONE;
}

unsigned
policy_best_bits(unsigned mask)
{
	for (size_t i = 0; i < NELEM(bit_names); i++)
		if (mask & bit_names[i].flag)
			return bit_names[i].flag;
	return 0;
}

const char *
policy_auth_name(unsigned method)
{
	for (size_t i = 0; i < NELEM(auth_names); i++)
		if (method == auth_names[i].flag)
			return auth_names[i].name;
	return "none";
}

int
policy_bits_value(unsigned flag)
{
	for (size_t i = 0; i < NELEM(bit_names); i++)
		if (flag == bit_names[i].flag)
			return bit_names[i].bits;
	return 0;
}

static void
format_list(unsigned mask, int auth, char *buf, size_t len)
{
	size_t n = NELEM(auth_names) > NELEM(bit_names) ? NELEM(auth_names) :
	    NELEM(bit_names);
	size_t used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *name = NULL;

		if (auth && i < NELEM(auth_names) && (mask & auth_names[i].flag))
			name = auth_names[i].name;
		if (!auth && i < NELEM(bit_names) && (mask & bit_names[i].flag))
			name = bit_names[i].name;
		if (name == NULL)
			continue;
		int k = snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? "," : "", name);
		if (k < 0 || (size_t)k >= len - used)
			return;
		used += (size_t)k;
	}
}

void
policy_auth_list(unsigned mask, char *buf, size_t len)
{
	format_list(mask, 1, buf, len);
}

void
policy_bits_list(unsigned mask, char *buf, size_t len)
{
	format_list(mask, 0, buf, len);
}
