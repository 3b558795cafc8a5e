#!/usr/bin/env bash
# verify.sh DIR - checks the systemd units configured into DIR (with the
# build tree's binaries in ExecStart=, so that systemd-analyze can check
# that they exist): "systemd-analyze verify" must print nothing about
# them, and "systemd-analyze security --offline" must rate each at most
# 3.5 ("OK"). systemd need not run: both work on unit files offline.
set -u
dir=$1
fail=0
command -v systemd-analyze >/dev/null ||
	{ echo "FAIL: systemd-analyze is not installed (package systemd)"; exit 1; }
# The template is verified as an instance.
cp "$dir/pptpkit@.service" "$dir/pptpkit@verify.service"
for unit in pptpkitd.service pptpkit@verify.service; do
	out=$(systemd-analyze verify --man=no "$dir/$unit" 2>&1)
	rc=$?
	# Other units on the machine (network-online.target's neighbours)
	# may complain about themselves; only lines about ours count.
	ours=$(printf '%s\n' "$out" | grep -E "$dir|${unit%%@*}" || true)
	if [ $rc != 0 ] || [ -n "$ours" ]; then
		echo "FAIL: systemd-analyze verify $unit (rc $rc):"
		printf '%s\n' "${ours:-$out}"
		fail=1
	else
		echo "ok   systemd-analyze verify $unit"
	fi
	level=$(systemd-analyze security --offline=yes "$dir/$unit" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -z "$level" ] || ! awk -v l="$level" 'BEGIN { exit !(l <= 3.5) }'; then
		echo "FAIL: $unit: exposure level '${level:-?}' (want <= 3.5)"
		fail=1
	else
		echo "ok   systemd-analyze security $unit: exposure $level"
	fi
done
# A broken unit must fail this check (the check itself works).
printf '[Service]\nExecStart=/nonexistent/pptpkitd\nNoSuchKey=1\n' \
	>"$dir/pk-broken.service"
if out=$(systemd-analyze verify --man=no "$dir/pk-broken.service" 2>&1) &&
    ! printf '%s\n' "$out" | grep -q pk-broken; then
	echo "FAIL: systemd-analyze verify accepted a broken unit"
	fail=1
fi
rm -f "$dir/pk-broken.service" "$dir/pptpkit@verify.service"
exit $fail
