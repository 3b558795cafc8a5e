/*
 * fuzz_radius.c - libFuzzer target for everything in src/radius that
 * reads bytes from a RADIUS server or a Dynamic Authorization client.
 *
 * Input: one mode byte, then the body. (mode & 15) % 5 selects:
 *   0  the body is a datagram: decode it; a packet that decodes must
 *      walk cleanly (attributes inside Length, the Message-Authenticator
 *      where the decoder said) and every attribute goes through the
 *      session-attribute reader.
 *   1  the body is a Disconnect/CoA-Request; when it decodes it is
 *      re-signed with the DAE secret (authenticator, and the
 *      Message-Authenticator if it has one), so that radius_dae_parse()
 *      must accept it and its ACK and NAK must encode, decode and verify.
 *   2  the body answers an Access-Request a real client sent (method
 *      from mode bits 4-5: PAP, CHAP, MS-CHAPv1, MS-CHAPv2; bit 6
 *      relaxes the Message-Authenticator rule): its Identifier is
 *      patched and it is signed as the server would, so the client must
 *      take it unless its code does not answer an Access-Request or the
 *      MA is required and absent; radius_auth_reply() then must never
 *      keep keys without accepting.
 *   3  the body is an encrypted value for the attribute ciphers (MPPE
 *      keys, MS-CHAP-MPPE-Keys, User-Password).
 *   4  the body is text for the Framed-Route and Mikrotik-Rate-Limit
 *      parsers.
 * tests/fuzz/gen_corpus_radius.py writes the seed corpus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/out.h"
#include "core/rand.h"

/*
 * The code under test is included rather than linked so that libFuzzer's
 * coverage instrumentation (applied to this file only) sees its branches
 * (style.md item 20); the engine library's copies are then not used.
 */
#include "../../src/radius/radius_packet.c"
#include "../../src/radius/radius_mppe.c"
#include "../../src/radius/radius_attr.c"
#include "../../src/radius/radius_client_tx.c"
#include "../../src/radius/radius_client.c"
#include "../../src/radius/radius_auth.c"
#include "../../src/radius/radius_dae.c"

#define SECRET "fuzz-secret"
#define SECRET_LEN 11

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pk_out out;

static void
must(int cond)
{
	if (!cond)
		abort();
}

static void
walk(const uint8_t *data, size_t size)
{
	struct radius_session_attrs sa;
	struct radius_packet p;
	struct radius_iter it;
	struct radius_attr a;
	size_t n = 0;
	char text[RADIUS_TEXT_MAX + 1];

	if (radius_packet_decode(data, size, &p) != 0)
		return;
	must(p.len >= RADIUS_HDR_LEN && p.len <= size);
	must(p.ma_off == 0 || (p.ma_off >= RADIUS_HDR_LEN + 2 &&
	    p.ma_off + RADIUS_MA_LEN <= p.len));
	radius_session_attrs_init(&sa);
	radius_iter_init(&it, &p);
	while (radius_iter_next(&it, &a)) {
		const char *what;
		int r;

		must(a.len <= RADIUS_ATTR_VALUE_MAX);
		must(a.len == 0 || (a.value >= p.data &&
		    a.value + a.len <= p.data + p.len));
		r = radius_session_attr(&sa, &a, &what);
		must(r >= PK_ERR_CONFIG && r <= 1 && what != NULL);
		(void)radius_attr_text(&a, text, sizeof(text));
		radius_attr_printable(&a, text, sizeof(text));
		must(strlen(text) < sizeof(text));
		must(++n <= RADIUS_PACKET_MAX);
	}
	must(sa.n_routes <= RADIUS_ROUTES_MAX);
	must(sa.n_classes <= RADIUS_CLASS_MAX);
}

/* Re-signs a decodable packet as its code requires; 0 if not. */
static size_t
resign(const uint8_t *data, size_t size, uint8_t *buf, int id,
    const uint8_t *req_auth)
{
	struct radius_packet p;
	struct buf_writer w;

	if (radius_packet_decode(data, size, &p) != 0)
		return 0;
	memcpy(buf, data, p.len);
	buf_writer_wrap(&w, buf, p.len);
	if (id >= 0 && buf_set_u8_at(&w, 1, (uint8_t)id) != 0)
		return 0;
	if (radius_enc_finish(&w, (const uint8_t *)SECRET, SECRET_LEN,
	    req_auth) != 0)
		return 0;
	return w.len;
}

