/*
 * test_scan_reply.c - what `pptpkit scan` makes of the answer to its
 * Start-Control-Connection-Request, from raw bytes written out by hand at
 * the RFC 2637 §2.2 offsets (not produced by our own encoder, so an
 * offset mistake in the decoder cannot cancel out): real replies, refused
 * and foreign-version replies, a wrong magic cookie, other PPTP messages,
 * other services' banners, short and byte-by-byte arrivals. Then the
 * findings and JSON built from a report, and target parsing.
 */
#include <arpa/inet.h>
#include <json-c/json.h>

#include "audit/scan.h"
#include "audit/scan_output.h"
#include "audit/scan_targets.h"
#include "core/err.h"
#include "test.h"

/* Builds a 156-byte SCCRP: header (Length 156, Message Type 1, cookie,
 * Control Type 2), then version/result/error at 12-15, framing 16,
 * bearer 20, max channels 24, firmware 26, host 28-91, vendor 92-155. */
static size_t
sccrp(uint8_t *p, uint16_t version, uint8_t result, uint8_t error,
    uint32_t framing, uint32_t bearer, uint16_t channels, uint16_t fw,
    const char *host, const char *vendor)
{
	memset(p, 0, 156);
	p[0] = 0x00; p[1] = 0x9c;		/* Length 156 */
	p[2] = 0x00; p[3] = 0x01;		/* control message */
	p[4] = 0x1a; p[5] = 0x2b; p[6] = 0x3c; p[7] = 0x4d;
	p[8] = 0x00; p[9] = 0x02;		/* SCCRP */
	p[12] = (uint8_t)(version >> 8); p[13] = (uint8_t)version;
	p[14] = result;
	p[15] = error;
	for (int i = 0; i < 4; i++) {
		p[16 + i] = (uint8_t)(framing >> (24 - 8 * i));
		p[20 + i] = (uint8_t)(bearer >> (24 - 8 * i));
	}
	p[24] = (uint8_t)(channels >> 8); p[25] = (uint8_t)channels;
	p[26] = (uint8_t)(fw >> 8); p[27] = (uint8_t)fw;
	memcpy(p + 28, host, strnlen(host, 64));
	memcpy(p + 92, vendor, strnlen(vendor, 64));
	return 156;
}

