/*
 * bitflip_lab.c - builds, runs and tears down the lab of `pptpkit
 * bitflip` (see bitflip_lab.h). Namespaces and addresses are made with
 * iproute2 and the NFQUEUE rule with iptables, each run by argument
 * vector (no shell); the sender, the receiver and the modifier are
 * children of this process that enter their namespace with setns(2).
 * Everything started is ended by PID, and the namespaces are deleted,
 * on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "audit/bitflip_lab.h"
#include "core/clock.h"
#include "core/rand.h"
#include "glue/ctlproto.h"

extern char **environ;

#define NFQ_NUM 0
#define DAEMON_START_MS 10000
#define CONNECT_MS 30000
#define STOP_MS 5000

struct lab {
	const struct bitflip_options *o;
	struct bitflip_report *rep;
	char tag[32];
	char ns[3][48];			/* client, router, server */
	int ns_made[3];
	char dir[64];			/* temporary files */
	pid_t srv, cli, nfq;
	int nfq_ctl, nfq_rep;		/* pipes to/from the modifier */
	char *err;
	size_t errlen;
};

enum { NS_CLI = 0, NS_MID = 1, NS_SRV = 2 };

static int lab_fail(struct lab *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
lab_fail(struct lab *l, const char *fmt, ...)
{
	va_list ap;

	if (l->err[0] != '\0')
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->err, l->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Runs argv (PATH lookup), output to /dev/null unless log given;
 * returns the exit status, or -1. */
static int
run_argv(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, e;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log ? log : "/dev/null",
	    O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0) {
		errno = e;
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs a command given as NULL-terminated words. */
static int
run(struct lab *l, const char *first, ...)
{
	char *argv[24];
	char log[96];
	va_list ap;
	int n = 0, rc;

	argv[n++] = (char *)first;
	va_start(ap, first);
	while (n < 23 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/commands.log", l->dir);
	rc = run_argv(argv, log);
	if (rc != 0) {
		char line[256];
		size_t k = 0;

		for (int i = 0; i < n && k < sizeof(line); i++)
			k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s",
			    i ? " " : "", argv[i]);
		return lab_fail(l, "\"%s\" failed (%s)", line,
		    rc < 0 ? strerror(errno) : "see its message above");
	}
	return 0;
}

/* Creates (or truncates) path for writing with mode 0600. */
static FILE *
fopen_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "w")) == NULL)
		close(fd);
	return f;
}

/* Starts argv in the background with stdout and stderr to log. */
static pid_t
spawn_logged(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int e;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return e == 0 ? pid : -1;
}

/* Waits until a line of file starts with prefix; copies it to line. */
static int
wait_line(const char *file, const char *prefix, pid_t pid, uint64_t ms,
    char *line, size_t len)
{
	uint64_t end = pk_clock_ms() + ms;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	char buf[1024];

	while (pk_clock_ms() < end) {
		FILE *f = fopen(file, "r");

		if (f != NULL) {
			while (fgets(buf, sizeof(buf), f) != NULL) {
				const char *hit = strstr(buf, prefix);

				if (hit == NULL)
					continue;
				buf[strcspn(buf, "\n")] = '\0';
				snprintf(line, len, "%.*s", (int)len - 1, buf);
				fclose(f);
				return 0;
			}
			fclose(f);
		}
		if (pid > 0 && waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* --- topology --- */

static int
build(struct lab *l)
{
	static const char *const suffix[3] = { "cli", "mid", "srv" };

	for (int i = 0; i < 3; i++) {
		snprintf(l->ns[i], sizeof(l->ns[i]), "%s-%s", l->tag, suffix[i]);
		if (run(l, "ip", "netns", "add", l->ns[i], NULL) != 0)
			return -1;
		l->ns_made[i] = 1;
		if (run(l, "ip", "-n", l->ns[i], "link", "set", "lo", "up",
		    NULL) != 0)
			return -1;
	}
	if (run(l, "ip", "link", "add", "eth0", "netns", l->ns[NS_CLI], "type",
	    "veth", "peer", "name", "c0", "netns", l->ns[NS_MID], NULL) ||
	    run(l, "ip", "link", "add", "eth0", "netns", l->ns[NS_SRV], "type",
	    "veth", "peer", "name", "s0", "netns", l->ns[NS_MID], NULL) ||
	    run(l, "ip", "-n", l->ns[NS_CLI], "addr", "add", "198.18.70.2/24",
	    "dev", "eth0", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_MID], "addr", "add", "198.18.70.1/24",
	    "dev", "c0", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_MID], "addr", "add", "198.18.71.1/24",
	    "dev", "s0", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_SRV], "addr", "add", "198.18.71.2/24",
	    "dev", "eth0", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_CLI], "link", "set", "eth0", "up",
	    NULL) ||
	    run(l, "ip", "-n", l->ns[NS_SRV], "link", "set", "eth0", "up",
	    NULL) ||
	    run(l, "ip", "-n", l->ns[NS_MID], "link", "set", "c0", "up", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_MID], "link", "set", "s0", "up", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_CLI], "route", "add", "default", "via",
	    "198.18.70.1", NULL) ||
	    run(l, "ip", "-n", l->ns[NS_SRV], "route", "add", "default", "via",
	    "198.18.71.1", NULL) ||
	    run(l, "ip", "netns", "exec", l->ns[NS_MID], "sysctl", "-qw",
	    "net.ipv4.ip_forward=1", NULL))
		return -1;
	return 0;
}

