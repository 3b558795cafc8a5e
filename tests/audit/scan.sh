#!/usr/bin/env bash
# scan.sh - `pptpkit scan` against pptpkitd in network namespaces (CTest
# audit.scan, label netns; root). Every field it reports is checked
# against two independent readers of the same run: tshark's PPTP
# dissector on a capture, and nmap's pptp-version script (Debian nmap);
# --deep must list exactly the methods each server was configured to
# accept.
#
#   ns "scn": the scanner, 198.18.60.14/28 on bridge br0; a veth per
#   server namespace is enslaved to it.
#     .1  pptpkitd (defaults: mschapv2, MPPE required)      scan-a
#     .2  pptpkitd --auth pap,chap,mschap,mschapv2 --mppe allow  scan-b
#     .3  pptpkitd --auth pap --mppe deny                    scan-c
#     .4  pptpkitd --auth chap,mschap --mppe allow           scan-d
#     .5  something else on 1723 (an SSH-like banner)
#     .6  a host with nothing on 1723 (RST)
#     .7 - .13  nobody (ARP fails: no answer)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${PK_BUILD:-$root/build}
PKD=$BUILD/pptpkitd
PKC=$BUILD/pptpkit
CHECK="python3 $here/scan_check.py"
TAG=pks$$
NS_SCN=$TAG-scn
SERVERS=(1 2 3 4 5 6)
TMP=$(mktemp -d /tmp/pptpkit-scan.XXXXXX)
PIDS=()
T0=$(date +%s.%N)

