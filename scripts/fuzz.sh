#!/usr/bin/env bash
# Build the libFuzzer targets with clang into build-fuzz and run each one
# for FUZZ_SECONDS (default 60).  Fails if any target crashes, leaks or
# times out; crash inputs are left in build-fuzz/fuzz/artifacts/.
#
#   scripts/fuzz.sh                  every target, 60 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh
#   FUZZ_TARGETS="fuzz_cryppo_parse" scripts/fuzz.sh   (default: every
#                                     fuzz/fuzz_*.c; seeds in fuzz/corpus/NAME
#                                     or fuzz/corpus/<first word of NAME>)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}
all_targets=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done)
targets=${FUZZ_TARGETS:-$all_targets}

CC=clang cmake -S . -B "$build" -DENABLE_FUZZING=ON -DENABLE_SANITIZERS=ON \
  -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for t in $targets; do
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "$t"
done

status=0
for t in $targets; do
  name=${t#fuzz_}                      # cryppo_parse, server_json, ...
  seeds=fuzz/corpus/$name
  [ -d "$seeds" ] || seeds=fuzz/corpus/${name%%_*}
  work="$build/fuzz/corpus-$name"
  artifacts="$build/fuzz/artifacts/"
  mkdir -p "$work" "$artifacts"
  echo "== $t for ${seconds}s (seeds: $seeds)"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts" "$work" "$seeds"; then
    echo "!! $t failed; see $artifacts" >&2
    status=1
  fi
done
exit $status
