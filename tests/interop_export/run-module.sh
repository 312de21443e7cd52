#!/usr/bin/env bash
# tests/interop_export/run-module.sh MEECO_TOKEN_BIN MODULE_SO - the issue's
# end-to-end proof: an account made by `meeco-token init`, a CKO_DATA
# object written through the PKCS#11 module with pkcs11-tool, then Meeco's
# @meeco/cryppo, given only the Secret Key, the passphrase and
# `meeco-token export`, unwraps the keys and decrypts that slot value.
set -euo pipefail
bin=$1
module=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/account-env.sh"
pass='correct horse battery st\xc3\xa4ple'
pass=$(printf "$pass")
printf '%s\n' "$pass" > "$work/passphrase"
printf 'so-pin-1234\n' > "$work/so-pin"

secret=$("$bin" init --label "Module interop" --passphrase-file "$work/passphrase" \
                --so-pin-file "$work/so-pin" 2>"$work/init.log")

printf 'written through PKCS#11 \xe2\x9c\x93' > "$work/value"
pkcs11-tool --module "$module" --login --pin "$pass" --write-object "$work/value" \
            --type data --label p11_interop_object --application-label interop_notes >"$work/p11.log" 2>&1 || {
  cat "$work/p11.log"; echo "not ok - pkcs11-tool --write-object"; echo "0 passed, 1 failed"; exit 1; }
"$bin" export --output "$work/export.json"

node "$here/meeco-export-check.js" --export "$work/export.json" --secret "$secret" \
  --passphrase-file "$work/passphrase" \
  --expect "interop_notes/p11_interop_object=$(cat "$work/value")"
