#!/bin/bash
# Boots the interop guest once with one scenario, waits for its result and
# exits 0 if the guest reported PK-RESULT ok. For tests that must act while
# the guest runs (start pptpkit, connect to a PK-LISTEN port), source lib.sh
# instead and use pk_guest_start / pk_guest_wait / pk_guest_stop.
#
# Usage: tests/interop/qemu.sh [options] SCENARIO [KEY=VALUE ...]
#   --netns NS       run in this existing namespace (default: create a
#                    fresh one, deleted on exit)
#   --host-ip CIDR   the tap's address in the namespace (198.18.0.1/24)
#   --guest-ip CIDR  the guest's eth0 address (198.18.0.2/24)
#   --name NAME      guest name, [a-z0-9]{1,12}: tap pk-NAME (default qg$$)
#   --timeout S      host-side limit for the whole run (default 180)
#   --log FILE       keep the console log here (default in $TMPDIR)
#   -v               print the whole console log even on success
# KEY=VALUE become pk.KEY=VALUE on the kernel command line (see README.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

ns="" host_ip=198.18.0.1/24 guest_ip=198.18.0.2/24 name="qg$$" timeout=180
log="" verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--netns) ns=$2; shift 2 ;;
	--host-ip) host_ip=$2; shift 2 ;;
	--guest-ip) guest_ip=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) pk_log "unknown option $1"; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { pk_log "usage: $0 [options] SCENARIO [KEY=VALUE ...]"; exit 2; }
scenario=$1
shift

trap pk_cleanup EXIT
if [ -z "$ns" ]; then
	ns="pk-qemu-$$"
	pk_netns_add "$ns"
fi
# The guest's own deadline comes first, so that it still reports and dumps
# its logs; a timeout=... argument overrides it.
gt=$((timeout > 30 ? timeout - 10 : timeout * 2 / 3))
pk_guest_start "$name" "$ns" "$host_ip" "$guest_ip" "$scenario" \
    timeout=$gt "$@"

rc=0
if pk_guest_wait "$name" '^PK-END' "$timeout" >/dev/null; then
	pk_guest_wait_exit "$name" 10 || true
else
	rc=1
fi
pk_guest_markers "$name"
if ! pk_guest_result "$name" >/dev/null; then
	rc=1
fi
if [ $rc != 0 ] || [ $verbose = 1 ]; then
	pk_guest_dump "$name"
fi
if [ -n "$log" ]; then
	cp "${PK_G_LOG[$name]}" "$log"
fi
pk_log "guest $name: $( [ $rc = 0 ] && echo ok || echo FAILED ) after $(pk_elapsed "$name") s"
exit $rc
