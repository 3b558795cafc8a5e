/*
 * lwip_peer_hooks.h - declarations of the harness functions lwIP calls
 * through the LWIP_HOOK_* macros in lwipopts.h.
 */
#ifndef PK_LWIP_PEER_HOOKS_H
#define PK_LWIP_PEER_HOOKS_H

struct pbuf;
struct netif;

/* Takes every IPv4 packet PPP hands to ip4_input() on a peer's netif;
 * returns 1 when it consumed (and freed) the pbuf. */
int lwip_peer_hook_ip4_input(struct pbuf *p, struct netif *inp);

#endif
