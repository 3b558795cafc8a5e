/*
 * server_ctl.c - pptpkitd's control socket (see ctlproto.h): one request
 * line per connection, one JSON reply.
 *
 * Who may ask: the socket is created mode 0600 (0660 with control-group,
 * its group then that one) under a umask, so no other user can reach it
 * even for a moment, and every client's credentials (SO_PEERCRED and
 * SO_PEERGROUPS) are checked again: root, the daemon's own user, or a
 * member of control-group. At most max-control-clients at once, each with
 * control-timeout seconds for the whole exchange.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "glue/ctlproto.h"
#include "glue/server_int.h"

#define CTL_LINE_MAX 512
/* Supplementary groups read from SO_PEERGROUPS. */
#define CTL_GROUPS_MAX 1024

struct ctl_client {
	uv_pipe_t pipe;
	uv_timer_t timer;
	int handles;
	struct server *srv;
	char line[CTL_LINE_MAX];
	size_t len;
	int done;
	int denied;		/* answer "permission denied" to its line */
};

static void
ctl_closed(uv_handle_t *h)
{
	struct ctl_client *cl = h->data;

	if (--cl->handles > 0)
		return;
	cl->srv->ctl_clients--;
	free(cl);
}

static void
ctl_close(struct ctl_client *cl)
{
	if (!uv_is_closing((uv_handle_t *)&cl->timer))
		uv_close((uv_handle_t *)&cl->timer, ctl_closed);
	if (!uv_is_closing((uv_handle_t *)&cl->pipe))
		uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
}

static void
ctl_written(uv_write_t *req, int status)
{
	struct ctl_client *cl = req->data;

	free(req);
	ctl_close(cl);
}

static void
ctl_reply(struct ctl_client *cl, const char *text)
{
	size_t len = strlen(text);
	uv_write_t *req = malloc(sizeof(*req) + len);
	uv_buf_t b;

	cl->done = 1;
	uv_read_stop((uv_stream_t *)&cl->pipe);
	if (req == NULL) {
		ctl_close(cl);
		return;
	}
	memcpy(req + 1, text, len);
	req->data = cl;
	b = uv_buf_init((char *)(req + 1), (unsigned)len);
	if (uv_write(req, (uv_stream_t *)&cl->pipe, &b, 1, ctl_written) != 0) {
		free(req);
		ctl_close(cl);
	}
}

static void
ip_str(uint32_t host_order, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = htonl(host_order) };

	inet_ntop(AF_INET, &a, buf, (socklen_t)len);
}

