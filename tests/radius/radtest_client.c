/*
 * radtest_client.c - pptpkit's RADIUS core against a real server, before
 * any daemon uses it: the codec and the client machine over UDP sockets
 * (this file is the whole "glue"). Test-only; run by tests/radius/run.sh,
 * which starts FreeRADIUS with its own configuration.
 *
 *   radtest_client auth HOST SECRET
 *	PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 (right and wrong passwords),
 *	MPPE keys compared with the locally derived RFC 3079 ones, the
 *	MS-CHAPv2 S= checked as the peer would, session attributes, a reply
 *	without Message-Authenticator refused unless relaxed.
 *   radtest_client acct HOST SECRET SESSION-ID
 *	Accounting-On, Start, Interim-Update and Stop (Gigawords, Class,
 *	Admin-Reset); the script reads FreeRADIUS's detail file.
 *   radtest_client dae PORT SECRET COUNT
 *	Answers COUNT datagrams on 127.0.0.1:PORT as a NAS with one
 *	session (papuser, SESSION-ID "5EED0001", 198.19.7.7); radclient
 *	sends the Disconnect/CoA-Requests.
 *
 * Prints one line per check ("ok ..." / "FAIL ..."); exits 1 on any
 * failure.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/mschap.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/out.h"
#include "core/rand.h"
#include "mppe/mppe_keys.h"
#include "radius/radius_acct.h"
#include "radius/radius_auth.h"
#include "radius/radius_client.h"
#include "radius/radius_dae.h"
#include "radius/radius_mppe.h"

static int failures;
static struct pk_out out;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		printf("ok   ");					\
	} else {							\
		printf("FAIL ");					\
		failures++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
} while (0)

static struct radius_nas nas = { .identifier = "pptpkit-radtest",
    .ip = 0x7f000001 };

/* One server, one connected UDP socket. */
struct peer {
	struct radius_client *c;
	int fd;
};

static int
udp_connect(const char *host, int port)
{
	struct sockaddr_in sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror(host);
		exit(2);
	}
	return fd;
}

static void
peer_open(struct peer *p, const char *host, int port, const char *secret,
    int acct, int require_ma, uint32_t timeout_ms, uint32_t tries)
{
	struct radius_client_config cfg;

	radius_client_config_default(&cfg);
	cfg.n_servers = 1;
	cfg.servers[0].secret_len = strlen(secret);
	memcpy(cfg.servers[0].secret, secret, cfg.servers[0].secret_len);
	snprintf(cfg.servers[0].name, sizeof(cfg.servers[0].name), "%s:%d",
	    host, port);
	cfg.retry_forever = acct;
	cfg.require_ma = require_ma;
	cfg.timeout_ms = timeout_ms;
	cfg.tries = tries;
	snprintf(cfg.log_ctx, sizeof(cfg.log_ctx), "radtest=%s",
	    acct ? "acct" : "auth");
	if (radius_client_new(&p->c, &cfg, pk_clock_ms()) != 0)
		exit(2);
	p->fd = udp_connect(host, port);
}

static void
peer_close(struct peer *p)
{
	radius_client_free(p->c);
	close(p->fd);
}

/* The result of one request, with its own copy of the reply. */
struct answer {
	struct radius_result res;
	uint8_t pkt[RADIUS_PACKET_MAX];
};

/* Sends what out holds; keeps events for handle in *ans. */
static int
drain(struct peer *p, uint32_t handle, struct answer *ans)
{
	int done = 0;

	for (size_t i = 0; i < out.n_items; i++) {
		const struct out_item *it = out_item(&out, i);
		struct radius_result r;

		if (it->kind == OUT_UDP) {
			if (send(p->fd, out_data(&out, i), it->len, 0) < 0)
				perror("send");
			continue;
		}
		if (radius_client_event(&out, i, &r) != 0 ||
		    r.handle != handle)
			continue;
		ans->res = r;
		if (r.type == RADIUS_EV_REPLY) {
			memcpy(ans->pkt, r.reply.data, r.reply.len);
			(void)radius_packet_decode(ans->pkt, r.reply.len,
			    &ans->res.reply);
		}
		done = 1;
	}
	out_reset(&out);
	return done;
}

