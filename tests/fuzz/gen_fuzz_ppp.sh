#!/bin/sh
# gen_fuzz_ppp.sh - regenerates tests/fuzz/corpus/fuzz_ppp from an
# in-memory client/server session (gen_fuzz_ppp.c). Run from the top of
# the tree after building the engine into build/.
set -eu
top=$(pwd)
out="$top/tests/fuzz/corpus/fuzz_ppp"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
${CC:-cc} -std=c17 -D_GNU_SOURCE -I"$top/src" -I"$top/tests/fuzz" \
    "$top/tests/fuzz/gen_fuzz_ppp.c" "$top/build/libpptpkit_engine.a" \
    $(pkg-config --libs nettle) -o "$tmp/gen"
"$tmp/gen" "$out"
ls "$out"
