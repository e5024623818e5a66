#!/usr/bin/env bash
# End-to-end: `sizebudget why` and retained sizes on firmware built here with Debian's
# arm-none-eabi toolchain and linked with --cref (tests/why/), against the truth of a relink:
# - the chains are the true ones: report.o -> printf, -u _printf_float, main.o -> __cxa_throw;
# - retained(report.o) equals what the link without report.o's printf loses, object for object
#   (the stub's own bytes added back); only alignment fill differs, and is reported;
# - an item --gc-sections dropped says so (exit 0), an unknown one names the closest (exit 2).
#   why.sh SIZEBUDGET SOURCE_DIR        (exit 77: no arm-none-eabi toolchain)
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"
command -v arm-none-eabi-gcc >/dev/null && command -v arm-none-eabi-g++ >/dev/null || {
  echo "SKIP: arm-none-eabi-gcc/g++ not installed" >&2
  exit 77
}
PY=/usr/bin/python3
[[ -x $PY ]] || { echo "SKIP: python3 is missing" >&2; exit 77; }

cd "$TMP"
mkdir -p obj/cxx
CF="-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -ffunction-sections -fdata-sections"
NANO="--specs=nano.specs --specs=nosys.specs"
for f in main report report_stub sensor; do
  arm-none-eabi-gcc $CF -c "$SRC/tests/why/$f.c" -o "obj/$f.o" || fail "compile $f.c"
done
arm-none-eabi-gcc $CF -c "$SRC/tests/fixtures/src/common/startup_cm.c" -o obj/startup_cm.o || fail "compile startup"
arm-none-eabi-g++ $CF -std=c++17 -c "$SRC/tests/fixtures/src/cxx/main.cpp" -o obj/cxx/main.o || fail "compile main.cpp"
# link NAME REPORT_OBJECT: the C firmware with newlib-nano's float printf, map with --cref.
link() {
  arm-none-eabi-gcc $CF $NANO -u _printf_float -Wl,--gc-sections -Wl,--cref \
    -T "$SRC/tests/fixtures/src/cm4/cm4-nano.ld" -Wl,-Map="$1.map" \
    obj/startup_cm.o obj/main.o "obj/$2.o" obj/sensor.o -o "$1.elf" || fail "link $1"
}
link full report
link stub report_stub
# Without printf and without -u _printf_float: no trap at all.
arm-none-eabi-gcc $CF $NANO -Wl,--gc-sections -Wl,--cref -T "$SRC/tests/fixtures/src/cm4/cm4-nano.ld" \
  -Wl,-Map=clean.map obj/startup_cm.o obj/main.o obj/report_stub.o obj/sensor.o -o clean.elf || fail "link clean"
arm-none-eabi-g++ $CF $NANO -Wl,--gc-sections -Wl,--cref -T "$SRC/tests/fixtures/src/cxx/cxx.ld" \
  -Wl,-Map=cxx.map obj/startup_cm.o obj/cxx/main.o -o cxx.elf || fail "link cxx"

# --- chains ------------------------------------------------------------------------------------
run 0 "$EXE" why full.map printf
has_line out "1. obj/report.o (linked directly)"
has_line out "   references printf in libc_nano.a(lib_a-printf.o)  [cross reference table]"
lacks_text out "note:"   # the map has every reference

run 0 "$EXE" why full.map _printf_float
has_line out "1. libc_nano.a(lib_a-nano-vfprintf_float.o) (-u _printf_float or the entry point asks for it)"

# A chain through several archive members, each step naming the symbol that pulled the next in.
run 0 "$EXE" why full.map '_dtoa_r'
has_text out "references _dtoa_r in libc_nano.a(lib_a-dtoa.o)  [cross reference table]"

run 0 "$EXE" why cxx.map __cxa_throw
has_line out "1. obj/cxx/main.o (linked directly)"
has_line out "   references __cxa_throw in libstdc++_nano.a(eh_throw.o)  [cross reference table]"

# An archive: chains end at its first member reached.
run 0 "$EXE" why cxx.map 'libstdc++_nano.a'
has_text out "archive libstdc++_nano.a (in "
grep -q "references .* in libstdc++_nano.a(" "$TMP/out" || fail "no chain into libstdc++_nano.a"

# --- not linked, unknown -------------------------------------------------------------------------
run 0 "$EXE" why full.map sensor_self_test
has_line out "'sensor_self_test' is not linked: the map lists its section .text.sensor_self_test of obj/sensor.o as discarded (--gc-sections or /DISCARD/)"
run 2 "$EXE" why full.map prinft
has_text err "nothing in the link is called 'prinft'"
has_text err "did you mean 'printf'"
run 2 "$EXE" why full.map
has_text err "sizebudget: error: why needs a map and an item"

