/*
 * pptpkit.c - the client and administration command line:
 *
 *	pptpkit connect SERVER --user NAME [options]
 *	pptpkit show sessions [--json] [--control-socket PATH]
 *	pptpkit scan TARGET... [options]	(cmd_scan.c)
 *	pptpkit bitflip [options]		(cmd_bitflip.c)
 *	pptpkit hash-password [--user NAME] [--server NAME] [--address ADDR]
 *	pptpkit audit|export|crack|decrypt CAPTURE ...  (cmd_audit.h)
 *	pptpkit show stats [--control-socket PATH]
 *	pptpkit kill ID | --user NAME [--control-socket PATH]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cmd_scan.h"
#include "cmd/cmd_audit.h"
#include "core/log.h"
#include "config/secrets.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "glue/client.h"
#include "glue/ctlproto.h"
#include "policy/policy.h"

#define PASSWORD_MAX 256

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit connect SERVER --user NAME [options]\n"
	    "       pptpkit show sessions [--json] [--control-socket PATH]\n"
	    "       pptpkit show stats [--control-socket PATH]\n"
	    "       pptpkit kill ID | --user NAME [--control-socket PATH]\n"
	    "       pptpkit scan TARGET... [--deep] [--json]  (--help for more)\n"
	    "       pptpkit bitflip [--stateful] [--json]     (--help for more)\n"
	    "       pptpkit hash-password [--user NAME] [--server NAME] "
	    "[--address ADDR]\n"
	    "       pptpkit audit CAPTURE [--json]\n"
	    "       pptpkit export CAPTURE --format hashcat|hashcat-des|john|crack.sh\n"
	    "       pptpkit crack (CAPTURE | --challenge HEX --response HEX) ...\n"
	    "       pptpkit decrypt CAPTURE (--password-file F | --nt-hash H) -o OUT\n"
	    "(scan, bitflip, hash-password, audit, export, crack and decrypt\n"
	    "each take --help)\n"
	    "\n"
	    "connect options:\n"
	    "  --user NAME             user name (required)\n"
	    "  --password-file FILE    first line is the password (the file\n"
	    "                          must not be readable by group or\n"
	    "                          others); else $PPTPKIT_PASSWORD\n"
	    "                          (removed from the environment once\n"
	    "                          read), else a prompt\n"
	    "  --route CIDR            route CIDR through the tunnel (repeatable)\n"
	    "  --default-route         route everything through the tunnel\n"
	    "                          (the route to SERVER stays outside)\n"
	    "  --ifname NAME           TUN interface name (pptp%%d)\n"
	    "  --mtu N                 tunnel MTU (1400)\n"
	    "  --port N                server's control port (1723)\n"
	    "  --ipv6                  negotiate IPV6CP too\n"
	    "  --reconnect             retry with backoff when the tunnel drops\n"
	    "  --auth LIST             pap,chap,mschap,mschapv2 (mschapv2)\n"
	    "  --mppe require|allow|deny            (require)\n"
	    "  --mppe-bits LIST        40,56,128 (128)\n"
	    "  --mppe-stateful deny|allow|require   (allow)\n"
	    "  -d, --debug             log protocol detail\n"
	    "\n"
	    "hash-password: reads a password (without echo from the terminal,\n"
	    "asked twice; else the first line of standard input) and prints\n"
	    "its chap-secrets line with the NT hash in place of the password,\n"
	    "enough for MS-CHAP and MPPE (PAP and CHAP-MD5 users need the\n"
	    "password itself). Without --user, prints only the secret field.\n"
	    "  --user NAME             the client column\n"
	    "  --server NAME           the server column (*)\n"
	    "  --address ADDR|*|-      the address column (*)\n");
}

static void
warn_print(const char *msg, void *arg)
{
	fprintf(stderr, "warning: weak policy: %s\n", msg);
}

/*
 * Password input goes through read(2) into our own wiped buffers, never
 * through stdio, whose buffers would keep a copy we cannot wipe.
 */

/* Keeps the first line of buf (len bytes), NUL-terminated; -1 if it is
 * longer than cap - 1. */
static int
first_line(const char *buf, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	while (n < len && buf[n] != '\n' && buf[n] != '\r' && buf[n] != '\0')
		n++;
	if (n >= cap)
		return -1;
	memcpy(out, buf, n);
	out[n] = '\0';
	return 0;
}

