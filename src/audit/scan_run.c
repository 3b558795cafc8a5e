/*
 * scan_run.c - the libuv loop of `pptpkit scan` (see scan_run.h). Each
 * target in flight owns a timer and, one probe at a time, a TCP handle
 * and a sans-I/O scan_conn; the loop only moves bytes and time.
 *
 * A target's life: connect (bounded by the timeout) -> probe with
 * scan_conn -> merge its result into the report -> for --deep, the next
 * method from scan_plan_next() on a new connection -> done. Handles are
 * closed before the next step starts, so nothing outlives its callback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "audit/scan_conn.h"
#include "audit/scan_run.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/rand.h"
#include "glue/gre_sock.h"
#include "gre/gre.h"

#define SCAN_RUN_OUT_ARENA (64 * 1024)
#define SCAN_RUN_OUT_ITEMS 256
#define GRE_BATCH 64

struct target;

struct run {
	const struct scan_targets *targets;
	const struct scan_run_options *opt;
	struct scan_results *res;
	uv_loop_t loop;
	uv_timer_t progress;
	uv_signal_t sigint;
	uv_poll_t gre_poll;
	int gre_fd;
	struct pk_out out;
	struct target **active;		/* opt->concurrency slots */
	uint64_t next_idx;		/* next target to start */
	size_t running, finished;
	size_t n_pptp, n_open;
	uint64_t started;
	int stopping;
	int tty;
	int progress_shown;
	uint8_t pktbuf[65536];
};

struct target {
	struct run *run;
	size_t slot;			/* index into res->slots */
	size_t active_idx;
	struct scan_report *rep;	/* working report */
	uv_timer_t timer;
	uv_tcp_t tcp;
	uv_connect_t creq;
	uv_shutdown_t sreq;
	int handles;			/* open libuv handles */
	int tcp_open;			/* tcp handle initialised, not closed */
	int connected;
	int method;			/* this probe's: SCAN_M_*, -1 reply only */
	uint32_t local_addr;		/* our end, for GRE's source */
	struct scan_conn *conn;
	int probe_done;
	uint64_t started;
};

struct wreq {
	uv_write_t req;
	size_t len;
	uint8_t data[];
};

static void target_next(struct target *t);
static void target_dispatch(struct target *t);

static uint64_t
now_ms(void)
{
	return pk_clock_ms();
}

/* ---- progress ------------------------------------------------------- */

static void
progress_print(struct run *r, int final)
{
	uint64_t el = now_ms() - r->started;

	if (!r->opt->progress)
		return;
	fprintf(stderr, "%sscan: %zu/%zu done, %zu PPTP, %zu open, %zu in "
	    "flight, %llu.%01llu s%s", r->tty ? "\r" : "", r->finished,
	    r->res->n, r->n_pptp, r->n_open, r->running,
	    (unsigned long long)(el / 1000),
	    (unsigned long long)(el % 1000 / 100),
	    r->tty && !final ? "   " : "\n");
	fflush(stderr);
	r->progress_shown = 1;
}

static void
progress_cb(uv_timer_t *h)
{
	progress_print(h->data, 0);
}

/* ---- one target ----------------------------------------------------- */

static void
target_closed_cb(uv_handle_t *h)
{
	struct target *t = h->data;

	if (--t->handles > 0)
		return;
	free(t);
}

static void
target_finish(struct target *t)
{
	struct run *r = t->run;
	struct scan_slot *s = &r->res->slots[t->slot];

	s->tcp = (uint8_t)t->rep->tcp;
	t->rep->elapsed_ms = now_ms() - t->started;
	/* Refused and silent targets need no report of their own. */
	if (t->rep->tcp == SCAN_TCP_REFUSED || t->rep->tcp == SCAN_TCP_TIMEOUT)
		free(t->rep);
	else {
		s->rep = t->rep;
		if (scan_report_is_pptp(t->rep))
			r->n_pptp++;
		else if (t->rep->tcp == SCAN_TCP_OPEN)
			r->n_open++;
	}
	t->rep = NULL;
	r->active[t->active_idx] = NULL;
	r->running--;
	r->finished++;
	uv_timer_stop(&t->timer);
	uv_close((uv_handle_t *)&t->timer, target_closed_cb);
	/* Start the next target from the loop, not from inside this one's
	 * callbacks. */
	target_next(NULL);
}

