#!/usr/bin/env bash
# run.sh - pptpkitd and pptpkit carrying real traffic between network
# namespaces (topology in lib.sh). Needs root, TUN, veth and netfilter; no
# kernel PPP. Usage: tests/netns/run.sh [combos|multi|failures|nthash|all]
#
#   combos    every authentication / MPPE combination: tunnel up, ping
#             both ways, a 50 MB TCP transfer with matching SHA-256
#   multi     three clients at once, two behind one NAT (PPTP conntrack
#             helper): each carries traffic, and show sessions --json
#             counts exactly the bytes and packets that crossed
#   failures  wrong password refused on both sides while another session
#             keeps working; SIGKILLed client and silently vanished client
#             removed by the server; kill by user; SIGTERM tells peers
#   nthash    a user whose chap-secrets entry holds only the NT hash
#             (written by pptpkit hash-password): MS-CHAPv2 + MPPE-128 and
#             MS-CHAPv1 + MPPE-128 carry data; a wrong password, PAP and
#             CHAP-MD5 are refused, each with its reason in the log
#   service   pptpkitd started as systemd/pptpkitd.service.in starts it:
#             only the unit's CapabilityBoundingSet, no_new_privs; the caps
#             are checked in /proc/PID/status and a session carries data
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/helpers.sh"
SUITE=${1:-all}
XFER_BYTES=${PK_XFER_BYTES:-50000000}

[ -x "$PKD" ] && [ -x "$PKC" ] || fail "build first: $PKD / $PKC missing"
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"

netns_setup
CTL=$PK_TMP/ctl.sock
printf '%s\n' \
	'# client  server  secret      address' \
	'alice     *       "alice pw"  *' \
	'bob       *       bobsecret   198.19.0.77' \
	'carol     *       carolpw     *' >"$PK_TMP/secrets"
