#!/usr/bin/env bash
# Dependencies point down (docs/ARCHITECTURE.md): fail when a layer includes
# a header it must not know about.
#   - keystore/ vault/ store/ cryppo/ common/: no PKCS#11 header, no CKR_*;
#   - pkcs11/core, pkcs11/api, pkcs11/mech: no sqlite3.h, curl.h, cJSON.h;
#   - cryppo/ and common/: nothing from the layers above them.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
check() { # description, grep pattern, folders...
  local what=$1 pat=$2; shift 2
  local hits
  hits=$(grep -rnE --include='*.c' --include='*.h' "$pat" "$@" 2>/dev/null)
  if [ -n "$hits" ]; then
    printf 'layering: %s\n%s\n' "$what" "$hits"
    bad=1
  fi
}
check "PKCS#11 below pkcs11/" '#include [<"](.*/)?(pkcs11[tf]?|cryptoki)\.h[>"]|\bCKR_[A-Z_]+\b' \
  keystore vault store remote cryppo common
check "storage/network headers in the PKCS#11 core" '#include [<"](sqlite3|curl/curl|cjson/cJSON|cJSON)\.h[>"]' \
  pkcs11/core pkcs11/api pkcs11/mech
check "cryppo/common reaching up" '#include "(keystore|vault|store|backend|mech|session|object)\.h"' \
  cryppo common
if [ "$bad" = 0 ]; then echo "layering: ok"; fi
exit "$bad"