static void
test_real_reply(void)
{
	uint8_t b[200];
	struct scan_reply r;
	size_t n = sccrp(b, 0x0100, 1, 0, 3, 3, 0, 0x1234, "HOSTNAMEX",
	    "VENDORX");

	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(r.err, PK_OK);
	CHECK_INT(r.got, 156);
	CHECK(r.version_ok);
	CHECK_INT(r.start.version, 0x0100);
	CHECK_INT(r.start.result, 1);
	CHECK_INT(r.start.error, 0);
	CHECK_INT(r.start.framing_caps, 3);
	CHECK_INT(r.start.bearer_caps, 3);
	CHECK_INT(r.start.max_channels, 0);
	CHECK_INT(r.start.firmware_rev, 4660);
	CHECK_STR(r.start.host_name, "HOSTNAMEX");
	CHECK_STR(r.start.vendor, "VENDORX");
	/* The first bytes are kept for the report. */
	CHECK_INT(r.head_len, SCAN_REPLY_HEAD_MAX);
	CHECK_MEM(r.head, b, SCAN_REPLY_HEAD_MAX);

	/* pptpd's shape: capabilities 0 (README of tests/interop). */
	n = sccrp(b, 0x0100, 1, 0, 0, 0, 1, 1, "local", "linux");
	CHECK_INT(scan_reply_parse(b, n, 1, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(r.start.framing_caps, 0);
	CHECK_INT(r.start.max_channels, 1);
	CHECK_STR(r.start.vendor, "linux");

	/* Bytes after the reply (an early Echo-Request) do not matter. */
	n = sccrp(b, 0x0100, 1, 0, 1, 2, 5, 7, "h", "v");
	memset(b + n, 0x55, 20);
	CHECK_INT(scan_reply_parse(b, n + 20, 0, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(r.start.firmware_rev, 7);
	CHECK_INT(r.start.bearer_caps, 2);
}

static void
test_refused_and_versions(void)
{
	uint8_t b[160];
	struct scan_reply r;
	size_t n;

	/* Not authorized (Result 4): still a reply, still identifies. */
	n = sccrp(b, 0x0100, 4, 0, 1, 1, 0, 3790, "RRAS", "Microsoft");
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(r.start.result, 4);
	CHECK_STR(r.start.host_name, "RRAS");
	/* General error with an error code. */
	n = sccrp(b, 0x0100, 2, 6, 1, 1, 0, 0, "", "");
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(r.start.result, 2);
	CHECK_INT(r.start.error, 6);
	/* A foreign version: reported, fields complete. */
	n = sccrp(b, 0x0200, 1, 0, 3, 3, 9, 42, "futur", "x");
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(r.err, PK_ERR_VERSION);
	CHECK(!r.version_ok);
	CHECK_INT(r.start.version, 0x0200);
	CHECK_INT(r.start.firmware_rev, 42);
	CHECK_INT(r.start.max_channels, 9);
	CHECK_STR(r.start.host_name, "futur");
}

static void
test_text_fields(void)
{
	uint8_t b[160];
	char host[65], out[65];
	struct scan_reply r;
	size_t n;

	/* A host name filling all 64 bytes, no NUL. */
	memset(host, 'A', 64);
	host[64] = '\0';
	n = sccrp(b, 0x0100, 1, 0, 1, 1, 0, 1, host, "v");
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(strlen(r.start.host_name), 64);
	CHECK_STR(r.start.vendor, "v");
	/* Bytes a terminal would interpret come out as '?'. */
	n = sccrp(b, 0x0100, 1, 0, 1, 1, 0, 1, "ab\x1b[2Jc\xff", "v\n");
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	scan_printable(out, sizeof(out), r.start.host_name);
	CHECK_STR(out, "ab?[2Jc?");
	scan_printable(out, sizeof(out), r.start.vendor);
	CHECK_STR(out, "v?");
	/* Bytes after the first NUL of a field are not part of it. */
	n = sccrp(b, 0x0100, 1, 0, 1, 1, 0, 1, "ok", "v");
	b[28 + 3] = 'X';
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_STR(r.start.host_name, "ok");
}

struct case_raw {
	const char *name;
	const char *hex;	/* the bytes received */
	int eof;
	int want_rc;
	int want_kind;
	int want_err;
	uint16_t want_ctrl_type;
	int pptp;		/* scan_report_is_pptp() */
};

static const struct case_raw raw_cases[] = {
	{ "nothing, closed", "", 1, PK_OK, SCAN_REPLY_SILENT, PK_ERR_SHORT,
	    0, 0 },
	{ "nothing yet", "", 0, PK_ERR_SHORT, 0, 0, 0, 0 },
	{ "ssh banner", "5353482d322e302d4f70656e5353485f392e3270310d0a", 0,
	    PK_OK, SCAN_REPLY_NOT_PPTP, PK_ERR_LENGTH, 0, 0 },
	{ "http", "485454502f312e31203430302042616420526571756573740d0a", 0,
	    PK_OK, SCAN_REPLY_NOT_PPTP, PK_ERR_LENGTH, 0, 0 },
	/* Fewer than 12 bytes are never decided before EOF (the cookie
	 * decides, and it is not there yet)... */
	{ "short non-pptp waits", "5353", 0, PK_ERR_SHORT, 0, 0, 0, 0 },
	/* ...and at EOF they are judged by what is there. */
	{ "short non-pptp closed", "5353", 1, PK_OK, SCAN_REPLY_NOT_PPTP,
	    PK_ERR_SHORT, 0, 0 },
	/* A PPTP-shaped prefix waits, then is truncated at EOF. */
	{ "prefix waits", "009c00011a", 0, PK_ERR_SHORT, 0, 0, 0, 0 },
	{ "prefix closed", "009c00011a", 1, PK_OK, SCAN_REPLY_TRUNCATED,
	    PK_ERR_SHORT, 0, 0 },
	{ "prefix with cookie start", "009c00011a2b3c", 0, PK_ERR_SHORT, 0,
	    0, 0, 0 },
	{ "partial cookie wrong", "009c0001ffff", 1, PK_OK,
	    SCAN_REPLY_NOT_PPTP, PK_ERR_SHORT, 0, 0 },
	/* A Length that no PPTP message has, then the cookie: PPTP after
	 * all (a broken one), which is why nothing is decided early. */
	{ "bad length, good cookie", "00050001" "1a2b3c4d" "00010000", 0,
	    PK_OK, SCAN_REPLY_MALFORMED, PK_ERR_LENGTH, 0, 1 },
	/* Length 156, type 1, cookie wrong: BAD_MAGIC. */
	{ "wrong magic", "009c0001deadbeef00020000", 0, PK_OK,
	    SCAN_REPLY_BAD_MAGIC, PK_ERR_MAGIC, 0, 0 },
	/* Wrong cookie and wrong length: just not PPTP. */
	{ "wrong magic and length", "00100001deadbeef00020000", 0, PK_OK,
	    SCAN_REPLY_NOT_PPTP, PK_ERR_MAGIC, 0, 0 },
	/* Cookie right, Length not the SCCRP size: malformed PPTP. */
	{ "malformed length", "00640001" "1a2b3c4d" "00020000", 0, PK_OK,
	    SCAN_REPLY_MALFORMED, PK_ERR_LENGTH, 0, 1 },
	/* Cookie right, management message type: malformed PPTP. */
	{ "management type", "009c0002" "1a2b3c4d" "00020000", 0, PK_OK,
	    SCAN_REPLY_MALFORMED, PK_ERR_TYPE, 0, 1 },
	{ "unknown control type", "00100001" "1a2b3c4d" "00630000", 0, PK_OK,
	    SCAN_REPLY_MALFORMED, PK_ERR_TYPE, 0, 1 },
	/* A Stop-Control-Connection-Request (reason 3) instead. */
	{ "stop instead", "00100001" "1a2b3c4d" "00030000" "03000000", 0,
	    PK_OK, SCAN_REPLY_OTHER_MSG, PK_OK, 3, 1 },
	/* An Echo-Request first. */
	{ "echo first", "00100001" "1a2b3c4d" "00050000" "00000001", 0,
	    PK_OK, SCAN_REPLY_OTHER_MSG, PK_OK, 5, 1 },
	/* A whole header of an SCCRP, then the connection closed. */
	{ "header then close", "009c0001" "1a2b3c4d" "00020000" "0100", 1,
	    PK_OK, SCAN_REPLY_TRUNCATED, PK_ERR_SHORT, 2, 1 },
	{ "header, more to come", "009c0001" "1a2b3c4d" "00020000" "0100", 0,
	    PK_ERR_SHORT, 0, 0, 0, 0 },
};

static void
test_raw_table(void)
{
	for (size_t i = 0; i < sizeof(raw_cases) / sizeof(raw_cases[0]); i++) {
		const struct case_raw *c = &raw_cases[i];
		uint8_t b[256];
		struct scan_reply r;
		struct scan_report rep;
		size_t n = test_unhex(c->hex, b, sizeof(b));
		int rc;

		test_current = c->name;
		rc = scan_reply_parse(b, n, c->eof, &r);
		CHECK_INT(rc, c->want_rc);
		if (rc != PK_OK) {
			CHECK_INT(r.kind, SCAN_REPLY_UNDECIDED);
			continue;
		}
		CHECK_INT(r.kind, c->want_kind);
		CHECK_INT(r.err, c->want_err);
		CHECK_INT(r.got, n);
		if (c->want_ctrl_type != 0)
			CHECK_INT(r.ctrl_type, c->want_ctrl_type);
		scan_report_init(&rep, 0, 1723, 0);
		rep.tcp = SCAN_TCP_OPEN;
		rep.reply = r;
		CHECK_INT(scan_report_is_pptp(&rep), c->pptp);
		CHECK_STR(scan_report_state(&rep), c->pptp ? "pptp" : "open");
	}
	test_current = "test_raw_table";
}

/* The reply arrives one byte at a time: undecided until the last byte,
 * then the same answer as in one piece. */
static void
test_byte_by_byte(void)
{
	uint8_t b[160];
	struct scan_reply r;
	size_t n = sccrp(b, 0x0100, 1, 0, 3, 1, 0, 77, "slow", "drip");

	for (size_t k = 0; k < n; k++) {
		if (scan_reply_parse(b, k, 0, &r) != PK_ERR_SHORT) {
			fprintf(stderr, "decided early at %zu bytes\n", k);
			CHECK(0);
			break;
		}
	}
	CHECK_INT(scan_reply_parse(b, n, 0, &r), PK_OK);
	CHECK_INT(r.start.firmware_rev, 77);
	CHECK_STR(r.start.vendor, "drip");
	/* Closed after 100 bytes: truncated PPTP. */
	CHECK_INT(scan_reply_parse(b, 100, 1, &r), PK_OK);
	CHECK_INT(r.kind, SCAN_REPLY_TRUNCATED);
	CHECK_INT(r.got, 100);
	CHECK_INT(r.magic, 0x1a2b3c4d);
}

static void
test_names(void)
{
	char buf[64];

	scan_framing_names(0, buf, sizeof(buf));
	CHECK_STR(buf, "none");
	scan_framing_names(3, buf, sizeof(buf));
	CHECK_STR(buf, "async,sync");
	scan_bearer_names(2, buf, sizeof(buf));
	CHECK_STR(buf, "digital");
	scan_bearer_names(0x13, buf, sizeof(buf));
	CHECK_STR(buf, "analog,digital,0x10");
	CHECK_STR(scan_firmware_hint("Microsoft", 3790),
	    "Windows Server 2003 / XP x64");
	CHECK(scan_firmware_hint("Microsoft", 1) == NULL);
	CHECK(scan_firmware_hint("pptpkit", 3790) == NULL);
	for (int m = 0; m < SCAN_METHODS; m++)
		CHECK_INT(scan_method_parse(scan_method_name(m)), m);
	CHECK_STR(scan_method_name(SCAN_M_NONE), "none");
	CHECK_STR(scan_method_name(SCAN_M_OTHER), "other");
}

static struct scan_report
pptp_report(const char *vendor, uint16_t fw)
{
	struct scan_report rep;
	uint8_t b[160];

	scan_report_init(&rep, htonl(0xc6120001), 1723, 1);
	rep.tcp = SCAN_TCP_OPEN;
	sccrp(b, 0x0100, 1, 0, 3, 3, 0, fw, "gw", vendor);
	CHECK_INT(scan_reply_parse(b, 156, 0, &rep.reply), PK_OK);
	return rep;
}

static int
has_finding(const struct scan_finding *f, size_t n, const char *id,
    int severity)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].id, id) == 0)
			return f[i].severity == severity;
	return 0;
}

