/*
 * radius_attr.c - decoding the session attributes of an Access-Accept or
 * CoA-Request into struct radius_session_attrs (see radius_attr.h).
 */
#include <string.h>

#include "core/err.h"
#include "radius/radius_attr.h"

/* Rates are bounded so a server cannot overflow the shaper's math:
 * 1 Tbit/s is far beyond any PPTP session. */
#define RATE_MAX 1000000000000ull

void
radius_session_attrs_init(struct radius_session_attrs *a)
{
	memset(a, 0, sizeof(*a));
	a->session_timeout = RADIUS_UNSET;
	a->idle_timeout = RADIUS_UNSET;
	a->interim_interval = RADIUS_UNSET;
}

/* Keeps the lower non-zero rate: "several attributes, the lowest wins". */
static void
tighten_rate(uint64_t *have, uint64_t v)
{
	if (v != 0 && (*have == 0 || v < *have))
		*have = v;
}

/* Reads a decimal number (at most ~10^12) from *pp. */
static int
parse_decimal(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t n = 0;

	if (*p < '0' || *p > '9')
		return PK_ERR_VALUE;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > RATE_MAX)
			return PK_ERR_VALUE;
		p++;
	}
	*pp = p;
	*v = n;
	return PK_OK;
}

static int
parse_rate(const char **pp, uint64_t *bps)
{
	uint64_t n, mult = 1;
	int r;

	if ((r = parse_decimal(pp, &n)) != 0)
		return r;
	switch (**pp) {
	case 'k':
	case 'K':
		mult = 1000;
		break;
	case 'M':
		mult = 1000000;
		break;
	case 'G':
		mult = 1000000000;
		break;
	}
	if (mult != 1)
		(*pp)++;
	if (n > RATE_MAX / mult)
		return PK_ERR_VALUE;
	*bps = n * mult;
	return PK_OK;
}

int
radius_parse_mikrotik_rate(const char *text, uint64_t *rx_bps,
    uint64_t *tx_bps)
{
	const char *p = text;
	uint64_t rx, tx;
	int r;

	while (*p == ' ')
		p++;
	if ((r = parse_rate(&p, &rx)) != 0)
		return r;
	tx = rx;
	if (*p == '/') {
		p++;
		if ((r = parse_rate(&p, &tx)) != 0)
			return r;
	}
	/* The rest (burst rates, thresholds, times, priority) is ignored,
	 * but the first word must end here. */
	if (*p != '\0' && *p != ' ')
		return PK_ERR_VALUE;
	*rx_bps = rx;
	*tx_bps = tx;
	return PK_OK;
}

/* Dotted quad into host order; advances *pp. */
static int
parse_ipv4(const char **pp, uint32_t *ip)
{
	uint32_t v = 0;
	uint64_t octet;

	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			if (**pp != '.')
				return PK_ERR_VALUE;
			(*pp)++;
		}
		if (parse_decimal(pp, &octet) != 0 || octet > 255)
			return PK_ERR_VALUE;
		v = (v << 8) | (uint32_t)octet;
	}
	*ip = v;
	return PK_OK;
}

static int
skip_spaces(const char **pp)
{
	const char *p = *pp;

	while (*p == ' ' || *p == '\t')
		p++;
	if (p == *pp)
		return 0;
	*pp = p;
	return 1;
}

