/* tunif.c - TUN interface setup over netlink (see tunif.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "glue/rtnl.h"
#include "glue/tun.h"
#include "glue/tunif.h"

int
tunif_open(struct tunif *ti, struct nl *nl, const char *name, uint32_t local,
    uint32_t peer, int mtu, char *err, size_t errlen)
{
	const char *step;

	ti->fd = tun_open(name, ti->name, &ti->ifindex);
	if (ti->fd < 0) {
		snprintf(err, errlen, "cannot create TUN interface %s: %s",
		    name, strerror(errno));
		return PK_ERR_SYS;
	}
	step = "set its address";
	if (nl_addr_add_ptp(nl, ti->ifindex, htonl(local), htonl(peer)) != 0)
		goto fail;
	step = "bring it up";
	if (nl_link_up(nl, ti->ifindex, mtu) != 0)
		goto fail;
	return PK_OK;
fail:
	snprintf(err, errlen, "%s: cannot %s: %s", ti->name, step,
	    strerror(errno));
	tunif_close(ti);
	return PK_ERR_SYS;
}

int
tunif_add_ipv6(struct tunif *ti, struct nl *nl, const uint8_t ifid[8])
{
	return nl_addr6_add_linklocal(nl, ti->ifindex, ifid);
}

void
tunif_close(struct tunif *ti)
{
	if (ti->fd >= 0)
		close(ti->fd);
	ti->fd = -1;
}
