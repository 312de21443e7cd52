#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2015  # pass/fail always return 0
# cryppo CLI: encrypt/decrypt with a key, a passphrase and RSA; binary-safe
# stdin/--in/--out; error exits.
# Usage: test_crypt.sh CRYPPO FIXTURES VECTORS
CRYPPO=$1 FIXTURES=$2
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
PRIV=$FIXTURES/cli-rsa4096-private.pem
PUB=$FIXTURES/cli-rsa4096-public.pem
KEY=$("$CRYPPO" genkey)
OTHER_KEY=$("$CRYPPO" genkey)
TEXT='Hello, Meeco! caf'$'\xc3\xa9'' '$'\xf0\x9f\x98\x80'

# ---- AES-256-GCM with -k -------------------------------------------------
check "encrypt -v -k" "$CRYPPO" encrypt -v "$TEXT" -k "$KEY"
ser=$(cat "$TMP/out")
matches "Aes256Gcm 3-part string with 88-char artefacts" \
  '^Aes256Gcm\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_-]{87}=$' "$ser"
check "decrypt -s -k" "$CRYPPO" decrypt -s "$ser" -k "$KEY"
same "AES round trip" "$TEXT" "$(cat "$TMP/out")"
check "long flags" "$CRYPPO" decrypt --serialized="$ser" --key "$KEY"
same "long flags round trip" "$TEXT" "$(cat "$TMP/out")"
printf '%s\n' "$TEXT" >"$TMP/expect_line"
"$CRYPPO" decrypt -s "$ser" -k "$KEY" >"$TMP/line"
same_file "stdout is the value and a newline" "$TMP/expect_line" "$TMP/line"
"$CRYPPO" encrypt -v "$TEXT" -k "$KEY" >"$TMP/ser2"
[ "$ser" != "$(cat "$TMP/ser2")" ] && pass "fresh IV per encryption" \
  || fail "fresh IV per encryption"
check_exit "wrong key" 1 "decrypt: " "$CRYPPO" decrypt -s "$ser" -k "$OTHER_KEY"
[ ! -s "$TMP/out" ] && pass "wrong key prints no plaintext" \
  || fail "wrong key prints no plaintext"
tampered=$(printf '%s' "$ser" | sed 's/^Aes256Gcm\.A/Aes256Gcm.B/; t; s/^Aes256Gcm\../Aes256Gcm.A/')
check_exit "tampered ciphertext" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "$tampered" -k "$KEY"
check_exit "bad serialized string" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "not a cryppo string" -k "$KEY"
check_exit "bad base64 in a part" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "Aes256Gcm.@@@@.QUAAAAA=" -k "$KEY"
check_exit "unknown strategy" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "Blowfish.AAAA.QUAAAAA=" -k "$KEY"
check_exit "bad key text" 1 "key" "$CRYPPO" encrypt -v x -k 'not*base64'
check_exit "short key" 1 "32 bytes" "$CRYPPO" encrypt -v x -k AAAA
K128=$("$CRYPPO" genkey -l 128)
K192=$("$CRYPPO" genkey -l 192)
check_exit "128-bit key refused clearly" 1 "128-bit AES keys \(Aes128Gcm\) are not supported" \
  "$CRYPPO" encrypt -v x -k "$K128"
check_exit "192-bit key refused clearly" 1 "192-bit AES keys \(Aes192Gcm\) are not supported" \
  "$CRYPPO" encrypt -v x -k "$K192"
check_exit "Aes128Gcm string refused clearly" 1 "Aes128Gcm .*not supported" \
  "$CRYPPO" decrypt -s "Aes128Gcm.AAAA.QUAAAAA=" -k "$KEY"

# ---- usage errors -----------------------------------------------------------
check_exit "encrypt without -v" 2 "value" "$CRYPPO" encrypt -k "$KEY"
check_exit "encrypt without a key" 2 "key is required" "$CRYPPO" encrypt -v x
check_exit "decrypt without -s" 2 "serialized" "$CRYPPO" decrypt -k "$KEY"
check_exit "decrypt without a key" 2 "key is required" \
  "$CRYPPO" decrypt -s "$ser"
check_exit "two keys" 2 "only one key" \
  "$CRYPPO" encrypt -v x -k "$KEY" -P "$PUB"
check_exit "key and passphrase" 2 "only one key" \
  "$CRYPPO" decrypt -s "$ser" -k "$KEY" --passphrase pw