# Without --cref the chain comes from the archive member table alone, and says so.
sed '/^Cross Reference Table/,$d' full.map >nocref.map
run 0 "$EXE" why nocref.map printf
has_text out "note: the map has no cross reference table"
has_text out "[archive member table]"

# --- retained against a relink ------------------------------------------------------------------
"$EXE" report full.map --format json >full.json || fail "report full.map --format json"
"$EXE" report stub.map --format json >stub.json || fail "report stub.map --format json"
PYTHONPATH=$SRC/tests/e2e "$PY" - full.json stub.json "$SRC/budgets/report.schema.json" <<'PY' || fail "retained(report.o) against the relink"
import json, sys
full, stub = (json.load(open(p)) for p in sys.argv[1:3])
try:
    import jsonschema
    jsonschema.validate(full, json.load(open(sys.argv[3])))
except ImportError:
    pass
assert full["retained_evidence"] == "cross reference table", full["retained_evidence"]
from relink import objects, relink_loss
report, lost = objects(full)["report.o"], relink_loss(full, stub)
s = {k: o["size"] for k, o in objects(stub).items()}
assert report["retained"] == lost, f"retained(report.o) = {report['retained']}, the relink lost {lost} B of objects"
# The image shrinks by that, less the alignment fill the linker adds or drops around it.
fill = lambda d: sum(o["size"] for o in d["objects"] if o["name"] == "(fill)")
shrink = full["allocated"] - stub["allocated"] + s["report_stub.o"]
assert shrink == lost - (fill(stub) - fill(full)), (shrink, lost, fill(full), fill(stub))
# Retained sizes never fall below an item's own bytes, and pseudo rows have none.
for level in ("archives", "objects", "symbols"):
    for row in full[level]:
        if row["retained"] is None:
            assert row["name"].startswith("("), (level, row["name"])
        else:
            assert row["retained"] >= row["size"], (level, row["name"], row["retained"], row["size"])
print("retained(report.o) =", report["retained"], "B; the relink lost", lost, "B of objects")
PY

# --- a failing budget shows who pulled the item in ------------------------------------------------
printf 'version: 1\nsymbols:\n  printf: { max: 0 }\narchives:\n  libc_nano.a: { max: 1K }\n' >forbid.yaml
run 1 "$EXE" check full.map --budget forbid.yaml
has_text out "error: symbol 'printf' must not be linked"
has_line out "    linked because:"
has_line out "      obj/report.o (linked directly)"
has_line out "      references printf in libc_nano.a(lib_a-printf.o)  [cross reference table]"
run 1 "$EXE" check full.map --budget forbid.yaml --format json
PYTHONPATH=$SRC/tests/e2e "$PY" - out <<'PY' || fail "check JSON: why"
import json, sys
d = json.load(open(sys.argv[1]))
v = next(v for v in d["verdicts"] if v["item"] == "printf")
assert v["why"] == ["obj/report.o (linked directly)",
                    "references printf in libc_nano.a(lib_a-printf.o)  [cross reference table]"], v["why"]
a = next(v for v in d["verdicts"] if v["item"] == "libc_nano.a")
# The archive's first member reached is the one -u asks for: a chain of one step.
assert a["why"] == ["libc_nano.a(lib_a-nano-vfprintf_float.o) (-u _printf_float or the entry point asks for it)"], a["why"]
PY
run 1 "$EXE" check full.map --budget forbid.yaml --format markdown
has_text out "Linked because:"
# The PR comment lists the size traps too.
has_text out "<details><summary>Size traps (4)</summary>"
has_text out '**printf formats floating point (newlib-nano'"'"'s \_printf\_float)**: `symbol _printf_float in libc_nano.a(lib_a-nano-vfprintf_float.o)`'

# --- hints fire on the builds with the trap, with evidence, and stay silent elsewhere ------------
hints() { "$EXE" report "$1" --format json | "$PY" -c 'import json, sys; print(" ".join(h["id"] for h in json.load(sys.stdin)["hints"]))'; }
[[ $(hints full.map) == "newlib-printf-float assert-file-names soft-double heap-allocator" ]] ||
  fail "hints of full.map: $(hints full.map)"