static void
test_plan_and_findings(void)
{
	struct scan_finding f[SCAN_FINDINGS_MAX];
	struct scan_report rep = pptp_report("Microsoft", 3790);
	size_t n;

	/* The planner asks each method once, in order; the offered one
	 * counts without a probe. */
	CHECK_INT(scan_plan_next(&rep), SCAN_M_PAP);
	scan_report_offered(&rep, SCAN_M_MSCHAPV2, (const uint8_t *)"\xc2"
	    "\x23\x81", 3);
	CHECK_INT(rep.verdict[SCAN_M_MSCHAPV2], SCAN_V_ACCEPTED);
	/* A second offer changes nothing. */
	scan_report_offered(&rep, SCAN_M_PAP, NULL, 0);
	CHECK_INT(rep.offered, SCAN_M_MSCHAPV2);
	CHECK_INT(rep.verdict[SCAN_M_PAP], SCAN_V_UNTESTED);
	scan_report_verdict(&rep, SCAN_M_PAP, SCAN_V_ACCEPTED, "x");
	CHECK_INT(scan_plan_next(&rep), SCAN_M_CHAP_MD5);
	scan_report_verdict(&rep, SCAN_M_CHAP_MD5, SCAN_V_REFUSED, "x");
	scan_report_verdict(&rep, SCAN_M_MSCHAPV1, SCAN_V_ERROR, "x");
	CHECK_INT(scan_plan_next(&rep), SCAN_M_EAP);
	/* ERROR can be overwritten by a real verdict, nothing else can. */
	scan_report_verdict(&rep, SCAN_M_MSCHAPV1, SCAN_V_ACCEPTED, "y");
	scan_report_verdict(&rep, SCAN_M_MSCHAPV1, SCAN_V_REFUSED, "z");
	CHECK_INT(rep.verdict[SCAN_M_MSCHAPV1], SCAN_V_ACCEPTED);
	scan_report_verdict(&rep, SCAN_M_EAP, SCAN_V_REFUSED, "x");
	CHECK_INT(scan_plan_next(&rep), -1);
	CHECK_INT(scan_report_accepted(&rep), (1u << SCAN_M_PAP) |
	    (1u << SCAN_M_MSCHAPV1) | (1u << SCAN_M_MSCHAPV2));

	n = scan_findings(&rep, f, SCAN_FINDINGS_MAX);
	CHECK(has_finding(f, n, "pptp-exposed", SCAN_SEV_HIGH));
	CHECK(has_finding(f, n, "accepts-pap", SCAN_SEV_CRITICAL));
	CHECK(has_finding(f, n, "accepts-mschapv1", SCAN_SEV_HIGH));
	CHECK(has_finding(f, n, "accepts-mschapv2", SCAN_SEV_HIGH));
	CHECK(!has_finding(f, n, "mschapv2-only", SCAN_SEV_HIGH));
	CHECK(!has_finding(f, n, "accepts-chap-md5", SCAN_SEV_HIGH));
	CHECK(has_finding(f, n, "identity-disclosed", SCAN_SEV_LOW));
	/* Most severe first. */
	CHECK_STR(f[0].id, "accepts-pap");
	for (size_t i = 1; i < n; i++)
		CHECK(f[i - 1].severity >= f[i].severity);
	/* The Windows build shows through the firmware revision. */
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].id, "identity-disclosed") == 0)
			CHECK(strstr(f[i].why, "Windows Server 2003") != NULL);

	/* MS-CHAPv2 only. */
	rep = pptp_report("pptpkit", 1);
	scan_report_offered(&rep, SCAN_M_MSCHAPV2, NULL, 0);
	for (int m = 0; m < SCAN_METHODS; m++)
		scan_report_verdict(&rep, m, SCAN_V_REFUSED, "x");
	n = scan_findings(&rep, f, SCAN_FINDINGS_MAX);
	CHECK(has_finding(f, n, "mschapv2-only", SCAN_SEV_HIGH));
	CHECK(!has_finding(f, n, "accepts-pap", SCAN_SEV_CRITICAL));
	/* No authentication at all. */
	rep = pptp_report("x", 0);
	rep.deep = SCAN_DEEP_NO_AUTH;
	n = scan_findings(&rep, f, SCAN_FINDINGS_MAX);
	CHECK_STR(f[0].id, "no-authentication");
	CHECK_INT(f[0].severity, SCAN_SEV_CRITICAL);
	/* Refused control connection, foreign version. */
	rep = pptp_report("x", 0);
	rep.reply.start.result = 4;
	rep.reply.version_ok = 0;
	rep.reply.start.version = 0x0200;
	n = scan_findings(&rep, f, SCAN_FINDINGS_MAX);
	CHECK(has_finding(f, n, "control-refused", SCAN_SEV_INFO));
	CHECK(has_finding(f, n, "odd-version", SCAN_SEV_INFO));
	/* Not PPTP: nothing to say. */
	rep = pptp_report("x", 0);
	rep.reply.kind = SCAN_REPLY_NOT_PPTP;
	CHECK_INT(scan_findings(&rep, f, SCAN_FINDINGS_MAX), 0);
	/* A full list never overflows. */
	CHECK(scan_findings(&rep, f, 0) == 0);
}

