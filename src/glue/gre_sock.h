/*
 * gre_sock.h - the raw IPPROTO_GRE socket that carries every session's
 * data channel. The kernel hands us whole IPv4 packets (header included)
 * on receive, and builds the IPv4 header itself on send.
 */
#ifndef PK_GLUE_GRE_SOCK_H
#define PK_GLUE_GRE_SOCK_H

#include <stddef.h>
#include <stdint.h>

/* Opens a non-blocking raw GRE socket, optionally bound to a local
 * address (network order, 0 = any). Returns the fd or -1 with errno. */
int gre_sock_open(uint32_t bind_addr);

/*
 * Receives one packet into buf. On success returns 1 and sets *src
 * (network order) and *gre to the GRE part (after the IPv4 header, inside
 * buf) of *gre_len bytes. Returns 0 when nothing is
 * waiting, a negative PK_ERR_* for a malformed IPv4 header (the packet is
 * consumed) or PK_ERR_SYS for a socket error.
 */
int gre_sock_recv(int fd, uint8_t *buf, size_t cap, uint32_t *src,
    const uint8_t **gre, size_t *gre_len);

/*
 * Sends one GRE packet from src to dst (network order; src 0 lets the
 * kernel choose). The source must be the local address of the call's
 * control connection: a multi-homed server would otherwise answer from
 * another address, which neither the client nor a NAT's PPTP helper
 * accepts as the same call. Returns 0, or PK_ERR_SYS (EAGAIN when the
 * socket buffer is full: the packet is dropped, as a router would).
 */
int gre_sock_send(int fd, uint32_t src, uint32_t dst, const uint8_t *pkt,
    size_t len);

#endif
