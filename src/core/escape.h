/*
 * escape.h - peer-supplied text made safe to show: user names, host and
 * vendor names reach log lines, terminals and `pptpkit show sessions`,
 * where a byte like ESC would let a peer rewrite what an operator sees.
 * Printable ASCII passes unchanged, except the backslash, which doubles;
 * every other byte becomes \xNN. The result is unambiguous (the original
 * bytes can be recovered) and never longer than PK_ESCAPED_MAX(len).
 */
#ifndef PK_CORE_ESCAPE_H
#define PK_CORE_ESCAPE_H

#include <stddef.h>

/* Room for len bytes escaped, with the NUL. */
#define PK_ESCAPED_MAX(len) (4 * (len) + 1)

/*
 * Escapes the NUL-terminated src into dst (dstlen > 0): always
 * NUL-terminated; an escape that does not fit whole is left out, and so
 * is everything after it. Returns dst.
 */
char *pk_escape(char *dst, size_t dstlen, const char *src);
/* The same for len bytes that may hold NULs. */
char *pk_escape_bytes(char *dst, size_t dstlen, const void *src, size_t len);

#endif
