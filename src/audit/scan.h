/*
 * scan.h - what `pptpkit scan` learns about one PPTP server, sans-I/O:
 * the classification of the answer to a Start-Control-Connection-Request
 * (parsed at RFC 2637 §2.2 offsets by the engine's control-message
 * decoder), the per-target report that the probes of scan_conn.h fill in,
 * the plan of which authentication method to probe next, and the
 * findings (severity and one sentence of why) derived from a report.
 *
 * Nothing here touches a socket or the clock; the glue (scan_run.c) and
 * the unit tests feed bytes in.
 */
#ifndef PK_AUDIT_SCAN_H
#define PK_AUDIT_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "pptp/ctrl_msg.h"

/*
 * The authentication protocols a deep scan asks about, in the order they
 * are probed. EAP (RFC 3748, PPP protocol 0xC227) is not something
 * pptpkit speaks, but a server may offer it and the scan says so.
 */
enum scan_method {
	SCAN_M_PAP = 0,		/* RFC 1334 */
	SCAN_M_CHAP_MD5 = 1,	/* RFC 1994, algorithm 5 */
	SCAN_M_MSCHAPV1 = 2,	/* RFC 2433, algorithm 0x80 */
	SCAN_M_MSCHAPV2 = 3,	/* RFC 2759, algorithm 0x81 */
	SCAN_M_EAP = 4,		/* RFC 3748 */
};
#define SCAN_METHODS 5
/* Values of an Auth-Protocol option that name none of the above, and
 * the absence of the option. */
#define SCAN_M_NONE (-1)	/* the server asks for no authentication */
#define SCAN_M_OTHER (-2)	/* an Auth-Protocol we do not know */

/* RFC 3748 §4 / the PPP number for EAP (not in ppp_proto.h: the engine
 * never negotiates it). */
#define SCAN_PPP_PROTO_EAP 0xc227

/* "pap", "chap-md5", "mschapv1", "mschapv2", "eap", "none", "other". */
const char *scan_method_name(int method);
/* The inverse, for tests and the command line; -3 if unknown. */
int scan_method_parse(const char *name);

/* --- the answer to our Start-Control-Connection-Request --- */

enum scan_reply_kind {
	SCAN_REPLY_UNDECIDED = 0,
	SCAN_REPLY_SCCRP,	/* a well-formed Start-Control-Connection-Reply */
	SCAN_REPLY_OTHER_MSG,	/* a well-formed PPTP message, another type */
	SCAN_REPLY_SILENT,	/* closed (or timed out) without one byte */
	SCAN_REPLY_TRUNCATED,	/* a PPTP header, then closed before the end */
	SCAN_REPLY_MALFORMED,	/* magic cookie right, framing wrong */
	SCAN_REPLY_BAD_MAGIC,	/* PPTP-shaped, but the cookie is wrong */
	SCAN_REPLY_NOT_PPTP,	/* bytes that are no PPTP header at all */
};

/* The first bytes of a reply, kept for the report (a banner tells what
 * else listens on the port). */
#define SCAN_REPLY_HEAD_MAX 32
/* Bytes the parser may need: the longest control message. */
#define SCAN_REPLY_BUF_MAX PK_CTRL_MSG_MAX

struct scan_reply {
	int kind;		/* enum scan_reply_kind */
	int err;		/* the decoder's PK_ERR_* (0 if it decoded) */
	size_t got;		/* bytes seen when the kind was decided */
	uint16_t length_field;	/* header fields, when that many bytes came */
	uint16_t pptp_type;	/* PPTP Message Type (1 = control) */
	uint32_t magic;
	uint16_t ctrl_type;	/* Control Message Type */
	int version_ok;		/* SCCRP: Protocol Version is 1.0 */
	/* SCCRP: every field, also when the version is not 1.0 (the
	 * decoder fills them in for PK_ERR_VERSION). Text fields are the
	 * peer's raw bytes up to the first NUL; print with
	 * scan_printable(). */
	struct pptp_start start;
	/* StopCCRQ instead of a reply: its Reason. */
	uint8_t stop_reason;
	uint8_t head[SCAN_REPLY_HEAD_MAX];
	size_t head_len;
};

/*
 * Classifies the len bytes received so far on the control connection.
 * eof says the stream ended (closed, or the wait timed out) and no more
 * will come. Returns PK_ERR_SHORT (and leaves *r undecided) while more
 * bytes are needed, else 0 with r->kind set. Only the first message is
 * looked at; len may exceed it.
 */
int scan_reply_parse(const uint8_t *buf, size_t len, int eof,
    struct scan_reply *r);

const char *scan_reply_kind_name(int kind);
/* Copies a peer-supplied text into dst as printable ASCII ('?' for
 * anything else), NUL-terminated. */
void scan_printable(char *dst, size_t dstlen, const char *src);
/* Comma lists of the capability bits of RFC 2637 §2.1: "async,sync",
 * "analog,digital", "none", with unknown bits as hex. */
