/*
 * scan_output.c - the table and the JSON of `pptpkit scan` (see
 * scan_output.h). Every text a server sent is made printable before it
 * is shown; JSON carries it the same way.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "audit/scan_output.h"
#include "pptp/pptp_proto.h"

struct tally {
	size_t pptp, open, closed, timeout, unreachable, error, pending;
};

static void
count(const struct scan_results *res, struct tally *t)
{
	struct scan_report rep;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < res->n; i++) {
		scan_slot_report(&res->slots[i], &rep);
		switch (rep.tcp) {
		case SCAN_TCP_OPEN:
			if (scan_report_is_pptp(&rep))
				t->pptp++;
			else
				t->open++;
			break;
		case SCAN_TCP_REFUSED:
			t->closed++;
			break;
		case SCAN_TCP_TIMEOUT:
			t->timeout++;
			break;
		case SCAN_TCP_UNREACHABLE:
			t->unreachable++;
			break;
		case SCAN_TCP_ERROR:
			t->error++;
			break;
		default:
			t->pending++;
			break;
		}
	}
}

/* Printable hex and text of the first bytes a non-PPTP port sent. */
static void
head_text(const struct scan_reply *r, char *hex, size_t hexlen, char *txt,
    size_t txtlen)
{
	size_t n = 0, k = 0;

	hex[0] = txt[0] = '\0';
	for (size_t i = 0; i < r->head_len && n + 3 <= hexlen; i++)
		n += (size_t)snprintf(hex + n, hexlen - n, "%02x", r->head[i]);
	for (size_t i = 0; i < r->head_len && k + 1 < txtlen; i++)
		txt[k++] = (r->head[i] >= 0x20 && r->head[i] < 0x7f) ?
		    (char)r->head[i] : '.';
	txt[k] = '\0';
}

static void
method_list(const struct scan_report *rep, int verdict, char *buf,
    size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int m = 0; m < SCAN_METHODS; m++)
		if (rep->verdict[m] == verdict && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? ", " : "", scan_method_name(m));
	if (n == 0)
		snprintf(buf, len, "none");
}

static const char *
deep_state_name(int s)
{
	static const char *const names[] = {
		"off", "running", "done", "no-authentication", "failed",
		"skipped",
	};

	return s >= 0 && (size_t)s < sizeof(names) / sizeof(names[0]) ?
	    names[s] : "?";
}

static const char *
verdict_name(int v)
{
	static const char *const names[] = {
		"untested", "accepted", "refused", "error",
	};

	return v >= 0 && v <= SCAN_V_ERROR ? names[v] : "?";
}

/* ---- table ---------------------------------------------------------- */

static void
table_row(FILE *f, const struct scan_report *rep)
{
	const struct pptp_start *s = &rep->reply.start;
	char a[INET_ADDRSTRLEN], target[32], result[40], fr[32], br[32];
	char host[PPTP_HOSTNAME_LEN + 1], vendor[PPTP_VENDOR_LEN + 1];
	char hex[2 * SCAN_REPLY_HEAD_MAX + 1], txt[SCAN_REPLY_HEAD_MAX + 1];
	char ver[16];

	inet_ntop(AF_INET, &rep->addr, a, sizeof(a));
	snprintf(target, sizeof(target), "%s:%u", a, rep->port);
	if (rep->reply.kind != SCAN_REPLY_SCCRP) {
		const char *why = rep->tcp == SCAN_TCP_OPEN ?
		    scan_reply_kind_name(rep->reply.kind) : rep->tcp_error;

		if (rep->tcp == SCAN_TCP_TIMEOUT)
			why = "no answer within the timeout";
		else if (rep->tcp == SCAN_TCP_REFUSED)
			why = "connection refused";
		else if (rep->tcp == SCAN_TCP_PENDING)
			why = "not scanned (interrupted)";
		if (rep->tcp == SCAN_TCP_OPEN && rep->reply.head_len > 0) {
			head_text(&rep->reply, hex, sizeof(hex), txt,
			    sizeof(txt));
			fprintf(f, "%-21s  %-7s  %s: \"%s\"\n", target,
			    scan_report_state(rep), why, txt);
		} else
			fprintf(f, "%-21s  %-7s  %s%s\n", target,
			    scan_report_state(rep), why != NULL ? why : "",
			    rep->reply_timed_out ? " (no answer in time)" : "");
		return;
	}
	scan_printable(host, sizeof(host), s->host_name);
	scan_printable(vendor, sizeof(vendor), s->vendor);
	snprintf(result, sizeof(result), "%u %s", s->result,
	    pptp_result_name(PPTP_SCCRP, s->result));
	scan_framing_names(s->framing_caps, fr, sizeof(fr));
	scan_bearer_names(s->bearer_caps, br, sizeof(br));
	snprintf(ver, sizeof(ver), "%u.%u", s->version >> 8, s->version & 0xff);
	fprintf(f, "%-21s  %-7s  %-15s  %-4s  %-11s  %-15s  %-8u  %-16s  %s\n",
	    target, scan_report_state(rep), result, ver, fr, br,
	    s->firmware_rev, host[0] ? host : "-", vendor[0] ? vendor : "-");
}