static const char *
jstr(json_object *o, const char *path1, const char *path2)
{
	json_object *a, *b;

	if (!json_object_object_get_ex(o, path1, &a))
		return NULL;
	if (path2 == NULL)
		return json_object_get_string(a);
	if (!json_object_object_get_ex(a, path2, &b))
		return NULL;
	return json_object_get_string(b);
}

static void
test_json(void)
{
	struct scan_report rep = pptp_report("VEN\x01", 1234);
	json_object *o, *d, *m, *v;

	scan_report_offered(&rep, SCAN_M_PAP, NULL, 0);
	rep.deep = SCAN_DEEP_DONE;
	o = scan_report_json(&rep);
	CHECK_STR(jstr(o, "address", NULL), "198.18.0.1");
	CHECK_STR(jstr(o, "state", NULL), "pptp");
	CHECK_STR(jstr(o, "reply", "vendor"), "VEN?");
	CHECK_STR(jstr(o, "reply", "host_name"), "gw");
	CHECK_STR(jstr(o, "reply", "firmware_revision"), "1234");
	CHECK_STR(jstr(o, "reply", "framing"), "async,sync");
	CHECK_STR(jstr(o, "reply", "protocol_version"), "1.0");
	CHECK_STR(jstr(o, "reply", "result"), "Successful");
	CHECK_STR(jstr(o, "deep", "offered"), "pap");
	CHECK_STR(jstr(o, "deep", "accepts_pap"), "true");
	CHECK(json_object_object_get_ex(o, "deep", &d));
	CHECK(json_object_object_get_ex(d, "methods", &m));
	CHECK(json_object_object_get_ex(m, "pap", &v));
	CHECK_STR(jstr(v, "verdict", NULL), "accepted");
	CHECK(json_object_object_get_ex(o, "findings", &v));
	CHECK(json_object_array_length(v) >= 3);
	CHECK_STR(jstr(json_object_array_get_idx(v, 0), "id", NULL),
	    "accepts-pap");
	json_object_put(o);
}

