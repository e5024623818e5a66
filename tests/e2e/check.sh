#!/usr/bin/env bash
# End-to-end tests of `sizebudget check` on the fixture firmwares.
#   check.sh SIZEBUDGET SOURCE_DIR CASE
# Budgets live in tests/e2e/budgets/; messages name them relative to that folder, which is where
# the commands run. cm4-nano: FLASH 5860 B, RAM 3432 B (tests/fixtures/cm4-nano/expected.txt).
set -uo pipefail
EXE=$1
SRC=$2
CASE=$3
source "$SRC/tests/e2e/check_lib.sh"

FIX=$SRC/tests/fixtures
GNU=$FIX/cm4-nano/cm4-nano.map
LLD=$FIX/cm4-nano-lld/cm4-nano-lld.map
skip_unless "$GNU" "$LLD"
cd "$SRC/tests/e2e/budgets" || exit 1

case $CASE in
pass)
  run 0 "$EXE" check "$GNU" --budget pass.yaml
  lacks_text "$TMP/out" "error:"
  lacks_text "$TMP/out" "warning:"
  has_line "$TMP/out" "PASSED: all 13 budget checks within budget"
  has_line "$TMP/out" "           FLASH:        5860 B       256 KB      2.24%      16 KiB    10.3 KiB  ok"
  has_line "$TMP/out" "Component          FLASH         RAM       Total  Budget            Status"
  has_line "$TMP/out" "drivers            456 B       588 B       980 B  FLASH 1K, RAM 1K  ok"
  has_line "$TMP/out" "(other)         4.78 KiB       148 B    4.82 KiB  -                 -"
  is_empty "$TMP/err"
  # The same with the ELF settling sections (--elf is passed through to the map reader).
  run 0 "$EXE" check "$GNU" --budget pass.yaml --elf "$FIX/cm4-nano/cm4-nano.elf"
  has_line "$TMP/out" "PASSED: all 13 budget checks within budget"
  ;;

statics)
  # File-local statics (ld lists no symbol for them) are budgetable by the name their section
  # gives, with and without --elf; an alias is budgeted with the bytes of the name it shares.
  cat >"$TMP/statics.yaml" <<'YAML'
version: 1
symbols:
  line: { max: 64 }
  crc_table: { max: 1K }
  sniprintf: { max: 0 }
YAML
  for elf in "" "--elf=$FIX/cm4-nano/cm4-nano.elf"; do
    run 1 "$EXE" check "$GNU" --budget "$TMP/statics.yaml" $elf
    has_text "$TMP/out" "statics.yaml:3:3: error: symbol 'line' exceeds its budget by 32 B (96 B of 64 B)"
    has_text "$TMP/out" "statics.yaml:5:3: error: symbol 'sniprintf' must not be linked (max 0), but is: 136 B, in libc_nano.a(lib_a-snprintf.o)"
    has_line "$TMP/out" "         136 B  libc_nano.a(lib_a-snprintf.o)"
    lacks_text "$TMP/out" "matches no symbol"
    has_line "$TMP/out" "FAILED: 3 budget checks: 2 errors, 0 warnings"
  done
  ;;

warn)
  run 0 "$EXE" check "$GNU" --budget warn.yaml
  has_line "$TMP/out" "warn.yaml:4:3: warning: region 'FLASH' at 95.4% of its budget (warn at 90%)"
  has_line "$TMP/out" "warn.yaml:5:3: warning: region 'RAM' at 83.8% of its budget (warn at 3 KiB)"
  has_line "$TMP/out" "warn.yaml:7:3: warning: archive 'libc_nano.a' at 95.7% of its budget (warn at 95%)"
  has_line "$TMP/out" "           FLASH:        5860 B       256 KB      2.24%       6 KiB       284 B  WARN"
  lacks_text "$TMP/out" "error:"
  ;;

fail)
  run 1 "$EXE" check "$GNU" --budget fail.yaml
  has_line "$TMP/out" "fail.yaml:4:3: error: region 'FLASH' overflowed its budget by 740 bytes (5860 B used, budget 5120 B)"
  has_line "$TMP/out" "fail.yaml:7:3: error: archive 'libc_nano.a' exceeds its budget by 848 B (3.83 KiB of 3 KiB)"
  has_line "$TMP/out" "fail.yaml:9:49: error: component 'drivers' exceeds its FLASH budget by 56 B (456 B of 400 B)"
  has_line "$TMP/out" "  largest objects in archive 'libc_nano.a' (fail.yaml:7:3):"
  has_line "$TMP/out" "        1019 B  libc_nano.a(lib_a-nano-svfprintf.o)"
  has_line "$TMP/out" "  largest archives in component 'drivers' (bytes in FLASH) (fail.yaml:9:49):"
  has_line "$TMP/out" "           FLASH:        5860 B       256 KB      2.24%       5 KiB      -740 B  OVER"
  has_line "$TMP/out" "drivers            456 B       588 B       980 B  FLASH 400, RAM 1K  OVER"
  has_line "$TMP/out" "FAILED: 7 budget checks: 4 errors, 0 warnings"
  # The error lines come first, in budget order, so a CI log starts with them.
  head -1 "$TMP/out" | grep -q "^fail.yaml:4:3: error: " || fail "the first line is not the first error"
  # --warn-only: the same report, exit status 0.
  cp "$TMP/out" "$TMP/strict-out"
  run 0 "$EXE" check "$GNU" --budget fail.yaml --warn-only
  cmp -s "$TMP/out" "$TMP/strict-out" || fail "--warn-only changed the report"
  ;;

