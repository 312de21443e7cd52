#!/usr/bin/env bash
# shellcheck disable=SC2015  # pass/fail always return 0
# tests/interop_remote/run.sh - the published Meeco JS SDK (0.0.13-alpha)
# and libmeeco-pkcs11.so on the same Meeco accounts, served by a
# meeco-server this script starts (free loopback port, temporary
# database, subscription key required) and stops.
#
#  1. An account the SDK created (UserService.create) with items it wrote
#     (ItemService.create, a template item, a UTF-8 slot) logs in through
#     the module with its passphrase as the PIN: pkcs11-tool lists exactly
#     its slots as CKO_DATA (CKA_APPLICATION item name, CKA_LABEL slot
#     name) and reads every value byte for byte; a wrong PIN is
#     CKR_PIN_INCORRECT.  After the SDK updates a slot, adds an item and
#     removes a slot, a new login through the module sees exactly that.
#  2. An account `meeco-token signup` created logs in through the SDK
#     (getAuthData): it decrypts the data objects pkcs11-tool wrote
#     (UTF-8 text, binary bytes), the AES-256 key pkcs11-tool generated
#     unwraps under the SDK's KEK and is the key the module encrypts
#     with, and a slot value the SDK changes is what the module reads.
#
# Usage: run.sh MEECO_SERVER MEECO_TOKEN MODULE PKCS11_TOOL
# Exit 77 (ctest: skipped) when Node.js/npm or the npm packages are not
# available; else 0 when every check passed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
MEECO_SERVER=${1:?usage: run.sh MEECO_SERVER MEECO_TOKEN MODULE PKCS11_TOOL}
MEECO_TOKEN=${2:?}
MODULE=${3:?}
P11=${4:?}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node/npm not found: skipped"
  exit 77
fi
if [ ! -d "$here/node_modules/@meeco/sdk" ]; then
  if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "npm install failed: skipped"
    exit 77
  fi
fi

PASSED=0
FAILED=0
SERVER_PID=
TMP=$(mktemp -d "${TMPDIR:-/tmp}/meeco-interop-remote.XXXXXX")
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# Nothing from the user's environment: config, data and PINs under $TMP.
unset MEECO_PASSPHRASE MEECO_SO_PIN MEECO_NEW_PASSPHRASE
export XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data"
export HOME="$TMP/home"
export MEECO_PKCS11_CONF="$TMP/meeco-pkcs11.conf"

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check NAME COMMAND...: the command succeeds; output in $TMP/out, err.
check() {
  local name=$1; shift
  if "$@" >"$TMP/out" 2>"$TMP/err"; then pass "$name"
  else fail "$name (exit $?): $(head -c 600 "$TMP/out" "$TMP/err")"; fi
}

# sdk NAME COMMAND ARGS...: one sdk.js command on account NAME
# ($TMP/NAME.pass, $TMP/NAME.secret); its lines are shown.
sdk() {
  local acct=$1 cmd=$2; shift 2
  check "sdk $cmd $*" node "$here/sdk.js" "$URL" "$cmd" "$TMP/$acct.pass" \
    "$TMP/$acct.secret" "$@"
  sed 's/^/    /' "$TMP/out"
}

# tool TOKEN_LABEL ARGS...: pkcs11-tool on the module, one token.
tool() {
  local label=$1; shift
  timeout 120 "$P11" --module "$MODULE" --token-label "$label" "$@"
}

hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# module_view TOKEN_LABEL PIN OUT: every data object the module shows,
# "item<TAB>slot<TAB>hex(CKA_VALUE)" sorted, as sdk.js expect writes it.
module_view() {
  local label=$1 pin=$2 out=$3 app slot
  : >"$out.tmp"
  if ! tool "$label" --login --pin "$pin" --list-objects --type data \
      >"$TMP/list" 2>"$TMP/err"; then
    fail "pkcs11-tool --list-objects ($label): $(head -c 400 "$TMP/err")"
    return
  fi
  # pkcs11-tool prints "  label: 'x'" then "  application: 'y'" per object.
  awk -F"'" '/^  label:/ {l=$2} /^  application:/ {print $2 "\t" l}' \
    "$TMP/list" | sort >"$TMP/pairs"
  while IFS=$'\t' read -r app slot; do
    if tool "$label" --login --pin "$pin" --read-object --type data \
        --application-label "$app" --label "$slot" \
        --output-file "$TMP/value" >/dev/null 2>"$TMP/err"; then
      printf '%s\t%s\t%s\n' "$app" "$slot" "$(hexof "$TMP/value")" \
        >>"$out.tmp"
    else
      fail "read $app/$slot: $(head -c 400 "$TMP/err")"
    fi
    rm -f "$TMP/value"
  done <"$TMP/pairs"
  sort "$out.tmp" >"$out"
}

# same NAME WANT GOT: the two listings are identical (and shown).
same() {
  if cmp -s "$2" "$3"; then pass "$1 ($(wc -l <"$2") slots)"
  else fail "$1:"$'\n'"$(diff "$2" "$3" | head -40)"; fi
  sed 's/^/    /' "$3"
}

# mode_is NAME MODE FILE: octal permission bits.
mode_is() {
  local m
  m=$(stat -c %a "$3" 2>/dev/null)
  if [ "$m" = "$2" ]; then pass "$1 is mode $2"; else fail "$1: mode '$m'"; fi
}

# ---- meeco-server ---------------------------------------------------------
"$MEECO_SERVER" --listen 127.0.0.1:0 --db "$TMP/server.db" \
  --port-file "$TMP/port" --subscription-key SUBKEY \
  --access-log "$TMP/access.log" 2>"$TMP/server.log" &
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
URL="http://127.0.0.1:$(cat "$TMP/port")"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"

# ---- 1. an account the SDK created, through the module -------------------
SDK_PIN='correct horse battery stäple'
printf '%s\n' "$SDK_PIN" >"$TMP/sdk.pass"
sdk sdk signup
sdk sdk create-items
sdk sdk expect "$TMP/sdk.expected"

(umask 077 && cat >"$MEECO_PKCS11_CONF") <<EOF
[token sdk]
backend = remote
label = SDK account
keystore_url = $URL/keystore
vault_url = $URL/vault
subscription_key = SUBKEY
secret_key_file = $TMP/sdk.secret
db_path = $TMP/sdk.sqlite3
refresh_interval = 0
timeout = 30
EOF
mode_is "the SDK account's Secret Key file" 600 "$TMP/sdk.secret"
mode_is "the module configuration" 600 "$MEECO_PKCS11_CONF"

check "pkcs11-tool lists the token" tool 'SDK account' --list-slots
grep -Eq 'token label +: SDK account$' "$TMP/out" && pass "token label" \
  || fail "token label: $(cat "$TMP/out")"
module_view 'SDK account' "$SDK_PIN" "$TMP/sdk.module"
same "the module shows the SDK's slots, values byte for byte" \
  "$TMP/sdk.expected" "$TMP/sdk.module"
grep -q "$(printf 'Grüße, 世界 🔐 café' | od -An -v -tx1 | tr -d ' \n')" \
  "$TMP/sdk.module" && pass "the UTF-8 slot reads as UTF-8" \
  || fail "the UTF-8 slot reads as UTF-8"

if tool 'SDK account' --login --pin 'wrong passphrase' --list-objects \
    >"$TMP/out" 2>"$TMP/err"; then
  fail "a wrong PIN logs in"
elif grep -q CKR_PIN_INCORRECT "$TMP/err"; then
  pass "a wrong PIN is CKR_PIN_INCORRECT"
else
  fail "a wrong PIN: $(head -c 400 "$TMP/err")"
fi

# The SDK changes the account; a new login through the module sees it.
printf 'n3w password value' >"$TMP/new-password"
printf 'added by the SDK' >"$TMP/added"
sdk sdk update-slot web_login password "$TMP/new-password"
sdk sdk add-item 'Added Later' token "$TMP/added"
sdk sdk remove-slot my_car note
sdk sdk expect "$TMP/sdk.expected2"
module_view 'SDK account' "$SDK_PIN" "$TMP/sdk.module2"
same "after the SDK's changes the module shows them" \
  "$TMP/sdk.expected2" "$TMP/sdk.module2"
