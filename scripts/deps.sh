#!/usr/bin/env bash
# deps.sh - installs every Debian package pptpkit needs to build, test and
# run its demonstration. Idempotent; needs root (apt-get): run as root,
# or as a user with sudo (it re-runs itself through sudo).
set -euo pipefail
source "$(dirname "$0")/as-root.sh"
pk_as_root "$@"
export DEBIAN_FRONTEND=noninteractive

PKGS=(
	build-essential cmake pkg-config clang llvm libclang-rt-dev
	nettle-dev libuv1-dev libmnl-dev libpcap-dev libjson-c-dev
	iproute2 iputils-ping iptables kmod procps psmisc
	tcpdump tshark python3 netcat-openbsd iperf3
	# RADIUS tests: the test starts its own FreeRADIUS (own config, own
	# namespace); a packaged service, if Debian starts one, is not used.
	freeradius freeradius-utils
	openvpn wireguard-go wireguard-tools openssl
	nmap libnetfilter-queue-dev
	groff-base man-db libsystemd-dev
	systemd debhelper dpkg-dev fakeroot debootstrap
	hashcat pocl-opencl-icd ocl-icd-libopencl1 wireshark-common
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	# tshark asks whether non-root users may capture; answer no.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	log=$(mktemp)
	if ! { apt-get update -q && apt-get install -y -q \
	    --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		echo "deps: apt-get failed" >&2
		exit 1
	fi
	rm -f "$log"
fi
