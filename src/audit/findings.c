/*
 * findings.c - the weaknesses a capture shows (see findings.h), each
 * stated with the reason it matters. The reasons are the known results:
 * PAP in clear (RFC 1334 §2), CHAP-MD5's offline guessing (RFC 1994 §5),
 * MS-CHAP's DES construction (K3 in 2^16, K1/K2 in one 2^56 sweep:
 * Schneier-Mudge-Wagner 1999, Marlinspike-Hulton 2012), MPPE keys that
 * follow from the password alone (RFC 3079 §3.4), MPPE without integrity
 * (RFC 3078 §3: no MAC), 40/56-bit keys (RFC 3079 §3.1-§3.2), and
 * MS-CHAPv1's one key for both directions (RFC 3079 §2.4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/findings.h"
#include "core/err.h"
#include "mppe/mppe.h"

const char *
audit_sev_name(int sev)
{
	static const char *names[] = { "info", "low", "medium", "high",
	    "critical" };

	return sev >= 0 && sev <= AUDIT_SEV_CRITICAL ? names[sev] : "?";
}

void
audit_sanitize(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	if (cap == 0)
		return;
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"') {
			if (o + 1 >= cap)
				break;
			out[o++] = (char)ch;
		} else {
			if (o + 4 >= cap)
				break;
			snprintf(out + o, cap - o, "\\x%02x", ch);
			o += 4;
		}
	}
	out[o] = '\0';
}

const char *
audit_ip(uint32_t ip, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
	    (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

static int
add(struct audit_findings *f, int sev, const char *code, unsigned session,
    unsigned ctrl, long hs, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int
add(struct audit_findings *f, int sev, const char *code, unsigned session,
    unsigned ctrl, long hs, const char *fmt, ...)
{
	struct audit_finding *x;
	va_list ap;

	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 32;
		struct audit_finding *nv = realloc(f->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return PK_ERR_NOMEM;
		f->v = nv;
		f->cap = ncap;
	}
	x = &f->v[f->n++];
	x->severity = sev;
	x->code = code;
	x->session = session;
	x->ctrl = ctrl;
	x->hs = hs;
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof(x->text), fmt, ap);
	va_end(ap);
	f->count[sev]++;
	return PK_OK;
}

static int
is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Findings about one exchange. */
static int
eval_hs(const struct audit_cap *c, size_t k, struct audit_findings *f)
{
	const struct audit_hs *h = &c->hs[k];
	unsigned sid = c->calls[h->call].id;
	char user[AUDIT_NAME_MAX * 4], pw[AUDIT_NAME_MAX * 4];
	int r = PK_OK;

	audit_sanitize(h->user, user, sizeof(user));
	switch (h->method) {
	case AUDIT_AUTH_PAP:
		audit_sanitize(h->password, pw, sizeof(pw));
		r = add(f, AUDIT_SEV_CRITICAL, "pap-cleartext", sid, 0,
		    (long)k, "PAP sent user \"%s\"'s password in clear "
		    "(\"%s\"): anyone who sees this traffic can log in as "
		    "that user.", user, pw);
		break;
	case AUDIT_AUTH_CHAP_MD5:
		if (!h->have_challenge || !h->have_response)
			break;
		r = add(f, AUDIT_SEV_HIGH, "chap-md5-offline", sid, 0, (long)k,
		    "CHAP-MD5 exchange of user \"%s\": the challenge and "
		    "response on the wire allow an offline dictionary attack "
		    "(pptpkit crack, hashcat -m 4800), and the server must "
		    "store the password in clear to check it.", user);
		break;
	case AUDIT_AUTH_MSCHAPV1:
		if (!h->have_response)
			break;
		r = add(f, AUDIT_SEV_CRITICAL, "mschapv1-des", sid, 0, (long)k,
		    "MS-CHAPv1 exchange of user \"%s\": the response is three "
		    "DES encryptions of the NT hash under a known challenge, "
		    "so a dictionary attack (hashcat -m 5500) or one 2^56 DES "
		    "search recovers the NT hash, which logs in as the user.",
		    user);
		if (r == PK_OK && !is_zero(h->lm_response, 24))
			r = add(f, AUDIT_SEV_CRITICAL, "mschapv1-lm", sid, 0,
			    (long)k, "MS-CHAPv1 exchange of user \"%s\" "
			    "carries an LM response: the LM hash (password "
			    "upper-cased, two independent 7-character halves) "
			    "falls to brute force in minutes.", user);
		break;
	case AUDIT_AUTH_MSCHAPV2:
		if (!h->have_response)
			break;
		r = add(f, AUDIT_SEV_CRITICAL, "mschapv2-des", sid, 0, (long)k,
		    "MS-CHAPv2 exchange of user \"%s\": the NT-response is "
		    "three DES encryptions of the NT hash under a plaintext "
		    "on the wire, so one 2^56 DES search (hashcat -m 14000, "
		    "pptpkit export --format crack.sh) recovers the NT hash "
		    "whatever the password, and dictionary guesses cost one "
		    "MD4 each (hashcat -m 5500).", user);
		break;
	}
	if (r != PK_OK)
		return r;
	if (h->result == AUDIT_RES_FAILURE) {
		char msg[AUDIT_MSG_MAX * 4];

		audit_sanitize(h->message, msg, sizeof(msg));
		r = add(f, AUDIT_SEV_MEDIUM, "auth-failed", sid, 0, (long)k,
		    "failed login of user \"%s\" (%s%s%s): a wrong password "
		    "was tried%s.", user, audit_auth_name(h->method),
		    msg[0] ? ": " : "", msg,
		    h->method == AUDIT_AUTH_PAP ? ", and sent in clear" :
		    ", and its exchange still lets anyone test guesses "
		    "offline");
	} else if (h->result == AUDIT_RES_PENDING &&
	    (!h->have_challenge || !h->have_response) &&
	    h->method != AUDIT_AUTH_PAP) {
		r = add(f, AUDIT_SEV_INFO, "auth-incomplete", sid, 0, (long)k,
		    "%s exchange (Identifier %u) is incomplete in the "
		    "capture: %s.", audit_auth_name(h->method), h->id,
		    !h->have_challenge ? "its challenge is missing" :
		    "no response");
	}
	return r;
}