/* Reads a line without echo from the terminal, after prompt. */
static int
tty_read_secret(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	char line[PASSWORD_MAX + 2];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), r = -1;
	size_t got = 0;

	if (fd < 0)
		return -1;
	/*
	 * Echo off before the prompt: the flush then drops only what was
	 * typed before it, never an answer typed right after it. Restoring
	 * flushes nothing (a second answer may already be typed ahead).
	 */
	if (tcgetattr(fd, &old) != 0)
		goto out;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto restore;
	while (got < sizeof(line)) {
		ssize_t n = read(fd, line + got, sizeof(line) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(line, '\n', got) != NULL)
			break;
	}
	if (got > 0 && first_line(line, got, buf, len) == 0)
		r = 0;
restore:
	tcsetattr(fd, TCSANOW, &old);
	(void)!write(fd, "\n", 1);
out:
	crypto_wipe(line, sizeof(line));
	close(fd);
	return r;
}

/* Reads a password without echo from the terminal. */
static int
prompt_password(const char *user, char *buf, size_t len)
{
	char prompt[PK_PPP_NAME_MAX + 32];

	snprintf(prompt, sizeof(prompt), "password for %s: ", user);
	return tty_read_secret(prompt, buf, len);
}

/*
 * The password file holds a secret: like ssh with a private key, refuse
 * one that group or others may read or write, or that belongs to someone
 * other than us or root (who could swap it).
 */
static int
read_password_file(const char *path, char *buf, size_t len)
{
	char data[PASSWORD_MAX + 2];
	struct stat st;
	size_t got = 0;
	int fd, r = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		fprintf(stderr, "pptpkit: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "pptpkit: %s: not a regular file\n", path);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		fprintf(stderr, "pptpkit: %s: group or others may access it "
		    "(mode %03o); chmod 600 it\n", path,
		    (unsigned)(st.st_mode & 0777));
		goto out;
	}
	if (st.st_uid != getuid() && st.st_uid != 0) {
		fprintf(stderr, "pptpkit: %s: owned by uid %ld, not by you or "
		    "root\n", path, (long)st.st_uid);
		goto out;
	}
	while (got < sizeof(data)) {
		ssize_t n = read(fd, data + got, sizeof(data) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == 0)
		fprintf(stderr, "pptpkit: %s: empty\n", path);
	else if (first_line(data, got, buf, len) != 0)
		fprintf(stderr, "pptpkit: password longer than %d bytes\n",
		    PASSWORD_MAX);
	else
		r = 0;
out:
	crypto_wipe(data, sizeof(data));
	close(fd);
	return r;
}

/* Takes $PPTPKIT_PASSWORD and removes it: the value is wiped where the
 * environment holds it, so /proc/PID/environ and children lose it. */
static int
take_env_password(char *buf, size_t len)
{
	char *env = getenv("PPTPKIT_PASSWORD");
	int r;

	if (env == NULL)
		return 1;
	r = first_line(env, strlen(env), buf, len);
	crypto_wipe(env, strlen(env));
	unsetenv("PPTPKIT_PASSWORD");
	if (r != 0)
		fprintf(stderr, "pptpkit: password longer than %d bytes\n",
		    PASSWORD_MAX);
	return r != 0 ? -1 : 0;
}

static int
parse_cidr(const char *s, uint32_t *addr, int *plen)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	char *end;
	long n = 32;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%.*s", slash ? (int)(slash - s) :
	    (int)strlen(s), s);
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	if (slash != NULL) {
		n = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 || n < 0 || n > 32)
			return -1;
	}
	/* Keep only the network part: the kernel refuses host bits. */
	uint32_t mask = n == 0 ? 0 : htonl(~0u << (32 - n));

	*addr = a.s_addr & mask;
	*plen = (int)n;
	return 0;
}

