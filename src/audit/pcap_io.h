/*
 * pcap_io.h - reading and writing capture files through libpcap, and
 * nothing else: the dissector (dissect.h) never sees libpcap.
 *
 * libpcap reads both pcap and pcapng (pcap_open_offline() detects the
 * format) and checks each record's lengths against the file; a capture
 * cut short (tcpdump killed mid-write) ends with an error after the last
 * whole packet, which callers report as a warning and keep what was read.
 */
#ifndef PK_AUDIT_PCAP_IO_H
#define PK_AUDIT_PCAP_IO_H

#include <stddef.h>
#include <stdint.h>

/* One captured frame as libpcap hands it over. data is borrowed and valid
 * until the next audit_pcap_next() on the same reader. */
struct audit_frame {
	uint64_t ts_us;		/* capture time, microseconds since 1970 */
	const uint8_t *data;
	size_t caplen;		/* bytes present in data */
	size_t wirelen;		/* bytes the frame had on the wire */
};

struct audit_pcap_reader;
struct audit_pcap_writer;

#define AUDIT_ERR_MAX 320

/*
 * Opens a capture file ("-" is stdin). Returns 0, or PK_ERR_SYS with
 * libpcap's reason (no such file, unknown file format, ...) in err.
 */
int audit_pcap_open(const char *path, struct audit_pcap_reader **rp,
    char *err, size_t errlen);
/* The same over len bytes in memory (copied), for tests and fuzzing. */
int audit_pcap_open_mem(const void *data, size_t len,
    struct audit_pcap_reader **rp, char *err, size_t errlen);
/* The file's link-layer type (a DLT_* value). */
int audit_pcap_linktype(const struct audit_pcap_reader *r);
/*
 * Reads the next frame. Returns 1 with *f filled, 0 at the end of the
 * file, or PK_ERR_SHORT (file truncated, reason in err) / PK_ERR_SYS
 * (other read error). After an error the reader returns 0.
 */
int audit_pcap_next(struct audit_pcap_reader *r, struct audit_frame *f,
    char *err, size_t errlen);
void audit_pcap_close(struct audit_pcap_reader *r);

/*
 * Creates path (truncating it) as a pcap file of link type dlt (e.g.
 * DLT_RAW for bare IP packets) through pcap_dump. Returns 0 or PK_ERR_SYS
 * with the reason in err.
 */
int audit_pcap_writer_open(const char *path, int dlt,
    struct audit_pcap_writer **wp, char *err, size_t errlen);
/* Appends one packet. Returns 0 or PK_ERR_ARG (len over 65535). */
int audit_pcap_write(struct audit_pcap_writer *w, uint64_t ts_us,
    const uint8_t *data, size_t len);
/* Flushes and closes; returns 0 or PK_ERR_SYS if the data could not be
 * written (disk full). w may be NULL. */
int audit_pcap_writer_close(struct audit_pcap_writer *w);

#endif
