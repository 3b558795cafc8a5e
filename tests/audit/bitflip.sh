#!/usr/bin/env bash
# bitflip.sh - `pptpkit bitflip` end to end (CTest audit.bitflip, label
# netns; root). The command builds its own lab in network namespaces
# (pptpkitd and pptpkit connect from the build directory, MS-CHAPv2 and
# MPPE), flips MPPE ciphertext bits on the router without the key, and
# reports what arrived. Asserted here, for stateless and stateful MPPE,
# 128 and 40 bits, each checksum mode and a message of our own:
#   - the altered message arrived and the original did not;
#   - the receiver raised no error: pptpkitd decrypted and delivered all
#     three packets (its session counters), the receiving kernel's UDP
#     InErrors and InCsumErrors did not move;
#   - what was printed: the sent line, the flipped bytes, the arrived line;
#   - the negative control: with the checksum left alone the receiving
#     UDP drops the datagram (InCsumErrors +1) although pptpkitd still
#     decrypted and delivered it: only the checksum stood in the way;
#   - the lab leaves no namespace behind; without root it refuses clearly.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${PK_BUILD:-$root/build}
PKC=$BUILD/pptpkit
TMP=$(mktemp -d /tmp/pptpkit-bitflip-test.XXXXXX)
T0=$(date +%s.%N)
trap 'rm -rf "$TMP"' EXIT

say() { echo "[+] $*" >&2; }
fail() { echo "[!] FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
[ -x "$PKC" ] && [ -x "$BUILD/pptpkitd" ] || fail "build first: $BUILD"

# run NAME [flags...]: runs the demo, keeps stdout in $TMP/NAME.out and
# its exit status in RC; checks that its namespaces are gone.
run() {
	local name=$1 pid
	shift
	"$PKC" bitflip --build-dir "$BUILD" "$@" >"$TMP/$name.out" \
		2>"$TMP/$name.err" &
	pid=$!
	set +e
	wait $pid
	RC=$?
	set -e
	if ip netns list | grep -q "^pkbf$pid-"; then
		fail "$name: namespaces left behind: $(ip netns list | grep "^pkbf$pid-")"
	fi
	if [ $RC = 2 ]; then
		cat "$TMP/$name.err" >&2
		fail "$name: the lab did not run"
	fi
}

expect() { # name ERE...
	local name=$1 re
	shift
	for re in "$@"; do
		grep -Eq -- "$re" "$TMP/$name.out" ||
			{ cat "$TMP/$name.out" >&2; fail "$name: no line matching /$re/"; }
	done
}

accepted() { # name mppe
	local name=$1
	[ $RC = 0 ] || { cat "$TMP/$name.out" "$TMP/$name.err" >&2; fail "$name: exit $RC"; }
	expect "$name" \
	    "^tunnel: +mschapv2, MPPE $2;" \
	    '^sent: +"PAY 100 EUR TO ACCOUNT 12345"' \
	    "message byte 4: '1' -> '9'" \
	    '^arrived: +"hello from the client", "PAY 900 EUR TO ACCOUNT 12345", "bye"$' \
	    'decrypted and delivered 3 of 3 packets; UDP InErrors \+0' \
	    'InCsumErrors \+0' \
	    'accepted as genuine'
	! grep -q '"PAY 100 EUR' <(grep '^arrived' "$TMP/$name.out") ||
		fail "$name: the original arrived too"
	say "$name: $(grep '^arrived' "$TMP/$name.out")"
}

say "stateless MPPE-128, checksum recomputed"
run stateless
accepted stateless 128-stateless
expect stateless '\(UDP checksum\)' 'UDP checksum [0-9a-f]{4} -> [0-9a-f]{4} \(recomputed\)' \
    'addresses from clear-text IPCP: client 198\.19\.70\.2, server 198\.19\.70\.1'

say "stateful MPPE-128, checksum zeroed"
run stateful --stateful --checksum zero
accepted stateful 128-stateful
expect stateful 'UDP checksum [0-9a-f]{4} -> 0000 \(zero: no checksum\)'

say "stateless MPPE-40"
run bits40 --mppe-bits 40
accepted bits40 40-stateless

say "negative control: checksum left alone"
run keep --checksum keep
[ $RC = 0 ] || { cat "$TMP/keep.out" >&2; fail "keep: exit $RC"; }
expect keep '^arrived: +"hello from the client", "bye"$' \
    'decrypted and delivered 3 of 3 packets; UDP InErrors \+1' \
    'InCsumErrors \+1' 'only the UDP checksum'

say "a message and change of our own, as JSON"
run json --json --message "transfer EUR 5 to account 1111 ref abc" \
    --change "1111=6666" --stateful
[ $RC = 0 ] || { cat "$TMP/json.out" >&2; fail "json: exit $RC"; }
python3 - "$TMP/json.out" <<'EOF' || fail "json report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True, d
assert d["mppe"] == "128-stateful", d["mppe"]
assert d["arrived"] == ["hello from the client",
                        "transfer EUR 5 to account 6666 ref abc", "bye"], d
assert d["altered"] == "transfer EUR 5 to account 6666 ref abc"
assert not d["arrived_original"] and d["arrived_altered"]
assert d["server_packets_delivered"] == 3
assert d["udp_in_errors"] == 0 and d["udp_csum_errors"] == 0
pay = [f for f in d["flips"] if f["field"] == "payload"]
# '1' ^ '6' = 0x07 on each of the four digits
assert len(pay) == 4 and all(f["xor"] == 0x07 for f in pay), pay
assert all(f["after"] == f["before"] ^ f["xor"] for f in d["flips"])
assert d["learnt_client_address"] == d["client_tunnel_address"]
assert d["learnt_server_address"] == d["server_tunnel_address"]
print("ok json:", d["arrived"][1])
EOF

say "without root"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups "$PKC" bitflip \
    --build-dir "$BUILD" >"$TMP/nonroot.out" 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "non-root run exited $rc"
grep -q 'needs root' "$TMP/nonroot.out" || fail "no clear message without root"
set +e
"$PKC" bitflip --change 100=90 >/dev/null 2>&1; [ $? = 64 ] || fail "bad --change accepted"
"$PKC" bitflip --change 777=999 >/dev/null 2>&1; [ $? = 64 ] || fail "absent OLD accepted"
set -e
say "ok ($(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