int
radius_parse_framed_route(const char *text, struct radius_route *rt)
{
	const char *p = text;
	uint64_t n;
	uint32_t prefix;
	int len;

	memset(rt, 0, sizeof(*rt));
	(void)skip_spaces(&p);
	if (parse_ipv4(&p, &prefix) != 0)
		return PK_ERR_VALUE;
	if (*p == '/') {
		p++;
		if (parse_decimal(&p, &n) != 0 || n > 32)
			return PK_ERR_VALUE;
		len = (int)n;
	} else if (prefix >> 31 == 0)
		len = 8;		/* class A */
	else if (prefix >> 30 == 2)
		len = 16;		/* class B */
	else if (prefix >> 29 == 6)
		len = 24;		/* class C */
	else
		len = 32;
	rt->prefix_len = (uint8_t)len;
	rt->prefix = len == 0 ? 0 : prefix & (0xffffffffu << (32 - len));
	/* The gateway is required by the RFC's grammar but some servers
	 * omit it; then the user's address is the next hop. */
	if (skip_spaces(&p) && *p != '\0') {
		if (parse_ipv4(&p, &rt->gateway) != 0)
			return PK_ERR_VALUE;
		if (skip_spaces(&p) && *p != '\0') {
			if (parse_decimal(&p, &n) != 0 || n > UINT32_MAX)
				return PK_ERR_VALUE;
			rt->metric = (uint32_t)n;
			/* Further metrics are allowed and ignored. */
			while (*p == ' ' || *p == '-' ||
			    (*p >= '0' && *p <= '9'))
				p++;
		}
	}
	(void)skip_spaces(&p);
	return *p == '\0' ? PK_OK : PK_ERR_VALUE;
}

static int
get_u32(const struct radius_attr *a, uint32_t *v)
{
	return radius_attr_u32(a, v);
}

static int
standard_attr(struct radius_session_attrs *s, const struct radius_attr *a,
    const char **what)
{
	char text[RADIUS_TEXT_MAX + 1];
	uint32_t v;
	int r;

	switch (a->type) {
	case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		*what = "Framed-IP-Address";
		if ((r = get_u32(a, &v)) != 0)
			return r;
		if (v == RADIUS_FRAMED_IP_NAS_CHOOSES)
			s->ip_mode = RADIUS_IP_NAS_CHOOSES;
		else if (v == RADIUS_FRAMED_IP_USER_CHOOSES)
			s->ip_mode = RADIUS_IP_USER_CHOOSES;
		else if (v == 0)
			return PK_ERR_VALUE;
		else {
			s->ip_mode = RADIUS_IP_STATIC;
			s->framed_ip = v;
		}
		return 1;
	case RADIUS_ATTR_FRAMED_IP_NETMASK:
		/* A point-to-point link has no netmask: ignored. */
		*what = "Framed-IP-Netmask";
		return get_u32(a, &v) != 0 ? PK_ERR_LENGTH : 1;
	case RADIUS_ATTR_FRAMED_POOL:
		*what = "Framed-Pool";
		if ((r = radius_attr_text(a, s->framed_pool,
		    sizeof(s->framed_pool))) != 0)
			return PK_ERR_VALUE;
		return 1;
	case RADIUS_ATTR_FRAMED_MTU:
		*what = "Framed-MTU";
		if ((r = get_u32(a, &v)) != 0)
			return r;
		/* RFC 2865 §5.12: 64 to 65535. */
		if (v < 64 || v > 65535)
			return PK_ERR_VALUE;
		s->framed_mtu = v;
		return 1;
	case RADIUS_ATTR_SESSION_TIMEOUT:
		*what = "Session-Timeout";
		return get_u32(a, &s->session_timeout) != 0 ?
		    PK_ERR_LENGTH : 1;
	case RADIUS_ATTR_IDLE_TIMEOUT:
		*what = "Idle-Timeout";
		return get_u32(a, &s->idle_timeout) != 0 ? PK_ERR_LENGTH : 1;
	case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
		*what = "Acct-Interim-Interval";
		return get_u32(a, &s->interim_interval) != 0 ?
		    PK_ERR_LENGTH : 1;
	case RADIUS_ATTR_FRAMED_ROUTE:
		*what = "Framed-Route";
		if (s->n_routes == RADIUS_ROUTES_MAX) {
			s->ignored_attrs++;
			return 1;
		}
		if (radius_attr_text(a, text, sizeof(text)) != 0 ||
		    radius_parse_framed_route(text,
		    &s->routes[s->n_routes]) != 0)
			return PK_ERR_VALUE;
		s->n_routes++;
		return 1;
	case RADIUS_ATTR_CLASS:
		*what = "Class";
		if (a->len == 0)
			return PK_ERR_LENGTH;
		if (s->n_classes == RADIUS_CLASS_MAX) {
			s->ignored_attrs++;
			return 1;
		}
		s->classes[s->n_classes].len = (uint8_t)a->len;
		memcpy(s->classes[s->n_classes].data, a->value, a->len);
		s->n_classes++;
		return 1;
	case RADIUS_ATTR_REPLY_MESSAGE:
		/* Several are concatenated (RFC 2865 §5.18) - keep the
		 * first, for logs and PAP/CHAP messages. */
		*what = "Reply-Message";
		if (s->reply_message[0] == '\0')
			radius_attr_printable(a, s->reply_message,
			    sizeof(s->reply_message));
		return 1;
	}
	return 0;
}