static void
teardown(struct lab *l)
{
	pid_t *pids[] = { &l->cli, &l->srv };
	int sigs[] = { SIGINT, SIGTERM };

	/* The client first, so that it hangs up cleanly, then the server,
	 * then the modifier (EOF on its control pipe). */
	for (int i = 0; i < 2; i++) {
		uint64_t end = pk_clock_ms() + STOP_MS;
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (*pids[i] <= 0)
			continue;
		kill(*pids[i], sigs[i]);
		while (waitpid(*pids[i], NULL, WNOHANG) == 0) {
			if (pk_clock_ms() >= end) {
				kill(*pids[i], SIGKILL);
				waitpid(*pids[i], NULL, 0);
				break;
			}
			nanosleep(&ts, NULL);
		}
		*pids[i] = -1;
	}
	if (l->nfq_ctl >= 0)
		close(l->nfq_ctl);
	l->nfq_ctl = -1;
	if (l->nfq > 0) {
		waitpid(l->nfq, NULL, 0);
		l->nfq = -1;
	}
	if (l->nfq_rep >= 0)
		close(l->nfq_rep);
	l->nfq_rep = -1;
	for (int i = 2; i >= 0; i--)
		if (l->ns_made[i]) {
			char *argv[] = { "ip", "netns", "del", l->ns[i], NULL };

			(void)run_argv(argv, NULL);
			l->ns_made[i] = 0;
		}
}

/* --- the modifier --- */

