/*
 * scan_reply.c - classifies what a port answered to our
 * Start-Control-Connection-Request (see scan.h). Framing and fields come
 * from the engine's control-message codec (pptp/ctrl_msg.c), so a scan
 * reads the reply at exactly the RFC 2637 §2.2 offsets the server and
 * client use: Result Code at 14, Error Code at 15, Framing and Bearer
 * Capabilities at 16 and 20, Maximum Channels at 24, Firmware Revision at
 * 26, Host Name at 28-91 and Vendor String at 92-155.
 */
#include <stdio.h>
#include <string.h>

#include "audit/scan.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "pptp/pptp_proto.h"

static const char *const method_names[SCAN_METHODS] = {
	[SCAN_M_PAP] = "pap",
	[SCAN_M_CHAP_MD5] = "chap-md5",
	[SCAN_M_MSCHAPV1] = "mschapv1",
	[SCAN_M_MSCHAPV2] = "mschapv2",
	[SCAN_M_EAP] = "eap",
};

const char *
scan_method_name(int method)
{
	if (method == SCAN_M_NONE)
		return "none";
	if (method < 0 || method >= SCAN_METHODS)
		return "other";
	return method_names[method];
}

int
scan_method_parse(const char *name)
{
	for (int i = 0; i < SCAN_METHODS; i++)
		if (strcmp(name, method_names[i]) == 0)
			return i;
	if (strcmp(name, "none") == 0)
		return SCAN_M_NONE;
	if (strcmp(name, "other") == 0)
		return SCAN_M_OTHER;
	return -3;
}

const char *
scan_reply_kind_name(int kind)
{
	switch (kind) {
	case SCAN_REPLY_UNDECIDED:
		return "undecided";
	case SCAN_REPLY_SCCRP:
		return "sccrp";
	case SCAN_REPLY_OTHER_MSG:
		return "other-pptp-message";
	case SCAN_REPLY_SILENT:
		return "silent";
	case SCAN_REPLY_TRUNCATED:
		return "truncated";
	case SCAN_REPLY_MALFORMED:
		return "malformed";
	case SCAN_REPLY_BAD_MAGIC:
		return "bad-magic";
	case SCAN_REPLY_NOT_PPTP:
		return "not-pptp";
	}
	return "?";
}

/* Reads the fixed header fields that are there (RFC 2637 §1.4: Length
 * at 0, PPTP Message Type at 2, Magic Cookie at 4, Control Message Type
 * at 8); returns how many of the four could be read. */
static int
peek_header(const uint8_t *buf, size_t len, struct scan_reply *r)
{
	struct buf_reader rd;
	int n = 0;

	buf_reader_init(&rd, buf, len);
	if (buf_get_u16(&rd, &r->length_field) != 0)
		return n;
	n++;
	if (buf_get_u16(&rd, &r->pptp_type) != 0)
		return n;
	n++;
	if (buf_get_u32(&rd, &r->magic) != 0)
		return n;
	n++;
	if (buf_get_u16(&rd, &r->ctrl_type) != 0)
		return n;
	return n + 1;
}

/*
 * Could these few bytes (fewer than a header, at EOF) have been the start
 * of a PPTP message? Each field that is complete must hold a possible
 * value; a partial cookie must match the cookie's first bytes.
 */
static int
plausible_prefix(const uint8_t *buf, size_t len, const struct scan_reply *r,
    int fields)
{
	static const uint8_t cookie[4] = { 0x1a, 0x2b, 0x3c, 0x4d };
	struct buf_reader rd;
	uint8_t c;

	if (fields >= 1 && (r->length_field < PPTP_HDR_LEN ||
	    r->length_field > PK_CTRL_MSG_MAX))
		return 0;
	if (fields >= 2 && r->pptp_type != PPTP_MSG_CONTROL)
		return 0;
	buf_reader_init(&rd, buf, len);
	if (buf_skip(&rd, 4) != 0)
		return 1;
	for (size_t i = 0; i < sizeof(cookie) && buf_get_u8(&rd, &c) == 0; i++)
		if (c != cookie[i])
			return 0;
	return 1;
}

static int
reply_decide(struct scan_reply *r, int kind, int err, size_t got)
{
	r->kind = kind;
	r->err = err;
	r->got = got;
	return PK_OK;
}

static int
decode_first(const uint8_t *buf, size_t mlen, struct scan_reply *r)
{
	struct pptp_msg m;
	int err;

	err = pptp_msg_decode(buf, mlen, &m);
	if (m.type == PPTP_SCCRP && (err == 0 || err == PK_ERR_VERSION)) {
		/* The decoder fills the fields in for a foreign version too
		 * (ctrl_msg.h), so they are reported either way. */
		r->start = m.u.start;
		r->version_ok = err == 0;
		return reply_decide(r, SCAN_REPLY_SCCRP, err, mlen);
	}
	if (err == 0 || err == PK_ERR_VERSION) {
		if (m.type == PPTP_STOPCCRQ)
			r->stop_reason = m.u.stop.reason;
		return reply_decide(r, SCAN_REPLY_OTHER_MSG, err, mlen);
	}
	/* Framed but undecodable cannot happen with the one codec; call it
	 * malformed rather than trust anything in it. */
	return reply_decide(r, SCAN_REPLY_MALFORMED, err, mlen);
}

