/* test.c - shared helpers for the unit tests. */
#include <ctype.h>

#include "test.h"

int test_failures;
const char *test_current = "";

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t
test_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = hex; *p != '\0'; p++) {
		int v;

		if (isspace((unsigned char)*p))
			continue;
		if ((v = hexval((unsigned char)*p)) < 0) {
			fprintf(stderr, "test_unhex: bad hex '%c'\n", *p);
			abort();
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap) {
			fprintf(stderr, "test_unhex: overflow\n");
			abort();
		}
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		fprintf(stderr, "test_unhex: odd digit count\n");
		abort();
	}
	return n;
}

void
test_hexdump(const char *label, const void *p, size_t n)
{
	const uint8_t *b = p;

	fprintf(stderr, "  %s:", label);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 32 == 0 ? "\n    " : " ", b[i]);
	fprintf(stderr, "\n");
}
