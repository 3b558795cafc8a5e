/* ctlclient.c - the client side of the control socket (see ctlproto.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "glue/ctlproto.h"

int
ctl_request(const char *path, const char *line, char **reply, char *err,
    size_t errlen)
{
	struct sockaddr_un sun;
	size_t len = 0, cap = 4096;
	char *buf = NULL;
	int fd;

	*reply = NULL;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen, "cannot reach pptpkitd at %s: %s%s", path,
		    strerror(errno), errno == ENOENT || errno == ECONNREFUSED ?
		    " (is pptpkitd running? see --control-socket)" : "");
		close(fd);
		return -1;
	}
	/* A server that refuses us answers at once and closes: a failed
	 * send (no SIGPIPE) still leaves its answer to read. */
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	{
		size_t n = strlen(line);
		char *req = malloc(n + 2);

		if (req == NULL)
			goto fail;
		memcpy(req, line, n);
		req[n] = '\n';
		(void)send(fd, req, n + 1, MSG_NOSIGNAL);
		free(req);
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *nb;

			if (cap >= CTL_REPLY_MAX ||
			    (nb = realloc(buf, cap * 2)) == NULL)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*reply = buf;
	return 0;
fail:
	snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
	free(buf);
	close(fd);
	return -1;
}