check_exit "-v and --in" 2 "value" \
  "$CRYPPO" encrypt -v x --in "$TMP/line" -k "$KEY"
check_exit "encrypt -p is not an encrypt flag" 2 "unknown option" \
  "$CRYPPO" encrypt -v x -p "$PRIV"
check_exit "decrypt -P is not a decrypt flag" 2 "unknown option" \
  "$CRYPPO" decrypt -s "$ser" -P "$PUB"
check_exit "missing --in file" 1 "cannot open" \
  "$CRYPPO" encrypt --in "$TMP/missing" -k "$KEY"

# ---- empty value --------------------------------------------------------------
check "encrypt an empty value" "$CRYPPO" encrypt -v "" -k "$KEY"
empty_ser=$(cat "$TMP/out")
check "decrypt an empty value" "$CRYPPO" decrypt -s "$empty_ser" -k "$KEY" \
  --out "$TMP/empty.out"
[ -f "$TMP/empty.out" ] && [ ! -s "$TMP/empty.out" ] \
  && pass "empty value round trip" || fail "empty value round trip"

# ---- binary-safe input and output -------------------------------------------
for size in 1 4096 100000 1048576; do
  head -c "$size" /dev/urandom >"$TMP/bin"
  "$CRYPPO" encrypt -v - -k "$KEY" <"$TMP/bin" >"$TMP/bin.ser" \
    && pass "encrypt $size bytes from stdin" \
    || fail "encrypt $size bytes from stdin"
  "$CRYPPO" decrypt --in "$TMP/bin.ser" -k "$KEY" --out "$TMP/bin.out" \
    && pass "decrypt $size bytes to --out" || fail "decrypt $size bytes to --out"
  same_file "binary round trip $size bytes" "$TMP/bin" "$TMP/bin.out"
done
printf 'a\0b\0\0c\n\r\n' >"$TMP/nul"
check "encrypt --in with NUL bytes" "$CRYPPO" encrypt --in "$TMP/nul" \
  -k "$KEY" --out "$TMP/nul.ser"
"$CRYPPO" decrypt -s - -k "$KEY" --out - <"$TMP/nul.ser" >"$TMP/nul.out"
same_file "NUL bytes round trip via -s - and --out -" "$TMP/nul" "$TMP/nul.out"
printf '%s' "$KEY" >"$TMP/key.txt"
check "--key-file" "$CRYPPO" decrypt --in "$TMP/nul.ser" \
  --key-file "$TMP/key.txt" --out "$TMP/nul.out2"
same_file "--key-file round trip" "$TMP/nul" "$TMP/nul.out2"
same "--out plaintext mode 0600" 600 "$(stat -c %a "$TMP/nul.out2")"

# ---- passphrase (Pbkdf2Hmac) ---------------------------------------------------
PASS='correct horse battery st'$'\xc3\xa4''ple'
check "encrypt --passphrase" "$CRYPPO" encrypt -v "$TEXT" --passphrase "$PASS"
pser=$(cat "$TMP/out")
matches "5-part Pbkdf2Hmac string" \
  '^Aes256Gcm\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.Pbkdf2Hmac\.[A-Za-z0-9_=-]+$' \
  "$pser"
check "decrypt --passphrase" "$CRYPPO" decrypt -s "$pser" --passphrase "$PASS"
same "passphrase round trip" "$TEXT" "$(cat "$TMP/out")"
printf '%s\n' "$PASS" >"$TMP/pass.txt"
check "decrypt --passphrase-file" "$CRYPPO" decrypt -s "$pser" \
  --passphrase-file "$TMP/pass.txt"
same "passphrase file round trip" "$TEXT" "$(cat "$TMP/out")"
CRYPPO_PASSPHRASE=$PASS check "decrypt with CRYPPO_PASSPHRASE" \
  env CRYPPO_PASSPHRASE="$PASS" "$CRYPPO" decrypt -s "$pser"
same "environment passphrase round trip" "$TEXT" "$(cat "$TMP/out")"
check "encrypt with CRYPPO_PASSPHRASE" \
  env CRYPPO_PASSPHRASE="$PASS" "$CRYPPO" encrypt -v "$TEXT"
pser2=$(cat "$TMP/out")
check "decrypt env-encrypted value" "$CRYPPO" decrypt -s "$pser2" \
  --passphrase "$PASS"
