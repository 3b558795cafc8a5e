/*
 * test_pptp_msg.c - the PPTP control message codec (RFC 2637 §2): one raw
 * vector per message type decoded field by field and re-encoded to the
 * same bytes, then malformed inputs with the exact PK_ERR_ code each.
 */
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "pptp/ctrl_msg.h"
#include "test.h"

/* Zero octets, to spell out the fixed 64/128-octet fields. */
#define Z4 "00000000"
#define Z16 Z4 Z4 Z4 Z4
#define Z64 Z16 Z16 Z16 Z16
#define Z128 Z64 Z64
#define HDR(len, type) len " 0001 1a2b3c4d " type " 0000 "

/* [MS-PTPT] §4: the Windows client's SCCRQ, vendor "Microsoft". */
static const char sccrq_windows[] =
    HDR("009c", "0001")
    "0100 0000 00000001 00000001 0000 0000 " Z64
    "4d6963726f736f6674" Z16 Z16 Z16 "00000000000000";

/* Zero capabilities and empty strings, as PoPToP pptpd replies. */
static const char sccrp_zero_caps[] =
    HDR("009c", "0002")
    "0100 01 00 00000000 00000000 0001 0001 " Z64 Z64;

static const char stopccrq[] = HDR("0010", "0003") "03 00 0000";
static const char stopccrp[] = HDR("0010", "0004") "01 00 0000";
static const char echorq[] = HDR("0010", "0005") "12345678";
static const char echorp[] = HDR("0014", "0006") "12345678 01 00 0000";

/* [MS-PTPT] §4: Windows' OCRQ, a correlation GUID in the Subaddress. */
static const char ocrq_windows[] =
    HDR("00a8", "0007")
    "faea 0001 0000012c 05f5e100 00000003 00000003 0040 0000 0000 0000 "
    Z64 "e3572a57e0a2bd41b826f1454106f261" Z16 Z16 Z16;

/* [MS-PTPT] §4: Windows' OCRP. */
static const char ocrp_windows[] =
    HDR("0020", "0008")
    "e40a faea 01 00 0000 00512502 4000 0000 00000000";

static const char icrq[] =
    HDR("00dc", "0009")
    "1234 0007 00000001 00000005 0003 0004 "
    "353535" Z16 Z16 Z16 "00000000000000000000000000"
    "31323132" Z16 Z16 Z16 "000000000000000000000000" Z64;

static const char icrp[] = HDR("0018", "000a") "4321 1234 01 00 0040 0003 0000";
static const char iccn[] =
    HDR("001c", "000b") "4321 0000 0000fa00 0010 0002 00000002";
static const char ccrq[] = HDR("0010", "000c") "faea 0000";

/* [MS-PTPT] §4: a Windows PAC's CDN, Result Code 0. */
static const char cdn_windows[] =
    HDR("0094", "000d") "e40a 00 00 0000 0000 " Z128;

/* A CDN with General Error and call statistics text "bye". */
static const char cdn_stats[] =
    HDR("0094", "000d") "0102 02 06 0010 0000 "
    "627965" Z64 Z16 Z16 Z16 "00000000000000000000000000";

static const char wen[] =
    HDR("0028", "000e")
    "faea 0000 00000001 00000002 00000003 00000004 00000005 00000006";
static const char sli[] = HDR("0018", "000f") "e40a 0000 ffffffff 00000000";

static void
check_sccrq_windows(const struct pptp_msg *m)
{
	CHECK_INT(m->u.start.version, 0x0100);
	CHECK_INT(m->u.start.framing_caps, PPTP_FRAMING_CAP_ASYNC);
	CHECK_INT(m->u.start.bearer_caps, PPTP_BEARER_CAP_ANALOG);
	CHECK_INT(m->u.start.max_channels, 0);
	CHECK_INT(m->u.start.firmware_rev, 0);
	CHECK_STR(m->u.start.host_name, "");
	CHECK_STR(m->u.start.vendor, "Microsoft");
}