static json_object *
session_json(struct server *srv, struct call *k)
{
	struct tunnel_call_info ti;
	json_object *o = json_object_new_object();
	char buf[INET_ADDRSTRLEN], mppe[32];
	uint64_t now = srv_now_ms();

	json_object_object_add(o, "id", json_object_new_int64(k->session_id));
	json_object_object_add(o, "user",
	    json_object_new_string(k->user_shown));
	json_object_object_add(o, "peer",
	    json_object_new_string(k->conn->peer_str));
	json_object_object_add(o, "peer_port",
	    json_object_new_int(k->conn->peer_port));
	json_object_object_add(o, "call_id", json_object_new_int(k->call_id));
	json_object_object_add(o, "state",
	    json_object_new_string(k->up ? "up" : "negotiating"));
	if (k->up) {
		ip_str(k->info.local_ip, buf, sizeof(buf));
		json_object_object_add(o, "local_ip",
		    json_object_new_string(buf));
		ip_str(k->info.peer_ip, buf, sizeof(buf));
		json_object_object_add(o, "remote_ip",
		    json_object_new_string(buf));
		json_object_object_add(o, "interface",
		    json_object_new_string(k->tun.name));
		json_object_object_add(o, "auth", json_object_new_string(
		    policy_auth_name(k->info.auth_method)));
		if (k->info.mppe_bits == 0)
			snprintf(mppe, sizeof(mppe), "none");
		else
			snprintf(mppe, sizeof(mppe), "%d-%s",
			    k->info.mppe_bits, k->info.mppe_stateless ?
			    "stateless" : "stateful");
		json_object_object_add(o, "mppe", json_object_new_string(mppe));
	}
	if (tunnel_call_get(k->conn->tun, k->call_id, &ti) == 0 &&
	    ti.has_session) {
		/* From the server's side: rx is what the client sent. */
		json_object_object_add(o, "rx_bytes",
		    json_object_new_int64((int64_t)ti.stats.ip_in_bytes));
		json_object_object_add(o, "tx_bytes",
		    json_object_new_int64((int64_t)ti.stats.ip_out_bytes));
		json_object_object_add(o, "rx_packets",
		    json_object_new_int64((int64_t)ti.stats.ppp->ip_in));
		json_object_object_add(o, "tx_packets",
		    json_object_new_int64((int64_t)ti.stats.ppp->ip_out));
		json_object_object_add(o, "gre_rx_lost",
		    json_object_new_int64((int64_t)ti.stats.gre->rx_lost));
		json_object_object_add(o, "mppe_rekeys", json_object_new_int64(
		    (int64_t)ti.stats.ppp->mppe_rekeys));
		json_object_object_add(o, "mppe_rekey_capped",
		    json_object_new_int64(
		    (int64_t)ti.stats.ppp->mppe_rekey_capped));
	}
	json_object_object_add(o, "spoofed_drops",
	    json_object_new_int64((int64_t)k->spoofed));
	json_object_object_add(o, "uptime",
	    json_object_new_int64((int64_t)((now - k->started) / 1000)));
	return o;
}

/* Ends the sessions that match: by session ID or by user name (as the
 * peer sent it, or as show sessions prints it). Returns how many. */
static int
kill_sessions(struct server *srv, unsigned long id, const char *user)
{
	int n = 0;

	for (struct conn *c = srv->conns; c != NULL; c = c->next) {
		for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
			struct call *k = c->calls[i];

			if (k == NULL || (user == NULL &&
			    k->session_id != id) || (user != NULL &&
			    strcmp(k->user, user) != 0 &&
			    strcmp(k->user_shown, user) != 0))
				continue;
			pk_log(PK_LOG_NOTICE, k->log_ctx, "session %u killed "
			    "by the administrator", k->session_id);
			(void)tunnel_call_close(c->tun, srv_now_ms(),
			    k->call_id, "killed by the administrator",
			    &srv->out);
			srv_conn_dispatch(c);
			n++;
		}
	}
	return n;
}

json_object *
srv_stats_json(struct server *srv)
{
	json_object *o = json_object_new_object(), *lim;
	struct guard_stats gs;
	unsigned sessions = 0;

	for (struct conn *c = srv->conns; c != NULL; c = c->next)
		for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
			sessions += c->calls[i] != NULL && c->calls[i]->authed;
	guard_get_stats(srv->guard, &gs);
	json_object_object_add(o, "connections",
	    json_object_new_int64(srv->n_conns));
	json_object_object_add(o, "calls", json_object_new_int64(srv->n_calls));
	json_object_object_add(o, "sessions", json_object_new_int64(sessions));
	json_object_object_add(o, "preauth", json_object_new_int64(gs.preauth));
	json_object_object_add(o, "spoofed_drops",
	    json_object_new_int64((int64_t)srv->spoofed));
	json_object_object_add(o, "gre_unknown",
	    json_object_new_int64((int64_t)srv->gre_unknown));
	json_object_object_add(o, "tracked_sources",
	    json_object_new_int64((int64_t)gs.sources));
	json_object_object_add(o, "tracked_users",
	    json_object_new_int64((int64_t)gs.users));
	json_object_object_add(o, "evictions",
	    json_object_new_int64((int64_t)gs.evictions));
	lim = json_object_new_object();
	/* Kinds that share a key add up. */
	for (int i = 0; i < LIM_KINDS; i++) {
		json_object *v;
		int64_t n = (int64_t)srv->limit_hits[i];

		if (json_object_object_get_ex(lim, srv_limit_key(i), &v))
			n += json_object_get_int64(v);
		json_object_object_add(lim, srv_limit_key(i),
		    json_object_new_int64(n));
	}
	json_object_object_add(o, "limits_hit", lim);
	return o;
}