static uint64_t
sum_dir(const struct audit_call *call, size_t off)
{
	uint64_t a, b;

	memcpy(&a, (const uint8_t *)&call->d[0] + off, sizeof(a));
	memcpy(&b, (const uint8_t *)&call->d[1] + off, sizeof(b));
	return a + b;
}

/* The MS-CHAP exchange whose keys MPPE uses: the last successful one. */
static const struct audit_hs *
key_hs(const struct audit_cap *c, const struct audit_call *call)
{
	for (size_t k = call->n_hs; k-- > 0;) {
		const struct audit_hs *h = &c->hs[call->hs[k]];

		if (h->result == AUDIT_RES_SUCCESS)
			return h;
	}
	return NULL;
}

static int
eval_call(const struct audit_cap *c, size_t i, struct audit_findings *f)
{
	const struct audit_call *call = &c->calls[i];
	const struct audit_hs *kh = key_hs(c, call);
	uint64_t clear = sum_dir(call, offsetof(struct audit_dir, ip_clear)) +
	    sum_dir(call, offsetof(struct audit_dir, ipv6_clear)) +
	    sum_dir(call, offsetof(struct audit_dir, vj));
	uint64_t mppe = sum_dir(call, offsetof(struct audit_dir, mppe));
	uint64_t frames = sum_dir(call, offsetof(struct audit_dir, frames));
	int kb = call->have_mppe ? audit_mppe_key_bits(call->mppe_bits) : 0;
	int r = PK_OK;

	for (size_t k = 0; k < call->n_hs && r == PK_OK; k++)
		r = eval_hs(c, call->hs[k], f);
	if (r != PK_OK)
		return r;
	if (call->auth_known && call->auth == AUDIT_AUTH_NONE &&
	    call->n_hs == 0 && (r = add(f, AUDIT_SEV_CRITICAL, "auth-none",
	    call->id, 0, -1, "the PPP link was agreed without "
	    "authentication: anyone who can reach the server gets a "
	    "session.")) != 0)
		return r;
	if (clear > 0 && (r = add(f, AUDIT_SEV_CRITICAL, "mppe-none",
	    call->id, 0, -1, "no encryption: %llu IP packets crossed the "
	    "tunnel in clear, readable by anyone on the path.",
	    (unsigned long long)clear)) != 0)
		return r;
	if (clear == 0 && mppe == 0 && frames > 0 && !call->have_mppe &&
	    call->n_hs > 0 && (r = add(f, AUDIT_SEV_INFO, "mppe-unknown",
	    call->id, 0, -1, "no MPPE was negotiated and no data packet was "
	    "captured: the session's data, if any, would be in clear.")) != 0)
		return r;
	if (kb == 0 && mppe == 0)
		return PK_OK;
	if (kb == 40)
		r = add(f, AUDIT_SEV_CRITICAL, "mppe-40", call->id, 0, -1,
		    "40-bit MPPE: the RC4 key's first three bytes are always "
		    "D1 26 9E (RFC 3079 §3.1), leaving 2^40 keys, searched in "
		    "hours on one GPU.");
	else if (kb == 56)
		r = add(f, AUDIT_SEV_HIGH, "mppe-56", call->id, 0, -1,
		    "56-bit MPPE: the RC4 key's first byte is always D1 (RFC "
		    "3079 §3.2), leaving 2^56 keys, within reach of one "
		    "exhaustive search.");
	if (r != PK_OK)
		return r;
	if (kh != NULL && (kh->method == AUDIT_AUTH_MSCHAPV1 ||
	    kh->method == AUDIT_AUTH_MSCHAPV2) && (r = add(f, AUDIT_SEV_HIGH,
	    "mppe-keys-from-password", call->id, 0, -1, "every MPPE key of "
	    "this session follows from the NT hash and values on the wire "
	    "(RFC 3079): whoever cracks the %s exchange decrypts the whole "
	    "recorded session (pptpkit decrypt); there is no forward "
	    "secrecy.", audit_auth_name(kh->method))) != 0)
		return r;
	if (kh != NULL && kh->method == AUDIT_AUTH_MSCHAPV1 &&
	    (r = add(f, AUDIT_SEV_HIGH, "mppe-same-key", call->id, 0, -1,
	    "MS-CHAPv1 gives MPPE one key for both directions (RFC 3079 "
	    "§2.4): packets with the same coherency count in each direction "
	    "share their RC4 key stream, so XORing them gives the XOR of "
	    "the plaintexts.")) != 0)
		return r;
	if (call->have_mppe && !(call->mppe_bits & MPPE_SB_H) &&
	    (r = add(f, AUDIT_SEV_MEDIUM, "mppe-stateful", call->id, 0, -1,
	    "stateful MPPE: the RC4 key changes only every 256 packets and "
	    "one lost packet stalls the stream until a CCP reset, which "
	    "anyone on the path can forge (RFC 3078 §8.2).")) != 0)
		return r;
	return add(f, AUDIT_SEV_MEDIUM, "mppe-no-integrity", call->id, 0, -1,
	    "MPPE has no integrity check (RFC 3078 §3: a count and RC4 "
	    "output, no MAC): flipping a ciphertext bit flips the same "
	    "plaintext bit, undetected (pptpkit bitflip).");
}

