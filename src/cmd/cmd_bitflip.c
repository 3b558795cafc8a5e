/*
 * cmd_bitflip.c - `pptpkit bitflip`: shows on a lab it builds itself that
 * MPPE ciphertext can be changed in flight without the key and the
 * receiver accepts the altered data (see src/audit/bitflip.h and
 * bitflip_lab.h).
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "audit/bitflip_lab.h"
#include "cmd/cmd_scan.h"
#include "core/log.h"

#define DEFAULT_MESSAGE "PAY 100 EUR TO ACCOUNT 12345"
#define DEFAULT_CHANGE "100=900"

static void
bitflip_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit bitflip [options]\n"
	    "\n"
	    "Builds a lab in three network namespaces (client, router, server;\n"
	    "198.18.70.0/24, 198.18.71.0/24, tunnel 198.19.70.0/24), brings up\n"
	    "pptpkitd and pptpkit connect (MS-CHAPv2, MPPE) from the build\n"
	    "directory, and sends a UDP message through the tunnel. On the router\n"
	    "a modifier (NFQUEUE) that knows no key flips bits of the MPPE\n"
	    "ciphertext so that the message changes, fixes the UDP checksum from\n"
	    "the known plaintext, and the receiver accepts the altered message.\n"
	    "Prints what was sent, what was changed on the wire, and what\n"
	    "arrived. Needs root. Everything is removed afterwards.\n"
	    "\n"
	    "options:\n"
	    "  --message TEXT     the message sent (\"%s\")\n"
	    "  --change OLD=NEW   replace OLD (first occurrence) by NEW, same\n"
	    "                     length (%s)\n"
	    "  --checksum fix|zero|keep\n"
	    "                     fix: XOR the recomputed UDP checksum in (default)\n"
	    "                     zero: XOR it to 0, which IPv4 reads as no checksum\n"
	    "                     keep: leave it; the receiver's UDP must drop the\n"
	    "                     datagram (after pptpkitd decrypted it happily)\n"
	    "  --stateful         MPPE stateful mode (default stateless)\n"
	    "  --mppe-bits N      40, 56 or 128 (128)\n"
	    "  --build-dir DIR    where pptpkitd and pptpkit are (this program's\n"
	    "                     directory)\n"
	    "  --json             the report as JSON\n"
	    "  -v, --verbose      print the daemons' logs too\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: 0 when the lab showed what the mode predicts (altered\n"
	    "message accepted; with keep: dropped by the UDP checksum only), 1\n"
	    "when it did not, 2 when the lab could not run, 64 for usage.\n",
	    DEFAULT_MESSAGE, DEFAULT_CHANGE);
}

static const char *
csum_name(int c)
{
	return c == BITFLIP_CSUM_FIX ? "fix" : c == BITFLIP_CSUM_ZERO ?
	    "zero" : "keep";
}

static void
quote(char *out, size_t len, const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, len - k, "\\x%02x", c);
	}
	out[k] = '\0';
}

static void
print_text(const struct bitflip_options *o, const struct bitflip_report *r)
{
	const struct bitflip_result *res = &r->res;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], q[4 * BITFLIP_MSG_MAX + 4];
	size_t pl = res->inner_proto_len + 28;
	long long delivered = r->srv_rx_packets[1] - r->srv_rx_packets[0];

	printf("pptpkit bitflip: changing MPPE-encrypted data in flight, "
	    "without the key\n\n");
	inet_ntop(AF_INET, &r->client_tun, a, sizeof(a));
	inet_ntop(AF_INET, &r->server_tun, b, sizeof(b));
	printf("lab:         client 198.18.70.2 -> router 198.18.70.1|"
	    "198.18.71.1 (modifier on NFQUEUE 0) -> server 198.18.71.2\n");
	printf("tunnel:      %s, MPPE %s; client %s -> server %s\n", r->auth,
	    r->mppe, a, b);
	inet_ntop(AF_INET, &r->ipcp.client_addr, a, sizeof(a));
	inet_ntop(AF_INET, &r->ipcp.server_addr, b, sizeof(b));
	printf("attacker:    sees only the wire; knows the message format; "
	    "read the tunnel\n             addresses from clear-text IPCP: "
	    "client %s, server %s;\n             has no key and no password\n",
	    a, b);
	quote(q, sizeof(q), o->message, strlen(o->message));
	printf("sent:        \"%s\" (UDP port %d -> %d), between \"%s\" and "
	    "\"%s\"\n", q, BITFLIP_SPORT, BITFLIP_DPORT, BITFLIP_BEFORE,
	    BITFLIP_AFTER);
	if (!r->flipped)
		printf("on the wire: the target packet was not seen (%u GRE "
		    "packets passed)\n", r->gre_seen);
	else {
		printf("on the wire: GRE call %u seq %u, MPPE coherency count "
		    "%u%s, %zu bytes of RC4\n             ciphertext (of them "
		    "%zu bytes PPP protocol + IPv4 + UDP header); changed:\n",
		    res->call_id, res->gre_seq, res->ccount, res->flushed ?
		    " (flushed)" : "", res->ct_len, pl);
		for (size_t i = 0; i < res->n_flips; i++) {
			const struct bitflip_flip *f = &res->flips[i];

			if (i < res->csum_flip) {
				size_t k = f->off - pl;

				printf("             byte %3zu: %02x xor %02x -> "
				    "%02x  (message byte %zu: '%c' -> '%c')\n",
				    f->off, f->before, f->mask, f->after, k,
				    o->message[k], o->message[k] ^ f->mask);
			} else
				printf("             byte %3zu: %02x xor %02x -> "
				    "%02x  (UDP checksum)\n", f->off,
				    f->before, f->mask, f->after);
		}
		if (o->checksum == BITFLIP_CSUM_KEEP)
			printf("             UDP checksum left as it was\n");
		else
			printf("             UDP checksum %04x -> %04x (%s), "
			    "computed from the known plaintext\n",
			    res->csum_before, res->csum_after,
			    o->checksum == BITFLIP_CSUM_FIX ? "recomputed" :
			    "zero: no checksum");
	}
	printf("arrived:     ");
	for (int i = 0; i < r->n_rx; i++) {
		quote(q, sizeof(q), r->rx[i], r->rx_len[i]);
		printf("%s\"%s\"", i ? ", " : "", q);
	}
	printf("%s\n", r->n_rx ? "" : "nothing");
	printf("receiver:    pptpkitd decrypted and delivered %lld of 3 "
	    "packets; UDP InErrors +%lld,\n             InCsumErrors +%lld\n",
	    delivered, r->udp_in_errors[1] - r->udp_in_errors[0],
	    r->udp_csum_errors[1] - r->udp_csum_errors[0]);
	if (o->checksum == BITFLIP_CSUM_KEEP)
		printf("result:      %s\n", r->ok ? "MPPE passed the altered "
		    "packet on; only the UDP checksum, which anyone can\n"
		    "             recompute, stopped it (run without "
		    "--checksum keep)" : "NOT as predicted (see above)");
	else
		printf("result:      %s\n", r->ok ? "the altered message was "
		    "accepted as genuine: MPPE has no integrity\n"
		    "             protection" : "NOT as predicted (see above)");
}

static int
print_json(const struct bitflip_options *o, const struct bitflip_report *r)
{
	json_object *d = json_object_new_object(), *a, *f;
	char ip[INET_ADDRSTRLEN];

#define S(obj, k, v) json_object_object_add(obj, k, json_object_new_string(v))
#define I(obj, k, v) json_object_object_add(obj, k, \
    json_object_new_int64((int64_t)(v)))
#define B(obj, k, v) json_object_object_add(obj, k, \
    json_object_new_boolean((v) != 0))
	S(d, "auth", r->auth);
	S(d, "mppe", r->mppe);
	S(d, "checksum_mode", csum_name(o->checksum));
	inet_ntop(AF_INET, &r->client_tun, ip, sizeof(ip));
	S(d, "client_tunnel_address", ip);
	inet_ntop(AF_INET, &r->server_tun, ip, sizeof(ip));
	S(d, "server_tunnel_address", ip);
	inet_ntop(AF_INET, &r->ipcp.client_addr, ip, sizeof(ip));
	S(d, "learnt_client_address", ip);
	inet_ntop(AF_INET, &r->ipcp.server_addr, ip, sizeof(ip));
	S(d, "learnt_server_address", ip);
	S(d, "sent", o->message);
	{
		char alt[BITFLIP_MSG_MAX + 1];

		snprintf(alt, sizeof(alt), "%s", o->message);
		memcpy(alt + o->offset, o->repl, strlen(o->repl));
		S(d, "altered", alt);
	}
	B(d, "flipped", r->flipped);
	if (r->flipped) {
		I(d, "gre_call_id", r->res.call_id);
		I(d, "gre_seq", r->res.gre_seq);
		I(d, "mppe_ccount", r->res.ccount);
		B(d, "mppe_flushed", r->res.flushed);
		I(d, "ciphertext_bytes", r->res.ct_len);
		I(d, "udp_checksum_before", r->res.csum_before);
		I(d, "udp_checksum_after", r->res.csum_after);
		a = json_object_new_array();
		for (size_t i = 0; i < r->res.n_flips; i++) {
			f = json_object_new_object();
			I(f, "offset", r->res.flips[i].off);
			I(f, "before", r->res.flips[i].before);
			I(f, "xor", r->res.flips[i].mask);
			I(f, "after", r->res.flips[i].after);
			S(f, "field", i < r->res.csum_flip ? "payload" :
			    "udp_checksum");
			json_object_array_add(a, f);
		}
		json_object_object_add(d, "flips", a);
	}
	a = json_object_new_array();
	for (int i = 0; i < r->n_rx; i++)
		json_object_array_add(a, json_object_new_string_len(r->rx[i],
		    (int)r->rx_len[i]));
	json_object_object_add(d, "arrived", a);
	B(d, "arrived_altered", r->arrived_altered);
	B(d, "arrived_original", r->arrived_original);
	I(d, "server_packets_delivered",
	    r->srv_rx_packets[1] - r->srv_rx_packets[0]);
	I(d, "udp_in_errors", r->udp_in_errors[1] - r->udp_in_errors[0]);
	I(d, "udp_csum_errors", r->udp_csum_errors[1] - r->udp_csum_errors[0]);
	B(d, "ok", r->ok);
#undef S
#undef I
#undef B
	printf("%s\n", json_object_to_json_string_ext(d,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(d);
	return 0;
}

/* The directory this program lives in (for pptpkitd beside it). */
static void
own_dir(char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	snprintf(buf, len, ".");
	if (n <= 0)
		return;
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) != NULL)
		*slash = '\0';
	snprintf(buf, len, "%.*s", (int)len - 1, path);
}