grep -q "^web_login	password	$(hexof "$TMP/new-password")$" \
  "$TMP/sdk.module2" && pass "the updated value" \
  || fail "the updated value"
grep -q "^added_later	token	$(hexof "$TMP/added")$" "$TMP/sdk.module2" \
  && pass "the added item" || fail "the added item"
grep -q "^my_car	note	" "$TMP/sdk.module2" && fail "the removed slot" \
  || pass "the removed slot is gone"

# ---- 2. an account meeco-token created, through the SDK ------------------
MOD_PIN='module passphrase ✓'
printf '%s\n' "$MOD_PIN" >"$TMP/mod.pass"
check "meeco-token signup" "$MEECO_TOKEN" --config "$MEECO_PKCS11_CONF" \
  signup --token mod --label 'Module account' --server "$URL" \
  --subscription-key SUBKEY --passphrase-file "$TMP/mod.pass"
secret_file=$(awk -F' *= *' '/^\[token mod\]/ {t=1; next} /^\[/ {t=0}
  t && $1 == "secret_key_file" {print $2}' "$MEECO_PKCS11_CONF")
if [ -n "$secret_file" ] && [ -s "$secret_file" ]; then
  cp "$secret_file" "$TMP/mod.secret"
  mode_is "signup's Secret Key file" 600 "$secret_file"
else
  fail "signup wrote the Secret Key file: '$secret_file'"
fi

printf 'Grüße aus dem Modul – 🔒\nzweite Zeile' >"$TMP/text"
head -c 64 /dev/urandom >"$TMP/binary"
check "pkcs11-tool writes a UTF-8 data object" tool 'Module account' \
  --login --pin "$MOD_PIN" --write-object "$TMP/text" --type data \
  --application-label from_module --label secret_note
check "pkcs11-tool writes a binary data object" tool 'Module account' \
  --login --pin "$MOD_PIN" --write-object "$TMP/binary" --type data \
  --application-label from_module --label random_bytes
sdk mod check-slot from_module secret_note "$TMP/text"
sdk mod check-slot from_module random_bytes "$TMP/binary"

check "pkcs11-tool generates an AES-256 key" tool 'Module account' \
  --login --pin "$MOD_PIN" --keygen --key-type aes:32 --label module_dek
check "pkcs11-tool lists it" tool 'Module account' --login --pin "$MOD_PIN" \
  --list-objects --type secrkey
dek_id=$(awk '/^Secret Key Object/ {s=1} s && /^  label:/ {l=$2}
  s && /^  ID:/ && l == "module_dek" {print $2; exit}' "$TMP/out")
iv=00112233445566778899aabbccddeeff
printf 'encrypted by the module under its new key' >"$TMP/plain"
check "the module encrypts with it (AES-CBC-PAD)" tool 'Module account' \
  --login --pin "$MOD_PIN" --encrypt --id "$dek_id" -m AES-CBC-PAD \
  --iv "$iv" --input-file "$TMP/plain" --output-file "$TMP/cipher"
sdk mod check-dek "$dek_id" "$iv" "$TMP/cipher" "$TMP/plain"

printf 'changed by the SDK' >"$TMP/changed"
sdk mod update-slot from_module secret_note "$TMP/changed"
check "the module reads the SDK's change" tool 'Module account' --login \
  --pin "$MOD_PIN" --read-object --type data --application-label from_module \
  --label secret_note --output-file "$TMP/readback"
cmp -s "$TMP/readback" "$TMP/changed" && pass "it is the new value" \
  || fail "it is the new value: $(hexof "$TMP/readback")"

if [ "$FAILED" -ne 0 ]; then
  echo "--- meeco-server log"
  tail -n 40 "$TMP/server.log" "$TMP/access.log"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
