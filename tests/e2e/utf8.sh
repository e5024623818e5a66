#!/usr/bin/env bash
# Names in a map need not be UTF-8 (paths from any host, hostile names): every output is valid
# UTF-8 and shows a bad byte the same way, as %XX; JUnit stays well-formed XML.
#   utf8.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

NANO=$SRC/tests/fixtures/cm4-nano/cm4-nano.map
skip_unless "$NANO"
cd "$TMP" || exit 1
sed -e 's/uart_write/uart_\xff\xfewrite/g' -e 's|lib/libdrivers.a|lib/libdr\xe9vers.a|g' "$NANO" >bad.map
grep -q $'\xff' bad.map || fail "no invalid byte in the map"
printf 'version: 1\nsymbols:\n  "*": 10K\narchives:\n  "*": 64K\n' >all.yaml

outputs=()
for f in text json csv markdown; do
  run 0 "$EXE" report bad.map --by symbol --top 0 --format $f -o report.$f
  outputs+=(report.$f)
done
for f in text json markdown junit github; do
  run 0 "$EXE" check bad.map --budget all.yaml --format $f -o check.$f
  outputs+=(check.$f)
done
for f in text json markdown; do
  run 0 "$EXE" diff "$NANO" bad.map --by symbol --format $f -o diff.$f
  outputs+=(diff.$f)
done
run 0 "$EXE" snapshot bad.map -o snap.json
outputs+=(snap.json)
for o in "${outputs[@]}"; do
  python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$o" 2>/dev/null || fail "$o is not UTF-8"
done
# The same spelling everywhere, JSON included; a path keeps its folders.
for o in report.text report.csv check.junit diff.text diff.markdown report.json snap.json; do
  has_text "$o" 'uart_%FF%FEwrite'
done
has_text check.junit 'libdr%E9vers.a'
has_text report.json '"lib/libdr%E9vers.a"'
if command -v xmllint >/dev/null; then xmllint --noout check.junit || fail "the JUnit report is not well-formed XML"; fi
# A snapshot of it reads back and diffs as unchanged against the map.
run 0 "$EXE" diff snap.json bad.map --by symbol --format json
has_text "$TMP/out" '"items": []'

finish