int
cmd_bitflip(int argc, char **argv)
{
	static struct bitflip_options o;
	static struct bitflip_report r;
	const char *change = DEFAULT_CHANGE, *eq, *hit;
	char err[512], old[BITFLIP_MSG_MAX + 1];
	int json = 0;

	memset(&o, 0, sizeof(o));
	snprintf(o.message, sizeof(o.message), "%s", DEFAULT_MESSAGE);
	o.bits = 128;
	own_dir(o.build_dir, sizeof(o.build_dir));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] :
		    NULL;
		int takes = strcmp(a, "--message") == 0 ||
		    strcmp(a, "--change") == 0 ||
		    strcmp(a, "--checksum") == 0 ||
		    strcmp(a, "--mppe-bits") == 0 ||
		    strcmp(a, "--build-dir") == 0;

		if (takes && v == NULL) {
			fprintf(stderr, "pptpkit bitflip: %s needs a value\n",
			    a);
			return 64;
		}
		if (strcmp(a, "--message") == 0) {
			if (strlen(v) == 0 || strlen(v) > BITFLIP_MSG_MAX - 1) {
				fprintf(stderr, "pptpkit bitflip: --message: "
				    "1-%d bytes\n", BITFLIP_MSG_MAX - 1);
				return 64;
			}
			snprintf(o.message, sizeof(o.message), "%s", v);
		} else if (strcmp(a, "--change") == 0)
			change = v;
		else if (strcmp(a, "--checksum") == 0) {
			if (strcmp(v, "fix") == 0)
				o.checksum = BITFLIP_CSUM_FIX;
			else if (strcmp(v, "zero") == 0)
				o.checksum = BITFLIP_CSUM_ZERO;
			else if (strcmp(v, "keep") == 0)
				o.checksum = BITFLIP_CSUM_KEEP;
			else {
				fprintf(stderr, "pptpkit bitflip: --checksum: "
				    "fix, zero or keep\n");
				return 64;
			}
		} else if (strcmp(a, "--mppe-bits") == 0) {
			char *end;
			long b = strtol(v, &end, 10);

			o.bits = (int)b;
			if (*end != '\0' || (b != 40 && b != 56 && b != 128)) {
				fprintf(stderr, "pptpkit bitflip: --mppe-bits: "
				    "40, 56 or 128\n");
				return 64;
			}
		} else if (strcmp(a, "--build-dir") == 0)
			snprintf(o.build_dir, sizeof(o.build_dir), "%s", v);
		else if (strcmp(a, "--stateful") == 0)
			o.stateful = 1;
		else if (strcmp(a, "--json") == 0)
			json = 1;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			o.verbose = 1;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			bitflip_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "pptpkit bitflip: unknown option %s\n",
			    a);
			bitflip_usage(stderr);
			return 64;
		}
		if (takes)
			i++;
	}
	/* --change OLD=NEW: same length, OLD somewhere in the message. */
	if ((eq = strchr(change, '=')) == NULL || eq == change ||
	    (size_t)(eq - change) != strlen(eq + 1) ||
	    (size_t)(eq - change) > BITFLIP_MSG_MAX) {
		fprintf(stderr, "pptpkit bitflip: --change OLD=NEW, both of the "
		    "same length\n");
		return 64;
	}
	snprintf(old, sizeof(old), "%.*s", (int)(eq - change), change);
	snprintf(o.repl, sizeof(o.repl), "%s", eq + 1);
	if ((hit = strstr(o.message, old)) == NULL) {
		fprintf(stderr, "pptpkit bitflip: \"%s\" is not in the message "
		    "\"%s\"\n", old, o.message);
		return 64;
	}
	o.offset = (size_t)(hit - o.message);
	if (strcmp(old, o.repl) == 0 || strlen(o.message) ==
	    strlen(BITFLIP_BEFORE) || strlen(o.message) ==
	    strlen(BITFLIP_AFTER)) {
		fprintf(stderr, "pptpkit bitflip: the change must change "
		    "something, and the message's length must differ from "
		    "the %zu- and %zu-byte messages around it\n",
		    strlen(BITFLIP_BEFORE), strlen(BITFLIP_AFTER));
		return 64;
	}
	pk_log_set_level(PK_LOG_WARN);
	if (bitflip_lab_run(&o, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit bitflip: %s\n", err);
		return 2;
	}
	if (json)
		print_json(&o, &r);
	else
		print_text(&o, &r);
	return r.ok ? 0 : 1;
}
