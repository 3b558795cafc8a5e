# shellcheck shell=bash
# Host-side harness for the interop guest: network namespaces, a tap per
# guest, qemu under TCG with the serial console in a log file, and waiting
# on the guest's PK- markers. Source it from bash; run as root.
#
#   . tests/interop/lib.sh
#   trap pk_cleanup EXIT
#   pk_netns_add pkt1
#   pk_guest_start g1 pkt1 198.18.0.1/24 198.18.0.2/24 pptp-client \
#       server=198.18.0.1 pppd=refuse-eap,require-mppe-128 checks=ping:3
#   pk_guest_wait g1 '^PK-RESULT ' 120 && pk_guest_result g1
#
# Only addresses in 198.18.0.0/15 are accepted, and nothing is done in the
# root network namespace except creating/deleting the named namespaces.

PK_INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PK_INTEROP_CACHE=${PK_INTEROP_CACHE:-$PK_INTEROP_DIR/cache}
PK_INTEROP_LOGDIR=${PK_INTEROP_LOGDIR:-${TMPDIR:-/tmp}}
PK_QEMU=${PK_QEMU:-qemu-system-x86_64}
PK_QEMU_MEM=${PK_QEMU_MEM:-256}
# vmlinux (decompressed, PVH entry) boots seconds faster under TCG than
# the bzImage vmlinuz, which has to decompress itself first.
PK_QEMU_KERNEL=${PK_QEMU_KERNEL:-vmlinux}
# TCG unless asked otherwise: a /dev/kvm being there does not mean KVM
# works. On one of our machines it exists (nested virtualisation) and the
# guest kernel dies at once with "KVM internal error. Suberror: 1 ...
# emulation failure" on a cmpxchg16b, so every case ran into its timeout.
# Set PK_QEMU_ACCEL=kvm where KVM is known to work.
PK_QEMU_ACCEL=${PK_QEMU_ACCEL:-tcg}

declare -gA PK_G_PID=() PK_G_NS=() PK_G_TAP=() PK_G_LOG=() PK_G_T0=()
declare -ga PK_NETNS_CREATED=()

pk_log() { printf 'interop: %s\n' "$*" >&2; }

