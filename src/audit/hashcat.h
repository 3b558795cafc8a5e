/*
 * hashcat.h - running the real hashcat on our targets (--engine hashcat):
 * the lines are written to a private temporary directory, hashcat is run
 * there with --potfile-disable, its own --session name and
 * XDG_DATA_HOME pointing into that directory (session and dictionary
 * statistics stay out of the user's files; the compiled-kernel cache in
 * XDG_CACHE_HOME is kept, or moved there too when it is not writable),
 * its JSON status lines are read for the progress bar, and the plains it
 * found (--outfile-format 3: hex) are read back.
 */
#ifndef PK_AUDIT_HASHCAT_H
#define PK_AUDIT_HASHCAT_H

#include <stddef.h>

#include "audit/crack.h"

#define AUDIT_HASHCAT_FOUND_MAX 64

struct audit_hashcat_job {
	unsigned mode;		/* -m: 5500, 27000, 4800, 14000 */
	const char *const *lines;	/* hash lines */
	size_t n_lines;
	/* -a 0: a word list (and our rule set), or -a 3: a mask with
	 * --hex-charset and custom charset 1 (hex), when mask != NULL. */
	const char *wordlist;
	int rules;
	const char *mask;
	const char *charset1;
	const char *charset2;	/* custom charset 2 (hex), or NULL */
	int benchmark;		/* -b for this mode instead */
	audit_progress_fn *progress;
	void *progress_arg;
};

struct audit_hashcat_result {
	int exit_status;	/* hashcat's: 0 found, 1 exhausted */
	size_t n_found;
	char found[AUDIT_HASHCAT_FOUND_MAX][AUDIT_NAME_MAX];	/* plains */
	size_t found_len[AUDIT_HASHCAT_FOUND_MAX];
	double speed;		/* last reported, hashes/s (all devices) */
	double seconds;		/* wall time of the run */
	unsigned status_lines;	/* JSON status reports read */
};

/* The hashcat binary: $PPTPKIT_HASHCAT, else "hashcat" in PATH. Returns
 * 1 with its path in buf, or 0. */
int audit_hashcat_find(char *buf, size_t len);

/*
 * Runs one hashcat job. Returns 0 when hashcat ran to the end (found or
 * exhausted: see res), or PK_ERR_SYS with what hashcat said in err (for
 * example that it found no OpenCL device).
 */
int audit_hashcat_run(const struct audit_hashcat_job *job,
    struct audit_hashcat_result *res, char *err, size_t errlen);

#endif