static int
cmd_connect(int argc, char **argv)
{
	struct client_options o;
	char password[PASSWORD_MAX + 2], err[256];
	const char *password_file = NULL;
	int rc, debug = 0;

	memset(&o, 0, sizeof(o));
	policy_default(&o.policy);
	o.port = 1723;
	o.ifname = "pptp%d";
	o.mtu = 1400;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

#define NEED_VALUE() do {						\
	if (v == NULL) {						\
		fprintf(stderr, "pptpkit: %s needs a value\n", a);	\
		return 64;						\
	}								\
	i++;								\
} while (0)
		if (a[0] != '-') {
			if (o.server != NULL) {
				fprintf(stderr, "pptpkit: unexpected \"%s\"\n",
				    a);
				return 64;
			}
			o.server = a;
		} else if (strcmp(a, "--user") == 0) {
			NEED_VALUE();
			o.user = v;
		} else if (strcmp(a, "--password-file") == 0) {
			NEED_VALUE();
			password_file = v;
		} else if (strcmp(a, "--route") == 0) {
			NEED_VALUE();
			if (o.n_routes >= CLIENT_ROUTES_MAX ||
			    parse_cidr(v, &o.routes[o.n_routes].addr,
			    &o.routes[o.n_routes].plen) != 0) {
				fprintf(stderr, "pptpkit: --route: bad or too "
				    "many CIDRs (\"%s\")\n", v);
				return 64;
			}
			o.n_routes++;
		} else if (strcmp(a, "--default-route") == 0) {
			o.default_route = 1;
		} else if (strcmp(a, "--ifname") == 0) {
			NEED_VALUE();
			if (strlen(v) >= 16) {
				fprintf(stderr, "pptpkit: --ifname: at most 15 "
				    "characters\n");
				return 64;
			}
			o.ifname = v;
		} else if (strcmp(a, "--mtu") == 0) {
			NEED_VALUE();
			o.mtu = (int)strtol(v, NULL, 10);
			if (o.mtu < 576 || o.mtu > 1500) {
				fprintf(stderr, "pptpkit: --mtu: 576..1500\n");
				return 64;
			}
		} else if (strcmp(a, "--port") == 0) {
			NEED_VALUE();
			long p = strtol(v, NULL, 10);

			if (p < 1 || p > 65535) {
				fprintf(stderr, "pptpkit: --port: 1..65535\n");
				return 64;
			}
			o.port = (uint16_t)p;
		} else if (strcmp(a, "--ipv6") == 0) {
			o.ipv6 = 1;
		} else if (strcmp(a, "--reconnect") == 0) {
			o.reconnect = 1;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "--debug") == 0) {
			debug = 1;
		} else if (strcmp(a, "--auth") == 0) {
			NEED_VALUE();
			if (policy_parse_auth(v, &o.policy.auth, err,
			    sizeof(err)) != 0)
				goto bad_policy;
		} else if (strcmp(a, "--mppe") == 0) {
			NEED_VALUE();
			if (policy_parse_mppe(v, &o.policy.mppe, err,
			    sizeof(err)) != 0)
				goto bad_policy;
		} else if (strcmp(a, "--mppe-bits") == 0) {
			NEED_VALUE();
			if (policy_parse_bits(v, &o.policy.mppe_bits, err,
			    sizeof(err)) != 0)
				goto bad_policy;
		} else if (strcmp(a, "--mppe-stateful") == 0) {
			NEED_VALUE();
			if (policy_parse_stateful(v, &o.policy.mppe_stateful,
			    err, sizeof(err)) != 0)
				goto bad_policy;
		} else if (strcmp(a, "--password") == 0) {
			fprintf(stderr, "pptpkit: passwords are not taken on the "
			    "command line (other users can read it); use "
			    "--password-file, $PPTPKIT_PASSWORD or the prompt\n");
			return 64;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "pptpkit: unknown option %s\n", a);
			return 64;
		}
#undef NEED_VALUE
	}
	if (o.server == NULL || o.user == NULL) {
		usage(stderr);
		return 64;
	}
	if (policy_validate(&o.policy, err, sizeof(err)) != 0)
		goto bad_policy;
	/* No core dump (or same-user ptrace) may carry the password. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (password_file != NULL) {
		if (read_password_file(password_file, password,
		    sizeof(password)) != 0)
			return 64;
	} else if ((rc = take_env_password(password, sizeof(password))) < 0) {
		return 64;
	} else if (rc > 0 && prompt_password(o.user, password,
	    sizeof(password)) != 0) {
		fprintf(stderr, "pptpkit: no password: use --password-file, "
		    "$PPTPKIT_PASSWORD or run from a terminal\n");
		return 64;
	}
	if (strlen(password) > PASSWORD_MAX) {
		fprintf(stderr, "pptpkit: password longer than %d bytes\n",
		    PASSWORD_MAX);
		crypto_wipe(password, sizeof(password));
		return 64;
	}
	o.password = password;
	pk_log_set_level(debug ? PK_LOG_DEBUG : PK_LOG_NOTICE);
	/* Loud warnings for weak choices, before anything is sent. */
	policy_warnings(&o.policy, warn_print, NULL);
	rc = client_run(&o);
	crypto_wipe(password, sizeof(password));
	return rc;
bad_policy:
	fprintf(stderr, "pptpkit: %s\n", err);
	return 64;
}

