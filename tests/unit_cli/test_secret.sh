#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015  # pass/fail always return 0
# cryppo CLI: Meeco Secret Keys (generate; PDK and SRP password derivation
# checked against shared/vectors/meeco-secret-vector.json).
# Usage: test_secret.sh CRYPPO FIXTURES VECTORS
CRYPPO=$1 VECTORS=$3
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The vector of docs/meeco-protocol.md section 2.2 (also in
# $VECTORS/meeco-secret-vector.json, checked below when present).
SECRET=1.testuser.52Y2w7-NXvFk4-zUsVGX-aq3ai8-xBVNV8-FX7aME-2Vpz2t-H
PASS='correct horse battery st'$'\xc3\xa4''ple'
PDK=UNfJX8Svi3K3WigwS8nyGiMf-6xkvBsgICUpzE-Jwkw=
SRP=c3a3c39b2347494172c386c2b7776a254ec2ab0c14c29c74c28475c295c28054607a5040c38914244fc3a2
if [ -f "$VECTORS/meeco-secret-vector.json" ]; then
  grep -q "\"$PDK\"" "$VECTORS/meeco-secret-vector.json" \
    && grep -q "\"$SRP\"" "$VECTORS/meeco-secret-vector.json" \
    && pass "vector file agrees with the constants" \
    || fail "vector file agrees with the constants"
fi

check "secret -u" "$CRYPPO" secret -u alice
s1=$(cat "$TMP/out")
matches "secret format 1.<user>.<base58 groups of 6>" \
  '^1\.alice\.([1-9A-HJ-NP-Za-km-z]{6}-){6,7}[1-9A-HJ-NP-Za-km-z]{1,6}$' "$s1"
"$CRYPPO" secret --username alice >"$TMP/s2"
[ "$s1" != "$(cat "$TMP/s2")" ] && pass "secrets differ" || fail "secrets differ"

check "derive with --passphrase" "$CRYPPO" secret -s "$SECRET" \
  --passphrase "$PASS"
same "PDK matches the vector" "pdk: $PDK" "$(sed -n 1p "$TMP/out")"
same "SRP password matches the vector" "srp_password: $SRP" \
  "$(sed -n 2p "$TMP/out")"
printf '%s\n' "$PASS" >"$TMP/pass"
printf '%s\n' "$SECRET" >"$TMP/secret"
check "derive from files" "$CRYPPO" secret --secret-file "$TMP/secret" \
  --passphrase-file "$TMP/pass"
same "PDK from files" "pdk: $PDK" "$(sed -n 1p "$TMP/out")"
check "derive with CRYPPO_PASSPHRASE" env CRYPPO_PASSPHRASE="$PASS" \
  "$CRYPPO" secret --secret "$SECRET"
same "SRP password from environment" "srp_password: $SRP" \
  "$(sed -n 2p "$TMP/out")"
check "derive with another passphrase" "$CRYPPO" secret -s "$SECRET" \
  --passphrase other
[ "$(sed -n 1p "$TMP/out")" != "pdk: $PDK" ] \
  && pass "another passphrase gives another PDK" \
  || fail "another passphrase gives another PDK"

# A generated secret derives, and the PDK decrypts what it encrypted.
check "derive from a generated secret" "$CRYPPO" secret -s "$s1" \
  --passphrase "$PASS"
pdk=$(sed -n 's/^pdk: //p' "$TMP/out")
ser=$("$CRYPPO" encrypt -v kek -k "$pdk")
same "PDK works as an AES key" kek "$("$CRYPPO" decrypt -s "$ser" -k "$pdk")"

check_exit "malformed secret" 1 "secret: " \
  "$CRYPPO" secret -s "1..abc" --passphrase x
check_exit "secret without passphrase" 2 "passphrase is required" \
  "$CRYPPO" secret -s "$SECRET"
check_exit "neither -u nor -s" 2 "username" "$CRYPPO" secret
check_exit "both -u and -s" 2 "username" \
  "$CRYPPO" secret -u bob -s "$SECRET"

finish
