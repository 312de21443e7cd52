#!/usr/bin/env bash
# OpenSSL 3 through the libp11 "pkcs11" engine: export the token's RSA
# public key, sign (PKCS#1 v1.5 and PSS), decrypt (OAEP SHA-1 and SHA-256);
# every result is checked by plain OpenSSL without the token.
# Negative cases: wrong PIN, missing key, signature over other data.
#
#   MODULE=<module.so> tests/integration/openssl.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"

engine_conf "$WORK/openssl.cnf"
eng() { OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER openssl "$@" </dev/null; }
plain() { OPENSSL_CONF=/dev/null openssl "$@" </dev/null; }

PRIV="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$PIN"
PUB="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=public"
cd "$WORK"
echo "the quick brown fox" >data.txt
head -c 32 /dev/urandom >secret.bin

log "export the public key"
eng pkey -engine pkcs11 -inform engine -pubin -in "$PUB" -out pub.pem
p11 --read-object --type pubkey --id "$id" -o pub.der >/dev/null
plain pkey -pubin -inform DER -in pub.der -out pub-tool.pem
cmp pub.pem pub-tool.pem || fail "engine and pkcs11-tool disagree on the public key"
plain pkey -pubin -in pub.pem -noout -text | head -1

log "sign SHA-256 PKCS#1 v1.5, verify with plain OpenSSL"
eng dgst -sha256 -engine pkcs11 -keyform engine -sign "$PRIV" -out sig.bin data.txt
plain dgst -sha256 -verify pub.pem -signature sig.bin data.txt

log "sign SHA-256 RSA-PSS, verify with plain OpenSSL"
eng dgst -sha256 -engine pkcs11 -keyform engine -sign "$PRIV" \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -out pss.bin data.txt
plain dgst -sha256 -verify pub.pem -signature pss.bin \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 data.txt

log "decrypt RSA-OAEP SHA-1 (encrypted by plain OpenSSL)"
plain pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:oaep \
  -in secret.bin -out oaep1.bin
eng pkeyutl -decrypt -engine pkcs11 -keyform engine -inkey "$PRIV" \
  -pkeyopt rsa_padding_mode:oaep -in oaep1.bin -out oaep1.out
cmp secret.bin oaep1.out || fail "OAEP SHA-1 round trip differs"

log "decrypt RSA-OAEP SHA-256 (encrypted by plain OpenSSL)"
plain pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:oaep \
  -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 \
  -in secret.bin -out oaep256.bin
eng pkeyutl -decrypt -engine pkcs11 -keyform engine -inkey "$PRIV" \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
  -pkeyopt rsa_mgf1_md:sha256 -in oaep256.bin -out oaep256.out
cmp secret.bin oaep256.out || fail "OAEP SHA-256 round trip differs"

# A Meeco account brings its own RSA-4096 key pair; it signs the same way.
# (SoftHSM2 has no such key pair.)
AUTH="Meeco auth keypair"
if ! is_softhsm; then
  p11 --list-objects --type pubkey >pubkeys.txt
  grep -q "label: *$AUTH\$" pubkeys.txt || fail "the token lists no '$AUTH'"
  log "sign with the account's own key ($AUTH)"
  auth_uri="pkcs11:token=$TOKEN_LABEL;object=Meeco%20auth%20keypair"
  eng pkey -engine pkcs11 -inform engine -pubin -in "$auth_uri;type=public" -out auth.pem
  plain pkey -pubin -in auth.pem -noout -text >auth.txt
  grep -q "(4096 bit)" auth.txt || fail "$AUTH is not RSA-4096"
  eng dgst -sha256 -engine pkcs11 -keyform engine \
    -sign "$auth_uri;type=private?pin-value=$PIN" -out auth.sig data.txt
  plain dgst -sha256 -verify auth.pem -signature auth.sig data.txt
fi

log "negative: signature over other data, wrong PIN, missing key"
echo "the quick brown fix" >other.txt
expect_fail plain dgst -sha256 -verify pub.pem -signature sig.bin other.txt
expect_fail eng dgst -sha256 -engine pkcs11 -keyform engine \
  -sign "pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$BAD_PIN" \
  -out sig2.bin data.txt
expect_fail eng dgst -sha256 -engine pkcs11 -keyform engine \
  -sign "pkcs11:token=$TOKEN_LABEL;object=nosuchkey;type=private?pin-value=$PIN" \
  -out sig3.bin data.txt

log "PASS openssl"
