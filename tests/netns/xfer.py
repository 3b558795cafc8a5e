#!/usr/bin/env python3
"""xfer.py - a TCP transfer with a SHA-256 on both ends, for the netns tests.

  xfer.py recv PORT            listen, read until EOF, print "bytes sha256"
  xfer.py send HOST PORT BYTES send BYTES pseudo-random bytes, print "bytes sha256"

The sender's data comes from a seeded generator so each run differs but
both ends compute the digest independently of each other.
"""
import hashlib
import os
import socket
import sys
import time


def recv(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(120)
    conn, _ = srv.accept()
    conn.settimeout(120)
    h = hashlib.sha256()
    total = 0
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        h.update(chunk)
        total += len(chunk)
    conn.close()
    print(total, h.hexdigest(), flush=True)


def send(host, port, nbytes):
    sock = None
    deadline = time.time() + 30
    while sock is None:
        try:
            sock = socket.create_connection((host, port), timeout=5)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    sock.settimeout(120)
    h = hashlib.sha256()
    block = os.urandom(1 << 16)
    sent = 0
    start = time.time()
    while sent < nbytes:
        n = min(len(block), nbytes - sent)
        # Vary the block so the stream is not periodic.
        block = hashlib.sha256(block[:32]).digest() + block[32:]
        sock.sendall(block[:n])
        h.update(block[:n])
        sent += n
    sock.shutdown(socket.SHUT_WR)
    sock.recv(1)
    sock.close()
    elapsed = time.time() - start
    print(sent, h.hexdigest(), "%.3f" % elapsed, flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "recv":
        recv(int(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