static void
tcp_closed_cb(uv_handle_t *h)
{
	struct target *t = h->data;
	struct scan_report *rep = t->rep;
	int next;

	t->tcp_open = 0;
	t->handles--;
	if (t->conn != NULL) {
		scan_conn_report(t->conn, rep);
		scan_conn_free(t->conn);
		t->conn = NULL;
	}
	next = t->connected && !t->run->stopping ? scan_plan_next(rep) : -1;
	if (next < 0) {
		if (rep->deep == SCAN_DEEP_RUNNING)
			rep->deep = t->run->stopping ? SCAN_DEEP_FAILED :
			    SCAN_DEEP_DONE;
		if (t->run->stopping && rep->deep_note[0] == '\0')
			snprintf(rep->deep_note, sizeof(rep->deep_note),
			    "interrupted");
		target_finish(t);
		return;
	}
	/* Another method: a fresh control connection and negotiation. */
	t->method = next;
	target_next(t);
}

static void
tcp_close(struct target *t)
{
	if (!t->tcp_open || uv_is_closing((uv_handle_t *)&t->tcp))
		return;
	uv_timer_stop(&t->timer);
	uv_close((uv_handle_t *)&t->tcp, tcp_closed_cb);
}

static void
shutdown_cb(uv_shutdown_t *req, int status)
{
	tcp_close(req->data);
}

static void
write_cb(uv_write_t *req, int status)
{
	free(req);
}

static void
timer_cb(uv_timer_t *h)
{
	struct target *t = h->data;

	if (t->conn == NULL) {
		/* Still connecting: the connect timed out. */
		if (t->rep->tcp == SCAN_TCP_PENDING)
			t->rep->tcp = SCAN_TCP_TIMEOUT;
		else if (t->rep->deep == SCAN_DEEP_RUNNING) {
			t->rep->deep = SCAN_DEEP_FAILED;
			snprintf(t->rep->deep_note, sizeof(t->rep->deep_note),
			    "a later connection for the deep scan timed out");
		}
		t->connected = 0;
		tcp_close(t);
		return;
	}
	(void)scan_conn_timeout(t->conn, now_ms(), &t->run->out);
	target_dispatch(t);
}

/* Moves the probe's output to the sockets and re-arms the timer. */
static void
target_dispatch(struct target *t)
{
	struct run *r = t->run;
	uint64_t next, now;

	for (size_t i = 0; i < r->out.n_items; i++) {
		const struct out_item *it = out_item(&r->out, i);
		const uint8_t *p = out_data(&r->out, i);

		if (it->kind == OUT_CTRL && t->tcp_open && t->connected) {
			struct wreq *w = malloc(sizeof(*w) + it->len);
			uv_buf_t b;

			if (w == NULL)
				continue;
			memcpy(w->data, p, it->len);
			w->len = it->len;
			b = uv_buf_init((char *)w->data, (unsigned)w->len);
			if (uv_write(&w->req, (uv_stream_t *)&t->tcp, &b, 1,
			    write_cb) != 0)
				free(w);
		} else if (it->kind == OUT_GRE && r->gre_fd >= 0)
			(void)gre_sock_send(r->gre_fd, t->local_addr,
			    t->rep->addr, p, it->len);
	}
	out_reset(&r->out);
	if (t->conn == NULL || t->probe_done)
		return;
	if (scan_conn_done(t->conn)) {
		t->probe_done = 1;
		uv_timer_stop(&t->timer);
		uv_read_stop((uv_stream_t *)&t->tcp);
		/* Let the last bytes (a Stop-Control-Connection-Request)
		 * leave before the close. */
		t->sreq.data = t;
		if (uv_shutdown(&t->sreq, (uv_stream_t *)&t->tcp,
		    shutdown_cb) != 0)
			tcp_close(t);
		return;
	}
	now = now_ms();
	next = scan_conn_next_deadline(t->conn);
	if (next != PK_TIME_NEVER)
		uv_timer_start(&t->timer, timer_cb, next > now ? next - now : 0,
		    0);
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct target *t = h->data;

	buf->base = (char *)t->run->pktbuf;
	buf->len = sizeof(t->run->pktbuf);
}

static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct target *t = s->data;

	if (t->conn == NULL || t->probe_done)
		return;
	if (n > 0)
		(void)scan_conn_ctrl_input(t->conn, now_ms(),
		    (const uint8_t *)buf->base, (size_t)n, &t->run->out);
	else if (n < 0)
		(void)scan_conn_ctrl_eof(t->conn, now_ms(), &t->run->out);
	else
		return;
	target_dispatch(t);
}

static void
set_tcp_error(struct scan_report *rep, int status)
{
	switch (status) {
	case UV_ECONNREFUSED:
		rep->tcp = SCAN_TCP_REFUSED;
		break;
	case UV_ETIMEDOUT:
		rep->tcp = SCAN_TCP_TIMEOUT;
		break;
	case UV_EHOSTUNREACH:
	case UV_ENETUNREACH:
		rep->tcp = SCAN_TCP_UNREACHABLE;
		break;
	default:
		rep->tcp = SCAN_TCP_ERROR;
		break;
	}
	snprintf(rep->tcp_error, sizeof(rep->tcp_error), "%s",
	    uv_strerror(status));
}

