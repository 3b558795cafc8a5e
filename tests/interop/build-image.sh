#!/bin/bash
# Builds the interop guest (a Debian kernel plus a busybox initramfs holding
# pppd, pptp-linux and pptpd) into $PK_INTEROP_CACHE, rebuilding only when
# this script or tests/interop/guest/ changed.
#
# Output: vmlinux (the kernel decompressed, booted through its PVH entry:
# qemu under TCG spends several seconds decompressing the XZ bzImage
# otherwise), vmlinuz (the bzImage, as a fallback), initramfs.cpio.gz,
# kernel-version, stamp; dl/ keeps the downloaded .debs.
#
# Usage: tests/interop/build-image.sh [--force]
# Env:   PK_INTEROP_CACHE  output directory (default tests/interop/cache)
#
# Needs root (apt-get, mknod of /dev/console in the archive). Installs what it
# needs with apt-get: the host runs qemu, and the guest's user-space
# binaries are copied from the host's installed ppp, pptp-linux, pptpd and
# iproute2 together with the shared libraries ldd reports for them. The
# kernel and busybox-static are fetched with `apt-get download` and unpacked,
# never installed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PK_INTEROP_CACHE:-$here/cache}
force=0
[ "${1:-}" = "--force" ] && force=1

log() { printf 'build-image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, mknod)"

# Host packages: qemu to run the guest; the others provide the binaries and
# libraries copied into the guest. cpio and kmod (depmod, modprobe) build it.
host_pkgs="qemu-system-x86 ppp pptp-linux pptpd iproute2 cpio kmod gzip xz-utils"
# Guest-only kernel modules (dependencies are resolved with modprobe).
guest_modules="virtio_pci virtio_net e1000 virtio_rng veth
	ppp_generic ppp_async ppp_synctty ppp_mppe ppp_deflate bsd_comp"
# Binaries copied from the host into the guest (with their libraries).
guest_bins="/usr/sbin/pppd /usr/sbin/pptp /usr/sbin/pptpd /usr/sbin/pptpctrl
	/usr/bin/ip"

apt_updated=0
apt_update_once() {
	if [ $apt_updated = 0 ]; then
		log "apt-get update"
		apt-get update -qq >&2
		apt_updated=1
	fi
}

# Installs host packages that are missing. Installing pptpd on a machine
# whose init system runs would start a pptpd in the root namespace: a
# policy-rc.d that denies everything is put in place for the install unless
# one already exists, and removed again afterwards.
ensure_host_pkgs() {
	local missing="" p rc_made=0
	for p in $host_pkgs; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	log "installing:$missing"
	apt_update_once
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		rc_made=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing >&2 || {
		[ $rc_made = 1 ] && rm -f /usr/sbin/policy-rc.d
		die "apt-get install failed"
	}
	[ $rc_made = 1 ] && rm -f /usr/sbin/policy-rc.d
	return 0
}

ensure_host_pkgs

report_size() {
	log "image size: initramfs.cpio.gz $(stat -c %s "$cache/initramfs.cpio.gz")," \
	    "vmlinuz $(stat -c %s "$cache/vmlinuz")," \
	    "vmlinux $(stat -c %s "$cache/vmlinux") bytes"
}

stamp_now=$( (cat "$here/build-image.sh"; cd "$here/guest" &&
    find . -type f | LC_ALL=C sort | while read -r f; do
	    printf '%s\n' "$f"; cat "$f"; done) | sha256sum | cut -d' ' -f1)

if [ $force = 0 ] && [ -s "$cache/vmlinuz" ] && [ -s "$cache/vmlinux" ] &&
    [ -s "$cache/initramfs.cpio.gz" ] && [ -f "$cache/stamp" ] &&
    [ "$(cat "$cache/stamp")" = "$stamp_now" ]; then
	log "up to date in $cache ($(cat "$cache/kernel-version" 2>/dev/null))"
	report_size
	exit 0
fi

mkdir -p "$cache/dl"
work=$(mktemp -d "${TMPDIR:-/tmp}/pk-interop-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Resolves the kernel image package the linux-image-amd64 metapackage points
# at; the -unsigned variant has the same vmlinuz without the signature.
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1
}
kpkg=$(kernel_pkg)
if [ -z "$kpkg" ]; then
	apt_update_once
	kpkg=$(kernel_pkg)
fi
[ -n "$kpkg" ] || die "cannot resolve linux-image-amd64"

# Downloads package $1 into $cache/dl (kept there as a download cache; old
# versions are removed) and prints the .deb's path.
fetch_deb() {
	local pkg=$1 ver deb
	ver=$(apt-cache policy "$pkg" 2>/dev/null |
	    sed -n 's/^ *Candidate: //p')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		apt_update_once
		ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	fi
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate for $pkg"
	# apt-get download spells an epoch "1%3a" in the file name.
	deb=$(ls "$cache/dl/${pkg}_"*"_amd64.deb" 2>/dev/null |
	    grep -F "${ver#*:}_amd64.deb" | head -1 || true)
	if [ -z "$deb" ]; then
		rm -f "$cache/dl/${pkg}_"*.deb
		log "downloading $pkg $ver"
		(cd "$cache/dl" &&
		    apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2)
		deb=$(ls "$cache/dl/${pkg}_"*"_amd64.deb" | head -1)
	fi
	printf '%s\n' "$deb"
}

if apt-cache show "$kpkg-unsigned" >/dev/null 2>&1; then
	kdeb=$(fetch_deb "$kpkg-unsigned")
else
	kdeb=$(fetch_deb "$kpkg")
fi
bbdeb=$(fetch_deb busybox-static)

log "unpacking $(basename "$kdeb")"
dpkg-deb -x "$kdeb" "$work/k"
kver=$(ls "$work/k/lib/modules" | head -1)
[ -f "$work/k/boot/vmlinuz-$kver" ] || die "no vmlinuz in $kdeb"
depmod -b "$work/k" "$kver"
dpkg-deb -x "$bbdeb" "$work/bb"

root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root}
mkdir -p "$root"/etc/ppp "$root/var/log" "$root/lib/modules/$kver"
ln -s ../run "$root/var/run"
ln -s ../run/lock "$root/var/lock"

