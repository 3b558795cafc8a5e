/*
 * test.h - a tiny assertion helper for the unit tests (after OpenSSH's
 * test_helper). Each test file's main() runs its cases with RUN(); a
 * failed CHECK prints file:line and the values, and the file exits 1.
 */
#ifndef PK_TEST_H
#define PK_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int test_failures;
extern const char *test_current;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",	\
		    __FILE__, __LINE__, test_current, #cond);		\
		test_failures++;					\
	}								\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long va_ = (long long)(a), vb_ = (long long)(b);		\
	if (va_ != vb_) {						\
		fprintf(stderr, "%s:%d: %s: %s == %lld, expected %s == %lld\n", \
		    __FILE__, __LINE__, test_current, #a, va_, #b, vb_); \
		test_failures++;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *sa_ = (a), *sb_ = (b);				\
	if (sa_ == NULL || sb_ == NULL || strcmp(sa_, sb_) != 0) {	\
		fprintf(stderr, "%s:%d: %s: %s == \"%s\", expected \"%s\"\n", \
		    __FILE__, __LINE__, test_current, #a,		\
		    sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");	\
		test_failures++;					\
	}								\
} while (0)

#define CHECK_MEM(a, b, n) do {						\
	if (memcmp((a), (b), (n)) != 0) {				\
		fprintf(stderr, "%s:%d: %s: %s differs from %s\n",	\
		    __FILE__, __LINE__, test_current, #a, #b);		\
		test_hexdump("got", (a), (n));				\
		test_hexdump("want", (b), (n));				\
		test_failures++;					\
	}								\
} while (0)

#define RUN(fn) do {							\
	test_current = #fn;						\
	int before_ = test_failures;					\
	fn();								\
	fprintf(stderr, "%s %s\n",					\
	    test_failures == before_ ? "ok  " : "FAIL", #fn);		\
} while (0)

#define TEST_MAIN_END() do {						\
	if (test_failures != 0) {					\
		fprintf(stderr, "%d check(s) failed\n", test_failures);	\
		return 1;						\
	}								\
	return 0;							\
} while (0)

/* Decodes a hex string (spaces allowed) into out; returns the byte count
 * and aborts the test binary on malformed hex or overflow. */
size_t test_unhex(const char *hex, uint8_t *out, size_t cap);
void test_hexdump(const char *label, const void *p, size_t n);

#endif