static void
check_sccrp_zero_caps(const struct pptp_msg *m)
{
	CHECK_INT(m->u.start.version, PPTP_VERSION);
	CHECK_INT(m->u.start.result, PPTP_SCCRP_OK);
	CHECK_INT(m->u.start.error, 0);
	CHECK_INT(m->u.start.framing_caps, 0);
	CHECK_INT(m->u.start.bearer_caps, 0);
	CHECK_INT(m->u.start.max_channels, 1);
	CHECK_INT(m->u.start.firmware_rev, 1);
	CHECK_STR(m->u.start.host_name, "");
	CHECK_STR(m->u.start.vendor, "");
}

static void
check_stopccrq(const struct pptp_msg *m)
{
	CHECK_INT(m->u.stop.reason, PPTP_STOP_LOCAL_SHUTDOWN);
}

static void
check_stopccrp(const struct pptp_msg *m)
{
	CHECK_INT(m->u.stop.reason, PPTP_STOPCCRP_OK);
	CHECK_INT(m->u.stop.error, 0);
}

static void
check_echorq(const struct pptp_msg *m)
{
	CHECK_INT(m->u.echo.id, 0x12345678);
}

static void
check_echorp(const struct pptp_msg *m)
{
	CHECK_INT(m->u.echo.id, 0x12345678);
	CHECK_INT(m->u.echo.result, PPTP_ECHORP_OK);
	CHECK_INT(m->u.echo.error, 0);
}

static void
check_ocrq_windows(const struct pptp_msg *m)
{
	const struct pptp_ocrq *o = &m->u.ocrq;
	const uint8_t guid[] = {
		0xe3, 0x57, 0x2a, 0x57, 0xe0, 0xa2, 0xbd, 0x41,
		0xb8, 0x26, 0xf1, 0x45, 0x41, 0x06, 0xf2, 0x61,
	};
	const uint8_t zero[48] = { 0 };

	CHECK_INT(o->call_id, 0xfaea);
	CHECK_INT(o->serial, 1);
	CHECK_INT(o->min_bps, 300);
	CHECK_INT(o->max_bps, 100000000);
	CHECK_INT(o->bearer_type, PPTP_BEARER_ANY);
	CHECK_INT(o->framing_type, PPTP_FRAMING_ANY);
	CHECK_INT(o->recv_window, 64);
	CHECK_INT(o->processing_delay, 0);
	CHECK_INT(o->phone_len, 0);
	CHECK_STR(o->phone, "");
	CHECK_MEM(o->subaddr, guid, sizeof(guid));
	CHECK_MEM(o->subaddr + 16, zero, sizeof(zero));
}

static void
check_ocrp_windows(const struct pptp_msg *m)
{
	const struct pptp_ocrp *o = &m->u.ocrp;

	CHECK_INT(o->call_id, 0xe40a);
	CHECK_INT(o->peer_call_id, 0xfaea);
	CHECK_INT(o->result, PPTP_OCRP_CONNECTED);
	CHECK_INT(o->error, 0);
	CHECK_INT(o->cause, 0);
	CHECK_INT(o->connect_speed, 5317890);
	CHECK_INT(o->recv_window, 16384);
	CHECK_INT(o->processing_delay, 0);
	CHECK_INT(o->physical_channel, 0);
}

static void
check_icrq(const struct pptp_msg *m)
{
	const struct pptp_icrq *i = &m->u.icrq;

	CHECK_INT(i->call_id, 0x1234);
	CHECK_INT(i->serial, 7);
	CHECK_INT(i->bearer_type, PPTP_BEARER_ANALOG);
	CHECK_INT(i->physical_channel, 5);
	CHECK_INT(i->dialed_len, 3);
	CHECK_INT(i->dialing_len, 4);
	CHECK_STR(i->dialed, "555");
	CHECK_STR(i->dialing, "1212");
}

static void
check_icrp(const struct pptp_msg *m)
{
	const struct pptp_icrp *i = &m->u.icrp;

	CHECK_INT(i->call_id, 0x4321);
	CHECK_INT(i->peer_call_id, 0x1234);
	CHECK_INT(i->result, PPTP_ICRP_CONNECT);
	CHECK_INT(i->error, 0);
	CHECK_INT(i->recv_window, 64);
	CHECK_INT(i->transmit_delay, 3);
}