static void
reply_json(struct ctl_client *cl, json_object *o)
{
	ctl_reply(cl, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static void
ctl_command(struct ctl_client *cl, char *line)
{
	struct server *srv = cl->srv;
	char *arg, reply[64];

	if (cl->denied) {
		ctl_reply(cl, "{\"error\":\"permission denied\"}");
		return;
	}
	if ((arg = strchr(line, ' ')) != NULL)
		*arg++ = '\0';
	if (strcmp(line, CTL_CMD_SESSIONS) == 0) {
		json_object *arr = json_object_new_array();

		for (struct conn *c = srv->conns; c != NULL; c = c->next)
			for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
				if (c->calls[i] != NULL)
					json_object_array_add(arr,
					    session_json(srv, c->calls[i]));
		reply_json(cl, arr);
		return;
	}
	if (strcmp(line, CTL_CMD_STATS) == 0) {
		reply_json(cl, srv_stats_json(srv));
		return;
	}
	if (strcmp(line, CTL_CMD_KILL) == 0 && arg != NULL) {
		char *end;
		unsigned long id;

		/* By ID only: a user called "12" is killed with kill-user. */
		errno = 0;
		id = strtoul(arg, &end, 10);
		if (!isdigit((unsigned char)arg[0]) || *end != '\0' ||
		    errno != 0) {
			ctl_reply(cl, "{\"error\":\"kill takes a session ID; "
			    "use kill-user NAME for a user\"}");
			return;
		}
		snprintf(reply, sizeof(reply), "{\"killed\":%d}",
		    kill_sessions(srv, id, NULL));
		ctl_reply(cl, reply);
		return;
	}
	if (strcmp(line, CTL_CMD_KILL_USER) == 0 && arg != NULL &&
	    *arg != '\0') {
		snprintf(reply, sizeof(reply), "{\"killed\":%d}",
		    kill_sessions(srv, 0, arg));
		ctl_reply(cl, reply);
		return;
	}
	ctl_reply(cl, "{\"error\":\"unknown command\"}");
}

static void
ctl_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct ctl_client *cl = h->data;

	buf->base = cl->line + cl->len;
	buf->len = sizeof(cl->line) - 1 - cl->len;
}

static void
ctl_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct ctl_client *cl = s->data;
	char *nl;

	if (cl->done)
		return;
	if (n < 0) {
		ctl_close(cl);
		return;
	}
	cl->len += (size_t)n;
	cl->line[cl->len] = '\0';
	if ((nl = strchr(cl->line, '\n')) != NULL) {
		*nl = '\0';
		ctl_command(cl, cl->line);
	} else if (cl->len >= sizeof(cl->line) - 1) {
		ctl_reply(cl, "{\"error\":\"line too long\"}");
	}
}

/* The whole exchange must end within control-timeout. */
static void
ctl_timeout(uv_timer_t *h)
{
	struct ctl_client *cl = h->data;

	srv_limit(cl->srv, LIM_CONTROL, NULL, "control client closed: no "
	    "request within %u s (control-timeout)",
	    cl->srv->cfg.control_timeout);
	ctl_close(cl);
}

/* 1 if the peer may use the socket: root, our own user, or a member of
 * control-group. *uid / *gid get its identity for the log. */
static int
ctl_peer_allowed(struct server *srv, int fd, uid_t *uid, gid_t *gid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	gid_t groups[CTL_GROUPS_MAX];
	int n;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0)
		return 0;
	*uid = cr.uid;
	*gid = cr.gid;
	if (cr.uid == 0 || cr.uid == geteuid())
		return 1;
	if (srv->ctl_gid < 0)
		return 0;
	if (cr.gid == (gid_t)srv->ctl_gid)
		return 1;
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0)
		return 0;
	n = (int)(len / sizeof(groups[0]));
	for (int i = 0; i < n; i++)
		if (groups[i] == (gid_t)srv->ctl_gid)
			return 1;
	return 0;
}

