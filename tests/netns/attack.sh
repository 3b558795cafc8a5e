#!/usr/bin/env bash
# attack.sh - pptpkitd against a hostile peer (issue 12): a third
# namespace ("att", lib.sh) without a password tries what an attacker
# would, while a legitimate user (alice, ns c1) logs in and moves data
# whose SHA-256 must match at both ends in every case. Each case checks
# the server's documented "limit KEY: ..." log line and a figure against
# the configured bound. Needs root; bounded (about four minutes).
#
#   preauth    3 connections x 16 unauthenticated calls: at most
#              max-preauth-per-ip slots, connections closed at login-timeout
#   echoflood  Echo-Requests whose replies are never read: connection reset
#              at max-queued-output, server RSS within +16 MiB
#   connflood  1100 connections from 40 addresses: max-connections and
#              max-connections-per-ip hold, idle ones closed, RSS +16 MiB
#   rate       two addresses taking turns get twice one's connect-burst
#   guessing   the source locks after lockout-failures-per-ip; a user
#              guessed at from many addresses locks, but not from its own
#   forge      forged stateless MPPE counts: server CPU and key changes
#              per frame bounded by mppe-rekey-max and mppe-rekey-rate
#   callids    Call IDs of consecutive calls are not sequential
#   spoof      tunnelled packets from another source are dropped, counted
#   ctlsock    control socket mode, peer credentials, client bounds
#   escape     escape sequences in host and user names shown escaped
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
source "$here/helpers.sh"
ATTACK="python3 $here/attack.py"
XFER_BYTES=${PK_ATTACK_XFER_BYTES:-5000000}
RSS_BOUND_KIB=$((16 * 1024))

[ -x "$PKD" ] && [ -x "$PKC" ] || fail "build first: $PKD / $PKC missing"
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
command -v setpriv >/dev/null || fail "setpriv missing (util-linux)"

netns_setup
netns_add_attacker
# The control socket in a directory others may traverse, so that the
# control-group case tests the socket's own mode and the server's check.
mkdir -p "$PK_TMP/ctl"
chmod 711 "$PK_TMP" "$PK_TMP/ctl"
CTL=$PK_TMP/ctl/sock
printf '%s\n' \
	'alice * "alice pw" *' \
	'bob * bobsecret *' \
	'carol * carolpw *' \
	'"e\x1b[1mvil" * evilpw *' >"$PK_TMP/secrets.in"
