#!/usr/bin/env bash
# tests/interop_vendor/run.sh MEECO_TOKEN_BIN MODULE_SO VENDOR_DRIVER - the
# module's Meeco vendor mechanisms against @meeco/cryppo 2.0.2:
#  1. vendor-driver: C_Encrypt(DEK, CKM_MEECO_CRYPPO_AES_GCM) of a text and
#     C_WrapKey(auth public key, DEK, CKM_MEECO_CRYPPO_RSA);
#  2. vendor-check.js: with the DEK / private key it unwraps from
#     `meeco-token export`, cryppo-js decrypts both; then it makes a fresh key
#     for the token's public key (Rsa4096) and a text encrypted with it;
#  3. vendor-driver: C_UnwrapKey of that Rsa4096 string and C_Decrypt of
#     that text with the new AES key object; a tampered string must fail.
set -euo pipefail
bin=$1
module=$2
driver=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../interop_export/account-env.sh"
pass=$(printf 'vendor interop p\xc3\xa4ssphrase')
printf '%s\n' "$pass" > "$work/passphrase"
printf 'so-pin-1234\n' > "$work/so-pin"

passed=0
failed=0
check() { # check NAME COND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "not ok - $name"; fi
}

# fails_at STEP ARGS...: vendor-driver ARGS reports STEP failed (exit 1 and
# "vendor-driver: STEP:" on stderr), not a crash or an earlier step.
fails_at() {
  local step=$1 rc=0; shift
  "$driver" "$module" "$pass" "$@" >/dev/null 2>"$work/driver.err" || rc=$?
  [ "$rc" -eq 1 ] && grep -q "^vendor-driver: $step:" "$work/driver.err"
}

secret=$("$bin" init --label "Vendor interop" --passphrase-file "$work/passphrase" \
                --so-pin-file "$work/so-pin" 2>"$work/init.log") || {
  cat "$work/init.log"; echo "not ok - meeco-token init"; exit 1; }

text=$(printf 'encrypted by C_Encrypt \xe2\x9c\x93 with the DEK')
aes=$("$driver" "$module" "$pass" encrypt "$text")
wrapped=$("$driver" "$module" "$pass" wrap)
"$bin" export --output "$work/export.json"

js=0
node "$here/vendor-check.js" --export "$work/export.json" --secret "$secret" \
  --passphrase-file "$work/passphrase" --text "$text" \
  --token-aes "$aes" --token-wrapped "$wrapped" --out "$work/from-js.json" || js=1
check "vendor-check.js (cryppo-js side) passed" test "$js" -eq 0

if [ -s "$work/from-js.json" ]; then
  field() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]])' "$work/from-js.json" "$1"; }
  rsa=$(field rsa)
  js_aes=$(field aes)
  js_text=$(field text)
  tampered=$(field tampered)
  flip=A; [ "${rsa:20:1}" = A ] && flip=B
  bad_rsa="${rsa:0:20}${flip}${rsa:21}"
  got=$("$driver" "$module" "$pass" unwrap "$rsa" "$js_aes") || got='<driver failed>'
  check "C_UnwrapKey(CKM_MEECO_CRYPPO_RSA) of the cryppo-js Rsa4096 string gives an AES key that C_Decrypts the cryppo-js Aes256Gcm string" \
    test "$got" = "$js_text"
  check "C_Decrypt of a tampered cryppo-js Aes256Gcm string fails" \
    fails_at C_Decrypt unwrap "$rsa" "$tampered"
  check "C_UnwrapKey of a tampered Rsa4096 string fails" \
    fails_at C_UnwrapKey unwrap "$bad_rsa" "$js_aes"
else
  check "vendor-check.js wrote the cryppo-js strings" false
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
