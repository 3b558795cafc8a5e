/*
 * server_auth.c - pptpkitd's authentication decision (see server_int.h):
 * one function between an authentication request from a call and the
 * answer to its tunnel, so that another source of truth (RADIUS) can
 * answer later instead of at once.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/rand.h"
#include "crypto/crypto.h"
#include "glue/server_int.h"

/*
 * Decides one authentication request against chap-secrets. An unknown or
 * denied user is checked against a random password, so the peer gets the
 * same well-formed failure (and timing) as for a wrong password; only our
 * log says which it was.
 */
void
srv_authenticate(struct conn *c, struct call *k,
    const struct auth_request *req)
{
	struct server *srv = c->srv;
	const struct secret_entry *e;
	struct auth_result res;
	char decoy[33], why[128];
	uint8_t rnd[16];
	uint32_t ip = 0;
	int pool_ip = 0;

	srv_call_set_user(k, req->user);
	memset(&res, 0, sizeof(res));
	why[0] = '\0';
	e = secrets_find(&srv->secrets, req->user, srv->cfg.name);
	if (e == NULL || e->denied) {
		pk_rand_bytes(rnd, sizeof(rnd));
		for (size_t i = 0; i < sizeof(rnd); i++)
			snprintf(decoy + 2 * i, 3, "%02x", rnd[i]);
		(void)auth_verify_local(req, decoy, &res);
		res.ok = 0;
		snprintf(why, sizeof(why), "%s", e == NULL ?
		    "unknown user" : "user denied by chap-secrets (\"-\")");
		crypto_wipe(decoy, sizeof(decoy));
	} else {
		(void)auth_verify_local(req, e->secret, &res);
		if (!res.ok)
			snprintf(why, sizeof(why), "wrong password");
	}
	if (res.ok) {
		if (e->static_ip != 0) {
			ip = ntohl(e->static_ip);
			for (unsigned i = 1; i < CALL_IDS; i++) {
				struct call *o = srv->calls[i];

				if (o != NULL && o != k && o->peer_ip == ip) {
					res.ok = 0;
					snprintf(why, sizeof(why), "static address "
					    "already in use by session %u",
					    o->session_id);
					break;
				}
			}
			if (res.ok && pool_claim(&srv->pool, ip) == 0 &&
			    pool_contains(&srv->pool, ip))
				pool_ip = 1;
		} else if (pool_alloc(&srv->pool, &ip) == 0) {
			pool_ip = 1;
		} else {
			res.ok = 0;
			snprintf(why, sizeof(why), "address pool exhausted");
		}
	}
	if (res.ok) {
		k->peer_ip = ip;
		k->pool_ip = pool_ip;
		res.framed_ip = ip;
		pk_log(PK_LOG_INFO, k->log_ctx, "authentication accepted "
		    "(%s)", policy_auth_name(req->method));
	} else {
		pk_log(PK_LOG_WARN, k->log_ctx, "authentication refused (%s): "
		    "%s", policy_auth_name(req->method), why);
	}
	(void)tunnel_auth_complete(c->tun, srv_now_ms(), k->call_id, &res,
	    &srv->out);
	auth_result_wipe(&res);
	crypto_wipe(&res, sizeof(res));
}