static int
ms_addr(uint32_t *slot, const struct radius_attr *a)
{
	return get_u32(a, slot) != 0 ? PK_ERR_LENGTH : 1;
}

static int
vendor_attr(struct radius_session_attrs *s, const struct radius_attr *a,
    const char **what)
{
	char text[RADIUS_TEXT_MAX + 1];
	uint64_t rx, tx;
	uint32_t v;

	if (a->vendor == RADIUS_VENDOR_MICROSOFT) {
		switch (a->vtype) {
		case RADIUS_MS_PRIMARY_DNS_SERVER:
			*what = "MS-Primary-DNS-Server";
			return ms_addr(&s->dns[0], a);
		case RADIUS_MS_SECONDARY_DNS_SERVER:
			*what = "MS-Secondary-DNS-Server";
			return ms_addr(&s->dns[1], a);
		case RADIUS_MS_PRIMARY_NBNS_SERVER:
			*what = "MS-Primary-NBNS-Server";
			return ms_addr(&s->nbns[0], a);
		case RADIUS_MS_SECONDARY_NBNS_SERVER:
			*what = "MS-Secondary-NBNS-Server";
			return ms_addr(&s->nbns[1], a);
		case RADIUS_MS_MPPE_ENCRYPTION_POLICY:
			*what = "MS-MPPE-Encryption-Policy";
			if (get_u32(a, &s->mppe_policy) != 0)
				return PK_ERR_LENGTH;
			if (s->mppe_policy != RADIUS_MPPE_POLICY_ALLOWED &&
			    s->mppe_policy != RADIUS_MPPE_POLICY_REQUIRED)
				return PK_ERR_VALUE;
			s->has_mppe_policy = 1;
			return 1;
		case RADIUS_MS_MPPE_ENCRYPTION_TYPES:
			*what = "MS-MPPE-Encryption-Types";
			if (get_u32(a, &s->mppe_types) != 0)
				return PK_ERR_LENGTH;
			s->has_mppe_types = 1;
			return 1;
		}
		return 0;
	}
	if (a->vendor == RADIUS_VENDOR_WISPR) {
		switch (a->vtype) {
		case RADIUS_WISPR_BANDWIDTH_MAX_UP:
			*what = "WISPr-Bandwidth-Max-Up";
			if (get_u32(a, &v) != 0)
				return PK_ERR_LENGTH;
			tighten_rate(&s->rate_up_bps, v);
			return 1;
		case RADIUS_WISPR_BANDWIDTH_MAX_DOWN:
			*what = "WISPr-Bandwidth-Max-Down";
			if (get_u32(a, &v) != 0)
				return PK_ERR_LENGTH;
			tighten_rate(&s->rate_down_bps, v);
			return 1;
		}
		return 0;
	}
	if (a->vendor == RADIUS_VENDOR_MIKROTIK &&
	    a->vtype == RADIUS_MIKROTIK_RATE_LIMIT) {
		*what = "Mikrotik-Rate-Limit";
		if (radius_attr_text(a, text, sizeof(text)) != 0 ||
		    radius_parse_mikrotik_rate(text, &rx, &tx) != 0)
			return PK_ERR_VALUE;
		tighten_rate(&s->rate_up_bps, rx);
		tighten_rate(&s->rate_down_bps, tx);
		return 1;
	}
	return 0;
}

int
radius_session_attr(struct radius_session_attrs *s,
    const struct radius_attr *a, const char **what)
{
	*what = "attribute";
	if (a->vendor != 0)
		return vendor_attr(s, a, what);
	return standard_attr(s, a, what);
}
