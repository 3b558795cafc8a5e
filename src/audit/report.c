/*
 * report.c - the table and the JSON document of `pptpkit audit` (see
 * report.h). Everything a peer put on the wire is printed through
 * audit_sanitize(): a capture must not write terminal escapes.
 */
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>

#include "audit/export.h"
#include "audit/report.h"
#include "core/err.h"
#include "mppe/mppe.h"

#define SAFE_MAX (AUDIT_NAME_MAX * 4)

static uint64_t
dir_ip(const struct audit_dir *d)
{
	return d->ip_clear + d->ipv6_clear + d->vj + d->mppe;
}

/* "client"/"server" when the roles are known, else "A"/"B". */
static const char *
side_name(const struct audit_call *call, int d)
{
	if (call->roles_known)
		return d == 0 ? "client" : "server";
	return d == 0 ? "A" : "B";
}

static void
text_capture(FILE *out, const struct audit_report *r)
{
	const struct audit_dissect_stats *ds = r->ds;
	const struct audit_cap *c = r->cap;
	char dl[32];
	double secs = c->t_last > c->t_first ?
	    (double)(c->t_last - c->t_first) / 1e6 : 0;

	fprintf(out, "capture %s: %s, %" PRIu64 " frames, %" PRIu64
	    " PPTP control segments, %" PRIu64 " GRE packets, %.1f s\n",
	    r->file, audit_dlt_name(r->dlt, dl, sizeof(dl)), ds->frames,
	    ds->tcp_pptp, ds->gre_pptp, secs);
	if (ds->truncated || ds->bad_link || ds->bad_ip || ds->bad_tcp ||
	    ds->gre_bad || ds->frag_dropped)
		fprintf(out, "  damaged: %" PRIu64 " truncated by the snap "
		    "length, %" PRIu64 " malformed (link %" PRIu64 ", IPv4 %"
		    PRIu64 ", TCP %" PRIu64 ", GRE %" PRIu64 "), %" PRIu64
		    " incomplete IP fragments\n", ds->truncated,
		    ds->bad_link + ds->bad_ip + ds->bad_tcp + ds->gre_bad,
		    ds->bad_link, ds->bad_ip, ds->bad_tcp, ds->gre_bad,
		    ds->frag_dropped);
	if (r->read_warning != NULL)
		fprintf(out, "  warning: %s (the frames before it were "
		    "read)\n", r->read_warning);
}

static void
text_ctrls(FILE *out, const struct audit_cap *c)
{
	char a[16], b[16], host[SAFE_MAX], vendor[SAFE_MAX], ep[40], sp[40];

	if (c->n_ctrls == 0)
		return;
	fprintf(out, "\ncontrol connections\n");
	fprintf(out, "  %-4s %-21s %-21s %-5s %-5s %s\n", "ID", "CLIENT (PNS)",
	    "SERVER (PAC)", "MSGS", "CALLS", "SERVER SAYS");
	for (size_t i = 0; i < c->n_ctrls; i++) {
		const struct audit_ctrl *ctl = &c->ctrls[i];

		snprintf(ep, sizeof(ep), "%s:%u", audit_ip(ctl->ip[0], a),
		    ctl->port[0]);
		snprintf(sp, sizeof(sp), "%s:%u", audit_ip(ctl->ip[1], b),
		    ctl->port[1]);
		fprintf(out, "  %-4u %-21s %-21s %-5" PRIu64 " %-5u ",
		    ctl->id, ep, sp, ctl->msgs[0] + ctl->msgs[1],
		    ctl->n_calls);
		if (ctl->have_sccrp) {
			audit_sanitize(ctl->sccrp.host_name, host,
			    sizeof(host));
			audit_sanitize(ctl->sccrp.vendor, vendor,
			    sizeof(vendor));
			fprintf(out, "host \"%s\", vendor \"%s\", firmware "
			    "%u, version %u.%u\n", host, vendor,
			    ctl->sccrp.firmware_rev, ctl->sccrp.version >> 8,
			    ctl->sccrp.version & 0xff);
		} else {
			fprintf(out, "(no Start-Control-Connection-Reply)\n");
		}
		if (ctl->have_sccrq) {
			audit_sanitize(ctl->sccrq.host_name, host,
			    sizeof(host));
			audit_sanitize(ctl->sccrq.vendor, vendor,
			    sizeof(vendor));
			fprintf(out, "  %-4s client says: host \"%s\", vendor "
			    "\"%s\", firmware %u\n", "", host, vendor,
			    ctl->sccrq.firmware_rev);
		}
		if (ctl->tcp[0].gaps + ctl->tcp[1].gaps +
		    ctl->bad_msgs[0] + ctl->bad_msgs[1] > 0)
			fprintf(out, "  %-4s %" PRIu64 " TCP gaps, %" PRIu64
			    " retransmissions, %" PRIu64 " malformed "
			    "messages\n", "", ctl->tcp[0].gaps +
			    ctl->tcp[1].gaps, ctl->tcp[0].retrans +
			    ctl->tcp[1].retrans, ctl->bad_msgs[0] +
			    ctl->bad_msgs[1]);
	}
}

