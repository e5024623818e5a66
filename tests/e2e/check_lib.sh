# Helpers for the end-to-end tests: run the real executable, assert exit status and output.
# Sourced by the test scripts; they call `finish` at the end.

failures=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sizebudget-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run EXPECTED_STATUS CMD...: runs CMD with stdout in $TMP/out, stderr in $TMP/err.
run() {
  local want=$1
  shift
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
  if [[ $got -ne $want ]]; then
    fail "exit status $got, expected $want: $*"
    echo "--- stdout:" >&2; head -40 "$TMP/out" >&2
    echo "--- stderr:" >&2; head -20 "$TMP/err" >&2
  fi
}

# has_line FILE LINE: FILE contains LINE exactly, as a whole line.
has_line() {
  if ! grep -qxF -- "$2" "$1"; then
    fail "$(basename "$1") lacks the line: $2"
    echo "--- $(basename "$1"):" >&2; head -40 "$1" >&2
  fi
}

# has_text FILE TEXT: FILE contains TEXT somewhere.
has_text() {
  if ! grep -qF -- "$2" "$1"; then
    fail "$(basename "$1") lacks: $2"
    echo "--- $(basename "$1"):" >&2; head -40 "$1" >&2
  fi
}

lacks_text() {
  if grep -qF -- "$2" "$1"; then
    fail "$(basename "$1") should not contain: $2"
    grep -F -- "$2" "$1" | head -5 >&2
  fi
}

is_empty() {
  if [[ -s "$1" ]]; then
    fail "$(basename "$1") should be empty"
    head -10 "$1" >&2
  fi
}

# skip_unless_fixture PATH: exit 77 (ctest's SKIP_RETURN_CODE) when a fixture is missing.
skip_unless() {
  for f in "$@"; do
    if [[ ! -e "$f" ]]; then
      echo "SKIP: $f is missing" >&2
      exit 77
    fi
  done
}

finish() {
  if [[ $failures -ne 0 ]]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "ok"
  exit 0
}
