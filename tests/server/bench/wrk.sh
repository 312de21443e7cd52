#!/usr/bin/env bash
# tests/server/bench/wrk.sh MEECO_SERVER_BIN [SECONDS] - throughput of
# meeco-server for GET /vault/items/{id} and POST /vault/items with wrk,
# 1 and 2 client threads, against a server with the default 2 workers on
# loopback.  Needs wrk and the npm packages of tests/server/sdk.
# Not a ctest entry: numbers depend on the machine and its load.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: wrk.sh MEECO_SERVER_BIN [SECONDS]}
secs=${2:-10}
dir=$(mktemp -d /tmp/meeco-server-bench-XXXXXX)
"$bin" --listen 127.0.0.1:0 --db "$dir/db" --port-file "$dir/port" \
  --access-log off 2>"$dir/log" &
pid=$!
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 600); do [ -s "$dir/port" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$dir/port")"
read -r token item value < <(node "$here/setup.js" "$base")
export BENCH_TOKEN=$token BENCH_VALUE=$value
for t in 1 2; do
  c=$((t * 4))
  echo "== GET /vault/items/{id}  wrk -t$t -c$c -d${secs}s"
  wrk -t"$t" -c"$c" -d"${secs}s" -H "Authorization: $token" \
    "$base/vault/items/$item" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
  echo "== POST /vault/items  wrk -t$t -c$c -d${secs}s"
  wrk -t"$t" -c"$c" -d"${secs}s" -s "$here/post_item.lua" \
    "$base/vault/items" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
done
