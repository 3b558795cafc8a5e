# lib.sh - network namespace helpers for pptpkit's end-to-end tests (after
# WireGuard's netns.sh). Source it, call netns_setup, and everything is
# torn down by the EXIT trap: namespaces, the processes started in them
# (by PID) and temporary files. All addresses are in 198.18.0.0/15
# (RFC 2544); nothing is added to the root namespace.
#
#                 ns "srv" (pptpkitd)
#                 veth s1: 198.18.0.1/24   veth s2: 198.18.1.1/24
#                        |                        |
#     ns "c1" (pptpkit)  veth: 198.18.0.2/24      |
#                                          ns "nat" 198.18.1.2/24 (outside)
#                                          MASQUERADE + PPTP conntrack helper
#                                                 198.18.2.1/24 (inside)
#                                                 |
#                                          ns "c2" (pptpkit) 198.18.2.2/24
#                                          ns "c3" (pptpkit) 198.18.2.3/24
#
#     ns "att" (attack.sh only, netns_add_attacker): veth 198.18.3.2/24 and
#     198.18.3.10-49 on the side, to veth s3 198.18.3.1/24 of "srv"
#
# Tunnel addresses come from the server's pool 198.19.0.0/24.

set -u
PK_TAG=${PK_TAG:-pk$$}
NS_SRV=$PK_TAG-srv
NS_C1=$PK_TAG-c1
NS_NAT=$PK_TAG-nat
NS_C2=$PK_TAG-c2
NS_C3=$PK_TAG-c3
NS_ATT=$PK_TAG-att
PK_TMP=$(mktemp -d /tmp/pptpkit-test.XXXXXX)
PK_PIDS=()
PK_ROOT=${PK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PK_BUILD=${PK_BUILD:-$PK_ROOT/build}
PKD=$PK_BUILD/pptpkitd
PKC=$PK_BUILD/pptpkit

n() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

pretty() { echo -e "\x1b[32m\x1b[1m[+] $*\x1b[0m" >&2; }
fail() { echo -e "\x1b[31m\x1b[1m[!] FAIL: $*\x1b[0m" >&2; exit 1; }

# Starts a command in the background in a namespace and sets BG_PID; the
# PID is recorded so cleanup ends exactly what we started. (Not meant for
# $(...): a subshell would lose both.)
bg() {
	local ns=$1 log=$2; shift 2
	# Truncate here, not in the background job's redirection: a caller
	# that waits for a line must never see the previous run's log (the
	# job's own ">" happens after fork, possibly after the first grep).
	: >"$log"
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	BG_PID=$!
	PK_PIDS+=($BG_PID)
}

netns_cleanup() {
	local pid
	set +e
	for pid in "${PK_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	sleep 0.3
	for pid in "${PK_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in $NS_SRV $NS_C1 $NS_NAT $NS_C2 $NS_C3 $NS_ATT; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "${PK_KEEP_TMP:-0}" = 1 ]; then
		echo "logs kept in $PK_TMP" >&2
	else
		rm -rf "$PK_TMP"
	fi
}

netns_setup() {
	trap netns_cleanup EXIT
	for ns in $NS_SRV $NS_C1 $NS_NAT $NS_C2 $NS_C3; do
		ip netns add "$ns"
		n "$ns" ip link set lo up
	done
	ip link add s1 netns "$NS_SRV" type veth peer name eth0 netns "$NS_C1"
	ip link add s2 netns "$NS_SRV" type veth peer name out0 netns "$NS_NAT"
	ip link add in0 netns "$NS_NAT" type veth peer name eth0 netns "$NS_C2"
	ip link add in1 netns "$NS_NAT" type veth peer name eth0 netns "$NS_C3"
	n $NS_SRV ip addr add 198.18.0.1/24 dev s1
	n $NS_SRV ip addr add 198.18.1.1/24 dev s2
	n $NS_C1 ip addr add 198.18.0.2/24 dev eth0
	n $NS_NAT ip addr add 198.18.1.2/24 dev out0
	n $NS_NAT ip link add br0 type bridge
	n $NS_NAT ip link set in0 master br0
	n $NS_NAT ip link set in1 master br0
	n $NS_NAT ip addr add 198.18.2.1/24 dev br0
	n $NS_C2 ip addr add 198.18.2.2/24 dev eth0
	n $NS_C3 ip addr add 198.18.2.3/24 dev eth0
	for pair in "$NS_SRV s1" "$NS_SRV s2" "$NS_C1 eth0" "$NS_NAT out0" \
	    "$NS_NAT in0" "$NS_NAT in1" "$NS_NAT br0" "$NS_C2 eth0" \
	    "$NS_C3 eth0"; do
		set -- $pair
		n "$1" ip link set "$2" up
	done
	n $NS_C2 ip route add default via 198.18.2.1
	n $NS_C3 ip route add default via 198.18.2.1
	# The server reaches the NATed side only through the NAT's outside
	# address; no route to 198.18.2.0/24 exists there on purpose.
	n $NS_NAT ip route add default via 198.18.1.1
	n $NS_NAT sysctl -qw net.ipv4.ip_forward=1
	# The kernel's PPTP helper tracks TCP 1723 and rewrites the call IDs
	# in control messages and GRE keys, so several clients behind one
	# address can each have a call. Helpers are no longer attached
	# automatically: the raw-table CT rule assigns it.
	n $NS_NAT iptables -t raw -A PREROUTING -p tcp --dport 1723 \
		-j CT --helper pptp
	n $NS_NAT iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE
}

# A third party for the hostile-client suite: its own link to the server,
# 40 more source addresses, and a server that takes packets from any
# source on that link (the attacker may forge the client's address).
netns_add_attacker() {
	local i
	ip netns add "$NS_ATT"
	n $NS_ATT ip link set lo up
	ip link add s3 netns "$NS_SRV" type veth peer name eth0 netns "$NS_ATT"
	n $NS_SRV ip addr add 198.18.3.1/24 dev s3
	n $NS_ATT ip addr add 198.18.3.2/24 dev eth0
	for i in $(seq 10 49); do
		n $NS_ATT ip addr add 198.18.3.$i/24 dev eth0
	done
	n $NS_SRV ip link set s3 up
	n $NS_ATT ip link set eth0 up
	n $NS_ATT ip route add default via 198.18.3.1
	n $NS_SRV sysctl -qw net.ipv4.conf.all.rp_filter=0
	n $NS_SRV sysctl -qw net.ipv4.conf.s3.rp_filter=0
}

# Waits until a file contains a pattern (grep -E); fails after $3 s.
wait_for_log() {
	local file=$1 pattern=$2 timeout=${3:-20} i
	for ((i = 0; i < timeout * 10; i++)); do
		grep -qE "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "--- $file ---" >&2
	tail -n 40 "$file" >&2
	fail "timed out waiting for /$pattern/ in $file"
}

# Field from a "connected: k=v k=v" line.
connected_field() {
	local file=$1 key=$2
	grep -m1 '^connected:' "$file" | tr ' ' '\n' | sed -n "s/^$key=//p"
}