static void
check_iccn(const struct pptp_msg *m)
{
	const struct pptp_iccn *i = &m->u.iccn;

	CHECK_INT(i->peer_call_id, 0x4321);
	CHECK_INT(i->connect_speed, 64000);
	CHECK_INT(i->recv_window, 16);
	CHECK_INT(i->transmit_delay, 2);
	CHECK_INT(i->framing_type, PPTP_FRAMING_SYNC);
}

static void
check_ccrq(const struct pptp_msg *m)
{
	CHECK_INT(m->u.ccrq.call_id, 0xfaea);
}

static void
check_cdn_windows(const struct pptp_msg *m)
{
	CHECK_INT(m->u.cdn.call_id, 0xe40a);
	CHECK_INT(m->u.cdn.result, PPTP_CDN_UNDEFINED);
	CHECK_INT(m->u.cdn.error, 0);
	CHECK_INT(m->u.cdn.cause, 0);
	CHECK_STR(m->u.cdn.stats, "");
}

static void
check_cdn_stats(const struct pptp_msg *m)
{
	CHECK_INT(m->u.cdn.call_id, 0x0102);
	CHECK_INT(m->u.cdn.result, PPTP_CDN_GENERAL_ERROR);
	CHECK_INT(m->u.cdn.error, PPTP_GE_PAC_ERROR);
	CHECK_INT(m->u.cdn.cause, 16);
	CHECK_STR(m->u.cdn.stats, "bye");
}

static void
check_wen(const struct pptp_msg *m)
{
	const struct pptp_wen *e = &m->u.wen;

	CHECK_INT(e->peer_call_id, 0xfaea);
	CHECK_INT(e->crc_errors, 1);
	CHECK_INT(e->framing_errors, 2);
	CHECK_INT(e->hw_overruns, 3);
	CHECK_INT(e->buf_overruns, 4);
	CHECK_INT(e->timeout_errors, 5);
	CHECK_INT(e->alignment_errors, 6);
}

static void
check_sli(const struct pptp_msg *m)
{
	CHECK_INT(m->u.sli.peer_call_id, 0xe40a);
	CHECK_INT(m->u.sli.send_accm, 0xffffffffu);
	CHECK_INT(m->u.sli.recv_accm, 0);
}

static const struct valid_case {
	const char *name;
	const char *hex;
	unsigned type;
	size_t len;
	void (*check)(const struct pptp_msg *);
} valid_cases[] = {
	{ "SCCRQ windows", sccrq_windows, PPTP_SCCRQ, 156,
	    check_sccrq_windows },
	{ "SCCRP zero caps", sccrp_zero_caps, PPTP_SCCRP, 156,
	    check_sccrp_zero_caps },
	{ "StopCCRQ", stopccrq, PPTP_STOPCCRQ, 16, check_stopccrq },
	{ "StopCCRP", stopccrp, PPTP_STOPCCRP, 16, check_stopccrp },
	{ "Echo-Request", echorq, PPTP_ECHORQ, 16, check_echorq },
	{ "Echo-Reply", echorp, PPTP_ECHORP, 20, check_echorp },
	{ "OCRQ windows", ocrq_windows, PPTP_OCRQ, 168, check_ocrq_windows },
	{ "OCRP windows", ocrp_windows, PPTP_OCRP, 32, check_ocrp_windows },
	{ "ICRQ", icrq, PPTP_ICRQ, 220, check_icrq },
	{ "ICRP", icrp, PPTP_ICRP, 24, check_icrp },
	{ "ICCN", iccn, PPTP_ICCN, 28, check_iccn },
	{ "CCRQ", ccrq, PPTP_CCRQ, 16, check_ccrq },
	{ "CDN windows result 0", cdn_windows, PPTP_CDN, 148,
	    check_cdn_windows },
	{ "CDN stats", cdn_stats, PPTP_CDN, 148, check_cdn_stats },
	{ "WEN", wen, PPTP_WEN, 40, check_wen },
	{ "SLI", sli, PPTP_SLI, 24, check_sli },
};

