#!/usr/bin/env bash
# tests/server/bench/wrk.sh MEECO_SERVER_BIN [SECONDS] - throughput of
# meeco-server for GET /vault/items/{id} and POST /vault/items with wrk,
# 1 and 2 client threads (4 and 8 connections), against a server with the
# default 2 workers on loopback.  Needs wrk and the npm packages of
# tests/server/sdk (or SDK_NODE_MODULES=/path/to/node_modules holding
# @meeco/sdk, as bench/run-remote.sh passes bench/remote/node_modules).
# Prints wrk's summary lines and, per run, one line
#   #R wrk get|post THREADS REQUESTS_PER_SEC NON_2XX
# for bench/run-remote.sh.
# Not a ctest entry: numbers depend on the machine and its load.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: wrk.sh MEECO_SERVER_BIN [SECONDS]}
secs=${2:-10}
export NODE_PATH=${SDK_NODE_MODULES:-$here/../sdk/node_modules}
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

# run_wrk get|post THREADS WRK-ARGS...: wrk's summary and the #R line.
run_wrk() {
  local what=$1 t=$2 rps non2xx
  shift 2
  wrk -t"$t" -c"$((t * 4))" -d"${secs}s" "$@" >"$dir/wrk.out"
  grep -E 'Requests/sec|Latency|requests in|Non-2xx' "$dir/wrk.out"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$dir/wrk.out")
  echo "#R wrk $what $t ${rps:-0} ${non2xx:-0}"
}

for t in 1 2; do
  echo "== GET /vault/items/{id}  wrk -t$t -c$((t * 4)) -d${secs}s"
  run_wrk get "$t" -H "Authorization: $token" "$base/vault/items/$item"
  echo "== POST /vault/items  wrk -t$t -c$((t * 4)) -d${secs}s"
  run_wrk post "$t" -s "$here/post_item.lua" "$base/vault/items"
done