static int
eval_ctrl(const struct audit_cap *c, size_t i, struct audit_findings *f)
{
	const struct audit_ctrl *ctl = &c->ctrls[i];
	char host[PPTP_HOSTNAME_LEN * 4 + 1], vendor[PPTP_VENDOR_LEN * 4 + 1];

	if (!ctl->have_sccrp && !ctl->have_sccrq)
		return PK_OK;
	audit_sanitize(ctl->have_sccrp ? ctl->sccrp.host_name :
	    ctl->sccrq.host_name, host, sizeof(host));
	audit_sanitize(ctl->have_sccrp ? ctl->sccrp.vendor :
	    ctl->sccrq.vendor, vendor, sizeof(vendor));
	return add(f, AUDIT_SEV_LOW, "pptp-control-clear", 0, ctl->id, -1,
	    "the PPTP control connection is neither authenticated nor "
	    "encrypted: it shows host \"%s\", vendor \"%s\" and the call "
	    "IDs, and anyone on the path can end its calls with a forged "
	    "Call-Clear-Request.", host, vendor);
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct audit_finding *x = a, *y = b;

	if (x->session != y->session)
		return x->session < y->session ? -1 : 1;
	if (x->ctrl != y->ctrl)
		return x->ctrl < y->ctrl ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return x->hs < y->hs ? -1 : x->hs > y->hs;
}

int
audit_findings_eval(const struct audit_cap *c,
    const struct audit_dissect_stats *ds, struct audit_findings *f)
{
	uint64_t lost = 0;
	int r = PK_OK;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < c->n_ctrls && r == PK_OK; i++)
		r = eval_ctrl(c, i, f);
	for (size_t i = 0; i < c->n_calls && r == PK_OK; i++) {
		r = eval_call(c, i, f);
		lost += c->calls[i].d[0].seq_lost + c->calls[i].d[1].seq_lost;
	}
	if (r == PK_OK && lost > 0)
		r = add(f, AUDIT_SEV_INFO, "capture-gaps", 0, 0, -1,
		    "%llu GRE data packets are missing from the capture "
		    "(gaps in the GRE sequence numbers): lost on the network "
		    "or by the capture.", (unsigned long long)lost);
	if (r == PK_OK && ds != NULL && ds->truncated > 0)
		r = add(f, AUDIT_SEV_INFO, "capture-truncated", 0, 0, -1,
		    "%llu frames were cut short by the capture's snap "
		    "length; capture with -s 0 to see whole packets.",
		    (unsigned long long)ds->truncated);
	if (r == PK_OK && (c->ctrls_dropped || c->calls_dropped ||
	    c->hs_dropped))
		r = add(f, AUDIT_SEV_INFO, "limits-hit", 0, 0, -1,
		    "limits reached: %llu control connections, %llu calls "
		    "and %llu exchanges were not tracked (--max-* options).",
		    (unsigned long long)c->ctrls_dropped,
		    (unsigned long long)c->calls_dropped,
		    (unsigned long long)c->hs_dropped);
	if (r != PK_OK) {
		audit_findings_free(f);
		return r;
	}
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_finding);
	return PK_OK;
}

void
audit_findings_free(struct audit_findings *f)
{
	if (f == NULL)
		return;
	free(f->v);
	memset(f, 0, sizeof(*f));
}
