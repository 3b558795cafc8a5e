#!/usr/bin/env bash
# scan.sh - `pptpkit scan` against the real PoPToP pptpd + pppd in the qemu
# guest (scenario pptpd-server, see README.md), CTest interop.scan (root).
#
# One guest boot per pppd policy. In each: the scan's report of pptpd's
# Start-Control-Connection-Reply must equal, field by field, what tshark's
# PPTP dissector reads in a capture on the tap and what nmap's
# pptp-version script reports; then `scan --deep` must list exactly the
# authentication methods that policy lets pppd accept.
#
# Usage: tests/interop/scan.sh [CASE...]
# Env:   PK_BUILD, PK_INTEROP_CACHE (the guest image), PK_INTEROP_KEEP=1
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PK_BUILD=${PK_BUILD:-$root/build}
PKC=$PK_BUILD/pptpkit
CHECK=(python3 "$root/tests/audit/scan_check.py")
T0=$(date +%s.%N)
die() { echo "interop.scan: FAIL: $*" >&2; exit 1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tap, raw GRE)"
[ -x "$PKC" ] || die "no pptpkit in $PK_BUILD: build it first"
for tool in nmap tshark tcpdump python3; do
	command -v $tool >/dev/null || die "$tool missing (scripts/deps.sh installs it)"
done
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
for f in "$PK_QEMU_KERNEL" initramfs.cpio.gz; do
	[ -s "$PK_INTEROP_CACHE/$f" ] ||
		die "the interop guest image is missing ($PK_INTEROP_CACHE/$f): build it with tests/interop/build-image.sh"
done
WORK=$(mktemp -d /tmp/pptpkit-iscan.XXXXXX)
cleanup() {
	pk_cleanup
	if [ "${PK_INTEROP_KEEP:-0}" = 1 ]; then
		echo "interop.scan: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

HOST_CIDR=198.18.0.1/24 GUEST_CIDR=198.18.0.2/24 GUEST_IP=198.18.0.2

# name | pppd options in pptpd's pppd (pk.pppd) | methods it accepts
# pppd proposes EAP first when it allows it, then CHAP (2.4.9 proposed
# CHAP-MD5 when it allowed all three CHAP algorithms), then PAP; a
# Configure-Nak naming a method it allows switches to it, any other Nak
# drops its current method (lcp_nakci()): one fresh negotiation per
# method is what makes the answers exact.
CASES=(
"mschapv2|require-mschap-v2,require-mppe-128|mschapv2"
"all-four|require-pap,require-chap,require-mschap,require-mschap-v2|pap,chap-md5,mschapv1,mschapv2"
"eap-chap|require-eap,require-chap,nomppe|eap,chap-md5"
)
ONLY=("$@")

NFAIL=0
RESULTS=()
run_case() { # index name pppd expected
	local i=$1 name=$2 pppd=$3 want=$4 g="sg$1" ns="pkis$$n$1"
	local d="$WORK/$name" t0 l fails=0 cap_pid
	t0=$(date +%s.%N)
	mkdir -p "$d"
	echo "--- $name (pppd: $pppd)" >&2
	cfail() { echo "    FAIL: $*" >&2; fails=$((fails + 1)); }
	pk_netns_add "$ns" || { cfail "cannot create netns $ns"; return 1; }
	# The guest waits up to up_timeout for a link that a scan never
	# brings up; it is stopped as soon as the scans are done.
	if ! pk_guest_start "$g" "$ns" "$HOST_CIDR" "$GUEST_CIDR" pptpd-server \
	    timeout=280 up_timeout=240 pppd="$pppd" checks=; then
		cfail "the guest did not start"
		pk_netns_del "$ns"
		return 1
	fi
	ip netns exec "$ns" tcpdump -i "pk-$g" --immediate-mode -U -s 0 \
	    -w "$d/cap.pcap" tcp port 1723 >"$d/tcpdump.log" 2>&1 &
	cap_pid=$!
	if ! l=$(pk_guest_wait "$g" '^PK-READY ' 90 2>&1); then
		cfail "pptpd did not get ready: $l"
		pk_guest_dump "$g" | tail -40 >&2
	else
		echo "    pptpd ready $(pk_elapsed "$g") s after qemu started" >&2
		ip netns exec "$ns" "$PKC" scan --json --timeout 10 "$GUEST_IP" \
		    >"$d/fields.json" 2>"$d/fields.err" ||
			cfail "scan exited $?: $(cat "$d/fields.err")"
		ip netns exec "$ns" nmap -n -Pn -sT -p 1723 --script pptp-version \
		    -oX "$d/nmap.xml" "$GUEST_IP" >"$d/nmap.out" 2>&1 ||
			cfail "nmap failed"
		sleep 0.5
		kill -TERM "$cap_pid" 2>/dev/null
		wait "$cap_pid" 2>/dev/null
		tshark -r "$d/cap.pcap" -Y 'pptp.control_message_type == 2' \
		    -T fields -E separator=/t -e ip.src -e pptp.protocol_version \
		    -e pptp.control_result -e pptp.error \
		    -e pptp.framing_capabilities -e pptp.bearer_capabilities \
		    -e pptp.maximum_channels -e pptp.firmware_revision \
		    -e pptp.host_name -e pptp.vendor_name >"$d/tshark.tsv" \
		    2>/dev/null || cfail "tshark failed"
		"${CHECK[@]}" fields "$d/fields.json" "$d/tshark.tsv" \
		    "$d/nmap.xml" "$GUEST_IP" >"$d/fields.check" 2>&1 ||
			cfail "fields: $(grep MISMATCH "$d/fields.check" | tr '\n' ' ')"
		sed 's/^/    /' "$d/fields.check" >&2
		sed -n 's/^\(1723.*\)/    nmap: \1/p; s/^\(Service Info.*\)/    nmap: \1/p' \
		    "$d/nmap.out" >&2
		ip netns exec "$ns" "$PKC" scan --deep --json --timeout 10 \
		    "$GUEST_IP" >"$d/deep.json" 2>"$d/deep.err" ||
			cfail "deep scan exited $?: $(cat "$d/deep.err")"
		"${CHECK[@]}" deep "$d/deep.json" "$GUEST_IP=$want" \
		    >"$d/deep.check" 2>&1 ||
			cfail "deep: $(grep MISMATCH "$d/deep.check" | tr '\n' ' ')"
		sed 's/^/    /' "$d/deep.check" >&2
		ip netns exec "$ns" "$PKC" scan --deep --timeout 10 "$GUEST_IP" \
		    >"$d/deep.txt" 2>&1
		sed -n 's/^\(    auth:.*\)/\1/p' "$d/deep.txt" >&2
	fi
	kill -TERM "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	if ! pk_guest_alive "$g"; then
		cfail "the guest died during the scans"
		pk_guest_dump "$g" | tail -40 >&2
	fi
	[ $fails -eq 0 ] || pk_guest_markers "$g" >&2
	pk_guest_stop "$g"
	pk_netns_del "$ns"
	RESULTS+=("$( [ $fails -eq 0 ] && echo ok || echo FAIL ) $name $(secs "$t0" "$(date +%s.%N)") s")
	[ $fails -eq 0 ]
}

i=0
for c in "${CASES[@]}"; do
	IFS='|' read -r name pppd want <<<"$c"
	i=$((i + 1))
	if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then
		continue
	fi
	run_case "$i" "$name" "$pppd" "$want" || NFAIL=$((NFAIL + 1))
done
echo "--- interop.scan: $(secs "$T0" "$(date +%s.%N)") s" >&2
printf '    %s\n' "${RESULTS[@]}" >&2
[ $NFAIL -eq 0 ]
