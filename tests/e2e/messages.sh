#!/usr/bin/env bash
# Error and warning messages that send a new user the right way: a missing NEW for diff, an
# unreadable budget file, an ELF given for its map, a budget entry with a typo.
#   messages.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

NANO=$SRC/tests/fixtures/cm4-nano/cm4-nano.map
ELF=$SRC/tests/fixtures/cm4-nano/cm4-nano.elf
skip_unless "$NANO" "$ELF"
cd "$TMP" || exit 1

# diff with one input says which one is missing, in the usage's words.
run 2 "$EXE" diff "$NANO"
has_line "$TMP/err" "sizebudget: error: diff compares two builds: give OLD and NEW, each a map or a snapshot; NEW is missing after '$NANO' (usage: sizebudget diff OLD NEW [options])"
is_empty "$TMP/out"

# A budget file that cannot be read: the tool's own error form (not FILE:LINE: error:).
run 2 "$EXE" check "$NANO" --budget missing.yaml
has_line "$TMP/err" "sizebudget: error: missing.yaml: cannot read the budget file: No such file or directory"

# An ELF where the map belongs: the map beside it is named, or the option that writes one.
run 2 "$EXE" report "$ELF"
has_line "$TMP/err" "sizebudget: error: $ELF: is an ELF file, not a linker map: did you mean ${ELF%.elf}.map?"
cp "$ELF" fw.elf
run 2 "$EXE" check fw.elf --budget "$SRC/budgets/cm4-nano.yaml"
has_line "$TMP/err" "sizebudget: error: fw.elf: is an ELF file, not a linker map: give the map the linker writes with -Wl,-Map=fw.map (the ELF can come along as --elf)"

# A budget entry with a typo names the closest item of the map; one with no close name does not.
cat >typo.yaml <<'YAML'
version: 1
archives:
  libc_nan.a: { max: 6K }
  libfoo.a: { max: 1K }
symbols:
  memcpyy: { max: 1K }
YAML
run 0 "$EXE" check "$NANO" --budget typo.yaml
has_line "$TMP/out" "typo.yaml:3:3: warning: archives entry 'libc_nan.a' matches no archive in the map (did you mean 'libc_nano.a'?)"
has_line "$TMP/out" "typo.yaml:4:3: warning: archives entry 'libfoo.a' matches no archive in the map"
has_line "$TMP/out" "typo.yaml:6:3: warning: symbols entry 'memcpyy' matches no symbol in the map (did you mean 'memcpy'?)"

# YAML mistakes at their real place (see also tests/unit/budget_file_test.cpp).
printf 'version: 1\nregions:\n  FLASH: { max: 16K }\n  RAM: { max: 2K\narchives:\n  libc_nano.a: 6K\n' >brace.yaml
run 2 "$EXE" check "$NANO" --budget brace.yaml
has_line "$TMP/err" "sizebudget: error: brace.yaml:4:8: YAML syntax error: this '{' is never closed: a '}' is missing"
printf 'version: 1\nregions:\n  FLASH: { max: 1,5K }\n' >comma.yaml
run 2 "$EXE" check "$NANO" --budget comma.yaml
has_text "$TMP/err" "sizebudget: error: comma.yaml:3:17: malformed size '1,5K' for 'max'"

# Inputs that are FIFOs nobody writes are refused at once, never waited on.
mkfifo fifo
for args in "check $NANO --budget fifo" "check $NANO --budget $SRC/budgets/cm4-nano.yaml --elf fifo" \
            "check $NANO --budget $SRC/budgets/cm4-nano.yaml --linker-script fifo" \
            "check $NANO --budget $SRC/budgets/cm4-nano.yaml --baseline fifo" "diff fifo $NANO" "report fifo"; do
  timeout 20 $EXE $args >"$TMP/out" 2>"$TMP/err"; rc=$?
  [[ $rc -eq 2 ]] || fail "$args: exit status $rc (124: it waited on the FIFO)"
  has_text "$TMP/err" "sizebudget: error: fifo: is not a regular file"
done

# A map given as the budget: one error line of sane length, not the whole map.
run 2 "$EXE" check "$NANO" --budget "$NANO"
[[ $(wc -l <"$TMP/err") -eq 1 && $(wc -c <"$TMP/err") -lt 400 ]] || fail "the error is $(wc -c <"$TMP/err") bytes"
has_text "$TMP/err" "a budget file is a mapping"

# No lies: option values below zero are refused, not wrapped.
run 2 "$EXE" diff "$NANO" "$NANO" --threshold -5
has_line "$TMP/err" "sizebudget: error: --threshold must be 0 or more bytes, not -5"
run 2 "$EXE" diff "$NANO" "$NANO" --top -1
run 2 "$EXE" report "$NANO" --top -1
has_line "$TMP/err" "sizebudget: error: --top must be 0 (all) or more, not -1"

# A Memory Configuration table written with tabs keeps its regions: the budget still fails.
awk 'BEGIN { OFS = "\t" } /^Memory Configuration/ { m = 1 } /^Linker script and memory map/ { m = 0 }
     m && /^(FLASH|RAM|\*default\*) / { $1 = $1 } { print }' "$NANO" >tabs.map
grep -qP '^FLASH\t0x' tabs.map || fail "the table was not rewritten with tabs"
printf 'version: 1\nregions:\n  FLASH: { max: 1K }\n' >flash1k.yaml
run 1 "$EXE" check tabs.map --budget flash1k.yaml
has_text "$TMP/out" "flash1k.yaml:3:3: error: region 'FLASH' overflowed its budget by 4836 bytes (5860 B used, budget 1024 B)"

# A region that ends exactly at 2^64 is in the address space.
sed 's/^RAM              0x20000000         0x00010000/RAM              0xffffffffffff0000 0x0000000000010000/' "$NANO" >top.map
grep -q "^RAM              0xffffffffffff0000" top.map || fail "the RAM row was not rewritten"
run 0 "$EXE" report top.map --by region
lacks_text "$TMP/err" "past the 64-bit address space"

# Sizes whose difference does not fit in 64 bits are an error naming the item, not a wrap.
for u in 16 10400000000000000000; do
  printf '{"schema":"sizebudget-snapshot/2","allocated":%s,"regions":[{"name":"R","origin":0,"length":18446744073709551615,"used":%s}],"sections":[],"archives":[],"objects":[],"symbols":[]}\n' $u $u >s$u.json
done
run 2 "$EXE" diff s16.json s10400000000000000000.json
has_line "$TMP/err" "sizebudget: error: region R: sizes of 16 and 10400000000000000000 bytes: the difference does not fit in 64 bits; are these real maps or snapshots?"

finish