static void
connect_cb(uv_connect_t *req, int status)
{
	struct target *t = req->data;
	struct scan_conn_config cc;
	struct sockaddr_in me;
	int len = sizeof(me), first = t->rep->tcp == SCAN_TCP_PENDING;
	char a[INET_ADDRSTRLEN];

	if (status == UV_ECANCELED)
		return;		/* closed by the timer */
	uv_timer_stop(&t->timer);
	if (status != 0) {
		if (first)
			set_tcp_error(t->rep, status);
		else if (t->rep->deep == SCAN_DEEP_RUNNING) {
			t->rep->deep = SCAN_DEEP_FAILED;
			snprintf(t->rep->deep_note, sizeof(t->rep->deep_note),
			    "a later connection for the deep scan failed: %s",
			    uv_strerror(status));
		}
		tcp_close(t);
		return;
	}
	t->connected = 1;
	t->rep->tcp = SCAN_TCP_OPEN;
	if (uv_tcp_getsockname(&t->tcp, (struct sockaddr *)&me, &len) == 0 &&
	    me.sin_family == AF_INET)
		t->local_addr = me.sin_addr.s_addr;
	memset(&cc, 0, sizeof(cc));
	cc.method = t->rep->deep == SCAN_DEEP_RUNNING ? t->method : -1;
	/* Call IDs need only be unique per target: one probe at a time. */
	do {
		cc.call_id = (uint16_t)pk_rand_u32();
	} while (cc.call_id == 0);
	cc.timeout_ms = t->run->opt->timeout_ms;
	inet_ntop(AF_INET, &t->rep->addr, a, sizeof(a));
	snprintf(cc.log_ctx, sizeof(cc.log_ctx), "scan %s:%u %s", a,
	    t->rep->port, scan_method_name(cc.method));
	if (scan_conn_new(&t->conn, &cc, now_ms()) != 0) {
		tcp_close(t);
		return;
	}
	t->probe_done = 0;
	uv_tcp_nodelay(&t->tcp, 1);
	uv_read_start((uv_stream_t *)&t->tcp, alloc_cb, read_cb);
	(void)scan_conn_start(t->conn, now_ms(), &t->run->out);
	target_dispatch(t);
}

/* Opens the TCP connection for the next probe of t. */
static void
probe_start(struct target *t)
{
	struct sockaddr_in sin;
	int e;

	t->connected = 0;
	uv_tcp_init(&t->run->loop, &t->tcp);
	t->tcp.data = t;
	t->tcp_open = 1;
	t->handles++;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = t->rep->addr;
	sin.sin_port = htons(t->rep->port);
	t->creq.data = t;
	if ((e = uv_tcp_connect(&t->creq, &t->tcp, (struct sockaddr *)&sin,
	    connect_cb)) != 0) {
		if (t->rep->tcp == SCAN_TCP_PENDING)
			set_tcp_error(t->rep, e);
		tcp_close(t);
		return;
	}
	uv_timer_start(&t->timer, timer_cb, t->run->opt->timeout_ms, 0);
}

/*
 * With t: start t's next probe. With NULL: start new targets while
 * there is room (and stop the loop's extras once all are done).
 */
static struct run *g_run;

static void
target_next(struct target *t)
{
	struct run *r = g_run;

	if (t != NULL) {
		probe_start(t);
		return;
	}
	while (!r->stopping && r->running < r->opt->concurrency &&
	    r->next_idx < r->res->n) {
		size_t k;

		if ((t = calloc(1, sizeof(*t))) == NULL ||
		    (t->rep = malloc(sizeof(*t->rep))) == NULL) {
			free(t);
			r->stopping = 1;
			break;
		}
		for (k = 0; k < r->opt->concurrency && r->active[k]; k++)
			;
		t->run = r;
		t->slot = r->next_idx++;
		t->active_idx = k;
		r->active[k] = t;
		r->running++;
		scan_report_init(t->rep, r->res->slots[t->slot].addr,
		    r->res->slots[t->slot].port, r->opt->deep);
		t->method = scan_plan_next(t->rep);
		t->started = now_ms();
		uv_timer_init(&r->loop, &t->timer);
		t->timer.data = t;
		t->handles = 1;
		probe_start(t);
	}
	if (r->running == 0 && (r->next_idx >= r->res->n || r->stopping)) {
		uv_timer_stop(&r->progress);
		uv_close((uv_handle_t *)&r->progress, NULL);
		uv_close((uv_handle_t *)&r->sigint, NULL);
		if (r->gre_fd >= 0)
			uv_close((uv_handle_t *)&r->gre_poll, NULL);
	}
}

