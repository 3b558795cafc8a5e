/*
 * test_audit_decrypt.c - the passive MPPE decryptor (decrypt.h) against
 * senders whose output it must read: the engine's own MPPE encryptor
 * (mppe.c, as pptpkit sends) and a sender that behaves as the Linux
 * kernel's ppp_mppe.c (a reset answered by a flushed packet at the next
 * count, with a key change). Sessions run past the 4096 coherency-count
 * wrap; packets are "lost by the capture" (never fed) at chosen places,
 * including flag packets and flushed ones; both directions; 40, 56 and
 * 128 bits, stateful and stateless. Every packet fed must come out
 * byte for byte, and a wrong password must give nothing.
 */
#include <string.h>

#include "audit/decrypt.h"
#include "crypto/crypto.h"
#include "mppe/mppe.h"
#include "mppe/mppe_keys.h"
#include "audit_harness.h"

#define PASSWORD "clientPass"
#define V_AUTH "5B5D7C7D7B3F2F3E3C2C602132262628"
#define V_PEER "21402324255E262A28295F2B3A337C7E"
#define V_RESP "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"

/* An IPv4 packet (header checksum valid) that says which it is. */
static size_t
ip_packet(uint8_t *p, unsigned i, int dir)
{
	size_t len = 28 + (i * 37) % 1300;
	uint32_t sum = 0;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)(i >> 8);
	p[5] = (uint8_t)i;
	p[8] = 64;
	p[9] = 17;
	p[12] = 198, p[13] = 19, p[14] = 0, p[15] = (uint8_t)(2 - dir);
	p[16] = 198, p[17] = 19, p[18] = 0, p[19] = (uint8_t)(1 + dir);
	for (size_t k = 0; k < 20; k += 2)
		sum += (uint32_t)(p[k] << 8 | p[k + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[10] = (uint8_t)(~sum >> 8);
	p[11] = (uint8_t)~sum;
	for (size_t k = 20; k < len; k++)
		p[k] = (uint8_t)(i * 7 + k + dir);
	return len;
}

/* A sender as Linux's ppp_mppe.c: key change on every flushed packet;
 * after a reset, the next packet is flushed at whatever count it has. */
struct ksend {
	uint8_t master[16], key[16];
	struct crypto_rc4 rc4;
	uint16_t cc;
	int bits, stateless, flush_next;
	size_t kl;
};

static void
ksend_init(struct ksend *k, const uint8_t master[16], int bits,
    int stateless)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->master, master, 16);
	k->bits = bits;
	k->kl = bits == 128 ? 16 : 8;
	k->stateless = stateless;
	mppe_get_new_key_from_sha(master, master, k->kl, k->key);
	mppe_reduce_key(k->key, bits);
	crypto_rc4_set_key(&k->rc4, k->key, k->kl);
}

static size_t
ksend(struct ksend *k, const uint8_t *plain, size_t n, uint8_t *out)
{
	int flushed = k->stateless || (k->cc & 0xff) == 0xff || k->flush_next;

	if (flushed) {
		mppe_change_key(k->master, k->key, k->kl, k->bits);
		crypto_rc4_set_key(&k->rc4, k->key, k->kl);
	}
	out[0] = (uint8_t)(MPPE_BIT_ENCRYPTED | (flushed ? MPPE_BIT_FLUSHED :
	    0) | (k->cc >> 8));
	out[1] = (uint8_t)k->cc;
	crypto_rc4_crypt(&k->rc4, out + 2, plain, n);
	k->cc = (k->cc + 1) & MPPE_CCOUNT_MASK;
	k->flush_next = 0;
	return n + 2;
}

struct run {
	int bits, stateless, kernel;
	unsigned packets;	/* per direction */
	unsigned lost_every;	/* capture loses packet i when i % it == 3 */
	unsigned reset_every;	/* sender answers a reset every so often */
	const char *password;	/* what the decryptor is given */
};

