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
has_line "$TMP/err" "brace.yaml:4:8: error: YAML syntax error: this '{' is never closed: a '}' is missing"
printf 'version: 1\nregions:\n  FLASH: { max: 1,5K }\n' >comma.yaml
run 2 "$EXE" check "$NANO" --budget comma.yaml
has_text "$TMP/err" "comma.yaml:3:17: error: malformed size '1,5K' for 'max'"

finish