[[ $(hints clean.map) == "" ]] || fail "hints of clean.map (no printf, no float): $(hints clean.map)"
[[ $(hints cxx.map) == "cxx-exceptions cxx-rtti heap-allocator" ]] || fail "hints of cxx.map: $(hints cxx.map)"
FX=$SRC/tests/fixtures
if [[ -f $FX/rust-panic-fmt/rust-panic-fmt.map ]]; then
  [[ $(hints "$FX/rust-panic-fmt/rust-panic-fmt.map") == "rust-panic-fmt" ]] || fail "the formatting panic handler"
  [[ $(hints "$FX/rust-panic-halt/rust-panic-halt.map") == "" ]] || fail "panic-halt has no panic formatting"
fi
run 0 "$EXE" report full.map
has_line out "  newlib-printf-float: printf formats floating point (newlib-nano's _printf_float)"
has_text out "    found: symbol _printf_float in libc_nano.a(lib_a-nano-vfprintf_float.o)"
has_text out "    linked because: libc_nano.a(lib_a-nano-vfprintf_float.o) (-u _printf_float or the entry point asks for it)"
has_text out "    remedy: newlib-nano links float formatting only when asked"
# The soft-double chain runs from the float-to-double promotion in report.c.
has_text out "references __aeabi_f2d in libgcc.a(_arm_addsubdf3.o)  [cross reference table]"
run 0 "$EXE" report clean.map
lacks_text out "Size traps"
# A user's own rules, added to the built-in ones; a broken file is one error line.
printf 'version: 1\nhints:\n  sensor-test:\n    title: the sensor self test is linked\n    symbols: [read_temp*]\n    remedy: leave it out of release builds.\n' >mine.yaml
run 0 "$EXE" report clean.map --hints mine.yaml
has_line out "  sensor-test: the sensor self test is linked"
has_text out "    found: symbol read_temperature in obj/sensor.o"
printf 'version: 1\nhints:\n  broken:\n    title: x\n    symbols: read_temperature\n    remedy: y\n' >bad.yaml
run 2 "$EXE" report clean.map --hints bad.yaml
has_line err "sizebudget: error: bad.yaml:5:14: \`symbols\` of hint 'broken' must be a list of globs"
run 0 "$EXE" report full.map --no-hints
lacks_text out "Size traps"
# A setting compiled into a variable: ESP-IDF's default log level, read from the ELF's .data
# (as liblog's log_level.c defines it), silent without the ELF and below debug (4).
loglink() {
  printf 'int esp_log_default_level = %s;\nint main(void) { for (;;) { if (esp_log_default_level > 9) return 1; } }\n' "$2" >"$1.c"
  arm-none-eabi-gcc $CF $NANO -Wl,--gc-sections -T "$SRC/tests/fixtures/src/cm4/cm4-nano.ld" -Wl,-Map="$1.map" \
    obj/startup_cm.o "$1.c" -o "$1.elf" || fail "link $1"
}
loglink verbose 5
loglink info 3
run 0 "$EXE" report verbose.map --elf verbose.elf
has_line out "  esp-log-verbose: ESP-IDF logs at debug or verbose level by default: every ESP_LOGD and ESP_LOGV string is in flash"
has_text out "    found: esp_log_default_level = 5 (its starting value in the ELF) in "
run 0 "$EXE" report verbose.map --elf verbose.elf --format markdown
has_text out '**ESP-IDF logs at debug or verbose level by default: every ESP\_LOGD and ESP\_LOGV string is in flash**: `esp_log_default_level = 5 (its starting value in the ELF) in '
lacks_text out "retained)"   # a value has no bytes to retain
run 0 "$EXE" report verbose.map
lacks_text out "esp-log-verbose"
run 0 "$EXE" report info.map --elf info.elf
lacks_text out "esp-log-verbose"

# The report as Markdown: regions, the breakdown with retained sizes, the size traps; every
# table row has its header's cells.
run 0 "$EXE" report full.map --format markdown --top 3
has_line out "| Archive | Size | Retained | FLASH | RAM |"
has_line out "| \`libc_nano.a\` | 17.4 KiB | 19 KiB | 17.4 KiB | 476 B |"
has_line out "### Size traps (4)"
has_line out '**printf formats floating point (newlib-nano'"'"'s \_printf\_float)**: `symbol _printf_float in libc_nano.a(lib_a-nano-vfprintf_float.o)` (1.43 KiB retained)'
has_line out "    libc_nano.a(lib_a-nano-vfprintf_float.o) (-u _printf_float or the entry point asks for it)"
"$PY" - out <<'PY' || fail "report --format markdown: table rows"
import re, sys
cells = lambda l: len(re.split(r"(?<!\\)\|", l)) - 2
tables, current = [], []
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("|"):
        current.append(l)
    elif current:
        tables.append(current)
        current = []
