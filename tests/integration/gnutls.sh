#!/usr/bin/env bash
# GnuTLS: p11tool lists the token and its objects (with pkcs11: URIs) and
# --test-sign signs with the token's private key and verifies the signature
# against the token's public key.
# Negative cases: wrong PIN, missing key.
#
#   MODULE=<module.so> tests/integration/gnutls.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"

p11t() { $CHECKER p11tool --provider "$MODULE" "$@" </dev/null; }
TOKEN="pkcs11:token=$TOKEN_LABEL"

log "p11tool --list-tokens shows the token"
p11t --list-tokens >tokens.txt
cat tokens.txt
grep -q "Label: $TOKEN_LABEL\$" tokens.txt || fail "token '$TOKEN_LABEL' not listed"

log "p11tool --list-all (public objects, then after login)"
p11t --list-all "$TOKEN" >public.txt
cat public.txt
grep -q "type=public" public.txt || fail "public key not listed without login"
GNUTLS_PIN=$PIN p11t --login --list-all "$TOKEN" >all.txt
cat all.txt
grep -q "type=private" all.txt || fail "private key not listed after login"
tr -d : <all.txt | grep -qi "ID *$id\$" || fail "private key CKA_ID $id not shown"

log "p11tool --test-sign with the token's key"
GNUTLS_PIN=$PIN p11t --login --test-sign "$TOKEN;object=$KEY_LABEL;type=private" \
  2>&1 | tee sign.txt
grep -q "Verifying against public key in the token... ok" sign.txt ||
  fail "test-sign did not verify against the token's public key"

log "negative: wrong PIN, missing key"
GNUTLS_PIN=$BAD_PIN expect_fail p11t --login --test-sign \
  "$TOKEN;object=$KEY_LABEL;type=private"
GNUTLS_PIN=$PIN expect_fail p11t --login --test-sign \
  "$TOKEN;object=nosuchkey;type=private"

log "PASS gnutls"
