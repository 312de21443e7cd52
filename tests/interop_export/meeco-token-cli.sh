#!/usr/bin/env bash
# tests/interop_export/meeco-token-cli.sh MEECO_TOKEN_BIN - the meeco-token
# command line: init from the environment, refusal to re-initialize,
# --force with a wrong and the right SO PIN, passwd, items, status, list,
# a second named token in an explicit config file, config errors.
set -uo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
unset MEECO_PKCS11_CONF MEECO_PASSPHRASE MEECO_SO_PIN MEECO_NEW_PASSPHRASE
conf="$XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf"
passed=0
failed=0
check() { # check NAME COMMAND... : the command must succeed
  local name=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; cat "$work/err"; fi
}
expect() { # expect NAME COMMAND... : a verification; leaves out/err alone
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; fi
}
refuse() { # refuse NAME COMMAND... : the command must fail
  local name=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then failed=$((failed + 1)); echo "not ok - $name (succeeded)"
  else passed=$((passed + 1)); echo "ok - $name"; fi
}

check "status of a fresh token" "$bin" status
expect "fresh token is uninitialized" grep -q "uninitialized" "$work/out"
refuse "init without a passphrase" "$bin" init --label X </dev/null
check "init from MEECO_PASSPHRASE / MEECO_SO_PIN" \
  env MEECO_PASSPHRASE=pass-one MEECO_SO_PIN=so-one "$bin" init --label "CLI token"
secret=$(cat "$work/out")
expect "Secret Key printed alone on stdout" grep -Eq '^1\.local-[0-9a-f-]+\.[1-9A-HJ-NP-Za-km-z-]+$' "$work/out"
expect "Secret Key in the config" grep -qF "secret_key = $secret" "$conf"
expect "config file mode 0600" test "$(stat -c %a "$conf")" = 600
expect "database mode 0600" test "$(stat -c %a "$XDG_DATA_HOME/meeco-pkcs11/default.sqlite3")" = 600
refuse "second init is refused" env MEECO_PASSPHRASE=x "$bin" init
refuse "--force with a wrong SO PIN" env MEECO_PASSPHRASE=x MEECO_SO_PIN=wrong "$bin" init --force
check "status after a refused re-init still shows the label" "$bin" status
expect "label kept" grep -q "CLI token" "$work/out"
check "items add" env MEECO_PASSPHRASE=pass-one "$bin" items add --item notes --slot first --value hello
refuse "items add with a wrong passphrase" env MEECO_PASSPHRASE=nope "$bin" items add --item notes --slot x --value y
refuse "duplicate slot name" env MEECO_PASSPHRASE=pass-one "$bin" items add --item Notes --slot FIRST --value z
check "passwd" env MEECO_PASSPHRASE=pass-one MEECO_NEW_PASSPHRASE=pass-two "$bin" passwd
refuse "old passphrase no longer works" env MEECO_PASSPHRASE=pass-one "$bin" items get --item notes --slot first
check "items get with the new passphrase" env MEECO_PASSPHRASE=pass-two "$bin" items get --item notes --slot first
expect "value read back" test "$(cat "$work/out")" = hello
check "list shows the slot" "$bin" list
expect "list has kek, dek, keypair, item, slot" \
  bash -c "grep -c '^kek \|^dek \|^keypair \|^item \|^  slot ' '$work/out' | grep -qx 5"
check "--force with the right SO PIN" env MEECO_PASSPHRASE=pass-three MEECO_SO_PIN=so-one "$bin" init --force
expect "new Secret Key differs" test "$(cat "$work/out")" != "$secret"
expect "new Secret Key replaced the old one in the config" grep -qF "secret_key = $(cat "$work/out")" "$conf"
check "re-initialized token has no items" "$bin" status
expect "0 items" grep -q "0 items, 0 slots" "$work/out"

# A second, named token in an explicit config file.
other="$work/other.conf"
printf '# two tokens\n[token a]\nlabel = A\n[token b]\ndb_path = %s/b.db\n' "$work" > "$other"
printf 'pass-b\n' > "$work/pb"
check "init token b of an explicit config" "$bin" --config "$other" --token b init --passphrase-file "$work/pb"
expect "token b database at db_path" test -f "$work/b.db"
expect "comment kept in the edited config" grep -q "^# two tokens" "$other"
check "token a untouched" bash -c "$bin --config '$other' --token a status | grep -q uninitialized"
refuse "unknown token" "$bin" --config "$other" --token zz status
printf '[token a]\nbogus = 1\n' > "$work/bad.conf"
refuse "unknown config key is an error" "$bin" --config "$work/bad.conf" status
expect "error names the line" grep -q "line 2" "$work/err"
refuse "unknown command" "$bin" frobnicate

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
