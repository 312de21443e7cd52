#!/usr/bin/env bash
# p11-kit: a .module file registers the module; `p11-kit list-modules`
# shows the token; the proxy module (p11-kit-proxy.so) reaches its objects
# and signs with its key, directly and through p11-kit's RPC remoting
# ("remote: |p11-kit remote <module>").  Prints which mechanisms the proxy
# and the remoting drop (compared with the module's own list).
# Negative cases: wrong PIN, missing key, module disabled for the proxy.
#
#   MODULE=<module.so> tests/integration/p11kit.sh
#
# p11-kit ignores user configuration (~/.config/pkcs11) when run as root;
# as root the test therefore shows its .module files in place of the system
# module directory inside a private mount namespace (unshare -m), or, where
# that is not permitted, runs the p11-kit commands as user nobody.
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}
PROXY=${PROXY:-$(pkg-config --variable=proxy_module p11-kit-1 2>/dev/null ||
                 echo /usr/lib/x86_64-linux-gnu/p11-kit-proxy.so)}
SYS_MODULES=/usr/share/p11-kit/modules
NAME=meeco-test

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"
echo "signed through p11-kit" >data.txt
p11 --read-object --type pubkey --id "$id" -o pub.der >/dev/null
OPENSSL_CONF=/dev/null openssl pkey -pubin -inform DER -in pub.der -out pub.pem

MODDIR="$XDG_CONFIG_HOME/pkcs11/modules"
mkdir -p "$MODDIR"
# write_module [extra lines...]: our .module file, from conf/ when present.
write_module() {
  if [ -f "$SRC_DIR/conf/meeco-pkcs11.module" ]; then
    grep -v '^[[:space:]]*module:' "$SRC_DIR/conf/meeco-pkcs11.module" \
      >"$MODDIR/$NAME.module"
  else
    : >"$MODDIR/$NAME.module"
  fi
  echo "module: $MODULE" >>"$MODDIR/$NAME.module"
  local line
  for line in "$@"; do echo "$line" >>"$MODDIR/$NAME.module"; done
}

# with_config CMD...: run CMD so that p11-kit reads $MODDIR.
if [ "$(id -u)" -ne 0 ]; then
  with_config() { "$@"; }
elif unshare -m true 2>/dev/null; then
  with_config() {
    unshare -m -- sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' \
      "$MODDIR" "$SYS_MODULES" "$@"
  }
else
  log "unshare not permitted: running p11-kit as nobody"
  chmod -R a+rwX "$WORK"
  with_config() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
fi
viaproxy() {
  with_config $CHECKER pkcs11-tool --module "$PROXY" --token-label "$TOKEN_LABEL" "$@"
}
mechs() { awk '/^  / {sub(/,.*/, "", $1); print $1}' | sort -u; }

write_module
log "p11-kit list-modules shows the module and its token"
with_config $CHECKER p11-kit list-modules >modules.txt
cat modules.txt
awk -v m="$MODULE" '
  $0 ~ ": " m "$" { inmod = 1; next }
  /^[^ ]/ { inmod = 0 }
  inmod && $1 == "token:" && $2 == "'"$TOKEN_LABEL"'" { found = 1 }
  END { exit !found }' modules.txt || fail "token '$TOKEN_LABEL' not listed under $MODULE"

log "proxy: objects, signature"
viaproxy --login --pin "$PIN" --list-objects >proxy-objects.txt
cat proxy-objects.txt
grep -q "^Private Key Object" proxy-objects.txt || fail "proxy shows no private key"
viaproxy --login --pin "$PIN" --sign -m SHA256-RSA-PKCS --id "$id" \
  -i data.txt -o sig-proxy.bin
OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify pub.pem \
  -signature sig-proxy.bin data.txt

log "negative: wrong PIN, missing key through the proxy"
expect_fail viaproxy --login --pin "$BAD_PIN" --list-objects
expect_fail viaproxy --login --pin "$PIN" --sign -m SHA256-RSA-PKCS \
  --id 99 -i data.txt -o sig-none.bin

p11 -M | mechs >mechs-direct.txt
viaproxy -M | mechs >mechs-proxy.txt

log "remoting: remote: |p11-kit remote <module>"
write_module "remote: |$(command -v p11-kit) remote $MODULE"
viaproxy --login --pin "$PIN" --sign -m SHA256-RSA-PKCS --id "$id" \
  -i data.txt -o sig-remote.bin
OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify pub.pem \
  -signature sig-remote.bin data.txt
viaproxy -M | mechs >mechs-remote.txt

log "mechanisms the proxy drops: $(comm -23 mechs-direct.txt mechs-proxy.txt | tr '\n' ' ')"
log "mechanisms the remoting drops: $(comm -23 mechs-direct.txt mechs-remote.txt | tr '\n' ' ')"

log "negative: module disabled for the proxy: token gone"
write_module "disable-in: p11-kit-proxy"
expect_fail viaproxy --login --pin "$PIN" --list-objects

log "PASS p11kit"
