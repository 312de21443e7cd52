#!/usr/bin/env bash
# tests/integration_token/opensc_suite.sh - pkcs11-tool's own test modes on
# a token that holds an RSA keypair: --test --login, --test-fork and ten
# rounds of --test-threads.
. "$(dirname "$0")/common.sh"
cd "$WORK"
init_token

log "pkcs11-tool --test --login"
p11 --test --login --pin "$PIN"
expect "No errors"

log "pkcs11-tool --test-fork"
p11 --test-fork

rounds=${THREAD_ROUNDS:-10}
log "pkcs11-tool --test-threads x$rounds"
for i in $(seq 1 "$rounds"); do
  p11 --test-threads ILGISLT0 --test-threads INGISLT0
done
