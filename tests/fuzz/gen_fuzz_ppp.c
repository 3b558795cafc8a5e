/*
 * gen_fuzz_ppp.c - writes the seed corpus of fuzz_ppp: for a set of
 * configurations, a client and a server are joined in memory
 * (tests/unit/ppp_harness.h), each side drawing from its own random
 * stream, and the frames each side receives are written out in
 * fuzz_ppp's framing. Replayed by fuzz_ppp, a file takes the side it
 * was captured for through the same negotiation, authentication and MPPE
 * traffic. Some sessions then get one of the client's Configure-Requests
 * again, late (LCP, CCP or IPCP): as it was (a copy of the request the
 * server acked, which it acks again), or under a new Identifier, which
 * the server renegotiates (LCP: authentication again); both captures
 * carry what followed.
 * Not built by CMake; run tests/fuzz/gen_fuzz_ppp.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "fuzz_ppp_common.h"

#define REC_MAX 65536

struct capture {
	uint64_t stream[2];
	int cur;
	/* Per receiving side: the records it was fed. */
	uint8_t rec[2][REC_MAX];
	size_t len[2];
	/* The first Configure-Request of the protocol to replay, as the
	 * server received it. */
	uint16_t replay_proto;
	uint8_t replay[256];
	size_t replay_len;
};

enum { M_PLAIN, M_CLOSE, M_RENEG, M_COPY };

static struct capture cap;

static void
side_rand(void *buf, size_t n, void *arg)
{
	fz_rand(buf, n, &cap.stream[cap.cur]);
}

static void
enter(struct h_link *l, int side)
{
	cap.cur = side;
}

static void
record(int to, const uint8_t *frame, size_t len)
{
	/* A frame too long for a length byte is left out; the corpus
	 * keeps its IP packets small so that none is. */
	if (len == 0 || len > 255 || cap.len[to] + 1 + len > REC_MAX)
		return;
	cap.rec[to][cap.len[to]++] = (uint8_t)len;
	memcpy(&cap.rec[to][cap.len[to]], frame, len);
	cap.len[to] += len;
}

static void
tap(struct h_link *l, int from, const uint8_t *frame, size_t len)
{
	size_t off = len >= 2 && frame[0] == PPP_ADDRESS ? 2 : 0;

	record(1 - from, frame, len);
	/* Uncompressed protocol field: LCP always, the NCPs before the
	 * peer asked for PFC (their first request comes before that). */
	if (from == H_CLIENT && cap.replay_len == 0 && cap.replay_proto != 0 &&
	    len > off + 2 && len <= sizeof(cap.replay) &&
	    frame[off] == cap.replay_proto >> 8 &&
	    frame[off + 1] == (cap.replay_proto & 0xff) &&
	    frame[off + 2] == PPP_CONFREQ) {
		memcpy(cap.replay, frame, len);
		cap.replay_len = len;
	}
}

static void
write_file(const char *dir, const char *name, uint8_t sel, int side)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fputc(sel, f);
	fwrite(cap.rec[side], 1, cap.len[side], f);
	fclose(f);
}

/* Small IP packets both ways, so the MPPE frames fit a record. */
static void
traffic(struct h_link *l)
{
	uint8_t pkt[120];

	for (int i = 0; i < 6; i++) {
		for (int side = 0; side < 2; side++) {
			size_t n = 20 + (size_t)i * 17;

			memset(pkt, 0x11 * (i + 1), n);
			pkt[0] = (l->side[side].up_info.ipv6_up && i % 2) ?
			    0x60 : 0x45;
			cap.cur = side;
			ppp_send_ip(l->side[side].ppp, l->now, pkt, n,
			    &l->side[side].out);
		}
		h_pump(l);
	}
}

