#!/usr/bin/env bash
# run.sh - pptpkit against the real Linux PPTP stack in the qemu guest
# (lib.sh): issue 4's interoperability suite.
#
#   server  pppd + pptp-linux in the guest (scenario pptp-client) connect to
#           pptpkitd in a network namespace on the host side of the tap
#   client  pptpkit connect (in that namespace) connects to PoPToP pptpd +
#           pppd in the guest (scenario pptpd-server)
#
# Each suite runs the same cases, one guest boot per case: MS-CHAPv2 with
# MPPE-128 stateless, stateful, and 40-bit; MS-CHAPv1 with MPPE-128;
# CHAP-MD5 and PAP without MPPE; IPV6CP on. In each case: ping both ways
# through the tunnel, three TCP transfers whose SHA-256 must match at the
# other end (host -> guest on a guest connection, guest -> host, host ->
# guest on a host connection), the negotiated authentication and MPPE as
# both pppd's log and pptpkit report them, keepalives every second, and
# the end of the session on both sides (ended by the guest in some cases,
# by pptpkit in the others). Three cases lose packets on purpose (stateful
# MPPE, stateless MPPE, no MPPE). The first case of each suite is captured
# with tcpdump and must pass tshark's PPTP/GRE/PPP dissectors without a
# malformed packet or an expert-info error.
#
# Usage: tests/interop/run.sh server|client|all [CASE...]   (root)
# Env:   PK_BUILD           build directory with pptpkitd and pptpkit
#        PK_INTEROP_CACHE   the guest image (tests/interop/build-image.sh)
#        PK_INTEROP_KEEP=1  keep the work directory (logs, captures)
#        PK_INTEROP_LOSS=N  packet loss in every case (see gre_loss)
#        PK_INTEROP_LOSS_FLUSHED=none|in|out|both  with stateful MPPE,
#                           the first flushed data packet dropped: received
#                           (in), sent (out) or both (the stateful case) by the
#                           test's namespace (README)
# Exit status 0 iff every case passed; a missing image is a failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PK_BUILD=${PK_BUILD:-$root/build}
PKD=$PK_BUILD/pptpkitd
PKC=$PK_BUILD/pptpkit
XFER=(python3 "$here/xfer.py")

T_SUITE0=$(date +%s.%N)
die() { echo "interop: FAIL: $*" >&2; exit 1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

SUITE=${1:-all}
[ $# -gt 0 ] && shift
case $SUITE in server|client|all) ;; *) die "usage: $0 server|client|all [CASE...]" ;; esac
ONLY=("$@")

# --- preconditions: each one missing is a failure, never a skip -----------
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tap, raw GRE)"
if [ ! -x "$PKD" ] || [ ! -x "$PKC" ]; then
	die "no pptpkitd/pptpkit in $PK_BUILD: build them first (PK_BUILD=...)"
fi
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
for f in "$PK_QEMU_KERNEL" initramfs.cpio.gz; do
	[ -s "$PK_INTEROP_CACHE/$f" ] ||
		die "the interop guest image is missing ($PK_INTEROP_CACHE/$f): build it with tests/interop/build-image.sh (scripts/test.sh does)"
done
# The same stamp build-image.sh writes: a stale image runs other guest code.
stamp_now=$( (cat "$here/build-image.sh"; cd "$here/guest" &&
    find . -type f | LC_ALL=C sort | while read -r f; do
	    printf '%s\n' "$f"; cat "$f"; done) | sha256sum | cut -d' ' -f1)
[ "$(cat "$PK_INTEROP_CACHE/stamp" 2>/dev/null)" = "$stamp_now" ] ||
	die "the interop guest image in $PK_INTEROP_CACHE is stale (tests/interop/guest or build-image.sh changed): run tests/interop/build-image.sh"
for tool in "$PK_QEMU" tcpdump tshark python3 ping; do
	command -v "$tool" >/dev/null || die "$tool is not installed (scripts/deps.sh, build-image.sh)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pk-interop-run.XXXXXX")
export PK_INTEROP_LOGDIR=$WORK
PIDS=()
finish() {
	local p
	# Only processes that are still this shell's children: a PID that
	# was reaped may belong to someone else by now.
	for p in "${PIDS[@]}"; do
		is_child "$p" && kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	pk_cleanup
	if [ "${PK_INTEROP_KEEP:-0}" = 1 ]; then
		echo "interop: logs kept in $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# Runs "$@" in netns $1 in the background, output to file $2; BG_PID.
bg() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	BG_PID=$!
	PIDS+=("$BG_PID")
}

# Succeeds if pid $1 is a live child of this shell (a PID that bash has
# already reaped may belong to someone else by now).
is_child() {
	[ "$(awk '/^PPid:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" = $$ ]
}

# Drops pid $1 from PIDS once it has been waited for.
forget_pid() {
	local i
	for i in "${!PIDS[@]}"; do
		[ "${PIDS[$i]}" = "$1" ] && unset 'PIDS[i]'
	done
	return 0
}

# Ends pid $1 (a child started by bg) with signal $2 (TERM), waiting up to
# $3 s (5), then KILL. STOP_RC: its exit status, or "killed" if it had to
# be SIGKILLed.
stop_pid() {
	local pid=$1 sig=${2:-TERM} limit=${3:-5} i
	is_child "$pid" && kill -"$sig" "$pid" 2>/dev/null
	for ((i = 0; i < limit * 10; i++)); do
		is_child "$pid" || break
		sleep 0.1
	done
	if is_child "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		STOP_RC=killed
	else
		wait "$pid" 2>/dev/null
		STOP_RC=$?
	fi
	forget_pid "$pid"
}

