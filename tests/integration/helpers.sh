# tests/integration/helpers.sh - shared setup for the consumer tests.
#
# Sourced by every tests/integration/*.sh script.  Each script drives one
# real PKCS#11 consumer (OpenSSL, OpenSSH, NSS, GnuTLS, p11-kit) against a
# throwaway token of the module named by MODULE:
#
#   MODULE=build/pkcs11/libmeeco-pkcs11.so tests/integration/openssl.sh
#   MODULE=/usr/lib/softhsm/libsofthsm2.so  tests/integration/openssl.sh
#
# CHECKER is put in front of every command that loads the module, e.g.
#   CHECKER="valgrind -q --error-exitcode=99 --trace-children=yes"
# Everything lives in one temporary directory ($WORK) and every process a
# script starts is recorded with track_pid and killed on exit.

set -euo pipefail

: "${MODULE:?set MODULE=<path to the PKCS#11 module under test>}"
MODULE=$(readlink -f "$MODULE")
[ -f "$MODULE" ] || { echo "no such module: $MODULE" >&2; exit 2; }
: "${CHECKER:=}"

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SO_PIN=1234
PIN=5678
BAD_PIN=0000
TOKEN_LABEL=t
KEY_LABEL=k

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meeco-it.XXXXXX")
PIDS=()

cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ] && [ -n "${KEEP_WORK:-}" ]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT

track_pid() { PIDS+=("$1"); }
log() { echo "== $*" >&2; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_fail CMD...: CMD must exit non-zero (a negative case).
expect_fail() {
  if "$@" >"$WORK/expect_fail.out" 2>&1; then
    cat "$WORK/expect_fail.out" >&2
    fail "succeeded but should have failed: $*"
  fi
  log "failed as expected: $*"
}

# Isolate the tools from the user's files: fresh HOME (ssh, NSS, p11-kit
# user config), fresh module data (our module), fresh SoftHSM2 store.
export HOME="$WORK/home"
export XDG_DATA_HOME="$WORK/xdg-data"
export XDG_CONFIG_HOME="$WORK/home/.config"
# No config file (none under the fresh XDG_CONFIG_HOME either): our module
# then shows one uninitialised local token stored under $XDG_DATA_HOME.
unset MEECO_PKCS11_CONF
export SOFTHSM2_CONF="$WORK/softhsm2.conf"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$WORK/softhsm-tokens"
cat >"$SOFTHSM2_CONF" <<EOF
directories.tokendir = $WORK/softhsm-tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF

is_softhsm() { case "$MODULE" in *softhsm*) return 0 ;; *) return 1 ;; esac; }

