#!/usr/bin/env python3
"""mangen.py - writes the man pages pptpkitd(8), pptpkit(1) and
pptpkitd.conf(5) from one source each, so that they can never disagree
with --help:

  * every option, setting and command comes from the built programs' own
    --help output (pptpkitd --help lists each setting of the keyword table
    in src/config/config.c; pptpkit --help lists every command, and each
    "pptpkit CMD --help" that prints its own text is added too, so commands
    that other parts of the tree add appear without touching this file);
  * the prose around them comes from the templates beside this script
    (NAME.SECTION.in) and, for pptpkitd.conf(5), from settings.txt: a
    longer description per setting, keyed by the setting's name. A name in
    settings.txt that the program does not know stops the build, so the
    documentation cannot describe a setting that no longer exists.

Usage: mangen.py --pptpkitd BIN --pptpkit BIN --src DIR --out DIR
Run by CMake at build time (target "man"); output is plain roff (man(7)).
"""
import argparse
import datetime
import os
import re
import subprocess
import sys

# A placeholder token in --help: upper case (FILE, CIDR|A-B, ID|USER) or
# the word "options"; anything else on an option line is typed literally.
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_|:/,.-]*$")
# The argument a setting's one-line help starts with: "ADDR  address ...",
# "yes|no  clamp ...", "require|allow|deny (require)".
SETTING_ARG = re.compile(
    r"^([A-Z][A-Z0-9_|:/,.-]*(?=\s{2}|$)|[a-z0-9-]+(?:\|[a-z0-9-]+)+(?=\s|$))"
    r"\s*(.*)$")


def die(msg):
    sys.stderr.write("mangen.py: %s\n" % msg)
    sys.exit(1)


def esc(text):
    """Plain text to roff: backslashes and hyphen-minus escaped (options
    and paths must copy and paste as typed)."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return text


def line_safe(text):
    """A text line that roff must not read as a request."""
    if text.startswith(".") or text.startswith("'"):
        return "\\&" + text
    return text


def fmt_token(tok, literal_words=False):
    """One word of a synopsis or option term: options and literal words in
    bold, placeholders in italics; brackets, commas and ellipses plain."""
    m = re.match(r"^(\[*)(.*?)(\]*(?:\.\.\.)?\]*,?)$", tok)
    pre, core, post = m.group(1), m.group(2), m.group(3)
    if core == "":
        return esc(tok)
    if core.startswith("-") or (literal_words and
                                not PLACEHOLDER.match(core) and
                                core != "options"):
        body = "\\fB%s\\fR" % esc(core)
    elif PLACEHOLDER.match(core) or core == "options":
        body = "\\fI%s\\fR" % esc(core)
    else:
        body = "\\fB%s\\fR" % esc(core)
    return esc(pre) + body + esc(post)


def fmt_term(term):
    return " ".join(fmt_token(t) for t in term.split())


def fmt_usage(line):
    """"pptpkit kill ID|USER [--control-socket PATH]" -> roff, the
    program and command name in bold."""
    toks = line.split()
    out = []
    for i, t in enumerate(toks):
        lit = i < 2 and not t.startswith("[") and not PLACEHOLDER.match(t)
        out.append(fmt_token(t, literal_words=lit))
    return " ".join(out)


def run_help(binary, args):
    try:
        p = subprocess.run([binary] + args, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=20,
                           env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, "", str(e)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def split_usage(text, prog):
    """Returns (usage lines without "usage: ", the rest of the lines)."""
    lines = text.rstrip("\n").split("\n")
    usage = []
    i = 0
    while i < len(lines):
        s = lines[i]
        if s.startswith("usage: "):
            usage.append(s[len("usage: "):].strip())
        elif usage and s.startswith(" ") and s.strip().startswith(prog):
            usage.append(s.strip())
        elif usage or s.strip():
            break
        i += 1
    return usage, lines[i:]


def parse_blocks(lines):
    """--help text to blocks: ("para", text), ("heading", text),
    ("opt", term, desc). Option lines are indented and start with '-';
    deeper-indented lines after one continue its description."""
    blocks = []
    para = []

    def flush():
        if para:
            blocks.append(["para", " ".join(para)])
            para.clear()

    for idx, raw in enumerate(lines):
        s = raw.rstrip()
        if not s.strip():
            flush()
            continue
        indent = len(s) - len(s.lstrip())
        body = s.strip()
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        if indent == 0 and body.endswith(":") and nxt.startswith(" "):
            flush()
            blocks.append(["heading", body[:-1]])
        elif indent > 0 and body.startswith("-"):
            flush()
            m = re.match(r"^(\S.*?)(?:\s{2,}(\S.*))?$", body)
            term, desc = m.group(1), m.group(2) or ""
            # "--listen   ADDR  address ..." (the settings list).
            if " " not in term:
                a = SETTING_ARG.match(desc)
                if a and a.group(1):
                    term, desc = term + " " + a.group(1), a.group(2)
            blocks.append(["opt", term, desc])
        elif indent > 0 and blocks and blocks[-1][0] == "opt" and not para:
            blocks[-1][2] = (blocks[-1][2] + " " + body).strip()
        else:
            para.append(body)
    flush()
    return blocks


def blocks_to_roff(blocks, nested=False):
    """Blocks to roff: headings become subsections (.SS), or, inside a
    command's own subsection (nested), a bold line."""
    out = []
    for b in blocks:
        if b[0] == "heading":
            if nested:
                out += [".PP", "\\fB%s:\\fR" % esc(b[1])]
            else:
                out.append('.SS "%s"' % esc(b[1]))
        elif b[0] == "para":
            out.append(".PP")
            out.append(line_safe(esc(b[1])))
        else:
            out.append(".TP")
            out.append(line_safe(fmt_term(b[1])))
            out.append(line_safe(esc(b[2])) if b[2] else "\\&")
    return out


