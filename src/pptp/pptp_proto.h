/*
 * pptp_proto.h - every PPTP control-connection wire constant in one place:
 * message types and their exact lengths, the header, result, error, reason
 * and capability codes, field sizes and the protocol timers (RFC 2637 §1.4,
 * §2, §3 and Microsoft's profile [MS-PTPT]).
 *
 * Lengths are written out from the RFC 2637 §2 message diagrams, never
 * taken from sizeof a struct.
 */
#ifndef PK_PPTP_PROTO_H
#define PK_PPTP_PROTO_H

/* RFC 2637 §1.4: the control connection is TCP to port 1723. */
#define PPTP_TCP_PORT 1723

/*
 * RFC 2637 §1.4 fixed header (Length, PPTP Message Type, Magic Cookie),
 * followed in every control message by Control Message Type and
 * Reserved0: 12 octets before the first message-specific field.
 */
#define PPTP_HDR_LEN 12
#define PPTP_MAGIC 0x1A2B3C4Du
/* PPTP Message Type: 1 control, 2 management (never defined). */
#define PPTP_MSG_CONTROL 1
#define PPTP_MSG_MANAGEMENT 2
/* RFC 2637 §1.4: version 1 in the high octet, revision 0 in the low. */
#define PPTP_VERSION 0x0100

/* Control Message Types, RFC 2637 §1.4. */
enum pptp_ctrl_type {
	PPTP_SCCRQ = 1,		/* Start-Control-Connection-Request */
	PPTP_SCCRP = 2,		/* Start-Control-Connection-Reply */
	PPTP_STOPCCRQ = 3,	/* Stop-Control-Connection-Request */
	PPTP_STOPCCRP = 4,	/* Stop-Control-Connection-Reply */
	PPTP_ECHORQ = 5,	/* Echo-Request */
	PPTP_ECHORP = 6,	/* Echo-Reply */
	PPTP_OCRQ = 7,		/* Outgoing-Call-Request (PNS -> PAC) */
	PPTP_OCRP = 8,		/* Outgoing-Call-Reply (PAC -> PNS) */
	PPTP_ICRQ = 9,		/* Incoming-Call-Request (PAC -> PNS) */
	PPTP_ICRP = 10,		/* Incoming-Call-Reply (PNS -> PAC) */
	PPTP_ICCN = 11,		/* Incoming-Call-Connected (PAC -> PNS) */
	PPTP_CCRQ = 12,		/* Call-Clear-Request (PNS -> PAC) */
	PPTP_CDN = 13,		/* Call-Disconnect-Notify (PAC -> PNS) */
	PPTP_WEN = 14,		/* WAN-Error-Notify (PAC -> PNS) */
	PPTP_SLI = 15,		/* Set-Link-Info (PNS -> PAC) */
};
#define PPTP_CTRL_TYPE_MAX 15

/*
 * Exact total lengths (header included), one per type, from the RFC 2637
 * §2.x diagrams. Windows' own parser accepts only these exact sizes too.
 * (The informative example in [MS-PTPT] §4 prints "Length: 32" for a
 * Call-Clear-Request; its own field list adds up to 16, as in RFC 2637
 * §2.12, so we stay strict.)
 */
#define PPTP_LEN_SCCRQ 156	/* §2.1: 12 + 16 + host 64 + vendor 64 */
#define PPTP_LEN_SCCRP 156	/* §2.2 */
#define PPTP_LEN_STOPCCRQ 16	/* §2.3 */
#define PPTP_LEN_STOPCCRP 16	/* §2.4 */
#define PPTP_LEN_ECHORQ 16	/* §2.5 */
#define PPTP_LEN_ECHORP 20	/* §2.6 */
#define PPTP_LEN_OCRQ 168	/* §2.7: 12 + 28 + phone 64 + subaddress 64 */
#define PPTP_LEN_OCRP 32	/* §2.8 */
#define PPTP_LEN_ICRQ 220	/* §2.9: 12 + 16 + 3 * 64 */
#define PPTP_LEN_ICRP 24	/* §2.10 */
#define PPTP_LEN_ICCN 28	/* §2.11 */
#define PPTP_LEN_CCRQ 16	/* §2.12 */
#define PPTP_LEN_CDN 148	/* §2.13: 12 + 8 + statistics 128 */
#define PPTP_LEN_WEN 40		/* §2.14: 12 + 4 + six 32-bit counters */
#define PPTP_LEN_SLI 24		/* §2.15 */
/* The largest of the above (Incoming-Call-Request). */
#define PPTP_LEN_MAX PPTP_LEN_ICRQ

/* Fixed-size string fields. */
#define PPTP_HOSTNAME_LEN 64	/* §2.1 Host Name */
#define PPTP_VENDOR_LEN 64	/* §2.1 Vendor String */
#define PPTP_PHONE_LEN 64	/* §2.7 Phone Number, §2.9 Dialed/Dialing */
#define PPTP_SUBADDR_LEN 64	/* §2.7 Subaddress */
#define PPTP_STATS_LEN 128	/* §2.13 Call Statistics */

