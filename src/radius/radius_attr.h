/*
 * radius_attr.h - what a RADIUS server tells pptpkit about a session, in
 * an Access-Accept (RFC 2865 §5, RFC 2869, RFC 2548) or a CoA-Request
 * (RFC 5176): addresses, timers, name servers, routes, Class, rate
 * limits and MPPE constraints, decoded into one struct, plus the parsers
 * for the text forms some of them use (Framed-Route, Mikrotik-Rate-Limit).
 */
#ifndef PK_RADIUS_RADIUS_ATTR_H
#define PK_RADIUS_RADIUS_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "radius/radius_packet.h"

/* Held per session; more are ignored (and counted in ignored_attrs). */
#define RADIUS_CLASS_MAX 4
#define RADIUS_ROUTES_MAX 16
#define RADIUS_TEXT_MAX 253

enum radius_ip_mode {
	RADIUS_IP_NONE = 0,		/* no Framed-IP-Address */
	RADIUS_IP_STATIC = 1,		/* framed_ip is the address */
	RADIUS_IP_NAS_CHOOSES = 2,	/* 255.255.255.254: from our pool */
	RADIUS_IP_USER_CHOOSES = 3,	/* 255.255.255.255: the peer's */
};

/* RFC 2865 §5.22 "prefix[/len] gateway metric...". */
struct radius_route {
	uint32_t prefix;	/* host order, host bits cleared */
	uint8_t prefix_len;
	uint32_t gateway;	/* 0 means "the user's address" */
	uint32_t metric;	/* first metric, 0 if none */
};

struct radius_class {
	uint8_t len;
	uint8_t data[RADIUS_ATTR_VALUE_MAX];
};

/* Sentinel for "not given" in the 32-bit fields below that may be 0. */
#define RADIUS_UNSET UINT32_MAX

struct radius_session_attrs {
	int ip_mode;			/* enum radius_ip_mode */
	uint32_t framed_ip;		/* host order, RADIUS_IP_STATIC */
	char framed_pool[RADIUS_TEXT_MAX + 1];	/* "" if none */
	uint32_t framed_mtu;		/* 0 if none */
	/* Seconds; RADIUS_UNSET if absent. A Session-Timeout or
	 * Idle-Timeout of 0 means "no limit" as the attribute says. */
	uint32_t session_timeout;
	uint32_t idle_timeout;
	uint32_t interim_interval;
	uint32_t dns[2];		/* host order, 0 if none */
	uint32_t nbns[2];
	struct radius_route routes[RADIUS_ROUTES_MAX];
	size_t n_routes;
	/* Class attributes, echoed in every Accounting-Request (RFC 2865
	 * §5.25). */
	struct radius_class classes[RADIUS_CLASS_MAX];
	size_t n_classes;
	/* Rate limits in bits/s from the session's point of view: up is
	 * what the peer sends us, down what we send it. 0 = none. When
	 * several attributes set one, the lowest wins. */
	uint64_t rate_up_bps;
	uint64_t rate_down_bps;
	/* RFC 2548 §2.4.4/§2.4.5; has_* say whether they were present. */
	int has_mppe_policy;
	uint32_t mppe_policy;		/* RADIUS_MPPE_POLICY_* */
	int has_mppe_types;
	uint32_t mppe_types;		/* RADIUS_MPPE_TYPE_* bits */
	char reply_message[RADIUS_TEXT_MAX + 1];	/* printable form */
	/* Attributes recognised but not kept (beyond the caps above). */
	unsigned ignored_attrs;
};

/* Empty: every optional field "absent". */
void radius_session_attrs_init(struct radius_session_attrs *a);

/*
 * Folds one attribute from an Access-Accept or CoA-Request into *s.
 * Returns 1 if the attribute is one of the session attributes above, 0
 * if it is not (the caller decides what an unknown attribute means), or
 * a negative PK_ERR_* if it is one of them but malformed: PK_ERR_LENGTH
 * for a wrong-size value, PK_ERR_VALUE for text that does not parse.
 * *what names the attribute for messages ("Framed-Route").
 */
int radius_session_attr(struct radius_session_attrs *s,
    const struct radius_attr *a, const char **what);

/*
 * RFC 2865 §5.22 Framed-Route text: "a.b.c.d[/len] gateway [metric...]".
 * Without /len the classful default applies (8, 16 or 24 bits; 32 for
 * class D/E). Returns 0 or PK_ERR_VALUE.
 */
int radius_parse_framed_route(const char *text, struct radius_route *rt);

/*
 * Mikrotik-Rate-Limit: "rx[/tx] [burst...]" where each rate is a decimal
 * number with an optional k (1000), M (10^6) or G (10^9) suffix. The
 * router's rx is what it receives from the peer (our up), tx what it
 * sends (our down); a lone rate applies to both. Only the first word is
 * used (the burst fields have no equivalent here). Returns 0 or
 * PK_ERR_VALUE.
 */
int radius_parse_mikrotik_rate(const char *text, uint64_t *rx_bps,
    uint64_t *tx_bps);

#endif
