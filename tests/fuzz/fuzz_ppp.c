/*
 * fuzz_ppp.c - a PPP link (server or client, per the selector byte) fed
 * arbitrary frames after ppp_start(), with authentication requests
 * answered from a password and IP sent once the link is up; plus the
 * option decoders on the raw input. Framing: fuzz_ppp_common.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/log.h"
#include "core/out.h"
#include "core/rand.h"
#include "fuzz_ppp_common.h"
#include "ppp/fsm.h"
#include "ppp/ppp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pk_out out;

/* Answers what the link asked and feeds IP back once it is up. */
static void
react(struct ppp *p, uint64_t now)
{
	static const uint8_t ip[40] = { 0x45, 0x00, 0x00, 0x28 };
	static const uint8_t ip6[48] = { 0x60 };
	struct auth_request req;
	struct auth_result res;
	struct pk_event ev;
	size_t n = out.n_items;
	int up = 0;

	for (size_t k = 0; k < n; k++) {
		if (out_get_event(&out, k, &ev) != 0)
			continue;
		if (ev.type == PPP_EV_UP || ev.type == PPP_EV_IPV6_UP)
			up = 1;
		if (ev.type != PPP_EV_AUTH_REQUEST ||
		    out_event_payload(&out, k, &req, sizeof(req)) != 0)
			continue;
		memset(&res, 0, sizeof(res));
		auth_verify_local(&req, "correct horse", &res);
		ppp_auth_complete(p, now, &res, &out);
		auth_result_wipe(&res);
	}
	if (up || ppp_phase(p) == PPP_PHASE_NETWORK) {
		ppp_send_ip(p, now, ip, sizeof(ip), &out);
		ppp_send_ip(p, now, ip6, sizeof(ip6), &out);
	}
	out_reset(&out);
}

static void
decoders(const uint8_t *data, size_t size)
{
	struct buf_reader rd;

	ppp_fsm_check_options(data, size);
	buf_reader_init(&rd, data, size);
	(void)lcp_parse_auth(&rd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t stream;
	struct ppp_config cfg;
	struct buf_reader rd;
	const uint8_t *frame;
	struct ppp *p;
	uint64_t now = 1000;
	uint8_t sel, len;

	if (out.arena == NULL) {
		/* Quiet, unless PK_FUZZ_VERBOSE=<level> asks to watch. */
		pk_log_set_level(getenv("PK_FUZZ_VERBOSE") != NULL ?
		    atoi(getenv("PK_FUZZ_VERBOSE")) : PK_LOG_ERR - 1);
		if (out_init(&out, PK_OUT_ARENA, PK_OUT_ITEMS) != 0)
			abort();
	}
	decoders(data, size);
	buf_reader_init(&rd, data, size);
	if (buf_get_u8(&rd, &sel) != 0)
		return 0;
	fz_config(sel, &cfg);
	stream = (sel & FZ_ROLE_CLIENT) ? FZ_SEED_CLIENT : FZ_SEED_SERVER;
	pk_rand_set_source(fz_rand, &stream);
	if ((p = ppp_new(&cfg, "fuzz")) == NULL)
		return 0;
	out_reset(&out);
	ppp_start(p, now, &out);
	react(p, now);
	while (buf_get_u8(&rd, &len) == 0) {
		if (len == 0) {
			now += FZ_TIME_STEP;
			ppp_timeout(p, now, &out);
		} else {
			if (buf_get_ptr(&rd, &frame, len) != 0)
				break;
			ppp_input(p, now, frame, len, &out);
		}
		react(p, now);
	}
	/* Let every timer run out: retransmissions, terminate, echo. */
	for (int i = 0; i < 64 && ppp_next_deadline(p) != PK_TIME_NEVER; i++) {
		now = ppp_next_deadline(p);
		ppp_timeout(p, now, &out);
		react(p, now);
	}
	ppp_free(p);
	return 0;
}