static void
print_sessions(json_object *arr)
{
	size_t n = json_object_array_length(arr);

	printf("%-5s %-16s %-21s %-15s %-15s %-8s %-9s %-16s %12s %12s %8s\n",
	    "ID", "USER", "PEER", "LOCAL", "REMOTE", "IFACE", "AUTH", "MPPE",
	    "RX-BYTES", "TX-BYTES", "UPTIME");
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(arr, i), *v;
		char peer[40];

#define STR(k) (json_object_object_get_ex(s, k, &v) ? \
    json_object_get_string(v) : "-")
#define NUM(k) (json_object_object_get_ex(s, k, &v) ? \
    (long long)json_object_get_int64(v) : 0LL)
		snprintf(peer, sizeof(peer), "%s:%lld", STR("peer"),
		    NUM("peer_port"));
		printf("%-5lld %-16s %-21s %-15s %-15s %-8s %-9s %-16s %12lld "
		    "%12lld %7llds\n", NUM("id"), STR("user"), peer,
		    STR("local_ip"), STR("remote_ip"), STR("interface"),
		    STR("auth"), STR("mppe"), NUM("rx_bytes"), NUM("tx_bytes"),
		    NUM("uptime"));
#undef STR
#undef NUM
	}
}

/* mode: 0 show sessions, 1 kill, 2 show stats (printed as JSON). */
static int
cmd_admin(int argc, char **argv, int kill)
{
	const char *path = CTL_DEFAULT_PATH, *target = NULL, *user = NULL;
	char line[320], err[256], *reply = NULL;
	int json = kill == 2, rc = 0;
	json_object *obj;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && kill != 1)
			json = 1;
		else if (strcmp(argv[i], "--control-socket") == 0 &&
		    i + 1 < argc)
			path = argv[++i];
		else if (kill == 1 && strcmp(argv[i], "--user") == 0 &&
		    i + 1 < argc && user == NULL && target == NULL)
			user = argv[++i];
		else if (kill == 1 && target == NULL && user == NULL &&
		    argv[i][0] != '-')
			target = argv[i];
		else {
			usage(stderr);
			return 64;
		}
	}
	if (kill == 1 && target == NULL && user == NULL) {
		usage(stderr);
		return 64;
	}
	/* A session by its ID, a user only with --user: "kill 12" never
	 * means a user called "12". */
	if (target != NULL && target[strspn(target, "0123456789")] != '\0') {
		fprintf(stderr, "pptpkit: kill takes a session ID (see show "
		    "sessions); use --user %s to end a user's sessions\n",
		    target);
		return 64;
	}
	if (user != NULL && (strlen(user) + sizeof(CTL_CMD_KILL_USER) + 1 >=
	    sizeof(line) || strchr(user, '\n') != NULL)) {
		fprintf(stderr, "pptpkit: --user: bad name\n");
		return 64;
	}
	if (target != NULL)
		snprintf(line, sizeof(line), "%s %s", CTL_CMD_KILL, target);
	else if (user != NULL)
		snprintf(line, sizeof(line), "%s %s", CTL_CMD_KILL_USER, user);
	else
		snprintf(line, sizeof(line), "%s", kill == 2 ? CTL_CMD_STATS :
		    CTL_CMD_SESSIONS);
	if (ctl_request(path, line, &reply, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit: %s\n", err);
		return 1;
	}
	if (json) {
		/* An {"error":...} answer goes to stderr, with status 1. */
		rc = strncmp(reply, "{\"error\"", 8) == 0;
		fprintf(rc ? stderr : stdout, "%s\n", reply);
		free(reply);
		return rc;
	}
	if ((obj = json_tokener_parse(reply)) == NULL) {
		fprintf(stderr, "pptpkit: unreadable answer from pptpkitd\n");
		free(reply);
		return 1;
	}
	if (kill == 1 && !json_object_object_get_ex(obj, "killed", NULL)) {
		fprintf(stderr, "pptpkit: %s\n", reply);
		rc = 1;
	} else if (kill == 1) {
		json_object *v;
		long long n = json_object_object_get_ex(obj, "killed", &v) ?
		    (long long)json_object_get_int64(v) : 0;

		printf("%lld session(s) ended\n", n);
		rc = n > 0 ? 0 : 1;
	} else if (json_object_is_type(obj, json_type_array)) {
		print_sessions(obj);
	} else {
		fprintf(stderr, "pptpkit: %s\n", reply);
		rc = 1;
	}
	json_object_put(obj);
	free(reply);
	return rc;
}

/* Reads the password for hash-password: twice without echo from a
 * terminal, else the first line of standard input. Never from argv. */
