#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_bitflip (tests/fuzz/fuzz_bitflip.c):
outer IPv4/GRE packets as the lab's router forwards them: the client's
MPPE packet carrying the target datagram (both inner protocol forms),
other MPPE packets, IPCP Configure-Acks both ways, LCP, an ack-only GRE
packet, and broken ones.

Usage: tests/fuzz/gen_corpus_bitflip.py [DIR]
"""
import os
import struct
import sys

CLIENT = bytes([198, 18, 70, 2])
SERVER = bytes([198, 18, 71, 2])
MSG = b"PAY 100 EUR TO ACCOUNT 12345"


def outer(src, dst, gre):
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(gre), 0, 0, 64, 47,
                      0, src, dst)
    return hdr + gre


def gre(payload, seq=1, call=0x4242, ack=None):
    flags = 0x2001 | (0x1000 if payload else 0) | (0x0080 if ack is not None
                                                   else 0)
    h = struct.pack(">HHHH", flags, 0x880B, len(payload), call)
    if payload:
        h += struct.pack(">I", seq)
    if ack is not None:
        h += struct.pack(">I", ack)
    return h + payload


def mppe(ct_len, ccount=5, flushed=True, ac=True, pfc=False):
    hdr = bytes([(0x80 if flushed else 0) | 0x10 | (ccount >> 8) & 0x0f,
                 ccount & 0xff])
    proto = b"\xfd" if pfc else b"\x00\xfd"
    return (b"\xff\x03" if ac else b"") + proto + hdr + \
        bytes((i * 37 + 11) & 0xff for i in range(ct_len))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "corpus", "fuzz_bitflip")
    os.makedirs(d, exist_ok=True)
    n = 28 + len(MSG)
    seeds = {
        "target_proto2": outer(CLIENT, SERVER, gre(mppe(n + 2))),
        "target_proto1": outer(CLIENT, SERVER, gre(mppe(n + 1, ac=False,
                                                        pfc=True))),
        "target_stateful": outer(CLIENT, SERVER, gre(mppe(n + 2, 300,
                                                          False), ack=9)),
        "target_from_server": outer(SERVER, CLIENT, gre(mppe(n + 2))),
        "other_length": outer(CLIENT, SERVER, gre(mppe(60))),
        "ipcp_ack_server": outer(SERVER, CLIENT, gre(
            b"\x80\x21\x02\x01\x00\x0a\x03\x06" + bytes([198, 19, 70, 2]))),
        "ipcp_ack_client": outer(CLIENT, SERVER, gre(
            b"\xff\x03\x80\x21\x02\x07\x00\x0a\x03\x06" +
            bytes([198, 19, 70, 1]))),
        "ipcp_req": outer(SERVER, CLIENT, gre(
            b"\x80\x21\x01\x01\x00\x0a\x03\x06" + bytes([198, 19, 70, 1]))),
        "lcp": outer(CLIENT, SERVER, gre(b"\xff\x03\xc0\x21\x09\x01\x00\x08"
                                         b"\x11\x22\x33\x44")),
        "ack_only": outer(CLIENT, SERVER, gre(b"", ack=3)),
        "ip_options": outer(CLIENT, SERVER, gre(mppe(n + 2)))[:0] +
        struct.pack(">BBHHHBBH4s4s", 0x46, 0, 24 + 16 + n + 6, 0, 0, 64, 47,
                    0, CLIENT, SERVER) + b"\x01\x01\x01\x00" +
        gre(mppe(n + 2)),
        "lying_total": outer(CLIENT, SERVER, gre(mppe(n + 2)))[:2] +
        b"\xff\xff" + outer(CLIENT, SERVER, gre(mppe(n + 2)))[4:],
        "not_gre": b"\x45\x00\x00\x1c" + b"\0" * 5 + b"\x11" + b"\0" * 18,
    }
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {d}")


if __name__ == "__main__":
    main()
