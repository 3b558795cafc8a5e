#!/usr/bin/env python3
"""gen_corpus_audit.py - seeds for fuzz_audit_pcap and fuzz_audit_frames.

  gen_corpus_audit.py OUTDIR CAPTURE.pcap...

Each capture (classic pcap, any link type, e.g. recorded by
tests/audit/run.sh with PK_KEEP_TMP=1) gives:
  OUTDIR/fuzz_audit_pcap/NAME        its first 60 frames as a pcap file
  OUTDIR/fuzz_audit_frames/NAME      the same frames in the frame target's
                                     record format (link type byte, then
                                     [len hi][len lo][cut][frame])
plus a few hand-made variants (truncated, another link type, pcapng
magic with nothing behind it).
"""
import os
import struct
import sys

DLT_SEL = {1: 0, 113: 1, 276: 2, 101: 3, 12: 3, 14: 3, 228: 3, 0: 4}


def read_pcap(path, limit=60):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(end + "I", data[20:24])[0]
    frames, off = [], 24
    while off + 16 <= len(data) and len(frames) < limit:
        ts, us, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        frames.append((ts, us, data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return data[:24], linktype, frames


def write(path, blob):
    with open(path, "wb") as f:
        f.write(blob)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    pdir = os.path.join(out, "fuzz_audit_pcap")
    fdir = os.path.join(out, "fuzz_audit_frames")
    os.makedirs(pdir, exist_ok=True)
    os.makedirs(fdir, exist_ok=True)
    for cap in sys.argv[2:]:
        name = os.path.splitext(os.path.basename(cap))[0]
        hdr, lt, frames = read_pcap(cap)
        blob = hdr + b"".join(struct.pack("<IIII", ts, us, len(f), o) + f
                              for ts, us, f, o in frames)
        write(os.path.join(pdir, name), blob)
        write(os.path.join(pdir, name + "-cut"), blob[:len(blob) * 2 // 3])
        rec = bytes([DLT_SEL.get(lt, 0)]) + b"".join(
            struct.pack(">HB", len(f), min(o - len(f), 255)) + f
            for _, _, f, o in frames)
        write(os.path.join(fdir, name), rec)
    write(os.path.join(pdir, "wifi-linktype"),
          struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 105))
    write(os.path.join(pdir, "pcapng-empty"),
          struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28))
    write(os.path.join(fdir, "empty"), b"\x03")


if __name__ == "__main__":
    main()
