#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015,SC2119  # pass/fail return 0; start_server takes optional flags
# meeco-token items create/list on a remote token against a meeco-server
# process: values written to the server (a second replica sees them),
# sync picking up a change made elsewhere, status and list with the
# server stopped.
# Usage: test_items.sh MEECO_TOKEN MEECO_SERVER
MEECO_TOKEN=$1
MEECO_SERVER=$2
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
MT=$MEECO_TOKEN

printf 'correct horse battery staple\n' >"$TMP/pass"
printf 'not the passphrase\n' >"$TMP/wrong"
P=(--passphrase-file "$TMP/pass")
start_server
check "signup" "$MT" signup --token work --server "$URL" "${P[@]}"

# ---- create, then list ---------------------------------------------------------
check "items create (new item)" "$MT" --token work items create \
  --item web_login --label "Web Login" --slot password \
  --value 's3cret value' "${P[@]}"
check "items list" "$MT" --token work items list
has "list names the item and its label" '^item +web_login \(Web Login\)$' \
  "$TMP/out"
has "list names the slot" '^  slot +password \(password\) key_value$' \
  "$TMP/out"
lacks "list without --values shows no value" 's3cret' "$TMP/out"
check "items list --values" "$MT" --token work items list --values "${P[@]}"
has "--values decrypts the value" '^  slot +password .* = s3cret value$' \
  "$TMP/out"
check_exit "items list --values with a wrong passphrase" 1 "login failed" \
  "$MT" --token work items list --values --passphrase-file "$TMP/wrong"
check_exit "items create refuses an existing slot" 1 "already has a slot" \
  "$MT" --token work items create --item web_login --slot password \
  --value other "${P[@]}"
check_exit "items create with a wrong passphrase" 1 \
  "login failed: login refused" "$MT" --token work items create \
  --item web_login --slot user --value x --passphrase-file "$TMP/wrong"
check_exit "items create without --value" 2 "items create --item" \
  "$MT" --token work items create --item web_login --slot user "${P[@]}"
check "items create (slot added to the item)" "$MT" --token work items \
  create --item web_login --slot username --value alice --type password \
  "${P[@]}"
check "items list --values after the second slot" "$MT" --token work \
  items list --values "${P[@]}"
has "second slot listed" '^  slot +username \(username\) password = alice$' \
  "$TMP/out"
[ "$(grep -c '^item ' "$TMP/out")" -eq 1 ] && pass "still one item" \
  || fail "still one item: $(cat "$TMP/out")"

# ---- a fresh replica of the same account sees what went to the server ----------
second="$TMP/second.conf"
cp "$CONF" "$second"
echo "db_path = $TMP/second.sqlite3" >>"$second"
check "login into a fresh replica" "$MT" --conf "$second" --token work \
  login "${P[@]}"
has "fresh replica: counts" '^objects: +1 items, 2 slots' "$TMP/out"
check "fresh replica: items list --values" "$MT" --conf "$second" \
  --token work items list --values "${P[@]}"
has "fresh replica: the value" '^  slot +password .* = s3cret value$' \
  "$TMP/out"

# ---- sync picks up a change made through the other replica ----------------------
check "items create through the first replica" "$MT" --token work items \
  create --item api_key --slot key --value k-123 "${P[@]}"
check "sync the fresh replica" "$MT" --conf "$second" --token work sync \
  "${P[@]}"
has "sync: one more item" '^items: +1 -> 2 \(\+1\)$' "$TMP/out"
has "sync: one more slot" '^slots: +2 -> 3 \(\+1\)$' "$TMP/out"
check "items list --values after sync" "$MT" --conf "$second" --token work \
  items list --values "${P[@]}"
has "synced item is there" '^  slot +key .* = k-123$' "$TMP/out"
check "sync again" "$MT" --conf "$second" --token work sync "${P[@]}"
has "second sync: nothing new" '^no new records$' "$TMP/out"

# ---- the server is gone ------------------------------------------------------------
stop_server
check "status with the server stopped" "$MT" --token work status
has "status: unreachable" '^server: +unreachable: cannot reach the server' \
  "$TMP/out"
has "status: replica counts" '^objects: +2 items, 3 slots, 3 keys' "$TMP/out"
has "status: last sync" '^last sync: +[0-9]{4}-' "$TMP/out"
check "items list --values offline" "$MT" --token work items list --values \
  "${P[@]}"
has "offline: the value" '^  slot +key .* = k-123$' "$TMP/out"
check_exit "items create with the server stopped" 1 "cannot reach the server" \
  "$MT" --token work items create --item more --slot s --value v "${P[@]}"
check_exit "sync with the server stopped" 1 "cannot reach the server" \
  "$MT" --token work sync "${P[@]}"

finish