static void
test_valid_roundtrip(void)
{
	uint8_t raw[512], enc[512];
	int seen[PPTP_CTRL_TYPE_MAX + 1] = { 0 };

	for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]);
	    i++) {
		const struct valid_case *vc = &valid_cases[i];
		struct pptp_msg m;
		struct buf_writer w;
		size_t n, flen = 0;

		test_current = vc->name;
		n = test_unhex(vc->hex, raw, sizeof(raw));
		CHECK_INT(n, vc->len);
		CHECK_INT(pptp_msg_len(vc->type), vc->len);
		CHECK_INT(pptp_msg_frame(raw, n, &flen), PK_OK);
		CHECK_INT(flen, vc->len);
		CHECK_INT(pptp_msg_decode(raw, n, &m), PK_OK);
		CHECK_INT(m.type, vc->type);
		vc->check(&m);
		buf_writer_init(&w, enc, sizeof(enc));
		CHECK_INT(pptp_msg_encode(&m, &w), PK_OK);
		CHECK_INT(w.len, n);
		CHECK_MEM(enc, raw, n);
		seen[vc->type] = 1;
	}
	test_current = "test_valid_roundtrip";
	for (unsigned t = 1; t <= PPTP_CTRL_TYPE_MAX; t++)
		CHECK(seen[t]);
}

/* RFC 2637 §2: the exact sizes, independently of the table above. */
static void
test_lengths(void)
{
	static const unsigned want[PPTP_CTRL_TYPE_MAX + 1] = {
		0, 156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148,
		40, 24,
	};

	for (unsigned t = 0; t <= PPTP_CTRL_TYPE_MAX; t++)
		CHECK_INT(pptp_msg_len(t), want[t]);
	CHECK_INT(pptp_msg_len(16), 0);
	CHECK_INT(pptp_msg_len(0xffff), 0);
	CHECK(PPTP_LEN_MAX <= PK_CTRL_MSG_MAX);
}

/* An SCCRQ cut to n bytes but with the Length field still 156. */
static const char sccrq_cut[] =
    HDR("009c", "0001") "0100 0000 00000001 00000001 0000 0000 " Z16;

static const struct bad_case {
	const char *name;
	const char *hex;
	int err;
} bad_cases[] = {
	{ "empty", "", PK_ERR_SHORT },
	{ "11 bytes", "0010 0001 1a2b3c4d 0005 00", PK_ERR_SHORT },
	{ "length says 156, 44 bytes", sccrq_cut, PK_ERR_SHORT },
	{ "4 bytes after the message", HDR("0010", "0005") "12345678 aabbccdd",
	    PK_ERR_LONG },
	{ "zero length", HDR("0000", "0005") "12345678", PK_ERR_LENGTH },
	{ "length 11", HDR("000b", "0005") "12345678", PK_ERR_LENGTH },
	{ "length 0xffff", HDR("ffff", "0005") "12345678", PK_ERR_LENGTH },
	{ "length 257", HDR("0101", "0005") "12345678", PK_ERR_LENGTH },
	{ "Echo-Request of 20", HDR("0014", "0005") "12345678 00000000",
	    PK_ERR_LENGTH },
	{ "Echo-Reply of 16", HDR("0010", "0006") "12345678", PK_ERR_LENGTH },
	{ "CCRQ of 32 ([MS-PTPT] §4 example)",
	    HDR("0020", "000c") "faea 0000" Z16, PK_ERR_LENGTH },
	{ "wrong magic", "0010 0001 1a2b3c4e 0005 0000 12345678",
	    PK_ERR_MAGIC },
	{ "magic byte-swapped", "0010 0001 4d3c2b1a 0005 0000 12345678",
	    PK_ERR_MAGIC },
	{ "management message", "0010 0002 1a2b3c4d 0005 0000 12345678",
	    PK_ERR_TYPE },
	{ "message type 0", "0010 0000 1a2b3c4d 0005 0000 12345678",
	    PK_ERR_TYPE },
	{ "control type 0", HDR("0010", "0000") "12345678", PK_ERR_TYPE },
	{ "control type 16", HDR("0010", "0010") "12345678", PK_ERR_TYPE },
	{ "control type 0x0105", HDR("0010", "0105") "12345678",
	    PK_ERR_TYPE },
	{ "SCCRQ version 0x0200",
	    HDR("009c", "0001") "0200 0000 00000001 00000001 0000 0000 "
	    Z64 Z64, PK_ERR_VERSION },
	{ "SCCRP version 0x0000",
	    HDR("009c", "0002") "0000 01 00 00000001 00000001 0000 0000 "
	    Z64 Z64, PK_ERR_VERSION },
};

