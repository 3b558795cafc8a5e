#!/usr/bin/env python3
"""tcpstream.py - the bytes one side of a TCP connection sent, from a
capture, and their SHA-256: to check what pptpkit decrypt wrote against
what an endpoint says it sent.

  tcpstream.py CAPTURE.pcap PORT    print "bytes sha256" of the data sent
                                    FROM port PORT (each segment once,
                                    in sequence order; gaps fail)
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapcmp import packets  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    port = int(sys.argv[2])
    segs, isn = {}, None
    for ip in packets(sys.argv[1]):
        if ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ihl = (ip[0] & 15) * 4
        tcp = ip[ihl:]
        sport = struct.unpack(">H", tcp[0:2])[0]
        if sport != port:
            continue
        seq = struct.unpack(">I", tcp[4:8])[0]
        flags = tcp[13]
        data = tcp[(tcp[12] >> 4) * 4:]
        if flags & 0x02:
            isn = seq + 1
            continue
        if data:
            segs.setdefault(seq, data)
    if isn is None:
        sys.exit("no SYN from port %d in %s" % (port, sys.argv[1]))
    out, pos = bytearray(), isn
    for seq in sorted(segs, key=lambda s: (s - isn) & 0xFFFFFFFF):
        d = segs[seq]
        off = (pos - seq) & 0xFFFFFFFF
        if off >= 1 << 31:
            sys.exit("a gap of %d bytes at offset %d" % (
                (seq - pos) & 0xFFFFFFFF, pos - isn))
        if off < len(d):
            out += d[off:]
            pos = (pos + len(d) - off) & 0xFFFFFFFF
    print(len(out), hashlib.sha256(out).hexdigest())


if __name__ == "__main__":
    main()
