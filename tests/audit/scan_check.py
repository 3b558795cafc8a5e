#!/usr/bin/env python3
"""scan_check.py - checks `pptpkit scan --json` output against independent
witnesses, for tests/audit/scan.sh and tests/interop/scan.sh.

  scan_check.py fields SCAN.json TSHARK.tsv NMAP.xml ADDR...
      Every ADDR is a PPTP target in the scan, and each field of its
      Start-Control-Connection-Reply equals what tshark's PPTP dissector
      read from a capture of the same run (version, result, error,
      framing, bearer, maximum channels, firmware, host name, vendor) and
      what nmap's pptp-version script reported (product = vendor,
      version = "(Firmware: N)", hostname = host name).
  scan_check.py deep SCAN.json ADDR=METHOD,METHOD ...
      The deep scan of ADDR finished and accepts exactly those methods
      (every other method refused), with evidence for each.
  scan_check.py summary SCAN.json KEY=N ...
      The summary counts.
  scan_check.py state SCAN.json ADDR=STATE ...
      The state of listed targets (pptp, open, closed, timeout, ...).

Exits 1 with one line per mismatch.
"""
import json
import sys
import xml.etree.ElementTree as ET

METHODS = ["pap", "chap-md5", "mschapv1", "mschapv2", "eap"]
errors = []


def err(msg):
    errors.append(msg)
    print("MISMATCH: " + msg)


def load_scan(path):
    with open(path) as f:
        doc = json.load(f)
    return doc, {t["address"]: t for t in doc["targets"]}


def tshark_rows(path):
    """ip.src, version, result, error, framing, bearer, channels,
    firmware, host, vendor per SCCRP (first one per source)."""
    rows = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 10 or p[0] in rows:
                continue
            rows[p[0]] = p
    return rows


def nmap_services(path):
    out = {}
    root = ET.parse(path).getroot()
    for host in root.findall("host"):
        addr = host.find("address").get("addr")
        for port in host.iter("port"):
            svc = port.find("service")
            if port.get("portid") == "1723" and svc is not None:
                out[addr] = svc.attrib
    return out


def check_fields(scan, tsv, xml, addrs):
    _, targets = load_scan(scan)
    rows = tshark_rows(tsv)
    svcs = nmap_services(xml)
    for a in addrs:
        t = targets.get(a)
        if t is None or t.get("state") != "pptp":
            err(f"{a}: not reported as PPTP ({t and t.get('state')})")
            continue
        r = t["reply"]
        row = rows.get(a)
        if row is None:
            err(f"{a}: no SCCRP from it in the capture")
        else:
            ver, res, e, fr, br, ch, fw, host, vendor = row[1:10]
            major, minor = r["protocol_version"].split(".")
            want = {
                "protocol_version": (int(ver), int(major) * 256 + int(minor)),
                "result_code": (int(res), r["result_code"]),
                "error_code": (int(e), r["error_code"]),
                "framing_capabilities": (int(fr), r["framing_capabilities"]),
                "bearer_capabilities": (int(br), r["bearer_capabilities"]),
                "max_channels": (int(ch), r["max_channels"]),
                "firmware_revision": (int(fw), r["firmware_revision"]),
                "host_name": (host, r["host_name"]),
                "vendor": (vendor, r["vendor"]),
            }
            for k, (wire, ours) in want.items():
                if wire != ours:
                    err(f"{a}: {k}: tshark read {wire!r}, scan says {ours!r}")
        s = svcs.get(a)
        if s is None:
            err(f"{a}: nmap pptp-version reported nothing")
        else:
            fwv = r["firmware_revision"]
            checks = {
                "product": (s.get("product") or None, r["vendor"] or None),
                "hostname": (s.get("hostname") or None,
                             r["host_name"] or None),
                "version": (s.get("version"),
                            f"(Firmware: {fwv})" if fwv else None),
            }
            for k, (theirs, ours) in checks.items():
                if theirs != ours:
                    err(f"{a}: nmap {k} {theirs!r}, scan says {ours!r}")
        print(f"ok {a}: version {r['protocol_version']} result "
              f"{r['result_code']} framing {r['framing_capabilities']} "
              f"bearer {r['bearer_capabilities']} channels "
              f"{r['max_channels']} firmware {r['firmware_revision']} "
              f"host {r['host_name']!r} vendor {r['vendor']!r} "
              "(= tshark, = nmap)")


def check_deep(scan, specs):
    _, targets = load_scan(scan)
    for spec in specs:
        a, want = spec.split("=", 1)
        want = set(w for w in want.split(",") if w)
        t = targets.get(a)
        if t is None or "deep" not in t:
            err(f"{a}: no deep result")
            continue
        d = t["deep"]
        if d["state"] != "done":
            err(f"{a}: deep state {d['state']} ({d['note']})")
        got = set(d["accepts"])
        if got != want:
            err(f"{a}: accepts {sorted(got)}, configured {sorted(want)}")
        for m in METHODS:
            v = d["methods"][m]["verdict"]
            exp = "accepted" if m in want else "refused"
            if v != exp:
                err(f"{a}: {m}: {v}, expected {exp} "
                    f"({d['methods'][m]['evidence']})")
            if not d["methods"][m]["evidence"]:
                err(f"{a}: {m}: no evidence")
        if d["accepts_pap"] != ("pap" in want):
            err(f"{a}: accepts_pap {d['accepts_pap']}")
        if d["accepts_mschapv1"] != ("mschapv1" in want):
            err(f"{a}: accepts_mschapv1 {d['accepts_mschapv1']}")
        ids = {f["id"] for f in t["findings"]}
        if ("pap" in want) != ("accepts-pap" in ids):
            err(f"{a}: finding accepts-pap present={('accepts-pap' in ids)}")
        if (want == {"mschapv2"}) != ("mschapv2-only" in ids):
            err(f"{a}: finding mschapv2-only present="
                f"{('mschapv2-only' in ids)}")
        print(f"ok {a}: offered {d['offered']}, accepts "
              f"{','.join(sorted(got)) or 'none'} in {d['probes']} probes")


def check_summary(scan, specs):
    doc, _ = load_scan(scan)
    for spec in specs:
        k, v = spec.split("=", 1)
        if doc["summary"].get(k) != int(v):
            err(f"summary {k} = {doc['summary'].get(k)}, expected {v}")
    print("ok summary " + json.dumps(doc["summary"], sort_keys=True))


def check_state(scan, specs):
    _, targets = load_scan(scan)
    for spec in specs:
        a, v = spec.split("=", 1)
        got = targets.get(a, {}).get("state")
        if got != v:
            err(f"{a}: state {got}, expected {v}")


def main(argv):
    mode = argv[1]
    if mode == "fields":
        check_fields(argv[2], argv[3], argv[4], argv[5:])
    elif mode == "deep":
        check_deep(argv[2], argv[3:])
    elif mode == "summary":
        check_summary(argv[2], argv[3:])
    elif mode == "state":
        check_state(argv[2], argv[3:])
    else:
        print(__doc__)
        return 2
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
