# tests/interop_export/account-env.sh - sourced by the interop scripts that
# make a local account with meeco-token (run.sh, run-module.sh,
# ../interop_vendor/run.sh): a temporary $work, removed on exit, holds HOME
# and the XDG folders; no MEECO_* setting comes from the caller; Meeco's
# @meeco/cryppo is installed in tests/interop/node_modules if missing.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

interop_modules="$(dirname "${BASH_SOURCE[0]}")/../interop"
if [ ! -d "$interop_modules/node_modules/@meeco/cryppo" ]; then
  (cd "$interop_modules" && npm install --no-audit --no-fund --loglevel=error)
fi

export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
unset MEECO_PKCS11_CONF MEECO_PASSPHRASE MEECO_SO_PIN