# Succeeds if $1 (an address, optionally /prefix) lies in 198.18.0.0/15.
pk_addr_ok() {
	local a=${1%/*} o1 o2 o3 o4
	IFS=. read -r o1 o2 o3 o4 <<<"$a"
	[[ $o1 == 198 && ( $o2 == 18 || $o2 == 19 ) &&
	    $o3 =~ ^[0-9]+$ && $o4 =~ ^[0-9]+$ && $o3 -le 255 && $o4 -le 255 ]]
}

# Seconds (with ms) since guest $1 was started.
pk_elapsed() {
	local now
	now=$(date +%s.%N)
	awk -v a="${PK_G_T0[$1]}" -v b="$now" 'BEGIN { printf "%.2f\n", b - a }'
}

# Creates network namespace $1 (which must not exist yet) with lo up;
# pk_cleanup deletes it.
pk_netns_add() {
	ip netns add "$1" || return 1
	PK_NETNS_CREATED+=("$1")
	ip -n "$1" link set lo up
}

pk_netns_del() {
	local i
	ip netns del "$1" 2>/dev/null
	for i in "${!PK_NETNS_CREATED[@]}"; do
		[ "${PK_NETNS_CREATED[$i]}" = "$1" ] && unset 'PK_NETNS_CREATED[i]'
	done
	return 0
}

# pk_bridge_add NETNS BRIDGE [CIDR]: a bridge in NETNS (with the host's
# address CIDR if given) for several guests: pass bridge:BRIDGE as their
# HOST_CIDR. Deleted with the namespace.
pk_bridge_add() {
	if [ -n "${3:-}" ] && ! pk_addr_ok "$3"; then
		pk_log "bridge address not in 198.18.0.0/15: $3"; return 1
	fi
	ip -n "$1" link add "$2" type bridge || return 1
	[ -z "${3:-}" ] || ip -n "$1" addr add "$3" dev "$2" || return 1
	ip -n "$1" link set "$2" up
}

# pk_guest_start NAME NETNS HOST_CIDR GUEST_CIDR SCENARIO [KEY=VALUE ...]
# Creates tap "pk-NAME" in NETNS (address HOST_CIDR; none if "-"; or
# bridge:BR to enslave it to bridge BR from pk_bridge_add),
# boots the guest on it with pk.ip=GUEST_CIDR, pk.scenario=SCENARIO and
# pk.KEY=VALUE for each further argument, serial console to
# $PK_INTEROP_LOGDIR/pk-guest-NAME.log (PK_G_LOG[NAME]). Returns at once;
# the guest's PID is PK_G_PID[NAME].
pk_guest_start() {
	local name=$1 ns=$2 hcidr=$3 gcidr=$4 scen=$5 kv append tap log mac
	shift 5
	tap="pk-$name"
	if [[ ! $name =~ ^[a-z0-9]{1,12}$ ]]; then
		pk_log "guest name must be 1-12 of [a-z0-9]: $name"; return 1
	fi
	if [ "$hcidr" != - ] && [[ $hcidr != bridge:* ]] &&
	    ! pk_addr_ok "$hcidr"; then
		pk_log "host address not in 198.18.0.0/15: $hcidr"; return 1
	fi
	if ! pk_addr_ok "$gcidr"; then
		pk_log "guest address not in 198.18.0.0/15: $gcidr"; return 1
	fi
	if [ ! -s "$PK_INTEROP_CACHE/$PK_QEMU_KERNEL" ] ||
	    [ ! -s "$PK_INTEROP_CACHE/initramfs.cpio.gz" ]; then
		pk_log "no image in $PK_INTEROP_CACHE: run tests/interop/build-image.sh"
		return 1
	fi
	if ! ip netns exec "$ns" true 2>/dev/null; then
		pk_log "no network namespace $ns"; return 1
	fi
	append="console=ttyS0 quiet loglevel=1 panic=-1 pk.scenario=$scen pk.ip=$gcidr"
	for kv in "$@"; do
		if [[ ! $kv =~ ^[a-z0-9_]+=[^[:space:]]*$ ]]; then
			pk_log "bad guest parameter (KEY=VALUE, no blanks: use %20): $kv"
			return 1
		fi
		append="$append pk.$kv"
	done
	if [ ${#append} -ge 2000 ]; then
		pk_log "kernel command line too long (${#append})"; return 1
	fi
	ip -n "$ns" tuntap add dev "$tap" mode tap || return 1
	if [[ $hcidr == bridge:* ]]; then
		ip -n "$ns" link set "$tap" master "${hcidr#bridge:}" || return 1
	elif [ "$hcidr" != - ]; then
		ip -n "$ns" addr add "$hcidr" dev "$tap" || return 1
	fi
	ip -n "$ns" link set "$tap" up || return 1
	log="$PK_INTEROP_LOGDIR/pk-guest-$name.log"
	: >"$log"
	# A locally administered MAC derived from the name, stable across runs.
	mac=$(printf '%s' "$name" | sha256sum |
	    sed 's/^\(..\)\(..\)\(..\).*/52:54:00:\1:\2:\3/')
	PK_G_NS[$name]=$ns PK_G_TAP[$name]=$tap PK_G_LOG[$name]=$log
	PK_G_T0[$name]=$(date +%s.%N)
	ip netns exec "$ns" "$PK_QEMU" -accel "$PK_QEMU_ACCEL" \
	    -m "$PK_QEMU_MEM" -smp 1 -nodefaults -no-user-config \
	    -display none -monitor none -no-reboot \
	    -kernel "$PK_INTEROP_CACHE/$PK_QEMU_KERNEL" \
	    -initrd "$PK_INTEROP_CACHE/initramfs.cpio.gz" \
	    -append "$append" \
	    -serial "file:$log" \
	    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
	    -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=" \
	    </dev/null >"$log.qemu" 2>&1 &
	PK_G_PID[$name]=$!
	pk_log "guest $name: pid ${PK_G_PID[$name]}, netns $ns, tap $tap, log $log"
}

# Succeeds while guest $1's qemu is running.
pk_guest_alive() {
	local pid=${PK_G_PID[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The serial log of guest $1 without carriage returns.
pk_guest_output() {
	tr -d '\r' <"${PK_G_LOG[$1]}"
}

# Prints the first line of guest $1's console matching ERE $2; fails if
# none. (One awk reading the file, so that a caller's pipefail never sees
# a writer killed by SIGPIPE.)
pk_guest_grep() {
	awk -v re="$2" '{ sub(/\r$/, "") } $0 ~ re { print; f = 1; exit }
	    END { exit !f }' "${PK_G_LOG[$1]}"
}

# pk_guest_wait NAME ERE TIMEOUT_S: waits for a line of the guest's console
# matching ERE and prints the first one. Fails on timeout, or if qemu exits
# without printing it.
pk_guest_wait() {
	local name=$1 re=$2 limit=$3 end line
	end=$(($(date +%s) + limit))
	while :; do
		line=$(pk_guest_grep "$name" "$re") && {
			printf '%s\n' "$line"; return 0; }
		if ! pk_guest_alive "$name"; then
			# A last look: qemu may have written it just before exiting.
			line=$(pk_guest_grep "$name" "$re") && {
				printf '%s\n' "$line"; return 0; }
			pk_log "guest $name exited while waiting for /$re/"
			return 1
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			pk_log "guest $name: timeout (${limit}s) waiting for /$re/"
			return 1
		fi
		sleep 0.2
	done
}

# Waits up to $2 s for guest $1's qemu to exit by itself.
pk_guest_wait_exit() {
	local end=$(($(date +%s) + $2))
	while pk_guest_alive "$1"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
	return 0
}

# Prints guest $1's marker lines (not the dumped logs).
pk_guest_markers() {
	awk '{ sub(/\r$/, "") }
	    /^PK-LOG-BEGIN / { inlog = 1; print; next }
	    /^PK-LOG-END / { inlog = 0; print; next }
	    !inlog && /^PK-/ { print }' "${PK_G_LOG[$1]}"
}

# Prints the log block NAME2 (pppd, pppd-client, pppd-server, syslog,
# dmesg) that guest $1 dumped.
pk_guest_log_block() {
	awk -v b="$2" '{ sub(/\r$/, "") }
	    $0 == "PK-LOG-BEGIN " b { inlog = 1; next }
	    $0 == "PK-LOG-END " b { inlog = 0; next }
	    inlog { print }' "${PK_G_LOG[$1]}"
}

# Prints guest $1's PK-RESULT line; succeeds if it says ok.
pk_guest_result() {
	local line
	line=$(pk_guest_grep "$1" '^PK-RESULT ') || return 1
	printf '%s\n' "$line"
	[[ $line == "PK-RESULT ok "* ]]
}

# pk_marker_value LINE KEY: the value of KEY=VALUE in a marker line.
pk_marker_value() {
	awk -v k="$2=" '{ for (i = 1; i <= NF; i++)
	    if (index($i, k) == 1) { print substr($i, length(k) + 1); exit } }' \
	    <<<"$1"
}

# Stops guest $1 (SIGTERM, SIGKILL after 5 s) and removes its tap.
pk_guest_stop() {
	local name=$1 pid=${PK_G_PID[$1]:-} i
	if [ -n "$pid" ]; then
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null
			for i in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	fi
	if [ -n "${PK_G_TAP[$name]:-}" ]; then
		ip -n "${PK_G_NS[$name]}" link del "${PK_G_TAP[$name]}" 2>/dev/null
	fi
	unset 'PK_G_PID[$name]' 'PK_G_TAP[$name]'
	return 0
}

# Prints guest $1's whole console output (and qemu's own messages).
pk_guest_dump() {
	echo "----- guest $1 console (${PK_G_LOG[$1]}) -----"
	pk_guest_output "$1"
	if [ -s "${PK_G_LOG[$1]}.qemu" ]; then
		echo "----- qemu messages -----"
		cat "${PK_G_LOG[$1]}.qemu"
	fi
	echo "----- end of guest $1 -----"
}

# Stops every guest started here and deletes the namespaces pk_netns_add
# created. Meant for `trap pk_cleanup EXIT`.
pk_cleanup() {
	local n
	for n in "${!PK_G_PID[@]}"; do
		pk_guest_stop "$n"
	done
	for n in "${PK_NETNS_CREATED[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	PK_NETNS_CREATED=()
}