forbidden)
  run 1 "$EXE" check "$GNU" --budget fail.yaml
  has_line "$TMP/out" "fail.yaml:11:3: error: symbol '_printf_i' must not be linked (max 0), but is: 680 B, in libc_nano.a(lib_a-nano-vfprintf_i.o)"
  has_line "$TMP/out" "  objects defining _printf_i (fail.yaml:11:3):"
  # _printf_float is not linked: no message at all, not even "matches nothing".
  lacks_text "$TMP/out" "_printf_float"
  ;;

unmatched)
  run 0 "$EXE" check "$GNU" --budget unmatched.yaml
  has_line "$TMP/out" "unmatched.yaml:4:3: warning: archives entry 'libfoo.a' matches no archive in the map"
  has_line "$TMP/out" "unmatched.yaml:7:3: warning: objects entry '*/drivers/*.o' matches no object in the map"
  lacks_text "$TMP/out" "libc_nano.a"
  run 1 "$EXE" check "$GNU" --budget strict.yaml
  has_line "$TMP/out" "strict.yaml:5:3: error: archives entry 'libfoo.a' matches no archive in the map"
  has_line "$TMP/out" "FAILED: 2 budget checks: 1 error, 0 warnings"
  ;;

lld-regions)
  # Regions declared in the budget: no --linker-script needed; figures as ld.lld's ELF has them.
  run 0 "$EXE" check "$LLD" --budget lld.yaml
  has_line "$TMP/out" "lld.yaml:4:3: warning: region 'FLASH' at 71.7% of its budget (warn at 70%)"
  has_line "$TMP/out" "           FLASH:        5872 B       256 KB      2.24%       8 KiB    2.27 KiB  WARN"
  has_line "$TMP/out" "             RAM:        3432 B        64 KB      5.24%       4 KiB       664 B  ok"
  # Without declarations the lld map has no regions: a region budget cannot pass.
  run 1 "$EXE" check "$LLD" --budget lld-undeclared.yaml
  has_text "$TMP/out" "lld-undeclared.yaml:4:3: error: region 'FLASH' is not in the map (the map has no memory regions: declare them in \`regions:\` with origin and length, or give --linker-script with the MEMORY block, such as memory.x)"
  # Budgets on other levels work without regions.
  printf 'version: 1\narchives:\n  "*": { max: 64K }\n' >"$TMP/archives.yaml"
  run 0 "$EXE" check "$LLD" --budget "$TMP/archives.yaml"
  for cmd in "report $LLD" "report $LLD --by symbol" "snapshot $LLD -o $TMP/lld.json" "diff $LLD $LLD"; do
    run 0 $EXE $cmd
  done
  run 0 "$EXE" report "$LLD"
  has_text "$TMP/out" "No memory regions are known: lld maps carry none. Give --linker-script with the MEMORY block (memory.x)"
  # With --linker-script its MEMORY block wins; a different declaration is reported.
  run 0 "$EXE" check "$LLD" --budget lld-mismatch.yaml --linker-script "$FIX/src/cm4/cm4-nano-lld.ld"
  has_line "$TMP/out" "lld-mismatch.yaml:5:3: warning: region 'RAM' is declared here with origin 0x20000000 and length 32768, but the map has origin 0x20000000 and length 65536; the map's figures are used"
  has_line "$TMP/out" "             RAM:        3432 B        64 KB      5.24%       4 KiB       664 B  ok"
  ;;

json)
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format json
  /usr/bin/python3 - "$TMP/out" "$SRC/budgets/check-result.schema.json" <<'PY' || fail "json output"
import json, sys
doc = json.load(open(sys.argv[1]))
try:
    import jsonschema
    jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(doc)
except ImportError:
    print("note: python3-jsonschema missing; schema not checked", file=sys.stderr)
assert doc["status"] == "fail", doc["status"]
assert doc["summary"]["errors"] == 4
flash = doc["verdicts"][0]
assert (flash["kind"], flash["line"], flash["column"], flash["used"], flash["limit"], flash["status"]) == \
       ("region", 4, 3, 5860, 5120, "exceeded"), flash
