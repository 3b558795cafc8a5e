/*
 * loadgen_report.c - bench/sessions' tallies: failure reasons grouped by
 * their text, readings from /proc, and the figures they give, printed for
 * people and written as JSON for later comparison.
 *
 * What each figure is:
 *   handshakes/s      sessions that came up / time from the first TCP
 *                     connect to the last PPP up
 *   RSS per session   (server VmRSS after the ramp - before it) /
 *                     sessions up after the ramp
 *   CPU per handshake server utime+stime during the ramp / sessions that
 *                     came up (failed attempts' cost included)
 *   CPU per idle      server utime+stime during the hold /
 *   session-second    (sessions up at its start x its length)
 *   fds per session   (server's open descriptors after the ramp - before)
 *                     / sessions up
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "loadgen.h"

void
lg_reason_add(struct lg_reasons *rs, const char *text)
{
	char norm[LG_REASON_LEN];
	size_t i;

	/* Numbers (IDs, counts, addresses) would make every text unique. */
	for (i = 0; text[i] != '\0' && i + 1 < sizeof(norm); i++)
		norm[i] = isdigit((unsigned char)text[i]) ? '#' : text[i];
	norm[i] = '\0';
	for (i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i].text, norm) == 0) {
			rs->r[i].count++;
			return;
		}
	}
	if (rs->n == LG_REASONS_MAX) {
		rs->other++;
		return;
	}
	snprintf(rs->r[rs->n].text, LG_REASON_LEN, "%s", norm);
	snprintf(rs->r[rs->n].example, LG_REASON_LEN, "%s", text);
	rs->r[rs->n].count = 1;
	rs->n++;
}

int
lg_sample_read(pid_t pid, uint64_t now_ms, struct lg_sample *s)
{
	char path[64], buf[2048], *p;
	unsigned long ut, st;
	FILE *f;
	DIR *d;
	struct dirent *de;
	size_t n;

	memset(s, 0, sizeof(*s));
	s->t_ms = now_ms;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: utime and
	 * stime are the 12th and 13th from there. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	s->cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(buf, sizeof(buf), f) != NULL)
			if (sscanf(buf, "VmRSS: %ld", &s->rss_kib) == 1)
				break;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL)
			s->fds += de->d_name[0] != '.';
		closedir(d);
	}
	s->ok = 1;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The figures, computed once for both outputs; negative: not known. */
struct lg_figures {
	double ramp_s, handshakes_per_s;
	uint32_t lat_p50, lat_p95, lat_max;
	double rss_per_sess_kib, rss_per_sess_hold_kib;
	double cpu_ramp_s, cpu_per_handshake_ms;
	double hold_s, cpu_hold_s, cpu_idle_us_per_sess_s, idle_core_pct;
	double fds_per_sess;
	double self_cpu_ramp_s, self_cpu_hold_s;
};

