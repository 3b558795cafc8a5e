#!/usr/bin/env bash
# test.sh - builds pptpkit and runs every test suite through CTest:
# unit (incl. fuzz corpora), lwip (independent PPP peer), netns (real
# traffic between network namespaces), interop (real pppd, pptp-linux
# and pptpd in a qemu guest) and package (the Debian package installed into
# a fresh chroot). Needs root (namespaces, raw sockets, apt): run it as
# root, or as a user with sudo (it re-runs itself through sudo).
#
#   scripts/test.sh                 everything, gcc, RelWithDebInfo
#   scripts/test.sh --sanitize      unit, lwip, netns under ASan+UBSan
#   scripts/test.sh --clang         warning-free clang build, unit+lwip
#   scripts/test.sh -L unit         pass ctest options through
set -euo pipefail
source "$(dirname "$0")/as-root.sh"
pk_as_root "$@"
cd "$(dirname "$0")/.."

mode=gcc
if [ "${1:-}" = --sanitize ] || [ "${1:-}" = --clang ]; then
	mode=${1#--}
	shift
fi
bash scripts/deps.sh
bash tests/lwip/fetch-lwip.sh >/dev/null

case $mode in
gcc)
	dir=build
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPK_LWIP_TESTS=ON >/dev/null
	;;
sanitize)
	dir=build-asan
	CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug \
		-DPK_SANITIZE=ON -DPK_LWIP_TESTS=ON >/dev/null
	# The daemons too, under real traffic (shorter transfers).
	export PK_XFER_BYTES=5000000
	set -- -L 'unit|lwip|netns' "$@"
	;;
clang)
	dir=build-clang
	CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPK_LWIP_TESTS=ON >/dev/null
	set -- -L 'unit|lwip' "$@"
	;;
esac
cmake --build "$dir" -j "$(nproc)"
if [ "$mode" = gcc ] && [ $# -eq 0 ]; then
	# The qemu guest with the real Linux PPTP stack (cached).
	bash tests/interop/build-image.sh
fi
cd "$dir"
ctest --output-on-failure "$@"