say() { echo "[+] $*" >&2; }
fail() { echo "[!] FAIL: $*" >&2; exit 1; }
n() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
	set +e
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for s in "${SERVERS[@]}"; do ip netns del "$TAG-s$s" 2>/dev/null; done
	ip netns del "$NS_SCN" 2>/dev/null
	if [ "${PK_KEEP_TMP:-0}" = 1 ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
[ -x "$PKD" ] && [ -x "$PKC" ] || fail "build first: $PKD, $PKC"
for tool in nmap tshark tcpdump python3; do
	command -v $tool >/dev/null || fail "$tool missing (scripts/deps.sh installs it)"
done

# --- topology -------------------------------------------------------------
ip netns add "$NS_SCN"
n "$NS_SCN" ip link set lo up
n "$NS_SCN" ip link add br0 type bridge
n "$NS_SCN" ip addr add 198.18.60.14/28 dev br0
n "$NS_SCN" ip link set br0 up
for s in "${SERVERS[@]}"; do
	ns=$TAG-s$s
	ip netns add "$ns"
	n "$ns" ip link set lo up
	ip link add "p$s" netns "$NS_SCN" type veth peer name eth0 netns "$ns"
	n "$NS_SCN" ip link set "p$s" master br0 up
	n "$ns" ip addr add "198.18.60.$s/28" dev eth0
	n "$ns" ip link set eth0 up
done
printf 'alice * "alice pw" *\n' >"$TMP/secrets"
chmod 600 "$TMP/secrets"

start_pptpkitd() { # N NAME [flags]
	local s=$1 name=$2
	shift 2
	# ip netns exec itself in the background (not the n function, whose
	# subshell would hold $! instead of pptpkitd).
	ip netns exec "$TAG-s$s" "$PKD" --listen "198.18.60.$s" --secrets "$TMP/secrets" \
		--pool "198.19.60.$((s * 16))/28" --name "$name" \
		--control-socket "$TMP/ctl$s.sock" "$@" >"$TMP/srv$s.log" 2>&1 &
	PIDS+=($!)
}
start_pptpkitd 1 scan-a
start_pptpkitd 2 scan-b --auth pap,chap,mschap,mschapv2 --mppe allow
start_pptpkitd 3 scan-c --auth pap --mppe deny
start_pptpkitd 4 scan-d --auth chap,mschap --mppe allow
# Not PPTP: a banner, as an SSH server would send.
ip netns exec "$TAG-s5" python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.60.5", 1723))
s.listen(16)
while True:
    c, _ = s.accept()
    c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    c.close()
' >"$TMP/banner.log" 2>&1 &
PIDS+=($!)
for s in 1 2 3 4; do
	for _ in $(seq 50); do
		grep -q "listening on" "$TMP/srv$s.log" && break
		sleep 0.1
	done
	grep -q "listening on" "$TMP/srv$s.log" || { cat "$TMP/srv$s.log"; fail "pptpkitd $s did not start"; }
done
for _ in $(seq 50); do
	n "$TAG-s5" ss -ltn 2>/dev/null | grep -q ':1723 ' && break
	sleep 0.1
done

# --- 1: each server alone, every field against tshark and nmap -----------
say "scan of the four servers, fields checked against tshark and nmap"
ip netns exec "$NS_SCN" tcpdump -i br0 --immediate-mode -U -s 0 -w "$TMP/scan.pcap" tcp port 1723 \
	>"$TMP/tcpdump.log" 2>&1 &
TCPDUMP=$!
PIDS+=($TCPDUMP)
for _ in $(seq 50); do
	grep -q "listening on" "$TMP/tcpdump.log" && break
	sleep 0.1
done
n "$NS_SCN" "$PKC" scan --json 198.18.60.1 198.18.60.2 198.18.60.3 \
	198.18.60.4 >"$TMP/fields.json" 2>"$TMP/fields.err" ||
	{ cat "$TMP/fields.err"; fail "scan exited $?"; }
n "$NS_SCN" nmap -n -Pn -sT -p 1723 --script pptp-version -oX "$TMP/nmap.xml" \
	198.18.60.1-4 >"$TMP/nmap.out" 2>&1 || fail "nmap failed"
sleep 0.5
kill -TERM $TCPDUMP
wait $TCPDUMP 2>/dev/null || true
# Our scan's SCCRPs and nmap's both are in the capture; each server's
# first one (ours, which ran first) is compared.
tshark -r "$TMP/scan.pcap" -Y 'pptp.control_message_type == 2' -T fields \
	-E separator=/t -e ip.src -e pptp.protocol_version \
	-e pptp.control_result -e pptp.error -e pptp.framing_capabilities \
	-e pptp.bearer_capabilities -e pptp.maximum_channels \
	-e pptp.firmware_revision -e pptp.host_name -e pptp.vendor_name \
	>"$TMP/tshark.tsv" 2>"$TMP/tshark.err" || fail "tshark failed"
$CHECK fields "$TMP/fields.json" "$TMP/tshark.tsv" "$TMP/nmap.xml" \
	198.18.60.1 198.18.60.2 198.18.60.3 198.18.60.4 ||
	{ cat "$TMP/tshark.tsv"; grep -A2 '<port ' "$TMP/nmap.xml"; fail "fields"; }
grep -q 'Host: scan-b' "$TMP/nmap.out" || fail "nmap did not name scan-b"
# The table says the same.
n "$NS_SCN" "$PKC" scan 198.18.60.3 >"$TMP/table.txt" 2>&1
grep -Eq '^198\.18\.60\.3:1723 +pptp +1 Successful +1\.0 +async,sync +analog,digital +1 +scan-c +pptpkit$' \
	"$TMP/table.txt" || { cat "$TMP/table.txt"; fail "table row"; }
grep -q 'pptp-exposed' "$TMP/table.txt" || fail "table findings"

# --- 2: the /28 with --deep: concurrency, timeouts, every policy ---------
say "deep scan of 198.18.60.0/28 (concurrency 4, timeout 1 s)"
n "$NS_SCN" "$PKC" scan --deep --json --all --concurrency 4 --timeout 1 \
	198.18.60.0/28 >"$TMP/range.json" 2>"$TMP/range.err" ||
	{ cat "$TMP/range.err"; fail "range scan exited $?"; }
cat "$TMP/range.err" >&2
grep -Eq '^scan: 14/14 done, 4 PPTP, 1 open' "$TMP/range.err" ||
	fail "no final progress line on stderr"
$CHECK summary "$TMP/range.json" targets=14 pptp=4 open_not_pptp=1 closed=2 \
	timeout=7 unreachable=0 error=0 not_scanned=0 || fail "summary"
$CHECK state "$TMP/range.json" 198.18.60.5=open 198.18.60.6=closed \
	198.18.60.14=closed 198.18.60.9=timeout || fail "states"
$CHECK deep "$TMP/range.json" \
	198.18.60.1=mschapv2 \
	198.18.60.2=pap,chap-md5,mschapv1,mschapv2 \
	198.18.60.3=pap \
	198.18.60.4=chap-md5,mschapv1 || fail "deep"
python3 - "$TMP/range.json" <<'EOF' || fail "range details"
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["address"]: x for x in d["targets"]}
b = t["198.18.60.5"]["reply"]
assert b["kind"] == "not-pptp", b
assert b["head_text"].startswith("SSH-2.0-OpenSSH"), b
assert "deep" not in t["198.18.60.5"] or t["198.18.60.5"]["deep"]["state"] == "skipped"
assert t["198.18.60.5"]["findings"] == []
assert t["198.18.60.2"]["deep"]["offered"] == "mschapv2"
assert t["198.18.60.4"]["deep"]["offered"] == "mschapv1"
ids = {f["id"]: f["severity"] for f in t["198.18.60.3"]["findings"]}
assert ids.get("accepts-pap") == "critical", ids
assert ids.get("pptp-exposed") == "high", ids
print("ok banner, offered methods, severities")
EOF
# The same range as a table: every PPTP server with its findings, the
# banner, and the summary line.
n "$NS_SCN" "$PKC" scan --deep --concurrency 4 --timeout 1 --quiet \
	198.18.60.0/28 >"$TMP/range.txt" 2>&1 || fail "range table"