static void
table_details(FILE *f, const struct scan_report *rep)
{
	struct scan_finding fnd[SCAN_FINDINGS_MAX];
	char acc[96], ref[96], err[96];
	size_t n;

	if (rep->deep != SCAN_DEEP_OFF && rep->deep != SCAN_DEEP_SKIPPED) {
		method_list(rep, SCAN_V_ACCEPTED, acc, sizeof(acc));
		method_list(rep, SCAN_V_REFUSED, ref, sizeof(ref));
		method_list(rep, SCAN_V_ERROR, err, sizeof(err));
		if (rep->deep == SCAN_DEEP_NO_AUTH)
			fprintf(f, "    auth: the server asks for NO "
			    "authentication\n");
		else
			fprintf(f, "    auth: offered %s; accepts %s; refuses "
			    "%s%s%s\n", rep->offered_known ?
			    scan_method_name(rep->offered) : "?", acc, ref,
			    strcmp(err, "none") ? "; unknown " : "",
			    strcmp(err, "none") ? err : "");
		if (rep->deep == SCAN_DEEP_FAILED)
			fprintf(f, "    deep scan incomplete: %s\n",
			    rep->deep_note);
	}
	n = scan_findings(rep, fnd, SCAN_FINDINGS_MAX);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "    %-8s  %-18s  %s\n",
		    scan_severity_name(fnd[i].severity), fnd[i].id,
		    fnd[i].why);
}

void
scan_output_table(FILE *f, const struct scan_results *res,
    const struct scan_output_options *o)
{
	struct scan_report rep;
	struct tally t;

	count(res, &t);
	fprintf(f, "%-21s  %-7s  %-15s  %-4s  %-11s  %-15s  %-8s  %-16s  %s\n",
	    "TARGET", "STATE", "RESULT", "VER", "FRAMING", "BEARER",
	    "FIRMWARE", "HOST NAME", "VENDOR");
	for (size_t i = 0; i < res->n; i++) {
		scan_slot_report(&res->slots[i], &rep);
		if (!o->all && rep.tcp != SCAN_TCP_OPEN)
			continue;
		table_row(f, &rep);
		if (scan_report_is_pptp(&rep))
			table_details(f, &rep);
	}
	fprintf(f, "%zu target%s: %zu PPTP, %zu open (not PPTP), %zu closed, "
	    "%zu no answer, %zu unreachable, %zu error%s%s; %llu.%03llu s\n",
	    res->n, res->n == 1 ? "" : "s", t.pptp, t.open, t.closed,
	    t.timeout, t.unreachable, t.error,
	    t.pending ? ", not scanned: " : "",
	    t.pending ? "some (interrupted)" : "",
	    (unsigned long long)(res->duration_ms / 1000),
	    (unsigned long long)(res->duration_ms % 1000));
}

