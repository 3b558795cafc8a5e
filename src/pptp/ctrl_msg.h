/*
 * ctrl_msg.h - decoding and encoding of the fifteen PPTP control messages
 * (RFC 2637 §2) to and from one tagged struct.
 *
 * Decoding checks framing before meaning (design.md): the buffer holds the
 * 12-octet header, the Length field is within [PPTP_HDR_LEN,
 * PK_CTRL_MSG_MAX] and equals the buffer length, the Magic Cookie is
 * 0x1A2B3C4D, the PPTP Message Type is 1, the Control Message Type is
 * known and Length is the exact size of that type. Then the fields are
 * read and finally checked for meaning (the protocol version).
 *
 * Reserved fields are not checked: [MS-PTPT] §2.2 says reserved bits
 * "MUST be ignored for incoming messages", and some peers fill them. The
 * encoder always writes them as 0 (RFC 2637 §2).
 *
 * Text fields (host name, vendor, phone numbers, call statistics) are
 * copied up to the first NUL, bounded by the field size, and always
 * NUL-terminated here; a field with no NUL at all is accepted. They hold
 * the peer's raw bytes: sanitize before printing. The Subaddress is kept
 * as raw octets because Windows puts a binary correlation GUID in it
 * ([MS-PTPT] Appendix A <10>).
 */
#ifndef PK_PPTP_CTRL_MSG_H
#define PK_PPTP_CTRL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "pptp/pptp_proto.h"

/* SCCRQ (§2.1) and SCCRP (§2.2); result/error are 0 in a request. */
struct pptp_start {
	uint16_t version;
	uint8_t result;
	uint8_t error;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t max_channels;
	uint16_t firmware_rev;
	char host_name[PPTP_HOSTNAME_LEN + 1];
	char vendor[PPTP_VENDOR_LEN + 1];
};

/* StopCCRQ (§2.3): reason; StopCCRP (§2.4): result and error. */
struct pptp_stop {
	uint8_t reason;		/* request: PPTP_STOP_*; reply: result */
	uint8_t error;		/* reply only */
};

/* Echo-Request (§2.5) and Echo-Reply (§2.6). */
struct pptp_echo {
	uint32_t id;
	uint8_t result;		/* reply only */
	uint8_t error;		/* reply only */
};

/* Outgoing-Call-Request, §2.7. */
struct pptp_ocrq {
	uint16_t call_id;
	uint16_t serial;
	uint32_t min_bps;
	uint32_t max_bps;
	uint32_t bearer_type;
	uint32_t framing_type;
	uint16_t recv_window;
	uint16_t processing_delay;
	uint16_t phone_len;	/* as sent; not trusted to match phone */
	char phone[PPTP_PHONE_LEN + 1];
	uint8_t subaddr[PPTP_SUBADDR_LEN];
};

/* Outgoing-Call-Reply, §2.8. */
struct pptp_ocrp {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result;
	uint8_t error;
	uint16_t cause;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t processing_delay;
	uint32_t physical_channel;
};

/* Incoming-Call-Request, §2.9. */
struct pptp_icrq {
	uint16_t call_id;
	uint16_t serial;
	uint32_t bearer_type;
	uint32_t physical_channel;
	uint16_t dialed_len;	/* as sent */
	uint16_t dialing_len;	/* as sent */
	char dialed[PPTP_PHONE_LEN + 1];
	char dialing[PPTP_PHONE_LEN + 1];
	uint8_t subaddr[PPTP_SUBADDR_LEN];
};

/* Incoming-Call-Reply, §2.10. */
struct pptp_icrp {
	uint16_t call_id;
	uint16_t peer_call_id;
	uint8_t result;
	uint8_t error;
	uint16_t recv_window;
	uint16_t transmit_delay;
};

/* Incoming-Call-Connected, §2.11. */
struct pptp_iccn {
	uint16_t peer_call_id;
	uint32_t connect_speed;
	uint16_t recv_window;
	uint16_t transmit_delay;
	uint32_t framing_type;
};

