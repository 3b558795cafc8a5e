#!/usr/bin/env bash
# fuzz.sh SECONDS - builds every libFuzzer target (clang, ASan+UBSan) and
# runs each on a copy of its seed corpus for SECONDS. Any crash fails.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
CC=clang cmake -S . -B build-fuzz -DPK_FUZZ=ON -DPK_SANITIZE=ON \
	-DPK_LWIP_TESTS=OFF >/dev/null
targets=$(for t in tests/fuzz/fuzz_*.c; do basename "$t" .c; done)
cmake --build build-fuzz -j "$(nproc)" --target $targets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	mkdir -p "$work/$name"
	cp -r "tests/fuzz/corpus/$name/." "$work/$name/"
	echo "--- $name (${secs} s)"
	if ! ./build-fuzz/"$name" -max_total_time="$secs" \
	    -print_final_stats=1 -artifact_prefix="$work/" "$work/$name" \
	    >"$work/$name.log" 2>&1; then
		tail -n 60 "$work/$name.log"
		echo "$name: crash or error (see above)"
		exit 1
	fi
	grep -E 'DONE|stat::number_of_executed_units' "$work/$name.log" || true
done
