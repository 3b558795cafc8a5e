/*
 * scan_report.c - one target's scan report: what the deep scan probes
 * next, how verdicts are recorded, and the findings an operator reads,
 * each with a severity and one sentence of why (see scan.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/scan.h"
#include "pptp/pptp_proto.h"

void
scan_report_init(struct scan_report *rep, uint32_t addr, uint16_t port,
    int deep)
{
	memset(rep, 0, sizeof(*rep));
	rep->addr = addr;
	rep->port = port;
	rep->tcp = SCAN_TCP_PENDING;
	rep->deep = deep ? SCAN_DEEP_RUNNING : SCAN_DEEP_OFF;
	rep->offered = SCAN_M_OTHER;
}

int
scan_report_is_pptp(const struct scan_report *rep)
{
	switch (rep->reply.kind) {
	case SCAN_REPLY_SCCRP:
	case SCAN_REPLY_OTHER_MSG:
	case SCAN_REPLY_MALFORMED:
		return 1;
	case SCAN_REPLY_TRUNCATED:
		/* A few bytes that could be PPTP are not proof; a whole
		 * header with the cookie is. */
		return rep->reply.got >= PPTP_HDR_LEN &&
		    rep->reply.magic == PPTP_MAGIC;
	}
	return 0;
}

const char *
scan_report_state(const struct scan_report *rep)
{
	switch (rep->tcp) {
	case SCAN_TCP_OPEN:
		return scan_report_is_pptp(rep) ? "pptp" : "open";
	case SCAN_TCP_REFUSED:
		return "closed";
	case SCAN_TCP_TIMEOUT:
		return "timeout";
	case SCAN_TCP_UNREACHABLE:
		return "unreachable";
	case SCAN_TCP_ERROR:
		return "error";
	}
	return "pending";
}

int
scan_plan_next(const struct scan_report *rep)
{
	if (rep->deep != SCAN_DEEP_RUNNING)
		return -1;
	for (int m = 0; m < SCAN_METHODS; m++)
		if (rep->verdict[m] == SCAN_V_UNTESTED)
			return m;
	return -1;
}

void
scan_report_offered(struct scan_report *rep, int method, const uint8_t *raw,
    size_t raw_len)
{
	if (rep->offered_known)
		return;
	rep->offered_known = 1;
	rep->offered = method;
	if (raw_len > sizeof(rep->offered_raw))
		raw_len = sizeof(rep->offered_raw);
	if (raw_len > 0)
		memcpy(rep->offered_raw, raw, raw_len);
	rep->offered_raw_len = raw_len;
	if (method >= 0 && method < SCAN_METHODS)
		scan_report_verdict(rep, method, SCAN_V_ACCEPTED,
		    "proposed by the server in its first Configure-Request");
}

void
scan_report_verdict(struct scan_report *rep, int method, int verdict,
    const char *evidence)
{
	if (method < 0 || method >= SCAN_METHODS)
		return;
	if (rep->verdict[method] != SCAN_V_UNTESTED &&
	    rep->verdict[method] != SCAN_V_ERROR)
		return;
	rep->verdict[method] = verdict;
	snprintf(rep->evidence[method], sizeof(rep->evidence[method]), "%.*s",
	    (int)sizeof(rep->evidence[method]) - 1,
	    evidence != NULL ? evidence : "");
}

unsigned
scan_report_accepted(const struct scan_report *rep)
{
	unsigned mask = 0;

	for (int m = 0; m < SCAN_METHODS; m++)
		if (rep->verdict[m] == SCAN_V_ACCEPTED)
			mask |= 1u << m;
	return mask;
}

const char *
scan_severity_name(int severity)
{
	static const char *const names[] = {
		"info", "low", "medium", "high", "critical",
	};

	if (severity < 0 || severity > SCAN_SEV_CRITICAL)
		return "?";
	return names[severity];
}

struct finding_list {
	struct scan_finding *f;
	size_t n, max;
};

