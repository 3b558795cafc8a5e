/*
 * pcap_io.c - libpcap for file I/O only (see pcap_io.h): the offline
 * reader behind `pptpkit audit/export/crack/decrypt` and the pcap_dump
 * writer behind `pptpkit decrypt -o`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "audit/pcap_io.h"
#include "core/err.h"

#define PCAP_WRITE_SNAPLEN 65535

struct audit_pcap_reader {
	pcap_t *p;
	void *mem;		/* audit_pcap_open_mem()'s copy, or NULL */
	int done;
};

struct audit_pcap_writer {
	pcap_t *p;
	pcap_dumper_t *d;
};

static int
reader_new(pcap_t *p, void *mem, struct audit_pcap_reader **rp)
{
	struct audit_pcap_reader *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		pcap_close(p);
		free(mem);
		return PK_ERR_NOMEM;
	}
	r->p = p;
	r->mem = mem;
	*rp = r;
	return PK_OK;
}

int
audit_pcap_open(const char *path, struct audit_pcap_reader **rp,
    char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	*rp = NULL;
	/* Microsecond timestamps whatever the file holds (pcapng may carry
	 * nanoseconds); that is all the report prints. */
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (p == NULL) {
		snprintf(err, errlen, "%s", ebuf);
		return PK_ERR_SYS;
	}
	return reader_new(p, NULL, rp);
}

int
audit_pcap_open_mem(const void *data, size_t len,
    struct audit_pcap_reader **rp, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	void *copy;
	pcap_t *p;
	FILE *f;

	*rp = NULL;
	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		return PK_ERR_NOMEM;
	if (len > 0)
		memcpy(copy, data, len);
	if ((f = fmemopen(copy, len > 0 ? len : 1, "rb")) == NULL) {
		snprintf(err, errlen, "fmemopen: %s", strerror(errno));
		free(copy);
		return PK_ERR_SYS;
	}
	if (len == 0)
		(void)fgetc(f);	/* an empty "file": libpcap sees EOF */
	/* pcap_fopen_offline owns f from here on, even when it fails
	 * (libpcap closes it in that case). */
	p = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (p == NULL) {
		snprintf(err, errlen, "%s", ebuf);
		free(copy);
		return PK_ERR_SYS;
	}
	return reader_new(p, copy, rp);
}

int
audit_pcap_linktype(const struct audit_pcap_reader *r)
{
	return pcap_datalink(r->p);
}

int
audit_pcap_next(struct audit_pcap_reader *r, struct audit_frame *f,
    char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (r->done)
		return 0;
	rc = pcap_next_ex(r->p, &h, &data);
	if (rc == 1) {
		f->ts_us = (uint64_t)h->ts.tv_sec * 1000000u +
		    (uint64_t)h->ts.tv_usec;
		f->data = data;
		f->caplen = h->caplen;
		f->wirelen = h->len;
		return 1;
	}
	r->done = 1;
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	snprintf(err, errlen, "%s", pcap_geterr(r->p));
	/* libpcap words a cut-off file "truncated dump file" (pcap) or
	 * "truncated pcapng dump file" / "...block" (pcapng). */
	return strstr(err, "truncated") != NULL ? PK_ERR_SHORT : PK_ERR_SYS;
}

void
audit_pcap_close(struct audit_pcap_reader *r)
{
	if (r == NULL)
		return;
	pcap_close(r->p);
	free(r->mem);
	free(r);
}

int
audit_pcap_writer_open(const char *path, int dlt,
    struct audit_pcap_writer **wp, char *err, size_t errlen)
{
	struct audit_pcap_writer *w;

	*wp = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return PK_ERR_NOMEM;
	if ((w->p = pcap_open_dead_with_tstamp_precision(dlt,
	    PCAP_WRITE_SNAPLEN, PCAP_TSTAMP_PRECISION_MICRO)) == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		free(w);
		return PK_ERR_SYS;
	}
	if ((w->d = pcap_dump_open(w->p, path)) == NULL) {
		snprintf(err, errlen, "%s", pcap_geterr(w->p));
		pcap_close(w->p);
		free(w);
		return PK_ERR_SYS;
	}
	*wp = w;
	return PK_OK;
}

int
audit_pcap_write(struct audit_pcap_writer *w, uint64_t ts_us,
    const uint8_t *data, size_t len)
{
	struct pcap_pkthdr h;

	if (len > PCAP_WRITE_SNAPLEN)
		return PK_ERR_ARG;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_us / 1000000u);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000u);
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->d, &h, data);
	return PK_OK;
}

int
audit_pcap_writer_close(struct audit_pcap_writer *w)
{
	int r = PK_OK;

	if (w == NULL)
		return PK_OK;
	if (pcap_dump_flush(w->d) != 0 || ferror(pcap_dump_file(w->d)))
		r = PK_ERR_SYS;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
	return r;
}
