/*
 * lwipopts.h - lwIP 2.1.3 build options for the in-memory PPP test peer
 * (tests/lwip/lwip_peer.c): no OS, no link driver, PPP with every
 * authentication method and MPPE that lwIP's pppd port implements.
 *
 * Only lwIP's own sources and lwip_peer.c see this file.
 */
#ifndef PK_LWIPOPTS_H
#define PK_LWIPOPTS_H

/* Single-threaded, no OS: the harness calls every entry point and drives
 * timers with sys_check_timeouts() against a virtual clock (sys_now()). */
#define NO_SYS				1
#define LWIP_TIMERS			1
#define SYS_LIGHTWEIGHT_PROT		0
#define LWIP_NETCONN			0
#define LWIP_SOCKET			0

/* Memory comes from malloc so AddressSanitizer in the test binary sees
 * lwIP's allocations and reports leaks, even though lwIP's own code is
 * built without instrumentation. */
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			1
#define MEM_ALIGNMENT			8
#define MEM_SIZE			(256 * 1024)

/* IPv4 only. Every received IPv4 packet is taken by the input hook below
 * before routing, so nothing above IP is needed except TCP, which lwIP's
 * Van Jacobson code (VJ_SUPPORT) depends on. */
#define LWIP_IPV4			1
#define LWIP_IPV6			0
#define LWIP_ARP			0
#define LWIP_ETHERNET			0
#define LWIP_ICMP			0
#define LWIP_RAW			0
#define LWIP_UDP			0
#define LWIP_TCP			1
#define LWIP_DHCP			0
#define LWIP_AUTOIP			0
#define LWIP_IGMP			0
#define LWIP_DNS			0
/* No reassembly or fragmentation: their cyclic timers would make the
 * next lwIP deadline at most 1 s away and hide the PPP timers. */
#define IP_REASSEMBLY			0
#define IP_FRAG				0
#define LWIP_STATS			0
#define LWIP_NETIF_API			0
#define LWIP_HAVE_LOOPIF		0

/* PPP: lwIP's port of pppd. PPPoS is compiled only because lwIP refuses
 * PPP without a lower layer; the peer uses its own link callbacks. */
#define PPP_SUPPORT			1
#define PPPOS_SUPPORT			1
#define PPPOE_SUPPORT			0
#define PPPOL2TP_SUPPORT		0
#define PPP_IPV4_SUPPORT		1
#define PPP_IPV6_SUPPORT		0
#define PPP_SERVER			1
#define PAP_SUPPORT			1
#define CHAP_SUPPORT			1
#define MSCHAP_SUPPORT			1
#define MPPE_SUPPORT			1
#define CCP_SUPPORT			1
#define EAP_SUPPORT			0
#define VJ_SUPPORT			1
#define PPP_NOTIFY_PHASE		1
/* Control packets in one contiguous RAM pbuf (lwIP's PPP refuses chained
 * control pbufs). */
#define PPP_USE_PBUF_RAM		1
#define MEMP_NUM_PPP_PCB		16
/* The polarssl-derived MD4/MD5/SHA-1/DES/ARC4 shipped inside lwIP. */
#define LWIP_INCLUDED_POLARSSL_MD4	1
#define LWIP_INCLUDED_POLARSSL_MD5	1
#define LWIP_INCLUDED_POLARSSL_SHA1	1
#define LWIP_INCLUDED_POLARSSL_DES	1
#define LWIP_INCLUDED_POLARSSL_ARC4	1

/* Diagnostics: compiled in, printed only when LWIP_PEER_DEBUG is set in
 * the environment (see lwip_peer_diag() in lwip_peer.c). */
#define LWIP_DEBUG			1
#define PPP_DEBUG			LWIP_DBG_ON
#define PRINTPKT_SUPPORT		1
#define PPP_PROTOCOLNAME		1
#define LWIP_DBG_MIN_LEVEL		LWIP_DBG_LEVEL_ALL
#define LWIP_DBG_TYPES_ON		LWIP_DBG_ON
/* Timer entries carry their handler's name (used by cancel_timers()). */
#define LWIP_DEBUG_TIMERNAMES		1

/* Exposes lwIP's timer list (sys_timeouts_get_next_timeout()): freeing a
 * peer must cancel timers lwIP leaves behind after a failed
 * authentication (upap_timeout), which would otherwise fire on freed
 * memory. It changes nothing else in 2.1.3. */
#define LWIP_TESTMODE			1

/* Hooks into the harness (lwip_peer_hooks.h). */
#define LWIP_HOOK_FILENAME		"lwip_peer_hooks.h"
#define LWIP_HOOK_IP4_INPUT(p, inp)	lwip_peer_hook_ip4_input((p), (inp))

#endif