static void
one(const char *dir, uint8_t sel, const char *tag, int mode, uint16_t proto)
{
	struct ppp_config c, s;
	struct h_link l;
	char name[64];

	memset(&cap, 0, sizeof(cap));
	cap.replay_proto = mode == M_RENEG || mode == M_COPY ? proto : 0;
	cap.stream[H_SERVER] = FZ_SEED_SERVER;
	cap.stream[H_CLIENT] = FZ_SEED_CLIENT;
	pk_rand_set_source(side_rand, NULL);
	fz_config(sel & ~FZ_ROLE_CLIENT, &s);
	fz_config(sel | FZ_ROLE_CLIENT, &c);
	if (h_init(&l, &c, &s) != 0) {
		fprintf(stderr, "config %#x invalid\n", sel);
		exit(1);
	}
	l.enter = enter;
	l.tap = tap;
	h_start(&l);
	h_pump(&l);
	if (l.side[0].up != 1 || l.side[1].up != 1) {
		fprintf(stderr, "config %#x did not come up\n", sel);
		exit(1);
	}
	traffic(&l);
	if (mode == M_RENEG || mode == M_COPY) {
		size_t off = cap.replay[0] == PPP_ADDRESS ? 2 : 0;

		if (cap.replay_len < off + 4) {
			fprintf(stderr, "%s: nothing to replay\n", tag);
			exit(1);
		}
		/* A new Identifier: not a copy of the acked request. */
		if (mode == M_RENEG)
			cap.replay[off + 3] ^= 0x80;
		/* Late, after the link opened: the server renegotiates. */
		record(H_SERVER, cap.replay, cap.replay_len);
		cap.cur = H_SERVER;
		ppp_input(l.side[H_SERVER].ppp, l.now, cap.replay,
		    cap.replay_len, &l.side[H_SERVER].out);
		h_pump(&l);
		if ((ppp_stats(l.side[H_SERVER].ppp)->renegotiations == 0) ==
		    (mode == M_RENEG) || l.side[0].down || l.side[1].down) {
			fprintf(stderr, "%s: not as expected\n", tag);
			exit(1);
		}
		traffic(&l);
	}
	if (mode == M_CLOSE) {
		cap.cur = H_CLIENT;
		ppp_close(l.side[H_CLIENT].ppp, l.now, "bye",
		    &l.side[H_CLIENT].out);
		h_pump(&l);
	}
	h_free(&l);
	snprintf(name, sizeof(name), "server-%s", tag);
	write_file(dir, name, sel & ~FZ_ROLE_CLIENT, H_SERVER);
	snprintf(name, sizeof(name), "client-%s", tag);
	write_file(dir, name, sel | FZ_ROLE_CLIENT, H_CLIENT);
}

int
main(int argc, char **argv)
{
	/* auth << 1 | mppe << 3 | stateful 0x20 | ipv6 0x40 */
	static const struct {
		uint8_t sel;
		const char *tag;
	} sets[] = {
		{ 0 << 1 | 0 << 3, "pap" },
		{ 1 << 1 | 0 << 3, "chap" },
		{ 2 << 1 | 2 << 3, "mschapv1-mppe128" },
		{ 3 << 1 | 2 << 3, "mschapv2-mppe128-stateless" },
		{ 3 << 1 | 2 << 3 | 0x20, "mschapv2-mppe128-stateful" },
		{ 3 << 1 | 3 << 3 | 0x40, "mschapv2-mppe-ipv6" },
		{ 3 << 1 | 1 << 3, "mschapv2-mppe-allowed" },
		{ 0 << 1 | 0 << 3 | 0x40, "pap-ipv6" },
	};
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus/fuzz_ppp";

	pk_log_set_level(PK_LOG_ERR);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		one(dir, sets[i].sel, sets[i].tag, M_PLAIN, 0);
	one(dir, 3 << 1 | 2 << 3, "mschapv2-close", M_CLOSE, 0);
	one(dir, 3 << 1 | 2 << 3, "mschapv2-reneg-lcp", M_RENEG,
	    PPP_PROTO_LCP);
	one(dir, 3 << 1 | 2 << 3, "mschapv2-reneg-ccp", M_RENEG,
	    PPP_PROTO_CCP);
	one(dir, 0 << 1 | 0 << 3 | 0x40, "pap-ipv6-reneg-ipcp", M_RENEG,
	    PPP_PROTO_IPCP);
	one(dir, 3 << 1 | 2 << 3, "mschapv2-copy-lcp", M_COPY, PPP_PROTO_LCP);
	return 0;
}
