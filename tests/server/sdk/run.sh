#!/usr/bin/env bash
# tests/server/sdk/run.sh MEECO_SERVER_BIN - start meeco-server on a free
# loopback port with a fresh database and run the published Meeco JS SDK
# against it (interop.js).  Installs the npm packages of package.json on
# first use.  Exit 77 (ctest: skipped) when Node.js or the packages are
# not available; otherwise the exit status of interop.js.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh MEECO_SERVER_BIN}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node/npm not found: skipped"
  exit 77
fi
if [ ! -d "$here/node_modules/@meeco/sdk" ]; then
  if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "npm install failed: skipped"
    exit 77
  fi
fi

dir=$(mktemp -d /tmp/meeco-server-sdk-XXXXXX)
"$bin" --listen 127.0.0.1:0 --db "$dir/server.db" --port-file "$dir/port" \
  --subscription-key SUBKEY --access-log "$dir/access.log" \
  2>"$dir/server.log" &
pid=$!
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

for _ in $(seq 600); do
  [ -s "$dir/port" ] && break
  sleep 0.05
done
if [ ! -s "$dir/port" ]; then
  echo "meeco-server did not start:"
  cat "$dir/server.log"
  exit 1
fi
node "$here/interop.js" "http://127.0.0.1:$(cat "$dir/port")"
rc=$?
if [ "$rc" != 0 ]; then
  echo "--- access log"
  cat "$dir/access.log"
fi
exit "$rc"