assert [r["name"] for r in doc["regions"]] == ["FLASH", "RAM"]
assert doc["regions"][0]["left"] == -740
PY
  ;;

junit)
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format junit
  xmllint --noout "$TMP/out" || fail "JUnit output is not well-formed XML"
  [[ $(xmllint --xpath 'count(//testcase)' "$TMP/out") == 7 ]] || fail "expected 7 test cases"
  [[ $(xmllint --xpath 'count(//testcase/failure)' "$TMP/out") == 4 ]] || fail "expected 4 failures"
  [[ $(xmllint --xpath 'string(/testsuites/@failures)' "$TMP/out") == 4 ]] || fail "testsuites@failures"
  [[ $(xmllint --xpath 'string(//testcase[@name="FLASH"]/@line)' "$TMP/out") == 4 ]] || fail "FLASH test case line"
  [[ $(xmllint --xpath 'count(//testcase[@name="_printf_float"]/*)' "$TMP/out") == 0 ]] || fail "_printf_float passes"
  run 0 "$EXE" check "$GNU" --budget unmatched.yaml --format junit
  xmllint --noout "$TMP/out" || fail "JUnit output is not well-formed XML"
  [[ $(xmllint --xpath 'count(//testcase/skipped)' "$TMP/out") == 2 ]] || fail "unmatched entries are skipped"
  ;;

markdown)
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format markdown
  head -1 "$TMP/out" | grep -q '^## ❌ Size budget: 7 budget checks: 4 errors, 0 warnings$' || fail "markdown heading"
  # Every table: each row has as many cells as its header ('|' not escaped by '\').
  awk '
    function cells(line,   n, i, c, prev) {
      n = 0; prev = ""
      for (i = 1; i <= length(line); i++) { c = substr(line, i, 1); if (c == "|" && prev != "\\") n++; prev = c }
      return n - 1
    }
    /^\|/ { if (!intable) { intable = 1; want = cells($0); tables++ ; next }
            if (cells($0) != want) { print "row with " cells($0) " cells, header has " want ": " $0; bad = 1 }
            rows++; next }
    { intable = 0 }
    END { if (tables != 3) { print "expected 3 tables, found " tables; bad = 1 }
          if (rows < 8) { print "too few rows: " rows; bad = 1 }
          exit bad }' "$TMP/out" >&2 || fail "markdown tables"
  grep -q '^|---' "$TMP/out" || fail "markdown table separator"
  has_line "$TMP/out" "| \`FLASH\` | 5.72 KiB | 256 KiB | 2.2% | 5 KiB | −740 B | ❌ |"
  ;;

github)
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format github
  has_text "$TMP/out" "::error file=fail.yaml,line=4,col=3,title=size budget%3A region FLASH::region 'FLASH' overflowed its budget by 740 bytes (5860 B used, budget 5120 B)%0A"
  has_text "$TMP/out" "::error file=fail.yaml,line=9,col=49,"
  [[ $(grep -c '^::error ' "$TMP/out") == 4 ]] || fail "expected 4 ::error annotations"
  [[ $(grep -vc '^::' "$TMP/out") == 1 ]] || fail "only the summary line is not an annotation"
  has_line "$TMP/out" "sizebudget: 7 budget checks: 4 errors, 0 warnings"
  run 0 "$EXE" check "$GNU" --budget warn.yaml --format github
  [[ $(grep -c '^::warning file=warn.yaml,line=' "$TMP/out") == 3 ]] || fail "expected 3 ::warning annotations"
  ;;

output)
  mkdir -p "$TMP/reports"
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format junit --output "$TMP/reports/budget.xml"
  is_empty "$TMP/out"
  [[ -f "$TMP/reports/budget.xml" ]] || fail "--output wrote no file"
  xmllint --noout "$TMP/reports/budget.xml" || fail "written JUnit is not well-formed"
  [[ $(ls -A "$TMP/reports" | wc -l) == 1 ]] || fail "temporary files left next to the report: $(ls -A "$TMP/reports")"
  run 1 "$EXE" check "$GNU" --budget fail.yaml --format junit
  cmp -s "$TMP/out" "$TMP/reports/budget.xml" || fail "--output differs from stdout"
  # Overwrites an existing report in place.
  run 0 "$EXE" check "$GNU" --budget pass.yaml -o "$TMP/reports/budget.xml"
  has_line "$TMP/reports/budget.xml" "PASSED: all 13 budget checks within budget"
  run 2 "$EXE" check "$GNU" --budget pass.yaml --output "$TMP/no/such/dir/report.txt"
  has_text "$TMP/err" "sizebudget: error:"
  ;;

