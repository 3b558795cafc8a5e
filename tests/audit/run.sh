#!/usr/bin/env bash
# run.sh - the audit toolkit on captures it records itself (CTest
# audit.captures, label netns). pptpkitd and pptpkit connect talk between
# network namespaces (tests/netns/lib.sh) while tcpdump records the veth
# (TCP 1723 and GRE) and the client's TUN; then, on those captures:
#
#   audit    finds every session and exchange and names every weakness
#            (--json, checked field by field; the table is printed);
#   export   hash lines that real hashcat cracks: -m 5500 (MS-CHAPv1/v2)
#            and -m 4800 (CHAP-MD5) with a small word list, -m 14000 on
#            a keyspace cut down by a mask built from the known key;
#   crack    --engine builtin and --engine hashcat find the password
#            from a word list (one only with --rules), --nt-hashes finds
#            the hash, --des-keyspace --known-bits recovers K1 and K2;
#   decrypt  writes exactly the IP packets the client's TUN carried,
#            byte for byte (tests/audit/pcapcmp.py), readable by tshark,
#            also when the capture or the network lost packets.
#
# Cases: PAP, CHAP-MD5, MS-CHAPv1 + MPPE-128, MS-CHAPv2 without MPPE and
# with MPPE 40/56/128 stateless and stateful (the 128-bit stateful one
# past the 4096 coherency-count wrap), and a failed MS-CHAPv2 login.
# Usage: tests/audit/run.sh   (root; PK_BUILD, PK_KEEP_TMP=1 as netns)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../netns/lib.sh"
CMP="python3 $here/pcapcmp.py --ipv4-only"
T0=$SECONDS

[ -x "$PKD" ] && [ -x "$PKC" ] || fail "build first: $PKD / $PKC missing"
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
for tool in tcpdump tshark editcap mergecap hashcat python3; do
	command -v $tool >/dev/null ||
		fail "$tool is not installed (scripts/deps.sh installs it)"
done
# hashcat needs an OpenCL device: Debian's pocl gives it the CPU.
hashcat -I 2>&1 | grep -q 'Type\.*: CPU' ||
	fail "hashcat -I lists no OpenCL CPU device (pocl-opencl-icd, ocl-icd-libopencl1): $(hashcat -I 2>&1 | tail -3)"

netns_setup
W=$PK_TMP
printf '%s\n' \
	'alice  *  "alice pw"   *' \
	'dave   *  Winter2023   *' \
	'carol  *  carolpw      *' >"$W/secrets"
