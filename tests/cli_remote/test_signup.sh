#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015,SC2119  # pass/fail return 0; start_server takes optional flags
# meeco-token signup and login against a meeco-server process: the config
# section and its file mode, the Secret Key file, the first sync, wrong
# passphrase, refusals, and a server that is gone.
# Usage: test_signup.sh MEECO_TOKEN MEECO_SERVER FIXTURES
MEECO_TOKEN=$1
MEECO_SERVER=$2
FIXTURES=$3
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MT=$MEECO_TOKEN

printf 'correct horse battery staple\n' >"$TMP/pass"
printf 'not the passphrase\n' >"$TMP/wrong"
P=(--passphrase-file "$TMP/pass")
start_server

# ---- help and usage -----------------------------------------------------
check_exit "--help exits 2 with the usage" 2 "usage: meeco-token" "$MT" --help
for c in signup login sync status "items list" "items create"; do
  has "--help lists $c" "^  $c " "$TMP/err"
done
check_exit "signup without a server" 2 "needs --server" \
  "$MT" signup --token work --passphrase-file "$TMP/pass"
check_exit "signup with --server and --keystore-url" 2 "not both" \
  "$MT" signup --token work --server "$URL" --keystore-url "$URL/keystore" \
  --passphrase-file "$TMP/pass"
check_exit "signup with a bad token name" 2 "bad token name 'a b'" \
  "$MT" signup --token 'a b' --server "$URL" --passphrase-file "$TMP/pass"
check_exit "signup with a non-http URL" 2 "not an http\(s\) URL" \
  "$MT" signup --token work --keystore-url "ftp://127.0.0.1/keystore" \
  --vault-url "$URL/vault" --passphrase-file "$TMP/pass"
[ ! -e "$CONF" ] && pass "usage errors write no config" \
  || fail "usage errors write no config"

# ---- signup into the default config file ----------------------------------
check "signup --server" "$MT" signup --token work --server "$URL/" \
  --passphrase-file "$TMP/pass"
cp "$TMP/out" "$TMP/signup.out"
cp "$TMP/err" "$TMP/signup.err"
user=$(sed -n 's/^username: *//p' "$TMP/signup.out")
[ -n "$user" ] && pass "signup prints the username" \
  || fail "signup prints the username: $(cat "$TMP/signup.out")"
has "signup prints the config path" "^config: +$CONF\$" "$TMP/signup.out"
has "signup prints the secret file" \
  "^secret key file: +$DATA/work.secret\$" "$TMP/signup.out"
has "signup prints the replica" "^replica: +$DATA/work.sqlite3\$" \
  "$TMP/signup.out"

mode_is "config file is 0600" 600 "$CONF"
has "section [token work]" '^\[token work\]$' "$CONF"
has "backend = remote" '^backend = remote$' "$CONF"
has "keystore_url" "^keystore_url = $URL/keystore\$" "$CONF"
has "vault_url" "^vault_url = $URL/vault\$" "$CONF"
has "secret_key_file" "^secret_key_file = $DATA/work.secret\$" "$CONF"
lacks "no secret_key in the config" '^secret_key *=' "$CONF"

secret_file="$DATA/work.secret"
mode_is "secret file is 0600" 600 "$secret_file"
[ "$(wc -l <"$secret_file")" -eq 1 ] && pass "secret file is one line" \
  || fail "secret file is one line"
secret=$(cat "$secret_file")
# "1.<username>.<base58 key grouped by 6 with '-'>" (meeco-protocol.md 2)
b58='[1-9A-HJ-NP-Za-km-z]'
if printf '%s' "$secret" | grep -Eq "^1\.$user\.($b58{1,6}-)*$b58{1,6}\$"
then pass "secret file holds 1.<username>.<key>"
else fail "secret file holds 1.<username>.<key>"; fi
lacks "signup does not print the secret" "${secret##*.}" "$TMP/signup.out"
lacks "signup does not log the secret" "${secret##*.}" "$TMP/signup.err"
mode_is "replica is 0600" 600 "$DATA/work.sqlite3"

