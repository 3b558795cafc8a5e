#!/usr/bin/env python3
"""test_hash_password.py PPTPKIT - "pptpkit hash-password" as an operator
uses it: the password from a pipe, or typed twice at a terminal (a pty)
without being echoed; never from the command line. The printed line must
hold the NT hash (RFC 2759 §8.3; MD4 of UTF-16LE "password" is the
well-known 8846F7EA...) and never the password."""
import os
import pty
import select
import subprocess
import sys
import time

PK = sys.argv[1]
HASH_PASSWORD = "8846F7EAEE8FB117AD06BDD830B7586C"
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def run(args, stdin=b""):
    p = subprocess.run([PK, "hash-password"] + args, input=stdin,
                       capture_output=True, timeout=10)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


# From a pipe: the first line only.
rc, out, err = run(["--user", "alice"], b"password\nignored\n")
check(rc == 0 and out == "alice\t*\tnthash:%s\t*\n" % HASH_PASSWORD,
      "pipe: line for alice (%r %r)" % (out, err))
rc, out, _ = run([], b"password")
check(rc == 0 and out == "nthash:%s\n" % HASH_PASSWORD,
      "pipe without newline, no --user: the secret field only")
rc, out, _ = run(["--user", "bob smith", "--server", "pptpd",
                  "--address", "198.19.0.7"], b"password\n")
check(rc == 0 and out.startswith('"bob smith"\tpptpd\tnthash:')
      and out.endswith("\t198.19.0.7\n"), "quoted user, server, address")

# Refusals: argv passwords, bad input, bad columns.
for args in (["--password", "password"], ["--password-file", "/etc/passwd"]):
    rc, out, err = run(args, b"password\n")
    check(rc == 64 and out == "" and "never from the command line" in err,
          "refuses %s" % args[0])
rc, out, err = run([], b"")
check(rc != 0 and out == "" and "no password" in err, "empty stdin refused")
rc, out, err = run([], b"\xc3\n")
check(rc != 0 and out == "" and "UTF-8" in err, "invalid UTF-8 refused")
rc, out, err = run([], b"x" * 300 + b"\n")
check(rc != 0 and out == "" and "longer than" in err, "over-long refused")
rc, out, err = run(["--address", "10.1"], b"password\n")
check(rc != 0 and out == "", "bad address refused")
rc, out, err = run(["--user"], b"password\n")
check(rc == 64 and out == "", "--user without a value refused")


def on_tty(typed):
    """Runs hash-password on a pty; returns (rc, everything the terminal
    showed, stdout written to a pipe)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(PK, [PK, "hash-password", "--user", "tty"])
    shown = b""
    for line in typed:
        deadline = time.time() + 10
        want = b"password: " if not shown else b"again: "
        while want not in shown.split(b"\n")[-1] and time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                shown += os.read(fd, 1024)
        os.write(fd, line + b"\n")
        time.sleep(0.2)
    deadline = time.time() + 10
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    # Never hang on a child that waits for input: kill it after 20 s.
    deadline = time.time() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
            shown += b" [killed: still waiting for input]"
            break
        time.sleep(0.1)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


rc, shown = on_tty([b"password", b"password"])
check(rc == 0 and "nthash:" + HASH_PASSWORD in shown,
      "terminal: typed twice, line printed")
check("password: " in shown and "again: " in shown, "terminal: both prompts")
check(shown.count("password") == 1,
      "terminal: the typed password is not echoed (%r)" % shown)
rc, shown = on_tty([b"password", b"passw0rd"])
check(rc != 0 and "differ" in shown and "nthash:" not in shown,
      "terminal: two different passwords refused")

sys.exit(1 if failures else 0)
