/*
 * antispoof.h - the source address a client may use inside its tunnel.
 * pptpkitd writes what a client sends into the kernel as if it came from
 * the client's interface; without a check, an authenticated client could
 * send with any source (another client's address, a server network's) and
 * have the kernel route it, or answer it, as such. A packet is accepted
 * only from the client's own addresses:
 *   IPv4  the address IPCP assigned it (RFC 1332 §3.3);
 *   IPv6  fe80::/64 with the interface identifier IPV6CP negotiated for
 *         it (RFC 5072 §5); the unspecified address :: only for ICMPv6
 *         (Duplicate Address Detection and MLD, RFC 4862 §5.4, RFC 3810
 *         §5.2.13). pptpkit hands out no IPv6 prefix (no Router
 *         Advertisement or prefix delegation), so no global source is
 *         the client's; a prefix would be added here when one is.
 * Sans-I/O: a pure function over the packet.
 */
#ifndef PK_POLICY_ANTISPOOF_H
#define PK_POLICY_ANTISPOOF_H

#include <stddef.h>
#include <stdint.h>

struct antispoof {
	uint32_t ipv4;		/* host order; 0 = no IPv4 yet */
	int ipv6;		/* IPV6CP is up: ifid is valid */
	uint8_t ifid[8];
};

/*
 * 0 if pkt (one IPv4 or IPv6 packet) comes from the client's address;
 * PK_ERR_POLICY if its source is another; PK_ERR_SHORT or PK_ERR_VALUE if
 * it is too short for its header or neither IPv4 nor IPv6 (dropped too).
 */
int antispoof_check(const struct antispoof *a, const uint8_t *pkt,
    size_t len);
/* Writes pkt's source address as text ("?" if there is none). */
void antispoof_source_str(const uint8_t *pkt, size_t len, char *buf,
    size_t buflen);

#endif
