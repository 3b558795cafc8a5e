/*
 * buf.h - the bounds-checked cursor through which every wire parser reads
 * and every encoder writes.
 *
 * A struct buf_reader borrows a byte range; each get advances it or, when
 * the bytes are not there, leaves it unchanged and returns PK_ERR_SHORT.
 * Multi-byte integers are network order (big-endian) unless the function
 * name says _le. Calls chain with ||, OpenSSH-style:
 *
 *	if ((r = buf_get_u16(&rd, &len)) != 0 ||
 *	    (r = buf_get_u32(&rd, &magic)) != 0)
 *		return r;
 *
 * A struct buf_writer fills caller-owned memory of fixed capacity; a put
 * that does not fit returns PK_ERR_SPACE, writes nothing and latches
 * w->err so an encoder may also check once at the end.
 *
 * No other code in pptpkit does pointer arithmetic on packet buffers.
 */
#ifndef PK_CORE_BUF_H
#define PK_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf_reader {
	const uint8_t *data;	/* borrowed; must outlive the reader */
	size_t len;
	size_t pos;
};

struct buf_writer {
	uint8_t *data;		/* borrowed; must outlive the writer */
	size_t cap;
	size_t len;
	int err;		/* first error seen, 0 if none */
};

void buf_reader_init(struct buf_reader *r, const void *data, size_t len);
size_t buf_remaining(const struct buf_reader *r);
/* Pointer to the unread bytes (valid as long as the underlying data). */
const uint8_t *buf_cur(const struct buf_reader *r);

int buf_get_u8(struct buf_reader *r, uint8_t *v);
int buf_get_u16(struct buf_reader *r, uint16_t *v);
int buf_get_u32(struct buf_reader *r, uint32_t *v);
int buf_get_u16_le(struct buf_reader *r, uint16_t *v);
int buf_get_bytes(struct buf_reader *r, void *dst, size_t n);
/* Borrows n bytes: *p points into the reader's data. */
int buf_get_ptr(struct buf_reader *r, const uint8_t **p, size_t n);
int buf_skip(struct buf_reader *r, size_t n);
/* Peeks at offset off from the current position without advancing. */
int buf_peek_u8(const struct buf_reader *r, size_t off, uint8_t *v);
int buf_peek_u16(const struct buf_reader *r, size_t off, uint16_t *v);
/* Splits the next n bytes off into *sub and advances r past them. */
int buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub);
/* PK_ERR_LONG if any bytes remain. */
int buf_expect_end(const struct buf_reader *r);

void buf_writer_init(struct buf_writer *w, void *data, size_t cap);
/* A writer over len bytes that are already filled, for patching fields
 * in place with buf_set_*_at() (e.g. rewriting a TCP MSS option). */
void buf_writer_wrap(struct buf_writer *w, void *data, size_t len);
int buf_get_u16_at(const struct buf_writer *w, size_t off, uint16_t *v);
int buf_put_u8(struct buf_writer *w, uint8_t v);
int buf_put_u16(struct buf_writer *w, uint16_t v);
int buf_put_u32(struct buf_writer *w, uint32_t v);
int buf_put_u16_le(struct buf_writer *w, uint16_t v);
int buf_put_bytes(struct buf_writer *w, const void *src, size_t n);
int buf_put_zero(struct buf_writer *w, size_t n);
/* Copies at most n bytes of the NUL-terminated string s and zero-pads to n
 * (PPTP's fixed 64-byte host name fields). */
int buf_put_padded_str(struct buf_writer *w, const char *s, size_t n);
/* Overwrites earlier bytes, for lengths known only at the end. */
int buf_set_u8_at(struct buf_writer *w, size_t off, uint8_t v);
int buf_set_u16_at(struct buf_writer *w, size_t off, uint16_t v);
/* Reserves n bytes and returns a pointer to them, for in-place
 * transforms (e.g. RC4 writing straight into the output). */
int buf_put_reserve(struct buf_writer *w, size_t n, uint8_t **p);
/* Space left. */
size_t buf_avail(const struct buf_writer *w);

#endif
