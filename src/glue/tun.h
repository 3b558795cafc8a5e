/*
 * tun.h - TUN devices for the tunnel's IP packets. One per session; the
 * interface disappears when its descriptor is closed, so a crashed
 * session never leaves an interface behind.
 */
#ifndef PK_GLUE_TUN_H
#define PK_GLUE_TUN_H

#include <net/if.h>

/*
 * Creates a TUN interface (IFF_TUN | IFF_NO_PI, non-blocking). name may be
 * a template with "%d" ("pptp%d": the kernel picks the number) or an exact
 * name. On success returns the fd and writes the actual name and index.
 * Returns -1 with errno set on failure.
 */
int tun_open(const char *name, char actual[IFNAMSIZ], int *ifindex);

#endif
