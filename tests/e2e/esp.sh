#!/usr/bin/env bash
# ESP-IDF maps from the corpus as ESP-IDF engineers read them: memory types like idf.py size,
# reserved address space apart from content, budgets on memories.
#   esp.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

MAPS=$SRC/../shared/corpus/maps/gnu-ld
LVGL=$MAPS/esp32s3-lvgl-hello.map
skip_unless "$LVGL" "$MAPS/zephyr-esp32-microdoom.map"
cd "$TMP" || exit 1

run 0 "$EXE" report "$LVGL" --by archive
has_line "$TMP/out" "ESP32-S3 memory types (as idf.py size counts them; reserved space left out):"
grep -E "^IRAM +16383 +1 +16384 +99\.99%$" "$TMP/out" >/dev/null || fail "IRAM row: $(head -4 "$TMP/out")"
grep -E "^DIRAM +112600 +233256 +345856 +32\.56%$" "$TMP/out" >/dev/null || fail "DIRAM row"
has_line "$TMP/out" "Image size: 444241 bytes (sections with contents, at their load addresses)"
has_line "$TMP/out" "note: 327680 bytes of 'drom0_0_seg' are reserved address space, not content; ld counts them as used"
# The top row is LVGL, not 368 KiB of fill; the reserved bytes follow the total.
grep -A1 "^Archive" "$TMP/out" | tail -1 | grep -q "^liblvgl.a " || fail "LVGL is not the top row"
grep -E "^\(reserved\) +364 KiB" "$TMP/out" >/dev/null || fail "no (reserved) row"
has_text "$TMP/out" "(reserved) is address space kept free by .dram0.dummy, .flash_rodata_dummy"

# Per-kind columns, as size-components shows them: LVGL's 33 KiB of DRAM is .bss, no flash.
run 0 "$EXE" report "$LVGL" --by archive --columns kind --top 3
has_line "$TMP/out" "Archive                     Size        code      rodata        data         bss       other"
grep -E "^liblvgl.a +232 KiB +181 KiB +17.7 KiB +142 B +33.1 KiB +-$" "$TMP/out" >/dev/null || fail "LVGL by kind: $(grep lvgl "$TMP/out")"
grep -E "^\(reserved\) +364 KiB +- +- +- +- +364 KiB$" "$TMP/out" >/dev/null || fail "reserved by kind"
# One archive's objects, as esp_idf_size --archive-details: the total is the archive's.
run 0 "$EXE" report "$LVGL" --by object --only liblvgl.a --top 2
grep -E "^liblvgl.a\(lv_mem.c.obj\) +33.3 KiB" "$TMP/out" >/dev/null || fail "--only rows"
grep -E "^Total +232 KiB" "$TMP/out" >/dev/null || fail "--only total is not LVGL's"
lacks_text "$TMP/out" "libc.a"
run 2 "$EXE" report "$LVGL" --columns kind --format json
has_text "$TMP/err" "--columns kind is for text and csv"

cat >mem.yaml <<'YAML'
version: 1
memories:
  DIRAM: { max: 100K }
  IRAM: { max: 100%, warn: 95% }
  "Flash Code": 512K
YAML
run 1 "$EXE" check "$LVGL" --budget mem.yaml
has_line "$TMP/out" "mem.yaml:3:3: error: memory 'DIRAM' exceeds its budget by 9.96 KiB (110 KiB of 100 KiB)"
has_line "$TMP/out" "mem.yaml:4:3: warning: memory 'IRAM' at 100% of its budget (warn at 95%)"
# A 128K budget on drom0_0_seg measures ld's figure, reserved space included, as ld does.
printf 'version: 1\nregions:\n  drom0_0_seg: 128K\n' >drom.yaml
run 1 "$EXE" check "$LVGL" --budget drom.yaml
has_text "$TMP/out" "region 'drom0_0_seg' overflowed its budget by 261344 bytes"

# Memories declared for a chip sizebudget does not know; mistakes are errors at their line.
cat >declared.yaml <<'YAML'
version: 1
memories:
  SRAM:
    ranges: ["0x20000000-0x20010000"]
    max: 512
YAML
run 1 "$EXE" check "$SRC/tests/fixtures/cm4-nano/cm4-nano.map" --budget declared.yaml
has_line "$TMP/out" "declared.yaml:3:3: error: memory 'SRAM' exceeds its budget by 356 B (868 B of 512 B)"
printf 'version: 1\nmemories:\n  A:\n    ranges: ["0x100-0x200"]\n  B:\n    ranges: ["0x180-0x300"]\n' >overlap.yaml
run 2 "$EXE" check "$SRC/tests/fixtures/cm4-nano/cm4-nano.map" --budget overlap.yaml
has_line "$TMP/err" "sizebudget: error: overlap.yaml:5:3: memory 'B' overlaps memory 'A' (line 3) at 0x180"
printf 'version: 1\nmemories:\n  A:\n    ranges: ["0x100..0x200"]\n' >malformed.yaml
run 2 "$EXE" check "$SRC/tests/fixtures/cm4-nano/cm4-nano.map" --budget malformed.yaml
has_text "$TMP/err" "sizebudget: error: malformed.yaml:4:14: \`ranges\` of memory 'A' lists address ranges such as"
# A built-in memory on a map of no known chip: a warning that says why, never a guess.
printf 'version: 1\nmemories:\n  DIRAM: 100K\n' >unknown.yaml
run 0 "$EXE" check "$MAPS/zephyr-esp32-microdoom.map" --budget unknown.yaml
has_text "$TMP/out" "memory 'DIRAM' is not declared with \`ranges:\`"
has_text "$TMP/out" "fit no ESP chip"
run 0 "$EXE" report "$MAPS/zephyr-esp32-microdoom.map"
lacks_text "$TMP/out" "memory types"

finish
