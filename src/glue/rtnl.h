/*
 * rtnl.h - the rtnetlink requests pptpkit makes (libmnl): bring a TUN
 * link up with an MTU, give it a point-to-point address, add and remove
 * routes, and look up the route to a host. Each call is one synchronous
 * request/ack exchange on the caller's socket; they are rare (once per
 * session setup) and local, so they do not need the event loop.
 */
#ifndef PK_GLUE_RTNL_H
#define PK_GLUE_RTNL_H

#include <stdint.h>

struct mnl_socket;

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	uint32_t seq;
};

/* Opens a NETLINK_ROUTE socket. Returns 0 or PK_ERR_SYS (errno set). */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* All addresses are IPv4 in network byte order (as in struct in_addr).
 * Returns 0 or PK_ERR_SYS with errno from the kernel's ack. */
int nl_link_up(struct nl *nl, int ifindex, int mtu);
int nl_addr_add_ptp(struct nl *nl, int ifindex, uint32_t local, uint32_t peer);
/* Adds fe80::<ifid>/64 (IPV6CP interface identifier, 8 bytes). */
int nl_addr6_add_linklocal(struct nl *nl, int ifindex, const uint8_t ifid[8]);
/* Route dst/plen via the interface ifindex, optionally through gw (0 for
 * none). */
int nl_route_add(struct nl *nl, uint32_t dst, int plen, uint32_t gw,
    int ifindex);
int nl_route_del(struct nl *nl, uint32_t dst, int plen, uint32_t gw,
    int ifindex);
/* Looks up the kernel's route to dst: gateway (0 if on-link) and output
 * interface. */
int nl_route_get(struct nl *nl, uint32_t dst, uint32_t *gw, int *ifindex);

#endif
