/*
 * server_auth.c - pptpkitd's authentication decision (see server_int.h):
 * one function between an authentication request from a call and the
 * answer to its tunnel, so that another source of truth (RADIUS) can
 * answer later instead of at once.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "glue/server_int.h"

/* A lockout is said in whole seconds, rounded up. */
static unsigned long long
secs(uint64_t ms)
{
	return (unsigned long long)((ms + 999) / 1000);
}

/*
 * Decides one authentication request. A source or user under lockout is
 * refused without looking at the password, so guessing learns nothing
 * while it lasts. Otherwise chap-secrets decides: an unknown or denied
 * user is checked against a random password, so the peer gets the same
 * well-formed failure (and timing) as for a wrong password; only our log
 * says which it was.
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
	uint64_t wait;
	int v;

	srv_call_set_user(k, req->user);
	memset(&res, 0, sizeof(res));
	why[0] = '\0';
	v = guard_auth_check(srv->guard, &c->gaddr, req->user, srv_now_ms(),
	    &wait);
	if (v != GUARD_OK) {
		srv_limit(srv, v == GUARD_SRC_LOCKED ? LIM_LOCKOUT_IP :
		    LIM_LOCKOUT_USER, k->log_ctx, "authentication refused "
		    "without checking: %s locked out for %llu s more",
		    v == GUARD_SRC_LOCKED ? "this address" : "this user",
		    secs(wait));
		snprintf(why, sizeof(why), "locked out");
		srv_auth_complete(srv, k->call_id, k->session_id, req->method,
		    -1, 0, why, &res);
		return;
	}
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
	} else if (e->nt_hash_only) {
		if (auth_verify_nt_hash(req, e->nt_hash, &res) == PK_ERR_POLICY)
			snprintf(why, sizeof(why), "chap-secrets line %d holds "
			    "only the NT hash (\"nthash:\"); %s needs the "
			    "password", e->line, policy_auth_name(req->method));
		else if (!res.ok)
			snprintf(why, sizeof(why), "wrong password");
	} else {
		(void)auth_verify_local(req, e->secret, &res);
		if (!res.ok)
			snprintf(why, sizeof(why), "wrong password");
	}
	srv_auth_complete(srv, k->call_id, k->session_id, req->method, res.ok,
	    res.ok ? e->static_ip : 0, why, &res);
}

/* Claims the client's address: static_ip (network order) or the pool's
 * next. Returns 0, or -1 with why set. */
static int
assign_address(struct server *srv, struct call *k, uint32_t static_ip,
    char *why, size_t whylen)
{
	uint32_t ip;

	if (static_ip != 0) {
		ip = ntohl(static_ip);
		for (unsigned i = 1; i < CALL_IDS; i++) {
			struct call *o = srv->calls[i];

			if (o != NULL && o != k && o->peer_ip == ip) {
				snprintf(why, whylen, "static address already "
				    "in use by session %u", o->session_id);
				return -1;
			}
		}
		k->pool_ip = pool_claim(&srv->pool, ip) == 0 &&
		    pool_contains(&srv->pool, ip);
	} else if (pool_alloc(&srv->pool, &ip) == 0) {
		k->pool_ip = 1;
	} else {
		snprintf(why, whylen, "address pool exhausted");
		return -1;
	}
	k->peer_ip = ip;
	return 0;
}

void
srv_auth_complete(struct server *srv, uint16_t call_id, uint32_t session_id,
    int method, int pw_ok, uint32_t static_ip, const char *why,
    struct auth_result *res)
{
	struct call *k = srv_call_find(srv, call_id, session_id);
	char reason[128];
	struct guard_lock lk;
	uint64_t now = srv_now_ms();
	int v;

	snprintf(reason, sizeof(reason), "%s", why);
	if (k == NULL)
		goto out;	/* the call ended meanwhile */
	/* pw_ok -1: refused before any password was checked. */
	if (pw_ok >= 0) {
		guard_auth_result(srv->guard, &k->conn->gaddr, k->user, pw_ok,
		    now, &lk);
		if (lk.src_locked)
			srv_limit(srv, LIM_LOCKOUT_IP, k->log_ctx, "address "
			    "locked out for %u s after %u failed logins",
			    lk.src_ms / 1000, lk.src_failures);
		if (lk.user_locked)
			srv_limit(srv, LIM_LOCKOUT_USER, k->log_ctx, "user "
			    "locked out for %u s after %u failed logins "
			    "(except from its recent addresses)",
			    lk.user_ms / 1000, lk.user_failures);
	}
	if (res->ok && k->authed) {
		/* Re-authentication after LCP renegotiation: the call keeps
		 * its session slot, its address and its pool lease. */
	} else if (res->ok) {
		v = guard_call_authed(srv->guard, &k->conn->gaddr);
		if (v != GUARD_OK) {
			srv_limit(srv, v == GUARD_SRC_SESSIONS ?
			    LIM_SESSIONS_PER_IP : LIM_SESSIONS, k->log_ctx,
			    "authenticated call refused: session limit "
			    "reached");
			snprintf(reason, sizeof(reason), "session limit "
			    "reached");
			res->ok = 0;
		} else {
			k->authed = 1;
			if (!k->conn->authed)
				srv->n_unauth--;
			k->conn->authed = 1;
			if (assign_address(srv, k, static_ip, reason,
			    sizeof(reason)) != 0)
				res->ok = 0;
		}
		if (!res->ok) {
			/* No success text or keys in a failure: the PPP
			 * layer writes the Failure message itself. */
			auth_result_wipe(res);
			memset(res, 0, sizeof(*res));
		}
	}
	if (res->ok) {
		res->framed_ip = k->peer_ip;
		pk_log(PK_LOG_INFO, k->log_ctx, "authentication accepted "
		    "(%s)", policy_auth_name(method));
	} else {
		pk_log(PK_LOG_WARN, k->log_ctx, "authentication refused (%s): "
		    "%s", policy_auth_name(method), reason);
	}
	(void)tunnel_auth_complete(k->conn->tun, now, k->call_id, res,
	    &srv->out);
out:
	auth_result_wipe(res);
	crypto_wipe(res, sizeof(*res));
}