def settings_from_help(text):
    """The settings list of pptpkitd --help: [(key, arg, desc)]."""
    keys = []
    in_settings = False
    for s in text.split("\n"):
        if re.match(r"^Settings\b", s):
            in_settings = True
            continue
        if in_settings:
            m = re.match(r"^\s+--([a-z0-9][a-z0-9-]*)\s+(.*)$", s)
            if not m:
                # The heading's own prose lines come before the first
                # setting; after it, any other line ends the list.
                if s.strip() and keys:
                    in_settings = False
                continue
            a = SETTING_ARG.match(m.group(2))
            arg, desc = (a.group(1), a.group(2)) if a else ("", m.group(2))
            keys.append((m.group(1), arg, desc.strip()))
    if not keys:
        die("no settings found in pptpkitd --help")
    return keys


def read_settings_doc(path):
    """settings.txt: a setting's name at the start of a line, its text on
    the indented lines below; a blank indented line starts a paragraph."""
    doc = {}
    key = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            s = raw.rstrip("\n")
            if s.startswith("#"):
                continue
            if s and not s[0].isspace():
                key = s.strip()
                if key in doc:
                    die("%s:%d: %s described twice" % (path, n, key))
                doc[key] = [[]]
            elif s.strip():
                if key is None:
                    die("%s:%d: text before a setting name" % (path, n))
                doc[key][-1].append(s.strip())
            elif key is not None and doc[key][-1]:
                doc[key].append([])
    return {k: [" ".join(p) for p in v if p] for k, v in doc.items()}


def settings_roff(keys, doc):
    out = []
    for key, arg, desc in keys:
        out.append(".TP")
        term = "\\fB%s\\fR" % esc(key)
        if arg:
            term += " " + fmt_token(arg)
        out.append(term)
        out.append(line_safe(esc(desc)) if desc else "\\&")
        for p in doc.get(key, []):
            out.append(".IP")
            # One sentence a line: roff then spaces sentences as such.
            for sentence in re.split(r"(?<=[.!?]) (?=[A-Z])", p):
                out.append(line_safe(esc(sentence)))
    return out


def fill(template, values, path):
    out = []
    with open(template, encoding="utf-8") as f:
        for n, s in enumerate(f.read().split("\n"), 1):
            m = re.match(r"^@([A-Z_]+)@$", s)
            if m:
                if m.group(1) not in values:
                    die("%s:%d: unknown placeholder @%s@" %
                        (template, n, m.group(1)))
                out.extend(values[m.group(1)])
                continue
            for k in ("VERSION", "DATE"):
                s = s.replace("@%s@" % k, values[k][0])
            out.append(s)
    if re.search(r"@[A-Z_]+@", "\n".join(out)):
        die("%s: a placeholder was left unreplaced" % template)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")


