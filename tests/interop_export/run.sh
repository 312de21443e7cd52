#!/usr/bin/env bash
# tests/interop_export/run.sh MEECO_TOKEN_BIN - create a local account with
# `meeco-token init`, add slots, export, and let Meeco's @meeco/cryppo
# (meeco-export-check.js) unwrap everything from the Secret Key, the
# passphrase and the export alone.
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/account-env.sh"
printf 'correct horse battery st\xc3\xa4ple \xf0\x9f\x94\x91\n' > "$work/passphrase"
printf 'so-pin-1234\n' > "$work/so-pin"
head -c 300 /dev/urandom > "$work/binary"

secret=$("$bin" init --label "Interop token" --passphrase-file "$work/passphrase" \
                --so-pin-file "$work/so-pin" 2>"$work/init.log")
case "$secret" in
  1.local-*) ;;
  *) echo "not ok - meeco-token init printed no Secret Key"; cat "$work/init.log"
     echo "0 passed, 1 failed"; exit 1 ;;
esac
grep -q "^secret_key = $secret\$" "$XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf"
[ "$(stat -c %a "$XDG_CONFIG_HOME/meeco-pkcs11/meeco-pkcs11.conf")" = 600 ]

add() { "$bin" items add --passphrase-file "$work/passphrase" "$@" >/dev/null; }
add --item "My Car" --slot "Model Make" --slot-label "Make" --value "Tesla Model 3 ✓"
add --item "My Car" --slot "licence_plate" --value "ABC-123"
add --item "Binary" --slot "blob" --type password --value-file "$work/binary"
"$bin" export --output "$work/export.json"

# The checker must be able to fail: a wrong value and a wrong passphrase.
if node "$here/meeco-export-check.js" --export "$work/export.json" --secret "$secret" \
     --passphrase-file "$work/passphrase" --expect "my_car/licence_plate=XYZ-999" \
     >"$work/neg1.log" 2>&1; then
  echo "not ok - checker accepted a wrong slot value"; echo "0 passed, 1 failed"; exit 1
fi
if node "$here/meeco-export-check.js" --export "$work/export.json" --secret "$secret" \
     --passphrase "wrong passphrase" >"$work/neg2.log" 2>&1; then
  echo "not ok - checker accepted a wrong passphrase"; echo "0 passed, 1 failed"; exit 1
fi

node "$here/meeco-export-check.js" --export "$work/export.json" --secret "$secret" \
  --passphrase-file "$work/passphrase" \
  --expect "my_car/model_make=Tesla Model 3 ✓" \
  --expect "my_car/licence_plate=ABC-123" \
  --expect-label "Make=Tesla Model 3 ✓" \
  --expect-hex "binary/blob=$(od -An -v -tx1 "$work/binary" | tr -d ' \n')"