check "status after signup" "$MT" --token work status
has "status: remote" '^backend: +remote$' "$TMP/out"
has "status: reachable" '^server: +reachable' "$TMP/out"
has "status: synced" '^last sync: +[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$TMP/out"
has "status: username" "^username: +$user\$" "$TMP/out"
has "status: the account's keys" \
  '^objects: +0 items, 0 slots, 3 keys \(1 KEK, 1 DEKs, 1 keypairs\)$' \
  "$TMP/out"
has "status: not write-protected" '^write-protected: no$' "$TMP/out"

# ---- login ------------------------------------------------------------------
check "login (passphrase file)" "$MT" --token work login \
  --passphrase-file "$TMP/pass"
has "login names the user" "^logged in as $user " "$TMP/out"
MEECO_PASSPHRASE='correct horse battery staple' \
  check "login (\$MEECO_PASSPHRASE)" "$MT" --token work login
check_exit "login with a wrong passphrase" 1 \
  "login failed: login refused: wrong passphrase" \
  "$MT" --token work login --passphrase-file "$TMP/wrong"
check_exit "login without a passphrase" 1 "no passphrase given" \
  "$MT" --token work login </dev/null

# ---- refusals -----------------------------------------------------------------
check_exit "signup refuses an existing token" 1 "token 'work' already exists" \
  "$MT" signup --token work --server "$URL" --passphrase-file "$TMP/pass"
check_exit "local-only commands refuse a remote token" 1 \
  "token 'work' is remote" "$MT" --token work list

# ---- explicit URLs, --conf, --show-secret, --label -----------------------------
other="$TMP/other/other.conf"
check "signup --keystore-url --vault-url --conf --show-secret" \
  "$MT" signup --conf "$other" --token other --keystore-url "$URL/keystore" \
  --vault-url "$URL/vault" --label "Other Token" --show-secret \
  --passphrase-file "$TMP/pass"
shown=$(sed -n 's/^secret key: *//p' "$TMP/out")
[ -n "$shown" ] && [ "$shown" = "$(cat "$DATA/other.secret")" ] \
  && pass "--show-secret prints the secret in the file" \
  || fail "--show-secret prints the secret in the file"
mode_is "--conf file is 0600" 600 "$other"
has "label written" '^label = "?Other Token"?$' "$other"
check "login through --config" "$MT" --config "$other" --token other login \
  --passphrase-file "$TMP/pass"

# ---- the server is gone -----------------------------------------------------------
stop_server
check_exit "login with the server stopped" 1 "cannot reach the server at $URL" \
  "$MT" --token work login --passphrase-file "$TMP/pass"
check_exit "signup with the server stopped" 1 "cannot reach the server" \
  "$MT" signup --token third --server "$URL" --passphrase-file "$TMP/pass"
[ ! -e "$DATA/third.secret" ] && pass "failed signup leaves no secret file" \
  || fail "failed signup leaves no secret file"
lacks "failed signup leaves no section" '^\[token third\]' "$CONF"

# ---- HTTPS with a private CA, and a subscription key ------------------------------
start_server --tls-cert "$FIXTURES/server-tls-cert.pem" \
  --tls-key "$FIXTURES/server-tls-key.pem" --subscription-key SUBKEY
https="https://127.0.0.1:$PORT"
check_exit "signup over HTTPS without the CA" 1 "TLS" \
  "$MT" signup --token tls --server "$https" --subscription-key SUBKEY \
  "${P[@]}"
check_exit "signup without the subscription key" 1 "rejected|not authorized" \
  "$MT" signup --token tls --server "$https" \
  --ca-file "$FIXTURES/server-tls-cert.pem" "${P[@]}"
check "signup --ca-file --subscription-key" "$MT" signup --token tls \
  --server "$https" --ca-file "$FIXTURES/server-tls-cert.pem" \
  --subscription-key SUBKEY "${P[@]}"
has "ca_file written" "^ca_file = $FIXTURES/server-tls-cert.pem\$" "$CONF"
has "subscription_key written" '^subscription_key = SUBKEY$' "$CONF"
check "login over HTTPS" "$MT" --token tls login "${P[@]}"
check "status over HTTPS" "$MT" --token tls status
has "HTTPS server reachable" '^server: +reachable' "$TMP/out"

finish
