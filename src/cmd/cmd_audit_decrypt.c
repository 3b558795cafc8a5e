/*
 * cmd_audit_decrypt.c - `pptpkit decrypt`: the recorded sessions of a
 * capture decrypted with the user's password or NT hash (decrypt.h), the
 * inner IP packets written as a pcap, and what happened per direction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "audit/decrypt.h"
#include "audit/load.h"
#include "cmd/cmd_audit.h"
#include "cmd/cmd_audit_common.h"
#include "core/err.h"
#include "crypto/crypto.h"

struct decrypt_ctx {
	struct audit_decrypt *dec;
	struct audit_pcap_writer *w;
	const struct audit_cli *cli;
	uint64_t written;
};

static int
decrypt_frame(void *arg, const struct audit_cap *c,
    const struct audit_ppp_event *ev)
{
	struct decrypt_ctx *x = arg;
	struct audit_plain p;
	int r, keep = x->cli->n_sessions == 0;

	for (size_t s = 0; s < x->cli->n_sessions; s++)
		if (c->calls[ev->call].id == x->cli->sessions[s])
			keep = 1;
	if (!keep)
		return 0;
	if ((r = audit_decrypt_frame(x->dec, c, ev, &p)) < 0)
		return r;
	if (r == 1 && audit_pcap_write(x->w, p.ts_us, p.data, p.len) == 0)
		x->written++;
	return 0;
}

static void
decrypt_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit decrypt CAPTURE (--password-file F | --password P |\n"
	    "                      --nt-hash H)... -o OUT.pcap [--session N]\n"
	    "\n"
	    "Derives the MPPE keys of each session (RFC 3079) from its MS-CHAP\n"
	    "exchange and the user's password or NT hash, decrypts both\n"
	    "directions (40/56/128-bit, stateful or stateless, across lost\n"
	    "packets and coherency-count wraps) and writes the inner IP\n"
	    "packets as a pcap (raw IP) that tshark and Wireshark open.\n"
	    "Packets that were never encrypted are written too. Give several\n"
	    "credentials for several users.\n"
	    "\n"
	    "Exit status: 0 packets written, 1 nothing decrypted (for\n"
	    "example: the password does not fit any exchange), 64 usage.\n");
}

int
cmd_decrypt(int argc, char **argv)
{
	static struct audit_cred creds[AUDIT_CRED_MAX];
	struct audit_cli cli;
	struct decrypt_ctx x;
	struct audit_load l;
	const char *outp = NULL;
	char err[AUDIT_ERR_MAX + 64], mp[32];
	size_t n_creds = 0;
	int r, rc;

	audit_cli_init(&cli);
	memset(&x, 0, sizeof(x));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			decrypt_usage(stdout);
			return 0;
		}
		if ((strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
			outp = argv[++i];
			continue;
		}
		if ((r = audit_cli_cred(argc, argv, &i, creds, &n_creds)) == 0)
			continue;
		if (r < 0)
			return 64;
		if ((r = audit_cli_common(&cli, argc, argv, &i)) == 0)
			continue;
		if (r > 0)
			fprintf(stderr, "pptpkit decrypt: unknown option %s\n",
			    argv[i]);
		return 64;
	}
	if (cli.capture == NULL || outp == NULL || n_creds == 0) {
		decrypt_usage(stderr);
		return 64;
	}
	if (audit_decrypt_new(&x.dec, creds, n_creds) != 0 ||
	    audit_pcap_writer_open(outp, DLT_RAW, &x.w, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit decrypt: %s: %s\n", outp,
		    x.dec == NULL ? "out of memory" : err);
		audit_decrypt_free(x.dec);
		return 1;
	}
	crypto_wipe(creds, sizeof(creds));
	x.cli = &cli;
	r = audit_load_file(cli.capture, &cli.lim, cli.port, decrypt_frame,
	    &x, &l, err, sizeof(err));
	if (audit_pcap_writer_close(x.w) != 0 && r == 0) {
		snprintf(err, sizeof(err), "%s: write failed", outp);
		r = PK_ERR_SYS;
	}
	if (r != 0) {
		fprintf(stderr, "pptpkit decrypt: %s\n", err);
		audit_load_free(&l);
		audit_decrypt_free(x.dec);
		return 1;
	}
	for (size_t i = 0; i < l.cap.n_calls; i++) {
		const struct audit_call *call = &l.cap.calls[i];

		for (int d = 0; d < 2; d++) {
			struct audit_decrypt_stats st;
			long hs;
			int bits, sl;

			if (audit_decrypt_stats(x.dec, i, d, &st, &hs, &bits,
			    &sl) != 0 || (st.mppe == 0 && st.clear == 0))
				continue;
			printf("session %u %s: ", call->id, d == 0 ?
			    (call->roles_known ? "client->server" : "A->B") :
			    (call->roles_known ? "server->client" : "B->A"));
			if (st.mppe > 0 && hs < 0) {
				printf("%llu MPPE packets, no key: the "
				    "password fits no MS-CHAP exchange of this "
				    "session\n", (unsigned long long)st.mppe);
				continue;
			}
			if (st.mppe > 0) {
				snprintf(mp, sizeof(mp), "%d-%s", bits, sl ?
				    "stateless" : "stateful");
				printf("MPPE %s (keys of exchange %ld): %llu of "
				    "%llu packets decrypted, %llu key changes, "
				    "%llu resynchronised after a gap, %llu "
				    "failed, %llu duplicate, %llu late, %llu "
				    "not IP", bits ? mp : "?", hs,
				    (unsigned long long)st.decrypted,
				    (unsigned long long)st.mppe,
				    (unsigned long long)st.key_changes,
				    (unsigned long long)st.resync,
				    (unsigned long long)st.failed,
				    (unsigned long long)st.dup,
				    (unsigned long long)st.late,
				    (unsigned long long)st.other);
			}
			if (st.clear > 0)
				printf("%s%llu IP packets in clear",
				    st.mppe > 0 ? "; " : "",
				    (unsigned long long)st.clear);
			printf("\n");
		}
	}
	printf("%llu packets written to %s\n", (unsigned long long)x.written,
	    outp);
	if (l.warning[0])
		fprintf(stderr, "pptpkit decrypt: warning: %s\n", l.warning);
	rc = x.written > 0 ? 0 : 1;
	audit_load_free(&l);
	audit_decrypt_free(x.dec);
	return rc;
}