grep -Eq '^14 targets: 4 PPTP, 1 open \(not PPTP\), 2 closed, 7 no answer, 0 unreachable, 0 error; ' \
	"$TMP/range.txt" || { cat "$TMP/range.txt"; fail "range summary line"; }
grep -Eq '^198\.18\.60\.5:1723 +open +not-pptp: "SSH-2\.0-OpenSSH' "$TMP/range.txt" ||
	fail "banner row"
[ "$(grep -c 'pptp-exposed' "$TMP/range.txt")" = 4 ] || fail "findings per server"
# Each server logged the scanner's probes as connections from
# "pptpkit-scan" that ended by the scanner's Stop-Control-Connection.
for s in 1 2 3 4; do
	grep -q 'peer "pptpkit-scan"' "$TMP/srv$s.log" || fail "srv$s: no scan seen"
	grep -q 'peer stopped the control connection' "$TMP/srv$s.log" ||
		fail "srv$s: probes did not stop the control connection"
done

# --- 3: the table of a deep scan, and --deep without CAP_NET_RAW ----------
n "$NS_SCN" "$PKC" scan --deep 198.18.60.2 >"$TMP/deep.txt" 2>&1
grep -q 'auth: offered mschapv2; accepts pap, chap-md5, mschapv1, mschapv2; refuses eap' \
	"$TMP/deep.txt" || { cat "$TMP/deep.txt"; fail "deep table"; }
grep -Eq 'critical +accepts-pap' "$TMP/deep.txt" || fail "deep table finding"
set +e
n "$NS_SCN" setpriv --bounding-set -net_raw --inh-caps -all \
	"$PKC" scan --deep 198.18.60.1 >"$TMP/noraw.txt" 2>&1
rc=$?
set -e
[ $rc = 1 ] || { cat "$TMP/noraw.txt"; fail "--deep without CAP_NET_RAW exited $rc"; }
grep -q 'needs root or CAP_NET_RAW' "$TMP/noraw.txt" || fail "no clear message"
# Without --deep the same user can scan.
n "$NS_SCN" setpriv --bounding-set -net_raw --inh-caps -all \
	"$PKC" scan 198.18.60.1 >"$TMP/noraw2.txt" 2>&1 || fail "plain scan without CAP_NET_RAW"
grep -q 'scan-a' "$TMP/noraw2.txt" || fail "plain scan output"
# Usage errors.
set +e
"$PKC" scan --timeout 0 198.18.60.1 >/dev/null 2>&1; [ $? = 64 ] || fail "--timeout 0 accepted"
"$PKC" scan 198.18.60.0/8 >/dev/null 2>"$TMP/big.err"; [ $? = 64 ] || fail "/8 accepted"
set -e
grep -q -- '--max-targets' "$TMP/big.err" || fail "no --max-targets hint"

for s in 1 2 3 4; do
	if grep -Eq 'error:|AddressSanitizer|runtime error' "$TMP/srv$s.log"; then
		cat "$TMP/srv$s.log"; fail "srv$s logged an error"
	fi
done
say "ok ($(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
