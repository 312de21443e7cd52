#!/usr/bin/env bash
# scripts/check-exports.sh MODULE.so - the module exports exactly the three
# PKCS#11 entry points (C_GetFunctionList, C_GetInterfaceList,
# C_GetInterface) and nothing else.  Exit 0 when so, 1 otherwise.
set -euo pipefail
so=${1:?usage: check-exports.sh path/to/libmeeco-pkcs11.so}
expected=$'C_GetFunctionList\nC_GetInterface\nC_GetInterfaceList'
actual=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVWiu]$/ {print $3}' | sed 's/@.*//' | sort)
if [ "$actual" != "$expected" ]; then
  echo "unexpected exports in $so:" >&2
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  exit 1
fi
echo "exports OK: $(echo "$actual" | tr '\n' ' ')"
