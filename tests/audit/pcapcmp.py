#!/usr/bin/env python3
"""pcapcmp.py - the IP packets of two captures compared byte for byte.

  pcapcmp.py DECRYPTED.pcap TUN.pcap [--skip-syn] [--ipv4-only]
             [--allow-missing N] [--allow-extra N]

Both files are classic pcap (tcpdump's and libpcap's pcap_dump output)
with raw IP (link types 101/12/14/228), Ethernet (1) or Linux cooked
v1/v2 (113/276) frames; only IPv4 and IPv6 packets count. The packets of
each direction (keyed by source address) must appear in the same order
with the same bytes. --skip-syn leaves out TCP SYN segments (pptpkit
clamps their MSS between the TUN and the wire). --allow-missing N lets
up to N packets of TUN.pcap be absent from DECRYPTED.pcap (packets lost
before the capture point); --allow-extra N up to N decrypted packets
that TUN.pcap lacks (tcpdump on the TUN said it dropped N). --ipv4-only leaves out IPv6 (a tunnel without
IPV6CP carries none, but the kernel still writes router solicitations to
the TUN). Prints a summary; exit 1 on any difference.
"""
import struct
import sys


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        sys.exit("%s: not a pcap file" % path)
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        sys.exit("%s: not a classic pcap file (magic %08x)" % (path, magic))
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if incl != orig:
            sys.exit("%s: a truncated frame (capture with -s 0)" % path)
        if linktype in (101, 12, 14, 228):
            ip = frame
        elif linktype == 1:
            etype = struct.unpack(">H", frame[12:14])[0]
            ip = frame[14:] if etype in (0x0800, 0x86DD) else b""
        elif linktype == 113:
            ip = frame[16:]
        elif linktype == 276:
            ip = frame[20:]
        else:
            sys.exit("%s: link type %d not handled" % (path, linktype))
        if ip and ip[0] >> 4 == 4:
            out.append(ip[:struct.unpack(">H", ip[2:4])[0]])
        elif ip and ip[0] >> 4 == 6:
            out.append(ip[:40 + struct.unpack(">H", ip[4:6])[0]])
    return out


def src(ip):
    return ip[12:16] if ip[0] >> 4 == 4 else ip[8:24]


def is_syn(ip):
    if ip[0] >> 4 != 4 or ip[9] != 6:
        return False
    ihl = (ip[0] & 15) * 4
    return len(ip) > ihl + 13 and ip[ihl + 13] & 0x02


def main():
    args = sys.argv[1:]
    skip_syn = "--skip-syn" in args
    v4 = "--ipv4-only" in args
    allow = allow_extra = 0
    if "--allow-missing" in args:
        allow = int(args[args.index("--allow-missing") + 1])
    if "--allow-extra" in args:
        allow_extra = int(args[args.index("--allow-extra") + 1])
    files = [a for a in args if a.endswith(".pcap")]
    if len(files) != 2:
        sys.exit(__doc__)
    got, want = packets(files[0]), packets(files[1])
    if skip_syn:
        got = [p for p in got if not is_syn(p)]
        want = [p for p in want if not is_syn(p)]
    if v4:
        got = [p for p in got if p[0] >> 4 == 4]
        want = [p for p in want if p[0] >> 4 == 4]
    dirs = {}
    for p in want:
        dirs.setdefault(src(p), [[], []])[1].append(p)
    for p in got:
        dirs.setdefault(src(p), [[], []])[0].append(p)
    bad, missing, extra = 0, 0, 0
    for s, (g, w) in sorted(dirs.items()):
        # Every decrypted packet must be the next matching TUN packet
        # (TUN packets skipped over count as missing); one that matches
        # none is extra.
        i = 0
        for k, p in enumerate(g):
            j = i
            while j < len(w) and w[j] != p:
                j += 1
            if j == len(w):
                extra += 1
                if extra > allow_extra:
                    print("direction from %s: decrypted packet %d (%d "
                          "bytes) matches no TUN packet in order"
                          % (s.hex(), k, len(p)))
                    bad += 1
                    break
                continue
            missing += j - i
            i = j + 1
        missing += len(w) - i
        print("from %s: %d decrypted, %d on the TUN" % (s.hex(), len(g),
                                                          len(w)))
    total_g = sum(len(g) for g, _ in dirs.values())
    print("%d packets decrypted, %d on the TUN, %d missing (allowed %d), "
          "%d extra (allowed %d)%s"
          % (total_g, len(want), missing, allow, extra, allow_extra,
             ", SYNs skipped" if skip_syn else ""))
    if bad or missing > allow or extra > allow_extra or total_g == 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