# Waits up to $3 s for ERE $2 in file $1; prints the first matching line.
wait_file_re() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -m1 -E "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# --- the cases ----------------------------------------------------------------
# name | guest pppd options for the server suite (pppd is the client) | for
# the client suite (pppd behind pptpd is the server) | pptpkit policy flags
# (the same on both sides) | expected auth | expected MPPE | IPv6 | who
# ends the session: "guest" (its pppd gets SIGTERM: check hangup) or
# "host" (pptpkit kill --user USER on pptpkitd, SIGINT to pptpkit connect; the
# guest's check wait-down). | loss: from the moment the link is up, drop
# every Nth GRE packet of 400 bytes or more in each direction (0: none):
# bulk TCP data only, so that pings, LCP, CCP and the keepalives pass;
# "+both": also the first MPPE flushed packet each way (gre_loss).
#
# pppd as a client: require-mschap-v2 etc. would make pppd require the
# *server* to authenticate itself, so the method is chosen by refusing the
# others. pppd's mppe-stateful only allows stateful mode: pptpkit's
# "--mppe-stateful require" is what selects it.
CASES=(
"mschapv2-128|refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-128|require-mschap-v2,require-mppe-128||mschapv2|128-stateless|no|guest|0"
"mschapv2-128-stateful|refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-128,mppe-stateful|require-mschap-v2,require-mppe-128,mppe-stateful|--mppe-stateful require|mschapv2|128-stateful|no|host|25+both"
"mschapv2-40|refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-40|require-mschap-v2,require-mppe-40|--mppe-bits 40|mschapv2|40-stateless|no|guest|25"
"mschap-128|refuse-pap,refuse-chap,refuse-mschap-v2,refuse-eap,require-mppe-128|require-mschap,require-mppe-128|--auth mschap|mschap|128-stateless|no|host|0"
"chap-md5|refuse-pap,refuse-mschap,refuse-mschap-v2,refuse-eap,nomppe|require-chap,nomppe|--auth chap --mppe deny|chap|none|no|guest|0"
"pap|refuse-chap,refuse-mschap,refuse-mschap-v2,refuse-eap,nomppe|require-pap,nomppe|--auth pap --mppe deny|pap|none|no|host|25"
"ipv6|refuse-pap,refuse-chap,refuse-mschap,refuse-eap,require-mppe-128,+ipv6|require-mschap-v2,require-mppe-128,+ipv6|IPV6|mschapv2|128-stateless|yes|guest|0"
)

USER_NAME=pkuser
USER_PASS=pk-Secret.42        # ASCII: pppd hashes each byte as one UTF-16 unit
HOST_CIDR=198.18.0.1/24 GUEST_CIDR=198.18.0.2/24
HOST_IP=198.18.0.1 GUEST_IP=198.18.0.2
TUN_LOCAL=198.18.128.1        # the PPTP server's tunnel address (both suites)
TUN_POOL=198.18.128.2-198.18.128.9
DOWN_BYTES=300000 UP_BYTES=262144 GUEST_BYTES=262144
# Keepalives every second on top of each case, so that a session of a few
# seconds exercises them: pppd's LCP Echo-Requests (answered by pptpkit),
# pptpkitd's LCP and PPTP Echo-Requests (answered by pppd and pptp-linux).
ECHO_PPPD="lcp-echo-interval%201,lcp-echo-failure%203"
ECHO_PKD=(--echo-interval 1 --lcp-echo-interval 1 --lcp-echo-failures 3)
LOSS_MAX=4	# packets dropped at most per direction in a case with loss

# --- per-case bookkeeping -----------------------------------------------------
RESULTS=() NFAIL=0 NPASS=0
C_FAILS=()
cfail() { C_FAILS+=("$*"); echo "    FAIL: $*" >&2; }
note() { echo "    $*" >&2; }

# The "bytes sha256" line of an xfer.py output file.
xfer_result() {
	grep -E '^[0-9]+ [0-9a-f]{64} ' "$1" 2>/dev/null | tail -1
}

# Compares the "bytes sha256" of two transfer ends.
same_data() { # what want_bytes want_sha got_bytes got_sha
	if [ -n "$3" ] && [ "$2 $3" = "$4 $5" ]; then
		note "$1: $2 bytes, sha256 ${3:0:16}... on both ends"
	else
		cfail "$1: sent '${2:-?} ${3:-?}', received '${4:-?} ${5:-?}'"
	fi
}

# The marker line of guest check $2 (PK-CHECK NAME ...) of guest $1.
check_line() { pk_guest_grep "$1" "^PK-CHECK $2 "; }
expect_check() { # guest check
	local l
	l=$(check_line "$1" "$2")
	if [[ $l == "PK-CHECK $2 ok "* ]]; then
		note "guest: ${l#PK-CHECK }"
	else
		cfail "guest check $2: ${l:-missing}"
	fi
}

# The auth method pppd's log ($1) shows in the LCP ConfAck for the
# authentication option, in direction $2 (sent: pppd authenticates to the
# peer; rcvd: the peer authenticates to pppd).
pppd_auth() {
	local o
	o=$(grep -E "^$2 \[LCP ConfAck .*<auth " "$1" | tail -1 |
	    sed 's/.*<auth \([^>]*\)>.*/\1/')
	case $o in
	"chap MS-v2") echo mschapv2 ;;
	"chap MS") echo mschap ;;
	"chap MD5") echo chap ;;
	pap) echo pap ;;
	*) echo "${o:-none}" ;;
	esac
}

# pppd's MPPE state from its log: 128-stateless, 40-stateful, none.
pppd_mppe() {
	local s
	s=$(sed -n 's/.*MPPE \([0-9]*\)-bit \([a-z]*\) compression enabled.*/\1-\2/p' "$1" | tail -1)
	echo "${s:-none}"
}

