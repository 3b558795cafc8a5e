/* test_policy.c - the hardened default, parsing, validation, warnings. */
#include "core/err.h"
#include "policy/policy.h"
#include "test.h"

struct warns {
	int n;
	char text[16][256];
};

static void
collect(const char *msg, void *arg)
{
	struct warns *w = arg;

	if (w->n < 16)
		snprintf(w->text[w->n++], sizeof(w->text[0]), "%s", msg);
}

static int
warned(const struct warns *w, const char *needle)
{
	for (int i = 0; i < w->n; i++)
		if (strstr(w->text[i], needle) != NULL)
			return 1;
	return 0;
}

static void
test_default(void)
{
	struct pk_policy p;
	struct warns w = { 0 };
	char err[256];

	policy_default(&p);
	CHECK_INT(p.auth, PK_AUTH_MSCHAPV2);
	CHECK_INT(p.mppe, PK_MPPE_REQUIRE);
	CHECK_INT(p.mppe_bits, PK_MPPE_128);
	CHECK_INT(p.mppe_stateful, PK_STATEFUL_ALLOW);
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_OK);
	/* The default is the one combination that draws no warning. */
	CHECK_INT(policy_warnings(&p, collect, &w), 0);
}

static void
test_parse(void)
{
	unsigned mask;
	int v;
	char err[256];

	CHECK_INT(policy_parse_auth("pap,chap,mschap,mschapv2", &mask, err,
	    sizeof(err)), PK_OK);
	CHECK_INT(mask, PK_AUTH_ALL);
	CHECK_INT(policy_parse_auth("mschapv2,", &mask, err, sizeof(err)),
	    PK_OK);
	CHECK_INT(mask, PK_AUTH_MSCHAPV2);
	CHECK_INT(policy_parse_auth("mschapv3", &mask, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK(strstr(err, "mschapv3") != NULL);
	CHECK_INT(policy_parse_auth("", &mask, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK_INT(policy_parse_auth("pap,,chap", &mask, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK_INT(policy_parse_bits("40,56", &mask, err, sizeof(err)), PK_OK);
	CHECK_INT(mask, PK_MPPE_40 | PK_MPPE_56);
	CHECK_INT(policy_parse_bits("64", &mask, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK_INT(policy_parse_mppe("allow", &v, err, sizeof(err)), PK_OK);
	CHECK_INT(v, PK_MPPE_ALLOW);
	CHECK_INT(policy_parse_mppe("yes", &v, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK_INT(policy_parse_stateful("require", &v, err, sizeof(err)),
	    PK_OK);
	CHECK_INT(v, PK_STATEFUL_REQUIRE);
	CHECK_INT(policy_best_auth(PK_AUTH_PAP | PK_AUTH_MSCHAPV1),
	    PK_AUTH_MSCHAPV1);
	CHECK_INT(policy_best_bits(PK_MPPE_40 | PK_MPPE_56), PK_MPPE_56);
	char list[64];

	policy_auth_list(PK_AUTH_PAP | PK_AUTH_MSCHAPV2, list, sizeof(list));
	CHECK_STR(list, "mschapv2,pap");
}

static void
test_validate(void)
{
	struct pk_policy p;
	char err[256];

	policy_default(&p);
	p.auth = PK_AUTH_PAP | PK_AUTH_CHAP_MD5;
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_ERR_CONFIG);
	CHECK(strstr(err, "MPPE") != NULL);
	p.mppe = PK_MPPE_ALLOW;
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_OK);
	p.auth = 0;
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_ERR_CONFIG);
	policy_default(&p);
	p.mppe_bits = 0;
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_ERR_CONFIG);
	p.mppe = PK_MPPE_DENY;
	CHECK_INT(policy_validate(&p, err, sizeof(err)), PK_OK);
}

static void
test_warnings_name_the_weakness(void)
{
	struct pk_policy p;
	struct warns w = { 0 };

	policy_default(&p);
	p.auth = PK_AUTH_ALL;
	p.mppe = PK_MPPE_ALLOW;
	p.mppe_bits = PK_MPPE_40 | PK_MPPE_56 | PK_MPPE_128;
	p.mppe_stateful = PK_STATEFUL_REQUIRE;
	CHECK_INT(policy_warnings(&p, collect, &w), 7);
	CHECK(warned(&w, "PAP allowed: the password crosses the network in "
	    "clear text"));
	CHECK(warned(&w, "CHAP-MD5 allowed"));
	CHECK(warned(&w, "MS-CHAPv1 allowed"));
	CHECK(warned(&w, "MPPE optional"));
	CHECK(warned(&w, "40-bit MPPE"));
	CHECK(warned(&w, "56-bit MPPE"));
	CHECK(warned(&w, "stateful MPPE required"));
	w.n = 0;
	p.mppe = PK_MPPE_DENY;
	p.auth = PK_AUTH_MSCHAPV2;
	CHECK_INT(policy_warnings(&p, collect, &w), 1);
	CHECK(warned(&w, "MPPE denied: all tunnel traffic crosses the network "
	    "in clear text"));
}

int
main(void)
{
	RUN(test_default);
	RUN(test_parse);
	RUN(test_validate);
	RUN(test_warnings_name_the_weakness);
	TEST_MAIN_END();
}
