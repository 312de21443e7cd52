#!/usr/bin/env bash
# Build everything and run every test suite (the README's test command).
#
#   scripts/test.sh            build in build/ (-Werror), run all ctest labels,
#                              then an ASan+UBSan build of the unit/api tiers
#   SKIP_SANITIZERS=1 ...      skip the sanitizer pass
#   CTEST_ARGS="-L unit" ...   pass extra arguments to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

# npm packages for the interop tier (Meeco's own JS libraries).
if [ -f tests/interop/package.json ] && [ ! -d tests/interop/node_modules ]; then
  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
fi

cmake -S . -B build -DENABLE_STRICT=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" ${CTEST_ARGS:-}

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -DENABLE_STRICT=ON -DENABLE_SANITIZERS=ON \
        -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L 'unit|api'
fi
