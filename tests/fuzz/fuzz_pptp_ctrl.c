/*
 * fuzz_pptp_ctrl.c - libFuzzer target for the PPTP control plane:
 * (a) the message decoder on the raw input, with a re-encode invariant,
 * and (b) a PAC and a PNS control connection each fed the input as a TCP
 * stream in uneven chunks, with time moving on and an owner that answers
 * calls, so that timers, calls and teardown are reached too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "core/rand.h"
#include "pptp/ctrl.h"
#include "pptp/ctrl_msg.h"

/*
 * The code under test is compiled into this file (wireguard-tools style)
 * so that libFuzzer's coverage instrumentation, which CMake applies to
 * the target's own sources only, sees inside it. These definitions take
 * the place of the library's copies at link time.
 */
#include "pptp/call.c"
#include "pptp/call_api.c"
#include "pptp/ctrl.c"
#include "pptp/ctrl_msg.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pk_out fz_out;

/* decode -> encode -> decode -> encode must be stable. */
static void
fuzz_codec(const uint8_t *data, size_t size)
{
	uint8_t enc1[PK_CTRL_MSG_MAX], enc2[PK_CTRL_MSG_MAX];
	struct pptp_msg m, m2;
	struct buf_writer w1, w2;
	size_t len;
	int r;

	r = pptp_msg_decode(data, size, &m);
	/* Whatever decodes also frames, with the same length. */
	if ((r == 0 || r == PK_ERR_VERSION) &&
	    (pptp_msg_frame(data, size, &len) != 0 || len != size))
		abort();
	if (r != 0 && r != PK_ERR_VERSION)
		return;
	if (size != pptp_msg_len(m.type))
		abort();
	buf_writer_init(&w1, enc1, sizeof(enc1));
	if (pptp_msg_encode(&m, &w1) != 0 || w1.len != size)
		abort();
	if (pptp_msg_decode(enc1, w1.len, &m2) != r)
		abort();
	buf_writer_init(&w2, enc2, sizeof(enc2));
	if (pptp_msg_encode(&m2, &w2) != 0 || w2.len != w1.len ||
	    memcmp(enc1, enc2, w1.len) != 0)
		abort();
}

/*
 * A tiny owner: accepts or refuses requests, answers clears. Its Call IDs
 * are fixed (0x0101.. on the PNS, 0x0201.. on the PAC) so that seed
 * inputs can name them.
 */
struct fz {
	uint32_t x;
	uint16_t next_id;
};

static void
owner(struct pptp_ctrl *c, uint64_t now, struct fz *f)
{
	uint32_t *x = &f->x;
	size_t n = fz_out.n_items;

	for (size_t i = 0; i < n; i++) {
		const struct out_item *it = out_item(&fz_out, i);
		struct pk_event ev;

		if (it->kind == OUT_CTRL) {
			struct pptp_msg m;

			/* Everything we send must be a valid message. */
			if (pptp_msg_decode(out_data(&fz_out, i), it->len, &m)
			    != 0)
				abort();
			continue;
		}
		if (out_get_event(&fz_out, i, &ev) != 0)
			abort();
		*x = *x * 1103515245u + 12345u;
		switch (ev.type) {
		case PPTP_EV_CALL_REQUEST:
			if ((*x >> 16) % 4 == 0)
				pptp_ctrl_call_reject(c, now, (uint16_t)ev.id,
				    2, 4, 0, &fz_out);
			else if ((*x >> 16) % 4 != 1) {
				struct pptp_call_answer a;

				memset(&a, 0, sizeof(a));
				a.local_call_id = f->next_id++;
				pptp_ctrl_call_accept(c, now, (uint16_t)ev.id,
				    &a, &fz_out);
			}
			break;
		case PPTP_EV_CALL_CLEAR_REQUESTED:
			if ((*x >> 16) % 2)
				pptp_ctrl_call_disconnect(c, now,
				    (uint16_t)ev.id, 4, 0, 0, "stats", &fz_out);
			break;
		case PPTP_EV_CTRL_UP:
			if (pptp_ctrl_role(c) == PPTP_ROLE_PNS) {
				struct pptp_call_params p;
				uint16_t id;

				pptp_call_params_default(&p);
				p.local_call_id = f->next_id++;
				pptp_ctrl_call_start(c, now, &p, &id, &fz_out);
				p.local_call_id = f->next_id++;
				pptp_ctrl_call_start(c, now, &p, &id, &fz_out);
			}
			break;
		case PPTP_EV_CALL_UP:
			if (pptp_ctrl_role(c) == PPTP_ROLE_PNS &&
			    (*x >> 16) % 3 == 0)
				pptp_ctrl_call_clear(c, now, (uint16_t)ev.id,
				    &fz_out);
			break;
		}
	}
	out_reset(&fz_out);
}

static void
fuzz_stream(int role, const uint8_t *data, size_t size)
{
	struct pptp_ctrl_config cfg;
	struct pptp_ctrl *c;
	struct buf_reader rd;
	struct fz f;
	uint32_t *x = &f.x;
	uint64_t now = 1000;
	const uint8_t *p;

	f.x = (uint32_t)size * 2654435761u + (uint32_t)role;
	f.next_id = role == PPTP_ROLE_PNS ? 0x0101 : 0x0201;
	pk_rand_use_seeded(1);

	pptp_ctrl_config_default(&cfg, role);
	cfg.max_calls = 4;
	if (pptp_ctrl_new(&c, &cfg, now) != 0)
		abort();
	if (role == PPTP_ROLE_PNS)
		pptp_ctrl_start(c, now, &fz_out);
	owner(c, now, &f);
	buf_reader_init(&rd, data, size);
	while (buf_remaining(&rd) > 0) {
		size_t chunk;

		*x = *x * 1103515245u + 12345u;
		chunk = 1 + (*x >> 16) % 97;
		if (chunk > buf_remaining(&rd))
			chunk = buf_remaining(&rd);
		if (buf_get_ptr(&rd, &p, chunk) != 0)
			abort();
		if (pptp_ctrl_input(c, now, p, chunk, &fz_out) == PK_ERR_FULL)
			abort();
		owner(c, now, &f);
		/* Mostly small steps; now and then past every timer. */
		now += (*x >> 8) % 16 == 0 ? 61000 : 10;
		if (now >= pptp_ctrl_next_deadline(c)) {
			pptp_ctrl_timeout(c, now, &fz_out);
			owner(c, now, &f);
		}
		if (pptp_ctrl_state(c) == PPTP_CTRL_CLOSED)
			break;
	}
	if (pptp_ctrl_call_count(c) > cfg.max_calls)
		abort();
	pptp_ctrl_peer_closed(c, now, &fz_out);
	owner(c, now, &f);
	if (pptp_ctrl_call_count(c) != 0 ||
	    pptp_ctrl_state(c) != PPTP_CTRL_CLOSED)
		abort();
	pptp_ctrl_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fz_out.arena == NULL) {
		if (out_init(&fz_out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0)
			abort();
		pk_log_set_level(-1);	/* quiet */
	}
	fuzz_codec(data, size);
	fuzz_stream(PPTP_ROLE_PAC, data, size);
	fuzz_stream(PPTP_ROLE_PNS, data, size);
	return 0;
}