static void
test_malformed(void)
{
	uint8_t raw[512];

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]);
	    i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct pptp_msg m;
		size_t n;

		test_current = bc->name;
		n = test_unhex(bc->hex, raw, sizeof(raw));
		CHECK_INT(pptp_msg_decode(raw, n, &m), bc->err);
	}
}

/* The version error still hands back the whole message. */
static void
test_version_filled(void)
{
	uint8_t raw[512];
	struct pptp_msg m;
	size_t n;

	n = test_unhex(HDR("009c", "0001") "0200 0000 00000003 00000002 "
	    "0004 0105 " "6869" Z16 Z16 Z16 "0000000000000000000000000000"
	    Z64, raw, sizeof(raw));
	CHECK_INT(pptp_msg_decode(raw, n, &m), PK_ERR_VERSION);
	CHECK_INT(m.type, PPTP_SCCRQ);
	CHECK_INT(m.u.start.version, 0x0200);
	CHECK_INT(m.u.start.framing_caps, 3);
	CHECK_INT(m.u.start.bearer_caps, 2);
	CHECK_INT(m.u.start.max_channels, 4);
	CHECK_INT(m.u.start.firmware_rev, 0x0105);
	CHECK_STR(m.u.start.host_name, "hi");
}

/*
 * Tolerated: reserved fields set ([MS-PTPT] §2.2: ignored on receipt),
 * text fields without a NUL, bytes after the NUL.
 */
static void
test_tolerated(void)
{
	uint8_t raw[512], enc[512];
	struct buf_writer w;
	struct pptp_msg m;
	char want[PPTP_HOSTNAME_LEN + 1];
	size_t n;

	n = test_unhex("0010 0001 1a2b3c4d 0005 ffff 0badcafe", raw,
	    sizeof(raw));
	CHECK_INT(pptp_msg_decode(raw, n, &m), PK_OK);
	CHECK_INT(m.u.echo.id, 0x0badcafe);
	/* Re-encoded with the reserved field 0, as RFC 2637 §2 says. */
	buf_writer_init(&w, enc, sizeof(enc));
	CHECK_INT(pptp_msg_encode(&m, &w), PK_OK);
	CHECK_INT(enc[10], 0);
	CHECK_INT(enc[11], 0);

	n = test_unhex(HDR("0010", "0003") "01 7f ffff", raw, sizeof(raw));
	CHECK_INT(pptp_msg_decode(raw, n, &m), PK_OK);
	CHECK_INT(m.u.stop.reason, PPTP_STOP_NONE);
	CHECK_INT(m.u.stop.error, 0);

	n = test_unhex(HDR("0018", "000a") "4321 1234 01 00 0040 0003 beef",
	    raw, sizeof(raw));
	CHECK_INT(pptp_msg_decode(raw, n, &m), PK_OK);
	CHECK_INT(m.u.icrp.transmit_delay, 3);

	/* A host name filling all 64 octets, no NUL. */
	memset(want, 'A', PPTP_HOSTNAME_LEN);
	want[PPTP_HOSTNAME_LEN] = '\0';
	n = test_unhex(HDR("009c", "0001") "0100 0000 00000001 00000001 "
	    "0000 0000 "
	    "41414141414141414141414141414141414141414141414141414141414141"
	    "41414141414141414141414141414141414141414141414141414141414141"
	    "4141" "6162006364" Z16 Z16 Z16 "0000000000000000000000",
	    raw, sizeof(raw));
	CHECK_INT(n, 156);
	CHECK_INT(pptp_msg_decode(raw, n, &m), PK_OK);
	CHECK_INT(strlen(m.u.start.host_name), PPTP_HOSTNAME_LEN);
	CHECK_STR(m.u.start.host_name, want);
	/* "ab\0cd": the string ends at the NUL. */
	CHECK_STR(m.u.start.vendor, "ab");
}