static void
figures(const struct lg_tally *t, struct lg_figures *g)
{
	const struct lg_sample *s = t->srv, *me = t->self;
	uint32_t up = t->up_at_hold_start;

	memset(g, 0, sizeof(*g));
	g->ramp_s = t->last_up_ms > t->first_start_ms ?
	    (double)(t->last_up_ms - t->first_start_ms) / 1000.0 : -1;
	g->handshakes_per_s = g->ramp_s > 0 ? t->connected / g->ramp_s : -1;
	if (t->n_latency > 0) {
		uint32_t *l = malloc(t->n_latency * sizeof(*l));

		if (l != NULL) {
			memcpy(l, t->latency_ms, t->n_latency * sizeof(*l));
			qsort(l, t->n_latency, sizeof(*l), cmp_u32);
			g->lat_p50 = l[t->n_latency / 2];
			g->lat_p95 = l[(size_t)(t->n_latency * 95ull / 100)];
			g->lat_max = l[t->n_latency - 1];
			free(l);
		}
	}
	g->rss_per_sess_kib = g->rss_per_sess_hold_kib = -1;
	g->cpu_per_handshake_ms = g->cpu_idle_us_per_sess_s = -1;
	g->idle_core_pct = g->fds_per_sess = g->cpu_ramp_s = -1;
	g->cpu_hold_s = -1;
	g->hold_s = t->hold_s_actual_ms / 1000.0;
	if (s[LG_MARK_START].ok && s[LG_MARK_RAMP_END].ok) {
		g->cpu_ramp_s = s[LG_MARK_RAMP_END].cpu_s -
		    s[LG_MARK_START].cpu_s;
		if (t->connected > 0)
			g->cpu_per_handshake_ms = 1000.0 * g->cpu_ramp_s /
			    t->connected;
		if (up > 0) {
			g->rss_per_sess_kib = (double)(s[LG_MARK_RAMP_END].rss_kib -
			    s[LG_MARK_START].rss_kib) / up;
			g->fds_per_sess = (double)(s[LG_MARK_RAMP_END].fds -
			    s[LG_MARK_START].fds) / up;
		}
	}
	if (s[LG_MARK_HOLD_START].ok && s[LG_MARK_HOLD_END].ok &&
	    g->hold_s > 0) {
		g->cpu_hold_s = s[LG_MARK_HOLD_END].cpu_s -
		    s[LG_MARK_HOLD_START].cpu_s;
		g->idle_core_pct = 100.0 * g->cpu_hold_s / g->hold_s;
		if (up > 0) {
			g->cpu_idle_us_per_sess_s = 1e6 * g->cpu_hold_s /
			    ((double)up * g->hold_s);
			g->rss_per_sess_hold_kib =
			    (double)(s[LG_MARK_HOLD_END].rss_kib -
			    s[LG_MARK_START].rss_kib) / up;
		}
	}
	g->self_cpu_ramp_s = me[LG_MARK_RAMP_END].cpu_s -
	    me[LG_MARK_START].cpu_s;
	g->self_cpu_hold_s = me[LG_MARK_HOLD_END].cpu_s -
	    me[LG_MARK_HOLD_START].cpu_s;
}

static void
print_reasons(FILE *f, const char *title, const struct lg_reasons *rs)
{
	if (rs->n == 0)
		return;
	fprintf(f, "%s:\n", title);
	for (size_t i = 0; i < rs->n; i++)
		fprintf(f, "  %7u  %s\n", rs->r[i].count, rs->r[i].example);
	if (rs->other != 0)
		fprintf(f, "  %7u  (other reasons)\n", rs->other);
}

static void
num(FILE *f, const char *fmt, double v)
{
	if (v < 0)
		fprintf(f, "-");
	else
		fprintf(f, fmt, v);
}

