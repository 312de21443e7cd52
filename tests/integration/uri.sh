#!/usr/bin/env bash
# pkcs11: URIs (RFC 7512): the token's URI carries token=, manufacturer=,
# serial= and model=; every object's URI carries id=, object= and type=;
# both are the same in separate processes and sessions, and after other
# objects are added.  CKA_IDs fit libp11 (<= 100 hex chars) and NSS
# (<= 20 bytes).  The URIs GnuTLS prints are usable by OpenSSL's libp11
# engine (full URI, and id=-only URI).
# Negative cases: a URI naming another serial, a missing id.
#
#   MODULE=<module.so> tests/integration/uri.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"
engine_conf "$WORK/openssl.cnf"
p11t() { $CHECKER p11tool --provider "$MODULE" "$@" </dev/null; }
eng() { OPENSSL_CONF="$WORK/openssl.cnf" $CHECKER openssl "$@" </dev/null; }

log "token URI: token=, manufacturer=, serial=, model=; same in two processes"
p11t --list-token-urls | grep "token=$TOKEN_LABEL\(;\|\$\)" >token-uri1.txt
p11t --list-token-urls | grep "token=$TOKEN_LABEL\(;\|\$\)" >token-uri2.txt
cat token-uri1.txt
[ "$(wc -l <token-uri1.txt)" -eq 1 ] || fail "expected one token labelled $TOKEN_LABEL"
cmp token-uri1.txt token-uri2.txt || fail "token URI changed between processes"
TOKEN_URI=$(cat token-uri1.txt)
for attr in token manufacturer serial model; do
  echo "$TOKEN_URI" | grep -Eq "[:;]$attr=[^;]+" || fail "token URI lacks $attr="
done

log "object URIs: id=, object=, type=; stable across processes and additions"
list_uris() {
  GNUTLS_PIN=$PIN p11t --login --only-urls --list-all "$TOKEN_URI" | sort
}
list_uris >objects1.txt
list_uris >objects2.txt
cat objects1.txt
cmp objects1.txt objects2.txt || fail "object URIs changed between processes"
PRIV_URI=$(grep -E ";object=$KEY_LABEL(;|\$)" objects1.txt | grep "type=private")
PUB_URI=$(grep -E ";object=$KEY_LABEL(;|\$)" objects1.txt | grep "type=public")
[ -n "$PRIV_URI" ] && [ -n "$PUB_URI" ] || fail "no URIs for key $KEY_LABEL"
for uri in "$PRIV_URI" "$PUB_URI"; do
  echo "$uri" | grep -qi ";id=$(pct_encode "$id")\(;\|\$\)" ||
    fail "URI does not carry id=$(pct_encode "$id"): $uri"
done
keygen "$KEY_TYPE" k2 02 >/dev/null
list_uris >objects3.txt
comm -23 objects1.txt objects3.txt >gone.txt
[ ! -s gone.txt ] || { cat gone.txt >&2; fail "URIs changed after adding a key"; }

log "CKA_ID sizes: libp11 <= 100 hex chars, NSS <= 20 bytes"
p11 --login --pin "$PIN" --list-objects | awk '$1 == "ID:" {print $2}' | sort -u >ids.txt
while read -r oid; do
  [ "${#oid}" -le 40 ] || fail "CKA_ID $oid is longer than 20 bytes"
done <ids.txt

log "the URIs work in OpenSSL's libp11 engine"
p11 --read-object --type pubkey --id "$id" -o pub.der >/dev/null
plain_openssl pkey -pubin -inform DER -in pub.der -out pub.pem
eng pkey -engine pkcs11 -inform engine -pubin -in "$PUB_URI" -out pub-full.pem
cmp pub.pem pub-full.pem || fail "full URI names another key"
eng pkey -engine pkcs11 -inform engine -pubin \
  -in "pkcs11:token=$TOKEN_LABEL;id=$(pct_encode "$id");type=public" -out pub-id.pem
cmp pub.pem pub-id.pem || fail "id= URI names another key"
echo "signed by URI" >data.txt
eng dgst -sha256 -engine pkcs11 -keyform engine -sign "$PRIV_URI?pin-value=$PIN" \
  -out sig.bin data.txt
plain_openssl dgst -sha256 -verify pub.pem -signature sig.bin data.txt

if [ -n "${MEECO_TOKEN:-}" ]; then
  log "meeco-token uris: the module's own URIs, the same ones p11tool prints"
  $CHECKER "$MEECO_TOKEN" uris --module "$MODULE" >mt-public.txt
  MEECO_PASSPHRASE=$PIN $CHECKER "$MEECO_TOKEN" uris --module "$MODULE" >mt-all.txt
  cat mt-all.txt
  grep -qx "$TOKEN_URI" mt-all.txt || grep -q "token=$TOKEN_LABEL\$" mt-all.txt ||
    fail "meeco-token uris lacks the token URI"
  MT_PRIV=$(grep -E ";object=$KEY_LABEL;type=private\$" mt-all.txt)
  [ -n "$MT_PRIV" ] || fail "meeco-token uris lacks the private key $KEY_LABEL"
  grep -q "type=private" mt-public.txt && fail "private objects listed without login"
  echo "$MT_PRIV" | grep -qi ";id=$(pct_encode "$id");" || fail "meeco-token id differs: $MT_PRIV"
  eng dgst -sha256 -engine pkcs11 -keyform engine -sign "$MT_PRIV?pin-value=$PIN" \
    -out sig-mt.bin data.txt
  plain_openssl dgst -sha256 -verify pub.pem -signature sig-mt.bin data.txt
  MEECO_PASSPHRASE=wrong-pin expect_fail "$MEECO_TOKEN" uris --module "$MODULE"
fi

log "negative: another serial, a missing id"
other=$(echo "$PUB_URI" | sed 's/;serial=[^;]*/;serial=0000000000000000/')
expect_fail eng pkey -engine pkcs11 -inform engine -pubin -in "$other" -out x.pem
expect_fail eng pkey -engine pkcs11 -inform engine -pubin \
  -in "pkcs11:token=$TOKEN_LABEL;id=%de%ad%be%ef;type=public" -out y.pem
[ -z "$(p11t --only-urls --list-all "$(echo "$TOKEN_URI" |
  sed 's/;serial=[^;]*/;serial=0000000000000000/')")" ] ||
  fail "p11tool lists objects for a URI with another serial"

log "PASS uri"