static void
test_frame(void)
{
	uint8_t raw[512];
	size_t n, len = 0;

	n = test_unhex(sccrq_windows, raw, sizeof(raw));
	/* The header alone says how long the message is. */
	CHECK_INT(pptp_msg_frame(raw, 12, &len), PK_OK);
	CHECK_INT(len, 156);
	CHECK_INT(pptp_msg_frame(raw, 11, &len), PK_ERR_SHORT);
	CHECK_INT(pptp_msg_frame(raw, 0, &len), PK_ERR_SHORT);
	CHECK_INT(pptp_msg_frame(raw, n, &len), PK_OK);
	raw[4] ^= 0x01;
	CHECK_INT(pptp_msg_frame(raw, 12, &len), PK_ERR_MAGIC);
	raw[4] ^= 0x01;
	raw[0] = 0x01;	/* length 0x019c */
	CHECK_INT(pptp_msg_frame(raw, 12, &len), PK_ERR_LENGTH);
}

static void
test_encode_errors(void)
{
	uint8_t small[20];
	struct buf_writer w;
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = 16;
	buf_writer_init(&w, small, sizeof(small));
	CHECK_INT(pptp_msg_encode(&m, &w), PK_ERR_TYPE);
	m.type = 0;
	CHECK_INT(pptp_msg_encode(&m, &w), PK_ERR_TYPE);
	m.type = PPTP_SCCRQ;
	CHECK_INT(pptp_msg_encode(&m, &w), PK_ERR_SPACE);
	CHECK_INT(w.len, 0);
	m.type = PPTP_ECHORP;
	CHECK_INT(pptp_msg_encode(&m, &w), PK_OK);
	CHECK_INT(w.len, 20);
	/* A request's result/error fields are reserved: written as 0. */
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRQ;
	m.u.start.result = 9;
	m.u.start.error = 9;
	{
		uint8_t buf[PPTP_LEN_SCCRQ];

		buf_writer_init(&w, buf, sizeof(buf));
		CHECK_INT(pptp_msg_encode(&m, &w), PK_OK);
		CHECK_INT(buf[14], 0);
		CHECK_INT(buf[15], 0);
	}
}

static void
test_names(void)
{
	for (unsigned t = 1; t <= PPTP_CTRL_TYPE_MAX; t++)
		CHECK(strcmp(pptp_msg_name(t), "unknown message") != 0);
	CHECK_STR(pptp_msg_name(0), "unknown message");
	CHECK_STR(pptp_msg_name(16), "unknown message");
	CHECK_STR(pptp_result_name(PPTP_CDN, 0), "Undefined");
	CHECK_STR(pptp_result_name(PPTP_OCRP, 7), "Do not accept");
	CHECK_STR(pptp_result_name(PPTP_OCRP, 8), "unknown result");
	CHECK_STR(pptp_result_name(PPTP_SCCRP, 5), "Version not supported");
	CHECK_STR(pptp_result_name(PPTP_ECHORQ, 1), "unknown result");
	CHECK_STR(pptp_general_error_name(5), "Bad-Call ID");
	CHECK_STR(pptp_general_error_name(7), "unknown error");
	CHECK_STR(pptp_stop_reason_name(2), "Stop-Protocol");
}

int
main(void)
{
	RUN(test_valid_roundtrip);
	RUN(test_lengths);
	RUN(test_malformed);
	RUN(test_version_filled);
	RUN(test_tolerated);
	RUN(test_frame);
	RUN(test_encode_errors);
	RUN(test_names);
	TEST_MAIN_END();
}