static void
ctl_connection(uv_stream_t *server, int status)
{
	struct server *srv = server->data;
	struct ctl_client *cl;
	uv_os_fd_t fd;
	uid_t uid;
	gid_t gid;

	if (status < 0 || (cl = calloc(1, sizeof(*cl))) == NULL)
		return;
	cl->srv = srv;
	srv->ctl_clients++;
	uv_pipe_init(srv->loop, &cl->pipe, 0);
	uv_timer_init(srv->loop, &cl->timer);
	cl->pipe.data = cl->timer.data = cl;
	cl->handles = 2;
	if (uv_accept(server, (uv_stream_t *)&cl->pipe) != 0 ||
	    uv_fileno((uv_handle_t *)&cl->pipe, &fd) != 0) {
		ctl_close(cl);
		return;
	}
	if (srv->ctl_clients > srv->cfg.max_control_clients) {
		srv_limit(srv, LIM_CONTROL, NULL, "control client refused: "
		    "%u clients already", srv->cfg.max_control_clients);
		ctl_close(cl);
		return;
	}
	if (!ctl_peer_allowed(srv, fd, &uid, &gid)) {
		uint32_t sup;

		if (pk_ratelimit_ok(&srv->rl_ctl, srv_now_ms(), &sup))
			pk_log(PK_LOG_WARN, NULL, "control client refused: "
			    "uid=%ld gid=%ld is neither root nor in "
			    "control-group%s", (long)(int)uid, (long)(int)gid,
			    sup != 0 ? " (similar messages suppressed)" : "");
		/* Answered once its line is read: closing on unread
		 * bytes would reset the socket before it sees why. */
		cl->denied = 1;
	}
	uv_timer_start(&cl->timer, ctl_timeout,
	    (uint64_t)srv->cfg.control_timeout * 1000, 0);
	uv_read_start((uv_stream_t *)&cl->pipe, ctl_alloc, ctl_read);
}

/* control-group as a gid: a group name or a number; -1 if unset. */
static int
ctl_group(const char *name, long *gid)
{
	struct group *g;
	char *end;

	*gid = -1;
	if (name[0] == '\0')
		return 0;
	errno = 0;
	*gid = strtol(name, &end, 10);
	if (*end == '\0' && errno == 0 && *gid >= 0)
		return 0;
	if ((g = getgrnam(name)) == NULL)
		return -1;
	*gid = (long)g->gr_gid;
	return 0;
}

int
srv_ctl_open(struct server *srv)
{
	const char *path = srv->cfg.control_socket;
	mode_t old;
	long gid;
	int r;

	if (ctl_group(srv->cfg.control_group, &gid) != 0) {
		pk_log(PK_LOG_ERR, NULL, "control-group: no group \"%s\"",
		    srv->cfg.control_group);
		return UV_EINVAL;
	}
	srv->ctl_gid = (int)gid;
	pk_ratelimit_init(&srv->rl_ctl, 10000, 5);
	uv_pipe_init(srv->loop, &srv->ctl, 0);
	srv->ctl.data = srv;
	unlink(path);
	/* Created 0600 from the start: no window in which another user
	 * could connect (chmod after bind would leave one). */
	old = umask(0177);
	r = uv_pipe_bind(&srv->ctl, path);
	umask(old);
	if (r != 0)
		return r;
	srv->ctl_open = 1;
	if (gid >= 0 && (chown(path, (uid_t)-1, (gid_t)gid) != 0 ||
	    chmod(path, 0660) != 0))
		return uv_translate_sys_error(errno);
	return uv_listen((uv_stream_t *)&srv->ctl,
	    (int)srv->cfg.max_control_clients, ctl_connection);
}

void
srv_ctl_close(struct server *srv)
{
	if (srv->ctl_open)
		unlink(srv->cfg.control_socket);
}
