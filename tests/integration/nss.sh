#!/usr/bin/env bash
# NSS: modutil registers the module in a fresh NSS database; certutil -K
# lists the token's key; certutil -R signs a certificate request with it;
# the certificate a CA issues for that request is written to the token with
# pkcs11-tool --write-object --type cert (same CKA_ID as the key), and
# certutil -L then lists it, linked to the key.  Then NSS's tstclnt
# authenticates with that certificate and key (TLS 1.3 and 1.2) to a
# throwaway `openssl s_server -Verify` on loopback.
# Negative cases: wrong PIN, missing key, TLS without a client certificate.
#
#   MODULE=<module.so> tests/integration/nss.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"
make_ca
DB="$WORK/nssdb"

log "modutil -add registers the module; modutil -list shows the token"
nss_db "$DB"
$CHECKER modutil -dbdir "sql:$DB" -list meeco </dev/null >modlist.txt
cat modlist.txt
grep -Eq "Token Name: $TOKEN_LABEL *$" modlist.txt || fail "modutil does not list token $TOKEN_LABEL"

log "certutil -K lists the token's key"
$CHECKER certutil -K -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-pin >keys.txt
cat keys.txt
grep -qi "rsa *$id *$KEY_LABEL\$" keys.txt || fail "certutil -K does not show key $id"

log "certutil -R: certificate request signed with the token's key"
$CHECKER certutil -R -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-pin -k "$id" \
  -s "CN=$CLIENT_CN" -o req.der
plain_openssl req -inform DER -in req.der -noout -verify
p11 --read-object --type pubkey --id "$id" -o pub.der >/dev/null
plain_openssl pkey -pubin -inform DER -in pub.der -out pub.pem
plain_openssl req -inform DER -in req.der -noout -pubkey >req-pub.pem
cmp pub.pem req-pub.pem || fail "the request does not carry the token's public key"

log "CA issues the certificate; pkcs11-tool writes it to the token"
ca_sign req.der cert.der
CERT_LABEL=kcert
p11 --login --pin "$PIN" --write-object cert.der --type cert --id "$id" \
  --label "$CERT_LABEL" >/dev/null

log "certutil -L lists the certificate as a user certificate (key found)"
$CHECKER certutil -L -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-pin >certs.txt
cat certs.txt
grep -q "^$TOKEN_LABEL:$CERT_LABEL " certs.txt || fail "certutil -L does not list $TOKEN_LABEL:$CERT_LABEL"
# Trust "u" = NSS found the private key of the certificate (same CKA_ID).
grep -Eq "^$TOKEN_LABEL:$CERT_LABEL +u,u,u\$" certs.txt ||
  fail "NSS does not link the certificate to the key (no u,u,u)"
$CHECKER certutil -L -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-pin -n "$TOKEN_LABEL:$CERT_LABEL" -r -o listed.der </dev/null
cmp cert.der listed.der || fail "certutil returns another certificate"

log "TLS client authentication with NSS tstclnt"
$CHECKER certutil -A -d "sql:$DB" -n meeco-test-ca -t "C,," -a -i ca.pem </dev/null
start_s_server
tstclnt_run() {
  timeout 30 $CHECKER tstclnt -h 127.0.0.1 -p "$TLS_PORT" -d "sql:$DB" \
    -A "$WORK/request.txt" "$@" </dev/null
}
log "tstclnt, TLS 1.3 (RSA-PSS client signature)"
tls_ok nss13.out tstclnt_run -n "$TOKEN_LABEL:$CERT_LABEL" -W nss-pin -V tls1.3:tls1.3
log "tstclnt, TLS 1.2"
tls_ok nss12.out tstclnt_run -n "$TOKEN_LABEL:$CERT_LABEL" -W nss-pin -V tls1.2:tls1.2

log "negative: wrong PIN, missing key, TLS without client certificate"
expect_fail tls_ok none.out tstclnt_run
expect_fail tls_ok bad13.out tstclnt_run -n "$TOKEN_LABEL:$CERT_LABEL" \
  -W nss-bad-pin -V tls1.3:tls1.3
expect_fail $CHECKER certutil -K -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-bad-pin
expect_fail $CHECKER certutil -R -d "sql:$DB" -h "$TOKEN_LABEL" -f nss-pin \
  -k 0badc0de -s "CN=nobody" -o none.der

log "PASS nss"