# free_port: print a TCP port on 127.0.0.1 nobody listens on, below the
# kernel's ephemeral range: a port in that range may be the local end of
# another test's client connection (tests run in parallel and open many),
# and a server's bind() on it then fails.
free_port() {
  local port i lo=32768 _hi
  read -r lo _hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
  [ "$lo" -gt 12000 ] || lo=32768
  for i in $(seq 1 50); do
    port=$((10000 + RANDOM % (lo - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  fail "no free port found"
}

# port_up PORT [PID]: wait (at most ~10 s) until something listens on PORT;
# status 1 if PID exits first.
port_up() {
  local port=$1 pid=${2:-} i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 0.1
  done
  fail "nothing listens on port $port"
}

# wait_port PORT [PID]: port_up, failing the test if PID died.
wait_port() {
  port_up "$@" || fail "server (pid $2) died before listening on port $1"
}

# p11 ARGS...: pkcs11-tool on the test token.
p11() {
  $CHECKER pkcs11-tool --module "$MODULE" --token-label "$TOKEN_LABEL" "$@"
}

# token_init: initialise the token (label t, SO PIN 1234, user PIN 5678).
# The module shows one uninitialised token in its first slot.
token_init() {
  log "initialising token '$TOKEN_LABEL'"
  $CHECKER pkcs11-tool --module "$MODULE" --init-token --label "$TOKEN_LABEL" \
    --so-pin "$SO_PIN" >/dev/null
  p11 --login --so-pin "$SO_PIN" --init-pin --pin "$PIN" >/dev/null
}

# keygen TYPE [LABEL [ID]]: generate a key pair on the token (TYPE as
# pkcs11-tool --key-type: rsa:2048, rsa:4096, EC:prime256v1, ...) asking
# for CKA_ID ID (default 01), and print the CKA_ID (hex) the token actually
# gave the private key (our module derives it from a store UUID).
keygen() {
  local type=$1 label=${2:-$KEY_LABEL} want=${3:-01}
  log "generating $type key pair '$label'"
  p11 --login --pin "$PIN" --keypairgen --key-type "$type" --id "$want" \
    --label "$label" >/dev/null
  key_id "$label"
}

# key_id LABEL: the CKA_ID (hex) of the private key labelled LABEL.
key_id() {
  local id
  id=$(p11 --login --pin "$PIN" --list-objects --type privkey 2>/dev/null |
       awk -v l="$1" '
         /^Private Key Object/ { inkey = 1; match_ = 0; next }
         /^[A-Z]/ && !/^  / { inkey = 0 }
         inkey && $1 == "label:" { sub(/^[ \t]*label:[ \t]*/, ""); match_ = ($0 == l) }
         inkey && match_ && $1 == "ID:" && !found { print $2; found = 1 }')
  [ -n "$id" ] || fail "no private key labelled '$1' on the token"
  echo "$id"
}

# pct_encode HEX: %-encode a hex CKA_ID for a pkcs11: URI (id=%01%02...).
pct_encode() { echo "$1" | sed 's/../%&/g'; }

# token_uri: pkcs11: URI of the test token (label only: good enough for
# one token; the URI test checks the full form).
token_uri() { echo "pkcs11:token=$TOKEN_LABEL"; }

# plain_openssl ARGS...: OpenSSL without any engine or system config.
plain_openssl() { OPENSSL_CONF=/dev/null openssl "$@" </dev/null; }

# make_ca: a throwaway CA in $WORK/ca.pem + ca.key, and a server certificate
# for 127.0.0.1 it issued in $WORK/srv.pem + srv.key.
make_ca() {
  plain_openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ca.key" \
    -out "$WORK/ca.pem" -subj /CN=meeco-test-ca -days 1 2>/dev/null
  plain_openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/srv.key" \
    -out "$WORK/srv.pem" -subj /CN=localhost -days 1 \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
    -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" 2>/dev/null
}

# ca_sign REQ.der CERT.der: the CA issues a client certificate for a
# DER certificate request.
ca_sign() {
  plain_openssl x509 -req -inform DER -in "$1" -CA "$WORK/ca.pem" \
    -CAkey "$WORK/ca.key" -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
    -days 1 -extfile <(printf 'extendedKeyUsage=clientAuth\n') \
    -outform DER -out "$2" 2>/dev/null
}

# nss_db DIR: a fresh NSS database with the module registered as "meeco",
# and $WORK/nss-pin holding the token PIN (certutil/tstclnt -f/-W).
nss_db() {
  mkdir -p "$1"
  echo "$PIN" >"$WORK/nss-pin"
  echo "$BAD_PIN" >"$WORK/nss-bad-pin"
  $CHECKER certutil -N -d "sql:$1" --empty-password
  $CHECKER modutil -dbdir "sql:$1" -add meeco -libfile "$MODULE" -force >/dev/null
}

# engine_conf FILE: conf/openssl-pkcs11.cnf with MODULE_PATH = this module.
engine_conf() {
  sed "s|^MODULE_PATH = .*|MODULE_PATH = $MODULE|" \
    "$SRC_DIR/conf/openssl-pkcs11.cnf" >"$1"
}

# start_s_server: openssl s_server on a free loopback port ($TLS_PORT) that
# requires a client certificate issued by the throwaway CA (make_ca) and
# answers "GET /" ($WORK/request.txt) with a status page naming it.
CLIENT_CN="meeco token user"
start_s_server() {
  TLS_PORT=$(free_port)
  log "s_server -Verify on 127.0.0.1:$TLS_PORT"
  OPENSSL_CONF=/dev/null openssl s_server -accept "127.0.0.1:$TLS_PORT" \
    -cert "$WORK/srv.pem" -key "$WORK/srv.key" -CAfile "$WORK/ca.pem" \
    -Verify 1 -verify_return_error -www </dev/null >"$WORK/s_server.log" 2>&1 &
  track_pid $!
  wait_port "$TLS_PORT" $!
  printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/request.txt"
}

# tls_ok OUT CMD...: CMD (a TLS client with its own timeout) fetches the
# s_server page into OUT; succeeds when the server saw our client
# certificate.
tls_ok() {
  local out=$1
  shift
  "$@" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  grep -q "Subject: CN=$CLIENT_CN" "$out" || { cat "$out" >&2; return 1; }
}

# start_agent: ssh-agent on $WORK/agent.sock allowed to load $MODULE (-P),
# exported as SSH_AUTH_SOCK; the PIN comes from $WORK/askpass (SSH_ASKPASS).
# ssh-agent is setgid (no valgrind): CHECKER wraps ssh-pkcs11-helper, the
# process that loads the module, through SSH_PKCS11_HELPER.
start_agent() {
  local sock="$WORK/agent.sock" helper p
  printf '#!/bin/sh\necho %s\n' "$PIN" >"$WORK/askpass"
  printf '#!/bin/sh\necho %s\n' "$BAD_PIN" >"$WORK/askpass-bad"
  chmod +x "$WORK/askpass" "$WORK/askpass-bad"
  export SSH_ASKPASS_REQUIRE=force SSH_ASKPASS="$WORK/askpass"
  if [ -n "$CHECKER" ]; then
    for p in /usr/lib/openssh/ssh-pkcs11-helper /usr/libexec/openssh/ssh-pkcs11-helper \
             /usr/libexec/ssh-pkcs11-helper; do
      [ -x "$p" ] && helper=$p && break
    done
    [ -n "${helper:-}" ] || fail "ssh-pkcs11-helper not found"
    printf '#!/bin/sh\nexec %s %s "$@"\n' "$CHECKER" "$helper" >"$WORK/pkcs11-helper"
    chmod +x "$WORK/pkcs11-helper"
    export SSH_PKCS11_HELPER="$WORK/pkcs11-helper"
  fi
  ssh-agent -D -a "$sock" -P "$MODULE" >"$WORK/agent.log" 2>&1 &
  track_pid $!
  for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { cat "$WORK/agent.log" >&2; fail "ssh-agent did not start"; }
  export SSH_AUTH_SOCK="$sock"
}