/* Runs the client until the request is answered or given up. */
static void
run(struct peer *p, const struct radius_request *rq, struct answer *ans)
{
	uint32_t handle;
	int done;

	memset(ans, 0, sizeof(*ans));
	if (radius_client_submit(p->c, pk_clock_ms(), rq, &handle, &out) != 0)
		exit(2);
	done = drain(p, handle, ans);
	while (!done) {
		uint64_t now = pk_clock_ms(), d = radius_client_next_deadline(
		    p->c);
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		int wait = d == PK_TIME_NEVER ? 1000 : d <= now ? 0 :
		    (int)(d - now);

		if (poll(&pfd, 1, wait) > 0) {
			uint8_t buf[RADIUS_PACKET_MAX + 1];
			ssize_t n = recv(p->fd, buf, sizeof(buf), 0);

			if (n > 0)
				(void)radius_client_input(p->c, pk_clock_ms(),
				    0, buf, (size_t)n, &out);
		}
		if (radius_client_next_deadline(p->c) <= pk_clock_ms())
			(void)radius_client_timeout(p->c, pk_clock_ms(), &out);
		done = drain(p, handle, ans);
	}
}

/* Access-Request for req; interprets the reply. Returns the code of
 * radius_auth_reply(), or PK_ERR_TIMEOUT when nothing usable came. */
static int
authenticate(struct peer *p, const struct auth_request *req,
    struct auth_result *res, struct radius_session_attrs *sa)
{
	struct radius_call call;
	struct radius_request rq;
	struct answer ans;
	const uint8_t *secret;
	size_t slen;
	char why[160];
	int r;

	memset(&call, 0, sizeof(call));
	snprintf(call.user, sizeof(call.user), "%s", req->user);
	call.nas_port = 1;
	snprintf(call.calling_station_id, sizeof(call.calling_station_id),
	    "198.18.0.2");
	snprintf(call.called_station_id, sizeof(call.called_station_id),
	    "198.18.0.1");
	snprintf(call.acct_session_id, sizeof(call.acct_session_id),
	    "5EED0001");
	if ((r = radius_auth_request(&rq, &nas, &call, req)) != 0) {
		printf("radius_auth_request: %s\n", pk_strerror(r));
		exit(2);
	}
	run(p, &rq, &ans);
	radius_request_wipe(&rq);
	memset(res, 0, sizeof(*res));
	if (ans.res.type != RADIUS_EV_REPLY)
		return PK_ERR_TIMEOUT;
	secret = radius_client_secret(p->c, ans.res.server, &slen);
	r = radius_auth_reply(&ans.res, secret, slen, req, res, sa, why,
	    sizeof(why));
	printf("     %s for %s: %s (%s)\n",
	    radius_code_name(ans.res.reply.code), req->user, why,
	    res->message);
	return r;
}

static void
request_init(struct auth_request *req, unsigned method, const char *user)
{
	memset(req, 0, sizeof(*req));
	req->method = method;
	snprintf(req->user, sizeof(req->user), "%s", user);
	req->chap_id = (uint8_t)(pk_rand_u32() & 0xff);
}

static void
pap(struct peer *p)
{
	struct radius_session_attrs sa;
	struct auth_request req;
	struct auth_result res;
	int r;

	request_init(&req, PK_AUTH_PAP, "papuser");
	memcpy(req.response, "pappass", 7);
	req.response_len = 7;
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && res.ok, "PAP papuser accepted");
	CHECK(res.framed_ip == 0xc6130707 && sa.ip_mode == RADIUS_IP_STATIC,
	    "Framed-IP-Address 198.19.7.7 from the users file");
	CHECK(sa.session_timeout == 3600, "Session-Timeout 3600");
	CHECK(sa.rate_up_bps == 1000000 && sa.rate_down_bps == 2000000,
	    "Mikrotik-Rate-Limit 1M/2M: up %llu down %llu bit/s",
	    (unsigned long long)sa.rate_up_bps,
	    (unsigned long long)sa.rate_down_bps);
	CHECK(sa.n_classes == 1 && sa.classes[0].len == 13 &&
	    memcmp(sa.classes[0].data, "pptpkit-class", 13) == 0,
	    "Class kept for accounting");
	memcpy(req.response, "wrongpw", 7);
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && !res.ok, "PAP papuser with a wrong password rejected");
}

static void
chap(struct peer *p)
{
	struct radius_session_attrs sa;
	struct auth_request req;
	struct auth_result res;
	int r;

	request_init(&req, PK_AUTH_CHAP_MD5, "chapuser");
	req.challenge_len = 16;
	pk_rand_bytes(req.challenge, 16);
	chap_md5_response(req.chap_id, (const uint8_t *)"chappass", 8,
	    req.challenge, 16, req.response);
	req.response_len = 16;
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && res.ok, "CHAP-MD5 chapuser accepted");
	chap_md5_response(req.chap_id, (const uint8_t *)"chapPass", 8,
	    req.challenge, 16, req.response);
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && !res.ok, "CHAP-MD5 chapuser with a wrong password "
	    "rejected");
}