# Keepalives (ECHO_PPPD, ECHO_PKD): no side may have declared the other
# dead; pptpkitd's PPTP Echo-Requests must have been answered by
# pptp-linux (its debug log names each control message). pppd does not log
# LCP echoes once the link is up (its dump_packet() skips them in
# PHASE_RUNNING): the LCP echoes of a whole session are counted on the wire
# in the captured case (capture_check).
echo_counts() { # pppd-log pptpkit-log suite
	local pe pr lq lr
	if grep -q 'No response to .* echo-requests' "$1"; then
		cfail "LCP echo: pppd got no answer: $(grep 'No response to' "$1")"
	fi
	if grep -qiE 'echo timeout|no Echo-Reply' "$2"; then
		cfail "echo: pptpkit gave up: $(grep -iE 'echo timeout|no Echo-Reply' "$2" | head -1)"
	fi
	lq=$(grep -c '^sent \[LCP EchoReq ' "$1") lr=$(grep -c '^rcvd \[LCP EchoRep ' "$1")
	[ "$lq" = 0 ] || note "LCP echo: pppd logged $lq Echo-Requests and $lr Echo-Replies before the link was up"
	[ "$3" = server ] || return 0
	pe=$(grep -c ' tx Echo-Request$' "$2") pr=$(grep -c ' rx Echo-Reply$' "$2")
	if [ "$pr" -gt 0 ] && [ "$pr" -ge $((pe - 1)) ]; then
		note "PPTP echo: pptpkitd sent $pe Echo-Requests, pptp-linux answered $pr"
	else
		cfail "PPTP echo: pptpkitd sent $pe Echo-Requests, pptp-linux answered $pr"
	fi
}

# Pings ff02::1 on interface $2 in netns $1: ok if a node other than this
# one answered (the peer's link-local address through the tunnel).
ping6_peer() {
	local ns=$1 ifn=$2 out mine from
	out=$(ip netns exec "$ns" ping -6 -c 3 -i 0.3 -w 8 "ff02::1%$ifn" 2>&1)
	mine=$(ip -n "$ns" -6 addr show dev "$ifn" | awk '/inet6/ { sub(/\/.*/, "", $2); print $2 }')
	from=$(sed -n 's/.* bytes from \([0-9a-f:]*\)%.*/\1/p' <<<"$out" |
	    grep -vxF -f <(printf '%s\n' "$mine") | sort -u | head -1)
	if [ -n "$from" ]; then
		note "ping6 ff02::1%$ifn: the peer $from answered"
	else
		cfail "IPv6: no answer from the peer to ping ff02::1%$ifn: $(tail -2 <<<"$out" | tr '\n' ' ')"
	fi
}

# Prints what is needed to see why case failed: the guest's markers, pppd's
# debug log and the syslog (pptp/pptpd/pppd), pptpkit's log.
diagnose() { # guest pptpkit-log what
	local g=$1 log=$2 what=$3
	echo "=================== guest $g markers ==================="
	pk_guest_markers "$g" | grep -v '^PK-LOG-'
	echo "=================== pppd debug log (guest $g) ==================="
	pk_guest_log_block "$g" pppd
	echo "=================== guest syslog: pptp / pptpd / pppd ==================="
	pk_guest_log_block "$g" syslog
	if pk_guest_grep "$g" '^PK-LOG-BEGIN dmesg' >/dev/null; then
		echo "=================== guest dmesg (tail) ==================="
		pk_guest_log_block "$g" dmesg | tail -30
	fi
	if ! pk_guest_grep "$g" '^PK-END' >/dev/null; then
		echo "=================== guest $g console (no PK-END) ==================="
		pk_guest_output "$g" | tail -80
	fi
	echo "=================== $what log ($log) ==================="
	cat "$log"
	echo "=================== end of diagnostics ==================="
}

# The loss of a case: "N" or "N+FLUSHED" (see gre_loss), overridden by
# PK_INTEROP_LOSS and PK_INTEROP_LOSS_FLUSHED; prints "N FLUSHED".
loss_of() {
	local n=${1%%+*} fl=none
	[[ $1 == *+* ]] && fl=${1#*+}
	echo "${PK_INTEROP_LOSS:-$n} ${PK_INTEROP_LOSS_FLUSHED:-$fl}"
}

# gre_loss NETNS N MPPE [FLUSHED]: from now on, drop every Nth GRE data
# packet (400 bytes or more: bulk TCP, never pings, LCP, CCP or
# keepalives), at most LOSS_MAX (a byte quota of LOSS_MAX full packets)
# each way, that NETNS sends, and every Nth it receives (a raw socket sees
# what the INPUT chain lets through; what it sends passes OUTPUT). 0:
# nothing. With stateful MPPE (MPPE ending in -stateful) those are packets
# without MPPE's flushed bit (A), so that each loss makes a CCP reset; and
# FLUSHED (in, out, both; none) drops, besides, the first flushed data
# packet the namespace receives, sends, or both. Received, it tests
# pptpkit's catch-up (mppe.c) against the kernel's sender, which changed
# keys for that lost packet; sent, it is the loss that desynchronised the
# kernel's receiver for good until pptpkit answered resets with flag
# packets (README). The A bit is read with u32 at the offsets both sides
# produce: IPv4 without options, enhanced GRE with sequence number, with
# or without acknowledgement (12 or 16 bytes), PPP with address/control
# and protocol compressed (0xfd, then MPPE).
gre_loss() {
	local ns=$1 n=$2 mppe=$3 fl=${4:-none} c m f o a
	[ "$n" -gt 0 ] 2>/dev/null || return 0
	for c in INPUT OUTPUT; do
		if ! { ip netns exec "$ns" iptables -N "PKLOSS_$c" &&
		    ip netns exec "$ns" iptables -A "PKLOSS_$c" -m statistic \
		    --mode nth --every "$n" --packet 0 -m quota \
		    --quota $((LOSS_MAX * 1500)) -j DROP; }; then
			cfail "iptables: cannot set up packet loss"
		fi
		if [[ $mppe != *-stateful ]]; then
			ip netns exec "$ns" iptables -A "$c" -p gre -m length \
			    --length 400:65535 -j "PKLOSS_$c" ||
				cfail "iptables: cannot set up packet loss"
			continue
		fi
		for m in "0x3001 32" "0x3081 36"; do
			read -r f o <<<"$m"
			a="0>>22&0x3C=20 && 20>>16=$f && $o>>24=0xfd && $((o + 1))>>24&0x80"
			ip netns exec "$ns" iptables -A "$c" -p gre -m length \
			    --length 400:65535 -m u32 --u32 "$a=0" \
			    -j "PKLOSS_$c" ||
				cfail "iptables: cannot set up packet loss"
			# Also the first flushed data packet (FLUSHED: in, out,
			# both: the directions seen from the namespace).
			case $fl:$c in
			in:INPUT|out:OUTPUT|both:*) ;;
			*) continue ;;
			esac
			ip netns exec "$ns" iptables -N "PKFLUSH_$c" 2>/dev/null &&
			    ip netns exec "$ns" iptables -A "PKFLUSH_$c" \
			    -m quota --quota 1500 -j DROP
			ip netns exec "$ns" iptables -I "$c" 1 -p gre -m length \
			    --length 400:65535 -m u32 --u32 "$a=0x80" \
			    -j "PKFLUSH_$c" ||
				cfail "iptables: cannot set up packet loss"
		done
	done
	if [[ $mppe != *-stateful ]]; then
		note "from now on, every ${n}th GRE data packet is dropped, at most $LOSS_MAX each way"
	else
		note "from now on, every ${n}th GRE data packet without MPPE's flushed bit is dropped, at most $LOSS_MAX each way$(
		    case $fl in
		    in) echo "; and the first flushed one received" ;;
		    out) echo "; and the first flushed one sent" ;;
		    both) echo "; and the first flushed one each way" ;;
		    esac)"
	fi
}

