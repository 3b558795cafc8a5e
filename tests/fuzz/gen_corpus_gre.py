#!/usr/bin/env python3
"""gen_corpus_gre.py - writes the seed corpus of fuzz_gre (see fuzz_gre.c
for the input format) from the packets of tests/unit/test_gre.c and a few
channel scenarios. Run from anywhere; rewrites tests/fuzz/corpus/fuzz_gre/.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_gre")
CALL = 0x002A

PATCH, SEND = 1, 2


def prologue(rwin=64, peer_rwin=0, start=0):
    return struct.pack(">BBI", rwin, peer_rwin, start)


def chunk(data, ctl=0, advance_ms=0):
    ctl |= min(advance_ms // 4, 63) << 2
    return struct.pack(">BH", ctl, len(data)) + data


def gre(seq=None, ack=None, payload=b"", call=CALL, flags=None, ver=1,
        proto=0x880B, plen=None):
    if flags is None:
        flags = 0x2000 | (0x1000 if seq is not None else 0)
        flags |= 0x0080 if ack is not None else 0
    h = struct.pack(">HHHH", flags | ver, proto,
                    len(payload) if plen is None else plen, call)
    if seq is not None:
        h += struct.pack(">I", seq)
    if ack is not None:
        h += struct.pack(">I", ack)
    return h + payload


def frame(i):
    return struct.pack(">I", i) + bytes((i * 7 + k) & 0xFF
                                        for k in range(4, 4 + i % 13))


# Single packets from the unit test table, wrapped in one chunk.
TABLE = [
    "30 01 88 0b 00 04 00 2a 00 00 00 05 c0 21 01 02",
    "30 81 88 0b 00 03 ab cd 00 00 00 10 00 00 00 0f ff 03 21",
    "20 81 88 0b 00 00 00 2a 00 00 00 07",
    "30 81 88 0b 00 0c fa ea 00 00 00 0f 00 00 00 0f"
    " ff 03 c0 21 09 01 00 08 11 22 33 44",
    "30 01 88 0b 00 02 00 2a 00 00 00 05 c0 21 00 00 00",
    "00 00 08 00 45 00 00 14",
    "30 00 88 0b 00 04 00 2a 00 00 00 05 c0 21 01 02",
    "30 01 08 00 00 01 00 2a 00 00 00 05 7e",
    "b0 01 88 0b 00 01 00 2a 00 00 00 05 7e",
    "31 01 88 0b 00 01 00 2a 00 00 00 05 7e",
    "10 01 88 0b 00 01 00 2a 00 00 00 05 7e",
    "20 01 88 0b 00 00 00 2a",
    "30 01 88 0b 00 00 00 2a 00 00 00 01",
    "20 81 88 0b 00 02 00 2a 00 00 00 07 c0 21",
    "30 01 88 0b 00 05 00 2a 00 00 00 01 c0 21 01 02",
    "30 81 88 0b ff ff 00 2a 00 00 00 01 00 00 00 00 c0 21",
]


def scenarios():
    out = {}
    for n, hexs in enumerate(TABLE):
        pkt = bytes.fromhex(hexs)
        out["table_%02d" % n] = prologue() + chunk(pkt, PATCH)
        out["raw_%02d" % n] = pkt
    # In order, then reordered, duplicated and late.
    out["in_order"] = prologue() + b"".join(
        chunk(gre(seq=i, payload=frame(i)), PATCH, 1) for i in range(8))
    order = [0, 2, 3, 1, 1, 5, 4, 0, 9, 7]
    out["reorder_dup"] = prologue() + b"".join(
        chunk(gre(seq=i, payload=frame(i)), PATCH, 2) for i in order)
    # A gap given up after the reorder timeout, then the late packet.
    out["gap_timeout"] = prologue() + (
        chunk(gre(seq=10, payload=frame(0)), PATCH)
        + chunk(gre(seq=12, payload=frame(2)), PATCH)
        + chunk(gre(seq=13, payload=frame(3)), PATCH, 60)
        + chunk(gre(seq=11, payload=frame(1)), PATCH, 4))
    # Wrap-around and a resync jump.
    out["wrap_resync"] = prologue(rwin=4) + b"".join(
        chunk(gre(seq=s & 0xFFFFFFFF, payload=frame(k)), PATCH, 1)
        for k, s in enumerate([0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFE, 0, 2,
                               1, 5000, 5001, 3, 4, 5, 6]))
    # Our send window: sends, then acks, then a silent peer.
    out["window"] = prologue(peer_rwin=2, start=0xFFFFFFFE) + (
        b"".join(chunk(frame(i), SEND) for i in range(6))
        + chunk(gre(ack=0xFFFFFFFE), PATCH, 8)
        + chunk(gre(seq=7, ack=0xFFFFFFFF, payload=frame(7)), PATCH, 8)
        + b"".join(chunk(frame(i), SEND, 4) for i in range(6, 12))
        + chunk(frame(99), SEND, 252))
    out["ack_timer"] = prologue() + (
        chunk(gre(seq=1, payload=frame(1)), PATCH)
        + chunk(frame(5), SEND, 40)
        + chunk(gre(seq=2, payload=frame(2)), PATCH, 20)
        + chunk(b"", SEND, 120))
    out["other_call"] = prologue() + chunk(
        gre(seq=1, payload=frame(1), call=7))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.unlink(os.path.join(OUT, name))
    for name, data in sorted(scenarios().items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("%d files in %s" % (len(scenarios()), OUT))


if __name__ == "__main__":
    main()