void
lg_report_print(FILE *f, const struct lg_opts *o, const struct lg_tally *t)
{
	const struct lg_sample *s = t->srv;
	struct lg_figures g;

	figures(t, &g);
	fprintf(f, "sessions      %u asked, %u started, %u connected "
	    "(MPPE-128 stateless %u, stateful %u, other %u), %u failed, "
	    "%u dropped after coming up%s\n", t->target, t->started,
	    t->connected, t->stateless, t->stateful, t->other_mppe, t->failed,
	    t->dropped, t->interrupted ? " (interrupted)" : "");
	print_reasons(f, "failed before PPP was up", &t->fail_reasons);
	print_reasons(f, "dropped after PPP was up", &t->drop_reasons);
	fprintf(f, "handshakes    ");
	num(f, "%.1f/s", g.handshakes_per_s);
	fprintf(f, " (%u in ", t->connected);
	num(f, "%.1f s", g.ramp_s);
	fprintf(f, ", at most %u at once%s); connect to PPP up: median %u ms, "
	    "p95 %u ms, max %u ms\n", o->inflight, o->rate > 0 ?
	    ", rate-limited" : "", g.lat_p50, g.lat_p95, g.lat_max);
	fprintf(f, "data          first ping through each session: %u of %u; "
	    "pings sent %llu, answered %llu, bad %llu\n", t->first_ping_ok,
	    t->connected, (unsigned long long)t->pings_sent,
	    (unsigned long long)t->pings_ok, (unsigned long long)t->pings_bad);
	fprintf(f, "hold          %.1f s with %u sessions up%s\n", g.hold_s,
	    t->up_at_hold_start, o->trickle_s ? " (with trickle pings)" : "");
	fprintf(f, "final check   %u of %u sampled sessions passed a ping\n",
	    t->check_ok, t->checked);
	if (o->teardown)
		fprintf(f, "teardown      %u closed cleanly in %.1f s (%.0f/s), "
		    "%u forced after --teardown-timeout %u s\n",
		    t->closed_clean, t->teardown_ms / 1000.0,
		    t->teardown_ms ? t->closed_clean * 1000.0 /
		    t->teardown_ms : 0.0, t->closed_forced, o->teardown_s);
	if (o->server_pid > 0 && s[LG_MARK_START].ok) {
		fprintf(f, "server RSS    %ld KiB before, %ld after the ramp, "
		    "%ld after the hold: ", s[LG_MARK_START].rss_kib,
		    s[LG_MARK_RAMP_END].rss_kib, s[LG_MARK_HOLD_END].rss_kib);
		num(f, "%.1f KiB", g.rss_per_sess_kib);
		fprintf(f, " per session (");
		num(f, "%.1f KiB", g.rss_per_sess_hold_kib);
		fprintf(f, " after the hold)\n");
		fprintf(f, "server CPU    ramp ");
		num(f, "%.2f s", g.cpu_ramp_s);
		fprintf(f, " = ");
		num(f, "%.2f ms", g.cpu_per_handshake_ms);
		fprintf(f, " per handshake; hold ");
		num(f, "%.2f s", g.cpu_hold_s);
		fprintf(f, " = ");
		num(f, "%.1f us", g.cpu_idle_us_per_sess_s);
		fprintf(f, " per idle session per second (");
		num(f, "%.2f%%", g.idle_core_pct);
		fprintf(f, " of one core)\n");
		fprintf(f, "server fds    %ld before, %ld after the ramp: ",
		    s[LG_MARK_START].fds, s[LG_MARK_RAMP_END].fds);
		num(f, "%.2f", g.fds_per_sess);
		fprintf(f, " per session\n");
	}
	fprintf(f, "generator     CPU ramp %.2f s, hold %.2f s; RSS %ld KiB; "
	    "GRE before its call was known %llu, for no session %llu (%llu "
	    "more during the teardown), send errors %llu\n",
	    g.self_cpu_ramp_s, g.self_cpu_hold_s,
	    t->self[LG_MARK_HOLD_END].rss_kib,
	    (unsigned long long)t->gre_early,
	    (unsigned long long)t->gre_unknown,
	    (unsigned long long)t->gre_after_teardown,
	    (unsigned long long)t->gre_send_err);
}

static json_object *
jnum(double v)
{
	return v < 0 ? NULL : json_object_new_double(v);
}

static json_object *
jreasons(const struct lg_reasons *rs)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < rs->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "count",
		    json_object_new_int64(rs->r[i].count));
		json_object_object_add(o, "reason",
		    json_object_new_string(rs->r[i].example));
		json_object_array_add(a, o);
	}
	if (rs->other != 0) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "count",
		    json_object_new_int64(rs->other));
		json_object_object_add(o, "reason",
		    json_object_new_string("(other reasons)"));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
jsamples(const struct lg_sample *s)
{
	static const char *const names[LG_MARKS] = { "start", "ramp_end",
	    "hold_start", "hold_end", "check_end", "end" };
	json_object *o = json_object_new_object();

	for (int i = 0; i < LG_MARKS; i++) {
		json_object *m;

		if (!s[i].ok)
			continue;
		m = json_object_new_object();
		json_object_object_add(m, "t_ms",
		    json_object_new_int64((int64_t)(s[i].t_ms - s[0].t_ms)));
		json_object_object_add(m, "cpu_s",
		    json_object_new_double(s[i].cpu_s));
		json_object_object_add(m, "rss_kib",
		    json_object_new_int64(s[i].rss_kib));
		json_object_object_add(m, "fds", json_object_new_int64(s[i].fds));
		json_object_object_add(o, names[i], m);
	}
	return o;
}