/* The user of a session: from its last exchange with a name. */
static const char *
call_user(const struct audit_cap *c, const struct audit_call *call)
{
	for (size_t k = call->n_hs; k-- > 0;)
		if (c->hs[call->hs[k]].user[0] != '\0')
			return c->hs[call->hs[k]].user;
	return "";
}

/* Overall result: success if any exchange succeeded. */
static int
call_result(const struct audit_cap *c, const struct audit_call *call)
{
	int res = AUDIT_RES_PENDING;

	for (size_t k = 0; k < call->n_hs; k++) {
		int x = c->hs[call->hs[k]].result;

		if (x == AUDIT_RES_SUCCESS)
			return x;
		if (x == AUDIT_RES_FAILURE)
			res = x;
	}
	return res;
}

static int
call_auth(const struct audit_cap *c, const struct audit_call *call)
{
	if (call->auth_known)
		return call->auth;
	return call->n_hs > 0 ? c->hs[call->hs[call->n_hs - 1]].method :
	    AUDIT_AUTH_NONE;
}

static void
text_sessions(FILE *out, const struct audit_cap *c)
{
	char a[16], b[16], user[SAFE_MAX], mp[32], pk[48];

	if (c->n_calls == 0)
		return;
	fprintf(out, "\nsessions\n");
	fprintf(out, "  %-4s %-5s %-15s %-15s %-16s %-9s %-9s %-14s %s\n",
	    "ID", "CTRL", "CLIENT", "SERVER", "USER", "AUTH", "RESULT",
	    "MPPE", "DATA PACKETS c>s/s>c");
	for (size_t i = 0; i < c->n_calls; i++) {
		const struct audit_call *call = &c->calls[i];
		char ctrl[12];

		audit_sanitize(call_user(c, call), user, sizeof(user));
		if (strlen(user) > 16)
			strcpy(user + 13, "...");
		if (call->ctrl >= 0)
			snprintf(ctrl, sizeof(ctrl), "%u",
			    c->ctrls[call->ctrl].id);
		else
			snprintf(ctrl, sizeof(ctrl), "-");
		snprintf(pk, sizeof(pk), "%" PRIu64 "/%" PRIu64,
		    dir_ip(&call->d[0]), dir_ip(&call->d[1]));
		fprintf(out, "  %-4u %-5s %-15s %-15s %-16s %-9s %-9s %-14s "
		    "%s\n", call->id, ctrl, audit_ip(call->ip[0], a),
		    audit_ip(call->ip[1], b), user,
		    audit_auth_name(call_auth(c, call)),
		    call->n_hs ? audit_result_name(call_result(c, call)) :
		    "-", audit_mppe_name(call->have_mppe, call->mppe_bits,
		    mp, sizeof(mp)), pk);
	}
}