static void
run_session(const struct run *rn, unsigned *decrypted, unsigned *fed,
    unsigned *wrong)
{
	uint8_t chal[16], resp[49], send[2][16], recv[2][16];
	struct audit_cred cred;
	struct audit_decrypt *dec;
	struct mppe eng[2];
	struct ksend ks[2];
	struct ah h;
	static const char ok[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
	uint32_t bits = (rn->bits == 128 ? MPPE_SB_S : rn->bits == 56 ?
	    MPPE_SB_M : MPPE_SB_L) | (rn->stateless ? MPPE_SB_H : 0);

	*decrypted = *fed = *wrong = 0;
	ah_init(&h);
	ah_open(&h);
	ah_lcp(&h, PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2);
	test_unhex(V_AUTH, chal, 16);
	ah_chap(&h, 1, CHAP_CHALLENGE, 7, chal, 16, "server");
	memset(resp, 0, sizeof(resp));
	test_unhex(V_PEER, resp, 16);
	test_unhex(V_RESP, resp + 24, 24);
	ah_chap(&h, 0, CHAP_RESPONSE, 7, resp, 49, "User");
	ah_ctl(&h, 1, PPP_PROTO_CHAP, CHAP_SUCCESS, 7, (const uint8_t *)ok,
	    strlen(ok));
	ah_ccp(&h, bits);
	h.acfc = 1;
	/* The senders: direction 0 is the client's (the peer's) keys. */
	CHECK_INT(mppe_keys_mschapv2(PASSWORD, resp + 24, 0, send[0],
	    recv[0]), 0);
	CHECK_INT(mppe_keys_mschapv2(PASSWORD, resp + 24, 1, send[1],
	    recv[1]), 0);
	for (int d = 0; d < 2; d++) {
		CHECK_INT(mppe_init(&eng[d], send[d], recv[d], rn->bits,
		    rn->stateless), 0);
		ksend_init(&ks[d], send[d], rn->bits, rn->stateless);
	}
	memset(&cred, 0, sizeof(cred));
	CHECK_INT(crypto_nt_password_hash(rn->password, cred.nt_hash), 0);
	CHECK_INT(audit_decrypt_new(&dec, &cred, 1), 0);
	for (unsigned i = 0; i < rn->packets; i++) {
		for (int d = 0; d < 2; d++) {
			uint8_t plain[1600], ct[1700];
			struct audit_plain out;
			struct buf_writer w;
			size_t n;
			int r;

			plain[0] = 0x00;
			plain[1] = 0x21;
			n = 2 + ip_packet(plain + 2, i, d);
			if (rn->reset_every && i % rn->reset_every ==
			    rn->reset_every - 1) {
				/* The peer asked for a reset. */
				mppe_reset_request(&eng[d]);
				ks[d].flush_next = 1;
			}
			if (rn->kernel) {
				n = ksend(&ks[d], plain, n, ct);
			} else {
				buf_writer_init(&w, ct, sizeof(ct));
				CHECK_INT(mppe_encrypt(&eng[d], plain, n, &w),
				    0);
				n = w.len;
			}
			if (rn->lost_every && i % rn->lost_every == 3)
				continue;	/* the capture missed it */
			CHECK(ah_ppp(&h, d, PPP_PROTO_COMP, ct, n));
			(*fed)++;
			r = audit_decrypt_frame(dec, &h.cap, &h.ev, &out);
			if (r != 1)
				continue;
			if (out.len == (size_t)ip_packet(plain, i, d) &&
			    memcmp(out.data, plain, out.len) == 0 &&
			    out.dir == d)
				(*decrypted)++;
			else
				(*wrong)++;
		}
	}
	audit_decrypt_free(dec);
	mppe_wipe(&eng[0]);
	mppe_wipe(&eng[1]);
	audit_cap_free(&h.cap);
}

static void
check_run(struct run rn, const char *what)
{
	unsigned dec, fed, wrong;

	rn.password = PASSWORD;
	run_session(&rn, &dec, &fed, &wrong);
	if (dec != fed || wrong != 0)
		fprintf(stderr, "  %s: %u of %u decrypted, %u wrong\n", what,
		    dec, fed, wrong);
	CHECK_INT(dec, fed);
	CHECK_INT(wrong, 0);
	CHECK(fed > 0);
}

static void
test_stateless(void)
{
	static const int bits[3] = { 40, 56, 128 };

	for (int b = 0; b < 3; b++)
		check_run((struct run){ .bits = bits[b], .stateless = 1,
		    .packets = 300 }, "stateless");
	/* Past the wrap, with capture losses. */
	check_run((struct run){ .bits = 128, .stateless = 1, .packets = 4500,
	    .lost_every = 97 }, "stateless wrap + loss");
}

static void
test_stateful_engine_sender(void)
{
	static const int bits[3] = { 40, 56, 128 };

	for (int b = 0; b < 3; b++)
		check_run((struct run){ .bits = bits[b], .packets = 600 },
		    "stateful");
	/* 4500 per direction: every key change (each 256) and the count
	 * wrap at 4096; the capture loses packets, some of them the
	 * flag packets that change the key (i % 256 == 3 never, so lose
	 * every 64th with offset 3 and every 256th+255 via resets). */
	check_run((struct run){ .bits = 128, .packets = 4500,
	    .lost_every = 64 }, "stateful wrap + loss");
	check_run((struct run){ .bits = 40, .packets = 1500, .lost_every = 5,
	    .reset_every = 100 }, "stateful heavy loss + resets");
}

static void
test_stateful_kernel_sender(void)
{
	/* Flushed packets off the flag slots: each changes the key. */
	check_run((struct run){ .bits = 128, .kernel = 1, .packets = 4500,
	    .reset_every = 50, .lost_every = 41 }, "kernel sender");
	check_run((struct run){ .bits = 56, .kernel = 1, .packets = 1000,
	    .reset_every = 7 }, "kernel sender, resets");
	check_run((struct run){ .bits = 128, .kernel = 1, .stateless = 1,
	    .packets = 500, .lost_every = 3 }, "kernel stateless");
}

static void
test_lost_flushed_packet(void)
{
	/* reset_every 10 and lost_every 10: every reset answer (the
	 * flushed packet) is lost by the capture; the decryptor must
	 * find the extra key change itself. */
	check_run((struct run){ .bits = 128, .kernel = 1, .packets = 600,
	    .reset_every = 4, .lost_every = 4 }, "lost flushed packets");
}

static void
test_wrong_password(void)
{
	struct run rn = { .bits = 128, .packets = 50,
	    .password = "not the password" };
	unsigned dec, fed, wrong;

	run_session(&rn, &dec, &fed, &wrong);
	CHECK(fed > 0);
	CHECK_INT(dec, 0);
	CHECK_INT(wrong, 0);
}

int
main(void)
{
	RUN(test_stateless);
	RUN(test_stateful_engine_sender);
	RUN(test_stateful_kernel_sender);
	RUN(test_lost_flushed_packet);
	RUN(test_wrong_password);
	TEST_MAIN_END();
}
