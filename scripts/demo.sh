#!/usr/bin/env bash
# demo.sh - builds pptpkit and shows it working: a PPTP server and client
# in two network namespaces joined by a veth pair, a tunnel up with
# MS-CHAPv2 + MPPE-128, traffic through it, and what the server saw.
# Everything happens in namespaces this script creates and removes; no
# address or route is added to this machine's own network. Needs root.
# Run it as root, or as a user with sudo (it re-runs itself through sudo).
set -euo pipefail
source "$(dirname "$0")/as-root.sh"
pk_as_root "$@"
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Installing build dependencies (Debian packages) and building"
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPK_LWIP_TESTS=OFF \
	>/dev/null
cmake --build build -j "$(nproc)" --target pptpkitd pptpkit >/dev/null
echo "built build/pptpkitd and build/pptpkit"

PK_TAG=pkdemo$$
source tests/netns/lib.sh
netns_setup
CTL=$PK_TMP/pptpkitd.sock
printf 'alice * "correct horse" *\n' >"$PK_TMP/chap-secrets"
chmod 600 "$PK_TMP/chap-secrets"
printf 'correct horse\n' >"$PK_TMP/alice.pw"
chmod 600 "$PK_TMP/alice.pw"

say "Server namespace $NS_SRV (198.18.0.1) runs pptpkitd"
echo "pptpkitd --secrets chap-secrets --pool 198.19.0.0/24 --dns 198.18.0.53"
bg $NS_SRV "$PK_TMP/server.log" build/pptpkitd \
	--secrets "$PK_TMP/chap-secrets" --pool 198.19.0.0/24 \
	--dns 198.18.0.53 --control-socket "$CTL"
wait_for_log "$PK_TMP/server.log" "listening on" 10
sed 's/^/  server| /' "$PK_TMP/server.log"

say "Client namespace $NS_C1 (198.18.0.2) runs pptpkit connect"
echo "pptpkit connect 198.18.0.1 --user alice --password-file alice.pw"
bg $NS_C1 "$PK_TMP/client.log" build/pptpkit connect 198.18.0.1 \
	--user alice --password-file "$PK_TMP/alice.pw"
client_pid=$BG_PID
wait_for_log "$PK_TMP/client.log" '^connected:' 30
sed 's/^/  client| /' "$PK_TMP/client.log"
local_ip=$(connected_field "$PK_TMP/client.log" local)
ifname=$(connected_field "$PK_TMP/client.log" ifname)

say "The client's tunnel interface (a TUN device; no kernel PPP involved)"
n $NS_C1 ip -brief address show dev "$ifname"

say "Ping through the tunnel, both ways"
n $NS_C1 ping -c 3 -i 0.2 198.19.0.1 | tail -2
n $NS_SRV ping -c 3 -i 0.2 "$local_ip" | tail -2

say "A 20 MB TCP transfer through the tunnel, checked with SHA-256"
bg $NS_SRV "$PK_TMP/recv.log" python3 tests/netns/xfer.py recv 5000
sleep 0.3
sent=$(n $NS_C1 python3 tests/netns/xfer.py send 198.19.0.1 5000 20000000)
sleep 0.3
echo "  sent:     $sent (bytes sha256 seconds)"
echo "  received: $(cat "$PK_TMP/recv.log")"
[ "$(echo "$sent" | cut -d' ' -f1,2)" = "$(cat "$PK_TMP/recv.log")" ] ||
	fail "the transfer arrived corrupted"

say "What the server sees: pptpkit show sessions"
build/pptpkit show sessions --control-socket "$CTL"

say "What an eavesdropper on the veth sees during a ping: GRE carrying"
echo "   MPPE ciphertext (RC4, no integrity; the MS-CHAPv2 exchange that keyed"
echo "   it falls to one DES key search)"
bg $NS_SRV "$PK_TMP/tcpdump.log" timeout 5 tcpdump -l -c 4 -ni s1 proto 47
sleep 1
n $NS_C1 ping -c 2 -i 0.2 198.19.0.1 >/dev/null
sleep 0.5
sed 's/^/  /' "$PK_TMP/tcpdump.log" | grep GRE || true

say "Disconnecting (SIGINT to the client)"
kill -INT "$client_pid" 2>/dev/null || true
wait "$client_pid" 2>/dev/null || true
sleep 0.5
sed 's/^/  client| /' "$PK_TMP/client.log" | tail -n 1
grep -E 'session [0-9]+ down|control connection closed' "$PK_TMP/server.log" |
	sed 's/^/  server| /'
say "Done: a PPTP tunnel in user space carried traffic; everything is removed"