chmod 600 "$W/secrets"
printf 'alice pw\n' >"$W/alice.pw"
printf 'Winter2023\n' >"$W/dave.pw"
printf 'not carols\n' >"$W/wrong.pw"
chmod 600 "$W"/*.pw
# The word list: noise, the passwords in plain form, "winter" (which
# only --rules turns into Winter2023), and "not carols" (the failed
# login's guess: its exchange cracks to what was typed).
python3 -c '
import random
random.seed(7)
w = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789")
     for _ in range(random.randint(5, 12))) for _ in range(20000)]
w[4321:4321] = ["alice pw", "winter", "not carols", "carolpw"]
print("\n".join(w))' >"$W/words.txt"
grep -v '^alice pw$\|^carolpw$\|^not carols$' "$W/words.txt" >"$W/words-dave.txt"

SRV_PID='' CAP_PIDS=()
start_server() { # log-name policy...
	local log=$W/srv.$1.log
	shift
	bg $NS_SRV "$log" "$PKD" --secrets "$W/secrets" --pool 198.19.0.0/24 \
		--control-socket "$W/ctl.sock" "$@"
	SRV_PID=$BG_PID
	wait_for_log "$log" "listening on" 10
}

stop_pid() { # pid signal
	kill -"$2" "$1" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# capture NS IFACE FILE [filter...]: tcpdump with a large buffer; waits
# until it listens.
capture() {
	local ns=$1 ifc=$2 file=$3
	shift 3
	bg "$ns" "$file.log" tcpdump -i "$ifc" --immediate-mode -U -s 0 -B 32768 \
		-w "$file" "$@"
	CAP_PIDS+=("$BG_PID")
	wait_for_log "$file.log" "listening on" 10
}

# Stops every capture.
stop_captures() {
	local p
	sleep 0.3
	for p in "${CAP_PIDS[@]}"; do stop_pid "$p" INT; done
	CAP_PIDS=()
}

# What tcpdump said it dropped (a loaded machine): the comparison allows
# exactly that many packets more on the other side, and says so.
dropped() {
	sed -n 's/^\([0-9][0-9]*\) packets dropped by kernel$/\1/p' "$1.log"
}

# json Q FILE: evaluates the Python expression Q with j = the JSON.
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2"
}

# The cases: name | auth | MPPE bits (none) | stateful? | user | traffic.
CASES=(
	"pap|pap|none||alice|ping"
	"chap|chap|none||alice|ping"
	"mschap-128|mschap|128|stateless|alice|ping"
	"mschapv2-none|mschapv2|none||alice|ping"
	"mschapv2-40|mschapv2|40|stateless|alice|ping"
	"mschapv2-56|mschapv2|56|stateless|dave|ping+tcp"
	"mschapv2-128|mschapv2|128|stateless|alice|ping+tcp"
	"mschapv2-40-stateful|mschapv2|40|stateful|alice|ping+loss"
	"mschapv2-56-stateful|mschapv2|56|stateful|alice|ping"
	"mschapv2-128-stateful|mschapv2|128|stateful|alice|flood"
)

# traffic NAME KIND: pings of several sizes both ways (every direction
# crosses a key change in stateful mode: more than 256 packets), a TCP
# transfer, a flood past 4096 packets, or real loss on the way.
traffic() {
	local kind=$2 cip=$3
	n $NS_C1 ping -q -c 40 -i 0.01 -s 1200 -W 2 198.19.0.1 >/dev/null ||
		fail "$1: ping through the tunnel failed"
	n $NS_SRV ping -q -c 300 -i 0.002 -s 64 -W 2 "$cip" >/dev/null ||
		fail "$1: ping from the server failed"
	case $kind in
	*tcp*)
		bg $NS_SRV "$W/$1.recv" python3 "$here/../netns/xfer.py" recv 5001
		local rpid=$BG_PID
		n $NS_C1 python3 "$here/../netns/xfer.py" send 198.19.0.1 5001 400000 \
			>"$W/$1.send" || fail "$1: TCP transfer failed"
		wait "$rpid" 2>/dev/null || true
		;;
	*flood*)
		# 4300 echo requests and replies: past the coherency count
		# wrap at 4096 in both directions.
		n $NS_C1 ping -q -f -c 4300 -s 32 -W 2 198.19.0.1 >"$W/$1.flood" ||
			fail "$1: flood ping failed"
		grep -q ' 0% packet loss' "$W/$1.flood" ||
			fail "$1: the flood lost packets: $(tail -2 "$W/$1.flood")"
		;;
	*loss*)
		# Real loss: the client's kernel drops every 50th GRE data
		# packet it sends (the server asks for CCP resets); pings of
		# 200 bytes so that LCP and CCP are never hit.
		n $NS_C1 iptables -A OUTPUT -p gre -m length --length 200:65535 \
			-m statistic --mode nth --every 50 --packet 0 -j DROP
		n $NS_C1 ping -q -c 600 -i 0.005 -s 200 -W 1 198.19.0.1 >"$W/$1.lossping" || true
		LOSS_DROPPED=$(n $NS_C1 iptables -L OUTPUT -v -x -n | awk '$3 == "DROP" { print $1 }')
		n $NS_C1 iptables -F OUTPUT
		[ "${LOSS_DROPPED:-0}" -gt 0 ] || fail "$1: no packet was dropped"
		;;
	esac
}

# The findings each case must produce (code list, checked by audit_check);
# with real loss the GRE sequence numbers show the gaps too.
want_findings() { # auth bits mode [loss]
	local f="pptp-control-clear"
	[ -n "${4:-}" ] && f="$f capture-gaps"
	case $1 in
	pap) f="$f pap-cleartext" ;;
	chap) f="$f chap-md5-offline" ;;
	mschap) f="$f mschapv1-des" ;;
	mschapv2) f="$f mschapv2-des" ;;
	esac
	if [ "$2" = none ]; then
		f="$f mppe-none"
	else
		f="$f mppe-keys-from-password mppe-no-integrity"
		[ "$1" = mschap ] && f="$f mppe-same-key"
		[ "$2" = 40 ] && f="$f mppe-40"
		[ "$2" = 56 ] && f="$f mppe-56"
		[ "$3" = stateful ] && f="$f mppe-stateful"
	fi
	echo "$f"
}

# audit_check NAME AUTH BITS MODE USER: audit --json of the case's capture.
audit_check() {
	local name=$1 auth=$2 bits=$3 mode=$4 user=$5 cap=$W/$1.pcap j
	local wauth=$auth wmppe=none got want
	j=$W/$name.audit.json
	case $auth in chap) wauth=chap-md5 ;; mschap) wauth=mschapv1 ;; esac
	[ "$bits" = none ] || wmppe=$bits-$mode
	"$PKC" audit "$cap" --json >"$j" || fail "$name: pptpkit audit failed"
	got=$(json '"%d %d %s %s %s %s %d %s" % (len(j["sessions"]), len(j["control_connections"]),
		j["sessions"][0]["user"], j["sessions"][0]["auth"], j["sessions"][0]["result"],
		j["sessions"][0]["mppe"]["mode"], len(j["sessions"][0]["exchanges"]),
		j["control_connections"][0]["server_says"]["vendor"])' "$j")
	want="1 1 $user $wauth success $wmppe 1 pptpkit"
	[ "$got" = "$want" ] || fail "$name: audit says '$got', expected '$want'"
	# Every weakness named, with a severity and a reason; nothing else.
	got=$(json '" ".join(sorted(f["code"] for f in j["findings"]))' "$j")
	want=$(tr ' ' '\n' <<<"$(want_findings "$auth" "$bits" "$mode" "$LOSS_DROPPED")" | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] || fail "$name: findings '$got', expected '$want'"
	json 'all(f["severity"] in ("critical","high","medium","low","info") and len(f["text"]) > 40 for f in j["findings"]) or sys.exit(1)' "$j" >/dev/null ||
		fail "$name: a finding without severity or reason"
	case $auth in
	pap)
		[ "$(json 'j["sessions"][0]["exchanges"][0]["password"]' "$j")" = "alice pw" ] ||
			fail "$name: the PAP password was not shown"
		;;
	mschapv2)
		json 'len(j["sessions"][0]["exchanges"][0]["peer_challenge"]) == 32 and len(j["sessions"][0]["exchanges"][0]["nt_response"]) == 48 and j["sessions"][0]["exchanges"][0]["message"].startswith("S=") or sys.exit(1)' "$j" >/dev/null ||
			fail "$name: MS-CHAPv2 fields missing in $(cat "$j")"
		;;
	esac
	# The table for people (shown once per case, in the log).
	"$PKC" audit "$cap" >"$W/$name.audit.txt" || fail "$name: audit (table) failed"
	grep -q "^findings: " "$W/$name.audit.txt" || fail "$name: no findings in the table"
}

# The comparison's allowances for case NAME: packets the capture lacks
# (lost on the way, dropped by tcpdump, or never sent: the sender's GRE
# queue full under load), as the GRE sequence numbers and MPPE coherency
# counts show them; decrypted packets the TUN's tcpdump dropped. Sets
# ALLOW_MISS, ALLOW_EXTRA and ALLOW (pcapcmp.py's flags).
allowances() {
	local miss
	miss=$(( $(json 'sum(max(s[d]["gre_lost"], s[d]["mppe_count_missing"]) for s in j["sessions"] for d in ("client_to_server", "server_to_client"))' "$W/$1.audit.json") + $(dropped "$W/$1.pcap") ))
	[ -z "${LOSS_DROPPED:-}" ] || [ "$miss" -ge "$LOSS_DROPPED" ] ||
		fail "$1: $LOSS_DROPPED packets dropped, the capture shows $miss missing"
	ALLOW_MISS=$miss
	ALLOW_EXTRA=$(dropped "$W/$1.tun.pcap")
	ALLOW=(--allow-missing "$ALLOW_MISS" --allow-extra "$ALLOW_EXTRA")
}

# decrypt_check NAME USER: decrypt and compare with the client's TUN.
decrypt_check() {
	local name=$1 user=$2 out=$W/$1.plain.pcap n
	"$PKC" decrypt "$W/$name.pcap" --password-file "$W/$user.pw" -o "$out" \
		>"$W/$name.decrypt.txt" || fail "$name: decrypt: $(cat "$W/$name.decrypt.txt")"
	allowances "$name"
	$CMP "$out" "$W/$name.tun.pcap" --skip-syn "${ALLOW[@]}" >"$W/$name.cmp.txt" ||
		fail "$name: decrypted packets differ from the TUN's: $(cat "$W/$name.cmp.txt" "$W/$name.decrypt.txt")"
	n=$(tshark -r "$out" 2>/dev/null | wc -l)
	[ "$n" -gt 600 ] || fail "$name: tshark read only $n packets of $out"
	tshark -r "$out" -Y 'icmp.type == 0 || icmp.type == 8' 2>/dev/null | grep -q 'Echo (ping)' ||
		fail "$name: tshark sees no ICMP in $out"
}

run_case() {
	local name auth bits mode user kind pol cip
	IFS='|' read -r name auth bits mode user kind <<<"$1"
	LOSS_DROPPED=
	if [ "$bits" = none ]; then
		pol=(--auth "$auth" --mppe deny)
	else
		pol=(--auth "$auth" --mppe require --mppe-bits "$bits"
			--mppe-stateful "$([ "$mode" = stateful ] && echo require || echo deny)")
	fi
	start_server "$name" "${pol[@]}"
	capture $NS_SRV s1 "$W/$name.pcap" 'tcp port 1723 or ip proto 47'
	[ "$name" = mschapv2-128 ] && {
		capture $NS_SRV any "$W/$name.sll2.pcap" 'tcp port 1723 or ip proto 47'
		capture $NS_SRV any "$W/$name.sll.pcap" -y LINUX_SLL 'tcp port 1723 or ip proto 47'
	}
	bg $NS_C1 "$W/cli.$name.log" "$PKC" connect 198.18.0.1 --user "$user" \
		--password-file "$W/$user.pw" --ifname pka "${pol[@]}"
	local cpid=$BG_PID
	wait_for_log "$W/cli.$name.log" '^connected:' 30
	cip=$(connected_field "$W/cli.$name.log" local)
	capture $NS_C1 pka "$W/$name.tun.pcap"
	local tpid=$BG_PID
	traffic "$name" "$kind" "$cip"
	# The TUN's capture ends before the TUN does (tcpdump loses what
	# it has not read yet when its interface disappears).
	sleep 0.3
	stop_pid "$tpid" INT
	stop_pid "$cpid" INT
	stop_captures
	stop_pid "$SRV_PID" TERM
	audit_check "$name" "$auth" "$bits" "$mode" "$user"
	decrypt_check "$name" "$user"
	pretty "$name: audit ($(json '" ".join(f["code"] for f in j["findings"] if f["severity"] in ("critical","high"))' "$W/$name.audit.json")), decrypt: $(tail -1 "$W/$name.cmp.txt")"
}

for c in "${CASES[@]}"; do run_case "$c"; done
sed 's/^/    /' "$W/mschapv2-128.audit.txt" >&2

# ---------------------------------------------------------------------
# A failed login: carol types the wrong password (MS-CHAPv2).
start_server failed
capture $NS_SRV s1 "$W/failed.pcap" 'tcp port 1723 or ip proto 47'
set +e
n $NS_C1 timeout 30 "$PKC" connect 198.18.0.1 --user carol \
	--password-file "$W/wrong.pw" --ifname pkw >"$W/cli.failed.log" 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "wrong password: exit code $rc"
stop_captures
stop_pid "$SRV_PID" TERM
"$PKC" audit "$W/failed.pcap" --json >"$W/failed.json"
[ "$(json '"%s %s %s %d" % (j["sessions"][0]["user"], j["sessions"][0]["result"], j["sessions"][0]["exchanges"][0]["error"], sum(f["code"] == "auth-failed" and f["severity"] == "medium" for f in j["findings"]))' "$W/failed.json")" = "carol failure 691 1" ] ||
	fail "failed login not reported: $(cat "$W/failed.json")"
pretty "failed login: audit reports carol's failure (E=691, auth-failed)"

# The same capture in other forms: Linux cooked v1/v2 (tcpdump -i any),
# pcapng, and all cases merged into one file (11 sessions).
for f in sll sll2; do
	[ "$(json '"%s %d" % (j["capture"]["link"], len(j["sessions"][0]["exchanges"]))' \
		<("$PKC" audit "$W/mschapv2-128.$f.pcap" --json))" = \
		"Linux cooked v$([ $f = sll ] && echo 1 || echo 2) 1" ] ||
		fail "the $f capture was not read: $("$PKC" audit "$W/mschapv2-128.$f.pcap")"
done
editcap -F pcapng "$W/mschapv2-128.pcap" "$W/mschapv2-128.pcapng"
"$PKC" decrypt "$W/mschapv2-128.pcapng" --password-file "$W/alice.pw" \
	-o "$W/ng.plain.pcap" >/dev/null || fail "pcapng: decrypt failed"
LOSS_DROPPED=
allowances mschapv2-128
$CMP "$W/ng.plain.pcap" "$W/mschapv2-128.tun.pcap" --skip-syn "${ALLOW[@]}" >/dev/null ||
	fail "pcapng: decrypted packets differ"
all=()
for c in "${CASES[@]}"; do all+=("$W/${c%%|*}.pcap"); done
mergecap -F pcap -w "$W/all.pcap" "${all[@]}" "$W/failed.pcap"
"$PKC" audit "$W/all.pcap" --json >"$W/all.json"
[ "$(json '"%d %d" % (len(j["sessions"]), sum(len(s["exchanges"]) for s in j["sessions"]))' "$W/all.json")" = "11 11" ] ||
	fail "merged capture: $(json 'len(j["sessions"])' "$W/all.json") sessions"
pretty "Linux cooked v1 and v2, pcapng, and all 11 sessions in one merged capture read"

# Capture loss: every 40th MPPE frame cut out of the flood capture
# (stateful, past the wrap): decrypt finds its place again after each.
frames=$(tshark -r "$W/mschapv2-128-stateful.pcap" -Y comp_data -T fields \
	-e frame.number 2>/dev/null | awk 'NR % 40 == 17' | tr '\n' ' ')
cut=$(wc -w <<<"$frames")
# shellcheck disable=SC2086
editcap "$W/mschapv2-128-stateful.pcap" "$W/lossy.pcap" $frames
"$PKC" decrypt "$W/lossy.pcap" --password-file "$W/alice.pw" -o "$W/lossy.plain.pcap" \
	>"$W/lossy.txt" || fail "lossy capture: decrypt failed"
allowances mschapv2-128-stateful
$CMP "$W/lossy.plain.pcap" "$W/mschapv2-128-stateful.tun.pcap" --skip-syn \
	--allow-missing $((cut + ALLOW_MISS)) --allow-extra "$ALLOW_EXTRA" \
	>"$W/lossy.cmp" ||
	fail "lossy capture: $(cat "$W/lossy.cmp" "$W/lossy.txt")"
pretty "capture loss: $cut of the stateful session's MPPE frames removed; decrypt: $(tail -1 "$W/lossy.cmp")"

# ---------------------------------------------------------------------
# export -> real hashcat.
# hashcat's session files in our directory; its kernel cache stays.
export XDG_DATA_HOME=$W/hashcat-data
mkdir -p "$XDG_DATA_HOME"
HC=(hashcat --potfile-disable --quiet)
for c in "${CASES[@]}"; do
	IFS='|' read -r name auth _ <<<"$c"
	case $auth in mschap*) "$PKC" export "$W/$name.pcap" --format hashcat ;; esac
done >"$W/5500.txt" 2>/dev/null
"$PKC" export "$W/failed.pcap" --format hashcat >>"$W/5500.txt" 2>/dev/null
[ "$(wc -l <"$W/5500.txt")" = 9 ] || fail "expected 9 MS-CHAP lines: $(cat "$W/5500.txt")"
(cd "$W" && "${HC[@]}" -m 5500 -a 0 --session pk5500 --outfile-format 2 -o 5500.out 5500.txt words.txt) ||
	[ $? = 1 ] || fail "hashcat -m 5500 failed to run"
# dave's Winter2023 is not in the word list as such: 8 of 9.
[ "$(sort -u "$W/5500.out" | tr '\n' '|')" = "alice pw|not carols|" ] &&
	[ "$(wc -l <"$W/5500.out")" = 8 ] ||
	fail "hashcat -m 5500 cracked: $(cat "$W/5500.out")"
pretty "hashcat -m 5500: 8 of 9 MS-CHAP lines cracked from the word list (dave's needs rules)"

"$PKC" export "$W/chap.pcap" --format hashcat >"$W/4800.txt" 2>/dev/null
(cd "$W" && "${HC[@]}" -m 4800 -a 0 --session pk4800 --outfile-format 2 -o 4800.out 4800.txt words.txt) ||
	fail "hashcat -m 4800 failed"
[ "$(cat "$W/4800.out")" = "alice pw" ] || fail "hashcat -m 4800: $(cat "$W/4800.out")"
pretty "hashcat -m 4800: the CHAP-MD5 line cracked"

# -m 14000: the two DES lines; the mask fixes all but the last three
# key bytes of each (taken from the NT hash, here known), so 2^21 keys.
"$PKC" export "$W/mschapv2-128.pcap" --format hashcat-des >"$W/14000.txt" 2>/dev/null
[ "$(wc -l <"$W/14000.txt")" = 2 ] || fail "hashcat-des: $(cat "$W/14000.txt")"
nt=$(python3 -c '
import hashlib, sys
try:
    print(hashlib.new("md4", "alice pw".encode("utf-16le")).hexdigest())
except ValueError:
    print("")')
[ -n "$nt" ] || nt=$("$PKC" crack "$W/mschapv2-128.pcap" --engine builtin --wordlist "$W/words.txt" | sed -n 's/.*NT hash \([0-9a-f]*\).*/\1/p')
deskey() { # 7 key bytes (hex) -> 8 DES key bytes with odd parity (hex)
	python3 -c '
import sys
k = int(sys.argv[1], 16)
out = ""
for i in range(8):
    b = ((k >> (49 - 7 * i)) & 0x7f) << 1
    b |= (bin(b).count("1") + 1) % 2
    out += "%02x" % b
print(out)' "$1"
}
k1=$(deskey "${nt:0:14}") k2=$(deskey "${nt:14:14}")
cs=$(python3 -c 'print("".join("%02x" % b for b in range(256) if bin(b).count("1") % 2))')
# One run, two masks (an .hcmask file: charset, mask), both lines.
printf '%s,%s?1?1?1\n' "$cs" "${k1:0:10}" "$cs" "${k2:0:10}" >"$W/14000.hcmask"
(cd "$W" && "${HC[@]}" -m 14000 -a 3 --session pk14000 --outfile-format 1,3 \
	--hex-charset -o 14000.out 14000.txt 14000.hcmask) ||
	fail "hashcat -m 14000 failed"
