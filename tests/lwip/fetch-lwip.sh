#!/bin/sh
# fetch-lwip.sh - fetches lwIP's source from Debian's source package into a
# cache directory (once) and prints the path of the unpacked source tree.
#
# Debian's liblwip-dev is built without PPP, so the lwIP peer tests build
# lwIP themselves from the same source (see tests/lwip/README.md).
#
# Usage: tests/lwip/fetch-lwip.sh
# Environment:
#   LWIP_CACHE_DIR  where to unpack (default: tests/lwip/src-cache beside
#                   this script; git-ignored)
#   LWIP_NO_APT=1   never touch apt: fail if the source is not cached yet
#
# Idempotent: if the cache already holds an unpacked lwip-* tree, nothing is
# fetched and only its path is printed. Otherwise it needs root (or sudo)
# to add a deb-src entry for Debian and to install dpkg-dev, as CI does on
# a fresh machine. Diagnostics go to stderr; stdout is only the path.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${LWIP_CACHE_DIR:-$here/src-cache}

find_tree() {
	# The unpacked tree is lwip-<version>/ with src/netif/ppp inside.
	for d in "$cache"/lwip-*/; do
		if [ -f "$d/src/netif/ppp/ppp.c" ]; then
			(cd "$d" && pwd)
			return 0
		fi
	done
	return 1
}

if find_tree; then
	exit 0
fi

if [ "${LWIP_NO_APT:-0}" = 1 ]; then
	echo "fetch-lwip.sh: no lwIP source in $cache and LWIP_NO_APT=1" >&2
	exit 1
fi

SUDO=
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi

# apt-get source needs a deb-src entry. Add one for the distribution this
# machine runs unless some deb-src line is already configured.
have_src() {
	grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list \
	    /etc/apt/sources.list.d/ 2>/dev/null
}
updated=0
if ! have_src; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	echo "fetch-lwip.sh: adding deb-src entry for $codename" >&2
	$SUDO tee /etc/apt/sources.list.d/pptpkit-deb-src.sources >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	$SUDO apt-get update >&2
	updated=1
fi
if ! command -v dpkg-source >/dev/null 2>&1; then
	[ "$updated" = 1 ] || $SUDO apt-get update >&2
	updated=1
	$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y --no-install-recommends dpkg-dev >&2
fi

mkdir -p "$cache"
# apt-get source runs as the calling user and unpacks into the cwd; the
# Debian patches are applied by dpkg-source during the unpack.
if ! (cd "$cache" && apt-get source lwip >&2); then
	# The package lists may predate the deb-src entry.
	[ "$updated" = 1 ] || $SUDO apt-get update >&2
	(cd "$cache" && apt-get source lwip >&2)
fi

if ! find_tree; then
	echo "fetch-lwip.sh: apt-get source lwip gave no lwip-*/src/netif/ppp" >&2
	exit 1
fi
