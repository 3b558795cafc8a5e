/*
 * fuzz_bitflip.c - libFuzzer target for the parsers of the keyless MPPE
 * modifier (src/audit/bitflip.c): the input is an outer IPv4 packet as
 * NFQUEUE would hand it over, from anyone on the path. bitflip_snoop()
 * and bitflip_apply() (each checksum mode) must never read or write past
 * it; a packet they do not take stays byte for byte as it was, and one
 * they change differs in exactly the bytes they report. Seeds:
 * tests/fuzz/corpus/fuzz_bitflip (tests/fuzz/gen_corpus_bitflip.py).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "core/err.h"

/* The code under test, compiled in for coverage (see fuzz_pptp_ctrl.c). */
#include "audit/bitflip.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX 4096
#define FZ_MSG "PAY 100 EUR TO ACCOUNT 12345"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_MAX];
	struct bitflip_target t;
	struct bitflip_ipcp ip;
	struct bitflip_result res;
	uint32_t client = htonl(0xc6124602);	/* 198.18.70.2 */
	int r;

	if (size > FZ_MAX)
		return 0;
	memset(&ip, 0, sizeof(ip));
	memcpy(pkt, data, size);
	r = bitflip_snoop(pkt, size, client, &ip);
	if (r > 1 || memcmp(pkt, data, size) != 0)
		abort();	/* snooping never writes */
	memset(&t, 0, sizeof(t));
	t.outer_client = client;
	t.sport = 40000;
	t.dport = 5300;
	t.payload_len = strlen(FZ_MSG);
	memcpy(t.payload, FZ_MSG, t.payload_len);
	t.offset = 4;
	t.repl_len = 3;
	memcpy(t.repl, "900", 3);
	for (int mode = 0; mode < 3; mode++) {
		size_t diff = 0;

		t.checksum = mode;
		/* With and without known addresses. */
		for (int known = 0; known < 2; known++) {
			struct bitflip_ipcp k = ip;

			if (known) {
				k.client_addr = htonl(0xc6134602);
				k.server_addr = htonl(0xc6134601);
			}
			memcpy(pkt, data, size);
			r = bitflip_apply(&t, &k, pkt, size, &res);
			diff = 0;
			for (size_t i = 0; i < size; i++)
				diff += pkt[i] != data[i];
			if (r != 1 && diff != 0)
				abort();	/* untouched means untouched */
			if (r == 1 && diff != res.n_flips)
				abort();	/* reported what it did */
			if (r == 1 && res.n_flips > BITFLIP_FLIPS_MAX)
				abort();
			for (size_t i = 0; r == 1 && i < res.n_flips; i++)
				if (res.flips[i].off >= res.ct_len ||
				    (res.flips[i].before ^ res.flips[i].mask) !=
				    res.flips[i].after)
					abort();
		}
	}
	return 0;
}
