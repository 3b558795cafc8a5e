/*
 * mss.h - TCP MSS clamping for packets crossing the tunnel.
 *
 * A tunnel's MTU is smaller than the Ethernet MTU the end hosts assume;
 * when ICMP "fragmentation needed" is filtered somewhere (it often is),
 * large TCP segments vanish and "connected but some sites never load".
 * Rewriting the MSS option of SYN and SYN-ACK segments to fit the tunnel
 * avoids it (the same fix as iptables' TCPMSS --clamp-mss-to-pmtu).
 */
#ifndef PK_ENGINE_MSS_H
#define PK_ENGINE_MSS_H

#include <stddef.h>
#include <stdint.h>

/*
 * If pkt is an IPv4 or IPv6 TCP segment with SYN set and an MSS option
 * larger than the value that fits mtu, lowers it in place and fixes the
 * TCP checksum incrementally (RFC 1624). Returns 1 if the packet was
 * changed, 0 if not, or a negative PK_ERR_* for a packet too malformed to
 * inspect (the caller forwards or drops it as it would anyway).
 */
int mss_clamp(uint8_t *pkt, size_t len, int mtu);

#endif
