/* out.c - the ordered result list of sans-I/O calls (see out.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/out.h"

/* Items start 8-byte aligned so an event header copied in stays tidy. */
#define OUT_ALIGN 8

int
out_init(struct pk_out *o, size_t arena_cap, size_t items_cap)
{
	memset(o, 0, sizeof(*o));
	o->arena = malloc(arena_cap);
	o->items = calloc(items_cap, sizeof(*o->items));
	if (o->arena == NULL || o->items == NULL) {
		out_free(o);
		return PK_ERR_NOMEM;
	}
	o->arena_cap = arena_cap;
	o->items_cap = items_cap;
	return PK_OK;
}

void
out_free(struct pk_out *o)
{
	if (o == NULL)
		return;
	if (o->arena != NULL)
		explicit_bzero(o->arena, o->arena_cap);
	free(o->arena);
	free(o->items);
	memset(o, 0, sizeof(*o));
}

/*
 * The arena carries passwords (a PAP Authenticate-Request event), keys
 * and plaintext: wipe what this round used before the next one, and only
 * that, so that resetting stays cheap for the small results of most calls.
 */
void
out_reset(struct pk_out *o)
{
	if (o->arena != NULL && o->arena_dirty > 0)
		explicit_bzero(o->arena, o->arena_dirty);
	o->arena_dirty = 0;
	o->arena_used = 0;
	o->n_items = 0;
	o->overflow = 0;
}

static size_t
aligned_used(const struct pk_out *o)
{
	return (o->arena_used + OUT_ALIGN - 1) & ~(size_t)(OUT_ALIGN - 1);
}

int
out_begin(struct pk_out *o, size_t max, struct buf_writer *w)
{
	size_t start = aligned_used(o);

	if (o->n_items >= o->items_cap || start > o->arena_cap ||
	    o->arena_cap - start < max) {
		o->overflow = 1;
		buf_writer_init(w, NULL, 0);
		return PK_ERR_FULL;
	}
	buf_writer_init(w, o->arena + start, max);
	/* The writer may fill all of it, committed or not. */
	if (start + max > o->arena_dirty)
		o->arena_dirty = start + max;
	return PK_OK;
}

int
out_commit(struct pk_out *o, uint16_t kind, uint16_t tag,
    const struct buf_writer *w)
{
	size_t start = aligned_used(o);
	struct out_item *it;

	if (w->err != 0)
		return w->err;
	if (w->data != o->arena + start || o->n_items >= o->items_cap)
		return PK_ERR_INTERNAL;
	it = &o->items[o->n_items++];
	it->kind = kind;
	it->tag = tag;
	it->off = (uint32_t)start;
	it->len = (uint32_t)w->len;
	o->arena_used = start + w->len;
	return PK_OK;
}

int
out_put(struct pk_out *o, uint16_t kind, uint16_t tag, const void *data,
    size_t len)
{
	struct buf_writer w;
	int r;

	if ((r = out_begin(o, len, &w)) != 0 ||
	    (r = buf_put_bytes(&w, data, len)) != 0)
		return r;
	return out_commit(o, kind, tag, &w);
}

int
out_event(struct pk_out *o, uint16_t source, uint16_t type, int32_t code,
    uint32_t id, const void *payload, size_t payload_len, const char *fmt, ...)
{
	struct pk_event ev;
	struct buf_writer w;
	va_list ap;
	int r;

	memset(&ev, 0, sizeof(ev));
	ev.source = source;
	ev.type = type;
	ev.code = code;
	ev.id = id;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(ev.text, sizeof(ev.text), fmt, ap);
		va_end(ap);
	}
	if ((r = out_begin(o, sizeof(ev) + payload_len, &w)) != 0 ||
	    (r = buf_put_bytes(&w, &ev, sizeof(ev))) != 0 ||
	    (r = buf_put_bytes(&w, payload, payload_len)) != 0)
		return r;
	return out_commit(o, OUT_EVENT, 0, &w);
}

const struct out_item *
out_item(const struct pk_out *o, size_t idx)
{
	return idx < o->n_items ? &o->items[idx] : NULL;
}

const uint8_t *
out_data(const struct pk_out *o, size_t idx)
{
	return idx < o->n_items ? o->arena + o->items[idx].off : NULL;
}

int
out_get_event(const struct pk_out *o, size_t idx, struct pk_event *ev)
{
	struct buf_reader rd;

	if (idx >= o->n_items || o->items[idx].kind != OUT_EVENT)
		return PK_ERR_TYPE;
	buf_reader_init(&rd, out_data(o, idx), o->items[idx].len);
	return buf_get_bytes(&rd, ev, sizeof(*ev));
}

int
out_event_payload(const struct pk_out *o, size_t idx, void *dst, size_t n)
{
	struct buf_reader rd;
	int r;

	if (idx >= o->n_items || o->items[idx].kind != OUT_EVENT)
		return PK_ERR_TYPE;
	buf_reader_init(&rd, out_data(o, idx), o->items[idx].len);
	if ((r = buf_skip(&rd, sizeof(struct pk_event))) != 0)
		return r;
	if (buf_remaining(&rd) != n)
		return PK_ERR_LENGTH;
	return buf_get_bytes(&rd, dst, n);
}

int
out_copy_item(struct pk_out *dst, const struct pk_out *src, size_t idx)
{
	const struct out_item *it = out_item(src, idx);

	if (it == NULL)
		return PK_ERR_ARG;
	return out_put(dst, it->kind, it->tag, out_data(src, idx), it->len);
}
