#!/usr/bin/env python3
"""xfer.py - the host's end of a TCP transfer with the interop guest.

Each mode follows the contract of the guest's busybox nc checks
(tests/interop/README.md): a receiver reads to EOF and only then closes;
a sender half-closes after its data and then reads to EOF, so that it
finishes only once the other end has read everything and closed.

  xfer.py serve PORT FILE       listen; to one connection send FILE   (guest: fetch)
  xfer.py recv PORT             listen; read one connection to EOF    (guest: send)
  xfer.py send HOST PORT FILE   connect (retrying); send FILE         (guest: recv)
  xfer.py fetch HOST PORT       connect (retrying); read to EOF       (guest: serve)

Prints one line "bytes sha256 seconds" of what crossed, and exits 0; on
any error or after TIMEOUT seconds (env PK_XFER_TIMEOUT, 60) it prints
the reason on stderr and exits 1. A listener prints "listening" on stderr
once it accepts connections.
"""
import hashlib
import os
import socket
import sys
import time

TIMEOUT = float(os.environ.get("PK_XFER_TIMEOUT", "60"))
CHUNK = 1 << 16


def listen(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    srv.settimeout(TIMEOUT)
    print("listening", file=sys.stderr, flush=True)
    conn, _ = srv.accept()
    srv.close()
    conn.settimeout(TIMEOUT)
    return conn


def connect(host, port):
    deadline = time.time() + TIMEOUT
    while True:
        try:
            conn = socket.create_connection((host, port), timeout=5)
            conn.settimeout(TIMEOUT)
            return conn
        except (ConnectionRefusedError, socket.timeout, OSError):
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def read_to_eof(conn, h):
    total = 0
    while True:
        chunk = conn.recv(CHUNK)
        if not chunk:
            return total
        if h is not None:
            h.update(chunk)
        total += len(chunk)


def send_file(conn, path):
    """Sends the file, half-closes, reads to EOF. Returns (bytes, sha)."""
    h = hashlib.sha256()
    total = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK)
            if not block:
                break
            conn.sendall(block)
            h.update(block)
            total += len(block)
    conn.shutdown(socket.SHUT_WR)
    extra = read_to_eof(conn, None)
    if extra:
        raise RuntimeError("peer sent %d unexpected bytes" % extra)
    return total, h.hexdigest()


def receive(conn):
    h = hashlib.sha256()
    total = read_to_eof(conn, h)
    return total, h.hexdigest()


def main(argv):
    t0 = time.time()
    if len(argv) == 3 and argv[0] == "serve":
        conn = listen(int(argv[1]))
        t0 = time.time()
        n, digest = send_file(conn, argv[2])
    elif len(argv) == 2 and argv[0] == "recv":
        conn = listen(int(argv[1]))
        t0 = time.time()
        n, digest = receive(conn)
    elif len(argv) == 4 and argv[0] == "send":
        conn = connect(argv[1], int(argv[2]))
        t0 = time.time()
        n, digest = send_file(conn, argv[3])
    elif len(argv) == 3 and argv[0] == "fetch":
        conn = connect(argv[1], int(argv[2]))
        t0 = time.time()
        n, digest = receive(conn)
    else:
        sys.exit(__doc__)
    conn.close()
    print(n, digest, "%.2f" % (time.time() - t0), flush=True)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as e:  # noqa: BLE001 - any failure is the result
        print("xfer.py: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