usage)
  run 2 "$EXE" check "$GNU"
  has_text "$TMP/err" "sizebudget: error: the option '--budget' is required but missing"
  run 2 "$EXE" check --budget pass.yaml
  has_text "$TMP/err" "sizebudget: error: the option '--map' is required but missing"
  run 2 "$EXE" check "$GNU" --budget pass.yaml --format xml
  has_line "$TMP/err" "sizebudget: error: --format must be text, json, markdown, junit, github or html, not 'xml'"
  run 2 "$EXE" check "$FIX/no-such.map" --budget pass.yaml
  has_text "$TMP/err" "sizebudget: error: $FIX/no-such.map"
  run 2 "$EXE" check "$GNU" --budget no-such-budget.yaml
  has_text "$TMP/err" "sizebudget: error: no-such-budget.yaml: cannot read the budget file"
  run 0 "$EXE" check --help
  has_text "$TMP/out" "usage: sizebudget check MAP --budget FILE"
  run 0 "$EXE" --help
  has_text "$TMP/out" "  check MAP"
  ;;

validation)
  # Each problem in a budget file: exit 2, nothing on stdout, `sizebudget: error: FILE:LINE:COL: message`.
  cd "$TMP" || exit 1
  expect_invalid() {  # NAME CONTENT EXPECTED-STDERR-LINE
    printf '%b' "$2" >"$1"
    run 2 "$EXE" check "$GNU" --budget "$1"
    is_empty "$TMP/out"
    has_line "$TMP/err" "$3"
  }
  expect_invalid syntax.yaml 'version: 1\nregions: { FLASH: [1K\n' \
    "sizebudget: error: syntax.yaml:2:19: YAML syntax error: this '[' is never closed: a ']' is missing"
  expect_invalid unknown.yaml 'version: 1\narchives:\n  libc_nano.a: { maxx: 12K }\n' \
    "sizebudget: error: unknown.yaml:3:18: unknown key 'maxx' in archive 'libc_nano.a' (did you mean 'max'?)"
  expect_invalid top.yaml 'version: 1\nregoins:\n  FLASH: 96K\n' \
    "sizebudget: error: top.yaml:2:1: unknown key 'regoins' at the top level (did you mean 'regions'?)"
  expect_invalid type.yaml 'version: 1\narchives:\n  libc_nano.a: [12K]\n' \
    "sizebudget: error: type.yaml:3:16: archive 'libc_nano.a' needs a budget such as \`{ max: 12K }\` or just \`12K\`, not a list"
  expect_invalid size.yaml 'version: 1\nregions:\n  FLASH: { max: 96Q }\n' \
    "sizebudget: error: size.yaml:3:17: the max of region 'FLASH': cannot read '96Q' as a size: unknown unit 'Q'; use B, K/KB/KiB, M/MB/MiB or G/GB/GiB (all binary, K = 1024)"
  expect_invalid negative.yaml 'version: 1\nsymbols:\n  main: -4\n' \
    "sizebudget: error: negative.yaml:3:9: the max of symbol 'main': negative size '-4': sizes are 0 or more"
  expect_invalid warn.yaml 'version: 1\narchives:\n  libc_nano.a: { max: 12K, warn: 16K }\n' \
    "sizebudget: error: warn.yaml:3:34: warn (16K) is above max (12K)"
  expect_invalid percent.yaml 'version: 1\narchives:\n  libc_nano.a: { max: 10% }\n' \
    "sizebudget: error: percent.yaml:3:23: a percent means nothing as the max of an archive: percents are of a region's length (a region's max) or of max (warn); write a size such as 12K"
  expect_invalid duplicate.yaml 'version: 1\nregions:\n  FLASH: 96K\n  RAM: 20K\n  FLASH: 64K\n' \
    "sizebudget: error: duplicate.yaml:5:3: duplicate key 'FLASH' (first at line 3)"
  expect_invalid version.yaml 'version: 2\nregions:\n  FLASH: 96K\n' \
    "sizebudget: error: version.yaml:1:10: unsupported budget file version '2': this sizebudget reads version 1"
  expect_invalid empty.yaml '' \
    "sizebudget: error: empty.yaml: the budget file is empty: it needs at least \`version: 1\` and one budget"
  expect_invalid alias.yaml 'version: 1\nobjects:\n  */drivers/*.o: 16K\n' \
    "sizebudget: error: alias.yaml:3:3: YAML syntax error: the referenced anchor is not defined; a budget file uses no anchors or aliases, and a glob that starts with '*' must be quoted (\"*/drivers/*.o\")"
  # Found once the map is known: an absolute warn above a percent max.
  expect_invalid late.yaml 'version: 1\nregions:\n  RAM: { max: 1%, warn: 1K }\n' \
    "sizebudget: error: late.yaml:3:25: warn (1K) is above max (1% of 'RAM' = 655 bytes)"
  ;;

*)
  echo "unknown case $CASE" >&2
  exit 2
  ;;
esac
finish