static void
dae(const uint8_t *data, size_t size)
{
	static uint8_t buf[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	struct radius_dae_config cfg;
	struct radius_dae_request req;
	struct radius_packet p;
	struct buf_writer w;
	size_t n;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.nas.ip = 0xc6120001;
	memcpy(cfg.nas.identifier, "nas", 4);
	/* As received first (almost always refused), then re-signed. */
	(void)radius_dae_parse(data, size, (const uint8_t *)SECRET,
	    SECRET_LEN, &cfg, 1700000000, &req);
	n = resign(data, size, buf, -1, NULL);
	if (n == 0)
		return;
	r = radius_dae_parse(buf, n, (const uint8_t *)SECRET, SECRET_LEN,
	    &cfg, 1700000000, &req);
	if (buf[0] != RADIUS_CODE_DISCONNECT_REQUEST &&
	    buf[0] != RADIUS_CODE_COA_REQUEST) {
		must(r == PK_ERR_TYPE);
		return;
	}
	must(r == PK_OK);
	must(req.n_proxy_state <= RADIUS_DAE_PROXY_STATE_MAX);
	for (int ack = 0; ack < 2; ack++) {
		buf_writer_init(&w, rep, sizeof(rep));
		r = radius_dae_reply(&w, &req, ack, req.error_cause,
		    (const uint8_t *)SECRET, SECRET_LEN);
		/* Echoed Proxy-States can at most fill the packet. */
		if (r == PK_ERR_SPACE)
			continue;
		must(r == PK_OK);
		must(radius_packet_decode(rep, w.len, &p) == PK_OK);
		must(p.id == req.id);
		must(radius_check_response_auth(&p, req.auth,
		    (const uint8_t *)SECRET, SECRET_LEN) == PK_OK);
		must(radius_check_ma(&p, req.auth, (const uint8_t *)SECRET,
		    SECRET_LEN) == PK_OK);
	}
}

static void
auth_request_for(unsigned method, struct auth_request *req)
{
	memset(req, 0, sizeof(*req));
	memcpy(req->user, "User", 5);
	req->chap_id = 9;
	switch (method) {
	case 0:
		req->method = PK_AUTH_PAP;
		memcpy(req->response, "pw", 2);
		req->response_len = 2;
		break;
	case 1:
		req->method = PK_AUTH_CHAP_MD5;
		req->challenge_len = 16;
		req->response_len = 16;
		break;
	case 2:
		req->method = PK_AUTH_MSCHAPV1;
		req->challenge_len = 8;
		req->response_len = 49;
		req->response[48] = 1;
		break;
	default:
		req->method = PK_AUTH_MSCHAPV2;
		req->challenge_len = 16;
		req->response_len = 49;
		break;
	}
}

static void
client(uint8_t mode, const uint8_t *data, size_t size)
{
	static uint8_t buf[RADIUS_PACKET_MAX];
	struct radius_client_config cfg;
	struct radius_session_attrs sa;
	struct radius_nas nas = { .identifier = "nas" };
	struct radius_call call = { .user = "User" };
	struct radius_client *c;
	struct radius_request rq;
	struct radius_result res;
	struct auth_request req;
	struct auth_result ar;
	struct radius_packet sent;
	const uint8_t *secret;
	size_t n, slen;
	char why[128];
	int r;

	radius_client_config_default(&cfg);
	cfg.n_servers = 1;
	memcpy(cfg.servers[0].secret, SECRET, SECRET_LEN);
	cfg.servers[0].secret_len = SECRET_LEN;
	cfg.require_ma = (mode & 0x40) == 0;
	cfg.queue_max = 4;	/* one request: keep each run cheap */
	must(radius_client_new(&c, &cfg, 1000) == PK_OK);
	auth_request_for((mode >> 4) & 3, &req);
	must(radius_auth_request(&rq, &nas, &call, &req) == PK_OK);
	must(radius_client_submit(c, 1000, &rq, NULL, &out) == PK_OK);
	radius_request_wipe(&rq);
	must(out.n_items == 1 && out_item(&out, 0)->kind == OUT_UDP);
	must(radius_packet_decode(out_data(&out, 0), out_item(&out, 0)->len,
	    &sent) == PK_OK);
	out_reset(&out);
	/* Raw first (refused unless it happens to be valid), then signed. */
	(void)radius_client_input(c, 1001, 0, data, size, &out);
	out_reset(&out);
	n = resign(data, size, buf, sent.id, sent.auth);
	if (n == 0 || !is_reply(buf[0]))
		goto out;
	r = radius_client_input(c, 1002, 0, buf, n, &out);
	if (buf[0] != RADIUS_CODE_ACCESS_ACCEPT &&
	    buf[0] != RADIUS_CODE_ACCESS_REJECT &&
	    buf[0] != RADIUS_CODE_ACCESS_CHALLENGE) {
		must(r == PK_ERR_TYPE);
		goto out;
	}
	if (r == PK_ERR_POLICY) {
		must(cfg.require_ma);
		goto out;
	}
	must(r == PK_OK);
	must(out.n_items == 1);
	must(radius_client_event(&out, 0, &res) == PK_OK);
	must(res.type == RADIUS_EV_REPLY);
	secret = radius_client_secret(c, res.server, &slen);
	must(secret != NULL);
	r = radius_auth_reply(&res, secret, slen, &req, &ar, &sa, why,
	    sizeof(why));
	must(strlen(why) < sizeof(why));
	if (!ar.ok)
		must(!ar.have_mppe_keys && !ar.have_lm_key);
	if (r != 0)
		must(!ar.ok);
	if (ar.ok)
		must(res.reply.code == RADIUS_CODE_ACCESS_ACCEPT);
	must(memchr(ar.message, '\0', sizeof(ar.message)) != NULL);
 out:
	out_reset(&out);
	radius_client_free(c);
}

static void
ciphers(const uint8_t *data, size_t size)
{
	static const uint8_t ra[RADIUS_AUTH_LEN] = { 1, 2, 3 };
	uint8_t key[RADIUS_MPPE_KEY_MAX], lm[8], nt[16];
	uint8_t pw[RADIUS_PASSWORD_MAX];
	size_t klen;

	if (radius_mppe_key_decrypt(data, size, ra, (const uint8_t *)SECRET,
	    SECRET_LEN, key, sizeof(key), &klen) == PK_OK)
		must(klen >= 1 && klen + 1 + RADIUS_MPPE_SALT_LEN <= size);
	else
		must(klen == 0);
	(void)radius_mschap_mppe_keys_decrypt(data, size, ra,
	    (const uint8_t *)SECRET, SECRET_LEN, lm, nt);
	(void)radius_password_unhide(data, size, ra, (const uint8_t *)SECRET,
	    SECRET_LEN, pw);
}

static void
texts(const uint8_t *data, size_t size)
{
	char text[RADIUS_TEXT_MAX + 1];
	struct radius_route rt;
	uint64_t rx, tx;

	if (size > RADIUS_TEXT_MAX)
		size = RADIUS_TEXT_MAX;
	memcpy(text, data, size);
	text[size] = '\0';
	if (radius_parse_framed_route(text, &rt) == PK_OK) {
		must(rt.prefix_len <= 32);
		must(rt.prefix_len == 32 || rt.prefix_len == 0 ||
		    (rt.prefix & (0xffffffffu >> rt.prefix_len)) == 0);
	}
	if (radius_parse_mikrotik_rate(text, &rx, &tx) == PK_OK)
		must(rx <= RATE_MAX && tx <= RATE_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t input_size)
{
	struct buf_reader rd;
	const uint8_t *data;
	size_t size;
	uint8_t mode;

	if (out.arena == NULL) {
		if (out_init(&out, 4 * RADIUS_CLIENT_OUT_MIN, 16) != PK_OK)
			abort();
		pk_rand_use_seeded(1);
	}
	out_reset(&out);
	buf_reader_init(&rd, input, input_size);
	if (buf_get_u8(&rd, &mode) != 0)
		return 0;
	size = buf_remaining(&rd);
	data = buf_cur(&rd);
	switch ((mode & 0x0f) % 5) {
	case 0:
		walk(data, size);
		break;
	case 1:
		dae(data, size);
		break;
	case 2:
		client(mode, data, size);
		break;
	case 3:
		ciphers(data, size);
		break;
	default:
		texts(data, size);
		break;
	}
	return 0;
}
