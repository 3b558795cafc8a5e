"""benchlib.py - what bench/compare and bench/sessions share: network
namespaces created for the run and removed on exit, processes started in
them and ended by PID, and readings from /proc (CPU ticks, RSS, open
descriptors, socket drops, interface counters).

Everything stays inside namespaces this module created, with addresses
from 198.18.0.0/15 (RFC 2544); nothing is added to the root namespace.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def die(msg):
    sys.stderr.write("\x1b[31m\x1b[1m[!] %s\x1b[0m\n" % msg)
    sys.exit(1)


def note(msg):
    sys.stderr.write("\x1b[32m[+]\x1b[0m %s\n" % msg)
    sys.stderr.flush()


def root_dir():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_dir():
    return os.environ.get("PK_BUILD", os.path.join(root_dir(), "build"))


def need_root():
    if os.geteuid() != 0:
        die("needs root (network namespaces, TUN, raw sockets): "
            "run it with sudo")


def need_tools(*names):
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        die("missing %s (scripts/deps.sh installs them)" % " ".join(missing))


# ---- /proc readings ------------------------------------------------------

def cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    # The command name may hold spaces and parentheses: split after it.
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pids):
    total = 0
    for p in pids:
        try:
            total += cpu_ticks(p)
        except (OSError, ValueError):
            pass
    return total / CLK_TCK


def status_kib(pid, key):
    """A kB field of /proc/PID/status (VmRSS, VmHWM ...)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return 0


def socket_inodes(pid):
    out = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if t.startswith("socket:["):
                out.add(t[8:-1])
    except OSError:
        pass
    return out


def socket_drops(pid, tables=("udp", "raw")):
    """Sum of the drops column over the process's own UDP and raw
    sockets, read in its network namespace (/proc/PID/net/...)."""
    inodes = socket_inodes(pid)
    total = 0
    for t in tables:
        try:
            with open("/proc/%d/net/%s" % (pid, t)) as f:
                next(f)
                for line in f:
                    v = line.split()
                    if len(v) >= 13 and v[9] in inodes:
                        total += int(v[-1])
        except OSError:
            pass
    return total


def udp_port_drops(pid, port):
    """Drops of the UDP sockets bound to a local port, in pid's netns."""
    total, found = 0, False
    try:
        with open("/proc/%d/net/udp" % pid) as f:
            next(f)
            for line in f:
                v = line.split()
                if int(v[1].split(":")[1], 16) == port:
                    total += int(v[-1])
                    found = True
    except (OSError, ValueError, IndexError):
        return None
    return total if found else None


def tcp_listening(pid, port):
    try:
        with open("/proc/%d/net/tcp" % pid) as f:
            next(f)
            for line in f:
                v = line.split()
                if int(v[1].split(":")[1], 16) == port and v[3] == "0A":
                    return True
    except (OSError, ValueError, IndexError):
        pass
    return False


def if_counters(pid, ifname):
    """(rx_packets, rx_drop, tx_packets, tx_drop) of an interface in
    pid's namespace, or None."""
    try:
        with open("/proc/%d/net/dev" % pid) as f:
            for line in f:
                if ":" not in line:
                    continue
                name, rest = line.split(":", 1)
                if name.strip() != ifname:
                    continue
                v = [int(x) for x in rest.split()]
                return (v[1], v[3], v[9], v[11])
    except OSError:
        pass
    return None


# ---- namespaces and processes --------------------------------------------

class Lab:
    """Namespaces, processes and a temporary directory that all go away
    when the run ends, however it ends."""

    def __init__(self, prefix):
        self.tag = "%s%d" % (prefix, os.getpid())
        self.tmp = tempfile.mkdtemp(prefix="pptpkit-bench.")
        self.namespaces = []
        self.procs = []
        self.keep_tmp = os.environ.get("PK_KEEP_TMP") == "1"
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_signal)

    def _on_signal(self, sig, frame):
        raise SystemExit(128 + sig)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

    def path(self, name):
        return os.path.join(self.tmp, name)

    def ns(self, short):
        name = "%s-%s" % (self.tag, short)
        subprocess.run(["ip", "netns", "add", name], check=True)
        self.namespaces.append(name)
        self.run(name, "ip", "link", "set", "lo", "up")
        return name

    def run(self, ns, *cmd, check=True, capture=False, timeout=120):
        argv = ["ip", "netns", "exec", ns] + list(cmd) if ns else list(cmd)
        r = subprocess.run(argv, stdout=subprocess.PIPE if capture else
                           subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd),
                               r.returncode, r.stderr.strip()))
        return r.stdout if capture else r.returncode

    def batch(self, ns, lines):
        """ip -batch: many addresses or routes in one process."""
        p = self.path("ip-batch-%d" % len(self.procs))
        with open(p, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.run(ns, "ip", "-batch", p)

    def start(self, ns, cmd, log, env=None, preexec=None):
        """Starts cmd in ns with stdout+stderr to log. `ip netns exec`
        execs the command itself, so the PID is the command's."""
        f = open(log, "w")
        argv = ["ip", "netns", "exec", ns] + list(cmd)
        p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env,
                             preexec_fn=preexec)
        f.close()
        p.log = log
        self.procs.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM, grace=5.0):
        """Ends one process we started, by its PID."""
        if p.poll() is None:
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
        if p in self.procs:
            self.procs.remove(p)
        return p.returncode

    def cleanup(self):
        for p in list(self.procs):
            try:
                self.stop(p, grace=2.0)
            except Exception:
                pass
        for ns in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", ns],
                           stderr=subprocess.DEVNULL)
        self.namespaces = []
        if self.keep_tmp:
            note("logs kept in %s" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def wait_for(pred, timeout, what, proc=None, step=0.05):
    """Polls pred() until true; fails after timeout seconds, or at once
    if proc (a Popen) has exited."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("%s: process exited (%d) first; log %s:\n%s"
                               % (what, proc.returncode, proc.log,
                                  tail(proc.log)))
        time.sleep(step)
    raise RuntimeError("timed out waiting for %s%s" % (
        what, "" if proc is None else "; log %s:\n%s" % (proc.log,
                                                        tail(proc.log))))


def log_has(path, text):
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except OSError:
        return False


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def spread(xs):
    """(max - min) / median over the rounds, None with fewer than 2."""
    xs = [x for x in xs if x is not None]
    med = median(xs)
    if len(xs) < 2 or not med:
        return None
    return (max(xs) - min(xs)) / med
