# tests/integration_token/common.sh - sourced by the token scripts.
#
#   MODULE=build/pkcs11/libmeeco-pkcs11.so tests/integration_token/X.sh
#   CHECKER="valgrind -q --error-exitcode=99" MODULE=... tests/...
#
# Every tool call that loads the module is prefixed with $CHECKER.  All
# state lives in a temporary folder (HOME, XDG_DATA_HOME and a config
# file naming one local token under $WORK/tokens), removed on exit.
set -euo pipefail

: "${MODULE:?set MODULE=<path to libmeeco-pkcs11.so>}"
MODULE=$(readlink -f "$MODULE")
HERE=$(cd "$(dirname "$0")" && pwd)
: "${CHECKER:=}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meeco-token-it.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

export HOME="$WORK/home"
export XDG_DATA_HOME="$WORK/data"
export XDG_CONFIG_HOME="$WORK/home/.config"
export MEECO_PKCS11_CONF="$WORK/meeco-pkcs11.conf"
mkdir -p "$HOME" "$XDG_DATA_HOME"
cat >"$MEECO_PKCS11_CONF" <<CONF
data_dir = $WORK/tokens
[token default]
backend = local
CONF

SO_PIN=87654321
PIN=correct-horse
LABEL=itoken

log() { echo "== $*" >&2; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# p11 ARGS...: pkcs11-tool on the module, output in $WORK/out.
p11() {
  $CHECKER pkcs11-tool --module "$MODULE" "$@" >"$WORK/out" 2>&1 || {
    cat "$WORK/out" >&2
    fail "pkcs11-tool $*"
  }
}

# p11_fails ARGS...: the call must fail.
p11_fails() {
  if $CHECKER pkcs11-tool --module "$MODULE" "$@" >"$WORK/out" 2>&1; then
    cat "$WORK/out" >&2
    fail "succeeded but should not: pkcs11-tool $*"
  fi
}

# expect TEXT: the last output contains TEXT.
expect() {
  grep -qF -- "$1" "$WORK/out" || {
    cat "$WORK/out" >&2
    fail "output lacks: $1"
  }
}

# init_token: an initialized token with a user PIN.
init_token() {
  p11 --init-token --label "$LABEL" --so-pin "$SO_PIN"
  p11 --init-pin --so-pin "$SO_PIN" --pin "$PIN"
}
