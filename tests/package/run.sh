#!/usr/bin/env bash
# run.sh - builds the Debian package from a copy of this tree with
# "dpkg-buildpackage -us -uc -b" (as the README says) and installs it with
# "apt-get install ./pptpkit_*.deb" into a fresh minimal Debian chroot,
# never into this machine:
#
#   1. the .deb: programs, units, man pages, conffiles, maintainer scripts
#      (dpkg-deb -c / -I), no unit enabled by the package itself;
#   2. the chroot: a debootstrap --variant=minbase of this machine's
#      release (cached as a tarball in $PK_PACKAGE_CACHE, default
#      tests/package/cache/; a fresh machine builds it once, ~3 min),
#      unpacked anew for every run in a private mount namespace (its /proc
#      and /dev mounts vanish with the namespace);
#   3. in the chroot: apt-get installs the package and its dependencies,
#      the "pptpkit" system user exists, nothing is enabled, every page
#      renders with "man -l --warnings", pptpkitd --help runs, a line from
#      "pptpkit hash-password" makes "pptpkitd -c /etc/pptpkit/pptpkitd.conf
#      -n" pass; removal keeps the conffile, purge removes it.
#
# Needs root (debootstrap, chroot) and Debian's mirror. Usage:
#   tests/package/run.sh [SOURCE_DIR]     (default: this tree)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$(cd "$here/../.." && pwd)}
cache=${PK_PACKAGE_CACHE:-$here/cache}