# 7-bit halves: DES ignores parity, hashcat may print an equal key.
key7() { python3 -c '
import sys
v = 0
for i in range(8):
    v = (v << 7) | (int(sys.argv[1][2*i:2*i+2], 16) >> 1)
print("%014x" % v)' "$1"; }
for k in 1 2; do
	line=$(sed -n "${k}p" "$W/14000.txt")
	got=$(grep "^$line:" "$W/14000.out" | sed 's/.*://')
	want=$([ $k = 1 ] && echo "${nt:0:14}" || echo "${nt:14:14}")
	[ -n "$got" ] && [ "$(key7 "$got")" = "$want" ] ||
		fail "hashcat -m 14000 K$k: got '$got', expected the key of $want"
done
pretty "hashcat -m 14000: K1 $k1 and K2 $k2 found on a 2^21-key mask (NT hash $nt)"

# ---------------------------------------------------------------------
# pptpkit crack, both engines.
"$PKC" crack "$W/mschapv2-128.pcap" --engine builtin --wordlist "$W/words.txt" \
	>"$W/crack.b.txt" || fail "crack --engine builtin: $(cat "$W/crack.b.txt")"
grep -q "password \"alice pw\", NT hash $nt" "$W/crack.b.txt" ||
	fail "crack --engine builtin: $(cat "$W/crack.b.txt")"
grep -q 'K3 = NT-hash bytes 14-15 = '"${nt:28:4}" "$W/crack.b.txt" ||
	fail "crack: K3 not reported"
"$PKC" crack "$W/mschapv2-56.pcap" --engine builtin --wordlist "$W/words-dave.txt" \
	>"$W/crack.norules.txt" && fail "dave's password found without --rules"
"$PKC" crack "$W/mschapv2-56.pcap" --engine builtin --rules --threads 2 \
	--wordlist "$W/words-dave.txt" >"$W/crack.rules.txt" ||
	fail "crack --rules: $(cat "$W/crack.rules.txt")"
grep -q 'password "Winter2023"' "$W/crack.rules.txt" || fail "crack --rules: $(cat "$W/crack.rules.txt")"
"$PKC" crack "$W/mschapv2-56.pcap" --engine hashcat --rules \
	--wordlist "$W/words-dave.txt" >"$W/crack.hc.txt" 2>"$W/crack.hc.err" ||
	fail "crack --engine hashcat: $(cat "$W/crack.hc.txt" "$W/crack.hc.err")"
grep -q 'password "Winter2023"' "$W/crack.hc.txt" || fail "crack --engine hashcat: $(cat "$W/crack.hc.txt")"
"$PKC" crack "$W/chap.pcap" --engine hashcat --wordlist "$W/words.txt" \
	>"$W/crack.md5.txt" 2>/dev/null || fail "crack CHAP-MD5 with hashcat: $(cat "$W/crack.md5.txt")"
grep -q 'password "alice pw"' "$W/crack.md5.txt" || fail "crack CHAP-MD5: $(cat "$W/crack.md5.txt")"
pretty "crack: builtin and hashcat engines find the passwords (Winter2023 only through --rules)"

# Candidate NT hashes; and the same exchange given by hand.
{ python3 -c 'import os; [print(os.urandom(16).hex()) for _ in range(5000)]'; echo "$nt"; } >"$W/hashes.txt"
"$PKC" crack "$W/mschapv2-40.pcap" --engine builtin --nt-hashes "$W/hashes.txt" \
	>"$W/crack.nt.txt" || fail "crack --nt-hashes: $(cat "$W/crack.nt.txt")"
grep -q "NT hash $nt" "$W/crack.nt.txt" || fail "crack --nt-hashes: $(cat "$W/crack.nt.txt")"
read -r chal resp <<<"$(json '"%s %s" % (j["sessions"][0]["exchanges"][0]["des_plaintext"], j["sessions"][0]["exchanges"][0]["nt_response"])' "$W/mschapv2-40.audit.json")"
"$PKC" crack --challenge "$chal" --response "$resp" --engine builtin \
	--wordlist "$W/words.txt" | grep -q 'password "alice pw"' ||
	fail "crack --challenge/--response did not find the password"
read -r auth peer <<<"$(json '"%s %s" % (j["sessions"][0]["exchanges"][0]["challenge"], j["sessions"][0]["exchanges"][0]["peer_challenge"])' "$W/mschapv2-40.audit.json")"
"$PKC" crack --auth-challenge "$auth" --peer-challenge "$peer" --user alice \
	--response "$resp" --engine builtin --wordlist "$W/words.txt" | grep -q 'password "alice pw"' ||
	fail "crack --auth-challenge/--peer-challenge/--user did not find the password"
pretty "crack: --nt-hashes, --challenge/--response and --auth-challenge/--peer-challenge/--user"

# The password-independent route with 34 of 56 key bits given.
"$PKC" crack "$W/mschapv2-128.pcap" --des-keyspace --known-bits 34 --engine builtin \
	--password-file "$W/alice.pw" >"$W/des.txt" || fail "--des-keyspace: $(cat "$W/des.txt")"
grep -q "NT hash $nt" "$W/des.txt" && grep -q '^DES keys/s here' "$W/des.txt" ||
	fail "--des-keyspace --known-bits: $(cat "$W/des.txt")"
pretty "crack --des-keyspace: $(grep -m1 '^DES keys/s' "$W/des.txt"); K1, K2 from 34 known bits -> NT hash"

# export formats on a real capture: John and crack.sh.
"$PKC" export "$W/mschapv2-128.pcap" --format john 2>/dev/null |
	grep -qE '^\$MSCHAPv2\$[0-9A-F]{32}\$[0-9A-F]{48}\$[0-9A-F]{32}\$alice$' ||
	fail "export --format john"
"$PKC" export "$W/mschapv2-128.pcap" --format crack.sh 2>/dev/null |
	grep -qE '^\$99\$[A-Za-z0-9+/]{35}=$' || fail "export --format crack.sh"

sanitizer_check() {
	if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$W"/*.log \
	    "$W"/*.txt >/dev/null 2>&1; then
		grep -hE -A20 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$W"/*.log "$W"/*.txt >&2
		fail "sanitizer report in the logs"
	fi
}
sanitizer_check
pretty "audit.captures: all checks passed in $((SECONDS - T0)) s"
