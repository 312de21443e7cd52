#!/usr/bin/env bash
# EC keys (P-256 and P-384, ECDSA) generated on the token, used from OpenSSL
# (libp11 engine: export the public key, sign; plain OpenSSL verifies) and
# from OpenSSH (ssh-keygen -D prints them, ssh-agent loads them and
# ssh-add -T proves a signature).  The full sshd login with an EC key is
# openssh.sh with KEY_TYPE=EC:prime256v1.
# Negative cases: wrong PIN, signature over other data.
#
#   MODULE=<module.so> tests/integration/ec.sh
. "$(dirname "$0")/helpers.sh"

token_init
cd "$WORK"
engine_conf "$WORK/openssl.cnf"
eng() { OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER openssl "$@" </dev/null; }
echo "signed with ECDSA" >data.txt
echo "signed with ECDSA?" >other.txt

for curve in prime256v1:P-256:sha256:ecdsa-sha2-nistp256 \
             secp384r1:P-384:sha384:ecdsa-sha2-nistp384; do
  IFS=: read -r name nist md ssh_type <<<"$curve"
  label="ec-$nist"
  id=$(keygen "EC:$name" "$label" "$( [ "$nist" = P-256 ] && echo 11 || echo 12)")
  log "$nist key CKA_ID: $id"
  PRIV="pkcs11:token=$TOKEN_LABEL;object=$label;type=private?pin-value=$PIN"

  log "$nist: OpenSSL exports the public key and signs (ECDSA-$md)"
  eng pkey -engine pkcs11 -inform engine -pubin \
    -in "pkcs11:token=$TOKEN_LABEL;object=$label;type=public" -out "$label.pem"
  plain_openssl pkey -pubin -in "$label.pem" -noout -text >"$label.txt"
  grep -q "NIST CURVE: $nist" "$label.txt" ||
    fail "public key of $label is not on $nist"
  eng dgst "-$md" -engine pkcs11 -keyform engine -sign "$PRIV" \
    -out "$label.sig" data.txt
  plain_openssl dgst "-$md" -verify "$label.pem" -signature "$label.sig" data.txt
  expect_fail plain_openssl dgst "-$md" -verify "$label.pem" \
    -signature "$label.sig" other.txt

  log "$nist: ssh-keygen -D prints it as $ssh_type"
  $CHECKER ssh-keygen -D "$MODULE" | awk -v l="$label" '$3 == l' >"$label.pub"
  [ "$(awk '{print $1}' "$label.pub")" = "$ssh_type" ] ||
    fail "ssh-keygen -D does not print $label as $ssh_type"
  # ssh-keygen -D and OpenSSL agree on the key.
  [ "$(ssh-keygen -i -m PKCS8 -f "$label.pem" | awk '{print $2}')" = \
    "$(awk '{print $2}' "$label.pub")" ] || fail "ssh and OpenSSL see different $label keys"
done

log "negative: wrong PIN"
expect_fail eng dgst -sha256 -engine pkcs11 -keyform engine \
  -sign "pkcs11:token=$TOKEN_LABEL;object=ec-P-256;type=private?pin-value=$BAD_PIN" \
  -out bad.sig data.txt

log "ssh-agent loads both EC keys; ssh-add -T proves signatures"
start_agent
expect_fail ssh-add -T ec-P-256.pub
ssh-add -s "$MODULE" </dev/null
ssh-add -T ec-P-256.pub
ssh-add -T ec-P-384.pub

log "PASS ec"