assert len(tables) == 2, tables
for t in tables:
    assert all(cells(l) == cells(t[0]) for l in t), t
PY
run 0 "$EXE" report full.map --by retained --top 5
has_text out "  Retained         Own  Level     Name"
run 0 "$EXE" report full.map --by archive
has_text out "Retained"
run 2 "$EXE" report full.map --by retained --format json
has_text err "--by retained is a text table"
# --- section-level evidence: the relocations of a link with --emit-relocs -------------------------
# logger.o references printf only from log_float(), which --gc-sections drops: the cross reference
# table still lists that reference, the relocations do not.
arm-none-eabi-gcc $CF -c "$SRC/tests/why/logger.c" -o obj/logger.o || fail "compile logger.c"
relink() {
  arm-none-eabi-gcc $CF $NANO -u _printf_float -Wl,--gc-sections -Wl,--cref -Wl,--emit-relocs \
    -T "$SRC/tests/fixtures/src/cm4/cm4-nano.ld" -Wl,-Map="$1.map" \
    obj/startup_cm.o obj/main.o "obj/$2.o" obj/sensor.o obj/logger.o -o "$1.elf" || fail "link $1"
}
relink rfull report
relink rstub report_stub
run 0 "$EXE" why rfull.map printf --elf rfull.elf
has_line out "1. obj/report.o (linked directly)"
has_line out "   references printf in libc_nano.a(lib_a-printf.o)  [relocation in .text.report to .text]"
lacks_text out "logger.o"
lacks_text err "warning"   # an empty section outside every segment is no dispute
run 0 "$EXE" why rfull.map printf
has_text out "obj/logger.o (linked directly)"
# An ELF without relocations: the chain from the map, and how to get the sharper one.
run 0 "$EXE" why full.map printf --elf full.elf
has_text out "[cross reference table]"
has_text out "note: the ELF keeps no relocations: link with -Wl,--emit-relocs"
# A chain through the sections the link kept, each step naming both.
run 0 "$EXE" why rfull.map _dtoa_r --elf rfull.elf
has_line out "1. libc_nano.a(lib_a-nano-vfprintf_float.o) (-u _printf_float or the entry point asks for it)"
has_line out "   references _dtoa_r in libc_nano.a(lib_a-dtoa.o)  [relocation in .text to .text]"
"$EXE" report rfull.map --elf rfull.elf --by symbol --format json >rfull-elf.json || fail "report rfull.map --elf"
"$EXE" report rfull.map --format json >rfull-cref.json || fail "report rfull.map"
"$EXE" report rstub.map --format json >rstub.json || fail "report rstub.map"
PYTHONPATH=$SRC/tests/e2e "$PY" - rfull-elf.json rfull-cref.json rstub.json <<'PY' || fail "retained(report.o) from relocations against the relink"
import json, sys
elf, cref, stub = (json.load(open(p)) for p in sys.argv[1:4])
assert elf["retained_evidence"] == "relocations", elf["retained_evidence"]
assert cref["retained_evidence"] == "cross reference table", cref["retained_evidence"]
from relink import objects, relink_loss
f, lost = objects(elf), relink_loss(elf, stub)
assert f["report.o"]["retained"] == lost, f"relocations: retained(report.o) = {f['report.o']['retained']}, the relink lost {lost} B"
# The function is its section (-ffunction-sections): it retains what the object does.
report = next(r for r in elf["symbols"] if r["name"] == "report")
assert report["retained"] == lost, (report["retained"], lost)
# The table credits logger.o's dropped reference with keeping printf's member: report.o retains
# less by exactly that member's bytes.
printf = f["libc_nano.a(lib_a-printf.o)"]["size"]
assert printf > 0
assert objects(cref)["report.o"]["retained"] == lost - printf, (objects(cref)["report.o"]["retained"], lost, printf)
print("relocations: retained(report.o) =", lost, "B as the relink; the cross reference table says", lost - printf)
PY

