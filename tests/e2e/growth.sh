#!/usr/bin/env bash
# End-to-end tests of growth budgets: `sizebudget check MAP --budget FILE --baseline SNAPSHOT
# [--update-baseline]`, with a snapshot of cm4-nano as the baseline and cm4-nano (no growth) or
# overflow (FLASH 5860 B -> 9508 B) as the current map. The overflow fixture's FLASH is made 16K
# here: a map of a link that overflowed fails every check, and growth is what these tests test.
#   growth.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

FIX=$SRC/tests/fixtures
NANO=$FIX/cm4-nano/cm4-nano.map
skip_unless "$NANO" "$FIX/overflow/overflow.map"
cd "$TMP" || exit 1
OVER=$TMP/grown.map
sed 's/^FLASH            0x08000000         0x00002000         xr$/FLASH            0x08000000         0x00004000         xr/' \
  "$FIX/overflow/overflow.map" >"$OVER"
grep -q "0x00004000         xr" "$OVER" || fail "could not give the overflow map a 16K FLASH"
# The map as the link left it fails in the linker's words, budgets or not.
printf 'version: 1\n' >empty-budget.yaml
run 1 "$EXE" check "$FIX/overflow/overflow.map" --budget empty-budget.yaml
has_line "$TMP/out" "$FIX/overflow/overflow.map: error: region 'FLASH' overflowed by 1316 bytes (9508 B used, region 8192 B)"

cat >growth.yaml <<'YAML'
version: 1
growth:
  regions: { FLASH: 512, RAM: 128 }
  archives: { "*": 1K }
  total: 1K
YAML

run 0 "$EXE" snapshot "$NANO" -o base.json
cp base.json base.orig

# Pass: the baseline's own map has not grown.
run 0 "$EXE" check "$NANO" --budget growth.yaml --baseline base.json
has_text "$TMP/out" "region FLASH"
has_text "$TMP/out" "PASSED"
lacks_text "$TMP/out" "error:"

# Fail: overflow's FLASH grew by 3648 bytes against cm4-nano's.
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json
has_text "$TMP/out" "growth.yaml:3:14: error: region 'FLASH' grew by 3648 bytes against the baseline (budget +512 B; 5860 B -> 9508 B)"
has_text "$TMP/out" "objects that grew most in region 'FLASH' (growth.yaml:3:14):"
has_text "$TMP/out" "obj/overflow/main.o"
has_text "$TMP/out" "FAILED"

# A baseline map works as well as a snapshot.
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline "$NANO"
has_text "$TMP/out" "region 'FLASH' grew by 3648 bytes"

# growth: without --baseline: a warning, not a failure.
run 0 "$EXE" check "$OVER" --budget growth.yaml
has_text "$TMP/out" "growth.yaml:2:1: warning: the budget has growth budgets, but growth was not checked"

# JUnit and Markdown carry the growth results.
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json --format junit -o report.xml
if command -v xmllint >/dev/null; then
  xmllint --noout report.xml || fail "report.xml is not well-formed XML"
fi
has_text report.xml '<testsuite name="budget growth"'
has_text report.xml "region &apos;FLASH&apos; grew by 3648 bytes"
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json --format markdown
has_line "$TMP/out" "### Growth against the baseline"
has_line "$TMP/out" "| Item | Baseline | Now | Change | Budget | Status |"
has_text "$TMP/out" "| region \`FLASH\` | 5.72 KiB | 9.29 KiB | +3648 | +512 B |"
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json --format github
has_text "$TMP/out" "title=size growth%3A region FLASH::region 'FLASH' grew by 3648 bytes"
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json --format json
has_text "$TMP/out" '"rule": "growth"'

# --update-baseline: not after a failing check ...
run 1 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json --update-baseline
cmp -s base.json base.orig || fail "a failing check changed the baseline"
has_text "$TMP/err" "was not updated"
# ... but after a passing one, atomically, leaving no temporary file.
cat >loose.yaml <<'YAML'
version: 1
growth:
  total: 100%
  regions: { FLASH: 100% }
YAML
run 0 "$EXE" check "$OVER" --budget loose.yaml --baseline base.json --update-baseline
has_text "$TMP/err" "baseline base.json updated"
"$EXE" snapshot "$OVER" -o over.json
cmp -s base.json over.json || fail "--update-baseline did not write the map's snapshot"
leftovers=$(ls -A | grep -vxE 'growth.yaml|loose.yaml|empty-budget.yaml|grown.map|base.json|base.orig|report.xml|over.json|out|err' || true)
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
# Now the overflow map is the baseline: no growth.
run 0 "$EXE" check "$OVER" --budget growth.yaml --baseline base.json
# --update-baseline needs --baseline.
run 2 "$EXE" check "$OVER" --budget growth.yaml --update-baseline

finish
