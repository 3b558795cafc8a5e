# as-root.sh - sourced by the scripts that need root (apt-get, network
# namespaces). pk_as_root "$@" returns at once when the script already runs
# as root (a bare Debian machine where one logs in as root has no sudo);
# otherwise it re-runs the calling script through sudo, keeping the
# environment (LWIP_CACHE_DIR, PK_INTEROP_CACHE, ...), or says what to do
# when sudo is not installed.
pk_as_root() {
	local self
	[ "$(id -u)" = 0 ] && return 0
	self=$(readlink -f "$0")
	if command -v sudo >/dev/null 2>&1; then
		echo "${0##*/}: not root: re-running through sudo" >&2
		exec sudo -E bash "$self" "$@"
	fi
	echo "${0##*/}: needs root (apt-get, network namespaces) and sudo is" \
	    "not installed: run it as root" >&2
	exit 1
}