# Stateful MPPE with loss: in pppd's log $1, CCP Reset-Requests must have
# gone both ways and each been acknowledged (the resynchronisation of RFC
# 3078 §8.2 exercised in both directions).
mppe_resets() {
	local sq sa rq ra
	sq=$(grep -c '^sent \[CCP ResetReq ' "$1") ra=$(grep -c '^rcvd \[CCP ResetAck ' "$1")
	rq=$(grep -c '^rcvd \[CCP ResetReq ' "$1") sa=$(grep -c '^sent \[CCP ResetAck ' "$1")
	if [ "$sq" -gt 0 ] && [ "$ra" -gt 0 ] && [ "$rq" -gt 0 ] && [ "$sa" -gt 0 ]; then
		note "MPPE resync: pppd sent $sq CCP Reset-Requests (pptpkit acked $ra), pptpkit sent $rq (pppd acked $sa)"
	else
		cfail "MPPE resync not exercised both ways: pppd sent $sq Reset-Requests (acked $ra), received $rq (acked $sa)"
	fi
}

# The GRE packets gre_loss dropped in NETNS $1; fails the case unless
# both directions lost some, and the flushed packet FLUSHED ($2) asked for.
gre_dropped() {
	local out fl
	out=$(ip netns exec "$1" iptables -L -v -x -n 2>/dev/null |
	    awk '/^Chain PK(LOSS|FLUSH)_/ { c = $2 } c != "" && $3 == "DROP" {
		printf "%s%s=%s", s, c, $1; s = " "; c = "" }')
	fl=$(tr ' ' '\n' <<<"$out" | sed -n 's/^PKFLUSH_\(.*\)=\([1-9][0-9]*\)$/\1/p' | tr '\n' ' ')
	if [[ " $out " == *" PKLOSS_INPUT=0 "* ]] || [[ " $out " == *" PKLOSS_OUTPUT=0 "* ]] ||
	    [[ " $out " != *" PKLOSS_INPUT="* ]] || [[ " $out " != *" PKLOSS_OUTPUT="* ]]; then
		cfail "packet loss was set up but did not happen both ways: '$out'"
	elif { [[ $2 == @(in|both) ]] && [[ $fl != *INPUT* ]]; } ||
	    { [[ $2 == @(out|both) ]] && [[ $fl != *OUTPUT* ]]; }; then
		cfail "no flushed MPPE packet was dropped ($2): '$out'"
	else
		note "GRE data packets dropped on purpose (chain=packets): $out"
	fi
}

# After guest $1 finished (work dir $2, last check $3): its verdict, each
# of its checks, and the data of the three transfers on both ends.
guest_verdict() {
	local g=$1 d=$2 v l a b
	if l=$(pk_guest_result "$g"); then note "guest: ${l#PK-}"
	else cfail "guest: ${l:-no PK-RESULT}"; fi
	for v in ping mppe fetch send recv "$3"; do expect_check "$g" "$v"; done
	read -r a b _ < <(xfer_result "$d/serve.out")
	l=$(check_line "$g" fetch)
	same_data "host -> guest (guest connects, port 5001)" "$a" "$b" \
	    "$(pk_marker_value "$l" bytes)" "$(pk_marker_value "$l" sha256)"
	l=$(check_line "$g" send)
	read -r a b _ < <(xfer_result "$d/recv.out")
	same_data "guest -> host (port 5002)" "$(pk_marker_value "$l" bytes)" \
	    "$(pk_marker_value "$l" sha256)" "$a" "$b"
	read -r a b _ < <(xfer_result "$d/send.out")
	l=$(check_line "$g" recv)
	same_data "host -> guest (host connects, port 5003)" "$a" "$b" \
	    "$(pk_marker_value "$l" bytes)" "$(pk_marker_value "$l" sha256)"
}

# What pppd negotiated, from its own debug log $1: the auth option of the
# LCP ConfAck in direction $2 (sent: pppd authenticated itself, and logs
# "authentication succeeded"; rcvd: pppd authenticated pptpkit and sent
# CHAP Success or PAP AuthAck), the MPPE mode, IPV6CP up or rejected by
# pptpkit ($6 names it).
pppd_negotiated() { # log sent|rcvd auth mppe ipv6 who
	local v ok
	v="$(pppd_auth "$1" "$2") $(pppd_mppe "$1")"
	if [ "$2" = sent ]; then
		grep -q 'authentication succeeded' "$1" && ok=1
	else
		grep -qE 'sent \[(CHAP Success|PAP AuthAck) ' "$1" && ok=1
	fi
	if [ "$v" = "$3 $4" ] && [ -n "${ok:-}" ]; then
		note "pppd log: $( [ "$2" = sent ] && echo "authenticated" ||
		    echo "peer authenticated") with $3 (success logged), MPPE $4"
	else
		cfail "pppd log: want '$3 $4' and a logged success, got '$v'$( [ -n "${ok:-}" ] || echo ', no success')"
	fi
	if [ "$5" = yes ]; then
		if grep -q 'remote LL address' "$1"; then
			note "pppd log: IPV6CP up ($(grep -o 'local  LL address .*' "$1" | tail -1))"
		else
			cfail "pppd log: IPV6CP did not come up"
		fi
	elif grep -q "Protocol-Reject for 'IPv6 Control Protocol'" "$1"; then
		note "pppd log: $6 rejected IPV6CP (Protocol-Reject)"
	else
		cfail "pppd log: $6 (IPv6 off) did not reject IPV6CP"
	fi
}

