#!/usr/bin/env python3
"""check_man.py - the generated man pages agree with the programs and
render cleanly:

  * the keyword table in src/config/config.c, "pptpkitd --help" and
    pptpkitd.conf(5) list the same settings, each with its --help text,
    and pptpkitd(8) lists each as a --flag;
  * every option and command of "pptpkitd --help" and "pptpkit --help" is
    in pptpkitd(8) and pptpkit(1);
  * groff -ww and man -l --warnings print no warning for any page.

Usage: check_man.py --pptpkitd BIN --pptpkit BIN --config-source config.c
                    --man DIR
"""
import argparse
import os
import re
import subprocess
import sys

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL " + what)
    return cond


def roff(text):
    """Text as mangen.py escapes it."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def flat(page):
    """The page's text without line breaks, for phrase searches."""
    return re.sub(r"\s+", " ", page)


def helptext(binary):
    p = subprocess.run([binary, "--help"], capture_output=True, timeout=20,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit("check_man.py: %s --help failed" % binary)
    return p.stdout.decode()


ap = argparse.ArgumentParser()
ap.add_argument("--pptpkitd", required=True)
ap.add_argument("--pptpkit", required=True)
ap.add_argument("--config-source", required=True)
ap.add_argument("--man", required=True)
a = ap.parse_args()
pages = {n: open(os.path.join(a.man, n), encoding="utf-8").read()
         for n in ("pptpkitd.8", "pptpkit.1", "pptpkitd.conf.5")}

# The settings: the source table, --help, and both pages.
table = re.findall(r'^\s*\{ "([a-z0-9-]+)", set_\w+,',
                   open(a.config_source).read(), re.M)
check(len(table) >= 20, "config.c's keyword table not found (%d keys)"
      % len(table))
dhelp = helptext(a.pptpkitd)
settings = dhelp[dhelp.index("Settings"):]
helpkeys = dict(re.findall(r"^\s+--([a-z0-9-]+)\s+(\S.*)$", settings, re.M))
check(set(table) == set(helpkeys),
      "config.c and pptpkitd --help differ: %s"
      % sorted(set(table) ^ set(helpkeys)))
conf5, d8 = flat(pages["pptpkitd.conf.5"]), flat(pages["pptpkitd.8"])
for key in table:
    check(re.search(r"^\.TP\n\\fB%s\\fR" % re.escape(roff(key)),
                    pages["pptpkitd.conf.5"], re.M),
          "pptpkitd.conf(5) has no entry for %s" % key)
    check("\\fB\\-\\-%s\\fR" % roff(key) in pages["pptpkitd.8"],
          "pptpkitd(8) does not list --%s" % key)
    # The one-line help, argument and default included, in both pages.
    for word in re.split(r"\s+", helpkeys.get(key, "")):
        check(roff(word) in conf5 and roff(word) in d8,
              "the help of %s (%r) is not in the pages" % (key, word))

# Every option and command of both programs.
for prog, text, page in (("pptpkitd", dhelp, "pptpkitd.8"),
                         ("pptpkit", helptext(a.pptpkit), "pptpkit.1")):
    opts = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)", text))
    check(len(opts) >= 5, "%s --help: too few options found" % prog)
    for o in opts:
        check("\\fB%s\\fR" % roff(o) in pages[page],
              "%s does not show %s in bold" % (page, o))
    for cmd in re.findall(r"^(?:usage:|\s+)\s*%s ([a-z][a-z0-9-]*)" % prog,
                          text, re.M):
        check(re.search(r"^\\fB%s\\fR \\fB%s\\fR" % (prog, re.escape(
            roff(cmd))), pages[page], re.M),
            "%s's SYNOPSIS lacks %s %s" % (page, prog, cmd))
    check(re.search(r"^\.TH %s " % prog.upper(), pages[page], re.M),
          "%s has no .TH" % page)

# Rendering: no warnings from groff or man, and the NAME line is there.
env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
for name in pages:
    path = os.path.join(a.man, name)
    check(not re.search(r"@[A-Z_]+@", pages[name]),
          "%s: a placeholder is left" % name)
    g = subprocess.run(["groff", "-ww", "-z", "-man", "-Tutf8", path],
                       capture_output=True, timeout=60)
    check(g.returncode == 0 and not g.stderr,
          "groff -ww %s: %s" % (name, g.stderr.decode()))
    m = subprocess.run(["man", "-l", "--warnings", path], env=env,
                       capture_output=True, timeout=60)
    out = m.stdout.decode()
    check(m.returncode == 0 and not m.stderr,
          "man -l --warnings %s: %s" % (name, m.stderr.decode()))
    check(re.search(r"^NAME\n\s+%s - " % re.escape(name.rsplit(".", 1)[0]),
                    out, re.M), "%s: no NAME line when rendered" % name)
    print("ok   %s: %d lines rendered" % (name, out.count("\n")))

print("%d failed" % failures if failures else "all checks passed")
sys.exit(1 if failures else 0)