static void
mschapv1(struct peer *p)
{
	struct radius_session_attrs sa;
	struct auth_request req;
	struct auth_result res;
	uint8_t send_key[16], recv_key[16];
	int r;

	request_init(&req, PK_AUTH_MSCHAPV1, "msuser");
	req.challenge_len = 8;
	pk_rand_bytes(req.challenge, 8);
	if (mschapv1_build_response(req.challenge, "mspass", req.response))
		exit(2);
	req.response_len = 49;
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && res.ok, "MS-CHAPv1 msuser accepted");
	(void)mppe_keys_mschapv1("mspass", req.challenge, send_key, recv_key);
	CHECK(res.have_mppe_keys &&
	    memcmp(res.mppe_send_key, send_key, 16) == 0 &&
	    memcmp(res.mppe_recv_key, recv_key, 16) == 0,
	    "MS-CHAPv1 MPPE keys from MS-CHAP-MPPE-Keys equal the RFC 3079 "
	    "ones");
	CHECK(sa.dns[0] == 0xc6120909, "MS-Primary-DNS-Server 198.18.9.9");
	if (mschapv1_build_response(req.challenge, "msPass", req.response))
		exit(2);
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && !res.ok && strncmp(res.message, "E=691", 5) == 0,
	    "MS-CHAPv1 wrong password rejected with MS-CHAP-Error \"%s\"",
	    res.message);
}

static void
mschapv2(struct peer *p)
{
	struct radius_session_attrs sa;
	struct auth_request req;
	struct auth_result res;
	struct pk_policy local, tight;
	struct mschap_failure f;
	uint8_t peer[16], send_key[16], recv_key[16];
	char why[160];
	int r;

	request_init(&req, PK_AUTH_MSCHAPV2, "msuser");
	req.challenge_len = 16;
	pk_rand_bytes(req.challenge, 16);
	pk_rand_bytes(peer, 16);
	if (mschapv2_build_response(req.challenge, peer, "msuser", "mspass",
	    req.response))
		exit(2);
	req.response_len = 49;
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && res.ok, "MS-CHAPv2 msuser accepted");
	CHECK(mschapv2_check_authenticator_response("mspass",
	    req.response + 24, peer, req.challenge, "msuser", res.message,
	    strlen(res.message)) == 0,
	    "MS-CHAP2-Success relayed as \"%.42s...\" passes the peer's check",
	    res.message);
	(void)mppe_keys_mschapv2("mspass", req.response + 24, 1, send_key,
	    recv_key);
	CHECK(res.have_mppe_keys &&
	    memcmp(res.mppe_send_key, send_key, 16) == 0 &&
	    memcmp(res.mppe_recv_key, recv_key, 16) == 0,
	    "MS-MPPE-Send/Recv-Key decrypted equal the RFC 3079 keys");
	policy_default(&local);
	local.mppe = PK_MPPE_ALLOW;
	local.mppe_bits = PK_MPPE_40 | PK_MPPE_128;
	r = radius_policy_tighten(&sa, &local, &tight, why, sizeof(why));
	CHECK(r == 0 && tight.mppe == PK_MPPE_REQUIRE &&
	    tight.mppe_bits == PK_MPPE_128, "MS-MPPE-Encryption-Policy 2 and "
	    "-Types 4 tighten allow/40+128 to require/128 (%s)", why);
	if (mschapv2_build_response(req.challenge, peer, "msuser", "wrong",
	    req.response))
		exit(2);
	r = authenticate(p, &req, &res, &sa);
	CHECK(r == 0 && !res.ok && mschap_parse_failure(res.message,
	    strlen(res.message), &f) == 0 && f.error == 691,
	    "MS-CHAPv2 wrong password: MS-CHAP-Error relayed \"%s\"",
	    res.message);
	CHECK(!res.have_mppe_keys, "no keys after a reject");
}

/* FreeRADIUS is configured to leave the Message-Authenticator out of
 * this user's Access-Accept: refused by default, taken when relaxed. */
