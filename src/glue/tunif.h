/*
 * tunif.h - a session's TUN interface, configured: created, given its
 * point-to-point addresses and MTU over netlink, and brought up. Shared by
 * the server and the client.
 */
#ifndef PK_GLUE_TUNIF_H
#define PK_GLUE_TUNIF_H

#include <net/if.h>
#include <stdint.h>

struct nl;

struct tunif {
	int fd;			/* -1 when closed */
	char name[IFNAMSIZ];
	int ifindex;
};

/*
 * Creates the interface from name ("pptp%d" lets the kernel number it),
 * assigns local/peer (host order), sets mtu and brings it up. On error
 * returns a negative PK_ERR_* and writes why to err; nothing is left
 * behind.
 */
int tunif_open(struct tunif *ti, struct nl *nl, const char *name,
    uint32_t local, uint32_t peer, int mtu, char *err, size_t errlen);
/* Adds the IPv6 link-local address from an IPV6CP interface ID. */
int tunif_add_ipv6(struct tunif *ti, struct nl *nl, const uint8_t ifid[8]);
/* Closes the descriptor; the kernel removes the interface with it. */
void tunif_close(struct tunif *ti);

#endif
