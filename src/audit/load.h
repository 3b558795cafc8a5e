/*
 * load.h - the glue between a capture file and the model: read every
 * frame with libpcap (pcap_io.h), dissect it (dissect.h), feed the model
 * (audit.h), and hand each PPP frame to an optional consumer (the
 * decryptor). The one place that loops over a file.
 */
#ifndef PK_AUDIT_LOAD_H
#define PK_AUDIT_LOAD_H

#include <stddef.h>

#include "audit/audit.h"
#include "audit/dissect.h"
#include "audit/pcap_io.h"

/* Called for every PPP frame of a call, in capture order; a non-zero
 * return stops the load with that error. */
typedef int audit_ppp_fn(void *arg, const struct audit_cap *c,
    const struct audit_ppp_event *ev);

struct audit_load {
	struct audit_dissector dis;
	struct audit_cap cap;
	int dlt;
	char warning[AUDIT_ERR_MAX];	/* non-fatal: e.g. cut-off file */
};

/*
 * Reads the capture at path ("-": stdin) into l (which the caller frees
 * with audit_load_free(), also after an error). port is the PPTP control
 * port (0: 1723). Returns 0 (l->warning may say the file ended early), or
 * an error with a sentence for the user in err: the file cannot be read
 * or is no capture (PK_ERR_SYS), its link type is not one we dissect
 * (PK_ERR_TYPE), out of memory, or what on_ppp returned.
 */
int audit_load_file(const char *path, const struct audit_limits *lim,
    unsigned port, audit_ppp_fn *on_ppp, void *arg, struct audit_load *l,
    char *err, size_t errlen);
/* The same from a reader the caller opened (tests, fuzzing); the reader
 * is not closed. */
int audit_load_reader(struct audit_pcap_reader *rd,
    const struct audit_limits *lim, unsigned port, audit_ppp_fn *on_ppp,
    void *arg, struct audit_load *l, char *err, size_t errlen);
void audit_load_free(struct audit_load *l);

#endif