# Kernel modules, in load order, deduplicated; init insmods them in this
# order, so no modprobe database is consulted at boot.
order=$root/lib/modules/$kver/pk.order
: >"$order"
for m in $guest_modules; do
	modprobe -d "$work/k" -S "$kver" --show-depends "$m" |
	    sed -n 's/^insmod \([^ ]*\).*/\1/p'
done | awk '!seen[$0]++' | while read -r ko; do
	rel=${ko#"$work/k/lib/modules/$kver/"}
	mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
	cp "$ko" "$root/lib/modules/$kver/$rel"
	printf '%s\n' "$rel" >>"$order"
done
cp "$work/k/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
    "$root/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$root" "$kver"

# User space: real binaries first (iproute2's ip shadows busybox's, which
# cannot create veth pairs or move links between namespaces).
copy_with_libs() {
	local bin=$1 lib
	mkdir -p "$root$(dirname "$bin")"
	cp -L "$bin" "$root$bin"
	chmod 755 "$root$bin" # pppd is setuid root on the host; root in the guest
	ldd "$bin" | awk '/=> \//{print $3} /^[ \t]*\/[^ ]*ld-linux/{print $1}' |
	    while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
for b in $guest_bins; do
	[ -x "$b" ] || die "$b missing on the host"
	copy_with_libs "$b"
done
# pptp-linux runs /bin/ip (routing.c) to pin a host route to the server.
ln -s /usr/bin/ip "$root/sbin/ip"
ln -s /usr/bin/ip "$root/bin/ip"

cp "$work/bb/bin/busybox" "$root/bin/busybox"
"$root/bin/busybox" --list-full | while read -r app; do
	[ -e "$root/$app" ] || [ -L "$root/$app" ] && continue
	mkdir -p "$root/$(dirname "$app")"
	ln -s /bin/busybox "$root/$app"
done

install -m 755 "$here/guest/init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\ndip:x:30:\n' >"$root/etc/group"
printf '127.0.0.1\tlocalhost\n' >"$root/etc/hosts"
printf 'hosts: files\n' >"$root/etc/nsswitch.conf"
printf '%s\n' "$kver" >"$root/etc/pk-kernel-version"
mknod "$root/dev/console" c 5 1
mknod "$root/dev/null" c 1 3

log "writing initramfs"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    gzip -9 >"$work/initramfs.cpio.gz"

# Decompresses the bzImage's payload (as the kernel's extract-vmlinux does:
# find the XZ stream, decompress, check for an ELF header).
extract_vmlinux() {
	local off
	for off in $(LC_ALL=C grep -abo $'\xfd7zXZ' "$1" | cut -d: -f1); do
		tail -c +$((off + 1)) "$1" | xz -dc >"$2" 2>/dev/null
		[ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] &&
		    return 0
	done
	return 1
}
extract_vmlinux "$work/k/boot/vmlinuz-$kver" "$work/vmlinux" ||
    die "cannot decompress the kernel image (not XZ?)"

cp "$work/k/boot/vmlinuz-$kver" "$work/vmlinuz"
mv "$work/vmlinuz" "$cache/vmlinuz"
mv "$work/vmlinux" "$cache/vmlinux"
mv "$work/initramfs.cpio.gz" "$cache/initramfs.cpio.gz"
printf '%s\n' "$kver" >"$cache/kernel-version"
printf '%s\n' "$stamp_now" >"$cache/stamp"
log "built in $cache: kernel $kver, guest user space $(du -sb "$root" | cut -f1) bytes unpacked"
report_size