# --- tcpdump + tshark ----------------------------------------------------------
CAP_PID=
capture_start() { # netns iface file
	bg "$1" "$3.err" tcpdump -i "$2" -U -s 0 -w "$3"
	CAP_PID=$BG_PID
	wait_file_re "$3.err" 'listening on' 5 >/dev/null ||
		cfail "tcpdump did not start: $(cat "$3.err")"
}

# The protocols a capture of a case must show: PPTP, GRE, PPP, LCP,
# the authentication protocol, IPCP, and with MPPE: CCP and encrypted data.
cap_protocols() { # auth mppe
	local p="pptp gre ppp lcp ipcp"
	if [ "$1" = pap ]; then p="$p pap"; else p="$p chap"; fi
	[ "$2" = none ] || p="$p ccp comp_data"
	echo "$p"
}

# cap_pairs SUITE: "what: requests replies" for the keepalives in the
# capture's echo list ($CAP_ECHO: "src code" lines, code lcp9/lcp10 for
# LCP Echo-Request/Reply, pptp5/pptp6 for PPTP). pppd's LCP echoes are
# answered by pptpkit in both suites; in the server suite pptpkitd's LCP
# and PPTP echoes are answered by pppd and pptp-linux (pptpkit connect's
# own keepalives are 30 s and 60 s: none in a short session).
cap_pairs() {
	local h=$HOST_IP g=$GUEST_IP
	cnt() { grep -cxF "$1 $2" <<<"$CAP_ECHO"; }
	echo "pppd's LCP Echo-Requests answered by pptpkit: $(cnt "$g" lcp9) $(cnt "$h" lcp10)"
	[ "$1" = server ] || return 0
	echo "pptpkitd's LCP Echo-Requests answered by pppd: $(cnt "$h" lcp9) $(cnt "$g" lcp10)"
	echo "pptpkitd's PPTP Echo-Requests answered by pptp-linux: $(cnt "$h" pptp5) $(cnt "$g" pptp6)"
}