chmod 600 "$PK_TMP/secrets"
printf 'alice pw\n' >"$PK_TMP/alice.pw"
printf 'bobsecret\n' >"$PK_TMP/bob.pw"
printf 'carolpw\n' >"$PK_TMP/carol.pw"
printf 'not carols\n' >"$PK_TMP/wrong.pw"
chmod 600 "$PK_TMP"/*.pw

# ---------------------------------------------------------------------
suite_combos() {
	local combos=(
		"pap none" "chap none"
		"mschap none" "mschap 40 stateless" "mschap 40 stateful"
		"mschap 56 stateless" "mschap 56 stateful"
		"mschap 128 stateless" "mschap 128 stateful"
		"mschapv2 none" "mschapv2 40 stateless" "mschapv2 40 stateful"
		"mschapv2 56 stateless" "mschapv2 56 stateful"
		"mschapv2 128 stateless" "mschapv2 128 stateful"
	)
	local c auth bits mode policy want
	for c in "${combos[@]}"; do
		set -- $c
		auth=$1 bits=$2 mode=${3:-}
		if [ "$bits" = none ]; then
			policy=(--auth "$auth" --mppe deny)
			want="auth=$auth mppe=none"
		else
			policy=(--auth "$auth" --mppe require --mppe-bits "$bits"
				--mppe-stateful "$([ "$mode" = stateful ] &&
				echo require || echo deny)")
			want="auth=$auth mppe=$bits-$mode"
		fi
		start_server "combo" "${policy[@]}"
		connect $NS_C1 c1 alice "$PK_TMP/alice.pw" "${policy[@]}"
		grep -q "$want" "$CLI_LOG" || fail "$c: expected '$want' in: \
$(grep connected: "$CLI_LOG")"
		local cip
		cip=$(connected_field "$CLI_LOG" local)
		n $NS_C1 ping -c 2 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
			fail "$c: client cannot ping the server through the tunnel"
		n $NS_SRV ping -c 2 -i 0.2 -W 2 "$cip" >/dev/null ||
			fail "$c: server cannot ping the client through the tunnel"
		local rate
		rate=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5001 "$XFER_BYTES")
		pretty "$c: up ($want), ping both ways, $((XFER_BYTES / 1000000)) MB sha256 match, $rate"
		disconnect "$CLI_PID"
		stop_server
	done
}

suite_multi() {
	start_server multi
	connect $NS_C1 c1 alice "$PK_TMP/alice.pw"
	local pid1=$CLI_PID log1=$CLI_LOG
	connect $NS_C2 c2 bob "$PK_TMP/bob.pw"
	local pid2=$CLI_PID log2=$CLI_LOG
	connect $NS_C3 c3 carol "$PK_TMP/carol.pw"
	local pid3=$CLI_PID
	[ "$(connected_field "$log2" local)" = 198.19.0.77 ] ||
		fail "bob did not get his static address"
	[ "$(session_count)" = 3 ] || fail "expected 3 sessions"
	# Both NATed sessions share one public address and differ by call ID.
	[ "$(session_field bob peer)" = 198.18.1.2 ] &&
		[ "$(session_field carol peer)" = 198.18.1.2 ] ||
		fail "NATed sessions do not come from the NAT's address: $("$PKC" show sessions --json --control-socket "$CTL")"
	grep -q '^dns: 198.18.0.53' "$log1" || fail "DNS server not pushed"
	# Exact counters: ICMP echo of 1000 bytes is a 1028-byte IP packet.
	local u ip rx0 tx0 rxp0 rx1 tx1 rxp1
	for u in alice:c1 bob:c2 carol:c3; do
		local user=${u%%:*} ns=$PK_TAG-${u##*:}
		rx0=$(session_field "$user" rx_bytes)
		tx0=$(session_field "$user" tx_bytes)
		rxp0=$(session_field "$user" rx_packets)
		n "$ns" ping -q -c 40 -i 0.02 -s 1000 -W 2 198.19.0.1 >/dev/null ||
			fail "$user: ping through the tunnel failed"
		rx1=$(session_field "$user" rx_bytes)
		tx1=$(session_field "$user" tx_bytes)
		rxp1=$(session_field "$user" rx_packets)
		[ $((rx1 - rx0)) = $((40 * 1028)) ] && [ $((tx1 - tx0)) = \
			$((40 * 1028)) ] && [ $((rxp1 - rxp0)) = 40 ] ||
			fail "$user: counters moved rx $((rx1 - rx0)) tx \
$((tx1 - tx0)) pkts $((rxp1 - rxp0)), expected $((40 * 1028)) each way, 40"
	done
	pretty "multi: 3 sessions (2 behind one NAT), static address, DNS pushed, exact byte/packet counters"
	# All three at once, with data checked end to end.
	transfer $NS_C2 $NS_SRV 198.19.0.1 5002 10000000 >/dev/null &
	local t2=$!
	transfer $NS_C3 $NS_SRV 198.19.0.1 5003 10000000 >/dev/null &
	local t3=$!
	transfer $NS_C1 $NS_SRV 198.19.0.1 5004 10000000 >/dev/null
	wait $t2 || fail "bob's concurrent transfer failed"
	wait $t3 || fail "carol's concurrent transfer failed"
	pretty "multi: three concurrent 10 MB transfers, sha256 match"
	disconnect "$pid1"
	disconnect "$pid2"
	disconnect "$pid3"
	for _ in $(seq 30); do
		[ "$(session_count)" = 0 ] && break
		sleep 0.1
	done
	[ "$(session_count)" = 0 ] || fail "sessions left after clients left"
	stop_server
}

suite_failures() {
	start_server failures
	connect $NS_C2 c2 bob "$PK_TMP/bob.pw"
	local bob=$CLI_PID
	# A steady ping on bob's session while carol fails to log in.
	local plog=$PK_TMP/bob.ping
	local ppid
	bg $NS_C2 "$plog" ping -c 60 -i 0.05 -W 1 198.19.0.1
	ppid=$BG_PID
	local wlog=$PK_TMP/cli.wrong.log
	set +e
	n $NS_C3 "$PKC" connect 198.18.0.1 --user carol \
		--password-file "$PK_TMP/wrong.pw" --ifname pkw >"$wlog" 2>&1
	local rc=$?
	set -e
	[ $rc = 2 ] || fail "wrong password: exit code $rc, expected 2"
	grep -q "authentication rejected" "$wlog" ||
		fail "client did not say authentication was rejected: $(cat "$wlog")"
	wait_for_log "$SRV_LOG" 'user=carol .*authentication refused \(mschapv2\): wrong password' 5
	wait "$ppid" || fail "bob's traffic was disturbed: $(tail -3 "$plog")"
	grep -q ' 0% packet loss' "$plog" ||
		fail "bob lost packets during carol's failure: $(tail -2 "$plog")"
	pretty "failures: wrong password refused on both sides; other session lost nothing"

	# SIGKILL: the kernel closes the client's TCP; the server must notice.
	connect $NS_C1 c1 alice "$PK_TMP/alice.pw"
	kill -KILL "$CLI_PID"
	for _ in $(seq 60); do
		[ -z "$(session_field alice user)" ] && break
		sleep 0.1
	done
	[ -z "$(session_field alice user)" ] || fail "SIGKILLed client kept its session"
	pretty "failures: SIGKILLed client's session removed"

	# A client that vanishes without a word (its packets dropped): the
	# keepalives (LCP echo every 1 s, 3 misses) must end the session.
	connect $NS_C1 c1b alice "$PK_TMP/alice.pw"
	local vanished=$CLI_PID
	n $NS_C1 iptables -A INPUT -j DROP
	n $NS_C1 iptables -A OUTPUT -j DROP
	local t0=$SECONDS
	for _ in $(seq 150); do
		[ -z "$(session_field alice user)" ] && break
		sleep 0.1
	done
	[ -z "$(session_field alice user)" ] ||
		fail "silent client not detected by keepalive"
	grep -qE 'user=alice .*session [0-9]+ down.*(echo|keepalive|no reply)' "$SRV_LOG" ||
		fail "no keepalive reason logged: $(grep 'user=alice' "$SRV_LOG" | tail -2)"
	pretty "failures: silent client removed by LCP keepalive after $((SECONDS - t0)) s"
	n $NS_C1 iptables -F
	kill -KILL "$vanished" 2>/dev/null || true

	# Administrative kill by user name.
	"$PKC" kill --user bob --control-socket "$CTL" >/dev/null ||
		fail "pptpkit kill bob failed"
	for _ in $(seq 50); do
		kill -0 "$bob" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$bob" 2>/dev/null || fail "bob's client survived pptpkit kill: $(tail -5 $PK_TMP/cli.c2.log; grep user=bob $SRV_LOG | tail -5)"
	pretty "failures: pptpkit kill ended bob's session and his client left"

	# SIGTERM: the server tells every peer before leaving.
	connect $NS_C1 c1c alice "$PK_TMP/alice.pw"
	local last=$CLI_PID last_log=$CLI_LOG
	stop_server
	for _ in $(seq 50); do
		kill -0 "$last" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$last" 2>/dev/null || fail "client kept running after server SIGTERM"
	grep -qiE 'stop|shut' "$last_log" ||
		fail "client was not told the server stopped: $(tail -3 "$last_log")"
	pretty "failures: SIGTERM told the client (Stop-Control-Connection)"
}

suite_nthash() {
	# erin's line comes from hash-password: no password in the file.
	local secrets=$PK_TMP/secrets.nthash line
	cp "$PK_TMP/secrets" "$secrets"
	line=$(printf 'erin pw\n' | "$PKC" hash-password --user erin) ||
		fail "pptpkit hash-password failed"
	printf '%s\n' "$line" >>"$secrets"
	grep -qE "^erin	\*	nthash:[0-9A-F]{32}	\*$" "$secrets" ||
		fail "hash-password wrote an unexpected line: $line"
	! grep -q 'erin pw' "$secrets" || fail "the password is in the file"
	printf 'erin pw\n' >"$PK_TMP/erin.pw"
	printf 'erin pW\n' >"$PK_TMP/erin.wrong"
	chmod 600 "$PK_TMP/erin.pw" "$PK_TMP/erin.wrong"

	# The default policy: MS-CHAPv2 + MPPE-128 required.
	start_server nthash --secrets "$secrets"
	connect $NS_C1 nh erin "$PK_TMP/erin.pw"
	grep -q 'auth=mschapv2 mppe=128' "$CLI_LOG" ||
		fail "erin: not MS-CHAPv2 + MPPE-128: $(grep connected: "$CLI_LOG")"
	local cip rate
	cip=$(connected_field "$CLI_LOG" local)
	n $NS_C1 ping -c 2 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
		fail "erin cannot ping the server through the tunnel"
	n $NS_SRV ping -c 2 -i 0.2 -W 2 "$cip" >/dev/null ||
		fail "the server cannot ping erin through the tunnel"
	rate=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5020 10000000)
	pretty "nthash: erin (NT hash only) up with MS-CHAPv2 + MPPE-128, ping both ways, 10 MB sha256 match, $rate"
	disconnect "$CLI_PID"

	local log rc
	log=$PK_TMP/cli.nhwrong.log
	set +e
	n $NS_C1 timeout 60 "$PKC" connect 198.18.0.1 --user erin \
		--password-file "$PK_TMP/erin.wrong" --ifname pknw >"$log" 2>&1
	rc=$?
	set -e
	[ $rc = 2 ] || fail "erin's wrong password: exit code $rc, expected 2"
	wait_for_log "$SRV_LOG" 'user=erin .*authentication refused \(mschapv2\): wrong password' 5
	pretty "nthash: a wrong password against the hash is refused"
	stop_server

	# With every method allowed: MS-CHAPv1 works from the hash, PAP and
	# CHAP-MD5 cannot and say why.
	start_server nthash2 --secrets "$secrets" \
		--auth pap,chap,mschap,mschapv2 --mppe allow
	connect $NS_C1 nh1 erin "$PK_TMP/erin.pw" --auth mschap \
		--mppe require
	grep -q 'auth=mschap mppe=128' "$CLI_LOG" ||
		fail "erin: not MS-CHAPv1 + MPPE-128: $(grep connected: "$CLI_LOG")"
	transfer $NS_C1 $NS_SRV 198.19.0.1 5021 2000000 >/dev/null
	pretty "nthash: MS-CHAPv1 + MPPE-128 from the hash carried 2 MB"
	disconnect "$CLI_PID"
	local m
	for m in pap chap; do
		log=$PK_TMP/cli.nh$m.log
		set +e
		n $NS_C1 timeout 60 "$PKC" connect 198.18.0.1 --user erin \
			--password-file "$PK_TMP/erin.pw" --ifname pkn$m \
			--auth $m --mppe deny >"$log" 2>&1
		rc=$?
		set -e
		[ $rc = 2 ] || fail "erin with $m: exit code $rc, expected 2: $(cat "$log")"
		wait_for_log "$SRV_LOG" "user=erin .*authentication refused \($m\): chap-secrets line 5 holds only the NT hash \(\"nthash:\"\); $m needs the password" 5
	done
	pretty "nthash: PAP and CHAP-MD5 refused: $(grep -o 'authentication refused (chap).*' "$SRV_LOG" | head -1)"
	stop_server
}

suite_service() {
	# The capabilities the unit leaves pptpkitd, from the unit itself.
	local unit=$PK_ROOT/systemd/pptpkitd.service.in caps setcaps c
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
	[ -n "$caps" ] || fail "no CapabilityBoundingSet= in $unit"
	setcaps=-all
	for c in $caps; do
		c=${c#CAP_}
		setcaps+=",+${c,,}"
	done
	# ip netns exec and setpriv both exec: the PID is pptpkitd's.
	SRV_LOG=$PK_TMP/srv.service.log
	bg $NS_SRV "$SRV_LOG" setpriv --no-new-privs --bounding-set "$setcaps" \
		--inh-caps -all -- "$PKD" --secrets "$PK_TMP/secrets" \
		--pool 198.19.0.0/24 --control-socket "$CTL"
	SRV_PID=$BG_PID
	wait_for_log "$SRV_LOG" "listening on" 10
	local st want have
	st=$(cat /proc/$SRV_PID/status)
	[ "$(awk '/^Name:/ {print $2}' <<<"$st")" = pptpkitd ] ||
		fail "the server process is not pptpkitd: $(head -1 <<<"$st")"
	grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$st" || fail "no_new_privs not set"
	want=0
	for c in $caps; do
		want=$((want | 1 << $(awk -v n="${c,,}" '
			BEGIN { split("chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable net_bind_service net_broadcast net_admin net_raw", a, " ")
			for (i in a) if ("cap_" a[i] == n) print i - 1 }')))
	done
	have=$((16#$(awk '/^CapEff:/ {print $2}' <<<"$st")))
	[ "$have" = "$want" ] || fail "CapEff $(printf %x $have), expected $(printf %x $want) ($caps)"
	have=$((16#$(awk '/^CapBnd:/ {print $2}' <<<"$st")))
	[ "$have" = "$want" ] || fail "CapBnd $(printf %x $have), expected $(printf %x $want)"
	connect $NS_C1 svc alice "$PK_TMP/alice.pw"
	n $NS_C1 ping -c 2 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
		fail "no traffic through a server with the unit's capabilities"
	transfer $NS_C1 $NS_SRV 198.19.0.1 5030 2000000 >/dev/null
	"$PKC" show sessions --control-socket "$CTL" | grep -q alice ||
		fail "show sessions did not list alice"
	pretty "service: pptpkitd with only $caps (CapEff $(printf %x $want)), no_new_privs: session up, 2 MB through"
	disconnect "$CLI_PID"
	stop_server
}

# With sanitizer builds (scripts/test.sh --sanitize) a report in any log
# fails the suite, even if the behaviour looked right.
sanitizer_check() {
	if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
	    "$PK_TMP"/*.log >/dev/null 2>&1; then
		grep -hE -A20 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$PK_TMP"/*.log >&2
		fail "sanitizer report in the logs"
	fi
}

# run_client_expect_fail NAME RC PATTERN [flags...]: a client that must
# exit with RC and say PATTERN.
run_client_expect_fail() {
	local name=$1 want_rc=$2 pattern=$3 rc log
	shift 3
	log=$PK_TMP/cli.$name.log
	set +e
	n $NS_C1 timeout 60 "$PKC" connect 198.18.0.1 --user alice \
		--password-file "$PK_TMP/alice.pw" --ifname pkf "$@" >"$log" 2>&1
	rc=$?
	set -e
	[ "$rc" = "$want_rc" ] || fail "$name: exit code $rc, expected \
$want_rc: $(cat "$log")"
	grep -qE "$pattern" "$log" || fail "$name: no /$pattern/ in: $(cat "$log")"
	pretty "client: $name -> $(grep -E "$pattern" "$log" | head -1 | cut -c1-150)"
}

suite_client() {
	# Nothing listening yet: connection refused, said plainly.
	run_client_expect_fail "refused" 1 "connection refused by 198.18.0.1"

	# chap-secrets readable by everyone, or writable by its group: the
	# server refuses to start; readable by its group: a warning.
	local m out
	for m in 644 620; do
		chmod $m "$PK_TMP/secrets"
		out=$(n $NS_SRV "$PKD" --secrets "$PK_TMP/secrets" \
			--pool 198.19.0.0/24 --control-socket "$CTL" 2>&1) &&
			fail "pptpkitd started with a mode $m chap-secrets"
		echo "$out" | grep -qE "secrets: (readable by every user|writable by its group)" ||
			fail "no clear refusal for mode $m: $out"
	done
	chmod 640 "$PK_TMP/secrets"
	start_server client --max-sessions 2 --mtu 1400
	grep -q "is readable by its group" "$SRV_LOG" ||
		fail "no warning about a group-readable secrets file"
	chmod 600 "$PK_TMP/secrets"
	pretty "client: chap-secrets mode 644/620 refused at start, 640 warned about"

	# MPPE mismatch: we insist on 40-bit, the server on 128.
	run_client_expect_fail "mppe-mismatch" 1 "pptpkit: MPPE required but peer refused" \
		--mppe-bits 40

	# GRE filtered on the path: control works, data never comes back.
	n $NS_SRV iptables -A OUTPUT -p 47 -j DROP
	run_client_expect_fail "gre-blocked" 1 "GRE \(IP protocol 47\) is probably blocked"
	n $NS_SRV iptables -F OUTPUT

	# Routes: one CIDR, and everything (--default-route).
	connect $NS_C1 rt alice "$PK_TMP/alice.pw" --route 198.19.200.0/24 \
		--default-route
	n $NS_C1 ip route get 198.19.200.9 | grep -q "dev pkrt" ||
		fail "--route did not send 198.19.200.0/24 into the tunnel"
	n $NS_C1 ip route get 203.0.113.9 | grep -q "dev pkrt" ||
		fail "--default-route did not take other traffic"
	n $NS_C1 ip route get 198.18.0.1 | grep -q "dev eth0" ||
		fail "--default-route moved the route to the server into the tunnel"
	# TCP MSS clamping: a SYN through the tunnel carries an MSS that fits.
	bg $NS_SRV "$PK_TMP/syn.log" timeout 10 tcpdump -l -c 2 -ni pptp0 \
		'tcp[tcpflags] & tcp-syn != 0'
	sleep 0.5
	transfer $NS_C1 $NS_SRV 198.19.0.1 5010 100000 >/dev/null
	sleep 0.3
	grep -q "mss 1356" "$PK_TMP/syn.log" ||
		fail "MSS not clamped to 1356: $(cat "$PK_TMP/syn.log")"
	disconnect "$CLI_PID"
	n $NS_C1 ip route get 203.0.113.9 2>/dev/null | grep -q pkrt &&
		fail "routes left behind after disconnect"
	pretty "client: --route, --default-route (server kept outside), MSS clamped to 1356, routes removed"

	# Session limit 2: the third client is refused with a clear reason.
	connect $NS_C1 l1 alice "$PK_TMP/alice.pw"
	local l1=$CLI_PID
	connect $NS_C2 l2 bob "$PK_TMP/bob.pw"
	local l2=$CLI_PID
	set +e
	n $NS_C3 timeout 30 "$PKC" connect 198.18.0.1 --user carol \
		--password-file "$PK_TMP/carol.pw" --ifname pkl3 \
		>"$PK_TMP/cli.l3.log" 2>&1
	set -e
	grep -qiE "resource|refused|limit" "$PK_TMP/cli.l3.log" ||
		fail "third client not refused clearly: $(cat "$PK_TMP/cli.l3.log")"
	grep -q "session limit reached" "$SRV_LOG" || fail "server did not log the limit"
	pretty "client: session limit 2 refused the third: $(tail -1 "$PK_TMP/cli.l3.log")"
	disconnect "$l2"

	# SIGHUP reloads chap-secrets without touching the live session.
	printf 'dave * davepw *\n' >>"$PK_TMP/secrets"
	printf 'davepw\n' >"$PK_TMP/dave.pw"
	chmod 600 "$PK_TMP/dave.pw"
	kill -HUP "$SRV_PID"
	wait_for_log "$SRV_LOG" "reloaded 4 users" 5
	connect $NS_C2 dave dave "$PK_TMP/dave.pw"
	local dave=$CLI_PID
	n $NS_C1 ping -c 2 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
		fail "alice's session broke across the reload"
	pretty "client: SIGHUP reloaded chap-secrets; new user connected, existing session kept"
	disconnect "$dave"

	# --reconnect: the server restarts under the client, which comes back.
	stop_server
	start_server client2
	kill -INT "$l1" 2>/dev/null || true
	wait "$l1" 2>/dev/null || true
	connect $NS_C1 rc alice "$PK_TMP/alice.pw" --reconnect
	local rc=$CLI_PID
	stop_server
	wait_for_log "$CLI_LOG" "reconnecting in" 15
	start_server client3
	for _ in $(seq 200); do
		[ "$(grep -c '^connected:' "$CLI_LOG")" -ge 2 ] && break
		sleep 0.1
	done
	[ "$(grep -c '^connected:' "$CLI_LOG")" -ge 2 ] ||
		fail "--reconnect did not come back: $(tail -5 "$CLI_LOG")"
	n $NS_C1 ping -c 2 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
		fail "no traffic after reconnecting"
	pretty "client: --reconnect came back after the server restarted"
	disconnect "$rc"
	stop_server

	# Idle timeout: no IP either way for 2 s ends the session.
	start_server idle --idle-timeout 2
	connect $NS_C1 idle alice "$PK_TMP/alice.pw"
	local idle=$CLI_PID
	wait_for_log "$SRV_LOG" "user=alice .*session [0-9]+: idle timeout" 10
	for _ in $(seq 50); do
		kill -0 "$idle" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$idle" 2>/dev/null || fail "client survived the idle timeout"
	pretty "client: idle timeout ended the session: $(tail -1 "$CLI_LOG")"
	stop_server
}

case $SUITE in
client) suite_client ;;
combos) suite_combos ;;
multi) suite_multi ;;
failures) suite_failures ;;
nthash) suite_nthash ;;
service) suite_service ;;
all) suite_combos; suite_multi; suite_failures; suite_client; suite_nthash
	suite_service ;;
*) fail "unknown suite $SUITE" ;;
esac
sanitizer_check
pretty "netns $SUITE: all checks passed"