static void
no_ma(const char *host, const char *secret)
{
	struct radius_server_stats st;
	struct radius_session_attrs sa;
	struct auth_request req;
	struct auth_result res;
	struct peer p;
	int r;

	request_init(&req, PK_AUTH_PAP, "nomauser");
	memcpy(req.response, "nomapass", 8);
	req.response_len = 8;
	peer_open(&p, host, RADIUS_PORT_AUTH, secret, 0, 1, 1500, 1);
	r = authenticate(&p, &req, &res, &sa);
	(void)radius_client_server_stats(p.c, 0, pk_clock_ms(), &st);
	CHECK(r == PK_ERR_TIMEOUT && !res.ok && st.missing_ma >= 1 &&
	    st.replies == 0, "Access-Accept without Message-Authenticator "
	    "refused (missing_ma=%llu)", (unsigned long long)st.missing_ma);
	peer_close(&p);
	peer_open(&p, host, RADIUS_PORT_AUTH, secret, 0, 0, 3000, 3);
	r = authenticate(&p, &req, &res, &sa);
	CHECK(r == 0 && res.ok, "the same accepted with "
	    "radius-require-message-authenticator no");
	peer_close(&p);
}

/*
 * The control: an Access-Request built by hand without a
 * Message-Authenticator must go unanswered (the server's
 * require_message_authenticator is really on, so the answers above
 * prove ours were present and right).
 */
static void
control_no_ma(const char *host, const char *secret)
{
	uint8_t pkt[RADIUS_PACKET_MAX], ra[RADIUS_AUTH_LEN], hidden[128];
	struct pollfd pfd;
	struct buf_writer w;
	size_t hlen;
	int fd = udp_connect(host, RADIUS_PORT_AUTH);

	pk_rand_bytes(ra, sizeof(ra));
	buf_writer_init(&w, pkt, sizeof(pkt));
	(void)radius_enc_begin(&w, RADIUS_CODE_ACCESS_REQUEST, 77, ra);
	(void)radius_put_text(&w, RADIUS_ATTR_USER_NAME, "papuser");
	(void)radius_password_hide((const uint8_t *)"pappass", 7, ra,
	    (const uint8_t *)secret, strlen(secret), hidden, &hlen);
	(void)radius_put_attr(&w, RADIUS_ATTR_USER_PASSWORD, hidden, hlen);
	(void)radius_put_text(&w, RADIUS_ATTR_NAS_IDENTIFIER,
	    nas.identifier);
	if (radius_enc_finish(&w, (const uint8_t *)secret, strlen(secret),
	    NULL) != 0 || send(fd, pkt, w.len, 0) < 0)
		exit(2);
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 1500) == 0, "control: an Access-Request without "
	    "Message-Authenticator is dropped by the server");
	close(fd);
}

static int
cmd_auth(const char *host, const char *secret)
{
	struct peer p;

	peer_open(&p, host, RADIUS_PORT_AUTH, secret, 0, 1, 3000, 3);
	pap(&p);
	chap(&p);
	mschapv1(&p);
	mschapv2(&p);
	peer_close(&p);
	no_ma(host, secret);
	control_no_ma(host, secret);
	return failures != 0;
}

static void
acct_send(struct peer *p, const struct radius_acct_record *rec,
    const char *what)
{
	struct radius_request rq;
	struct answer ans;
	int r;

	if ((r = radius_acct_request(&rq, &nas, rec)) != 0) {
		printf("radius_acct_request: %s\n", pk_strerror(r));
		exit(2);
	}
	run(p, &rq, &ans);
	CHECK(ans.res.type == RADIUS_EV_REPLY &&
	    ans.res.reply.code == RADIUS_CODE_ACCOUNTING_RESPONSE,
	    "%s acknowledged", what);
}

