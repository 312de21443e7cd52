#!/usr/bin/env bash
# TLS client authentication with the token's key: a throwaway
# `openssl s_server -Verify` on loopback (trusting a throwaway CA) accepts
# clients that present the token's certificate and prove possession of the
# token's key: NSS tstclnt (TLS 1.3 and TLS 1.2), openssl s_client and curl
# through the libp11 engine.  The certificate request is signed by the token
# (openssl req -engine pkcs11); the issued certificate is stored on the
# token (pkcs11-tool --write-object --type cert) where NSS finds it.
# Negative cases: no client certificate, a certificate from another CA,
# wrong PIN.
#
#   MODULE=<module.so> tests/integration/tls.sh
. "$(dirname "$0")/helpers.sh"

SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"
make_ca
sed "s|^MODULE_PATH = .*|MODULE_PATH = $MODULE|" \
  "$SRC_DIR/conf/openssl-pkcs11.cnf" >openssl.cnf
eng() { OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER "$@" </dev/null; }
PRIV="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$PIN"
BAD="pkcs11:token=$TOKEN_LABEL;object=$KEY_LABEL;type=private?pin-value=$BAD_PIN"

log "client certificate: request signed by the token, issued by the CA"
eng openssl req -new -engine pkcs11 -keyform engine -key "$PRIV" \
  -subj "/CN=meeco token user" -outform DER -out req.der
ca_sign req.der cert.der
plain_openssl x509 -inform DER -in cert.der -out cert.pem
p11 --login --pin "$PIN" --write-object cert.der --type cert --id "$id" \
  --label "$KEY_LABEL" >/dev/null

log "s_server -Verify on loopback"
port=$(free_port)
OPENSSL_CONF=/dev/null openssl s_server -accept "127.0.0.1:$port" -cert srv.pem \
  -key srv.key -CAfile ca.pem -Verify 1 -verify_return_error -www </dev/null >s_server.log 2>&1 &
track_pid $!
wait_port "$port" $!
printf 'GET / HTTP/1.0\r\n\r\n' >request.txt

# authenticated OUT: the s_server -www page in OUT names our client cert.
authenticated() { grep -q "Subject: CN=meeco token user" "$1"; }
# tls_ok OUT CMD...: CMD talks to the server (each CMD has a timeout); its
# output goes to OUT; succeeds when the server saw our client certificate.
tls_ok() {
  local out=$1
  shift
  "$@" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  authenticated "$out" || { cat "$out" >&2; return 1; }
}

DB="$WORK/nssdb"
nss_db "$DB"
$CHECKER certutil -A -d "sql:$DB" -n meeco-test-ca -t "C,," -a -i ca.pem </dev/null
tstclnt_run() {
  timeout 30 $CHECKER tstclnt -h 127.0.0.1 -p "$port" -d "sql:$DB" -A request.txt "$@"
}

log "NSS tstclnt, TLS 1.3 (RSA-PSS client signature)"
tls_ok nss13.out tstclnt_run -n "$TOKEN_LABEL:$KEY_LABEL" -W nss-pin -V tls1.3:tls1.3
log "NSS tstclnt, TLS 1.2"
tls_ok nss12.out tstclnt_run -n "$TOKEN_LABEL:$KEY_LABEL" -W nss-pin -V tls1.2:tls1.2

log "openssl s_client -engine pkcs11"
tls_ok s_client.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER openssl s_client \
  -connect "127.0.0.1:$port" -engine pkcs11 -keyform engine -key "$PRIV" \
  -cert cert.pem -CAfile ca.pem -verify_return_error -quiet <request.txt

log "curl --engine pkcs11"
tls_ok curl.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER curl -sS \
  --engine pkcs11 --key-type ENG --key "$PRIV" --cert cert.pem \
  --cacert ca.pem "https://127.0.0.1:$port/"

log "negative: no client certificate"
expect_fail tls_ok none.out tstclnt_run
log "negative: certificate from another CA"
plain_openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
  -subj "/CN=meeco token user" -days 1 2>/dev/null
expect_fail tls_ok other.out timeout 30 env OPENSSL_CONF=/dev/null openssl s_client \
  -connect "127.0.0.1:$port" -key other.key -cert other.pem -CAfile ca.pem \
  -quiet <request.txt
log "negative: wrong PIN"
expect_fail tls_ok bad13.out tstclnt_run -n "$TOKEN_LABEL:$KEY_LABEL" \
  -W nss-bad-pin -V tls1.3:tls1.3
expect_fail tls_ok bad-curl.out timeout 30 env OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER \
  curl -sS --engine pkcs11 --key-type ENG --key "$BAD" --cert cert.pem \
  --cacert ca.pem "https://127.0.0.1:$port/"

log "PASS tls"
