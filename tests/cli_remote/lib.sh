# shellcheck shell=bash disable=SC2034  # variables are for the test scripts
# tests/cli_remote/lib.sh - helpers for the remote-token CLI tests:
# assertions in the style of tests/unit_cli/lib.sh, a meeco-server on a
# free loopback port with a temporary database, and an environment where
# meeco-token finds its config and data under $TMP only.
#
# Sourced by test_*.sh with MEECO_TOKEN and MEECO_SERVER set (the
# binaries).  Each check prints "ok"/"not ok"; finish prints
# "N passed, N failed" and fails when anything failed.  The EXIT trap
# stops the server this script started and removes $TMP.
set -u
PASSED=0
FAILED=0
SERVER_PID=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/meeco-cli-remote.XXXXXX")

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT

# Only $TMP: no user config, data or passphrase leaks in.
unset MEECO_PKCS11_CONF MEECO_PASSPHRASE MEECO_SO_PIN MEECO_NEW_PASSPHRASE
export XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data"
export HOME="$TMP/home"
CONF="$XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf"
DATA="$XDG_DATA_HOME/meeco-pkcs11"

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check NAME COMMAND...: the command must succeed; output in $TMP/out,err.
check() {
  local name=$1; shift
  if "$@" >"$TMP/out" 2>"$TMP/err"; then pass "$name"
  else fail "$name (exit $?): $(head -c 400 "$TMP/err")"; fi
}

# check_exit NAME CODE PATTERN COMMAND...: the command must exit with CODE
# and print PATTERN (grep -E) on stderr.
check_exit() {
  local name=$1 want=$2 pattern=$3 rc=0; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, want $want: $(head -c 400 "$TMP/err")"
  elif ! grep -Eq -- "$pattern" "$TMP/err"; then
    fail "$name: stderr lacks /$pattern/: $(head -c 400 "$TMP/err")"
  else
    pass "$name"
  fi
}

# has NAME REGEX FILE: some line of FILE matches (grep -E).
has() {
  if grep -Eq -- "$2" "$3"; then pass "$1"
  else fail "$1: $3 lacks /$2/: $(head -c 400 "$3")"; fi
}

# lacks NAME REGEX FILE: no line of FILE matches.
lacks() {
  if grep -Eq -- "$2" "$3"; then fail "$1: $3 has /$2/"
  else pass "$1"; fi
}

# mode_is NAME MODE FILE: octal permission bits (e.g. 600).
mode_is() {
  local m
  m=$(stat -c %a "$3" 2>/dev/null)
  if [ "$m" = "$2" ]; then pass "$1"; else fail "$1: mode '$m', want $2"; fi
}

# start_server [FLAGS...]: meeco-server on 127.0.0.1, a free port,
# database in $TMP, extra flags passed on; sets PORT and URL (http).
start_server() {
  rm -f "$TMP/port"
  "$MEECO_SERVER" --listen 127.0.0.1:0 --db "$TMP/server.db" \
    --port-file "$TMP/port" --access-log "$TMP/access.log" "$@" \
    2>>"$TMP/server.log" &
  SERVER_PID=$!
  for _ in $(seq 600); do
    [ -s "$TMP/port" ] && break
    sleep 0.05
  done
  if [ ! -s "$TMP/port" ]; then
    echo "meeco-server did not start:"
    cat "$TMP/server.log"
    exit 1
  fi
  PORT=$(cat "$TMP/port")
  URL="http://127.0.0.1:$PORT"
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