int
scan_reply_parse(const uint8_t *buf, size_t len, int eof,
    struct scan_reply *r)
{
	struct buf_reader rd;
	size_t mlen;
	int fields, err;

	memset(r, 0, sizeof(*r));
	r->head_len = len < SCAN_REPLY_HEAD_MAX ? len : SCAN_REPLY_HEAD_MAX;
	buf_reader_init(&rd, buf, len);
	(void)buf_get_bytes(&rd, r->head, r->head_len);
	fields = peek_header(buf, len, r);
	if (len < PPTP_HDR_LEN) {
		/*
		 * Too little to frame. Never decided before EOF: the cookie
		 * at offset 4 is what decides between "broken PPTP" and
		 * "something else", so a decision made earlier could be
		 * overturned by the next bytes.
		 */
		if (!eof)
			return PK_ERR_SHORT;
		if (len == 0)
			return reply_decide(r, SCAN_REPLY_SILENT, PK_ERR_SHORT, 0);
		return reply_decide(r, plausible_prefix(buf, len, r, fields) ?
		    SCAN_REPLY_TRUNCATED : SCAN_REPLY_NOT_PPTP, PK_ERR_SHORT,
		    len);
	}
	err = pptp_msg_frame(buf, len, &mlen);
	if (err == 0) {
		if (len < mlen) {
			if (!eof)
				return PK_ERR_SHORT;
			return reply_decide(r, SCAN_REPLY_TRUNCATED, PK_ERR_SHORT,
			    len);
		}
		return decode_first(buf, mlen, r);
	}
	/*
	 * The cookie is what makes bytes PPTP (RFC 2637 §1.4 uses it to
	 * detect a stream out of sync). With it, a framing error is a
	 * broken PPTP peer; without it, the answer is PPTP-shaped only if
	 * Length and Message Type are right, else something else listens.
	 */
	if (r->magic == PPTP_MAGIC)
		return reply_decide(r, SCAN_REPLY_MALFORMED, err, len);
	if (r->length_field == PPTP_LEN_SCCRP &&
	    r->pptp_type == PPTP_MSG_CONTROL)
		return reply_decide(r, SCAN_REPLY_BAD_MAGIC, PK_ERR_MAGIC, len);
	return reply_decide(r, SCAN_REPLY_NOT_PPTP, err, len);
}

void
scan_printable(char *dst, size_t dstlen, const char *src)
{
	size_t n = 0;

	if (dstlen == 0)
		return;
	for (; src[0] != '\0' && n + 1 < dstlen; src++) {
		unsigned char c = (unsigned char)src[0];

		dst[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[n] = '\0';
}

static void
caps_names(uint32_t caps, const char *bit0, const char *bit1, char *buf,
    size_t len)
{
	uint32_t rest = caps & ~(uint32_t)3;
	int n = 0;

	buf[0] = '\0';
	if (caps == 0) {
		snprintf(buf, len, "none");
		return;
	}
	if (caps & 1)
		n += snprintf(buf + n, len - (size_t)n, "%s", bit0);
	if ((caps & 2) && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%s%s", n ? "," : "",
		    bit1);
	if (rest != 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%s0x%x", n ? "," : "",
		    rest);
}

void
scan_framing_names(uint32_t caps, char *buf, size_t len)
{
	/* RFC 2637 §2.1: bit 0 asynchronous, bit 1 synchronous. */
	caps_names(caps, "async", "sync", buf, len);
}

void
scan_bearer_names(uint32_t caps, char *buf, size_t len)
{
	/* RFC 2637 §2.1: bit 0 analog, bit 1 digital. */
	caps_names(caps, "analog", "digital", buf, len);
}

const char *
scan_firmware_hint(const char *vendor, uint16_t firmware)
{
	/*
	 * Windows RRAS puts its build number in Firmware Revision
	 * (thc-pptp-bruter's notes name 2195 and 3790; the others are the
	 * published Windows build numbers of the server releases that
	 * still ship PPTP).
	 */
	static const struct {
		uint16_t build;
		const char *name;
	} windows[] = {
		{ 1381, "Windows NT 4.0" },
		{ 2195, "Windows 2000" },
		{ 2600, "Windows XP" },
		{ 3790, "Windows Server 2003 / XP x64" },
		{ 6001, "Windows Server 2008 / Vista SP1" },
		{ 6002, "Windows Server 2008 SP2 / Vista SP2" },
		{ 7600, "Windows Server 2008 R2 / 7" },
		{ 7601, "Windows Server 2008 R2 SP1 / 7 SP1" },
		{ 9200, "Windows Server 2012 / 8" },
		{ 9600, "Windows Server 2012 R2 / 8.1" },
		{ 14393, "Windows Server 2016 / 10 1607" },
		{ 17763, "Windows Server 2019 / 10 1809" },
		{ 20348, "Windows Server 2022" },
		{ 26100, "Windows Server 2025 / 11 24H2" },
	};

	if (vendor == NULL || strstr(vendor, "Microsoft") == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++)
		if (windows[i].build == firmware)
			return windows[i].name;
	return NULL;
}