int
lg_report_json(const char *path, const struct lg_opts *o,
    const struct lg_tally *t)
{
	json_object *j = json_object_new_object(), *g_o;
	struct lg_figures g;
	int r;

	figures(t, &g);
	json_object_object_add(j, "sessions", json_object_new_int64(t->target));
	json_object_object_add(j, "started", json_object_new_int64(t->started));
	json_object_object_add(j, "connected",
	    json_object_new_int64(t->connected));
	json_object_object_add(j, "failed", json_object_new_int64(t->failed));
	json_object_object_add(j, "dropped", json_object_new_int64(t->dropped));
	json_object_object_add(j, "mppe128_stateless",
	    json_object_new_int64(t->stateless));
	json_object_object_add(j, "mppe128_stateful",
	    json_object_new_int64(t->stateful));
	json_object_object_add(j, "fail_reasons", jreasons(&t->fail_reasons));
	json_object_object_add(j, "drop_reasons", jreasons(&t->drop_reasons));
	json_object_object_add(j, "first_ping_ok",
	    json_object_new_int64(t->first_ping_ok));
	json_object_object_add(j, "pings_sent",
	    json_object_new_int64((int64_t)t->pings_sent));
	json_object_object_add(j, "pings_ok",
	    json_object_new_int64((int64_t)t->pings_ok));
	json_object_object_add(j, "pings_bad",
	    json_object_new_int64((int64_t)t->pings_bad));
	json_object_object_add(j, "checked", json_object_new_int64(t->checked));
	json_object_object_add(j, "check_ok", json_object_new_int64(t->check_ok));
	json_object_object_add(j, "closed_clean",
	    json_object_new_int64(t->closed_clean));
	json_object_object_add(j, "teardown_s",
	    json_object_new_double(t->teardown_ms / 1000.0));
	json_object_object_add(j, "closed_forced",
	    json_object_new_int64(t->closed_forced));
	json_object_object_add(j, "up_at_hold_start",
	    json_object_new_int64(t->up_at_hold_start));
	json_object_object_add(j, "interrupted",
	    json_object_new_boolean(t->interrupted));
	g_o = json_object_new_object();
	json_object_object_add(g_o, "ramp_s", jnum(g.ramp_s));
	json_object_object_add(g_o, "handshakes_per_s",
	    jnum(g.handshakes_per_s));
	json_object_object_add(g_o, "latency_ms_p50",
	    json_object_new_int64(g.lat_p50));
	json_object_object_add(g_o, "latency_ms_p95",
	    json_object_new_int64(g.lat_p95));
	json_object_object_add(g_o, "latency_ms_max",
	    json_object_new_int64(g.lat_max));
	json_object_object_add(g_o, "server_rss_kib_per_session",
	    jnum(g.rss_per_sess_kib));
	json_object_object_add(g_o, "server_rss_kib_per_session_after_hold",
	    jnum(g.rss_per_sess_hold_kib));
	json_object_object_add(g_o, "server_cpu_ramp_s", jnum(g.cpu_ramp_s));
	json_object_object_add(g_o, "server_cpu_ms_per_handshake",
	    jnum(g.cpu_per_handshake_ms));
	json_object_object_add(g_o, "hold_s", jnum(g.hold_s));
	json_object_object_add(g_o, "server_cpu_hold_s", jnum(g.cpu_hold_s));
	json_object_object_add(g_o, "server_cpu_us_per_idle_session_s",
	    jnum(g.cpu_idle_us_per_sess_s));
	json_object_object_add(g_o, "server_idle_core_pct",
	    jnum(g.idle_core_pct));
	json_object_object_add(g_o, "server_fds_per_session",
	    jnum(g.fds_per_sess));
	json_object_object_add(g_o, "generator_cpu_ramp_s",
	    jnum(g.self_cpu_ramp_s));
	json_object_object_add(g_o, "generator_cpu_hold_s",
	    jnum(g.self_cpu_hold_s));
	json_object_object_add(j, "figures", g_o);
	json_object_object_add(j, "server_samples", jsamples(t->srv));
	json_object_object_add(j, "generator_samples", jsamples(t->self));
	json_object_object_add(j, "gre_unknown",
	    json_object_new_int64((int64_t)t->gre_unknown));
	json_object_object_add(j, "gre_after_teardown",
	    json_object_new_int64((int64_t)t->gre_after_teardown));
	json_object_object_add(j, "gre_early",
	    json_object_new_int64((int64_t)t->gre_early));
	json_object_object_add(j, "gre_send_errors",
	    json_object_new_int64((int64_t)t->gre_send_err));
	r = json_object_to_file_ext(path, j, JSON_C_TO_STRING_PRETTY);
	json_object_put(j);
	return r == 0 ? 0 : -1;
}
