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
# fetched and only its path is printed. Otherwise it needs root (or sudo):
# when apt has no deb-src entry, it writes
# /etc/apt/sources.list.d/pptpkit-deb-src.{sources,list} mirroring the
# machine's Debian entries for its release, runs apt-get update, installs
# dpkg-dev if dpkg-source is missing, then runs "apt-get source lwip" in
# the cache directory. Diagnostics go to stderr; stdout is only the path.
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

# apt-get source needs a deb-src entry. Unless one is configured already,
# mirror the machine's own Debian entries for its release (same archive,
# same keyring) as deb-src entries, so the source comes from wherever the
# binary packages come from.
have_src() {
	grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list \
	    /etc/apt/sources.list.d/ 2>/dev/null
}
make_src_entries() {
	# deb822 stanzas (*.sources) whose Suites include the release.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v rel="$1" '
		function flush() {
			if (deb && uris != "" && hasrel) {
				print "Types: deb-src"
				print "URIs: " uris
				print "Suites: " rel
				print "Components: " comps
				if (signed != "")
					print "Signed-By: " signed
				print ""
			}
			deb = 0; hasrel = 0; uris = ""; comps = ""; signed = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
		/^URIs:/ { uris = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == rel) hasrel = 1 }
		/^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
		/^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); signed = $0 }
		END { flush() }' "$f"
	done
}
make_src_lines() {
	# One-line entries: "deb [options] URI SUITE COMPONENT...".
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	    awk -v rel="$1" '$1 == "deb" {
		i = 2
		if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++
		if ($2 ~ /^\[/) i++
		if ($(i + 1) == rel) { $1 = "deb-src"; print }
	    }'
}
updated=0
if ! have_src; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	stanzas=$(make_src_entries "$codename")
	lines=$(make_src_lines "$codename")
	if [ -z "$stanzas" ] && [ -z "$lines" ]; then
		echo "fetch-lwip.sh: no apt entry for $codename to mirror as" \
		    "deb-src; add one by hand" >&2
		exit 1
	fi
	echo "fetch-lwip.sh: adding deb-src entries for $codename" >&2
	if [ -n "$stanzas" ]; then
		printf '%s\n' "$stanzas" | $SUDO tee \
		    /etc/apt/sources.list.d/pptpkit-deb-src.sources >/dev/null
	fi
	if [ -n "$lines" ]; then
		printf '%s\n' "$lines" | $SUDO tee \
		    /etc/apt/sources.list.d/pptpkit-deb-src.list >/dev/null
	fi
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