static void add(struct finding_list *l, int sev, const char *id,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add(struct finding_list *l, int sev, const char *id, const char *fmt, ...)
{
	struct scan_finding *f;
	va_list ap;

	if (l->n >= l->max)
		return;
	f = &l->f[l->n++];
	f->severity = sev;
	f->id = id;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
}

static void
identity_findings(const struct scan_report *rep, struct finding_list *l)
{
	const struct pptp_start *s = &rep->reply.start;
	char host[PPTP_HOSTNAME_LEN + 1], vendor[PPTP_VENDOR_LEN + 1];
	const char *hint;

	scan_printable(host, sizeof(host), s->host_name);
	scan_printable(vendor, sizeof(vendor), s->vendor);
	hint = scan_firmware_hint(s->vendor, s->firmware_rev);
	if (host[0] != '\0' || vendor[0] != '\0' || s->firmware_rev != 0)
		add(l, SCAN_SEV_LOW, "identity-disclosed", "Anyone who "
		    "connects learns vendor \"%s\", host name \"%s\" and "
		    "firmware revision %u%s%s%s, before any authentication.",
		    vendor, host, s->firmware_rev, hint ? " (" : "",
		    hint ? hint : "", hint ? ")" : "");
	if (s->result != PPTP_SCCRP_OK)
		add(l, SCAN_SEV_INFO, "control-refused", "The server refused "
		    "our control connection (Result Code %u, %s) but still "
		    "identified itself.", s->result,
		    pptp_result_name(PPTP_SCCRP, s->result));
	if (!rep->reply.version_ok)
		add(l, SCAN_SEV_INFO, "odd-version", "The server announces "
		    "PPTP version %u.%u instead of 1.0.", s->version >> 8,
		    s->version & 0xff);
}

static void
auth_findings(const struct scan_report *rep, struct finding_list *l)
{
	unsigned acc = scan_report_accepted(rep);

	if (rep->deep == SCAN_DEEP_NO_AUTH)
		add(l, SCAN_SEV_CRITICAL, "no-authentication", "The server "
		    "asks for no authentication at all: anyone who reaches it "
		    "gets a tunnel, and without MS-CHAP there are no MPPE "
		    "keys.");
	if (acc & (1u << SCAN_M_PAP))
		add(l, SCAN_SEV_CRITICAL, "accepts-pap", "The server accepts "
		    "PAP: the password crosses the network in clear text and "
		    "the session cannot be encrypted.");
	if (acc & (1u << SCAN_M_CHAP_MD5))
		add(l, SCAN_SEV_HIGH, "accepts-chap-md5", "The server accepts "
		    "CHAP-MD5: one captured handshake is enough for an offline "
		    "dictionary attack, the server keeps passwords in clear, "
		    "and no MPPE keys can follow.");
	if (acc & (1u << SCAN_M_MSCHAPV1))
		add(l, SCAN_SEV_HIGH, "accepts-mschapv1", "The server accepts "
		    "MS-CHAPv1: the server never proves itself, both "
		    "directions share one MPPE key, and the response falls to "
		    "the same DES attack as MS-CHAPv2.");
	if (acc == (1u << SCAN_M_MSCHAPV2))
		add(l, SCAN_SEV_HIGH, "mschapv2-only", "The server accepts "
		    "only MS-CHAPv2, the best PPTP has, and still one captured "
		    "handshake yields the NT hash with a single 2^56 DES search "
		    "whatever the password, and with it every MPPE key.");
	else if (acc & (1u << SCAN_M_MSCHAPV2))
		add(l, SCAN_SEV_HIGH, "accepts-mschapv2", "The server accepts "
		    "MS-CHAPv2: one captured handshake yields the NT hash with "
		    "a single 2^56 DES search whatever the password, and with "
		    "it every MPPE key.");
	if (acc & (1u << SCAN_M_EAP))
		add(l, SCAN_SEV_MEDIUM, "accepts-eap", "The server accepts EAP: "
		    "its strength is the inner method's (EAP-MSCHAPv2 has "
		    "MS-CHAPv2's weakness), and MPPE still has no integrity.");
	if (rep->deep == SCAN_DEEP_FAILED)
		add(l, SCAN_SEV_INFO, "deep-incomplete", "The deep scan could "
		    "not finish: %s.", rep->deep_note);
}

size_t
scan_findings(const struct scan_report *rep, struct scan_finding *out,
    size_t max)
{
	struct finding_list l = { out, 0, max };

	if (!scan_report_is_pptp(rep))
		return 0;
	add(&l, SCAN_SEV_HIGH, "pptp-exposed", "PPTP answers on TCP port %u: "
	    "its MS-CHAPv2 reduces to one DES key and MPPE has no integrity "
	    "and no forward secrecy, so it should be replaced (IKEv2, "
	    "WireGuard, OpenVPN).", rep->port);
	if (rep->reply.kind == SCAN_REPLY_SCCRP)
		identity_findings(rep, &l);
	else
		add(&l, SCAN_SEV_INFO, "odd-reply", "The server answered with "
		    "%s (%s) instead of a Start-Control-Connection-Reply.",
		    rep->reply.kind == SCAN_REPLY_OTHER_MSG ?
		    pptp_msg_name(rep->reply.ctrl_type) : "a broken message",
		    scan_reply_kind_name(rep->reply.kind));
	auth_findings(rep, &l);
	/* Most severe first; insertion sort keeps equal ones in order. */
	for (size_t i = 1; i < l.n; i++) {
		struct scan_finding t = out[i];
		size_t j = i;

		while (j > 0 && out[j - 1].severity < t.severity) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = t;
	}
	return l.n;
}