/* ---- JSON ----------------------------------------------------------- */

static void
put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void
put_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void
put_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v != 0));
}

static json_object *
reply_json(const struct scan_report *rep)
{
	const struct scan_reply *r = &rep->reply;
	const struct pptp_start *s = &r->start;
	json_object *o = json_object_new_object();
	char hex[2 * SCAN_REPLY_HEAD_MAX + 1], txt[SCAN_REPLY_HEAD_MAX + 1];
	char buf[PPTP_VENDOR_LEN + 1];
	const char *hint;

	put_str(o, "kind", scan_reply_kind_name(r->kind));
	put_int(o, "bytes", (int64_t)r->got);
	put_bool(o, "timed_out", rep->reply_timed_out);
	put_int(o, "rtt_ms", (int64_t)rep->rtt_ms);
	if (r->kind == SCAN_REPLY_SCCRP || r->kind == SCAN_REPLY_OTHER_MSG)
		put_str(o, "message", pptp_msg_name(r->ctrl_type));
	if (r->kind == SCAN_REPLY_OTHER_MSG && r->ctrl_type == PPTP_STOPCCRQ) {
		put_int(o, "stop_reason_code", r->stop_reason);
		put_str(o, "stop_reason", pptp_stop_reason_name(r->stop_reason));
	}
	if (r->kind != SCAN_REPLY_SCCRP) {
		head_text(r, hex, sizeof(hex), txt, sizeof(txt));
		put_str(o, "head_hex", hex);
		put_str(o, "head_text", txt);
		if (r->got >= 8) {
			snprintf(buf, sizeof(buf), "0x%08x", r->magic);
			put_str(o, "magic_cookie", buf);
		}
		return o;
	}
	put_int(o, "result_code", s->result);
	put_str(o, "result", pptp_result_name(PPTP_SCCRP, s->result));
	put_int(o, "error_code", s->error);
	put_str(o, "error", pptp_general_error_name(s->error));
	snprintf(buf, sizeof(buf), "%u.%u", s->version >> 8, s->version & 0xff);
	put_str(o, "protocol_version", buf);
	put_bool(o, "version_ok", r->version_ok);
	put_int(o, "framing_capabilities", s->framing_caps);
	scan_framing_names(s->framing_caps, buf, sizeof(buf));
	put_str(o, "framing", buf);
	put_int(o, "bearer_capabilities", s->bearer_caps);
	scan_bearer_names(s->bearer_caps, buf, sizeof(buf));
	put_str(o, "bearer", buf);
	put_int(o, "max_channels", s->max_channels);
	put_int(o, "firmware_revision", s->firmware_rev);
	hint = scan_firmware_hint(s->vendor, s->firmware_rev);
	json_object_object_add(o, "firmware_hint", hint ?
	    json_object_new_string(hint) : NULL);
	scan_printable(buf, sizeof(buf), s->host_name);
	put_str(o, "host_name", buf);
	scan_printable(buf, sizeof(buf), s->vendor);
	put_str(o, "vendor", buf);
	return o;
}