static void
text_hs(FILE *out, const struct audit_cap *c)
{
	char user[SAFE_MAX], x[SAFE_MAX], y[SAFE_MAX], hex[2 * 255 + 1];

	if (c->n_hs == 0)
		return;
	fprintf(out, "\nauthentication exchanges\n");
	for (size_t k = 0; k < c->n_hs; k++) {
		const struct audit_hs *h = &c->hs[k];
		const struct audit_call *call = &c->calls[h->call];

		audit_sanitize(h->user, user, sizeof(user));
		fprintf(out, "  session %u: %s, user \"%s\", %s (%s "
		    "authenticates %s, id %u)\n", call->id,
		    audit_auth_name(h->method), user,
		    audit_result_name(h->result),
		    side_name(call, h->auth_dir),
		    side_name(call, 1 - h->auth_dir), h->id);
		if (h->method == AUDIT_AUTH_PAP) {
			audit_sanitize(h->password, x, sizeof(x));
			fprintf(out, "      password in clear: \"%s\"\n", x);
		}
		if (h->have_challenge) {
			audit_hex(h->challenge, h->challenge_len, 0, hex);
			audit_sanitize(h->auth_name, y, sizeof(y));
			fprintf(out, "      challenge      %s (from \"%s\")\n",
			    hex, y);
		}
		if (h->method == AUDIT_AUTH_MSCHAPV2 && h->have_response) {
			audit_hex(h->peer_challenge, 16, 0, hex);
			fprintf(out, "      peer challenge %s\n", hex);
		}
		if ((h->method == AUDIT_AUTH_MSCHAPV1 ||
		    h->method == AUDIT_AUTH_MSCHAPV2) && h->have_response) {
			audit_hex(h->nt_response, 24, 0, hex);
			fprintf(out, "      nt-response    %s\n", hex);
		} else if (h->have_response && h->method != AUDIT_AUTH_PAP) {
			audit_hex(h->response, h->response_len, 0, hex);
			fprintf(out, "      response       %s\n", hex);
		}
		if (h->have_des) {
			audit_hex(h->des_plain, 8, 0, hex);
			fprintf(out, "      DES plaintext  %s (%s)\n", hex,
			    h->method == AUDIT_AUTH_MSCHAPV2 ?
			    "ChallengeHash" : "the challenge");
		}
		if (h->message[0] != '\0') {
			audit_sanitize(h->message, x, sizeof(x));
			fprintf(out, "      %s message \"%s\"\n",
			    audit_result_name(h->result), x);
		}
	}
}

static void
text_findings(FILE *out, const struct audit_findings *f)
{
	fprintf(out, "\nfindings: %u critical, %u high, %u medium, %u low, "
	    "%u info\n", f->count[AUDIT_SEV_CRITICAL], f->count[AUDIT_SEV_HIGH],
	    f->count[AUDIT_SEV_MEDIUM], f->count[AUDIT_SEV_LOW],
	    f->count[AUDIT_SEV_INFO]);
	for (size_t i = 0; i < f->n; i++) {
		const struct audit_finding *x = &f->v[i];
		char where[24];

		if (x->session)
			snprintf(where, sizeof(where), "session %u",
			    x->session);
		else if (x->ctrl)
			snprintf(where, sizeof(where), "control %u", x->ctrl);
		else
			snprintf(where, sizeof(where), "capture");
		fprintf(out, "  %-8s %-11s %s: %s\n",
		    audit_sev_name(x->severity), where, x->code, x->text);
	}
}

void
audit_report_text(FILE *out, const struct audit_report *r)
{
	text_capture(out, r);
	text_ctrls(out, r->cap);
	text_sessions(out, r->cap);
	text_hs(out, r->cap);
	text_findings(out, r->fnd);
	if (r->cap->n_calls == 0 && r->cap->n_ctrls == 0)
		fprintf(out, "\nno PPTP in this capture (TCP port %u, GRE "
		    "version 1)\n", r->cap->pptp_port);
}

/* --- JSON --------------------------------------------------------------- */

static json_object *
jstr(const char *s)
{
	char safe[SAFE_MAX];

	audit_sanitize(s, safe, sizeof(safe));
	return json_object_new_string(safe);
}

static json_object *
jhex(const uint8_t *p, size_t n)
{
	char hex[2 * 255 + 1];

	audit_hex(p, n, 0, hex);
	return json_object_new_string(hex);
}

static json_object *
jip(uint32_t ip)
{
	char b[16];

	return json_object_new_string(audit_ip(ip, b));
}

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define JU(v) json_object_new_int64((int64_t)(v))

