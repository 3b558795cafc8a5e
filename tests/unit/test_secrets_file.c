/*
 * test_secrets_file.c - the checks on chap-secrets before pptpkitd uses
 * it (config/secrets.c): owner root or the daemon's user, no write for
 * group or others, no read for others (group read allowed, with a
 * warning); and parse errors that never echo a word of a secret.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/secrets.h"
#include "core/err.h"
#include "test.h"

static struct stat
file_stat(mode_t mode, uid_t uid)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | mode;
	st.st_uid = uid;
	return st;
}

static void
test_check_modes(void)
{
	struct stat st;
	char msg[256];
	int gr;

	st = file_stat(0600, 0);
	CHECK_INT(secrets_check_file(&st, 0, &gr, msg, sizeof(msg)), PK_OK);
	CHECK_INT(gr, 0);
	st = file_stat(0400, 0);
	CHECK_INT(secrets_check_file(&st, 0, &gr, msg, sizeof(msg)), PK_OK);
	/* Group read: allowed, reported for a warning. */
	st = file_stat(0640, 0);
	CHECK_INT(secrets_check_file(&st, 0, &gr, msg, sizeof(msg)), PK_OK);
	CHECK_INT(gr, 1);
	/* Others may read: the passwords are clear text. */
	st = file_stat(0644, 0);
	CHECK_INT(secrets_check_file(&st, 0, &gr, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
	CHECK(strstr(msg, "readable by every user (mode 644)") != NULL);
	/* Group or others may write: they could add a user. */
	st = file_stat(0620, 0);
	CHECK_INT(secrets_check_file(&st, 0, NULL, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
	CHECK(strstr(msg, "writable by its group (mode 620)") != NULL);
	st = file_stat(0602, 0);
	CHECK_INT(secrets_check_file(&st, 0, NULL, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
	CHECK(strstr(msg, "writable by others") != NULL);
	st = file_stat(0666, 0);
	CHECK_INT(secrets_check_file(&st, 0, NULL, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
}

static void
test_check_owner(void)
{
	struct stat st;
	char msg[256];

	/* Root's file, for a daemon running as uid 998: fine. */
	st = file_stat(0600, 0);
	CHECK_INT(secrets_check_file(&st, 998, NULL, msg, sizeof(msg)),
	    PK_OK);
	/* The daemon's own file: fine. */
	st = file_stat(0600, 998);
	CHECK_INT(secrets_check_file(&st, 998, NULL, msg, sizeof(msg)),
	    PK_OK);
	/* Someone else's: they could change it. */
	st = file_stat(0600, 1000);
	CHECK_INT(secrets_check_file(&st, 0, NULL, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
	CHECK(strstr(msg, "owned by uid 1000") != NULL);
	st = file_stat(0600, 1000);
	st.st_mode = S_IFDIR | 0700;
	st.st_uid = 0;
	CHECK_INT(secrets_check_file(&st, 0, NULL, msg, sizeof(msg)),
	    PK_ERR_CONFIG);
	CHECK(strstr(msg, "not a regular file") != NULL);
}

/* secrets_load() on real files: the mode is checked before parsing. */
static void
test_load_modes(void)
{
	char dir[] = "/tmp/pk-secrets-XXXXXX", path[64], err[512];
	struct secrets s;
	FILE *f;
	int gr;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/chap-secrets", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	fputs("alice * \"alice pw\" *\n", f);
	fclose(f);
	CHECK_INT(chmod(path, 0644), 0);
	CHECK_INT(secrets_load(&s, path, &gr, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK(strstr(err, path) != NULL);
	CHECK(strstr(err, "readable by every user") != NULL);
	CHECK_INT(s.n, 0);
	CHECK_INT(chmod(path, 0660), 0);
	CHECK_INT(secrets_load(&s, path, &gr, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK(strstr(err, "writable by its group") != NULL);
	CHECK_INT(chmod(path, 0640), 0);
	CHECK_INT(secrets_load(&s, path, &gr, err, sizeof(err)), PK_OK);
	CHECK_INT(gr, 1);
	CHECK_INT(s.n, 1);
	secrets_free(&s);
	CHECK_INT(chmod(path, 0600), 0);
	CHECK_INT(secrets_load(&s, path, &gr, err, sizeof(err)), PK_OK);
	CHECK_INT(gr, 0);
	secrets_free(&s);
	unlink(path);
	rmdir(dir);
}

/* A secret with an unquoted blank splits into words; the error about
 * the extra words must not show any of them. */
static void
test_parse_errors_hide_secrets(void)
{
	static const char *const bad[] = {
		"alice * hunter2 xyzzy\n",		/* 4th word */
		"alice * hunter2 xyzzy plugh 1.2.3.4\n",	/* 6 words */
		"bob * \"ok\" *\nalice * hunter2 xyzzy\n",
	};
	struct secrets s;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(secrets_parse(&s, bad[i], "chap-secrets", err,
		    sizeof(err)), PK_ERR_CONFIG);
		CHECK(strstr(err, "hunter2") == NULL);
		CHECK(strstr(err, "xyzzy") == NULL);
		CHECK(strstr(err, "plugh") == NULL);
		CHECK(strncmp(err, "chap-secrets:", 13) == 0);
		CHECK(strstr(err, "quote a secret") != NULL);
	}
	CHECK(strstr(err, "chap-secrets:2:") != NULL);
}

int
main(void)
{
	RUN(test_check_modes);
	RUN(test_check_owner);
	RUN(test_load_modes);
	RUN(test_parse_errors_hide_secrets);
	TEST_MAIN_END();
}
