#!/usr/bin/env bash
# tests/integration_token/p11kit.sh - p11-kit (with conf/meeco-pkcs11.module)
# and GnuTLS p11tool see the token.
. "$(dirname "$0")/common.sh"
cd "$WORK"
init_token
conf="$HERE/../../conf"

moddir="$WORK/modules"
mkdir -p "$moddir"
# The configuration reaches the module through x-init-reserved (the
# C_Initialize pReserved string), not the environment.
sed -e "s|^module:.*|module: $MODULE|" \
    -e "s|^# x-init-reserved:.*|x-init-reserved: $MEECO_PKCS11_CONF|" \
    "$conf/meeco-pkcs11.module" >"$moddir/meeco-pkcs11.module"
grep -q "^x-init-reserved: $MEECO_PKCS11_CONF" "$moddir/meeco-pkcs11.module" ||
    fail "conf/meeco-pkcs11.module has no x-init-reserved example"

# p11-kit reads no user configuration as root: show our folder in place of
# the system module folder in a private mount namespace.
sysmods=/usr/share/p11-kit/modules
listable=1
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$HOME/.config/pkcs11"
  ln -s "$moddir" "$HOME/.config/pkcs11/modules"
  with_modules() { "$@"; }
elif unshare -m true 2>/dev/null; then
  with_modules() {
    unshare -m -- sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' \
      "$moddir" "$sysmods" "$@"
  }
else
  listable=0
fi

if [ "$listable" = 0 ]; then
  log "SKIP p11-kit list-modules: no user config as root and no unshare"
else
  log "p11-kit list-modules"
  with_modules env -u MEECO_PKCS11_CONF $CHECKER p11-kit list-modules \
      >"$WORK/out" 2>&1 || fail "p11-kit list-modules"
  expect "meeco-pkcs11"
  expect "$LABEL"
fi

log "p11tool --list-all"
url="pkcs11:token=$LABEL"
$CHECKER p11tool --provider "$MODULE" --list-all "$url" >"$WORK/out" 2>&1 ||
    fail "p11tool --list-all"
expect "Type: Public key"
$CHECKER p11tool --provider "$MODULE" --login --set-pin "$PIN" \
    --list-all "$url" >"$WORK/out" 2>&1 || fail "p11tool --login --list-all"
expect "Type: Private key"
expect "Type: Secret key"
