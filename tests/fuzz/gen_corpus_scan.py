#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_scan (tests/fuzz/fuzz_scan.c). The first
byte picks the mode: 0 the reply classifier, 1 the LCP prober, 2 a whole
probe. Mode 2 scripts are chunks [type][len][data]: type 0 control bytes
from the server, 1 EOF, 2 a PPP frame the harness wraps in GRE for Call ID
0x1234, 3 a raw GRE packet, 4 time passing (data[0] * 20 ms).

Usage: tests/fuzz/gen_corpus_scan.py [DIR]
"""
import os
import struct
import sys

MAGIC = 0x1A2B3C4D
CALL = 0x1234


def msg(ctype, body):
    return struct.pack(">HHIHH", 12 + len(body), 1, MAGIC, ctype, 0) + body


def pad(s, n):
    return s + b"\0" * (n - len(s))


def sccrp(result=1, version=0x0100, framing=3, bearer=3, fw=1,
          host=b"srv", vendor=b"pptpkit"):
    return msg(2, struct.pack(">HBBIIHH", version, result, 0, framing,
                              bearer, 0, fw) + pad(host, 64) + pad(vendor, 64))


def ocrp(result=1, peer_call=CALL, call=0x4242):
    return msg(8, struct.pack(">HHBBHIHHI", call, peer_call, result, 0, 0,
                              100000000, 64, 0, 0))


def cdn(call=0x4242):
    return msg(13, struct.pack(">HBBHH", call, 4, 0, 0, 0) + pad(b"", 128))


def stopccrp():
    return msg(4, struct.pack(">BBH", 1, 0, 0))


def stopccrq(reason=1):
    return msg(3, struct.pack(">BBH", reason, 0, 0))


def lcp(code, ident, data):
    return b"\xff\x03\xc0\x21" + struct.pack(">BBH", code, ident,
                                             4 + len(data)) + data


def opt(t, v):
    return bytes([t, 2 + len(v)]) + v


AUTH = {
    "pap": b"\xc0\x23", "eap": b"\xc2\x27", "chap-md5": b"\xc2\x23\x05",
    "mschapv1": b"\xc2\x23\x80", "mschapv2": b"\xc2\x23\x81",
}


def confreq(ident, auth, magic=0x11223344, extra=b""):
    o = opt(2, b"\0\0\0\0")
    if auth:
        o += opt(3, AUTH[auth])
    o += opt(5, struct.pack(">I", magic)) + opt(7, b"") + opt(8, b"") + extra
    return lcp(1, ident, o)


def chunk(t, data):
    out = b""
    while True:
        out += bytes([t, min(len(data), 255)]) + data[:255]
        data = data[255:]
        if not data:
            return out


def wait(n):
    return chunk(4, bytes([n]))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "corpus", "fuzz_scan")
    os.makedirs(d, exist_ok=True)
    seeds = {}
    # 0: replies
    seeds["reply_sccrp"] = b"\0" + sccrp()
    seeds["reply_refused"] = b"\0" + sccrp(result=4, fw=3790,
                                           vendor=b"Microsoft")
    seeds["reply_version2"] = b"\0" + sccrp(version=0x0200)
    seeds["reply_stop"] = b"\0" + stopccrq(3)
    seeds["reply_badmagic"] = b"\0" + sccrp()[:4] + b"\xde\xad\xbe\xef" + \
        sccrp()[8:]
    seeds["reply_ssh"] = b"\0SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    seeds["reply_trailing"] = b"\0" + sccrp() + msg(5, b"\0\0\0\1")
    # 1: the prober (method byte, then [len][frame] pairs)
    for i, m in enumerate(["pap", "chap-md5", "mschapv1", "mschapv2",
                           "eap"]):
        f1 = confreq(1, "mschapv2" if m != "mschapv2" else "pap")
        f2 = confreq(2, m)
        f3 = lcp(2, 1, opt(5, b"\x55\x66\x77\x88"))
        seeds["lcp_switch_" + m] = b"\x01" + bytes([i]) + \
            bytes([len(f1)]) + f1 + bytes([len(f2)]) + f2
        f2 = confreq(2, None)
        seeds["lcp_drop_" + m] = b"\x01" + bytes([i]) + \
            bytes([len(f1)]) + f1 + bytes([len(f2)]) + f2
        term = lcp(5, 3, b"no auth left")
        seeds["lcp_term_" + m] = b"\x01" + bytes([i]) + \
            bytes([len(f1)]) + f1 + bytes([len(term)]) + term + \
            bytes([len(f3)]) + f3
    # 2: whole probes (method byte: 0 = reply only, 1.. = method + 1)
    seeds["conn_reply_only"] = b"\x02\x00" + chunk(0, sccrp()) + \
        chunk(0, stopccrp())
    seeds["conn_eof"] = b"\x02\x00" + chunk(0, sccrp()[:40]) + chunk(1, b"")
    seeds["conn_silent"] = b"\x02\x01" + wait(255) + wait(255)
    for i, m in enumerate(["pap", "chap-md5", "mschapv1", "mschapv2",
                           "eap"]):
        base = b"\x02" + bytes([i + 1]) + chunk(0, sccrp()) + \
            chunk(0, ocrp())
        accepted = chunk(2, confreq(1, m)) + \
            chunk(2, lcp(2, 1, b"")) + wait(1) + \
            chunk(2, b"\xc2\x23" + struct.pack(">BBHB", 1, 1, 21, 16) +
                  b"c" * 16) + chunk(2, lcp(6, 2, b"")) + \
            chunk(0, cdn()) + chunk(0, stopccrp())
        seeds["conn_accept_" + m] = base + accepted
        refused = chunk(2, confreq(1, "mschapv2" if m != "mschapv2"
                                   else "pap")) + wait(1) + \
            chunk(2, confreq(2, "chap-md5" if m != "chap-md5" else "pap")) + \
            chunk(2, lcp(6, 1, b"")) + chunk(0, cdn()) + \
            chunk(0, stopccrp())
        seeds["conn_refuse_" + m] = base + refused
        seeds["conn_noauth_" + m] = base + chunk(2, confreq(1, None)) + \
            wait(200) + chunk(1, b"")
    seeds["conn_call_refused"] = b"\x02\x02" + chunk(0, sccrp()) + \
        chunk(0, ocrp(result=7)) + chunk(0, stopccrp())
    seeds["conn_no_gre"] = b"\x02\x02" + chunk(0, sccrp()) + \
        chunk(0, ocrp()) + wait(255) * 4
    seeds["conn_server_stops"] = b"\x02\x03" + chunk(0, sccrp()) + \
        chunk(0, ocrp()) + chunk(0, stopccrq(3))
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {d}")


if __name__ == "__main__":
    main()
