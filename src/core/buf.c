/* buf.c - the bounds-checked reader and writer (see buf.h). */
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

void
buf_reader_init(struct buf_reader *r, const void *data, size_t len)
{
	r->data = data;
	r->len = data == NULL ? 0 : len;
	r->pos = 0;
}

size_t
buf_remaining(const struct buf_reader *r)
{
	return r->len - r->pos;
}

const uint8_t *
buf_cur(const struct buf_reader *r)
{
	return r->data == NULL ? NULL : r->data + r->pos;
}

int
buf_get_ptr(struct buf_reader *r, const uint8_t **p, size_t n)
{
	if (buf_remaining(r) < n)
		return PK_ERR_SHORT;
	*p = r->data + r->pos;
	r->pos += n;
	return PK_OK;
}

int
buf_get_u8(struct buf_reader *r, uint8_t *v)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, 1)) != 0)
		return e;
	*v = p[0];
	return PK_OK;
}

int
buf_get_u16(struct buf_reader *r, uint16_t *v)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, 2)) != 0)
		return e;
	*v = (uint16_t)((p[0] << 8) | p[1]);
	return PK_OK;
}

int
buf_get_u16_le(struct buf_reader *r, uint16_t *v)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, 2)) != 0)
		return e;
	*v = (uint16_t)((p[1] << 8) | p[0]);
	return PK_OK;
}

int
buf_get_u32(struct buf_reader *r, uint32_t *v)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, 4)) != 0)
		return e;
	*v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
	return PK_OK;
}

int
buf_get_bytes(struct buf_reader *r, void *dst, size_t n)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, n)) != 0)
		return e;
	if (n > 0)
		memcpy(dst, p, n);
	return PK_OK;
}

int
buf_skip(struct buf_reader *r, size_t n)
{
	const uint8_t *p;

	return buf_get_ptr(r, &p, n);
}

int
buf_peek_u8(const struct buf_reader *r, size_t off, uint8_t *v)
{
	if (buf_remaining(r) < 1 || buf_remaining(r) - 1 < off)
		return PK_ERR_SHORT;
	*v = r->data[r->pos + off];
	return PK_OK;
}

int
buf_peek_u16(const struct buf_reader *r, size_t off, uint16_t *v)
{
	if (buf_remaining(r) < 2 || buf_remaining(r) - 2 < off)
		return PK_ERR_SHORT;
	*v = (uint16_t)((r->data[r->pos + off] << 8) |
	    r->data[r->pos + off + 1]);
	return PK_OK;
}

int
buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub)
{
	const uint8_t *p;
	int e;

	if ((e = buf_get_ptr(r, &p, n)) != 0)
		return e;
	buf_reader_init(sub, p, n);
	return PK_OK;
}

int
buf_expect_end(const struct buf_reader *r)
{
	return buf_remaining(r) == 0 ? PK_OK : PK_ERR_LONG;
}

void
buf_writer_init(struct buf_writer *w, void *data, size_t cap)
{
	w->data = data;
	w->cap = data == NULL ? 0 : cap;
	w->len = 0;
	w->err = 0;
}

void
buf_writer_wrap(struct buf_writer *w, void *data, size_t len)
{
	buf_writer_init(w, data, len);
	w->len = w->cap;
}

int
buf_get_u16_at(const struct buf_writer *w, size_t off, uint16_t *v)
{
	if (w->len < 2 || off > w->len - 2)
		return PK_ERR_ARG;
	*v = (uint16_t)((w->data[off] << 8) | w->data[off + 1]);
	return PK_OK;
}

size_t
buf_avail(const struct buf_writer *w)
{
	return w->cap - w->len;
}

int
buf_put_reserve(struct buf_writer *w, size_t n, uint8_t **p)
{
	if (buf_avail(w) < n) {
		if (w->err == 0)
			w->err = PK_ERR_SPACE;
		return PK_ERR_SPACE;
	}
	*p = w->data + w->len;
	w->len += n;
	return PK_OK;
}

int
buf_put_u8(struct buf_writer *w, uint8_t v)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, 1, &p)) != 0)
		return e;
	p[0] = v;
	return PK_OK;
}

int
buf_put_u16(struct buf_writer *w, uint16_t v)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, 2, &p)) != 0)
		return e;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return PK_OK;
}

int
buf_put_u16_le(struct buf_writer *w, uint16_t v)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, 2, &p)) != 0)
		return e;
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return PK_OK;
}

int
buf_put_u32(struct buf_writer *w, uint32_t v)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, 4, &p)) != 0)
		return e;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return PK_OK;
}

int
buf_put_bytes(struct buf_writer *w, const void *src, size_t n)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, n, &p)) != 0)
		return e;
	if (n > 0)
		memcpy(p, src, n);
	return PK_OK;
}

int
buf_put_zero(struct buf_writer *w, size_t n)
{
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, n, &p)) != 0)
		return e;
	if (n > 0)
		memset(p, 0, n);
	return PK_OK;
}

int
buf_put_padded_str(struct buf_writer *w, const char *s, size_t n)
{
	size_t sl = s == NULL ? 0 : strnlen(s, n);
	uint8_t *p;
	int e;

	if ((e = buf_put_reserve(w, n, &p)) != 0)
		return e;
	memset(p, 0, n);
	if (sl > 0)
		memcpy(p, s, sl);
	return PK_OK;
}

int
buf_set_u8_at(struct buf_writer *w, size_t off, uint8_t v)
{
	if (off >= w->len)
		return PK_ERR_ARG;
	w->data[off] = v;
	return PK_OK;
}

int
buf_set_u16_at(struct buf_writer *w, size_t off, uint16_t v)
{
	if (w->len < 2 || off > w->len - 2)
		return PK_ERR_ARG;
	w->data[off] = (uint8_t)(v >> 8);
	w->data[off + 1] = (uint8_t)v;
	return PK_OK;
}
