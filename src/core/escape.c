/* escape.c - printable-only peer text (see escape.h). */
#include <stdio.h>
#include <string.h>

#include "core/escape.h"

char *
pk_escape_bytes(char *dst, size_t dstlen, const void *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = src;
	size_t n = 0;

	if (dstlen == 0)
		return dst;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		char esc[4];
		size_t k;

		if (c == '\\') {
			esc[0] = esc[1] = '\\';
			k = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			esc[0] = (char)c;
			k = 1;
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 0x0f];
			k = 4;
		}
		if (dstlen - n <= k)
			break;
		memcpy(dst + n, esc, k);
		n += k;
	}
	dst[n] = '\0';
	return dst;
}

char *
pk_escape(char *dst, size_t dstlen, const char *src)
{
	return pk_escape_bytes(dst, dstlen, src, strlen(src));
}
