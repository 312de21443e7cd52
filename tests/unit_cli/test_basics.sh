#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015  # pass/fail always return 0
# cryppo CLI: help, version, genkey, genkeypair and usage errors.
# Usage: test_basics.sh CRYPPO FIXTURES VECTORS
CRYPPO=$1
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# ---- help and version -------------------------------------------------
check "--help exits 0" "$CRYPPO" --help
matches "--help lists the commands" \
  'genkeypair.*' "$(tr '\n' ' ' <"$TMP/out")"
for c in genkey genkeypair encrypt decrypt sign verify secret; do
  grep -q "^  $c " "$TMP/out" && pass "--help lists $c" || fail "--help lists $c"
done
check "help exits 0" "$CRYPPO" help
check "no command prints help" "$CRYPPO"
grep -q COMMANDS "$TMP/out" && pass "no command shows COMMANDS" \
  || fail "no command shows COMMANDS"
check "help encrypt" "$CRYPPO" help encrypt
grep -q -- '--publicKeyFile' "$TMP/out" && pass "help encrypt shows -P" \
  || fail "help encrypt shows -P"
check "encrypt --help" "$CRYPPO" encrypt --help
grep -q -- '--value' "$TMP/out" && pass "encrypt --help shows --value" \
  || fail "encrypt --help shows --value"
for c in genkey genkeypair decrypt sign verify secret; do
  check "help $c" "$CRYPPO" help "$c"
  [ -s "$TMP/out" ] && pass "help $c prints text" || fail "help $c prints text"
done
check "--version exits 0" "$CRYPPO" --version
matches "--version names cryppo" '^cryppo/[0-9]+\.[0-9]+' "$(cat "$TMP/out")"
check_exit "unknown command" 2 "unknown command 'frobnicate'" \
  "$CRYPPO" frobnicate
check_exit "help of unknown command" 2 "unknown command" \
  "$CRYPPO" help frobnicate

# ---- genkey ------------------------------------------------------------
check "genkey" "$CRYPPO" genkey
k1=$(cat "$TMP/out")
matches "genkey default is 256-bit padded b64url" '^[A-Za-z0-9_-]{43}=$' "$k1"
"$CRYPPO" genkey >"$TMP/k2"
[ "$k1" != "$(cat "$TMP/k2")" ] && pass "genkey keys differ" \
  || fail "genkey keys differ"
check "genkey -l 128" "$CRYPPO" genkey -l 128
matches "128-bit key is 24 chars" '^[A-Za-z0-9_-]{22}==$' "$(cat "$TMP/out")"
check "genkey --length 192" "$CRYPPO" genkey --length 192
matches "192-bit key is 32 chars" '^[A-Za-z0-9_-]{32}$' "$(cat "$TMP/out")"
check "genkey --length=256" "$CRYPPO" genkey --length=256
matches "256-bit key is 44 chars" '^[A-Za-z0-9_-]{43}=$' "$(cat "$TMP/out")"
check_exit "genkey -l 100 refused" 2 "128, 192 or 256" "$CRYPPO" genkey -l 100
check_exit "genkey -l abc refused" 2 "128, 192 or 256" "$CRYPPO" genkey -l abc
check_exit "genkey -l without value" 2 "missing value|unknown option" \
  "$CRYPPO" genkey -l
check_exit "genkey unknown flag" 2 "unknown option" "$CRYPPO" genkey --bogus
check_exit "genkey extra argument" 2 "unexpected argument" \
  "$CRYPPO" genkey extra

# ---- genkeypair (2048 bits keeps the test fast) --------------------------
check "genkeypair -b 2048" "$CRYPPO" genkeypair -p "$TMP/priv.pem" \
  -P "$TMP/pub.pem" -b 2048
same "private key is PKCS#1" "-----BEGIN RSA PRIVATE KEY-----" \
  "$(head -1 "$TMP/priv.pem" | tr -d '\r')"
same "public key is SPKI" "-----BEGIN PUBLIC KEY-----" \
  "$(head -1 "$TMP/pub.pem" | tr -d '\r')"
same "private key file mode 0600" 600 "$(stat -c %a "$TMP/priv.pem")"
if command -v openssl >/dev/null; then
  bits=$(openssl rsa -in "$TMP/priv.pem" -noout -text 2>/dev/null \
    | head -1 | grep -Eo '[0-9]+ bit')
  same "openssl reads a 2048-bit key" "2048 bit" "$bits"
  pub_from_priv=$(openssl rsa -in "$TMP/priv.pem" -pubout 2>/dev/null)
  same "public key matches private" "$pub_from_priv" "$(tr -d '\r' <"$TMP/pub.pem")"
fi
check "genkeypair long flags" "$CRYPPO" genkeypair \
  --privateKeyOut="$TMP/priv2.pem" --publicKeyOut "$TMP/pub2.pem" --bits 2048
[ -s "$TMP/priv2.pem" ] && [ -s "$TMP/pub2.pem" ] \
  && pass "genkeypair long flags wrote files" \
  || fail "genkeypair long flags wrote files"
check_exit "genkeypair without -P" 2 "required" \
  "$CRYPPO" genkeypair -p "$TMP/x.pem"
check_exit "genkeypair without -p" 2 "required" \
  "$CRYPPO" genkeypair -P "$TMP/x.pem"
check_exit "genkeypair -b 512 refused" 2 "bits" \
  "$CRYPPO" genkeypair -p "$TMP/a.pem" -P "$TMP/b.pem" -b 512
check_exit "genkeypair into a missing folder" 1 "cannot create" \
  "$CRYPPO" genkeypair -p "$TMP/no/such/dir/a.pem" -P "$TMP/b.pem" -b 2048

finish