# Stops the capture and runs it through tshark (three passes): fails on any
# malformed packet or expert-info error; with a suite $2 (none when the link
# never came up), also unless PPTP control, GRE and the PPP protocols of
# the case ($3...) were all dissected, and unless the keepalives of the
# suite were exchanged and answered.
capture_check() { # file [suite want-protocols...]
	local cap=$1 suite=${2:-} stats p errs warns bad n line what q r
	shift
	[ $# -gt 0 ] && shift
	stop_pid "$CAP_PID" INT 5
	CAP_PID=
	# tshark 4.0 prints, under -z expert,warn, an "Errors (N)" and a
	# "Warns (N)" table with one line per group (Malformed, Protocol,
	# ...), nothing for a clean capture.
	if ! stats=$(tshark -n -r "$cap" -q -z io,phs -z expert,warn 2>/dev/null); then
		cfail "tshark cannot read $cap"
		return
	fi
	errs=$(sed -n '/^Errors (/,/^$/p' <<<"$stats")
	warns=$(sed -n '/^Warns (/,/^$/p' <<<"$stats")
	bad=$(tshark -n -r "$cap" -Y '_ws.malformed || _ws.expert.severity >= error' \
	    2>"$cap.err") || bad="tshark failed: $(cat "$cap.err")"
	if [ -n "$errs" ] || [ -n "$bad" ]; then
		cfail "tshark found malformed packets or expert errors in $cap:"
		printf '%s\n%s\n' "$errs" "$bad" | sed 's/^/        /' >&2
		tshark -n -r "$cap" -V -Y '_ws.malformed || _ws.expert.severity >= error' \
		    2>/dev/null | head -200 | sed 's/^/        /' >&2
	fi
	if [ -n "$warns" ]; then
		note "tshark warnings (not fatal):"
		# shellcheck disable=SC2001
		sed 's/^/        /' <<<"$warns" >&2
	fi
	for p in "$@"; do
		grep -qE "^ +$p +frames:" <<<"$stats" ||
			cfail "tshark: no $p frames dissected in $cap"
	done
	n=$(sed -n 's/^eth *frames:\([0-9]*\).*/\1/p' <<<"$stats")
	[ -n "$errs$bad" ] ||
		note "tshark: ${n:-?} frames ($(grep -E '^ +(pptp|gre|ppp|lcp|chap|pap|ccp|ipcp|ipv6cp|comp_data) ' <<<"$stats" |
		    awk '{ sub(/frames:/, "", $2); printf "%s%s %s", s, $1, $2; s = ", " }')), no malformed packet, no expert error"

	[ -n "$suite" ] || return 0
	CAP_ECHO=$(tshark -n -r "$cap" -T fields -e ip.src -e ppp.code \
	    -e pptp.control_message_type \
	    -Y '(lcp && (ppp.code == 9 || ppp.code == 10)) || pptp.control_message_type == 5 || pptp.control_message_type == 6' \
	    2>/dev/null | awk -F'\t' '$2 != "" { print $1, "lcp" $2; next }
	    { print $1, "pptp" $3 }')
	while IFS= read -r line; do
		what=${line%:*} q=${line##*: } r=${q#* } q=${q% *}
		if [ "$q" -gt 0 ] && [ "$r" -ge $((q - 1)) ]; then
			note "capture: $what: $q sent, $r answered"
		else
			cfail "capture: $what: $q sent, $r answered"
		fi
	done < <(cap_pairs "$suite")
}

# --- suite: server (pptpkitd <- pppd + pptp-linux) -----------------------------
server_case() { # index fields...
	local i=$1 name=$2 gpppd=$3 flags=$5 want_auth=$6 want_mppe=$7 ipv6=$8
	local end=$9 loss flushed g="s$i" ns="pkis$$s$i"
	read -r loss flushed <<<"$(loss_of "${10}")"
	local d="$WORK/server-$name" pol=() l v
	local srv_log ctl gup glocal sj last=hangup
	[ "$end" = host ] && last=wait-down:30
	mkdir -p "$d"
	srv_log=$d/pptpkitd.log ctl=$d/ctl.sock
	read -r -a pol <<<"$(flags_of server "$flags")"
	pk_netns_add "$ns" || { cfail "cannot create netns $ns"; return; }
	printf '"%s" * "%s" *\n' "$USER_NAME" "$USER_PASS" >"$d/secrets"
	chmod 600 "$d/secrets"
	head -c "$DOWN_BYTES" /dev/urandom >"$d/down.bin"
	head -c "$UP_BYTES" /dev/urandom >"$d/up.bin"

	# pptpkitd first (on every address of the namespace: the tap's comes
	# with the guest), then the host's ends of the transfers.
	bg "$ns" "$srv_log" "$PKD" --debug --secrets "$d/secrets" \
	    --pool "$TUN_POOL" --local-ip "$TUN_LOCAL" \
	    --control-socket "$ctl" "${ECHO_PKD[@]}" "${pol[@]}"
	local srv_pid=$BG_PID
	if ! wait_file_re "$srv_log" 'listening on' 10 >/dev/null; then
		cfail "pptpkitd did not start: $(tail -3 "$srv_log")"
		stop_pid "$srv_pid"; pk_netns_del "$ns"; return
	fi
	bg "$ns" "$d/serve.out" "${XFER[@]}" serve 5001 "$d/down.bin"
	local serve_pid=$BG_PID
	bg "$ns" "$d/recv.out" "${XFER[@]}" recv 5002
	local recv_pid=$BG_PID

	pk_guest_start "$g" "$ns" "$HOST_CIDR" "$GUEST_CIDR" pptp-client \
	    server="$HOST_IP" user="$USER_NAME" pass="$USER_PASS" timeout=100 \
	    pppd="$gpppd,$ECHO_PPPD" \
	    checks="ping:3,mppe:${want_mppe%%-*},fetch:5001,send:5002:$GUEST_BYTES,recv:5003,$last" ||
	    { cfail "the guest did not start"; stop_pid "$srv_pid"; pk_netns_del "$ns"; return; }
	local cap=0
	if [ "$CAPTURED" = 0 ]; then
		CAPTURED=1 cap=1
		capture_start "$ns" "pk-$g" "$d/cap.pcap"
	fi

	if gup=$(pk_guest_wait "$g" '^PK-PPP-UP ' 60 2>&1); then
		glocal=$(pk_marker_value "$gup" local)
		note "guest: ${gup#PK-} ($(pk_elapsed "$g") s after qemu started)"
		gre_loss "$ns" "$loss" "$want_mppe" "$flushed"
	else
		cfail "the guest's PPP link did not come up ($gup)"
	fi
	if [ -n "${glocal:-}" ] &&
	    l=$(pk_guest_wait "$g" '^PK-LISTEN tcp .* 5003 ' 60 2>&1); then
		# The link is up and the guest waits for our connection: the
		# host's checks.
		if ip netns exec "$ns" ping -c 3 -i 0.3 -w 10 "$glocal" >"$d/ping.out" 2>&1; then
			note "host: ping $glocal (the guest's ppp0): $(grep -o '[0-9]* received' "$d/ping.out")"
		else
			cfail "host cannot ping the guest's ppp0 $glocal: $(tail -2 "$d/ping.out" | tr '\n' ' ')"
		fi
		sj=$("$PKC" show sessions --json --control-socket "$ctl" 2>&1)
		v=$(python3 -c '
import json, sys
s = json.loads(sys.argv[1])
print(len(s), *(s[0].get(k, "-") for k in ("user", "state", "auth", "mppe", "remote_ip", "interface")) if s else "")
' "$sj" 2>&1)
		if [ "$v" = "1 $USER_NAME up $want_auth $want_mppe $glocal pptp0" ]; then
			note "pptpkitd: show sessions: user=$USER_NAME state=up auth=$want_auth mppe=$want_mppe remote_ip=$glocal"
		else
			cfail "pptpkitd show sessions --json: want 1 session '$USER_NAME up $want_auth $want_mppe $glocal pptp0', got '$v' from $sj"
		fi
		[ "$ipv6" = yes ] && ping6_peer "$ns" pptp0
		if v=$(ip netns exec "$ns" "${XFER[@]}" send "${glocal}" 5003 "$d/up.bin" 2>&1); then
			echo "$v" >"$d/send.out"
		else
			cfail "host -> guest transfer (port 5003): $v"
		fi
		if [ "$end" = host ] &&
		    pk_guest_wait "$g" '^PK-CHECK-BEGIN wait-down' 30 >/dev/null; then
			v=$("$PKC" kill --user "$USER_NAME" --control-socket "$ctl" 2>&1)
			if [ "$v" = "1 session(s) ended" ]; then
				note "host: pptpkit kill --user $USER_NAME: $v"
			else
				cfail "pptpkit kill --user $USER_NAME: $v"
			fi
		fi
	else
		[ -n "${glocal:-}" ] && cfail "the guest never listened on 5003 ($l)"
	fi
	pk_guest_wait "$g" '^PK-END' 60 >/dev/null ||
		cfail "the guest did not finish"
	pk_guest_wait_exit "$g" 10 || true

	pk_guest_log_block "$g" pppd >"$d/pppd.log"
	if [ -n "${glocal:-}" ]; then
		guest_verdict "$g" "$d" "${last%%:*}"
		pppd_negotiated "$d/pppd.log" sent "$want_auth" "$want_mppe" \
		    "$ipv6" pptpkitd
		echo_counts "$d/pppd.log" "$srv_log" server
		# The session ended: pptpkitd must have removed it.
		for l in $(seq 50); do
			v=$("$PKC" show sessions --json --control-socket "$ctl" 2>/dev/null)
			[ "$v" = "[]" ] && break
			sleep 0.1
		done
		if [ "$v" = "[]" ] && grep -q 'session 1 down' "$srv_log"; then
			note "pptpkitd: $(grep -o 'session 1 down.*' "$srv_log" | head -1)"
		else
			cfail "pptpkitd kept the session after it ended ($end side): $v"
		fi
	else
		note "the link never came up: $(pk_guest_grep "$g" '^PK-RESULT ' || echo 'no PK-RESULT')"
	fi
	case_end server "$srv_log" pptpkitd "$srv_pid"
}

# The end of a case, the same in both suites: the capture through tshark,
# the host's transfer helpers (and pptpkitd, $4) stopped, pptpkit's own
# errors and warnings shown, the loss checks, the side-by-side logs if
# anything failed, the guest and its namespace removed. $1 role (server
# or client), $2 pptpkit's log, $3 its name. Reads the calling case's
# locals: cap d g ns loss flushed want_auth want_mppe serve_pid recv_pid,
# and glocal (set once the link came up).
case_end() { # role log name [pptpkitd-pid]
	if [ $cap = 1 ]; then
		local protos=()
		[ -n "${glocal:-}" ] &&
		    read -r -a protos <<<"$1 $(cap_protocols "$want_auth" "$want_mppe")"
		capture_check "$d/cap.pcap" "${protos[@]}"
	fi
	stop_pid "$serve_pid" TERM 1
	stop_pid "$recv_pid" TERM 1
	if [ -n "${4:-}" ]; then
		stop_pid "$4" TERM 5
		[ "$STOP_RC" = 0 ] || cfail "pptpkitd exited with $STOP_RC on SIGTERM"
	fi
	grep -E '(error|warning):' "$2" | grep -v 'WEAK POLICY\|NOT encrypted' |
	    sed "s/^/    ${3%% *}: /" >&2
	if [ "$loss" -gt 0 ] 2>/dev/null && [ -n "${glocal:-}" ]; then
		gre_dropped "$ns" "$flushed"
		[[ $want_mppe != *-stateful ]] || mppe_resets "$d/pppd.log"
	fi
	[ ${#C_FAILS[@]} = 0 ] || diagnose "$g" "$2" "$3" >&2
	pk_guest_stop "$g"
	pk_netns_del "$ns"
}

# --- suite: client (pptpkit connect -> pptpd + pppd) ----------------------------
client_case() { # index fields...
	local i=$1 name=$2 spppd=$4 flags=$5 want_auth=$6 want_mppe=$7 ipv6=$8
	local end=$9 loss flushed g="c$i" ns="pkic$$c$i"
	read -r loss flushed <<<"$(loss_of "${10}")"
	local d="$WORK/client-$name" pol=() l v
	local last=hangup
	[ "$end" = host ] && last=wait-down:30
	local cli_log gpeer glocal ifn=pkc0
	mkdir -p "$d"
	cli_log=$d/pptpkit.log
	read -r -a pol <<<"$(flags_of client "$flags")"
	pk_netns_add "$ns" || { cfail "cannot create netns $ns"; return; }
	printf '%s\n' "$USER_PASS" >"$d/password"
	chmod 600 "$d/password"
	head -c "$DOWN_BYTES" /dev/urandom >"$d/down.bin"
	head -c "$UP_BYTES" /dev/urandom >"$d/up.bin"
	bg "$ns" "$d/serve.out" "${XFER[@]}" serve 5001 "$d/down.bin"
	local serve_pid=$BG_PID
	bg "$ns" "$d/recv.out" "${XFER[@]}" recv 5002
	local recv_pid=$BG_PID

	pk_guest_start "$g" "$ns" "$HOST_CIDR" "$GUEST_CIDR" pptpd-server \
	    user="$USER_NAME" pass="$USER_PASS" timeout=100 up_timeout=25 \
	    localip="$TUN_LOCAL" remoteip=198.18.128.2-9 pppd="$spppd,$ECHO_PPPD" \
	    checks="ping:3,mppe:${want_mppe%%-*},fetch:5001,send:5002:$GUEST_BYTES,recv:5003,$last" ||
	    { cfail "the guest did not start"; pk_netns_del "$ns"; return; }
	local cap=0
	if [ "$CAPTURED" = 0 ]; then
		CAPTURED=1 cap=1
		capture_start "$ns" "pk-$g" "$d/cap.pcap"
	fi

	local cli_pid=
	if l=$(pk_guest_wait "$g" '^PK-READY ' 60 2>&1); then
		bg "$ns" "$cli_log" "$PKC" connect "$GUEST_IP" --user "$USER_NAME" \
		    --password-file "$d/password" --ifname "$ifn" --debug "${pol[@]}"
		cli_pid=$BG_PID
		if l=$(wait_connected "$cli_log" "$cli_pid" 40); then
			note "pptpkit: $l ($(pk_elapsed "$g") s after qemu started)"
			gre_loss "$ns" "$loss" "$want_mppe" "$flushed"
			gpeer=$(connected_field "$l" peer)
			glocal=$(connected_field "$l" local)
			v="$(connected_field "$l" auth) $(connected_field "$l" mppe) $glocal $gpeer"
			[ "$v" = "$want_auth $want_mppe 198.18.128.2 $TUN_LOCAL" ] ||
				cfail "pptpkit connected with '$v', want '$want_auth $want_mppe 198.18.128.2 $TUN_LOCAL'"
		else
			l=$(grep '^pptpkit: ' "$cli_log" | tail -1)
			cfail "pptpkit did not connect: ${l:-$(tail -3 "$cli_log" | tr '\n' ' ')}"
		fi
	else
		cfail "pptpd in the guest did not get ready ($l)"
	fi
	if [ -n "${gpeer:-}" ]; then
		if ip netns exec "$ns" ping -c 3 -i 0.3 -w 10 "$gpeer" >"$d/ping.out" 2>&1; then
			note "host: ping $gpeer (the guest's ppp0): $(grep -o '[0-9]* received' "$d/ping.out")"
		else
			cfail "host cannot ping the guest's ppp0 $gpeer: $(tail -2 "$d/ping.out" | tr '\n' ' ')"
		fi
		[ "$ipv6" = yes ] && ping6_peer "$ns" "$ifn"
		if l=$(pk_guest_wait "$g" '^PK-LISTEN tcp .* 5003 ' 60 2>&1); then
			if v=$(ip netns exec "$ns" "${XFER[@]}" send "$gpeer" 5003 "$d/up.bin" 2>&1); then
				echo "$v" >"$d/send.out"
			else
				cfail "host -> guest transfer (port 5003): $v"
			fi
		else
			cfail "the guest never listened on 5003 ($l)"
		fi
		# Once the guest waits in wait-down, hang up (end=host).
		[ "$end" = host ] &&
		    pk_guest_wait "$g" '^PK-CHECK-BEGIN wait-down' 30 >/dev/null
	fi
	if [ -n "$cli_pid" ] && [ -z "${gpeer:-}" ]; then
		# It never connected (already said why): just reap it.
		stop_pid "$cli_pid" INT 5
	elif [ -n "$cli_pid" ] && [ "$end" = host ]; then
		stop_pid "$cli_pid" INT 10
		if [ "$STOP_RC" = 0 ]; then
			note "pptpkit: SIGINT, exit 0: $(tail -1 "$cli_log")"
		else
			cfail "pptpkit connect exited with $STOP_RC on SIGINT"
		fi
	elif [ -n "$cli_pid" ]; then
		# The guest's pppd hangs up: pptpkit must notice, say why, and
		# exit 1 (the tunnel went down; no --reconnect).
		for l in $(seq 200); do
			kill -0 "$cli_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$cli_pid" 2>/dev/null; then
			cfail "pptpkit connect still runs 20 s after the server hung up"
			stop_pid "$cli_pid" INT 10
		else
			wait "$cli_pid"
			v=$?
			forget_pid "$cli_pid"
			l=$(grep '^pptpkit: ' "$cli_log" | tail -1)
			if [ "$v" = 1 ] && [ -n "$l" ]; then
				note "pptpkit: the server hung up: exit 1, '$l'"
			else
				cfail "pptpkit connect after the server hung up: exit $v, '${l:-no reason given}'"
			fi
		fi
	fi
	pk_guest_wait "$g" '^PK-END' 60 >/dev/null ||
		cfail "the guest did not finish"
	pk_guest_wait_exit "$g" 10 || true

	pk_guest_log_block "$g" pppd >"$d/pppd.log"
	if [ -n "${gpeer:-}" ]; then
		guest_verdict "$g" "$d" "${last%%:*}"
		pppd_negotiated "$d/pppd.log" rcvd "$want_auth" "$want_mppe" \
		    "$ipv6" pptpkit
		echo_counts "$d/pppd.log" "$cli_log" client
	else
		note "the link never came up: $(pk_guest_grep "$g" '^PK-RESULT ' || echo 'no PK-RESULT')"
	fi
	case_end client "$cli_log" "pptpkit connect"
}

# Waits up to $3 s for pptpkit connect (pid $2) to print its "connected:"
# line in log $1, and prints it; fails at once if pptpkit exits first.
wait_connected() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -m1 '^connected:' "$1" && return 0
		kill -0 "$2" 2>/dev/null || { grep -m1 '^connected:' "$1"; return; }
		sleep 0.1
	done
	return 1
}

# Field from a "connected: k=v k=v" line.
connected_field() {
	tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

# The pptpkit policy flags of a case: IPV6 stands for pptpkitd's
# "--ipv6 yes" and pptpkit connect's "--ipv6".
flags_of() { # server|client flags
	if [ "$2" != IPV6 ]; then echo "$2"
	elif [ "$1" = server ]; then echo "--ipv6 yes"
	else echo "--ipv6"; fi
}

run_suite() { # server|client
	local s=$1 i=0 c f t0 t1 r
	CAPTURED=0 # the first case of each suite is captured
	echo "interop $s: $( [ "$s" = server ] &&
	    echo "pppd + pptp-linux (guest) -> pptpkitd (host netns)" ||
	    echo "pptpkit connect (host netns) -> pptpd + pppd (guest)")"
	for c in "${CASES[@]}"; do
		i=$((i + 1))
		IFS='|' read -r -a f <<<"$c"
		if [ ${#ONLY[@]} -gt 0 ] && ! printf '%s\n' "${ONLY[@]}" | grep -qxF "${f[0]}"; then
			continue
		fi
		echo "--- $s/${f[0]}: auth ${f[4]}, MPPE ${f[5]}, IPv6 ${f[6]}, ends: ${f[7]}, loss: $(read -r n fl <<<"$(loss_of "${f[8]}")"; [ "$n" = 0 ] && echo none || echo "every ${n}th$( [ "$fl" = none ] || echo " + first flushed $fl")"); pptpkit flags: $(v=$(flags_of "$s" "${f[3]}"); echo "${v:-(defaults)}"); pppd: $( [ "$s" = server ] && echo "${f[1]}" || echo "${f[2]}")" >&2
		C_FAILS=()
		t0=$(date +%s.%N)
		"${s}_case" "$i" "${f[@]}"
		t1=$(date +%s.%N)
		if [ ${#C_FAILS[@]} = 0 ]; then
			r="ok  "; NPASS=$((NPASS + 1))
		else
			r="FAIL"; NFAIL=$((NFAIL + 1))
		fi
		RESULTS+=("$(printf '%s %-30s %6s s%s' "$r" "$s/${f[0]}" "$(secs "$t0" "$t1")" \
		    "$( [ ${#C_FAILS[@]} = 0 ] || printf '  (%s)' "${C_FAILS[0]}")")")
		echo "${RESULTS[-1]}"
	done
}

case $SUITE in
server) run_suite server ;;
client) run_suite client ;;
all) run_suite server; run_suite client ;;
esac

echo "=== interop $SUITE results"
printf '%s\n' "${RESULTS[@]}"
echo "=== interop $SUITE: $NPASS passed, $NFAIL failed, total $(secs "$T_SUITE0" "$(date +%s.%N)") s"
[ "$NFAIL" = 0 ] && [ "$NPASS" -gt 0 ]
