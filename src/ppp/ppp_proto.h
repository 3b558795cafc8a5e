/*
 * ppp_proto.h - every PPP wire constant pptpkit uses: protocol numbers,
 * packet codes, option types and their exact lengths (RFC 1661, 1332,
 * 1334, 1570, 1877, 1962, 1994, 2433, 2759, 3078, 5072).
 *
 * Frames arrive from PPTP's GRE without HDLC framing (RFC 2637 §4):
 * "[FF 03] protocol information", the address/control pair being
 * optional once ACFC is negotiated (RFC 1662 §3.1, RFC 1661 §6.6).
 */
#ifndef PK_PPP_PROTO_H
#define PK_PPP_PROTO_H

/* RFC 1662 §3.1: All-Stations address and Unnumbered Information. */
#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03
#define PPP_AC_LEN 2
#define PPP_PROTO_LEN 2

/* RFC 1661 §2 and the assigned numbers (RFC 1700). */
#define PPP_PROTO_IP 0x0021
#define PPP_PROTO_IPV6 0x0057
#define PPP_PROTO_COMP 0x00fd		/* RFC 1962 §4: compressed datagram */
#define PPP_PROTO_ICOMP 0x00fb		/* RFC 1962 §4: individual link */
#define PPP_PROTO_IPCP 0x8021
#define PPP_PROTO_IPV6CP 0x8057
#define PPP_PROTO_CCP 0x80fd
#define PPP_PROTO_ICCP 0x80fb
#define PPP_PROTO_LCP 0xc021
#define PPP_PROTO_PAP 0xc023
#define PPP_PROTO_LQR 0xc025
#define PPP_PROTO_CHAP 0xc223

/* RFC 1661 §5: the control packet header (Code, Identifier, Length). */
#define PPP_HDR_LEN 4
#define PPP_OPT_HDR_LEN 2

/* RFC 1661 §5 packet codes, shared by LCP and the NCPs. */
#define PPP_CONFREQ 1
#define PPP_CONFACK 2
#define PPP_CONFNAK 3
#define PPP_CONFREJ 4
#define PPP_TERMREQ 5
#define PPP_TERMACK 6
#define PPP_CODEREJ 7
/* LCP only (RFC 1661 §5.7-§5.9, RFC 1570 §2-§3). */
#define LCP_PROTREJ 8
#define LCP_ECHOREQ 9
#define LCP_ECHOREP 10
#define LCP_DISCREQ 11
#define LCP_IDENT 12
#define LCP_TIMEREM 13
/* CCP only (RFC 1962 §2.1). */
#define CCP_RESETREQ 14
#define CCP_RESETACK 15

/* LCP options (RFC 1661 §6, RFC 1570, RFC 1990). */
#define LCP_OPT_MRU 1
#define LCP_OPT_ACCM 2
#define LCP_OPT_AUTH 3
#define LCP_OPT_QUALITY 4
#define LCP_OPT_MAGIC 5
#define LCP_OPT_PFC 7
#define LCP_OPT_ACFC 8
#define LCP_OPT_CALLBACK 13
#define LCP_OPT_MRRU 17
#define LCP_OPT_EPDISC 19

#define LCP_OPT_MRU_LEN 4
#define LCP_OPT_ACCM_LEN 6
#define LCP_OPT_AUTH_PAP_LEN 4		/* type, len, protocol */
#define LCP_OPT_AUTH_CHAP_LEN 5		/* + algorithm (RFC 1994 §3) */
#define LCP_OPT_MAGIC_LEN 6
#define LCP_OPT_PFC_LEN 2
#define LCP_OPT_ACFC_LEN 2
/* Echo/Discard/Identification/Time-Remaining carry a magic number. */
#define LCP_MAGIC_LEN 4
/* RFC 1570 §3: Time-Remaining holds magic and a 4-byte count. */
#define LCP_TIMEREM_MIN 8

#define PPP_MRU_DEFAULT 1500		/* RFC 1661 §6.1 */
#define PPP_MRU_MIN 128			/* below this nothing useful fits */

/* CHAP algorithms (RFC 1994 §3, RFC 2433 §2, RFC 2759 §2). */
#define CHAP_ALG_MD5 0x05
#define CHAP_ALG_MSCHAPV1 0x80
#define CHAP_ALG_MSCHAPV2 0x81

/* CHAP codes (RFC 1994 §4, RFC 2433 §9-§10, RFC 2759 §7). */
#define CHAP_CHALLENGE 1
#define CHAP_RESPONSE 2
#define CHAP_SUCCESS 3
#define CHAP_FAILURE 4
#define CHAP_CHANGEPW1 5
#define CHAP_CHANGEPW2 6
#define CHAP_CHANGEPW3 7
/* Code, Identifier, Length, Value-Size. */
#define CHAP_CHALRESP_HDR_LEN 5
#define CHAP_MD5_CHALLENGE_LEN 16

/* PAP codes (RFC 1334 §2.2). */
#define PAP_AUTHREQ 1
#define PAP_AUTHACK 2
#define PAP_AUTHNAK 3

/* MS-CHAP error codes (RFC 2759 §6). */
#define MSCHAP_E_AUTH_FAILURE 691
#define MSCHAP_E_CHANGING_PASSWORD 709

/* IPCP options (RFC 1332 §3, RFC 1877 §1). */
#define IPCP_OPT_ADDRS 1
#define IPCP_OPT_COMP 2
#define IPCP_OPT_ADDR 3
#define IPCP_OPT_DNS1 129
#define IPCP_OPT_NBNS1 130
#define IPCP_OPT_DNS2 131
#define IPCP_OPT_NBNS2 132
#define IPCP_OPT_ADDR_LEN 6
#define IPCP_OPT_COMP_MIN 4
#define IPCP_VJ 0x002d			/* RFC 1332 §4.1 */

/* IPV6CP options (RFC 5072 §4). */
#define IPV6CP_OPT_IFID 1
#define IPV6CP_OPT_COMP 2
#define IPV6CP_IFID_LEN 8
#define IPV6CP_OPT_IFID_LEN 10

/* CCP options we name in logs when rejecting (RFC 1962 §3). */
#define CCP_OPT_DEFLATE 26
#define CCP_OPT_BSD 21

/* RFC 3078 §3 says MPPE adds the 2-byte header; the tunnel MTU shrinks by
 * it and the (uncompressed) inner protocol field. */
#define PPP_MPPE_OVERHEAD 4

#endif
