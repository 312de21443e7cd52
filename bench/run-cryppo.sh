#!/usr/bin/env bash
# bench/run-cryppo.sh - the Cryppo benchmark: C (bench-cryppo) next to raw
# OpenSSL EVP and next to @meeco/cryppo in Node, with the targets.
#
#   bench/run-cryppo.sh                 uses build/ (BUILD_DIR=... to change)
#   SECONDS_PER_CASE=2 bench/run-cryppo.sh
#
# Builds the bench-cryppo target if needed and installs tests/interop's npm
# packages if missing.  Not part of ctest: numbers depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
secs=${SECONDS_PER_CASE:-1}

if [ ! -d "$build" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target bench-cryppo >/dev/null
if [ ! -d tests/interop/node_modules/@meeco/cryppo ]; then
  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
"$build/bench/cryppo/bench-cryppo" "$secs" | tee "$out/c.txt" | grep -v '^#R'
echo
node bench/node/bench-cryppo.js "$secs" | tee "$out/js.txt" | grep -v '^#R'
echo

# Summary: C vs EVP vs JS, and the targets.
grep -h '^#R' "$out/c.txt" "$out/js.txt" | awk -F'\t' '
  { key = $3 "/" $4 }
  $2 == "c"  { c[key] = $5; cmb[key] = $6; evp[key] = $7; evpmb[key] = $8 }
  $2 == "js" { js[key] = $5 }
  END {
    printf "%-8s %-8s %12s %12s %12s %9s %9s\n", "op", "size", "C op/s",
           "EVP op/s", "JS op/s", "C/EVP", "C/JS"
    n = split("encrypt/100 decrypt/100 encrypt/4096 decrypt/4096 encrypt/1048576 decrypt/1048576", keys, " ")
    for (i = 1; i <= n; i++) {
      k = keys[i]; split(k, p, "/")
      printf "%-8s %-8s %12.0f %12.0f %12.1f %8.1f%% %8.0fx\n", p[1], p[2],
             c[k], evp[k], js[k], 100 * c[k] / evp[k], c[k] / js[k]
    }
    # The bound a base64 string allows: GCM then the codec, back to back.
    split("encrypt/b64encode decrypt/b64decode", pairs, " ")
    for (i = 1; i <= 2; i++) {
      split(pairs[i], q, "/"); k = q[1] "/1048576"; b = q[2] "/1048576"
      bound = 1 / (1 / evpmb[k] + 1 / cmb[b])
      printf "%-8s 1 MiB    %.0f MB/s = %.1f%% of the EVP+base64 bound (%.0f MB/s)\n",
             q[1], cmb[k], 100 * cmb[k] / bound, bound
    }
    # Decryption hands the caller a secbuf that secbuf_free wipes; the
    # benchmark loop pays that, raw EVP does not.
    k = "decrypt/1048576"; w = 1e6 / c["wipe/1048576"]
    printf "decrypt  1 MiB    without the caller'"'"'s %.0f us wipe: %.1f%% of raw EVP\n",
           w, 100 * (1e6 / evp[k]) / (1e6 / c[k] - w)
    pk = "pbkdf2/100000"
    printf "pbkdf2   100000   C %.1f ms, OpenSSL %.1f ms, JS %.1f ms (C/JS %.0fx)\n",
           1000 / c[pk], 1000 / evp[pk], 1000 / js[pk], c[pk] / js[pk]
    print ""
    print "Targets:"
    split("encrypt decrypt", ops, " ")
    for (i = 1; i <= 2; i++) {
      k = ops[i] "/100"
      r = 100 * c[k] / evp[k]
      printf "  %-8s 100 B  >= 40%% of raw EVP: %5.1f%%  %s\n", ops[i], r, (r >= 40 ? "met" : "MISSED")
      r = c[k] / js[k]
      printf "  %-8s 100 B  >= 50x cryppo-js:   %5.0fx  %s\n", ops[i], r, (r >= 50 ? "met" : "MISSED")
      k = ops[i] "/1048576"
      r = 100 * c[k] / evp[k]
      printf "  %-8s 1 MiB  within 10%% of EVP:  %5.1f%%  %s\n", ops[i], r, (r >= 90 ? "met" : "MISSED")
    }
  }'