static int
hash_password_read(char *pw, size_t len)
{
	char again[PASSWORD_MAX + 2];
	int r = -1;

	if (!isatty(STDIN_FILENO)) {
		if (fgets(pw, (int)len, stdin) == NULL) {
			fprintf(stderr, "pptpkit: no password on standard "
			    "input\n");
			return -1;
		}
		if (strchr(pw, '\n') == NULL && !feof(stdin)) {
			fprintf(stderr, "pptpkit: password longer than %d "
			    "bytes\n", PASSWORD_MAX);
			return -1;
		}
		pw[strcspn(pw, "\r\n")] = '\0';
		return 0;
	}
	if (tty_read_secret("password: ", pw, len) != 0 ||
	    tty_read_secret("again: ", again, sizeof(again)) != 0) {
		fprintf(stderr, "pptpkit: cannot read the password from the "
		    "terminal\n");
		goto out;
	}
	if (strcmp(pw, again) != 0) {
		fprintf(stderr, "pptpkit: the passwords differ\n");
		goto out;
	}
	r = 0;
out:
	crypto_wipe(again, sizeof(again));
	return r;
}

static int
cmd_hash_password(int argc, char **argv)
{
	const char *user = NULL, *server = NULL, *address = NULL;
	char pw[PASSWORD_MAX + 2], line[3 * PK_PPP_NAME_MAX + 128];
	int r, rc = 64;

	/* Every option takes a value: they come in pairs. */
	for (int i = 0; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--password") == 0 ||
		    strcmp(a, "--password-file") == 0) {
			fprintf(stderr, "pptpkit: hash-password reads the "
			    "password from the terminal or standard input, "
			    "never from the command line\n");
			return 64;
		}
		if (v == NULL || (strcmp(a, "--user") != 0 &&
		    strcmp(a, "--server") != 0 && strcmp(a, "--address") != 0)) {
			fprintf(stderr, "pptpkit: hash-password: unexpected "
			    "\"%s\" (see --help)\n", a);
			return 64;
		}
		if (strcmp(a, "--user") == 0)
			user = v;
		else if (strcmp(a, "--server") == 0)
			server = v;
		else
			address = v;
	}
	if (hash_password_read(pw, sizeof(pw)) != 0)
		goto out;
	if (strlen(pw) > PASSWORD_MAX) {
		fprintf(stderr, "pptpkit: password longer than %d bytes\n",
		    PASSWORD_MAX);
		goto out;
	}
	/* Only the third word when no user is given. */
	r = secrets_format_nthash(user != NULL ? user : "-", server, address,
	    pw, line, sizeof(line));
	if (r != 0) {
		fprintf(stderr, "pptpkit: %s\n", r == PK_ERR_VALUE ?
		    "cannot hash that: the password must be valid UTF-8 of at "
		    "most 256 characters, names 1 to 255 printable bytes, the "
		    "address \"*\", \"-\" or an IPv4 address" :
		    pk_strerror(r));
		goto out;
	}
	if (user == NULL) {
		char *f = strstr(line, "nthash:");

		f[strcspn(f, "\t")] = '\0';
		printf("%s\n", f);
	} else
		printf("%s\n", line);
	rc = 0;
out:
	crypto_wipe(pw, sizeof(pw));
	crypto_wipe(line, sizeof(line));
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 64;
	}
	if (strcmp(argv[1], "connect") == 0)
		return cmd_connect(argc - 2, argv + 2);
	if (strcmp(argv[1], "show") == 0 && argc >= 3 &&
	    strcmp(argv[2], "sessions") == 0)
		return cmd_admin(argc - 3, argv + 3, 0);
	if (strcmp(argv[1], "show") == 0 && argc >= 3 &&
	    strcmp(argv[2], "stats") == 0)
		return cmd_admin(argc - 3, argv + 3, 2);
	if (strcmp(argv[1], "kill") == 0)
		return cmd_admin(argc - 2, argv + 2, 1);
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 2, argv + 2);
	if (strcmp(argv[1], "bitflip") == 0)
		return cmd_bitflip(argc - 2, argv + 2);
	if (strcmp(argv[1], "hash-password") == 0)
		return cmd_hash_password(argc - 2, argv + 2);
	if (strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 2, argv + 2);
	if (strcmp(argv[1], "export") == 0)
		return cmd_export(argc - 2, argv + 2);
	if (strcmp(argv[1], "crack") == 0)
		return cmd_crack(argc - 2, argv + 2);
	if (strcmp(argv[1], "decrypt") == 0)
		return cmd_decrypt(argc - 2, argv + 2);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 64;
}
