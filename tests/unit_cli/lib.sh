# tests/unit_cli/lib.sh - tiny assertion helpers for the CLI tests.
#
# Sourced by test_*.sh with: CRYPPO (the binary), FIXTURES, VECTORS set.
# Each check prints "ok"/"not ok" and the script ends with the summary
# line "N passed, N failed" and a non-zero exit when anything failed.
set -u
PASSED=0
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cryppo-cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset CRYPPO_PASSPHRASE

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check NAME COMMAND...: the command must succeed.
check() {
  local name=$1; shift
  if "$@" >"$TMP/out" 2>"$TMP/err"; then pass "$name"
  else fail "$name (exit $?): $(head -c 300 "$TMP/err")"; fi
}

# check_exit NAME CODE PATTERN COMMAND...: the command must exit with CODE
# and print PATTERN (grep -E) on stderr; stdout is kept in $TMP/out.
check_exit() {
  local name=$1 want=$2 pattern=$3 rc=0; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, want $want: $(head -c 300 "$TMP/err")"
  elif ! grep -Eq -- "$pattern" "$TMP/err"; then
    fail "$name: stderr lacks /$pattern/: $(head -c 300 "$TMP/err")"
  else
    pass "$name"
  fi
}

# same NAME A B: two strings must be equal.
same() {
  if [ "$2" = "$3" ]; then pass "$1"
  else fail "$1: '$(printf %s "$2" | head -c 200)' != '$(printf %s "$3" | head -c 200)'"; fi
}

# matches NAME REGEX STRING
matches() {
  if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"
  else fail "$1: '$(printf %s "$3" | head -c 200)' does not match /$2/"; fi
}

# same_file NAME A B: byte-identical files.
same_file() {
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1: $2 and $3 differ"; fi
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