say() { echo "--- $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot)"
for tool in dpkg-buildpackage dpkg-checkbuilddeps debootstrap unshare; do
	command -v "$tool" >/dev/null ||
		fail "$tool is missing: run scripts/deps.sh"
done

work=$(mktemp -d /tmp/pptpkit-package.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. Build from a copy: nothing is written into the tree itself.
say "dpkg-buildpackage -us -uc -b in a copy of $src"
mkdir "$work/pptpkit"
tar -C "$src" --exclude='./build*' --exclude=./.git \
	--exclude='./tests/*/cache' --exclude=./tests/lwip/src-cache \
	--exclude=./tests/fuzz/artifacts --exclude=./debian/pptpkit \
	--exclude=./debian/.debhelper -cf - . | tar -C "$work/pptpkit" -xf -
(cd "$work/pptpkit" && dpkg-checkbuilddeps) ||
	fail "build dependencies missing: run scripts/deps.sh"
t0=$SECONDS
if ! (cd "$work/pptpkit" && dpkg-buildpackage -us -uc -b) \
    >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log" >&2
	fail "dpkg-buildpackage failed"
fi
deb=$(ls "$work"/pptpkit_*.deb)
ok "built $(basename "$deb") in $((SECONDS - t0)) s"

# The package's contents and control data.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/sbin/pptpkitd ./usr/bin/pptpkit \
    ./lib/systemd/system/pptpkitd.service \
    ./lib/systemd/system/pptpkit@.service \
    ./usr/share/man/man8/pptpkitd.8.gz ./usr/share/man/man1/pptpkit.1.gz \
    ./usr/share/man/man5/pptpkitd.conf.5.gz ./etc/pptpkit/pptpkitd.conf \
    ./etc/pptpkit/client/ \
    ./usr/share/doc/pptpkit/examples/pptpkitd.conf \
    ./usr/share/doc/pptpkit/examples/client.conf; do
	grep -qxF "$f" <<<"$contents" || fail "$f is not in the package"
done
ok "the package holds the programs, both units, three man pages, the configuration and examples"
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
[ "$(cat "$work/control/conffiles")" = /etc/pptpkit/pptpkitd.conf ] ||
	fail "conffiles: $(cat "$work/control/conffiles")"
grep -q 'adduser --system' "$work/control/postinst" ||
	fail "postinst does not create the system user"
! grep -qE 'deb-systemd-invoke (start|restart)|systemctl (start|enable)' \
	"$work/control/postinst" || fail "postinst starts or enables a unit"
grep -q "was-enabled 'pptpkitd.service'" "$work/control/postinst" ||
	fail "postinst does not keep an operator's enable across upgrades"
ok "conffile /etc/pptpkit/pptpkitd.conf; postinst adds the user and starts nothing"

# 2. A minimal chroot of this machine's release, from its own mirror.
. /etc/os-release
release=${VERSION_CODENAME:?}
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources \
	2>/dev/null | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "'"$release"'" \
	{ print $2; exit }' /etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
tarball=$cache/$release-minbase.tar
if [ ! -s "$tarball" ]; then
	say "debootstrap --variant=minbase $release from $mirror (cached in $tarball)"
	mkdir -p "$cache"
	t0=$SECONDS
	debootstrap --variant=minbase --include=man-db "$release" \
		"$work/bootstrap" "$mirror" >"$work/debootstrap.log" 2>&1 || {
		tail -20 "$work/debootstrap.log" >&2
		fail "debootstrap failed"
	}
	tar -C "$work/bootstrap" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf "$work/bootstrap"
	ok "debootstrap took $((SECONDS - t0)) s"
fi

# 3. Install and check, in a private mount namespace.
say "apt-get install ./$(basename "$deb") in a fresh $release chroot"
root=$work/root
mkdir "$root"
tar -C "$root" -xf "$tarball"
cp "$deb" "$root/tmp/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cat >"$root/tmp/check.sh" <<'CHECK'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
getent passwd pptpkit >/dev/null && fail "the user exists before install"
apt-get update -q >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get update"; }
apt-get install -y -q --no-install-recommends /tmp/pptpkit_*.deb \
	>>/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get install"; }
ok "apt-get install ./pptpkit_*.deb: $(dpkg-query -W -f='${Package} ${Version} ${Status}' pptpkit)"
for f in /usr/sbin/pptpkitd /usr/bin/pptpkit /etc/pptpkit/pptpkitd.conf \
    /lib/systemd/system/pptpkitd.service /lib/systemd/system/pptpkit@.service; do
	[ -e "$f" ] || fail "$f missing after install"
done
IFS=: read -r _ _ uid gid _ home shell < <(getent passwd pptpkit) ||
	fail "no pptpkit user"
[ "$uid" -lt 1000 ] && [ "$home" = /nonexistent ] &&
	[ "$shell" = /usr/sbin/nologin ] || fail "pptpkit user: uid $uid home $home shell $shell"
getent group pptpkit >/dev/null || fail "no pptpkit group"
ok "system user pptpkit: uid $uid, home $home, shell $shell"
if ls /etc/systemd/system/*.wants/pptpkit* 2>/dev/null; then
	fail "a unit was enabled"
fi
ok "no unit enabled (nothing starts without the operator)"
for page in pptpkitd.8 pptpkit.1 pptpkitd.conf.5; do
	sec=${page##*.}
	out=$(MANWIDTH=80 man -l --warnings "/usr/share/man/man$sec/$page.gz" \
		2>/tmp/man.err) || fail "man -l $page"
	[ ! -s /tmp/man.err ] || fail "man -l --warnings $page: $(cat /tmp/man.err)"
	grep -q "^NAME" <<<"$out" || fail "$page rendered without NAME"
	ok "man -l --warnings $page: $(wc -l <<<"$out") lines, no warnings"
done
# "man pptpkitd" finds it through the index too.
man -w pptpkitd.conf >/dev/null || fail "man -w pptpkitd.conf"
pptpkitd --help | grep -q '^usage: pptpkitd' || fail "pptpkitd --help"
pptpkit --help | grep -q '^usage: pptpkit' || fail "pptpkit --help"
ok "pptpkitd --help and pptpkit --help run: $(pptpkitd --version)"
mkdir -p /etc/ppp
printf 'alice pw\n' | pptpkit hash-password --user alice >/etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets
pptpkitd -c /etc/pptpkit/pptpkitd.conf -n | grep -q 'configuration OK: 1 users' ||
	fail "pptpkitd -n with the packaged configuration"
ok "pptpkitd -c /etc/pptpkit/pptpkitd.conf -n: configuration OK with a hash-password user"
apt-get remove -y -q pptpkit >>/tmp/apt.log 2>&1 || fail "apt-get remove"
[ -e /etc/pptpkit/pptpkitd.conf ] && [ ! -e /usr/sbin/pptpkitd ] ||
	fail "remove: conffile gone or program left"
dpkg --purge pptpkit >>/tmp/apt.log 2>&1 || fail "dpkg --purge"
[ ! -e /etc/pptpkit/pptpkitd.conf ] || fail "purge left the conffile"
ok "remove keeps /etc/pptpkit/pptpkitd.conf, purge removes it"
CHECK
t0=$SECONDS
unshare --mount --propagation private bash -c '
	set -e
	root=$1
	mount --rbind /dev "$root/dev"
	mount -t proc proc "$root/proc"
	chroot "$root" /bin/bash /tmp/check.sh
' _ "$root" || fail "the checks in the chroot failed"
ok "installed and checked in the chroot in $((SECONDS - t0)) s"
echo "package: all checks passed"
