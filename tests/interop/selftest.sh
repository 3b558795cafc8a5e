#!/bin/bash
# Proves the interop image and harness without pptpkit.
#  1. loopback: one guest runs pptpd and the pptp-linux client against each
#     other (MS-CHAPv2, MPPE-128, ping and TCP transfers across the tunnel,
#     hangup); the host pings the guest's eth0 through the tap.
#  2. pair (unless --quick): two guests on a bridge, one in scenario
#     pptpd-server, the other in pptp-client, exchanging files through the
#     tunnel with the same checks a pptpkit test uses (serve/fetch,
#     send/recv, hangup/wait-down); the host compares the sha256 sums.
#
# Usage: tests/interop/selftest.sh [--quick]   (root; builds the image)
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
quick=0
[ "${1:-}" = --quick ] && quick=1
t_start=$(date +%s.%N)
"$here/build-image.sh" || { echo "selftest: image build failed"; exit 1; }
t_built=$(date +%s.%N)
. "$here/lib.sh"

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   - $*"; }
nok() { failed=$((failed + 1)); echo "FAIL - $*"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# guest $1's uptime (t=) at its first marker line matching $2
guest_t() { pk_marker_value "$(pk_guest_grep "$1" "$2")" t; }
# the PK-CHECK line of check $2 of guest $1, counted as a result
expect_check() {
	local line
	line=$(pk_guest_grep "$1" "^PK-CHECK $2 ")
	if [[ $line == "PK-CHECK $2 ok "* ]]; then ok "$1: $line"
	else nok "$1: check $2: ${line:-missing}"; fi
}
expect_result() {
	local res
	if res=$(pk_guest_result "$1"); then ok "$1: $res"
	else nok "$1: result: ${res:-none}"; fi
}

trap pk_cleanup EXIT
ns="pk-selftest-$$"
pk_netns_add "$ns" || { echo "selftest: cannot create netns"; exit 1; }

# --- 1. loopback ------------------------------------------------------------
echo "# loopback: pptpd and pptp-linux in one guest"
t1=$(date +%s.%N)
# linger keeps the guest up after its result so that the host can ping it;
# the guest is stopped as soon as that is done.
pk_guest_start lb "$ns" 198.18.0.1/24 198.18.0.2/24 loopback \
    linger=60 timeout=150 || { echo "selftest: qemu did not start"; exit 1; }
if line=$(pk_guest_wait lb '^PK-NET-UP ' 90); then
	t_boot=$(pk_elapsed lb)
	ok "lb: guest booted, eth0 up ($line)"
else
	nok "lb: guest did not bring eth0 up"
fi
pk_guest_wait lb '^PK-PPP-UP .*role=client' 120 >/dev/null &&
    t_ppp=$(pk_elapsed lb)
if pk_guest_wait lb '^PK-END' 150 >/dev/null; then
	t_result=$(pk_elapsed lb)
fi
expect_result lb
for c in ping mppe xfer-down xfer-up hangup; do
	expect_check lb $c
done
for side in client server; do
	if pk_guest_grep lb "^PK-PPP-UP ppp0 role=$side .*mppe=128-stateless" >/dev/null
	then ok "lb: ppp0 ($side side) up with MPPE-128 stateless"
	else nok "lb: ppp0 ($side side) not up with MPPE-128"; fi
done
# Independently of the guest's verdict, read pppd's own debug logs.
for blk in pppd-client pppd-server; do
	lg=$(pk_guest_log_block lb "$blk")
	if grep -q 'MPPE 128-bit stateless compression enabled' <<<"$lg" &&
	    grep -q 'CHAP authentication succeeded\|peer from calling number .* authorized' <<<"$lg"
	then ok "lb: $blk log: MS-CHAPv2 authenticated, MPPE 128-bit stateless"
	else nok "lb: $blk log lacks MS-CHAPv2 success or MPPE 128-bit"; fi
done
if pk_guest_alive lb &&
    pout=$(ip netns exec "$ns" ping -c 3 -i 0.3 -w 10 198.18.0.2 2>&1); then
	ok "lb: host pings guest eth0 through the tap: $(grep -o '[0-9]* received' <<<"$pout")"
else
	nok "lb: host cannot ping guest eth0"; printf '%s\n' "${pout:-}"
fi
pk_guest_stop lb
t1_end=$(date +%s.%N)
echo "# loopback timing: qemu start to eth0 up ${t_boot:-?} s" \
    "(guest uptime $(guest_t lb '^PK-NET-UP')), to PPP up ${t_ppp:-?} s" \
    "(guest $(guest_t lb '^PK-PPP-UP .*role=client'); pptpd ready at" \
    "$(guest_t lb '^PK-READY')), to result ${t_result:-?} s," \
    "part total $(secs "$t1" "$t1_end") s"
lb_failed=$failed
[ "$lb_failed" = 0 ] || pk_guest_dump lb

# --- 2. pair ------------------------------------------------------------------
if [ $quick = 0 ]; then
	echo "# pair: guest srv (pptpd-server) and guest cli (pptp-client)"
	t2=$(date +%s.%N)
	pk_bridge_add "$ns" pkbr 198.18.0.1/24
	pk_guest_start srv "$ns" bridge:pkbr 198.18.0.10/24 pptpd-server \
	    user=alice pass=s3cret%20pass \
	    pppd=require-mschap-v2,require-mppe-128 \
	    checks=ping:3,serve:5002:300000,recv:5003,wait-down:60 timeout=150
	pk_guest_start cli "$ns" bridge:pkbr 198.18.0.11/24 pptp-client \
	    server=198.18.0.10 wait_server=60 user=alice pass=s3cret%20pass \
	    pppd=refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-128 \
	    checks=ping:3,mppe:128,fetch:5002,send:5003:300000,hangup timeout=150
	pk_guest_wait cli '^PK-PPP-UP ' 120 >/dev/null && t2_ppp=$(pk_elapsed cli)
	pk_guest_wait srv '^PK-END' 150 >/dev/null
	pk_guest_wait cli '^PK-END' 150 >/dev/null
	t2_end=$(date +%s.%N)
	expect_result srv
	expect_result cli
	for c in ping serve recv wait-down; do expect_check srv $c; done
	for c in ping mppe fetch send hangup; do expect_check cli $c; done
	# What one side sent must be what the other side received.
	s_serve=$(pk_marker_value "$(pk_guest_grep srv '^PK-CHECK serve ')" sha256)
	s_fetch=$(pk_marker_value "$(pk_guest_grep cli '^PK-CHECK fetch ')" sha256)
	s_send=$(pk_marker_value "$(pk_guest_grep cli '^PK-CHECK send ')" sha256)
	s_recv=$(pk_marker_value "$(pk_guest_grep srv '^PK-CHECK recv ')" sha256)
	if [ -n "$s_serve" ] && [ "$s_serve" = "$s_fetch" ]; then
		ok "pair: srv served = cli fetched (sha256 ${s_serve:0:16}...)"
	else nok "pair: served ${s_serve:-?} != fetched ${s_fetch:-?}"; fi
	if [ -n "$s_send" ] && [ "$s_send" = "$s_recv" ]; then
		ok "pair: cli sent = srv received (sha256 ${s_send:0:16}...)"
	else nok "pair: sent ${s_send:-?} != received ${s_recv:-?}"; fi
	echo "# pair timing: qemu start to client PPP up ${t2_ppp:-?} s" \
	    "(guest uptime $(guest_t cli '^PK-PPP-UP ')), part total" \
	    "$(secs "$t2" "$t2_end") s"
	if [ "$failed" != "$lb_failed" ]; then
		pk_guest_dump srv
		pk_guest_dump cli
	fi
fi

pk_cleanup
echo "# selftest total $(secs "$t_start" "$(date +%s.%N)") s" \
    "(image check/build $(secs "$t_start" "$t_built") s)"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
