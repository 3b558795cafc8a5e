/*
 * test_radius_acct.c - accounting records (RFC 2866, RFC 2869
 * Gigawords): what each Acct-Status-Type carries, 64-bit counters split
 * into Gigawords, Class echoed, the Accounting-Request authenticator and
 * Acct-Delay-Time as they leave the client, Acct-Terminate-Cause from
 * pptpkit's end reasons, and Acct-Session-Id uniqueness.
 */
#include "core/err.h"
#include "core/rand.h"
#include "radius/radius_acct.h"
#include "radius_fake.h"
#include "test.h"

static struct radius_nas nas = { .identifier = "pptpkit-1",
    .ip = 0xc6120001 };

static void
record(struct radius_acct_record *rec, int status)
{
	memset(rec, 0, sizeof(*rec));
	rec->status = status;
	snprintf(rec->call.user, sizeof(rec->call.user), "alice");
	rec->call.nas_port = 12;
	snprintf(rec->call.calling_station_id,
	    sizeof(rec->call.calling_station_id), "198.18.0.2");
	snprintf(rec->call.called_station_id,
	    sizeof(rec->call.called_station_id), "198.18.0.1");
	snprintf(rec->call.acct_session_id, sizeof(rec->call.acct_session_id),
	    "5F00000100000002");
	rec->framed_ip = 0xc6130005;
	rec->authentic = RADIUS_ACCT_AUTHENTIC_RADIUS;
	rec->event_timestamp = 1700000000;
}

/* Encodes rq's attributes as an Accounting-Request and decodes it. */
static size_t
encode(const struct radius_request *rq, uint8_t *buf, struct radius_packet *p)
{
	struct buf_writer w;

	buf_writer_init(&w, buf, RADIUS_PACKET_MAX);
	CHECK_INT(radius_enc_begin(&w, rq->code, 1, NULL), PK_OK);
	CHECK_INT(buf_put_bytes(&w, rq->attrs, rq->attrs_len), PK_OK);
	CHECK_INT(radius_enc_finish(&w, (const uint8_t *)"k", 1, NULL), PK_OK);
	CHECK_INT(radius_packet_decode(buf, w.len, p), PK_OK);
	return w.len;
}

static uint32_t
u32_of(const struct radius_packet *p, uint8_t type)
{
	struct radius_attr a;
	uint32_t v = UINT32_MAX;

	if (fake_find(p, 0, type, &a))
		CHECK_INT(radius_attr_u32(&a, &v), PK_OK);
	return v;
}

static int
has(const struct radius_packet *p, uint8_t type)
{
	struct radius_attr a;

	return fake_find(p, 0, type, &a);
}