static json_object *
deep_json(const struct scan_report *rep)
{
	json_object *o = json_object_new_object(), *methods, *acc, *m;
	char raw[20];
	size_t n = 0;

	put_str(o, "state", deep_state_name(rep->deep));
	put_int(o, "probes", rep->probes);
	json_object_object_add(o, "offered", rep->offered_known ?
	    json_object_new_string(scan_method_name(rep->offered)) : NULL);
	if (rep->offered_known && rep->offered == SCAN_M_OTHER) {
		for (size_t i = 0; i < rep->offered_raw_len; i++)
			n += (size_t)snprintf(raw + n, sizeof(raw) - n, "%02x",
			    rep->offered_raw[i]);
		put_str(o, "offered_raw", raw);
	}
	methods = json_object_new_object();
	acc = json_object_new_array();
	for (int k = 0; k < SCAN_METHODS; k++) {
		m = json_object_new_object();
		put_str(m, "verdict", verdict_name(rep->verdict[k]));
		put_str(m, "evidence", rep->evidence[k]);
		json_object_object_add(methods, scan_method_name(k), m);
		if (rep->verdict[k] == SCAN_V_ACCEPTED)
			json_object_array_add(acc,
			    json_object_new_string(scan_method_name(k)));
	}
	json_object_object_add(o, "methods", methods);
	json_object_object_add(o, "accepts", acc);
	put_bool(o, "accepts_pap", rep->verdict[SCAN_M_PAP] ==
	    SCAN_V_ACCEPTED);
	put_bool(o, "accepts_mschapv1", rep->verdict[SCAN_M_MSCHAPV1] ==
	    SCAN_V_ACCEPTED);
	put_bool(o, "no_authentication", rep->deep == SCAN_DEEP_NO_AUTH);
	put_str(o, "note", rep->deep_note);
	return o;
}

json_object *
scan_report_json(const struct scan_report *rep)
{
	struct scan_finding fnd[SCAN_FINDINGS_MAX];
	json_object *o = json_object_new_object(), *arr, *f;
	char a[INET_ADDRSTRLEN];
	size_t n;

	inet_ntop(AF_INET, &rep->addr, a, sizeof(a));
	put_str(o, "address", a);
	put_int(o, "port", rep->port);
	put_str(o, "state", scan_report_state(rep));
	put_int(o, "elapsed_ms", (int64_t)rep->elapsed_ms);
	if (rep->tcp_error[0] != '\0')
		put_str(o, "tcp_error", rep->tcp_error);
	if (rep->tcp != SCAN_TCP_OPEN)
		return o;
	json_object_object_add(o, "reply", reply_json(rep));
	if (rep->deep != SCAN_DEEP_OFF)
		json_object_object_add(o, "deep", deep_json(rep));
	arr = json_object_new_array();
	n = scan_findings(rep, fnd, SCAN_FINDINGS_MAX);
	for (size_t i = 0; i < n; i++) {
		f = json_object_new_object();
		put_str(f, "severity", scan_severity_name(fnd[i].severity));
		put_str(f, "id", fnd[i].id);
		put_str(f, "why", fnd[i].why);
		json_object_array_add(arr, f);
	}
	json_object_object_add(o, "findings", arr);
	return o;
}

int
scan_output_json(FILE *f, const struct scan_results *res,
    const struct scan_output_options *o)
{
	json_object *doc = json_object_new_object(), *sum, *arr;
	struct scan_report rep;
	struct tally t;

	if (doc == NULL)
		return -1;
	count(res, &t);
	put_str(doc, "scanner", "pptpkit scan");
	put_bool(doc, "deep", res->deep);
	put_int(doc, "duration_ms", (int64_t)res->duration_ms);
	put_bool(doc, "interrupted", res->interrupted);
	sum = json_object_new_object();
	put_int(sum, "targets", (int64_t)res->n);
	put_int(sum, "pptp", (int64_t)t.pptp);
	put_int(sum, "open_not_pptp", (int64_t)t.open);
	put_int(sum, "closed", (int64_t)t.closed);
	put_int(sum, "timeout", (int64_t)t.timeout);
	put_int(sum, "unreachable", (int64_t)t.unreachable);
	put_int(sum, "error", (int64_t)t.error);
	put_int(sum, "not_scanned", (int64_t)t.pending);
	json_object_object_add(doc, "summary", sum);
	arr = json_object_new_array();
	for (size_t i = 0; i < res->n; i++) {
		scan_slot_report(&res->slots[i], &rep);
		if (!o->all && rep.tcp != SCAN_TCP_OPEN)
			continue;
		json_object_array_add(arr, scan_report_json(&rep));
	}
	json_object_object_add(doc, "targets", arr);
	fprintf(f, "%s\n", json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return 0;
}