def man_date():
    # Reproducible builds: dpkg-buildpackage sets SOURCE_DATE_EPOCH.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        d = datetime.datetime.fromtimestamp(int(epoch),
                                            datetime.timezone.utc)
    else:
        d = datetime.datetime.now(datetime.timezone.utc)
    return d.strftime("%Y-%m-%d")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pptpkitd", required=True)
    ap.add_argument("--pptpkit", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    rc, dhelp, err = run_help(a.pptpkitd, ["--help"])
    if rc != 0 or not dhelp:
        die("pptpkitd --help failed: %s" % err)
    rc, ver, err = run_help(a.pptpkitd, ["--version"])
    m = re.match(r"^pptpkitd (\S+)", ver)
    if rc != 0 or not m:
        die("pptpkitd --version failed: %s" % (ver + err))
    common = {"VERSION": [m.group(1)], "DATE": [man_date()]}

    # pptpkitd(8): its usage and every option and setting of --help.
    usage, rest = split_usage(dhelp, "pptpkitd")
    if not usage:
        die("no usage line in pptpkitd --help")
    vals = dict(common)
    vals["SYNOPSIS"] = []
    for u in usage:
        vals["SYNOPSIS"] += [line_safe(fmt_usage(u)), ".br"]
    blocks = parse_blocks(rest)
    # The first paragraph is the description, written in the template.
    paras = [i for i, b in enumerate(blocks) if b[0] == "para"]
    if paras:
        del blocks[paras[0]]
    vals["OPTIONS"] = blocks_to_roff(blocks)
    fill(os.path.join(a.src, "pptpkitd.8.in"), vals,
         os.path.join(a.out, "pptpkitd.8"))

    # pptpkitd.conf(5): the settings, with settings.txt's longer text.
    keys = settings_from_help(dhelp)
    doc = read_settings_doc(os.path.join(a.src, "settings.txt"))
    unknown = sorted(set(doc) - {k for k, _, _ in keys})
    if unknown:
        die("settings.txt describes settings pptpkitd does not know: %s"
            % ", ".join(unknown))
    vals = dict(common)
    vals["SETTINGS"] = settings_roff(keys, doc)
    fill(os.path.join(a.src, "pptpkitd.conf.5.in"), vals,
         os.path.join(a.out, "pptpkitd.conf.5"))

    # pptpkit(1): every command of the usage, its options, and the text
    # of each "pptpkit CMD --help" that has one of its own.
    rc, chelp, err = run_help(a.pptpkit, ["--help"])
    if rc != 0 or not chelp:
        die("pptpkit --help failed: %s" % err)
    usage, rest = split_usage(chelp, "pptpkit")
    if not usage:
        die("no usage line in pptpkit --help")
    vals = dict(common)
    vals["SYNOPSIS"] = []
    for u in usage:
        vals["SYNOPSIS"] += [line_safe(fmt_usage(u)), ".br"]
    vals["OPTIONS"] = blocks_to_roff(parse_blocks(rest))
    cmds = []
    for u in usage:
        w = u.split()
        if len(w) > 1 and re.match(r"^[a-z][a-z0-9-]*$", w[1]) and \
                w[1] not in cmds:
            cmds.append(w[1])
    sub = []
    for c in cmds:
        rc, text, _ = run_help(a.pptpkit, [c, "--help"])
        if rc != 0 or not text.strip() or text == chelp:
            continue
        cu, crest = split_usage(text, "pptpkit")
        sub.append('.SS "pptpkit %s"' % esc(c))
        for u in cu:
            sub += [line_safe(fmt_usage(u)), ".br"]
        sub += blocks_to_roff(parse_blocks(crest), nested=True)
    # A COMMANDS section only when some command has help of its own.
    vals["COMMAND_HELP"] = ([".SH COMMANDS"] + sub) if sub else []
    fill(os.path.join(a.src, "pptpkit.1.in"), vals,
         os.path.join(a.out, "pptpkit.1"))


if __name__ == "__main__":
    main()