static int
read_event(struct lab *l, struct bitflip_event *ev, int timeout_ms)
{
	struct pollfd p = { .fd = l->nfq_rep, .events = POLLIN };
	size_t got = 0;

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	while (got < sizeof(*ev)) {
		ssize_t n = read(l->nfq_rep, (char *)ev + got,
		    sizeof(*ev) - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int
start_modifier(struct lab *l, const struct bitflip_target *t)
{
	struct bitflip_event ev;
	int ctl[2], rep[2];

	if (pipe(ctl) != 0 || pipe(rep) != 0)
		return lab_fail(l, "pipe: %s", strerror(errno));
	if ((l->nfq = fork()) < 0)
		return lab_fail(l, "fork: %s", strerror(errno));
	if (l->nfq == 0) {
		close(ctl[1]);
		close(rep[0]);
		if (bitflip_enter_ns(l->ns[NS_MID]) != 0)
			_exit(1);
		_exit(bitflip_nfq_run(NFQ_NUM, t, ctl[0], rep[1]));
	}
	close(ctl[0]);
	close(rep[1]);
	l->nfq_ctl = ctl[1];
	l->nfq_rep = rep[0];
	if (read_event(l, &ev, DAEMON_START_MS) != 0)
		return lab_fail(l, "the NFQUEUE modifier did not start");
	if (ev.kind != BITFLIP_EV_READY)
		return lab_fail(l, "the NFQUEUE modifier: %s", ev.text);
	/* Only now: without a listener NFQUEUE drops the packets. */
	return run(l, "ip", "netns", "exec", l->ns[NS_MID], "iptables", "-A",
	    "FORWARD", "-p", "gre", "-j", "NFQUEUE", "--queue-num", "0", NULL);
}

/* Collects what the modifier reported so far (or within ms). */
static void
drain_events(struct lab *l, int ms)
{
	struct bitflip_event ev;

	while (l->nfq_rep >= 0 && read_event(l, &ev, ms) == 0) {
		l->rep->ipcp = ev.ipcp;
		l->rep->gre_seen = ev.seen;
		if (ev.kind == BITFLIP_EV_FLIPPED) {
			l->rep->flipped = 1;
			l->rep->res = ev.res;
		}
		ms = 0;
	}
}

/* --- the daemons --- */

/* Copies the value of "key" (up to a blank) out of a line. */
static void
field(const char *line, const char *key, char *out, size_t len)
{
	const char *p = strstr(line, key);
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(key);
	n = strcspn(p, " ");
	snprintf(out, len, "%.*s", (int)n, p);
}

static int
start_daemons(struct lab *l)
{
	const struct bitflip_options *o = l->o;
	char pkd[600], pkc[600], secrets[96], pwfile[96], ctl[96], log[96];
	char pw[33], line[512], bits[8], buf[64];
	uint8_t rnd[16];
	FILE *f;

	snprintf(pkd, sizeof(pkd), "%s/pptpkitd", o->build_dir);
	snprintf(pkc, sizeof(pkc), "%s/pptpkit", o->build_dir);
	if (access(pkd, X_OK) != 0 || access(pkc, X_OK) != 0)
		return lab_fail(l, "no pptpkitd/pptpkit in %s (--build-dir)",
		    o->build_dir);
	/* A password nobody else knows, the modifier included. */
	pk_rand_bytes(rnd, sizeof(rnd));
	for (int i = 0; i < 16; i++)
		snprintf(pw + 2 * i, 3, "%02x", rnd[i]);
	snprintf(secrets, sizeof(secrets), "%s/chap-secrets", l->dir);
	snprintf(pwfile, sizeof(pwfile), "%s/password", l->dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl.sock", l->dir);
	/* Both files hold the password: mode 0600, as pptpkitd and
	 * pptpkit connect require. */
	if ((f = fopen_private(secrets)) == NULL)
		return lab_fail(l, "%s: %s", secrets, strerror(errno));
	fprintf(f, "alice * %s *\n", pw);
	fclose(f);
	if ((f = fopen_private(pwfile)) == NULL)
		return lab_fail(l, "%s: %s", pwfile, strerror(errno));
	fprintf(f, "%s\n", pw);
	fclose(f);
	memset(pw, 0, sizeof(pw));
	snprintf(bits, sizeof(bits), "%d", o->bits);
	{
		char *argv[] = { "ip", "netns", "exec", l->ns[NS_SRV], pkd,
		    "--listen", "198.18.71.2", "--secrets", secrets,
		    "--pool", "198.19.70.2-198.19.70.9", "--local-ip",
		    "198.19.70.1", "--control-socket", ctl, "--name",
		    "bitflip-lab", "--mppe-bits", bits, "--mppe-stateful",
		    o->stateful ? "require" : "deny", NULL };

		snprintf(log, sizeof(log), "%s/pptpkitd.log", l->dir);
		if ((l->srv = spawn_logged(argv, log)) < 0 ||
		    wait_line(log, "listening on", l->srv, DAEMON_START_MS,
		    line, sizeof(line)) != 0)
			return lab_fail(l, "pptpkitd did not start (see %s)",
			    log);
	}
	{
		char *argv[] = { "ip", "netns", "exec", l->ns[NS_CLI], pkc,
		    "connect", "198.18.71.2", "--user", "alice",
		    "--password-file", pwfile, "--ifname", "bf0",
		    "--mppe-bits", bits, "--mppe-stateful",
		    o->stateful ? "require" : "deny", NULL };

		snprintf(log, sizeof(log), "%s/client.log", l->dir);
		if ((l->cli = spawn_logged(argv, log)) < 0 ||
		    wait_line(log, "connected:", l->cli, CONNECT_MS, line,
		    sizeof(line)) != 0)
			return lab_fail(l, "pptpkit connect did not connect "
			    "(see %s)", log);
	}
	/* connected: ifname=bf0 local=A peer=B auth=X mppe=Y mtu=N */
	field(line, "local=", buf, sizeof(buf));
	inet_pton(AF_INET, buf, &l->rep->client_tun);
	field(line, "peer=", buf, sizeof(buf));
	inet_pton(AF_INET, buf, &l->rep->server_tun);
	field(line, "auth=", l->rep->auth, sizeof(l->rep->auth));
	field(line, "mppe=", l->rep->mppe, sizeof(l->rep->mppe));
	return 0;
}

/* The server session's IP packets received from the client. */
static long long
session_rx(struct lab *l)
{
	char ctl[96], err[128], *reply = NULL;
	json_object *arr, *s, *v;
	long long n = -1;

	snprintf(ctl, sizeof(ctl), "%s/ctl.sock", l->dir);
	if (ctl_request(ctl, CTL_CMD_SESSIONS, &reply, err, sizeof(err)) != 0)
		return -1;
	if ((arr = json_tokener_parse(reply)) != NULL &&
	    json_object_is_type(arr, json_type_array) &&
	    json_object_array_length(arr) == 1 &&
	    (s = json_object_array_get_idx(arr, 0)) != NULL &&
	    json_object_object_get_ex(s, "rx_packets", &v))
		n = (long long)json_object_get_int64(v);
	json_object_put(arr);
	free(reply);
	return n;
}

static int
exchange(struct lab *l)
{
	struct bitflip_report *rep = l->rep;
	struct bitflip_rx_msg m;
	pid_t rx, tx;
	int fd, st;

	if ((rx = bitflip_receiver_start(l->ns[NS_SRV], rep->server_tun,
	    &fd)) < 0)
		return lab_fail(l, "fork: %s", strerror(errno));
	if (bitflip_rx_read(fd, &m, DAEMON_START_MS) != 0 ||
	    m.kind != BITFLIP_RX_READY) {
		close(fd);
		waitpid(rx, NULL, 0);
		return lab_fail(l, "the receiver did not start%s%s",
		    m.kind == BITFLIP_RX_FAIL ? ": " : "",
		    m.kind == BITFLIP_RX_FAIL ? m.data : "");
	}
	rep->udp_in_errors[0] = m.in_errors;
	rep->udp_csum_errors[0] = m.csum_errors;
	rep->srv_rx_packets[0] = session_rx(l);
	if ((tx = bitflip_sender_start(l->ns[NS_CLI], rep->client_tun,
	    rep->server_tun, l->o->message)) < 0) {
		close(fd);
		waitpid(rx, NULL, 0);
		return lab_fail(l, "fork: %s", strerror(errno));
	}
	while (bitflip_rx_read(fd, &m, BITFLIP_RECEIVE_MS + 2000) == 0) {
		if (m.kind == BITFLIP_RX_DATA && rep->n_rx < BITFLIP_RX_MAX) {
			memcpy(rep->rx[rep->n_rx], m.data, sizeof(m.data));
			rep->rx_len[rep->n_rx++] = m.len;
		} else if (m.kind == BITFLIP_RX_DONE) {
			rep->udp_in_errors[1] = m.in_errors;
			rep->udp_csum_errors[1] = m.csum_errors;
			break;
		}
	}
	close(fd);
	waitpid(tx, &st, 0);
	waitpid(rx, NULL, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return lab_fail(l, "the sender failed");
	rep->srv_rx_packets[1] = session_rx(l);
	drain_events(l, 500);
	return 0;
}

static void
judge(const struct bitflip_options *o, struct bitflip_report *rep)
{
	char altered[BITFLIP_MSG_MAX + 1];
	long long csum = rep->udp_csum_errors[1] - rep->udp_csum_errors[0];
	long long inerr = rep->udp_in_errors[1] - rep->udp_in_errors[0];
	long long delivered = rep->srv_rx_packets[1] - rep->srv_rx_packets[0];

	snprintf(altered, sizeof(altered), "%s", o->message);
	memcpy(altered + o->offset, o->repl, strlen(o->repl));
	for (int i = 0; i < rep->n_rx; i++) {
		if (strcmp(rep->rx[i], altered) == 0)
			rep->arrived_altered = 1;
		if (strcmp(rep->rx[i], o->message) == 0)
			rep->arrived_original = 1;
	}
	/* pptpkitd decrypted and delivered all three in every mode: MPPE
	 * cannot tell. Then only the UDP checksum decides. */
	if (o->checksum == BITFLIP_CSUM_KEEP)
		rep->ok = rep->flipped && !rep->arrived_altered &&
		    !rep->arrived_original && csum == 1 && delivered == 3;
	else
		rep->ok = rep->flipped && rep->arrived_altered &&
		    !rep->arrived_original && csum == 0 && inerr == 0 &&
		    delivered == 3;
}

int
bitflip_lab_run(const struct bitflip_options *o, struct bitflip_report *rep,
    char *err, size_t errlen)
{
	struct bitflip_target t;
	struct lab l;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	memset(&l, 0, sizeof(l));
	l.o = o;
	l.rep = rep;
	l.err = err;
	l.errlen = errlen;
	l.srv = l.cli = l.nfq = -1;
	l.nfq_ctl = l.nfq_rep = -1;
	err[0] = '\0';
	if (geteuid() != 0) {
		snprintf(err, errlen, "needs root: the lab creates network "
		    "namespaces and an NFQUEUE rule");
		return -1;
	}
	snprintf(l.tag, sizeof(l.tag), "pkbf%d", (int)getpid());
	snprintf(l.dir, sizeof(l.dir), "/tmp/pptpkit-bitflip.XXXXXX");
	if (mkdtemp(l.dir) == NULL) {
		snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	/* What the attacker knows: the client's outer address (it forwards
	 * its packets), the ports and the message. Never a key. */
	memset(&t, 0, sizeof(t));
	inet_pton(AF_INET, "198.18.70.2", &t.outer_client);
	t.sport = BITFLIP_SPORT;
	t.dport = BITFLIP_DPORT;
	t.payload_len = strlen(o->message);
	memcpy(t.payload, o->message, t.payload_len);
	t.offset = o->offset;
	t.repl_len = strlen(o->repl);
	memcpy(t.repl, o->repl, t.repl_len);
	t.checksum = o->checksum;
	if (build(&l) != 0 || start_modifier(&l, &t) != 0 ||
	    start_daemons(&l) != 0)
		goto out;
	drain_events(&l, 0);
	if (exchange(&l) != 0)
		goto out;
	judge(o, rep);
	rc = 0;
out:
	teardown(&l);
	if (o->verbose || rc != 0) {
		char path[128], line[512];
		const char *names[] = { "pptpkitd.log", "client.log",
		    "commands.log" };

		for (size_t i = 0; i < 3; i++) {
			FILE *f;

			snprintf(path, sizeof(path), "%s/%s", l.dir, names[i]);
			if ((f = fopen(path, "r")) == NULL)
				continue;
			fprintf(stderr, "--- %s\n", names[i]);
			while (fgets(line, sizeof(line), f) != NULL)
				fputs(line, stderr);
			fclose(f);
		}
	}
	{
		const char *names[] = { "pptpkitd.log", "client.log",
		    "commands.log", "chap-secrets", "password", "ctl.sock" };
		char path[128];

		for (size_t i = 0; i < 6; i++) {
			snprintf(path, sizeof(path), "%s/%s", l.dir, names[i]);
			unlink(path);
		}
		rmdir(l.dir);
	}
	return rc;
}
