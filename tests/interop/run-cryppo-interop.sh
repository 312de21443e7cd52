#!/usr/bin/env bash
# tests/interop/run-cryppo-interop.sh CRYPPO_BIN - run the Cryppo interop
# suite against @meeco/cryppo (installed here from the npm registry when
# node_modules is missing).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/@meeco/cryppo ]; then
  npm install --no-audit --no-fund --loglevel=error
fi
exec node cryppo-interop.js "$1"
