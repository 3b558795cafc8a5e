/*
 * loadgen_opts.c - the load generator's command line (see loadgen.h for
 * what each option sets).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "loadgen.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit-loadgen --sessions N [options]\n"
	    "  --server ADDR            pptpkitd's address (198.18.0.1)\n"
	    "  --port N                 its control port (1723)\n"
	    "  --src-net A.B.C.0        first source address block (A.B.C.1 ...)\n"
	    "  --src-count N            source addresses to use (1)\n"
	    "  --rate R                 sessions started per second (0: as fast\n"
	    "                           as --inflight allows)\n"
	    "  --inflight N             handshakes at once (64)\n"
	    "  --hold S                 idle time with all sessions up (60)\n"
	    "  --trickle S              each session pings every S s while\n"
	    "                           holding (0: idle)\n"
	    "  --sample N               sessions checked at the end (100)\n"
	    "  --handshake-timeout S    per session (60)\n"
	    "  --lcp-echo S             our LCP Echo-Request interval (0: off)\n"
	    "  --pptp-echo S            our PPTP Echo-Request interval (0: off)\n"
	    "  --user NAME --password PW\n"
	    "  --server-pid PID         read this process's CPU, RSS, fds\n"
	    "  --json FILE              write the figures as JSON\n"
	    "  --teardown-timeout S     wait this long for the server to end\n"
	    "                           every session at the end (120)\n"
	    "  --no-teardown            exit without stopping the sessions\n"
	    "  --log-level N            engine log level 0-4 (1: warnings)\n");
}

static int
parse_u32(const char *v, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n > max)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

int
lg_parse_opts(int argc, char **argv, struct lg_opts *o)
{
	static const struct option lo[] = {
		{ "server", 1, NULL, 'S' }, { "port", 1, NULL, 'P' },
		{ "sessions", 1, NULL, 'n' }, { "src-net", 1, NULL, 'a' },
		{ "src-count", 1, NULL, 'c' }, { "rate", 1, NULL, 'r' },
		{ "inflight", 1, NULL, 'i' }, { "hold", 1, NULL, 'h' },
		{ "trickle", 1, NULL, 't' }, { "sample", 1, NULL, 's' },
		{ "handshake-timeout", 1, NULL, 'T' },
		{ "lcp-echo", 1, NULL, 'L' }, { "pptp-echo", 1, NULL, 'E' },
		{ "user", 1, NULL, 'u' }, { "password", 1, NULL, 'p' },
		{ "server-pid", 1, NULL, 'x' }, { "json", 1, NULL, 'j' },
		{ "no-teardown", 0, NULL, 'N' },
		{ "teardown-timeout", 1, NULL, 'D' },
		{ "log-level", 1, NULL, 'l' },
		{ "help", 0, NULL, '?' }, { NULL, 0, NULL, 0 },
	};
	struct in_addr a;
	uint32_t v;
	int c, bad = 0;

	memset(o, 0, sizeof(*o));
	o->server = "198.18.0.1";
	o->port = 1723;
	o->src_count = 1;
	o->inflight = 64;
	o->hold_s = 60;
	o->sample = 100;
	o->handshake_timeout_s = 60;
	o->user = "bench";
	o->password = "benchpw";
	o->teardown = 1;
	o->teardown_s = 120;
	o->log_level = PK_LOG_WARN;
	inet_pton(AF_INET, "198.18.128.0", &a);
	o->src_net = ntohl(a.s_addr);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'S': o->server = optarg; break;
		case 'P': bad |= parse_u32(optarg, 65535, &v); o->port =
		    (uint16_t)v; break;
		case 'n': bad |= parse_u32(optarg, 1000000, &o->sessions);
		    break;
		case 'a': bad |= inet_pton(AF_INET, optarg, &a) != 1;
		    o->src_net = ntohl(a.s_addr) & 0xffffff00u; break;
		case 'c': bad |= parse_u32(optarg, 254 * 255, &o->src_count);
		    break;
		case 'r': o->rate = strtod(optarg, NULL); break;
		case 'i': bad |= parse_u32(optarg, 100000, &o->inflight); break;
		case 'h': bad |= parse_u32(optarg, 86400, &o->hold_s); break;
		case 't': bad |= parse_u32(optarg, 86400, &o->trickle_s);
		    break;
		case 's': bad |= parse_u32(optarg, 1000000, &o->sample); break;
		case 'T': bad |= parse_u32(optarg, 3600,
		    &o->handshake_timeout_s); break;
		case 'L': bad |= parse_u32(optarg, 3600, &o->lcp_echo_s); break;
		case 'E': bad |= parse_u32(optarg, 3600, &o->pptp_echo_s);
		    break;
		case 'u': o->user = optarg; break;
		case 'p': o->password = optarg; break;
		case 'x': bad |= parse_u32(optarg, 0x7fffffff, &v);
		    o->server_pid = (pid_t)v; break;
		case 'j': o->json_path = optarg; break;
		case 'N': o->teardown = 0; break;
		case 'D': bad |= parse_u32(optarg, 3600, &o->teardown_s); break;
		case 'l': bad |= parse_u32(optarg, PK_LOG_DEBUG, &v);
		    o->log_level = (int)v; break;
		default: usage(stderr); return -1;
		}
	}
	if (bad || o->sessions == 0 || o->src_count == 0 ||
	    o->inflight == 0 || o->rate < 0 || optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}