static void
test_start(void)
{
	struct radius_session_attrs sa;
	struct radius_acct_record rec;
	struct radius_request rq;
	struct radius_packet p;
	struct radius_iter it;
	struct radius_attr a;
	uint8_t buf[RADIUS_PACKET_MAX];
	int classes = 0;

	radius_session_attrs_init(&sa);
	sa.n_classes = 2;
	sa.classes[0].len = 3;
	memcpy(sa.classes[0].data, "abc", 3);
	sa.classes[1].len = 1;
	sa.classes[1].data[0] = 0;
	record(&rec, RADIUS_ACCT_STATUS_START);
	rec.attrs = &sa;
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	CHECK_INT(rq.code, RADIUS_CODE_ACCOUNTING_REQUEST);
	CHECK_INT(rq.prio, RADIUS_PRIO_START);
	CHECK_INT(rq.add_delay_time, 1);
	CHECK_STR(rq.key, "5F00000100000002");
	CHECK_INT(rq.has_password, 0);
	encode(&rq, buf, &p);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 1);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_NAS_IP_ADDRESS), 0xc6120001);
	CHECK(has(&p, RADIUS_ATTR_NAS_IDENTIFIER));
	CHECK(has(&p, RADIUS_ATTR_ACCT_SESSION_ID));
	CHECK(has(&p, RADIUS_ATTR_USER_NAME));
	CHECK_INT(u32_of(&p, RADIUS_ATTR_NAS_PORT), 12);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_NAS_PORT_TYPE), 5);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_SERVICE_TYPE), 2);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_FRAMED_PROTOCOL), 1);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS), 0xc6130005);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_AUTHENTIC), 1);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_EVENT_TIMESTAMP), 1700000000);
	CHECK(has(&p, RADIUS_ATTR_CALLING_STATION_ID));
	CHECK(has(&p, RADIUS_ATTR_CALLED_STATION_ID));
	/* No counters in a Start; the client adds Acct-Delay-Time. */
	CHECK(!has(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS));
	CHECK(!has(&p, RADIUS_ATTR_ACCT_SESSION_TIME));
	CHECK(!has(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
	CHECK(!has(&p, RADIUS_ATTR_ACCT_DELAY_TIME));
	radius_iter_init(&it, &p);
	while (radius_iter_next(&it, &a)) {
		if (a.type != RADIUS_ATTR_CLASS)
			continue;
		if (classes == 0)
			CHECK(a.len == 3 && memcmp(a.value, "abc", 3) == 0);
		else
			CHECK(a.len == 1 && a.value[0] == 0);
		classes++;
	}
	CHECK_INT(classes, 2);
}

static void
test_stop_gigawords(void)
{
	struct radius_acct_record rec;
	struct radius_request rq;
	struct radius_packet p;
	uint8_t buf[RADIUS_PACKET_MAX];

	record(&rec, RADIUS_ACCT_STATUS_STOP);
	rec.in_octets = (5ull << 32) + 123;
	rec.out_octets = 4000000000ull;
	rec.in_packets = (1ull << 32) + 9;
	rec.out_packets = 77;
	rec.session_time = 3601;
	rec.terminate_cause = RADIUS_TERM_IDLE_TIMEOUT;
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	CHECK_INT(rq.prio, RADIUS_PRIO_STOP);
	encode(&rq, buf, &p);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS), 123);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS), 5);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), 4000000000u);
	CHECK(!has(&p, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS));
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_INPUT_PACKETS), 9);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), 77);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_SESSION_TIME), 3601);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), 4);

	/* Interim: counters (zeros too) and no cause. */
	record(&rec, RADIUS_ACCT_STATUS_INTERIM_UPDATE);
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	CHECK_INT(rq.prio, RADIUS_PRIO_INTERIM);
	encode(&rq, buf, &p);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 3);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_INPUT_OCTETS), 0);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), 0);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_SESSION_TIME), 0);
	CHECK(!has(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE));
}

static void
test_on_off_and_errors(void)
{
	struct radius_acct_record rec;
	struct radius_request rq;
	struct radius_packet p;
	uint8_t buf[RADIUS_PACKET_MAX];
	struct radius_nas none = { .identifier = "", .ip = 0 };

	memset(&rec, 0, sizeof(rec));
	rec.status = RADIUS_ACCT_STATUS_ACCOUNTING_ON;
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	CHECK_INT(rq.prio, RADIUS_PRIO_ONOFF);
	CHECK_STR(rq.key, "");
	encode(&rq, buf, &p);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 7);
	CHECK(has(&p, RADIUS_ATTR_NAS_IP_ADDRESS));
	CHECK(!has(&p, RADIUS_ATTR_USER_NAME));
	CHECK(!has(&p, RADIUS_ATTR_ACCT_SESSION_ID));
	rec.status = RADIUS_ACCT_STATUS_ACCOUNTING_OFF;
	snprintf(rec.call.acct_session_id, sizeof(rec.call.acct_session_id),
	    "boot-1");
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	encode(&rq, buf, &p);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_STATUS_TYPE), 8);
	CHECK(has(&p, RADIUS_ATTR_ACCT_SESSION_ID));

	record(&rec, RADIUS_ACCT_STATUS_STOP);
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_ERR_ARG);
	record(&rec, RADIUS_ACCT_STATUS_START);
	rec.call.acct_session_id[0] = '\0';
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_ERR_ARG);
	record(&rec, 6);
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_ERR_ARG);
	record(&rec, RADIUS_ACCT_STATUS_START);
	CHECK_INT(radius_acct_request(&rq, &none, &rec), PK_ERR_ARG);
}

/* Through the client: the Request Authenticator of RFC 2866 §3 and
 * Acct-Delay-Time, growing with the wait. */
