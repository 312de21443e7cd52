#!/usr/bin/env bash
# TLS client authentication with the token's key through OpenSSL's libp11
# engine: a throwaway `openssl s_server -Verify -verify_return_error` on
# loopback (trusting a throwaway CA) accepts `openssl s_client -engine
# pkcs11` and `curl --engine pkcs11` presenting a certificate whose request
# the token signed (openssl req -engine pkcs11).  The NSS client (tstclnt,
# certificate stored on the token) is in nss.sh.
# Negative cases: no client certificate, a certificate from another CA,
# wrong PIN.
#
#   MODULE=<module.so> tests/integration/tls.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"
make_ca
engine_conf "$WORK/openssl.cnf"
PRIV="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$PIN"
BAD="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$BAD_PIN"
eng() { OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER "$@"; }

log "client certificate: request signed by the token, issued by the CA"
eng openssl req -new -engine pkcs11 -keyform engine -key "$PRIV" \
  -subj "/CN=$CLIENT_CN" -outform DER -out req.der </dev/null
ca_sign req.der cert.der
plain_openssl x509 -inform DER -in cert.der -out cert.pem

start_s_server
log "openssl s_client -engine pkcs11 (TLS 1.3, then TLS 1.2)"
tls_ok s_client13.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" \
  $CHECKER openssl s_client -connect "127.0.0.1:$TLS_PORT" -tls1_3 \
  -engine pkcs11 -keyform engine -key "$PRIV" -cert cert.pem \
  -CAfile ca.pem -verify_return_error -quiet <request.txt
tls_ok s_client12.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" \
  $CHECKER openssl s_client -connect "127.0.0.1:$TLS_PORT" -tls1_2 \
  -engine pkcs11 -keyform engine -key "$PRIV" -cert cert.pem \
  -CAfile ca.pem -verify_return_error -quiet <request.txt

log "curl --engine pkcs11"
tls_ok curl.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER \
  curl -sS --engine pkcs11 --key-type ENG --key "$PRIV" --cert cert.pem \
  --cacert ca.pem "https://127.0.0.1:$TLS_PORT/" </dev/null

log "negative: no client certificate"
expect_fail tls_ok none.out timeout 30 env OPENSSL_CONF=/dev/null openssl \
  s_client -connect "127.0.0.1:$TLS_PORT" -CAfile ca.pem -quiet <request.txt
log "negative: certificate from another CA"
plain_openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
  -subj "/CN=$CLIENT_CN" -days 1 2>/dev/null
expect_fail tls_ok other.out timeout 30 env OPENSSL_CONF=/dev/null openssl \
  s_client -connect "127.0.0.1:$TLS_PORT" -key other.key -cert other.pem \
  -CAfile ca.pem -quiet <request.txt
log "negative: wrong PIN"
expect_fail tls_ok bad-curl.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" \
  $CHECKER curl -sS --engine pkcs11 --key-type ENG --key "$BAD" \
  --cert cert.pem --cacert ca.pem "https://127.0.0.1:$TLS_PORT/" </dev/null

log "PASS tls"