static void
test_targets(void)
{
	struct scan_targets *t = malloc(sizeof(*t));
	char err[256];
	uint32_t a;
	uint16_t p;

	scan_targets_init(t, 100);
	CHECK_INT(scan_targets_add(t, "198.18.0.5", 1723, err, sizeof(err)),
	    PK_OK);
	CHECK_INT(scan_targets_add(t, "198.18.1.0/28:1724", 1723, err,
	    sizeof(err)), PK_OK);
	CHECK_INT(scan_targets_add(t, "198.18.2.7/31", 1723, err,
	    sizeof(err)), PK_OK);
	CHECK_INT(scan_targets_add(t, "198.18.3.9:99", 1723, err,
	    sizeof(err)), PK_OK);
	/* 1 + 14 (no network, no broadcast) + 2 + 1 */
	CHECK_INT(t->count, 18);
	scan_targets_get(t, 0, &a, &p);
	CHECK_INT(ntohl(a), 0xc6120005);
	CHECK_INT(p, 1723);
	scan_targets_get(t, 1, &a, &p);
	CHECK_INT(ntohl(a), 0xc6120101);
	CHECK_INT(p, 1724);
	scan_targets_get(t, 14, &a, &p);
	CHECK_INT(ntohl(a), 0xc612010e);
	scan_targets_get(t, 15, &a, &p);
	CHECK_INT(ntohl(a), 0xc6120206);
	scan_targets_get(t, 17, &a, &p);
	CHECK_INT(ntohl(a), 0xc6120309);
	CHECK_INT(p, 99);
	CHECK_INT(scan_targets_add(t, "localhost", 1723, err, sizeof(err)),
	    PK_OK);
	scan_targets_get(t, 18, &a, &p);
	CHECK_INT(ntohl(a) >> 24, 127);
	/* Errors name the argument. */
	CHECK_INT(scan_targets_add(t, "198.18.0.1:0", 1723, err, sizeof(err)),
	    PK_ERR_CONFIG);
	CHECK(strstr(err, "198.18.0.1:0") != NULL);
	CHECK_INT(scan_targets_add(t, "198.18.0.1/33", 1723, err,
	    sizeof(err)), PK_ERR_CONFIG);
	CHECK_INT(scan_targets_add(t, "example.invalid/24", 1723, err,
	    sizeof(err)), PK_ERR_CONFIG);
	CHECK_INT(scan_targets_add(t, "198.18.0.0/16", 1723, err,
	    sizeof(err)), PK_ERR_CONFIG);
	CHECK(strstr(err, "--max-targets") != NULL);
	CHECK_INT(t->count, 19);
	free(t);
}

int
main(void)
{
	RUN(test_real_reply);
	RUN(test_refused_and_versions);
	RUN(test_text_fields);
	RUN(test_raw_table);
	RUN(test_byte_by_byte);
	RUN(test_names);
	RUN(test_plan_and_findings);
	RUN(test_json);
	RUN(test_targets);
	TEST_MAIN_END();
}
