#!/usr/bin/env python3
"""gen_corpus_radius.py - writes the seed corpus of fuzz_radius (see
fuzz_radius.c for the input format): RFC 2865 §7 packets, replies with
Microsoft/WISPr/MikroTik attributes, Disconnect/CoA-Requests, cipher
blobs and attribute texts. Run from anywhere; rewrites
tests/fuzz/corpus/fuzz_radius/.
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_radius")
WALK, DAE, CLIENT, CIPHER, TEXT = 0, 1, 2, 3, 4
V2 = 3 << 4
V1 = 2 << 4
RELAXED = 0x40


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def u32(t, n):
    return attr(t, struct.pack(">I", n))


def vsa(vendor, t, v):
    return attr(26, struct.pack(">I", vendor) + bytes([t, len(v) + 2]) + v)


def ms(t, v):
    return vsa(311, t, v)


def packet(code, ident, attrs, auth=bytes(16)):
    body = b"".join(attrs)
    return bytes([code, ident]) + struct.pack(">H", 20 + len(body)) + \
        auth + body


MA = attr(80, bytes(16))


def seeds():
    unhex = bytes.fromhex
    yield "rfc_7_1_request", WALK, unhex(
        "010000380f403f94739780 57bd83d5cb98f4227a01066e656d6f02120dbe70"
        "8d93d413ce3196e43f782a0aee0406c0a8011005060000 0003"
        .replace(" ", ""))
    yield "rfc_7_2_accept", WALK, unhex(
        "0201003815efbc7dab26cfa3dc34d9c03c8601a406060000000207060000"
        "0001080 6fffffffe0a06000000020d06000000010c06000005dc"
        .replace(" ", ""))
    yield "vsas", WALK, packet(2, 1, [
        u32(27, 60), ms(7, struct.pack(">I", 2)), ms(28, bytes(4)),
        vsa(9, 1, b"ab"), vsa(14122, 8, struct.pack(">I", 10 ** 6)),
        vsa(14988, 8, b"1M/2M")])
    yield "ma_dup", WALK, packet(2, 1, [MA, MA])
    yield "routes", WALK, packet(2, 1, [
        attr(22, b"192.0.2.0/24 0.0.0.0 1"), attr(22, b"10.0.0.0 1.2.3.4"),
        attr(88, b"pool"), attr(25, b"class"), u32(12, 1400),
        u32(8, 0xfffffffe), u32(9, 0xffffff00), attr(18, b"hi\n")])

    extras = [u32(6, 2), u32(7, 1), u32(8, 0xc6130005), u32(27, 3600),
              u32(28, 300), u32(85, 60), attr(25, b"c1"),
              ms(28, struct.pack(">I", 0x08080808)),
              ms(7, struct.pack(">I", 2)), ms(8, struct.pack(">I", 6)),
              vsa(14122, 7, struct.pack(">I", 512000)),
              vsa(14988, 8, b"512k/2M 1M/4M")]
    success = ms(26, bytes([9]) + b"S=" + b"407A5589115FD0D6209F510FE9C04566"
                 b"932CDA56")
    key = bytes([0x81, 0x01]) + bytes(range(32))
    key2 = bytes([0x81, 0x02]) + bytes(range(32, 64))
    yield "v2_accept", CLIENT | V2, packet(2, 0, [MA, success, ms(16, key),
                                                 ms(17, key2)] + extras)
    yield "v2_accept_no_ma", CLIENT | V2 | RELAXED, packet(
        2, 0, [success, ms(16, key), ms(17, key2)])
    yield "v2_reject", CLIENT | V2, packet(3, 0, [
        MA, ms(2, bytes([9]) + b"E=691 R=1 C=00112233445566778899AABBCCDDE"
               b"EFF V=3 M=nope"), attr(18, b"Go away")])
    yield "v1_accept", CLIENT | V1, packet(2, 0, [
        MA, ms(12, bytes(range(32)))])
    yield "pap_challenge", CLIENT, packet(11, 0, [MA, attr(24, b"st")])
    yield "pap_accept", CLIENT, packet(2, 0, [MA, attr(18, b"welcome")])
    yield "acct_response", CLIENT, packet(5, 0, [])

    yield "disconnect", DAE, packet(40, 1, [
        attr(1, b"alice"), attr(44, b"5F000001"), u32(4, 0xc6120001),
        u32(55, 1700000000)])
    yield "coa", DAE, packet(43, 2, [
        MA, attr(1, b"alice"), u32(27, 600), u32(28, 60),
        vsa(14988, 8, b"1M/1M"), vsa(14122, 8, struct.pack(">I", 1000)),
        attr(33, b"proxy"), attr(24, b"state")])
    yield "coa_unsupported", DAE, packet(43, 3, [
        attr(1, b"bob"), attr(11, b"filter"), u32(6, 17)])
    yield "disconnect_noident", DAE, packet(40, 4, [attr(32, b"other")])

    yield "mppe_key", CIPHER, bytes([0x80, 0x36]) + bytes(range(32))
    yield "mppe_keys_v1", CIPHER, bytes(range(32))
    yield "route_text", TEXT, b"192.168.1.0/24 192.168.1.1 1 2 -1 3 400"
    yield "rate_text", TEXT, b"10M/20M 20M/40M 8M/16M 10/10 5"
    yield "classful_text", TEXT, b"172.16.0.0 0.0.0.0"


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name, mode, body in seeds():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([mode]) + body)


if __name__ == "__main__":
    main()