/* ---- GRE ------------------------------------------------------------ */

static void
gre_readable(uv_poll_t *h, int status, int events)
{
	struct run *r = h->data;

	for (int i = 0; i < GRE_BATCH; i++) {
		const uint8_t *gre;
		uint32_t src;
		size_t len;
		int rc;

		rc = gre_sock_recv(r->gre_fd, r->pktbuf, sizeof(r->pktbuf),
		    &src, &gre, &len);
		if (rc == 0 || rc == PK_ERR_SYS)
			break;
		if (rc < 0)
			continue;
		for (size_t k = 0; k < r->opt->concurrency; k++) {
			struct target *t = r->active[k];

			if (t == NULL || t->conn == NULL || t->probe_done ||
			    t->rep->addr != src)
				continue;
			(void)scan_conn_gre_input(t->conn, now_ms(), gre,
			    len, &r->out);
			target_dispatch(t);
			break;
		}
	}
}

static void
sigint_cb(uv_signal_t *h, int sig)
{
	struct run *r = h->data;

	if (r->stopping) {
		/* Second Ctrl-C: the user means it. */
		signal(SIGINT, SIG_DFL);
		raise(SIGINT);
		return;
	}
	r->stopping = 1;
	r->res->interrupted = 1;
	fprintf(stderr, "\nscan: interrupted; finishing the %zu probes in "
	    "flight (Ctrl-C again to quit now)\n", r->running);
	if (r->running == 0)
		target_next(NULL);
}

/* ---- entry ---------------------------------------------------------- */

int
scan_run(const struct scan_targets *tg, const struct scan_run_options *o,
    struct scan_results *res, char *err, size_t errlen)
{
	struct run *r;
	int rc = PK_OK;

	memset(res, 0, sizeof(*res));
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (res->slots = calloc(tg->count ? tg->count : 1,
	    sizeof(*res->slots))) == NULL ||
	    (r->active = calloc(o->concurrency, sizeof(*r->active))) == NULL ||
	    out_init(&r->out, SCAN_RUN_OUT_ARENA, SCAN_RUN_OUT_ITEMS) != 0) {
		snprintf(err, errlen, "out of memory");
		rc = PK_ERR_NOMEM;
		goto out;
	}
	res->n = tg->count;
	res->deep = o->deep;
	for (uint64_t i = 0; i < tg->count; i++)
		scan_targets_get(tg, i, &res->slots[i].addr,
		    &res->slots[i].port);
	r->targets = tg;
	r->opt = o;
	r->res = res;
	r->gre_fd = -1;
	r->tty = isatty(STDERR_FILENO);
	if (o->deep && (r->gre_fd = gre_sock_open(0)) < 0) {
		snprintf(err, errlen, "--deep speaks GRE (IP protocol 47) "
		    "through a raw socket, which needs root or CAP_NET_RAW: "
		    "%s", strerror(errno));
		rc = PK_ERR_SYS;
		goto out;
	}
	uv_loop_init(&r->loop);
	g_run = r;
	if (r->gre_fd >= 0) {
		uv_poll_init_socket(&r->loop, &r->gre_poll, r->gre_fd);
		r->gre_poll.data = r;
		uv_poll_start(&r->gre_poll, UV_READABLE, gre_readable);
	}
	uv_timer_init(&r->loop, &r->progress);
	r->progress.data = r;
	uv_signal_init(&r->loop, &r->sigint);
	r->sigint.data = r;
	uv_signal_start(&r->sigint, sigint_cb, SIGINT);
	r->started = now_ms();
	if (o->progress)
		uv_timer_start(&r->progress, progress_cb, r->tty ? 200 : 5000,
		    r->tty ? 200 : 5000);
	target_next(NULL);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	res->duration_ms = now_ms() - r->started;
	progress_print(r, 1);
	uv_loop_close(&r->loop);
	g_run = NULL;
out:
	if (r != NULL) {
		if (r->gre_fd >= 0)
			close(r->gre_fd);
		out_free(&r->out);
		free(r->active);
		free(r);
	}
	if (rc != 0)
		scan_results_free(res);
	return rc;
}

void
scan_results_free(struct scan_results *res)
{
	for (size_t i = 0; res->slots != NULL && i < res->n; i++)
		free(res->slots[i].rep);
	free(res->slots);
	memset(res, 0, sizeof(*res));
}

void
scan_slot_report(const struct scan_slot *s, struct scan_report *rep)
{
	if (s->rep != NULL) {
		*rep = *s->rep;
		return;
	}
	scan_report_init(rep, s->addr, s->port, 0);
	rep->tcp = s->tcp;
}
