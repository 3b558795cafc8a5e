/*
 * test_escape.c - the printable filter for peer-supplied text
 * (core/escape.c): terminal escape sequences and other control or
 * non-ASCII bytes come out as \xNN, the backslash doubles, and truncation
 * never cuts an escape in half.
 */
#include "core/escape.h"
#include "test.h"

static void
test_plain(void)
{
	char buf[64];

	CHECK_STR(pk_escape(buf, sizeof(buf), "alice"), "alice");
	CHECK_STR(pk_escape(buf, sizeof(buf), "DOMAIN user.name@x"),
	    "DOMAIN user.name@x");
	CHECK_STR(pk_escape(buf, sizeof(buf), ""), "");
}

static void
test_escapes(void)
{
	char buf[128];

	/* A colour change and a window-title rewrite. */
	CHECK_STR(pk_escape(buf, sizeof(buf), "\x1b[31mevil\x1b[0m"),
	    "\\x1b[31mevil\\x1b[0m");
	CHECK_STR(pk_escape(buf, sizeof(buf), "\x1b]0;pwned\x07x"),
	    "\\x1b]0;pwned\\x07x");
	CHECK_STR(pk_escape(buf, sizeof(buf), "a\r\nb\tc\x7f"),
	    "a\\x0d\\x0ab\\x09c\\x7f");
	/* Backslash doubles, so "\x1b" typed literally stays distinct. */
	CHECK_STR(pk_escape(buf, sizeof(buf), "\\x1b"), "\\\\x1b");
	/* Non-ASCII bytes (UTF-8 too) are escaped, byte by byte. */
	CHECK_STR(pk_escape(buf, sizeof(buf), "m\xc3\xbcller"),
	    "m\\xc3\\xbcller");
	/* Embedded NULs, with the bytes form. */
	CHECK_STR(pk_escape_bytes(buf, sizeof(buf), "a\0b", 3), "a\\x00b");
}

static void
test_truncation(void)
{
	char buf[8];

	/* "ab" + "\x1b" (4) = 6 + NUL fits in 8; the next escape does not. */
	CHECK_STR(pk_escape(buf, sizeof(buf), "ab\x1b\x1b"), "ab\\x1b");
	CHECK_STR(pk_escape(buf, 1, "abc"), "");
	CHECK_STR(pk_escape(buf, 4, "abcdef"), "abc");
	/* Every output byte is printable. */
	{
		char in[256], out[PK_ESCAPED_MAX(255)];

		for (int i = 0; i < 255; i++)
			in[i] = (char)(i + 1);
		in[255] = '\0';
		pk_escape(out, sizeof(out), in);
		/* 94 printable, the backslash doubled, 160 escaped. */
		CHECK_INT(strlen(out), 94 + 2 + 160 * 4);
		for (size_t i = 0; out[i] != '\0'; i++)
			CHECK(out[i] >= 0x20 && out[i] < 0x7f);
	}
}

int
main(void)
{
	RUN(test_plain);
	RUN(test_escapes);
	RUN(test_truncation);
	TEST_MAIN_END();
}
