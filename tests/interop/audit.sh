#!/usr/bin/env bash
# audit.sh - the audit toolkit on captures of the real Linux PPTP stack
# (CTest interop.audit). Three qemu guest boots (lib.sh), each recorded
# with tcpdump, then audit, export, crack and decrypt on the capture:
#
#   pair       pptp-linux + pppd (guest "cli") against pptpd + pppd
#              (guest "srv") on a bridge: MS-CHAPv2, MPPE-128 stateless
#              (two pppds cannot agree on stateful: README). Nothing of
#              pptpkit takes part; decrypt must give back the 300000
#              bytes the server guest sent, SHA-256 equal to the guest's.
#   client     pptpkit connect against pptpd + pppd in the guest:
#              MS-CHAPv2, MPPE-128 stateful; decrypt must equal, byte for
#              byte, what pptpkit's TUN carried, in both directions.
#   server     pppd + pptp-linux in the guest against pptpkitd:
#              MS-CHAPv1, MPPE-128 stateless (the v1 key schedule of the
#              Linux kernel); the same byte-for-byte check on pptp0.
#
# In each: audit --json names the session, the method, the MPPE mode and
# the findings; export's hashcat line and the builtin engine crack the
# password; the crack.sh token and K3 agree with the NT hash.
# Usage: tests/interop/audit.sh [pair|client|server...]   (root)
# Env: PK_BUILD, PK_INTEROP_CACHE, PK_INTEROP_KEEP=1 (keep the captures).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PK_BUILD=${PK_BUILD:-$root/build}
PKD=$PK_BUILD/pptpkitd
PKC=$PK_BUILD/pptpkit
CMP=(python3 "$root/tests/audit/pcapcmp.py" --skip-syn --ipv4-only)
STREAM=(python3 "$root/tests/audit/tcpstream.py")
XFER=(python3 "$here/xfer.py")
T0=$(date +%s)
die() { echo "interop audit: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tap)"
[ -x "$PKD" ] && [ -x "$PKC" ] || die "no pptpkitd/pptpkit in $PK_BUILD"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
for f in "$PK_QEMU_KERNEL" initramfs.cpio.gz; do
	[ -s "$PK_INTEROP_CACHE/$f" ] ||
		die "the interop guest image is missing ($PK_INTEROP_CACHE/$f): build it with tests/interop/build-image.sh"
done
for tool in "$PK_QEMU" tcpdump tshark python3; do
	command -v "$tool" >/dev/null || die "$tool is not installed"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pk-interop-audit.XXXXXX")
export PK_INTEROP_LOGDIR=$WORK
PIDS=()
finish() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	pk_cleanup
	if [ "${PK_INTEROP_KEEP:-0}" = 1 ]; then
		echo "interop audit: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

bg() { # ns log cmd...: BG_PID
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	BG_PID=$!
	PIDS+=("$BG_PID")
}
stop() { # pid signal
	kill -"$2" "$1" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
wait_re() { # file ere seconds
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -m1 -E "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
capture() { # ns iface file
	bg "$1" "$3.log" tcpdump -i "$2" --immediate-mode -U -s 0 -B 16384 -w "$3"
	CAP_PID=$BG_PID
	wait_re "$3.log" 'listening on' 10 >/dev/null || die "tcpdump did not start on $2"
}
json() { # python-expression file (j = the document)
	python3 -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2"
}

USER_NAME=pkuser
USER_PASS=pk-Secret.42
printf '%s\n' "$USER_PASS" >"$WORK/password"
chmod 600 "$WORK/password"
python3 -c '
import random
random.seed(3)
w = ["".join(random.choice("abcdefghijklmnop0123456789") for _ in range(9))
     for _ in range(30000)]
w.insert(17000, "pk-Secret.42")
print("\n".join(w))' >"$WORK/words.txt"
NPASS=0 NFAIL=0 RESULTS=()
C_FAILS=()
cfail() { C_FAILS+=("$*"); echo "    FAIL: $*" >&2; }
note() { echo "    $*" >&2; }

# What every capture must show, whoever recorded it: audit_common NAME
# CAPTURE AUTH MPPE [FINDINGS...]
audit_common() {
	local name=$1 cap=$2 auth=$3 mppe=$4 j=$WORK/$1.json got want
	shift 4
	if ! "$PKC" audit "$cap" --json >"$j" 2>"$j.err"; then
		cfail "audit: $(cat "$j.err")"
		return
	fi
	"$PKC" audit "$cap" >"$WORK/$name.txt" 2>&1
	got=$(json '"%d %s %s %s %s" % (len(j["sessions"]), j["sessions"][0]["user"], j["sessions"][0]["auth"], j["sessions"][0]["result"], j["sessions"][0]["mppe"]["mode"])' "$j" 2>&1)
	want="1 $USER_NAME $auth success $mppe"
	if [ "$got" = "$want" ]; then
		note "audit: $got; $(json '", ".join("%s %s" % (f["severity"], f["code"]) for f in j["findings"])' "$j")"
	else
		cfail "audit says '$got', expected '$want'"
	fi
	for f in "$@"; do
		json '"'"$f"'" in [f["code"] for f in j["findings"]] or sys.exit(1)' "$j" >/dev/null ||
			cfail "audit: no finding $f"
	done
	# export -> the builtin engine on the exported exchange, K3, token.
	"$PKC" export "$cap" --format hashcat >"$WORK/$name.5500" 2>/dev/null ||
		cfail "export --format hashcat found nothing"
	"$PKC" crack "$cap" --engine builtin --wordlist "$WORK/words.txt" \
		>"$WORK/$name.crack" 2>&1
	if grep -q "password \"$USER_PASS\"" "$WORK/$name.crack"; then
		note "crack (builtin): $(grep -o 'password.*' "$WORK/$name.crack")"
	else
		cfail "crack: $(cat "$WORK/$name.crack")"
	fi
	local nt k3 tok
	nt=$(sed -n 's/.*NT hash \([0-9a-f]\{32\}\).*/\1/p' "$WORK/$name.crack" | head -1)
	k3=$(sed -n 's/.*K3 = NT-hash bytes 14-15 = \([0-9a-f]*\).*/\1/p' "$WORK/$name.crack" | head -1)
	tok=$("$PKC" export "$cap" --format crack.sh 2>/dev/null)
	if [ -n "$nt" ] && [ "$k3" = "${nt:28:4}" ] &&
	    [ "$(printf '%s' "${tok#\$99\$}" | base64 -d 2>/dev/null | tail -c 2 | od -An -tx1 | tr -d ' ')" = "$k3" ]; then
		note "K3 $k3 = NT hash bytes 14-15; the \$99\$ token carries it"
	else
		cfail "K3 '$k3', NT hash '$nt', token '$tok' disagree"
	fi
}

decrypt_common() { # name capture -> plain pcap
	if "$PKC" decrypt "$2" --password-file "$WORK/password" \
	    -o "$WORK/$1.plain.pcap" >"$WORK/$1.dec" 2>&1; then
		sed 's/^/    decrypt: /' "$WORK/$1.dec" >&2
	else
		cfail "decrypt: $(cat "$WORK/$1.dec")"
	fi
}

# --- pair: pppd against pppd --------------------------------------------------
case_pair() {
	local ns=pkia$$p s_serve s_fetch got
	pk_netns_add "$ns" || { cfail "netns"; return; }
	pk_bridge_add "$ns" pkbr 198.18.0.1/24
	capture "$ns" pkbr "$WORK/pair.pcap"
	local cap=$CAP_PID
	pk_guest_start srv "$ns" bridge:pkbr 198.18.0.10/24 pptpd-server \
	    user="$USER_NAME" pass="$USER_PASS" \
	    pppd=require-mschap-v2,require-mppe-128,novj \
	    checks=ping:3,serve:5002:300000,wait-down:60 timeout=150
	pk_guest_start cli "$ns" bridge:pkbr 198.18.0.11/24 pptp-client \
	    server=198.18.0.10 wait_server=60 user="$USER_NAME" pass="$USER_PASS" \
	    pppd=refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-128,novj \
	    checks=ping:3,mppe:128,fetch:5002,hangup timeout=150
	pk_guest_wait srv '^PK-END' 150 >/dev/null
	pk_guest_wait cli '^PK-END' 150 >/dev/null
	stop "$cap" INT
	s_serve=$(pk_marker_value "$(pk_guest_grep srv '^PK-CHECK serve ')" sha256)
	s_fetch=$(pk_marker_value "$(pk_guest_grep cli '^PK-CHECK fetch ')" sha256)
	if [ -z "$s_serve" ] || [ "$s_serve" != "$s_fetch" ]; then
		cfail "the guests' transfer failed (${s_serve:-?} / ${s_fetch:-?})"
		pk_guest_dump cli | tail -40 >&2
	fi
	audit_common pair "$WORK/pair.pcap" mschapv2 128-stateless \
	    mschapv2-des mppe-keys-from-password mppe-no-integrity
	decrypt_common pair "$WORK/pair.pcap"
	got=$("${STREAM[@]}" "$WORK/pair.plain.pcap" 5002 2>&1)
	if [ "$got" = "300000 $s_serve" ]; then
		note "decrypted: the 300000 bytes pptpd's guest sent, sha256 ${s_serve:0:16}... as it said"
	else
		cfail "decrypted TCP stream from port 5002: '$got', the guest sent '300000 $s_serve'"
	fi
	pk_guest_stop srv
	pk_guest_stop cli
	pk_netns_del "$ns"
}

# --- client: pptpkit connect against pptpd -------------------------------------
case_client() {
	local ns=pkia$$c g=ac l cpid cap tcap peer
	pk_netns_add "$ns" || { cfail "netns"; return; }
	head -c 262144 /dev/urandom >"$WORK/up.bin"
	pk_guest_start "$g" "$ns" 198.18.0.1/24 198.18.0.2/24 pptpd-server \
	    user="$USER_NAME" pass="$USER_PASS" timeout=100 up_timeout=25 \
	    pppd=require-mschap-v2,require-mppe-128,mppe-stateful \
	    checks=recv:5003,wait-down:30 || { cfail "guest"; return; }
	capture "$ns" "pk-$g" "$WORK/client.pcap"
	cap=$CAP_PID
	if ! pk_guest_wait "$g" '^PK-READY ' 60 >/dev/null; then
		cfail "pptpd did not get ready"
	else
		bg "$ns" "$WORK/client.log" "$PKC" connect 198.18.0.2 --user "$USER_NAME" \
		    --password-file "$WORK/password" --ifname pkac --mppe-stateful require
		cpid=$BG_PID
		if l=$(wait_re "$WORK/client.log" '^connected:' 40); then
			peer=$(tr ' ' '\n' <<<"$l" | sed -n 's/^peer=//p')
			capture "$ns" pkac "$WORK/client.tun.pcap"
			tcap=$CAP_PID
			ip netns exec "$ns" ping -q -c 300 -i 0.005 -s 300 "$peer" >/dev/null ||
				cfail "ping through the tunnel"
			pk_guest_wait "$g" '^PK-LISTEN tcp .* 5003 ' 60 >/dev/null &&
			    ip netns exec "$ns" "${XFER[@]}" send "$peer" 5003 "$WORK/up.bin" \
			    >/dev/null || cfail "host -> guest transfer"
			pk_guest_wait "$g" '^PK-CHECK-BEGIN wait-down' 30 >/dev/null
			sleep 0.3
			stop "$tcap" INT
		else
			cfail "pptpkit did not connect: $(tail -3 "$WORK/client.log")"
		fi
		stop "$cpid" INT
	fi
	pk_guest_wait "$g" '^PK-END' 60 >/dev/null
	stop "$cap" INT
	audit_common client "$WORK/client.pcap" mschapv2 128-stateful \
	    mschapv2-des mppe-stateful mppe-no-integrity
	decrypt_common client "$WORK/client.pcap"
	tun_compare client
	pk_guest_stop "$g"
	pk_netns_del "$ns"
}

# The decrypted packets against the TUN's, allowing what the capture
# shows missing (GRE sequence numbers, MPPE counts).
tun_compare() {
	local miss
	miss=$(json 'sum(max(s[d]["gre_lost"], s[d]["mppe_count_missing"]) for s in j["sessions"] for d in ("client_to_server", "server_to_client"))' "$WORK/$1.json" 2>/dev/null || echo 0)
	if "${CMP[@]}" --allow-missing "${miss:-0}" "$WORK/$1.plain.pcap" \
	    "$WORK/$1.tun.pcap" >"$WORK/$1.cmp" 2>&1; then
		note "decrypted = TUN, byte for byte: $(tail -1 "$WORK/$1.cmp")"
	else
		cfail "decrypted packets differ from the TUN's: $(cat "$WORK/$1.cmp")"
	fi
	[ "$(tshark -r "$WORK/$1.plain.pcap" 2>/dev/null | grep -c 'Echo (ping)')" -ge 600 ] ||
		cfail "tshark does not see the pings in $1.plain.pcap"
}

# --- server: pppd + pptp-linux against pptpkitd --------------------------------
case_server() {
	local ns=pkia$$s g=as spid cap tcap glocal
	pk_netns_add "$ns" || { cfail "netns"; return; }
	printf '"%s" * "%s" *\n' "$USER_NAME" "$USER_PASS" >"$WORK/secrets"
	chmod 600 "$WORK/secrets"
	bg "$ns" "$WORK/server.log" "$PKD" --secrets "$WORK/secrets" \
	    --pool 198.18.128.2-198.18.128.9 --local-ip 198.18.128.1 \
	    --control-socket "$WORK/ctl.sock" --auth mschap
	spid=$BG_PID
	wait_re "$WORK/server.log" 'listening on' 10 >/dev/null || cfail "pptpkitd"
	pk_guest_start "$g" "$ns" 198.18.0.1/24 198.18.0.2/24 pptp-client \
	    server=198.18.0.1 user="$USER_NAME" pass="$USER_PASS" timeout=100 \
	    pppd=refuse-pap,refuse-chap,refuse-mschap-v2,refuse-eap,require-mppe-128 \
	    checks=wait-down:40 || { cfail "guest"; return; }
	capture "$ns" "pk-$g" "$WORK/server.pcap"
	cap=$CAP_PID
	if l=$(pk_guest_wait "$g" '^PK-PPP-UP ' 60); then
		glocal=$(pk_marker_value "$l" local)
		capture "$ns" pptp0 "$WORK/server.tun.pcap"
		tcap=$CAP_PID
		ip netns exec "$ns" ping -q -c 300 -i 0.005 -s 500 "$glocal" >/dev/null ||
			cfail "ping the guest through the tunnel"
		pk_guest_wait "$g" '^PK-CHECK-BEGIN wait-down' 40 >/dev/null
		sleep 0.3
		stop "$tcap" INT
		"$PKC" kill --user "$USER_NAME" --control-socket "$WORK/ctl.sock" >/dev/null
	else
		cfail "the guest's link did not come up"
	fi
	pk_guest_wait "$g" '^PK-END' 60 >/dev/null
	stop "$cap" INT
	stop "$spid" TERM
	audit_common server "$WORK/server.pcap" mschapv1 128-stateless \
	    mschapv1-des mppe-same-key mppe-no-integrity
	decrypt_common server "$WORK/server.pcap"
	tun_compare server
	pk_guest_stop "$g"
	pk_netns_del "$ns"
}

CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(pair client server)
for c in "${CASES[@]}"; do
	echo "--- interop audit: $c" >&2
	C_FAILS=()
	t=$(date +%s)
	"case_$c"
	if [ ${#C_FAILS[@]} = 0 ]; then
		NPASS=$((NPASS + 1)); RESULTS+=("ok   $c $(($(date +%s) - t)) s")
	else
		NFAIL=$((NFAIL + 1)); RESULTS+=("FAIL $c $(($(date +%s) - t)) s (${C_FAILS[0]})")
	fi
	echo "${RESULTS[-1]}"
done
printf '%s\n' "${RESULTS[@]}"
echo "=== interop audit: $NPASS passed, $NFAIL failed, $(($(date +%s) - T0)) s"
[ "$NFAIL" = 0 ] && [ "$NPASS" -gt 0 ]