static void
test_on_the_wire(void)
{
	struct radius_client_config cfg;
	struct radius_acct_record rec;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_packet p;
	struct pk_out out;
	const uint8_t *d;
	unsigned s;
	size_t n;

	CHECK_INT(out_init(&out, 64 * 1024, 64), PK_OK);
	radius_client_config_default(&cfg);
	cfg.n_servers = 1;
	memcpy(cfg.servers[0].secret, "acct-key", 8);
	cfg.servers[0].secret_len = 8;
	cfg.retry_forever = 1;
	cfg.timeout_ms = 2000;
	CHECK_INT(radius_client_new(&c, &cfg, 0), PK_OK);
	record(&rec, RADIUS_ACCT_STATUS_STOP);
	rec.terminate_cause = radius_acct_terminate_cause(
	    RADIUS_END_ADMIN_KILL);
	CHECK_INT(radius_acct_request(&rq, &nas, &rec), PK_OK);
	CHECK_INT(radius_client_submit(c, 100000, &rq, NULL, &out), PK_OK);
	CHECK(fake_dgram(&out, 0, &s, &d, &n));
	CHECK_INT(radius_packet_decode(d, n, &p), PK_OK);
	CHECK_INT(radius_check_request_auth(&p, (const uint8_t *)"acct-key",
	    8), PK_OK);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_DELAY_TIME), 0);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE),
	    RADIUS_TERM_ADMIN_RESET);
	out_reset(&out);
	CHECK_INT(radius_client_timeout(c, 102000, &out), PK_OK);
	CHECK(fake_dgram(&out, 0, &s, &d, &n));
	CHECK_INT(radius_packet_decode(d, n, &p), PK_OK);
	CHECK_INT(u32_of(&p, RADIUS_ATTR_ACCT_DELAY_TIME), 2);
	CHECK_INT(radius_check_request_auth(&p, (const uint8_t *)"acct-key",
	    8), PK_OK);
	out_free(&out);
	radius_client_free(c);
}

static void
test_terminate_causes(void)
{
	static const struct {
		int end;
		uint32_t cause;
	} map[] = {
		{ RADIUS_END_USER_REQUEST, 1 },
		{ RADIUS_END_LOST_CARRIER, 2 },
		{ RADIUS_END_IDLE_TIMEOUT, 4 },
		{ RADIUS_END_SESSION_TIMEOUT, 5 },
		{ RADIUS_END_ADMIN_KILL, 6 },
		{ RADIUS_END_PORT_ERROR, 8 },
		{ RADIUS_END_NAS_ERROR, 9 },
		{ RADIUS_END_NAS_REQUEST, 10 },
		{ RADIUS_END_SHUTDOWN, 11 },
		{ RADIUS_END_REPLACED, 13 },
		{ RADIUS_END_SERVICE_UNAVAILABLE, 15 },
		{ 0, 9 },
		{ 99, 9 },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		CHECK_INT(radius_acct_terminate_cause(map[i].end),
		    map[i].cause);
	CHECK_INT(radius_end_from_call_down(PK_OK), RADIUS_END_USER_REQUEST);
	CHECK_INT(radius_end_from_call_down(PK_ERR_CLOSED),
	    RADIUS_END_USER_REQUEST);
	CHECK_INT(radius_end_from_call_down(PK_ERR_TIMEOUT),
	    RADIUS_END_LOST_CARRIER);
	CHECK_INT(radius_end_from_call_down(PK_ERR_NOMEM),
	    RADIUS_END_NAS_ERROR);
	CHECK_INT(radius_end_from_call_down(PK_ERR_VALUE),
	    RADIUS_END_PORT_ERROR);
	CHECK_INT(radius_end_from_call_down(PK_ERR_AUTH),
	    RADIUS_END_PORT_ERROR);
	CHECK_STR(radius_end_name(RADIUS_END_ADMIN_KILL), "Admin-Reset");
	CHECK_STR(radius_end_name(RADIUS_END_SHUTDOWN), "NAS-Reboot");
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_session_ids(void)
{
	static char ids[2000][RADIUS_ACCT_SESSION_ID_MAX + 1];
	struct radius_sid_gen a, b;

	pk_rand_use_seeded(3);
	radius_sid_init(&a, 1700000000);
	/* A restart in the same second still differs (random part). */
	radius_sid_init(&b, 1700000000);
	for (int i = 0; i < 1000; i++) {
		radius_sid_next(&a, ids[i]);
		radius_sid_next(&b, ids[1000 + i]);
		CHECK_INT(strlen(ids[i]), 24);
	}
	CHECK_STR(ids[0] + 16, "00000001");
	CHECK(strncmp(ids[0], "6553F100", 8) == 0);
	qsort(ids, 2000, sizeof(ids[0]), cmp_str);
	for (int i = 1; i < 2000; i++)
		CHECK(strcmp(ids[i - 1], ids[i]) != 0);
	pk_rand_set_source(NULL, NULL);
}

int
main(void)
{
	RUN(test_start);
	RUN(test_stop_gigawords);
	RUN(test_on_off_and_errors);
	RUN(test_on_the_wire);
	RUN(test_terminate_causes);
	RUN(test_session_ids);
	TEST_MAIN_END();
}