static int
cmd_acct(const char *host, const char *secret, const char *sid)
{
	struct radius_session_attrs sa;
	struct radius_acct_record rec;
	struct peer p;

	radius_session_attrs_init(&sa);
	sa.n_classes = 1;
	sa.classes[0].len = 13;
	memcpy(sa.classes[0].data, "pptpkit-class", 13);
	peer_open(&p, host, RADIUS_PORT_ACCT, secret, 1, 1, 3000, 3);
	memset(&rec, 0, sizeof(rec));
	rec.status = RADIUS_ACCT_STATUS_ACCOUNTING_ON;
	acct_send(&p, &rec, "Accounting-On");
	rec.status = RADIUS_ACCT_STATUS_START;
	snprintf(rec.call.user, sizeof(rec.call.user), "papuser");
	rec.call.nas_port = 1;
	snprintf(rec.call.calling_station_id,
	    sizeof(rec.call.calling_station_id), "198.18.0.2");
	snprintf(rec.call.acct_session_id, sizeof(rec.call.acct_session_id),
	    "%s", sid);
	rec.framed_ip = 0xc6130707;
	rec.authentic = RADIUS_ACCT_AUTHENTIC_RADIUS;
	rec.attrs = &sa;
	acct_send(&p, &rec, "Start");
	rec.status = RADIUS_ACCT_STATUS_INTERIM_UPDATE;
	rec.in_octets = 1000;
	rec.out_octets = 2000;
	rec.in_packets = 10;
	rec.out_packets = 20;
	rec.session_time = 30;
	acct_send(&p, &rec, "Interim-Update");
	rec.status = RADIUS_ACCT_STATUS_STOP;
	rec.in_octets = (5ull << 32) + 1234;
	rec.out_octets = 98765;
	rec.in_packets = 4000000;
	rec.out_packets = 3000;
	rec.session_time = 42;
	rec.terminate_cause = radius_acct_terminate_cause(
	    RADIUS_END_ADMIN_KILL);
	acct_send(&p, &rec, "Stop");
	peer_close(&p);
	return failures != 0;
}

/* A NAS with one session, answering Disconnect/CoA-Requests. */
static int
cmd_dae(int port, const char *secret, int count)
{
	struct radius_dae_config cfg;
	struct radius_call sess;
	struct sockaddr_in sa;
	int fd;

	memset(&cfg, 0, sizeof(cfg));
	cfg.nas = nas;
	cfg.event_window_s = 300;
	memset(&sess, 0, sizeof(sess));
	snprintf(sess.user, sizeof(sess.user), "papuser");
	snprintf(sess.acct_session_id, sizeof(sess.acct_session_id),
	    "5EED0001");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("bind");
		return 2;
	}
	printf("dae: listening\n");
	fflush(stdout);
	while (count-- > 0) {
		uint8_t buf[RADIUS_PACKET_MAX + 1], rep[RADIUS_PACKET_MAX];
		struct radius_dae_request req;
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		struct buf_writer w;
		ssize_t n;
		uint32_t cause = 0;
		int r, ack;

		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 0)
			return 2;
		r = radius_dae_parse(buf, (size_t)n, (const uint8_t *)secret,
		    strlen(secret), &cfg, (uint32_t)time(NULL), &req);
		if (r != 0) {
			printf("dae: dropped: %s\n", pk_strerror(r));
			fflush(stdout);
			continue;
		}
		if (req.error_cause != 0) {
			ack = 0;
			cause = req.error_cause;
		} else if (!radius_dae_matches(&req, &sess, "", 0xc6130707)) {
			ack = 0;
			cause = RADIUS_ERROR_SESSION_NOT_FOUND;
		} else
			ack = 1;
		printf("dae: %s user=%s session=%s -> %s %u", radius_code_name(
		    req.code), req.has_user ? req.user : "-",
		    req.has_session_id ? req.acct_session_id : "-",
		    ack ? "ACK" : "NAK", cause);
		if (ack && req.code == RADIUS_CODE_COA_REQUEST)
			printf(" session-timeout=%u",
			    req.changes.session_timeout);
		printf("\n");
		fflush(stdout);
		buf_writer_init(&w, rep, sizeof(rep));
		if (radius_dae_reply(&w, &req, ack, cause,
		    (const uint8_t *)secret, strlen(secret)) != 0)
			return 2;
		(void)sendto(fd, rep, w.len, 0, (struct sockaddr *)&from, fl);
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	int r;

	pk_log_set_level(PK_LOG_INFO);
	if (out_init(&out, 16 * RADIUS_CLIENT_OUT_MIN, 64) != 0)
		return 2;
	if (argc == 4 && strcmp(argv[1], "auth") == 0)
		r = cmd_auth(argv[2], argv[3]);
	else if (argc == 5 && strcmp(argv[1], "acct") == 0)
		r = cmd_acct(argv[2], argv[3], argv[4]);
	else if (argc == 5 && strcmp(argv[1], "dae") == 0)
		r = cmd_dae(atoi(argv[2]), argv[3], atoi(argv[4]));
	else {
		fprintf(stderr, "usage: radtest_client auth HOST SECRET | "
		    "acct HOST SECRET SESSION-ID | dae PORT SECRET COUNT\n");
		r = 2;
	}
	out_free(&out);
	return r;
}
