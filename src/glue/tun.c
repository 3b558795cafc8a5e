/* tun.c - opening TUN devices (see tun.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "glue/tun.h"

int
tun_open(const char *name, char actual[IFNAMSIZ], int *ifindex)
{
	struct ifreq ifr;
	int fd, e;

	if (strlen(name) >= IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	/* No packet-information header: every read is one IP packet. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		goto fail;
	memcpy(actual, ifr.ifr_name, IFNAMSIZ);
	actual[IFNAMSIZ - 1] = '\0';
	*ifindex = (int)if_nametoindex(actual);
	if (*ifindex == 0)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}
