#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_mppe (input format: see fuzz_mppe.c).

Run from anywhere; it replaces tests/fuzz/corpus/fuzz_mppe/*.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_mppe")

RAW, SEND, LOSE, HOLD, RELEASE, RESET = range(6)
STATELESS = 0x04
LIMITS = 0x08
FAILURE = 0x80
BITS = {40: 0, 56: 1, 128: 2}


def raw(pkt):
    return bytes([RAW, len(pkt)]) + pkt


seeds = {}

# MS-CHAP Failure messages, good and bad.
for name, msg in {
    "fail_v2": b"E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 "
               b"M=Authentication failure",
    "fail_v1": b"E=691 R=1 C=0123456789abcdef V=2",
    "fail_min": b"E=691 R=0",
    "fail_order": b"V=3 M=x y z",
    "fail_reorder": b"M=ignored? no: last",
    "fail_spaces": b"  E=648   R=0  C=FFEEDDCCBBAA99887766554433221100 ",
    "fail_badhex": b"E=691 C=0123456789ABCDEG",
    "fail_nul": b"E=691\0 R=1",
    "fail_long": b"E=691 M=" + b"x" * 300,
    "fail_ctrl": b"E=691 M=a\tb\x01c\x7f",
}.items():
    seeds[name] = bytes([FAILURE]) + msg

for bits, b in BITS.items():
    for sl in (0, 1):
        mode = b | (STATELESS if sl else 0)
        tag = "%d_%s" % (bits, "stateless" if sl else "stateful")
        seeds["inorder_" + tag] = bytes([mode]) + bytes([SEND] * 40)
        # Loss, then Reset-Request handling, reordering, duplicates.
        seeds["loss_" + tag] = bytes([mode]) + bytes(
            [SEND] * 5 + [LOSE] + [SEND] * 3 + [HOLD, SEND, RELEASE] +
            [RESET, SEND, SEND])
        # Across the first flag packet (count 255) with a loss on it.
        seeds["flag_" + tag] = bytes([mode]) + bytes(
            [SEND] * 254 + [LOSE] + [SEND] * 5)

# Stateless with the rekey limits (cap 8): a loss of 40 is caught up with
# over a few deferred packets; a reordered pair around it.
seeds["limits_catchup_128"] = bytes([BITS[128] | STATELESS | LIMITS]) + bytes(
    [SEND] * 3 + [LOSE] * 40 + [SEND] * 10 + [HOLD, LOSE] * 5 + [SEND] * 3 +
    [RELEASE] * 5 + [SEND] * 3)
seeds["limits_forged_40"] = bytes([BITS[40] | STATELESS | LIMITS]) + raw(
    bytes.fromhex("9e00" "00112233")) + raw(bytes.fromhex("9e00" "00112233")) + bytes(
    [SEND] * 5)

# A genuine first packet: RFC 3079 §3.5.3's "test message" as MPPE would
# send it (stateful, 128 bits, count 0), then forged variants.
kat = bytes.fromhex("1000" "81848317DF68846272FB5ABE")
seeds["raw_kat128"] = bytes([BITS[128]]) + raw(kat)
seeds["raw_forged"] = bytes([BITS[128] | STATELESS]) + raw(
    bytes.fromhex("9fff41")) + raw(bytes.fromhex("90")) + raw(
    bytes.fromhex("2000aa")) + bytes([SEND, SEND])
seeds["raw_short"] = bytes([BITS[40]]) + raw(b"") + raw(b"\x10") + raw(
    bytes.fromhex("1000"))

os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.unlink(os.path.join(OUT, f))
for name, data in sorted(seeds.items()):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("%d seeds in %s" % (len(seeds), OUT))
