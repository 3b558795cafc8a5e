/*
 * server_ctl.c - pptpkitd's control socket (see ctlproto.h): one request
 * line per connection, one JSON reply.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "glue/ctlproto.h"
#include "glue/server_int.h"

#define CTL_LINE_MAX 512

struct ctl_client {
	uv_pipe_t pipe;
	struct server *srv;
	char line[CTL_LINE_MAX];
	size_t len;
	int done;
};

static void
ctl_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
ctl_written(uv_write_t *req, int status)
{
	struct ctl_client *cl = req->data;

	free(req);
	uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
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
		uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
		return;
	}
	memcpy(req + 1, text, len);
	req->data = cl;
	b = uv_buf_init((char *)(req + 1), (unsigned)len);
	if (uv_write(req, (uv_stream_t *)&cl->pipe, &b, 1, ctl_written) != 0) {
		free(req);
		uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
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
	json_object_object_add(o, "user", json_object_new_string(k->user));
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
	}
	json_object_object_add(o, "uptime",
	    json_object_new_int64((int64_t)((now - k->started) / 1000)));
	return o;
}

static void
ctl_command(struct ctl_client *cl, char *line)
{
	struct server *srv = cl->srv;
	char *arg;

	if ((arg = strchr(line, ' ')) != NULL)
		*arg++ = '\0';
	if (strcmp(line, CTL_CMD_SESSIONS) == 0) {
		json_object *arr = json_object_new_array();

		for (struct conn *c = srv->conns; c != NULL; c = c->next)
			for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
				if (c->calls[i] != NULL)
					json_object_array_add(arr,
					    session_json(srv, c->calls[i]));
		ctl_reply(cl, json_object_to_json_string_ext(arr,
		    JSON_C_TO_STRING_PLAIN));
		json_object_put(arr);
		return;
	}
	if (strcmp(line, CTL_CMD_KILL) == 0 && arg != NULL && *arg != '\0') {
		char *end;
		unsigned long id = strtoul(arg, &end, 10);
		int n = 0;

		for (struct conn *c = srv->conns; c != NULL; c = c->next) {
			for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
				struct call *k = c->calls[i];

				if (k == NULL || !((*end == '\0' &&
				    k->session_id == id) ||
				    strcmp(k->user, arg) == 0))
					continue;
				pk_log(PK_LOG_NOTICE, k->log_ctx, "session %u "
				    "killed by the administrator",
				    k->session_id);
				(void)tunnel_call_close(c->tun, srv_now_ms(),
				    k->call_id, "killed by the administrator",
				    &srv->out);
				srv_conn_dispatch(c);
				n++;
			}
		}
		char reply[64];

		snprintf(reply, sizeof(reply), "{\"killed\":%d}", n);
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
		uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
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

static void
ctl_connection(uv_stream_t *server, int status)
{
	struct server *srv = server->data;
	struct ctl_client *cl;

	if (status < 0 || (cl = calloc(1, sizeof(*cl))) == NULL)
		return;
	cl->srv = srv;
	uv_pipe_init(srv->loop, &cl->pipe, 0);
	cl->pipe.data = cl;
	if (uv_accept(server, (uv_stream_t *)&cl->pipe) != 0) {
		uv_close((uv_handle_t *)&cl->pipe, ctl_closed);
		return;
	}
	uv_read_start((uv_stream_t *)&cl->pipe, ctl_alloc, ctl_read);
}

int
srv_ctl_open(struct server *srv)
{
	const char *path = srv->cfg.control_socket;
	int r;

	uv_pipe_init(srv->loop, &srv->ctl, 0);
	srv->ctl.data = srv;
	unlink(path);
	if ((r = uv_pipe_bind(&srv->ctl, path)) != 0 ||
	    (r = uv_listen((uv_stream_t *)&srv->ctl, 16,
	    ctl_connection)) != 0)
		return r;
	chmod(path, 0600);
	srv->ctl_open = 1;
	return 0;
}

void
srv_ctl_close(struct server *srv)
{
	if (srv->ctl_open)
		unlink(srv->cfg.control_socket);
}
