/*
 * test_notify.c - the sd_notify(3) messages of notify.c, as systemd would
 * receive them: a datagram socket stands in for systemd's notify socket
 * ($NOTIFY_SOCKET), and each message is read back from it.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/err.h"
#include "glue/notify.h"
#include "test.h"

static int sock = -1;
static char path[108];

static void
read_msg(char *buf, size_t len)
{
	struct timeval tv = { 2, 0 };
	ssize_t n;

	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(sock, buf, len - 1, 0);
	buf[n < 0 ? 0 : n] = '\0';
}

static void
test_not_under_systemd(void)
{
	unsetenv("NOTIFY_SOCKET");
	CHECK_INT(notify_ready("x"), 0);
	CHECK_INT(notify_status("%d sessions", 3), 0);
	CHECK_INT(notify_reloading(), 0);
	CHECK_INT(notify_stopping(), 0);
}

static void
test_messages(void)
{
	char buf[512], longer[400];

	setenv("NOTIFY_SOCKET", path, 1);
	CHECK_INT(notify_ready("listening on 0.0.0.0:1723; 0 sessions"), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "READY=1\nSTATUS=listening on 0.0.0.0:1723; "
	    "0 sessions");
	CHECK_INT(notify_ready(NULL), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "READY=1");
	CHECK_INT(notify_status("%u sessions, %s", 12u, "3 handshaking"), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "STATUS=12 sessions, 3 handshaking");
	/* A newline in the text cannot start another assignment. */
	CHECK_INT(notify_status("a\nREADY=1"), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "STATUS=a READY=1");
	CHECK_INT(notify_ready("x\ny"), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "READY=1\nSTATUS=x y");
	/* Bounded: one line of at most 200 characters. */
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CHECK_INT(notify_status("%s", longer), 1);
	read_msg(buf, sizeof(buf));
	CHECK_INT(strlen(buf), strlen("STATUS=") + 200);
	CHECK_INT(notify_reloading(), 1);
	read_msg(buf, sizeof(buf));
	CHECK(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0 &&
	    strtoull(buf + 27, NULL, 10) > 0);
	CHECK_INT(notify_stopping(), 1);
	read_msg(buf, sizeof(buf));
	CHECK_STR(buf, "STOPPING=1");
}

static void
test_send_fails(void)
{
	/* A socket that is gone: an error, never a crash or a hang. */
	setenv("NOTIFY_SOCKET", "/nonexistent/pptpkit-notify.sock", 1);
	CHECK_INT(notify_stopping(), PK_ERR_SYS);
	unsetenv("NOTIFY_SOCKET");
}

int
main(void)
{
	struct sockaddr_un sa;
	char dir[] = "/tmp/pk-notify.XXXXXX";

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/notify.sock", dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("notify socket");
		return 1;
	}
	RUN(test_not_under_systemd);
	RUN(test_messages);
	RUN(test_send_fails);
	close(sock);
	unlink(path);
	rmdir(dir);
	TEST_MAIN_END();
}
