/* load.c - a capture file through the dissector into the model (see
 * load.h). */
#include <stdio.h>
#include <string.h>

#include "audit/load.h"
#include "core/err.h"

int
audit_load_reader(struct audit_pcap_reader *rd,
    const struct audit_limits *lim, unsigned port, audit_ppp_fn *on_ppp,
    void *arg, struct audit_load *l, char *err, size_t errlen)
{
	struct audit_ppp_event ev;
	struct audit_frame f;
	struct audit_l4 p;
	char dl[32], rerr[AUDIT_ERR_MAX];
	int r;

	memset(l, 0, sizeof(*l));
	l->dlt = audit_pcap_linktype(rd);
	if ((r = audit_dissector_init(&l->dis, l->dlt)) != 0) {
		if (r == PK_ERR_TYPE)
			snprintf(err, errlen, "%s is not a link type pptpkit "
			    "reads (Ethernet, Linux cooked v1/v2, raw IP, "
			    "BSD loopback)", audit_dlt_name(l->dlt, dl,
			    sizeof(dl)));
		else
			snprintf(err, errlen, "%s", pk_strerror(r));
		return r;
	}
	if (port != 0)
		l->dis.pptp_port = (uint16_t)port;
	if ((r = audit_cap_init(&l->cap, lim)) != 0) {
		snprintf(err, errlen, "%s", pk_strerror(r));
		return r;
	}
	l->cap.pptp_port = l->dis.pptp_port;
	while ((r = audit_pcap_next(rd, &f, rerr, sizeof(rerr))) == 1) {
		if (audit_dissect(&l->dis, &f, &p) != 1)
			continue;
		if ((r = audit_cap_input(&l->cap, &p, &ev)) != 0) {
			snprintf(err, errlen, "%s", pk_strerror(r));
			return r;
		}
		if (on_ppp != NULL && ev.valid &&
		    (r = on_ppp(arg, &l->cap, &ev)) != 0) {
			snprintf(err, errlen, "%s", pk_strerror(r));
			return r;
		}
	}
	if (r < 0)
		snprintf(l->warning, sizeof(l->warning), "%s", rerr);
	audit_cap_finish(&l->cap);
	return PK_OK;
}

int
audit_load_file(const char *path, const struct audit_limits *lim,
    unsigned port, audit_ppp_fn *on_ppp, void *arg, struct audit_load *l,
    char *err, size_t errlen)
{
	struct audit_pcap_reader *rd;
	char perr[AUDIT_ERR_MAX];
	int r;

	memset(l, 0, sizeof(*l));
	if ((r = audit_pcap_open(path, &rd, perr, sizeof(perr))) != 0) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return r;
	}
	r = audit_load_reader(rd, lim, port, on_ppp, arg, l, err, errlen);
	audit_pcap_close(rd);
	return r;
}

void
audit_load_free(struct audit_load *l)
{
	if (l == NULL)
		return;
	audit_dissector_free(&l->dis);
	audit_cap_free(&l->cap);
}