static json_object *
json_capture(const struct audit_report *r)
{
	const struct audit_dissect_stats *ds = r->ds;
	json_object *o = json_object_new_object();
	char dl[32];

	ADD(o, "file", jstr(r->file));
	ADD(o, "link", json_object_new_string(audit_dlt_name(r->dlt, dl,
	    sizeof(dl))));
	ADD(o, "frames", JU(ds->frames));
	ADD(o, "pptp_control_segments", JU(ds->tcp_pptp));
	ADD(o, "gre_packets", JU(ds->gre_pptp));
	ADD(o, "truncated", JU(ds->truncated));
	ADD(o, "malformed", JU(ds->bad_link + ds->bad_ip + ds->bad_tcp +
	    ds->gre_bad));
	ADD(o, "ip_fragments", JU(ds->fragments));
	ADD(o, "ip_reassembled", JU(ds->reassembled));
	ADD(o, "start_us", JU(r->cap->t_first));
	ADD(o, "end_us", JU(r->cap->t_last));
	if (r->read_warning != NULL)
		ADD(o, "warning", jstr(r->read_warning));
	return o;
}

static json_object *
json_ctrl(const struct audit_ctrl *ctl)
{
	json_object *o = json_object_new_object(), *s;

	ADD(o, "id", JU(ctl->id));
	ADD(o, "client", jip(ctl->ip[0]));
	ADD(o, "client_port", JU(ctl->port[0]));
	ADD(o, "server", jip(ctl->ip[1]));
	ADD(o, "server_port", JU(ctl->port[1]));
	ADD(o, "messages", JU(ctl->msgs[0] + ctl->msgs[1]));
	ADD(o, "malformed_messages", JU(ctl->bad_msgs[0] + ctl->bad_msgs[1]));
	ADD(o, "tcp_gaps", JU(ctl->tcp[0].gaps + ctl->tcp[1].gaps));
	ADD(o, "tcp_retransmissions", JU(ctl->tcp[0].retrans +
	    ctl->tcp[1].retrans));
	ADD(o, "calls", JU(ctl->n_calls));
	for (int k = 0; k < 2; k++) {
		const struct pptp_start *st = k ? &ctl->sccrp : &ctl->sccrq;

		if (!(k ? ctl->have_sccrp : ctl->have_sccrq))
			continue;
		s = json_object_new_object();
		ADD(s, "version", JU(st->version));
		if (k)
			ADD(s, "result", JU(st->result));
		ADD(s, "framing_capabilities", JU(st->framing_caps));
		ADD(s, "bearer_capabilities", JU(st->bearer_caps));
		ADD(s, "max_channels", JU(st->max_channels));
		ADD(s, "firmware", JU(st->firmware_rev));
		ADD(s, "host_name", jstr(st->host_name));
		ADD(s, "vendor", jstr(st->vendor));
		ADD(o, k ? "server_says" : "client_says", s);
	}
	return o;
}

static json_object *
json_hs(const struct audit_hs *h, size_t k)
{
	json_object *o = json_object_new_object();

	ADD(o, "index", JU(k));
	ADD(o, "method", json_object_new_string(audit_auth_name(h->method)));
	ADD(o, "identifier", JU(h->id));
	ADD(o, "user", jstr(h->user));
	ADD(o, "result", json_object_new_string(audit_result_name(h->result)));
	if (h->method == AUDIT_AUTH_PAP)
		ADD(o, "password", jstr(h->password));
	if (h->have_challenge) {
		ADD(o, "challenge", jhex(h->challenge, h->challenge_len));
		ADD(o, "authenticator_name", jstr(h->auth_name));
	}
	if (h->have_response && h->method != AUDIT_AUTH_PAP)
		ADD(o, "response", jhex(h->response, h->response_len));
	if (h->method == AUDIT_AUTH_MSCHAPV2 && h->have_response)
		ADD(o, "peer_challenge", jhex(h->peer_challenge, 16));
	if ((h->method == AUDIT_AUTH_MSCHAPV1 ||
	    h->method == AUDIT_AUTH_MSCHAPV2) && h->have_response)
		ADD(o, "nt_response", jhex(h->nt_response, 24));
	if (h->have_des)
		ADD(o, "des_plaintext", jhex(h->des_plain, 8));
	if (h->message[0] != '\0')
		ADD(o, "message", jstr(h->message));
	if (h->ms_error)
		ADD(o, "error", JU(h->ms_error));
	return o;
}