/* Framing Capabilities (SCCRQ/SCCRP), §2.1: a bit set. */
#define PPTP_FRAMING_CAP_ASYNC 0x00000001u
#define PPTP_FRAMING_CAP_SYNC 0x00000002u
/* Bearer Capabilities (SCCRQ/SCCRP), §2.1: a bit set. */
#define PPTP_BEARER_CAP_ANALOG 0x00000001u
#define PPTP_BEARER_CAP_DIGITAL 0x00000002u

/* Bearer Type (OCRQ §2.7, ICRQ §2.9): a value, 3 = either. */
#define PPTP_BEARER_ANALOG 1
#define PPTP_BEARER_DIGITAL 2
#define PPTP_BEARER_ANY 3
/* Framing Type (OCRQ §2.7, ICCN §2.11): a value, 3 = either. */
#define PPTP_FRAMING_ASYNC 1
#define PPTP_FRAMING_SYNC 2
#define PPTP_FRAMING_ANY 3

/* Start-Control-Connection-Reply Result Code, §2.2. */
#define PPTP_SCCRP_OK 1
#define PPTP_SCCRP_GENERAL_ERROR 2
#define PPTP_SCCRP_EXISTS 3		/* command channel already exists */
#define PPTP_SCCRP_NOT_AUTHORIZED 4
#define PPTP_SCCRP_BAD_VERSION 5

/* Stop-Control-Connection-Request Reason, §2.3. */
#define PPTP_STOP_NONE 1		/* general request */
#define PPTP_STOP_PROTOCOL 2		/* can't support peer's version */
#define PPTP_STOP_LOCAL_SHUTDOWN 3	/* requester is being shut down */

/* Stop-Control-Connection-Reply Result Code, §2.4. */
#define PPTP_STOPCCRP_OK 1
#define PPTP_STOPCCRP_GENERAL_ERROR 2

/* Echo-Reply Result Code, §2.6. */
#define PPTP_ECHORP_OK 1
#define PPTP_ECHORP_GENERAL_ERROR 2

/* Outgoing-Call-Reply Result Code, §2.8. */
#define PPTP_OCRP_CONNECTED 1
#define PPTP_OCRP_GENERAL_ERROR 2
#define PPTP_OCRP_NO_CARRIER 3
#define PPTP_OCRP_BUSY 4
#define PPTP_OCRP_NO_DIAL_TONE 5
#define PPTP_OCRP_TIMEOUT 6
#define PPTP_OCRP_DO_NOT_ACCEPT 7

/* Incoming-Call-Reply Result Code, §2.10. */
#define PPTP_ICRP_CONNECT 1
#define PPTP_ICRP_GENERAL_ERROR 2
#define PPTP_ICRP_DO_NOT_ACCEPT 3

/*
 * Call-Disconnect-Notify Result Code, §2.13. [MS-PTPT] §3.2.5.5: a
 * Windows PAC always sends 0 and the PNS must ignore the field, so 0 is
 * a valid value on receipt.
 */
#define PPTP_CDN_UNDEFINED 0
#define PPTP_CDN_LOST_CARRIER 1
#define PPTP_CDN_GENERAL_ERROR 2
#define PPTP_CDN_ADMIN_SHUTDOWN 3
#define PPTP_CDN_REQUEST 4		/* answer to Call-Clear-Request */

/* General Error Codes, §2.16, carried when a Result Code is 2. */
#define PPTP_GE_NONE 0
#define PPTP_GE_NOT_CONNECTED 1		/* no control connection yet */
#define PPTP_GE_BAD_FORMAT 2		/* length or magic cookie wrong */
#define PPTP_GE_BAD_VALUE 3		/* field out of range */
#define PPTP_GE_NO_RESOURCE 4		/* insufficient resources */
#define PPTP_GE_BAD_CALL_ID 5		/* call ID invalid in this context */
#define PPTP_GE_PAC_ERROR 6		/* vendor-specific PAC error */

/* RFC 2637 §2.15: the ACCM a client uses until Set-Link-Info says else. */
#define PPTP_ACCM_DEFAULT 0xFFFFFFFFu

/*
 * Timers. RFC 2637 §3.1.4: Echo-Request after 60 s without a control
 * message, close if no Echo-Reply 60 s later; [MS-PTPT] §3.1.2 keeps the
 * 60 s echo timer and shortens the setup (control connection idle) timer
 * to 30 s. RFC 2637 §3: any other expected reply, 60 s.
 */
#define PPTP_ECHO_INTERVAL_MS 60000u
#define PPTP_ECHO_TIMEOUT_MS 60000u
#define PPTP_SETUP_TIMEOUT_MS 30000u
#define PPTP_REPLY_TIMEOUT_MS 60000u

#endif