# The same against ld.lld, whose map lists the kept relocations (.rel.text at address 0: not
# image bytes) and whose --why-extract names -u as "<internal>".
if command -v ld.lld >/dev/null; then
  GCCLIB=$(dirname "$(arm-none-eabi-gcc $CF -print-libgcc-file-name)")
  NEWLIB=$(dirname "$(arm-none-eabi-gcc $CF -print-file-name=libc_nano.a)")
  lldlink() {
    ld.lld -X --gc-sections --emit-relocs --cref --why-extract="$1.why" -u _printf_float \
      -T "$SRC/tests/fixtures/src/cm4/cm4-nano-lld.ld" -Map="$1.map" -o "$1.elf" \
      "$GCCLIB/crti.o" "$GCCLIB/crtbegin.o" "$NEWLIB/crt0.o" obj/startup_cm.o obj/main.o "obj/$2.o" obj/sensor.o \
      obj/logger.o -L"$GCCLIB" -L"$NEWLIB" --start-group -lgcc -lc_nano -lnosys --end-group \
      "$GCCLIB/crtend.o" "$GCCLIB/crtn.o" || fail "ld.lld $1"
  }
  lldlink lfull report
  lldlink lstub report_stub
  run 0 "$EXE" why lfull.map _printf_float --why-extract lfull.why --elf lfull.elf
  has_line out "1. <internal> (the linker's own reference: -u or the entry point)"
  run 0 "$EXE" why lfull.map printf --why-extract lfull.why --elf lfull.elf
  has_line out "   references printf in libc_nano.a(lib_a-printf.o)  [relocation in .text.report to .text]"
  lacks_text out "logger.o"
  "$EXE" report lfull.map --why-extract lfull.why --elf lfull.elf --by symbol --format json >lfull.json || fail "report lfull.map"
  "$EXE" report lstub.map --why-extract lstub.why --elf lstub.elf --format json >lstub.json || fail "report lstub.map"
  PYTHONPATH=$SRC/tests/e2e "$PY" - lfull.json lstub.json lfull.elf <<'PY' || fail "ld.lld: retained(report.o) from relocations against the relink"
import json, subprocess, sys
full, stub = (json.load(open(p)) for p in sys.argv[1:3])
assert full["retained_evidence"] == "relocations", full["retained_evidence"]
# The relocation sections are no image bytes: the figure is the ELF's allocated (SHF_ALLOC) sections'.
import re
headers = subprocess.run(["readelf", "-SW", sys.argv[3]], capture_output=True, text=True, check=True).stdout
alloc = 0
for m in re.finditer(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)\s", headers, re.M):
    if "A" in m.group(3) and "I" not in m.group(3):
        alloc += int(m.group(2), 16)
assert alloc > 0 and full["allocated"] == alloc, (full["allocated"], alloc)
from relink import objects, relink_loss
f, lost = objects(full), relink_loss(full, stub)
assert f["report.o"]["retained"] == lost, f"ld.lld: retained(report.o) = {f['report.o']['retained']}, the relink lost {lost} B"
report = next(r for r in full["symbols"] if r["name"] == "report")
assert report["retained"] == lost, ("ld.lld: retained(report)", report["retained"], lost)
PY
fi

# RISC-V's relocations carry their addends (RELA): the same reader, the same figures as the cross
# reference table where no dropped section references another file.
if command -v riscv64-unknown-elf-gcc >/dev/null; then
  RV_CF="--specs=picolibc.specs -march=rv32imac -mabi=ilp32 -Os -ffunction-sections -fdata-sections"
  riscv64-unknown-elf-gcc $RV_CF -c "$SRC/tests/fixtures/src/riscv/main.c" -o obj/rv-main.o || fail "compile riscv main.c"
  riscv64-unknown-elf-gcc $RV_CF -Wl,--gc-sections -Wl,--cref -Wl,--emit-relocs -T "$SRC/tests/fixtures/src/riscv/riscv.ld" \
    -Wl,-Map=rv.map obj/rv-main.o -o rv.elf || fail "link riscv"
  run 0 "$EXE" why rv.map '__dtoa_engine' --elf rv.elf
  has_line out "   references vfprintf in libc.a(libc_tinystdio_vfprintf.c.o)  [relocation in .text.snprintf to .text.vfprintf]"
  "$EXE" report rv.map --elf rv.elf --format json >rv-elf.json || fail "report rv.map --elf"
  "$EXE" report rv.map --format json >rv-cref.json || fail "report rv.map"
  PYTHONPATH=$SRC/tests/e2e "$PY" - rv-elf.json rv-cref.json <<'PY' || fail "riscv: relocations and the cross reference table agree"
import json, sys
elf, cref = (json.load(open(p)) for p in sys.argv[1:3])
assert elf["retained_evidence"] == "relocations" and cref["retained_evidence"] == "cross reference table"
r = lambda d: {o["name"]: o["retained"] for o in d["objects"]}
assert r(elf) == r(cref), (r(elf), r(cref))
assert r(elf)["libc.a(libc_tinystdio_vfprintf.c.o)"] > 0
PY
fi

finish
