# helpers.sh - the server, client and transfer steps the netns suites
# share (run.sh, attack.sh). Source after lib.sh and netns_setup; expects
# $CTL (control socket path) and $PK_TMP/secrets.

XFER="python3 $(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/xfer.py"

SRV_PID=
start_server() {
	SRV_LOG=$PK_TMP/srv.$1.log
	shift
	bg $NS_SRV "$SRV_LOG" "$PKD" --secrets "$PK_TMP/secrets" \
		--pool 198.19.0.0/24 --dns 198.18.0.53 --control-socket "$CTL" \
		--echo-interval 5 --lcp-echo-interval 1 --lcp-echo-failures 3 "$@"
	SRV_PID=$BG_PID
	wait_for_log "$SRV_LOG" "listening on" 10
}

stop_server() {
	kill -TERM "$SRV_PID" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$SRV_PID" 2>/dev/null || fail "pptpkitd ignored SIGTERM"
	wait "$SRV_PID" 2>/dev/null || true
}

# connect NS NAME USER PWFILE [flags...]: starts a client, waits for
# "connected:", sets CLI_PID and CLI_LOG.
connect() {
	local ns=$1 name=$2 user=$3 pw=$4
	shift 4
	CLI_LOG=$PK_TMP/cli.$name.log
	bg "$ns" "$CLI_LOG" "$PKC" connect 198.18.0.1 --user "$user" \
		--password-file "$pw" --ifname "pk$name" "$@"
	CLI_PID=$BG_PID
	wait_for_log "$CLI_LOG" '^connected:' 30
}

disconnect() {
	kill -INT "$1" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$1" 2>/dev/null || fail "pptpkit connect ignored SIGINT"
	wait "$1" 2>/dev/null || true
}

# transfer FROM_NS TO_NS TO_ADDR PORT BYTES: TCP through the tunnel; both
# ends' SHA-256 must match.
transfer() {
	local from=$1 to=$2 addr=$3 port=$4 bytes=$5 rlog sent got
	rlog=$PK_TMP/recv.$port.log
	local rpid
	bg "$to" "$rlog" $XFER recv "$port"
	rpid=$BG_PID
	sleep 0.3
	sent=$(n "$from" $XFER send "$addr" "$port" "$bytes") ||
		fail "transfer to $addr:$port failed"
	wait "$rpid" 2>/dev/null || true
	got=$(cat "$rlog")
	[ "$(echo "$sent" | cut -d' ' -f1,2)" = "$got" ] ||
		fail "transfer mismatch: sent '$sent' received '$got'"
	echo "$sent" | awk '{printf "%.1f MB/s", $1 / $3 / 1e6}'
}

session_field() {	# session_field USER FIELD -> value from show --json
	"$PKC" show sessions --json --control-socket "$CTL" | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s["user"] == sys.argv[1]:
        print(s.get(sys.argv[2], "")); break
' "$1" "$2"
}

session_count() {
	"$PKC" show sessions --json --control-socket "$CTL" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
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