static json_object *
json_dir(const struct audit_dir *d)
{
	json_object *o = json_object_new_object();

	ADD(o, "gre_packets", JU(d->gre_packets));
	ADD(o, "gre_lost", JU(d->seq_lost));
	ADD(o, "ppp_frames", JU(d->frames));
	ADD(o, "ip_clear", JU(d->ip_clear + d->ipv6_clear + d->vj));
	ADD(o, "mppe_packets", JU(d->mppe));
	ADD(o, "mppe_flushed", JU(d->mppe_flushed));
	ADD(o, "mppe_count_missing", JU(d->ccount_missing));
	ADD(o, "ccp_reset_requests", JU(d->ccp_reset_req));
	if (d->ipcp_acked)
		ADD(o, "address", jip(d->ipcp_addr));
	if (d->term_reason[0] != '\0')
		ADD(o, "terminate_reason", jstr(d->term_reason));
	return o;
}

static json_object *
json_call(const struct audit_cap *c, const struct audit_call *call)
{
	json_object *o = json_object_new_object(), *a, *m;
	char mp[32];

	ADD(o, "id", JU(call->id));
	ADD(o, "control", call->ctrl >= 0 ?
	    JU(c->ctrls[call->ctrl].id) : NULL);
	ADD(o, "roles_known", json_object_new_boolean(call->roles_known));
	ADD(o, "client", jip(call->ip[0]));
	ADD(o, "server", jip(call->ip[1]));
	if (call->key_known[0])
		ADD(o, "server_call_id", JU(call->key[0]));
	if (call->key_known[1])
		ADD(o, "client_call_id", JU(call->key[1]));
	ADD(o, "user", jstr(call_user(c, call)));
	ADD(o, "auth", json_object_new_string(audit_auth_name(call_auth(c,
	    call))));
	ADD(o, "result", call->n_hs ? json_object_new_string(
	    audit_result_name(call_result(c, call))) : NULL);
	m = json_object_new_object();
	ADD(m, "negotiated", json_object_new_boolean(call->have_mppe));
	ADD(m, "mode", json_object_new_string(audit_mppe_name(call->have_mppe,
	    call->mppe_bits, mp, sizeof(mp))));
	if (call->have_mppe) {
		ADD(m, "bits", JU(audit_mppe_key_bits(call->mppe_bits)));
		ADD(m, "stateless", json_object_new_boolean(
		    (call->mppe_bits & MPPE_SB_H) != 0));
		ADD(m, "supported_bits", JU(call->mppe_bits));
	}
	ADD(o, "mppe", m);
	ADD(o, "start_us", JU(call->t_first));
	ADD(o, "end_us", JU(call->t_last));
	ADD(o, "client_to_server", json_dir(&call->d[0]));
	ADD(o, "server_to_client", json_dir(&call->d[1]));
	a = json_object_new_array();
	for (size_t k = 0; k < call->n_hs; k++)
		json_object_array_add(a, json_hs(&c->hs[call->hs[k]],
		    call->hs[k]));
	ADD(o, "exchanges", a);
	return o;
}

int
audit_report_json(FILE *out, const struct audit_report *r)
{
	json_object *root = json_object_new_object(), *a, *x;
	const struct audit_cap *c = r->cap;

	if (root == NULL)
		return PK_ERR_NOMEM;
	ADD(root, "capture", json_capture(r));
	a = json_object_new_array();
	for (size_t i = 0; i < c->n_ctrls; i++)
		json_object_array_add(a, json_ctrl(&c->ctrls[i]));
	ADD(root, "control_connections", a);
	a = json_object_new_array();
	for (size_t i = 0; i < c->n_calls; i++)
		json_object_array_add(a, json_call(c, &c->calls[i]));
	ADD(root, "sessions", a);
	a = json_object_new_array();
	for (size_t i = 0; i < r->fnd->n; i++) {
		const struct audit_finding *f = &r->fnd->v[i];

		x = json_object_new_object();
		ADD(x, "severity", json_object_new_string(
		    audit_sev_name(f->severity)));
		ADD(x, "code", json_object_new_string(f->code));
		ADD(x, "session", f->session ? JU(f->session) : NULL);
		ADD(x, "control", f->ctrl ? JU(f->ctrl) : NULL);
		ADD(x, "exchange", f->hs >= 0 ? JU(f->hs) : NULL);
		ADD(x, "text", json_object_new_string(f->text));
		json_object_array_add(a, x);
	}
	ADD(root, "findings", a);
	fprintf(out, "%s\n", json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return PK_OK;
}
