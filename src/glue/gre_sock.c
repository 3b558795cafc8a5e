/* gre_sock.c - the raw GRE socket (see gre_sock.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/uio.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/err.h"
#include "glue/gre_sock.h"

#define IPV4_HDR_MIN 20
#define IPPROTO_GRE_NUM 47

int
gre_sock_open(uint32_t bind_addr)
{
	struct sockaddr_in sin;
	int fd, bufsz = 4 * 1024 * 1024, e;

	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_GRE_NUM);
	if (fd < 0)
		return -1;
	/* Bursts from many sessions arrive between two loop iterations. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	if (bind_addr != 0) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = bind_addr;
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	return fd;
}

int
gre_sock_recv(int fd, uint8_t *buf, size_t cap, uint32_t *src,
    const uint8_t **gre, size_t *gre_len)
{
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	struct buf_reader rd;
	uint8_t vihl, proto;
	uint16_t total;
	ssize_t n;
	size_t ihl;
	int r;

	n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&from, &fromlen);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return PK_ERR_SYS;
	}
	buf_reader_init(&rd, buf, (size_t)n);
	if ((r = buf_peek_u8(&rd, 0, &vihl)) != 0 ||
	    (r = buf_peek_u16(&rd, 2, &total)) != 0 ||
	    (r = buf_peek_u8(&rd, 9, &proto)) != 0)
		return r;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || ihl < IPV4_HDR_MIN || proto != IPPROTO_GRE_NUM)
		return PK_ERR_VALUE;
	/* The kernel delivers reassembled datagrams; trust its length, but
	 * never read past what recvfrom returned. */
	if (total < ihl || total > (size_t)n)
		return PK_ERR_LENGTH;
	if ((r = buf_skip(&rd, ihl)) != 0 ||
	    (r = buf_get_ptr(&rd, gre, total - ihl)) != 0)
		return r;
	*src = from.sin_addr.s_addr;
	*gre_len = total - ihl;
	return 1;
}

int
gre_sock_send(int fd, uint32_t src, uint32_t dst, const uint8_t *pkt,
    size_t len)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} control;
	struct sockaddr_in to;
	struct iovec iov;
	struct msghdr msg;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = dst;
	iov.iov_base = (void *)(uintptr_t)pkt;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (src != 0) {
		/* ip(7) IP_PKTINFO: ipi_spec_dst is the source address. */
		struct in_pktinfo pi;
		struct cmsghdr *cm;

		memset(&control, 0, sizeof(control));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst.s_addr = src;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &msg, 0) < 0)
		return PK_ERR_SYS;
	return PK_OK;
}