void scan_framing_names(uint32_t caps, char *buf, size_t len);
void scan_bearer_names(uint32_t caps, char *buf, size_t len);
/* What a firmware revision says about a vendor, when known (Windows
 * reports its build number), else NULL. */
const char *scan_firmware_hint(const char *vendor, uint16_t firmware);

/* --- one target --- */

enum scan_tcp_state {
	SCAN_TCP_PENDING = 0,
	SCAN_TCP_OPEN,		/* connected */
	SCAN_TCP_REFUSED,	/* RST: nothing listens */
	SCAN_TCP_TIMEOUT,	/* no answer within the timeout */
	SCAN_TCP_UNREACHABLE,	/* ICMP/ARP: host or network unreachable */
	SCAN_TCP_ERROR,		/* another socket error */
};

enum scan_verdict {
	SCAN_V_UNTESTED = 0,
	SCAN_V_ACCEPTED,	/* the server agreed to it in LCP */
	SCAN_V_REFUSED,		/* asked for it, the server would not */
	SCAN_V_ERROR,		/* the probe could not tell (see note) */
};

enum scan_deep_state {
	SCAN_DEEP_OFF = 0,	/* not asked for */
	SCAN_DEEP_RUNNING,
	SCAN_DEEP_DONE,		/* every method has a verdict */
	SCAN_DEEP_NO_AUTH,	/* the server asks for no authentication */
	SCAN_DEEP_FAILED,	/* stopped early; note says why */
	SCAN_DEEP_SKIPPED,	/* no PPTP control connection to build on */
};

#define SCAN_NOTE_MAX 160
#define SCAN_EVIDENCE_MAX 96

struct scan_report {
	uint32_t addr;		/* IPv4, network order */
	uint16_t port;
	int tcp;		/* enum scan_tcp_state */
	char tcp_error[64];	/* strerror-like text for ERROR/UNREACHABLE */
	struct scan_reply reply;
	int reply_timed_out;	/* the reply did not come within the timeout */
	uint64_t rtt_ms;	/* SCCRQ sent to reply decided */
	uint64_t elapsed_ms;	/* the whole target, every probe */
	/* --deep */
	int deep;		/* enum scan_deep_state */
	int offered;		/* the server's first Auth-Protocol: SCAN_M_*,
				 * SCAN_M_NONE, SCAN_M_OTHER; SCAN_M_OTHER
				 * with offered_raw also when unknown */
	int offered_known;
	uint8_t offered_raw[8];	/* the option's value as sent */
	size_t offered_raw_len;
	int verdict[SCAN_METHODS];	/* enum scan_verdict */
	char evidence[SCAN_METHODS][SCAN_EVIDENCE_MAX];
	int probes;		/* control connections the deep scan used */
	char deep_note[SCAN_NOTE_MAX];
};

void scan_report_init(struct scan_report *rep, uint32_t addr, uint16_t port,
    int deep);
/* 1 if the reply shows a PPTP control-connection endpoint (SCCRP, any
 * other PPTP message, a truncated PPTP header or a malformed one). */
int scan_report_is_pptp(const struct scan_report *rep);
/* Short state for tables: "pptp", "open", "closed", "timeout",
 * "unreachable", "error", "pending". */
const char *scan_report_state(const struct scan_report *rep);

/*
 * The deep scan's next method to probe, or -1 when there is nothing left
 * to ask (every method has a verdict, the server needs no
 * authentication, or a probe failed in a way that repeating cannot fix).
 * The method the server proposed itself is accepted without a probe of
 * its own (scan_report_offered()).
 */
int scan_plan_next(const struct scan_report *rep);
/* Records the method of the server's first Configure-Request; an offered
 * method counts as accepted. Later calls change nothing. */
void scan_report_offered(struct scan_report *rep, int method,
    const uint8_t *raw, size_t raw_len);
/* Records a probe's verdict for method (first verdict wins unless it
 * was ERROR). */
void scan_report_verdict(struct scan_report *rep, int method, int verdict,
    const char *evidence);
/* Bit mask (1 << SCAN_M_*) of the methods with verdict ACCEPTED. */
unsigned scan_report_accepted(const struct scan_report *rep);

/* --- findings --- */

enum scan_severity {
	SCAN_SEV_INFO = 0,
	SCAN_SEV_LOW,
	SCAN_SEV_MEDIUM,
	SCAN_SEV_HIGH,
	SCAN_SEV_CRITICAL,
};

#define SCAN_FINDINGS_MAX 12
#define SCAN_WHY_MAX 256

struct scan_finding {
	int severity;		/* enum scan_severity */
	const char *id;		/* stable key: "pptp-exposed", ... */
	char why[SCAN_WHY_MAX];	/* one sentence */
};

/* Fills out[] (at most max) with the findings for rep, most severe
 * first; returns how many. A target that does not speak PPTP has none. */
size_t scan_findings(const struct scan_report *rep, struct scan_finding *out,
    size_t max);
const char *scan_severity_name(int severity);

#endif
