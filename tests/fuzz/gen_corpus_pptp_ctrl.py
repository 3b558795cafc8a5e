#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_pptp_ctrl: each PPTP control message
(RFC 2637 §2) on its own, and streams that drive a PAC or a PNS through a
session. The harness's owner uses Call IDs 0x0101.. (PNS) and 0x0201..
(PAC), so the streams name those.

Usage: tests/fuzz/gen_corpus_pptp_ctrl.py [DIR]
"""
import os
import struct
import sys

MAGIC = 0x1A2B3C4D


def msg(ctype, body):
    length = 12 + len(body)
    return struct.pack(">HHIHH", length, 1, MAGIC, ctype, 0) + body


def pad(s, n):
    return s + b"\0" * (n - len(s))


def start(ctype, result=0, framing=1, bearer=1, host=b"", vendor=b""):
    # SCCRQ has Reserved1 where SCCRP has Result and Error Code.
    return msg(ctype, struct.pack(">HBBIIHH", 0x0100, result, 0, framing,
                                  bearer, 0, 0) + pad(host, 64) +
               pad(vendor, 64))


def sccrq():
    return start(1, vendor=b"Microsoft")


def sccrp(result=1, framing=0, bearer=0):
    return start(2, result, framing, bearer)


def stopccrq(reason=1):
    return msg(3, struct.pack(">BBH", reason, 0, 0))


def stopccrp():
    return msg(4, struct.pack(">BBH", 1, 0, 0))


def echorq(ident=0x12345678):
    return msg(5, struct.pack(">I", ident))


def echorp(ident=0x12345678):
    return msg(6, struct.pack(">IBBH", ident, 1, 0, 0))


def ocrq(call_id, serial=1):
    guid = bytes.fromhex("e3572a57e0a2bd41b826f1454106f261")
    return msg(7, struct.pack(">HHIIIIHHHH", call_id, serial, 300,
                              100000000, 3, 3, 64, 0, 0, 0) +
               pad(b"", 64) + pad(guid, 64))


def ocrp(call_id, peer, result=1, error=0):
    return msg(8, struct.pack(">HHBBHIHHI", call_id, peer, result, error, 0,
                              5317890, 16384, 0, 0))


def icrq(call_id, serial=1):
    return msg(9, struct.pack(">HHIIHH", call_id, serial, 1, 0, 3, 4) +
               pad(b"555", 64) + pad(b"1212", 64) + pad(b"", 64))


def icrp(call_id, peer, result=1):
    return msg(10, struct.pack(">HHBBHHH", call_id, peer, result, 0, 64, 0,
                               0))


def iccn(peer):
    return msg(11, struct.pack(">HHIHHI", peer, 0, 64000, 64, 0, 1))


def ccrq(call_id):
    return msg(12, struct.pack(">HH", call_id, 0))


def cdn(call_id, result=0, stats=b""):
    return msg(13, struct.pack(">HBBHH", call_id, result, 0, 0, 0) +
               pad(stats, 128))


def wen(peer):
    return msg(14, struct.pack(">HHIIIIII", peer, 0, 1, 2, 3, 4, 5, 6))


def sli(peer):
    return msg(15, struct.pack(">HHII", peer, 0, 0xFFFFFFFF, 0))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus",
        "fuzz_pptp_ctrl")
    os.makedirs(out, exist_ok=True)
    seeds = {
        "msg01_sccrq": sccrq(),
        "msg02_sccrp": sccrp(),
        "msg03_stopccrq": stopccrq(3),
        "msg04_stopccrp": stopccrp(),
        "msg05_echorq": echorq(),
        "msg06_echorp": echorp(),
        "msg07_ocrq": ocrq(0xFAEA),
        "msg08_ocrp": ocrp(0xE40A, 0xFAEA),
        "msg09_icrq": icrq(0x1234),
        "msg10_icrp": icrp(0x4321, 0x1234),
        "msg11_iccn": iccn(0x4321),
        "msg12_ccrq": ccrq(0xFAEA),
        "msg13_cdn": cdn(0xE40A),
        "msg14_wen": wen(0xFAEA),
        "msg15_sli": sli(0xE40A),
        # PAC: connection, calls (one reusing a Call ID), link info,
        # keep-alive, clear, stop.
        "pac_session": sccrq() + ocrq(0x0001) + ocrq(0x0002, 2) +
        ocrq(0x0001, 3) + sli(0x0201) + echorq() + ccrq(0x0001) +
        ccrq(0x0002) + stopccrq(1),
        "pac_incoming_reply": sccrq() + icrp(0x0005, 0x0201) + echorp() +
        stopccrp(),
        "pac_before_setup": ocrq(0x0009) + echorq() + sccrq() + sccrq(),
        # PNS: the owner starts calls 0x0101 and 0x0102 on CTRL_UP.
        "pns_session": sccrp() + ocrp(0x0000, 0x0101) +
        ocrp(0x0042, 0x0102, 2, 4) + wen(0x0101) + echorq() +
        cdn(0x0000, 4, b"bye") + stopccrq(3),
        "pns_incoming": sccrp() + icrq(0x0777) + iccn(0x0103) +
        cdn(0x0777, 1) + stopccrp(),
        "pns_refused": sccrp(5),
        "malformed_magic": sccrq()[:4] + b"\x1a\x2b\x3c\x4e" + sccrq()[8:],
        "malformed_length": b"\xff\xff" + echorq()[2:],
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
