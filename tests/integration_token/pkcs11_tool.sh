#!/usr/bin/env bash
# tests/integration_token/pkcs11_tool.sh - the token through OpenSC's
# pkcs11-tool: a fresh token, initialization, login, objects, AES keys,
# PIN change, persistence across processes.
. "$(dirname "$0")/common.sh"
cd "$WORK"

log "fresh: one uninitialized token"
p11 -L
expect "token state:   uninitialized"

log "C_InitToken + C_InitPIN create the account"
init_token
p11 -L
expect "token label        : $LABEL"
expect "token initialized, PIN initialized"
expect "rng"
[ -f "$WORK/tokens/default.sqlite3" ] || fail "no database"

log "private objects need a login"
p11 -O
expect "Public Key Object; RSA 4096 bits"
if grep -q "Secret Key Object" "$WORK/out"; then fail "secret key visible"; fi
p11 --login --pin "$PIN" -O
expect "Secret Key Object; AES length 32"
expect "Private Key Object; RSA"
expect "never extractable"

log "a wrong PIN is CKR_PIN_INCORRECT"
p11_fails --login --pin wrong-pin -O
expect "CKR_PIN_INCORRECT"

log "mechanisms"
p11 -M
expect "AES-KEY-GEN"
expect "RSA-PKCS"

log "data object: create, read back in a new process, delete"
printf 'hello vault' >value.txt
p11 --login --pin "$PIN" --write-object value.txt --type data \
    --label greeting --application-label notes
p11 --login --pin "$PIN" --read-object --type data --label greeting \
    -o back.txt
cmp value.txt back.txt || fail "data object value differs"
p11 -O --type data
if grep -q greeting "$WORK/out"; then fail "data object visible without login"; fi
p11 --login --pin "$PIN" --delete-object --type data --label greeting
p11_fails --login --pin "$PIN" --read-object --type data --label greeting \
    -o gone.txt

log "AES key: generate on the token, encrypt and decrypt (AES-CBC)"
p11 --login --pin "$PIN" --keygen --key-type AES:32 --label aes1
expect "Secret Key Object; AES length 32"
id=$(sed -n 's/^ *ID: *//p' "$WORK/out" | head -1)
[ -n "$id" ] || fail "no CKA_ID"
printf '0123456789abcdef0123456789abcdef' >pt.bin
iv=000102030405060708090a0b0c0d0e0f
p11 --login --pin "$PIN" --encrypt --id "$id" -m AES-CBC --iv "$iv" \
    -i pt.bin -o ct.bin
p11 --login --pin "$PIN" --decrypt --id "$id" -m AES-CBC --iv "$iv" \
    -i ct.bin -o pt2.bin
cmp pt.bin pt2.bin || fail "AES round trip"
cmp -s pt.bin ct.bin && fail "ciphertext equals plaintext"

log "private key import: RSA becomes an account keypair, EC a token object"
plain() { OPENSSL_CONF=/dev/null openssl "$@"; }
plain genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
plain genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
printf 'sign me' >msg.txt
p11 --login --pin "$PIN" --write-object rsa.pem --type privkey --label imprsa
rsa_id=$(sed -n 's/^ *ID: *//p' "$WORK/out" | head -1)
p11 --login --pin "$PIN" --sign --id "$rsa_id" -m SHA256-RSA-PKCS -i msg.txt \
    -o rsa.sig
plain pkey -in rsa.pem -pubout -out rsa.pub
plain dgst -sha256 -verify rsa.pub -signature rsa.sig msg.txt >/dev/null ||
    fail "RSA signature of the imported key does not verify"
p11 --login --pin "$PIN" --write-object ec.pem --type privkey --id 33 \
    --label impec
p11 --login --pin "$PIN" --sign --id 33 -m ECDSA-SHA256 --signature-format openssl \
    -i msg.txt -o ec.sig
plain pkey -in ec.pem -pubout -out ec.pub
plain dgst -sha256 -verify ec.pub -signature ec.sig msg.txt >/dev/null ||
    fail "ECDSA signature of the imported key does not verify"

log "change the PIN (C_SetPIN), old PIN refused"
p11 --login --pin "$PIN" --change-pin --new-pin new-pin-1234
p11_fails --login --pin "$PIN" -O
p11 --login --pin new-pin-1234 -O
expect "label:      aes1"