printf "$(cat "$PK_TMP/secrets.in")\n" >"$PK_TMP/secrets"
chmod 600 "$PK_TMP/secrets"
printf 'alice pw\n' >"$PK_TMP/alice.pw"
printf 'bobsecret\n' >"$PK_TMP/bob.pw"
printf 'wrong guess\n' >"$PK_TMP/wrong.pw"
printf 'evilpw\n' >"$PK_TMP/evil.pw"
chmod 600 "$PK_TMP"/*.pw

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Last JSON line of a log that has key, then its value.
jfield() {
	python3 -c 'import json,sys
v = ""
for l in open(sys.argv[1]):
    l = l.strip()
    if l.startswith("{"):
        d = json.loads(l)
        if sys.argv[2] in d: v = d[sys.argv[2]]
print(v)' "$1" "$2"
}
rss_sampler() {
	: >"$PK_TMP/rss"
	( while kill -0 "$SRV_PID" 2>/dev/null; do
		rss_kib "$SRV_PID" >>"$PK_TMP/rss" 2>/dev/null || break
		sleep 0.1
	done ) &
	SAMPLER=$!
}
rss_peak() {
	kill "$SAMPLER" 2>/dev/null || true
	wait "$SAMPLER" 2>/dev/null || true
	sort -n "$PK_TMP/rss" | tail -1
}
expect_log() {	# expect_log PATTERN WHAT
	grep -qE "$1" "$SRV_LOG" || fail "$2: no /$1/ in the server log: $(tail -5 "$SRV_LOG")"
}
# The legitimate user: logs in and moves XFER_BYTES with matching SHA-256.
legit() {
	connect $NS_C1 "$1" alice "$PK_TMP/alice.pw" "${@:2}"
	LEGIT_PID=$CLI_PID
	LEGIT_RATE=$(transfer $NS_C1 $NS_SRV 198.19.0.1 "$((5100 + RANDOM % 800))" \
		"$XFER_BYTES")
}
stat_of() {	# stat_of KEY: a limits_hit counter from show stats
	"$PKC" show stats --control-socket "$CTL" | python3 -c '
import json, sys
print(json.load(sys.stdin)["limits_hit"][sys.argv[1]])' "$1"
}

# ---------------------------------------------------------------------

case_preauth() {
	start_server preauth --max-sessions 32 --login-timeout 6
	bg $NS_ATT "$PK_TMP/att.preauth.log" $ATTACK preauth --conns 3 \
		--calls 16 --hold 12
	local apid=$BG_PID got
	wait_for_log "$PK_TMP/att.preauth.log" calls_accepted 30
	got=$(jfield "$PK_TMP/att.preauth.log" calls_accepted)
	# max-calls-per-connection (4) and max-preauth-per-ip (8) both bind.
	[ "$got" -le 8 ] || fail "preauth: $got unauthenticated calls taken, max-preauth-per-ip is 8"
	expect_log 'limit max-preauth-per-ip: call refused' preauth
	legit pa
	wait_for_log "$PK_TMP/att.preauth.log" closed_by_server 30
	[ "$(jfield "$PK_TMP/att.preauth.log" closed_by_server)" = 3 ] ||
		fail "preauth: connections not closed at login-timeout: $(cat "$PK_TMP/att.preauth.log")"
	expect_log 'limit login-timeout: control connection closed: no call authenticated within 6 s' preauth
	wait "$apid" 2>/dev/null || true
	disconnect "$LEGIT_PID"
	stop_server
	pretty "preauth: attacker took $got of 48 call slots (bound 8), closed at login-timeout; alice: $LEGIT_RATE, sha256 match"
}

case_echoflood() {
	start_server echoflood
	sleep 0.3
	local base peak res
	base=$(rss_kib "$SRV_PID")
	rss_sampler
	bg $NS_ATT "$PK_TMP/att.echo.log" $ATTACK echoflood \
		--bytes $((32 << 20)) --stall 5 --hold 1
	local apid=$BG_PID
	legit ef
	wait "$apid" 2>/dev/null || true
	peak=$(rss_peak)
	res=$(jfield "$PK_TMP/att.echo.log" closed)
	case $res in ECONNRESET|EPIPE) ;; *)
		fail "echoflood: the connection was not reset: $(cat "$PK_TMP/att.echo.log")" ;;
	esac
	expect_log 'limit max-queued-output: control connection closed: the peer is not reading' echoflood
	[ $((peak - base)) -le $RSS_BOUND_KIB ] ||
		fail "echoflood: RSS grew from $base to $peak KiB (bound +$RSS_BOUND_KIB)"
	disconnect "$LEGIT_PID"
	stop_server
	pretty "echoflood: reset after $(jfield "$PK_TMP/att.echo.log" sent) bytes; RSS $base -> $peak KiB (bound +16 MiB); alice: $LEGIT_RATE, sha256 match"
}

case_connflood() {
	# Rate limit out of the way here: this case is about the caps.
	start_server connflood --max-connections 256 \
		--max-preauth-connections 128 --max-connections-per-ip 16 \
		--connect-rate 1000 --connect-burst 1000 --login-timeout 20
	sleep 0.3
	local base peak srcs one ans apid live
	base=$(rss_kib "$SRV_PID")
	rss_sampler
	# One address: max-connections-per-ip.
	n $NS_ATT $ATTACK --src 198.18.3.2 connflood --count 100 --wait 5 \
		--hold 0 >"$PK_TMP/att.one.log"
	one=$(jfield "$PK_TMP/att.one.log" answered)
	[ "$one" = 16 ] || fail "connflood: one address got $one connections, max-connections-per-ip is 16"
	expect_log 'limit max-connections-per-ip: connection refused' connflood
	# 1100 from 40 addresses (640 within max-connections-per-ip):
	# max-preauth-connections, then the login deadline.
	srcs=$(seq -s, -f '198.18.3.%g' 10 49)
	bg $NS_ATT "$PK_TMP/att.flood.log" $ATTACK --src "$srcs" connflood \
		--count 1100 --wait 5 --hold 30
	apid=$BG_PID
	wait_for_log "$PK_TMP/att.flood.log" '"answered"' 60
	ans=$(jfield "$PK_TMP/att.flood.log" answered)
	live=$("$PKC" show stats --control-socket "$CTL" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])')
	[ "$live" -le 128 ] || fail "connflood: $live connections open, max-preauth-connections is 128"
	expect_log 'limit max-preauth-connections: connection refused' connflood
	# At the cap (topped up: the first flood's connections may still
	# have been closing), alice still gets in: the oldest stranger makes
	# room once it is 2 s old.
	sleep 2.5
	n $NS_ATT $ATTACK --src 198.18.3.2 connflood --count 16 --wait 3 \
		--hold 0 >/dev/null
	legit cf
	expect_log 'limit max-connections: closing the oldest connection without an authenticated call .* \(max-preauth-connections\)' connflood
	wait_for_log "$PK_TMP/att.flood.log" still_open 60
	[ "$(jfield "$PK_TMP/att.flood.log" still_open)" = 0 ] ||
		fail "connflood: idle connections outlived login-timeout: $(tail -1 "$PK_TMP/att.flood.log")"
	expect_log 'limit login-timeout: control connection closed' connflood
	wait "$apid" 2>/dev/null || true
	peak=$(rss_peak)
	[ $((peak - base)) -le $RSS_BOUND_KIB ] ||
		fail "connflood: RSS grew from $base to $peak KiB (bound +$RSS_BOUND_KIB)"
	disconnect "$LEGIT_PID"
	stop_server
	pretty "connflood: one address $one/100 (bound 16), 40 addresses: $ans/1100 answered, $live open at once (bound 128), all idle ones closed at login-timeout; RSS $base -> $peak KiB; alice: $LEGIT_RATE, sha256 match"
}

case_rate() {
	start_server rate
	# 198.18.3.10 and .11 shared a bucket of the old limiter (it hashed
	# only part of the address and reset a bucket on a collision).
	local got
	n $NS_ATT $ATTACK --src 198.18.3.10,198.18.3.11 rate --count 100 \
		>"$PK_TMP/att.rate.log"
	got=$(jfield "$PK_TMP/att.rate.log" answered)
	# connect-burst 20 each, plus what the refill adds during the run.
	[ "$got" -ge 40 ] && [ "$got" -le 46 ] ||
		fail "rate: $got of 100 alternating connections through, expected 40..46: $(cat "$PK_TMP/att.rate.log")"
	expect_log 'limit connect-rate: connection refused: more than 20 new connections per second' rate
	legit rt
	disconnect "$LEGIT_PID"
	stop_server
	pretty "rate: two alternating addresses got $got of 100 (2 x burst 20); alice: $LEGIT_RATE, sha256 match"
}

guess() {	# guess SRC USER PWFILE: one login attempt from the attacker
	n $NS_ATT ip route replace 198.18.0.1/32 dev eth0 src "$1"
	n $NS_ATT timeout 20 "$PKC" connect 198.18.0.1 --user "$2" \
		--password-file "$3" --ifname pkg >>"$PK_TMP/att.guess.log" 2>&1 || true
}

case_guessing() {
	start_server guessing
	local i checked
	# Per user: carol, who never logged in, guessed at from one address:
	# locked after lockout-failures-per-user (5).
	for i in $(seq 7); do
		guess 198.18.3.2 carol "$PK_TMP/wrong.pw"
	done
	checked=$(grep -c 'user=carol peer=198.18.3.2 .*authentication refused (mschapv2): wrong password' "$SRV_LOG" || true)
	[ "$checked" = 5 ] || fail "guessing: $checked guesses at carol checked, lockout-failures-per-user is 5"
	# Per address: a spray over many names locks the address after
	# lockout-failures-per-ip (10): 5 failures so far, 5 more names.
	for i in $(seq 8); do
		guess 198.18.3.2 "user$i" "$PK_TMP/wrong.pw"
	done
	checked=$(grep -cE 'peer=198.18.3.2 .*authentication refused \(mschapv2\): (wrong password|unknown user)' "$SRV_LOG" || true)
	[ "$checked" = 10 ] || fail "guessing: $checked guesses checked, lockout-failures-per-ip is 10"
	expect_log 'limit lockout-failures-per-ip: address locked out for 60 s after 10 failed logins' guessing
	expect_log 'limit lockout-failures-per-ip: connection refused: address locked out' guessing
	# Per user: bob logs in from c2, then five addresses guess at him.
	connect $NS_C2 bob bob "$PK_TMP/bob.pw"
	disconnect "$CLI_PID"
	for i in 20 21 22 23 24; do
		guess 198.18.3.$i bob "$PK_TMP/wrong.pw"
	done
	expect_log 'user=bob .*limit lockout-failures-per-user: user locked out for 60 s after 5 failed logins' guessing
	# Now even the right password is refused from a new address ...
	guess 198.18.3.25 bob "$PK_TMP/bob.pw"
	expect_log 'user=bob peer=198.18.3.25 .*authentication refused without checking: this user locked out' guessing
	# ... but not from bob's own, nor for alice.
	connect $NS_C2 bob2 bob "$PK_TMP/bob.pw"
	disconnect "$CLI_PID"
	legit gs
	disconnect "$LEGIT_PID"
	n $NS_ATT ip route del 198.18.0.1/32 2>/dev/null || true
	stop_server
	pretty "guessing: 7 guesses at carol, 5 checked; 15 from one address, 10 checked before it locked; bob locked for new addresses, not his own; alice: $LEGIT_RATE, sha256 match"
}

case_forge() {
	start_server forge --mppe-stateful deny
	connect $NS_C1 fg alice "$PK_TMP/alice.pw" --mppe-stateful deny
	LEGIT_PID=$CLI_PID
	local id t0 t1 t2 k0 k1 k2 per_r per_p
	id=$(session_field alice call_id)
	# Alice's own traffic first: a sender under load skips counts, and
	# that must never hit the rekey limits.
	transfer $NS_C1 $NS_SRV 198.19.0.1 5300 30000000 >/dev/null
	[ "$(session_field alice mppe_rekey_capped)" = 0 ] ||
		fail "forge: alice's own packets were capped: $(session_field alice mppe_rekey_capped)"
	k0=$(session_field alice mppe_rekeys)
	# The forged frames also move the call's GRE sequence (a spoofer who
	# knows the Call ID can always do that: GRE has no authentication);
	# alice's own traffic brings it back (GRE_RX_RESYNC_STRIKES), as on
	# any session in use.
	bg $NS_C1 "$PK_TMP/fg.ping" ping -q -c 200 -i 0.05 -W 1 198.19.0.1
	local ppid=$BG_PID
	sleep 0.5
	t0=$(cpu_ticks "$SRV_PID")
	n $NS_ATT $ATTACK forge --spoof 198.18.0.2 --call-id "$id" --count 300 \
		--seed 7 >/dev/null
	sleep 0.5
	t1=$(cpu_ticks "$SRV_PID")
	k1=$(session_field alice mppe_rekeys)
	n $NS_ATT $ATTACK forge --spoof 198.18.0.2 --call-id "$id" --count 300 \
		--seed 8 --replay >/dev/null
	sleep 0.5
	t2=$(cpu_ticks "$SRV_PID")
	k2=$(session_field alice mppe_rekeys)
	wait "$ppid" 2>/dev/null || true
	# Random far counts: at most the cap each, 4096 in a burst plus
	# 1024/s beyond one per frame; replays of one frame: nothing.
	[ $((k1 - k0)) -le $((4096 + 300 + 1024 * 3)) ] ||
		fail "forge: $((k1 - k0)) key changes for 300 forged frames"
	[ $((k2 - k1)) -le $((300 + 1024 * 3)) ] ||
		fail "forge: $((k2 - k1)) key changes for 300 replays"
	[ "$(session_field alice mppe_rekey_capped)" -gt 0 ] ||
		fail "forge: no frame was capped"
	# CPU: 10 ms ticks; at most 0.5 ms per forged frame on average (the
	# old receiver took ~5 ms each); alice's ping is in there too.
	[ $((t1 - t0)) -le 15 ] && [ $((t2 - t1)) -le 15 ] ||
		fail "forge: CPU $((t1 - t0)) / $((t2 - t1)) ticks for 300 frames"
	expect_log 'limit mppe-rekey: stateless packet needs more key changes than allowed now' forge
	per_r=$(python3 -c "print('%.3f' % (($t1 - $t0) * 10 / 300))")
	per_p=$(python3 -c "print('%.3f' % (($t2 - $t1) * 10 / 300))")
	LEGIT_RATE=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5301 "$XFER_BYTES")
	disconnect "$LEGIT_PID"
	stop_server
	pretty "forge: 300 random counts: $((k1 - k0)) key changes, <= $per_r ms CPU/frame; 300 replays: $((k2 - k1)) key changes, <= $per_p ms/frame; alice: $LEGIT_RATE, sha256 match"
}

case_callids() {
	start_server callids
	connect $NS_C1 ci alice "$PK_TMP/alice.pw"
	LEGIT_PID=$CLI_PID
	local seq near
	n $NS_ATT $ATTACK callids --count 20 --pause 0.1 >"$PK_TMP/att.ids.log"
	seq=$(jfield "$PK_TMP/att.ids.log" sequential)
	near=$(jfield "$PK_TMP/att.ids.log" near)
	[ "$(python3 -c "import json;print(len(json.load(open('$PK_TMP/att.ids.log'))['ids']))")" = 20 ] ||
		fail "callids: not 20 calls: $(cat "$PK_TMP/att.ids.log")"
	[ "$seq" = 0 ] && [ "$near" -le 1 ] ||
		fail "callids: predictable IDs: $(cat "$PK_TMP/att.ids.log")"
	LEGIT_RATE=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5302 "$XFER_BYTES")
	disconnect "$LEGIT_PID"
	stop_server
	pretty "callids: 20 consecutive IDs, none +1 of the previous, $near within 64; alice: $LEGIT_RATE, sha256 match"
}

case_spoof() {
	start_server spoof --ipv6 yes
	connect $NS_C1 sp alice "$PK_TMP/alice.pw" --ipv6
	LEGIT_PID=$CLI_PID
	# IPv6: a global source the client was never given.
	n $NS_C1 ip -6 addr add 2001:db8::5/128 dev pksp nodad
	n $NS_C1 python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"pksp")
s.bind(("2001:db8::5", 0))
for i in range(3):
    s.sendto(bytes([128, 0, 0, 0, 0, 1, 0, i]), ("ff02::1", 0, 0, socket.if_nametoindex("pksp")))'
	n $NS_SRV iptables -I INPUT -s 198.19.0.200 -j ACCEPT
	n $NS_C1 ip addr add 198.19.0.200/32 dev pksp
	n $NS_C1 ping -q -c 5 -i 0.2 -W 1 -I 198.19.0.200 198.19.0.1 \
		>/dev/null 2>&1 || true
	local got drops
	got=$(n $NS_SRV iptables -L INPUT -v -x -n | awk '/198.19.0.200/ {print $1}')
	n $NS_SRV iptables -D INPUT -s 198.19.0.200 -j ACCEPT
	[ "$got" = 0 ] || fail "spoof: $got packets from 198.19.0.200 reached the server"
	sleep 0.5
	drops=$(session_field alice spoofed_drops)
	[ "$drops" -ge 8 ] || fail "spoof: spoofed_drops $drops, expected >= 8 (5 IPv4 + 3 IPv6)"
	expect_log 'limit anti-spoofing: packet from 198.19.0.200 dropped' spoof
	expect_log 'limit anti-spoofing: packet from 2001:db8::5 dropped' spoof
	n $NS_C1 ping -q -c 3 -i 0.2 -W 2 198.19.0.1 >/dev/null ||
		fail "spoof: alice's own address no longer works"
	LEGIT_RATE=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5303 "$XFER_BYTES")
	disconnect "$LEGIT_PID"
	stop_server
	pretty "spoof: 0 of 5 spoofed IPv4 packets reached the server, $drops dropped and counted (IPv6 too); alice: $LEGIT_RATE, sha256 match"
}

case_ctlsock() {
	start_server ctlsock --control-group 4242 --control-timeout 2 \
		--max-control-clients 4
	connect $NS_C1 cs alice "$PK_TMP/alice.pw"
	LEGIT_PID=$CLI_PID
	local mode out
	mode=$(stat -c '%a %g' "$CTL")
	[ "$mode" = "660 4242" ] || fail "ctlsock: socket mode/group $mode, expected 660 4242"
	# Not root, not in the group: the socket's mode keeps it out.
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PKC" show sessions --control-socket "$CTL" 2>&1) &&
		fail "ctlsock: uid 65534 read the sessions: $out"
	# In the group (supplementary): served.
	setpriv --reuid 65534 --regid 65534 --groups 4242 \
		"$PKC" show sessions --json --control-socket "$CTL" | grep -q '"user":"alice"' ||
		fail "ctlsock: a member of control-group was not served"
	# A socket someone made 0666: the server's credential check remains.
	chmod 666 "$CTL"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PKC" show sessions --json --control-socket "$CTL" 2>&1) &&
		fail "ctlsock: uid 65534 was served on a 0666 socket: $out"
	echo "$out" | grep -q 'permission denied' || fail "ctlsock: no refusal: $out"
	expect_log 'control client refused: uid=65534 gid=65534 is neither root nor in control-group' ctlsock
	# Idle clients: at most 4, each closed after control-timeout.
	python3 - "$CTL" <<'EOF' || fail "ctlsock: idle clients not bounded"
import socket, sys, time
socks = []
for i in range(6):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
time.sleep(0.5)
closed_now = 0
for s in socks[4:]:
    s.settimeout(1)
    if s.recv(100) == b"":
        closed_now += 1
time.sleep(2.5)
closed_later = 0
for s in socks[:4]:
    s.settimeout(1)
    try:
        if s.recv(100) == b"":
            closed_later += 1
    except socket.timeout:
        pass
sys.exit(0 if (closed_now, closed_later) == (2, 4) else 1)
EOF
	expect_log 'limit max-control-clients: control client refused: 4 clients already' ctlsock
	expect_log 'limit max-control-clients: control client closed: no request within 2 s' ctlsock
	# kill takes an ID; a name needs --user.
	"$PKC" kill alice --control-socket "$CTL" 2>/dev/null &&
		fail "ctlsock: 'kill alice' was taken as a session ID"
	LEGIT_RATE=$(transfer $NS_C1 $NS_SRV 198.19.0.1 5304 "$XFER_BYTES")
	"$PKC" kill --user alice --control-socket "$CTL" >/dev/null ||
		fail "ctlsock: kill --user alice failed"
	wait_for_log "$SRV_LOG" 'user=alice .*killed by the administrator' 5
	disconnect "$LEGIT_PID"
	stop_server
	pretty "ctlsock: socket 0660 group 4242 from creation; outsider refused (mode, then SO_PEERCRED on a 0666 socket); group member served; 4 clients max, idle ones closed; alice: $LEGIT_RATE, sha256 match"
}

case_escape() {
	start_server escape
	n $NS_ATT $ATTACK hostname >/dev/null
	n $NS_ATT timeout 20 "$PKC" connect 198.18.0.1 \
		--user "$(printf 'x\033[31mevil')" --password-file "$PK_TMP/wrong.pw" \
		--ifname pke >/dev/null 2>&1 || true
	connect $NS_C2 ev "$(printf 'e\033[1mvil')" "$PK_TMP/evil.pw"
	local evil=$CLI_PID raw
	"$PKC" show sessions --control-socket "$CTL" >"$PK_TMP/show.txt"
	"$PKC" show sessions --json --control-socket "$CTL" >>"$PK_TMP/show.txt"
	raw=$(cat "$SRV_LOG" "$PK_TMP/show.txt" | tr -cd '\033' | wc -c)
	[ "$raw" = 0 ] || fail "escape: $raw raw ESC bytes in the log or show sessions"
	grep -qF 'user=x\x1b[31mevil' "$SRV_LOG" ||
		fail "escape: the user name is not shown escaped in the log"
	grep -qF 'e\\x1b[1mvil' "$PK_TMP/show.txt" ||
		fail "escape: show sessions does not show the name escaped: $(cat "$PK_TMP/show.txt")"
	grep -q 'peer "?\[2J?\[31mPWNED' "$SRV_LOG" ||
		fail "escape: host name not shown printable"
	legit es
	disconnect "$evil"
	disconnect "$LEGIT_PID"
	stop_server
	pretty "escape: no raw ESC in the log or show sessions; names shown escaped; alice: $LEGIT_RATE, sha256 match"
}

CASES=${*:-preauth echoflood connflood rate guessing forge callids spoof ctlsock escape}
for c in $CASES; do
	case_$c
done
sanitizer_check
pretty "netns attack: all checks passed"
