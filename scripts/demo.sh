#!/usr/bin/env bash
# The main job: a local Meeco token (the embedded default: no server, no
# configuration file) that pkcs11-tool uses.  Run after building into build/:
#
#   cmake -S . -B build && cmake --build build -j && scripts/demo.sh
#
# The token lives under $XDG_DATA_HOME/meeco-pkcs11; the demo points
# XDG_DATA_HOME at build/demo (wiped on each run) so it never touches a token
# of yours.  DEMO_DIR=... overrides the place.  It prints the commands to
# keep using the token when it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
MODULE=$(realpath "$build/pkcs11/libmeeco-pkcs11.so")
export XDG_DATA_HOME=${DEMO_DIR:-$PWD/$build/demo}
unset MEECO_PKCS11_CONF
rm -rf "$XDG_DATA_HOME/meeco-pkcs11"
mkdir -p "$XDG_DATA_HOME"
SO_PIN=demo-so-pin
PIN='correct horse battery staple'
p11() { pkcs11-tool --module "$MODULE" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "a fresh module shows one uninitialized local token"
p11 -L

step "C_InitToken + C_InitPIN create a local Meeco account (KEK, DEK, auth keypair)"
p11 --init-token --label demo --so-pin "$SO_PIN"
p11 --login --login-type so --so-pin "$SO_PIN" --init-pin --pin "$PIN"
p11 -L

step "the account's keys, visible after login (the PIN is the Meeco passphrase)"
p11 --login --pin "$PIN" -O

step "a Vault slot: item 'notes', slot 'greeting', encrypted under the DEK"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'hello from a Meeco vault' >"$tmp/value.txt"
p11 --login --pin "$PIN" --write-object "$tmp/value.txt" --type data \
    --label greeting --application-label notes
p11 --login --pin "$PIN" --read-object --type data --label greeting \
    -o "$tmp/back.txt"
printf 'read back: %s\n' "$(cat "$tmp/back.txt")"

step "a new DEK on the token; encrypt and decrypt with it (AES-CBC-PAD)"
p11 --login --pin "$PIN" --keygen --key-type AES:32 --label demo-dek | tee "$tmp/key.txt"
# pkcs11-tool --encrypt selects keys by --id only (it ignores --label).
id=$(sed -n 's/^ *ID: *//p' "$tmp/key.txt" | head -1)
printf 'secret message' >"$tmp/pt.txt"
iv=000102030405060708090a0b0c0d0e0f
p11 --login --pin "$PIN" --encrypt --id "$id" -m AES-CBC-PAD --iv "$iv" \
    -i "$tmp/pt.txt" -o "$tmp/ct.bin"
printf 'ciphertext: %s\n' "$(od -An -tx1 "$tmp/ct.bin" | tr -d ' \n')"
p11 --login --pin "$PIN" --decrypt --id "$id" -m AES-CBC-PAD --iv "$iv" \
    -i "$tmp/ct.bin" -o "$tmp/pt2.txt"
printf 'decrypted by the token: %s\n' "$(cat "$tmp/pt2.txt")"

step "what the account stores: Meeco Keystore/Vault JSON, ciphertext only (Cryppo strings)"
"$build/tools/meeco-token/meeco-token" export | grep -E '"(serialized_key_encryption_key|encrypted_value)"'

cat <<MSG

The token is ready. Keep using it with:
  export XDG_DATA_HOME=$XDG_DATA_HOME
  pkcs11-tool --module $MODULE --login --pin '$PIN' -O
MSG
