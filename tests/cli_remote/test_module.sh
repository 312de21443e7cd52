#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015,SC2119  # pass/fail return 0; start_server takes optional flags
# The configuration meeco-token signup writes is the one the module reads:
# pkcs11-tool sees the remote token, logs in with the passphrase, reads
# the slot `items create` put on the server, and a data object it writes
# reaches the server (a fresh replica made by `meeco-token login` has it).
# Usage: test_module.sh MEECO_TOKEN MEECO_SERVER MODULE PKCS11_TOOL
MEECO_TOKEN=$1
MEECO_SERVER=$2
MODULE=$3
P11=$4
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MT=$MEECO_TOKEN
PIN='correct horse battery staple'
printf '%s\n' "$PIN" >"$TMP/pass"
P=(--passphrase-file "$TMP/pass")
tool() { timeout 120 "$P11" --module "$MODULE" "$@"; }

start_server
check "signup" "$MT" signup --token work --label Work --server "$URL" \
  "${P[@]}"
check "items create" "$MT" --token work items create --item web_login \
  --slot password --value 's3cret value' "${P[@]}"

check "pkcs11-tool lists the token" tool --list-slots
has "token label from the config" 'token label +: Work$' "$TMP/out"
has "a remote token" 'token model +: remote$' "$TMP/out"
check "pkcs11-tool reads the slot" tool --login --pin "$PIN" --read-object \
  --type data --application-label web_login --label password
[ "$(cat "$TMP/out")" = 's3cret value' ] && pass "the module decrypts it" \
  || fail "the module decrypts it: '$(cat "$TMP/out")'"
check_exit "pkcs11-tool with a wrong passphrase" 1 "CKR_PIN_INCORRECT" \
  tool --login --pin wrong-passphrase --list-objects

printf 'from the module' >"$TMP/value"
check "pkcs11-tool writes a data object" tool --login --pin "$PIN" \
  --write-object "$TMP/value" --type data --application-label api \
  --label key
second="$TMP/second.conf"
cp "$CONF" "$second"
echo "db_path = $TMP/second.sqlite3" >>"$second"
check "login into a fresh replica" "$MT" --conf "$second" --token work \
  login "${P[@]}"
check "its items" "$MT" --conf "$second" --token work items list --values \
  "${P[@]}"
has "the module's object went to the server" \
  '^  slot +key .* = from the module$' "$TMP/out"

finish
