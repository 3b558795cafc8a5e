#!/usr/bin/env bash
# run.sh - pptpkit's RADIUS core against a real FreeRADIUS 3.2 (CTest
# radius.freeradius). Needs root: everything runs on the loopback of a
# network namespace this script creates.
#
#   ns "$PK_TAG-rad", lo 127.0.0.1:
#     freeradius -X -d $TMP/raddb  (1812 auth, 1813 acct; its own
#       radiusd.conf, users, clients with require_message_authenticator)
#     build/radtest_client auth|acct   (pptpkit's codec + client machine)
#     build/radtest_client dae 3799    <- radclient Disconnect/CoA
#
# FreeRADIUS is started by PID and stopped by PID; the namespace and the
# temporary directory go at exit (PK_KEEP_TMP=1 keeps the logs). A missing
# tool is a failure, not a skip.
set -u
PK_ROOT=${PK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PK_BUILD=${PK_BUILD:-$PK_ROOT/build}
PK_TAG=${PK_TAG:-pk$$}
NS=$PK_TAG-rad
TMP=$(mktemp -d /tmp/pptpkit-radius.XXXXXX)
D=$TMP/raddb
SECRET=pptpkit-test-secret
RT=$PK_BUILD/radtest_client
PIDS=()
FAILED=0

pretty() { echo -e "\x1b[32m\x1b[1m[+] $*\x1b[0m" >&2; }
fail() { echo -e "\x1b[31m\x1b[1m[!] FAIL: $*\x1b[0m" >&2; FAILED=1; }
die() { fail "$*"; exit 1; }
n() { ip netns exec "$NS" "$@"; }

cleanup() {
	local pid
	set +e
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	sleep 0.3
	for pid in "${PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	if [ "$FAILED" != 0 ] && [ -f "$TMP/freeradius.out" ]; then
		echo "--- freeradius -X (last 60 lines)" >&2
		tail -n 60 "$TMP/freeradius.out" >&2
	fi
	if [ "${PK_KEEP_TMP:-0}" = 1 ]; then
		echo "logs kept in $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT

wait_for() {
	local file=$1 pattern=$2 timeout=${3:-20} i
	for ((i = 0; i < timeout * 10; i++)); do
		grep -qE "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

for tool in freeradius radclient ip; do
	command -v "$tool" >/dev/null || die "$tool not installed (scripts/deps.sh)"
done
[ -x "$RT" ] || die "$RT not built"
if [ ! -d /usr/lib/freeradius ] || [ ! -f /usr/share/freeradius/dictionary ]; then
	die "FreeRADIUS modules or dictionary missing"
fi

mkdir -p "$D/log" "$D/acct" "$D/run"
# An empty local dictionary: everything comes from /usr/share/freeradius.
: >"$D/dictionary"
cat >"$D/radiusd.conf" <<EOF
# A self-contained FreeRADIUS for pptpkit's RADIUS test.
prefix = /usr
exec_prefix = /usr
sysconfdir = $D
localstatedir = $D
sbindir = /usr/sbin
logdir = $D/log
raddbdir = $D
radacctdir = $D/acct
name = radiusd
confdir = $D
modconfdir = $D
run_dir = $D/run
db_dir = $D
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = $D/run/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {
	# freeradius -X writes to stdout; auth lines show logins there.
	destination = files
	file = $D/log/radius.log
	auth = yes
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}
thread pool {
	start_servers = 2
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 2
	max_requests_per_server = 0
}
client local {
	ipaddr = 127.0.0.1
	secret = $SECRET
	# BlastRADIUS: Access-Requests without one are dropped.
	require_message_authenticator = yes
}
modules {
	pap {
		normalise = yes
	}
	chap {
	}
	mschap {
		use_mppe = yes
		require_encryption = yes
		require_strong = yes
	}
	files {
		filename = $D/users
	}
	detail {
		filename = $D/acct/detail
		permissions = 0600
		header = "%t"
		locking = no
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = 1812
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = 1813
	}
	authorize {
		files
		chap
		mschap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type MS-CHAP {
			mschap
		}
	}
	accounting {
		detail
	}
	# FreeRADIUS 3.2.1 (Debian 12) predates the BlastRADIUS fix of
	# 3.2.5 and puts no Message-Authenticator in a PAP/CHAP/MS-CHAP
	# reply unless told to; "nomauser" is left without one on purpose.
	post-auth {
		if (User-Name != "nomauser") {
			update reply {
				Message-Authenticator := 0x00
			}
		}
		Post-Auth-Type REJECT {
			update reply {
				Message-Authenticator := 0x00
			}
		}
	}
}
EOF
cat >"$D/users" <<'EOF'
papuser Cleartext-Password := "pappass"
	Framed-IP-Address = 198.19.7.7,
	Class = "pptpkit-class",
	Session-Timeout = 3600,
	Mikrotik-Rate-Limit = "1M/2M"

chapuser Cleartext-Password := "chappass"

msuser Cleartext-Password := "mspass"
	MS-Primary-DNS-Server = 198.18.9.9

nomauser Cleartext-Password := "nomapass"
EOF

ip netns add "$NS" || die "cannot create namespace $NS"
n ip link set lo up

pretty "starting FreeRADIUS in $NS"
ip netns exec "$NS" freeradius -X -d "$D" >"$TMP/freeradius.out" 2>&1 &
FR_PID=$!
PIDS+=("$FR_PID")
wait_for "$TMP/freeradius.out" "Ready to process requests" 30 ||
	die "FreeRADIUS did not start"
freeradius_version=$(freeradius -v 2>/dev/null | head -n 1)
pretty "$freeradius_version (pid $FR_PID)"

pretty "authentication: PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2"
if ! n "$RT" auth 127.0.0.1 "$SECRET" >"$TMP/auth.out" 2>&1; then
	cat "$TMP/auth.out" >&2
	die "radtest_client auth failed"
fi
cat "$TMP/auth.out"
# FreeRADIUS's view of the same: logins, and exactly one request
# dropped for want of a Message-Authenticator (the client's control
# packet, built without one on purpose): ours all carried a valid one.
grep -q "Login OK: \[papuser" "$TMP/freeradius.out" ||
	fail "FreeRADIUS did not log papuser's login"
grep -q "Login OK: \[msuser" "$TMP/freeradius.out" ||
	fail "FreeRADIUS did not log msuser's login"
nma=$(grep -c "does not contain required Message-Authenticator" \
    "$TMP/freeradius.out")
[ "$nma" = 1 ] ||
	fail "FreeRADIUS dropped $nma requests for a missing Message-Authenticator, want 1"

SID=$(printf '%08X%08X' "$(date +%s)" $$)
pretty "accounting: On, Start, Interim-Update, Stop (session $SID)"
if ! n "$RT" acct 127.0.0.1 "$SECRET" "$SID" >"$TMP/acct.out" 2>&1; then
	cat "$TMP/acct.out" >&2
	die "radtest_client acct failed"
fi
cat "$TMP/acct.out"
detail=$D/acct/detail
[ -s "$detail" ] || die "no detail file"
for want in \
    "Acct-Status-Type = Accounting-On" \
    "Acct-Status-Type = Start" \
    "Acct-Status-Type = Interim-Update" \
    "Acct-Status-Type = Stop" \
    "Acct-Session-Id = \"$SID\"" \
    "Acct-Input-Octets = 1234" \
    "Acct-Input-Gigawords = 5" \
    "Acct-Output-Octets = 98765" \
    "Acct-Session-Time = 42" \
    "Acct-Terminate-Cause = Admin-Reset" \
    "Acct-Delay-Time = 0" \
    "Class = 0x707074706b69742d636c617373" \
    "Framed-IP-Address = 198.19.7.7" \
    "NAS-Identifier = \"pptpkit-radtest\""; do
	grep -qF "$want" "$detail" || fail "detail file lacks: $want"
done
stops=$(grep -c "Acct-Status-Type = Stop" "$detail")
[ "$stops" = 1 ] || fail "detail file holds $stops Stop records, want 1"

pretty "dynamic authorization: radclient -> pptpkit's DAE parser"
ip netns exec "$NS" "$RT" dae 3799 "$SECRET" 4 >"$TMP/dae.out" 2>&1 &
DAE_PID=$!
PIDS+=("$DAE_PID")
wait_for "$TMP/dae.out" "dae: listening" 10 || die "DAE listener did not start"
rc() {
	local out=$1 kind=$2 secret=$3 attrs=$4
	echo "$attrs" | n radclient -x -r 1 -t 2 127.0.0.1:3799 "$kind" \
	    "$secret" >"$TMP/$out" 2>&1
}
rc dis_ok disconnect "$SECRET" \
    'User-Name = "papuser", Acct-Session-Id = "5EED0001", NAS-Identifier = "pptpkit-radtest"'
grep -q "Received Disconnect-ACK" "$TMP/dis_ok" ||
	{ cat "$TMP/dis_ok" >&2; fail "Disconnect-Request not ACKed"; }
rc dis_nak disconnect "$SECRET" 'User-Name = "nobody"'
if ! grep -q "Received Disconnect-NAK" "$TMP/dis_nak" ||
    ! grep -q "Error-Cause = Session-Context-Not-Found" "$TMP/dis_nak"; then
	cat "$TMP/dis_nak" >&2
	fail "unknown session not NAKed with 503"
fi
rc coa_ok coa "$SECRET" 'User-Name = "papuser", Session-Timeout = 120'
grep -q "Received CoA-ACK" "$TMP/coa_ok" ||
	{ cat "$TMP/coa_ok" >&2; fail "CoA-Request not ACKed"; }
rc dis_bad disconnect "wrong-secret" 'User-Name = "papuser"'
grep -q "Received" "$TMP/dis_bad" &&
	fail "a request with the wrong secret was answered"
wait "$DAE_PID" || fail "DAE listener exited with an error"
cat "$TMP/dae.out"
grep -q "session-timeout=120" "$TMP/dae.out" ||
	fail "CoA Session-Timeout not seen"
grep -q "dropped: authentication failed" "$TMP/dae.out" ||
	fail "wrong-secret request not dropped"

pretty "stopping FreeRADIUS (pid $FR_PID)"
kill -TERM "$FR_PID"
for ((i = 0; i < 50; i++)); do
	kill -0 "$FR_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$FR_PID" 2>/dev/null && fail "FreeRADIUS did not stop"

if grep -q "^FAIL" "$TMP/auth.out" "$TMP/acct.out"; then
	fail "radtest_client reported failures"
fi
[ "$FAILED" = 0 ] || exit 1
pretty "radius.freeradius: all checks passed"