/* Call-Clear-Request, §2.12: the PNS's own call ID. */
struct pptp_ccrq {
	uint16_t call_id;
};

/* Call-Disconnect-Notify, §2.13: the PAC's own call ID. */
struct pptp_cdn {
	uint16_t call_id;
	uint8_t result;
	uint8_t error;
	uint16_t cause;
	char stats[PPTP_STATS_LEN + 1];
};

/* WAN-Error-Notify, §2.14: the PNS's call ID. */
struct pptp_wen {
	uint16_t peer_call_id;
	uint32_t crc_errors;
	uint32_t framing_errors;
	uint32_t hw_overruns;
	uint32_t buf_overruns;
	uint32_t timeout_errors;
	uint32_t alignment_errors;
};

/* Set-Link-Info, §2.15: the PAC's call ID. */
struct pptp_sli {
	uint16_t peer_call_id;
	uint32_t send_accm;
	uint32_t recv_accm;
};

struct pptp_msg {
	uint16_t type;		/* enum pptp_ctrl_type, selects the member */
	union {
		struct pptp_start start;	/* SCCRQ, SCCRP */
		struct pptp_stop stop;		/* StopCCRQ, StopCCRP */
		struct pptp_echo echo;		/* Echo-Request, Echo-Reply */
		struct pptp_ocrq ocrq;
		struct pptp_ocrp ocrp;
		struct pptp_icrq icrq;
		struct pptp_icrp icrp;
		struct pptp_iccn iccn;
		struct pptp_ccrq ccrq;
		struct pptp_cdn cdn;
		struct pptp_wen wen;
		struct pptp_sli sli;
	} u;
};

/* The exact wire length of a control type, or 0 if the type is unknown. */
size_t pptp_msg_len(unsigned type);

/*
 * Checks the header at the start of a byte stream and says how long the
 * message is, without needing the rest of it. Returns 0 and *msg_len,
 * PK_ERR_SHORT if fewer than PPTP_HDR_LEN bytes are available (read
 * more), or the framing error pptp_msg_decode() would give: PK_ERR_LENGTH
 * (Length outside [12, PK_CTRL_MSG_MAX] or not the size of its type),
 * PK_ERR_MAGIC, PK_ERR_TYPE (PPTP Message Type not 1, or unknown Control
 * Message Type).
 */
int pptp_msg_frame(const uint8_t *buf, size_t avail, size_t *msg_len);

/*
 * Decodes exactly one message occupying all len bytes of buf into *m.
 * Returns 0, or:
 *  PK_ERR_SHORT   fewer than 12 bytes, or fewer than the Length field says
 *  PK_ERR_LONG    more bytes than the Length field says
 *  PK_ERR_LENGTH  Length outside [12, PK_CTRL_MSG_MAX] or not the exact
 *                 size of the Control Message Type
 *  PK_ERR_MAGIC   Magic Cookie is not 0x1A2B3C4D
 *  PK_ERR_TYPE    PPTP Message Type is not 1, or unknown Control Type
 *  PK_ERR_VERSION an SCCRQ/SCCRP whose Protocol Version is not 0x0100;
 *                 *m is nevertheless filled in completely so the caller
 *                 can answer (RFC 2637 §3.1.2 version handling).
 * On other errors *m is unspecified.
 */
int pptp_msg_decode(const uint8_t *buf, size_t len, struct pptp_msg *m);

/*
 * Appends the exact wire bytes of *m to w (header, Length from the type
 * table, reserved fields 0, strings zero-padded). Returns 0, PK_ERR_TYPE
 * for an unknown m->type, or PK_ERR_SPACE (nothing useful written).
 */
int pptp_msg_encode(const struct pptp_msg *m, struct buf_writer *w);

/* Static names for logs; never NULL. */
const char *pptp_msg_name(unsigned type);
/* The Result Code's meaning for a message type (SCCRP, StopCCRP,
 * Echo-Reply, OCRP, ICRP, CDN). */
const char *pptp_result_name(unsigned type, unsigned result);
const char *pptp_general_error_name(unsigned error);
const char *pptp_stop_reason_name(unsigned reason);

#endif