same "env-encrypted round trip" "$TEXT" "$(cat "$TMP/out")"
check_exit "wrong passphrase" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "$pser" --passphrase "wrong"
check_exit "passphrase string with a key" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "$ser" --passphrase "$PASS"
check_exit "missing passphrase file" 1 "cannot open" \
  "$CRYPPO" encrypt -v x --passphrase-file "$TMP/missing"
# Secrets given on the command line are wiped from /proc/PID/cmdline as soon
# as they are read: hold the process in its stdin read, then look.
mkfifo "$TMP/fifo"
"$CRYPPO" decrypt -s - --passphrase SECRET-PASSPHRASE-XYZ \
  <"$TMP/fifo" >/dev/null 2>&1 &
pid=$!
exec 3>"$TMP/fifo"
for _ in $(seq 1 1000); do
  wchan=$(cat "/proc/$pid/wchan" 2>/dev/null || true)
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  case "$wchan" in *pipe_read*) break ;; esac
  [ -z "$state" ] && break                       # exited: fails below
  { [ "$wchan" = 0 ] || [ -z "$wchan" ]; } && [ "$state" = S ] && break
  sleep 0.01
done
cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
matches "process waits on stdin with --passphrase in argv" \
  'decrypt -s - --passphrase' "$cmdline"
case "$cmdline" in
  *SECRET-PASSPHRASE-XYZ*) fail "argv passphrase visible in /proc/PID/cmdline" ;;
  *) pass "argv passphrase wiped from /proc/PID/cmdline" ;;
esac
exec 3>&-
wait "$pid" 2>/dev/null

head -c 70000 /dev/urandom >"$TMP/pbin"
check "passphrase binary --in/--out" "$CRYPPO" encrypt --in "$TMP/pbin" \
  --passphrase "$PASS" --out "$TMP/pbin.ser"
check "passphrase binary decrypt" "$CRYPPO" decrypt --in "$TMP/pbin.ser" \
  --passphrase "$PASS" --out "$TMP/pbin.out"
same_file "passphrase binary round trip" "$TMP/pbin" "$TMP/pbin.out"

# ---- RSA-OAEP ------------------------------------------------------------------
check "encrypt -P" "$CRYPPO" encrypt -v "$TEXT" -P "$PUB"
rser=$(cat "$TMP/out")
matches "Rsa4096 string" '^Rsa4096\.[A-Za-z0-9_-]{683}=\.QQUAAAAA$' "$rser"
check "decrypt -p" "$CRYPPO" decrypt -s "$rser" -p "$PRIV"
same "RSA round trip" "$TEXT" "$(cat "$TMP/out")"
check "long RSA flags" "$CRYPPO" encrypt --value "$TEXT" \
  --publicKeyFile "$PUB" --out "$TMP/rser"
check "decrypt --privateKeyFile" "$CRYPPO" decrypt --in "$TMP/rser" \
  --privateKeyFile "$PRIV"
same "long RSA round trip" "$TEXT" "$(cat "$TMP/out")"
head -c 470 /dev/urandom >"$TMP/r470"
check "RSA 470 bytes" "$CRYPPO" encrypt --in "$TMP/r470" -P "$PUB" \
  --out "$TMP/r470.ser"
check "RSA 470 bytes decrypt" "$CRYPPO" decrypt --in "$TMP/r470.ser" \
  -p "$PRIV" --out "$TMP/r470.out"
same_file "RSA 470 bytes round trip" "$TMP/r470" "$TMP/r470.out"
head -c 471 /dev/urandom >"$TMP/r471"
check_exit "RSA 471 bytes refused" 1 "encrypt: " \
  "$CRYPPO" encrypt --in "$TMP/r471" -P "$PUB"
"$CRYPPO" genkeypair -p "$TMP/o.priv" -P "$TMP/o.pub" -b 2048 >/dev/null
check_exit "RSA wrong private key" 1 "decrypt: " \
  "$CRYPPO" decrypt -s "$rser" -p "$TMP/o.priv"
check_exit "RSA private key for encrypt" 1 "public key" \
  "$CRYPPO" encrypt -v x -P "$TMP/key.txt"
check_exit "RSA garbage PEM" 1 "private key" \
  "$CRYPPO" decrypt -s "$rser" -p "$TMP/key.txt"

finish
