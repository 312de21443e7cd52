#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015  # pass/fail always return 0
# cryppo CLI: sign DESTINATION FILE -p / verify DESTINATION FILE -P.
# Usage: test_sign.sh CRYPPO FIXTURES VECTORS
CRYPPO=$1 FIXTURES=$2
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
PRIV=$FIXTURES/cli-rsa4096-private.pem
PUB=$FIXTURES/cli-rsa4096-public.pem

printf 'Hello, Meeco \xf0\x9f\x98\x80\n' >"$TMP/data"
check "sign" "$CRYPPO" sign "$TMP/signed" "$TMP/data" -p "$PRIV"
same "sign prints the Node message" "Signed contents written" \
  "$(cat "$TMP/out")"
matches "signed file is Sign.Rsa4096.<sig>.<data>" \
  '^Sign\.Rsa4096\.[A-Za-z0-9_-]{683}=\.[A-Za-z0-9_=-]+$' "$(cat "$TMP/signed")"
check "verify" "$CRYPPO" verify "$TMP/verified" "$TMP/signed" -P "$PUB"
same_file "verify writes the original bytes" "$TMP/data" "$TMP/verified"
check "sign with long flag" "$CRYPPO" sign --privateKeyFile "$PRIV" \
  "$TMP/signed2" "$TMP/data"
check "verify with long flag" "$CRYPPO" verify --publicKeyFile="$PUB" \
  "$TMP/verified2" "$TMP/signed2"
same_file "long-flag round trip" "$TMP/data" "$TMP/verified2"

# Binary data including NUL bytes, and the 0 and 512 byte edges.
head -c 512 /dev/urandom >"$TMP/bin512"
: >"$TMP/empty"
for f in bin512 empty; do
  check "sign $f" "$CRYPPO" sign "$TMP/$f.sig" "$TMP/$f" -p "$PRIV"
  check "verify $f" "$CRYPPO" verify "$TMP/$f.out" "$TMP/$f.sig" -P "$PUB"
  same_file "$f round trip" "$TMP/$f" "$TMP/$f.out"
done
head -c 513 /dev/urandom >"$TMP/bin513"
check_exit "sign refuses 513 bytes" 1 "at most 512" \
  "$CRYPPO" sign "$TMP/x.sig" "$TMP/bin513" -p "$PRIV"

# A tampered signature or data must fail, and write nothing.
sig=$(cat "$TMP/signed")
data_part=${sig##*.}
printf '%s' "${sig%.*}.$(printf 'Hello, Meeco!' | base64 | tr '+/' '-_')" \
  >"$TMP/tampered"
rm -f "$TMP/nope"
check_exit "verify rejects changed data" 1 "verify" \
  "$CRYPPO" verify "$TMP/nope" "$TMP/tampered" -P "$PUB"
[ ! -e "$TMP/nope" ] && pass "nothing written on failure" \
  || fail "nothing written on failure"
other_pub=$TMP/other.pub
"$CRYPPO" genkeypair -p "$TMP/other.priv" -P "$other_pub" -b 2048 >/dev/null
check_exit "verify rejects another key" 1 "verify" \
  "$CRYPPO" verify "$TMP/nope" "$TMP/signed" -P "$other_pub"
printf 'Sign.Rsa4096.@@@.%s' "$data_part" >"$TMP/badb64"
check_exit "verify rejects bad base64" 1 "verify" \
  "$CRYPPO" verify "$TMP/nope" "$TMP/badb64" -P "$PUB"
printf 'Aes256Gcm.abc.def' >"$TMP/notsig"
check_exit "verify rejects a non-signature" 1 "verify" \
  "$CRYPPO" verify "$TMP/nope" "$TMP/notsig" -P "$PUB"

# Usage errors.
check_exit "sign without -p" 2 "privateKeyFile is required" \
  "$CRYPPO" sign "$TMP/x" "$TMP/data"
check_exit "sign with one argument" 2 "DESTINATION and FILE" \
  "$CRYPPO" sign "$TMP/x" -p "$PRIV"
check_exit "verify without -P" 2 "publicKeyFile is required" \
  "$CRYPPO" verify "$TMP/x" "$TMP/signed"
check_exit "sign with a public key" 1 "private key" \
  "$CRYPPO" sign "$TMP/x" "$TMP/data" -p "$PUB"
check_exit "sign a missing file" 1 "cannot open" \
  "$CRYPPO" sign "$TMP/x" "$TMP/missing" -p "$PRIV"
check_exit "verify with a missing key file" 1 "cannot open" \
  "$CRYPPO" verify "$TMP/x" "$TMP/signed" -P "$TMP/missing.pem"

finish
