#!/usr/bin/env bash
# A real Rust firmware (tests/rust/firmware), built with Debian's cargo and rustc: the same source
# in two checkouts diffs and growth-checks as unchanged, and a feature enabled in a dependency
# (a new crate hash) diffs as that crate's growth, not as one rlib removed and another added.
#   rust.sh SIZEBUDGET SOURCE_DIR SYSROOT_CACHE
set -uo pipefail
EXE=$1
SRC=$2
SYSROOT=$3
source "$SRC/tests/e2e/check_lib.sh"

"$SRC/tests/rust/build-sysroot" "$SYSROOT" >/dev/null || exit $?
cd "$TMP" || exit 1

# build NAME [cargo options]: a fresh checkout NAME/src/fw of the firmware, built.
build() {
  local name=$1
  shift
  mkdir -p "$name/src"
  cp -R "$SRC/tests/rust/firmware" "$name/src/fw"
  "$SRC/tests/rust/build-firmware" "$SYSROOT" "$name/src/fw" "$@" || exit $?
}
build one
build other-checkout
build feature --features minilog/timestamps
# With the evidence `why` needs: lld's cross reference table and its reasons for extracting.
EXTRA_RUSTFLAGS="-C link-arg=--cref -C link-arg=--why-extract=why.txt" build evidence
ONE=one/src/fw/app.map
TWO=other-checkout/src/fw/app.map
FEAT=feature/src/fw/app.map
SCRIPT=(--linker-script one/src/fw/rt/link.x -L one/src/fw -L one/src/fw/device)
grep -q "$TMP/one/src/fw/target/" "$ONE" || fail "the map does not name the checkout's paths"
grep -q "$TMP/other-checkout/src/fw/target/" "$TWO" || fail "the second map does not name its checkout"
old_rlib=$(grep -o 'libminilog-[0-9a-f]*\.rlib' "$ONE" | head -1)
new_rlib=$(grep -o 'libminilog-[0-9a-f]*\.rlib' "$FEAT" | head -1)
[[ -n $old_rlib && -n $new_rlib && $old_rlib != "$new_rlib" ]] ||
  fail "the feature did not change minilog's crate hash ($old_rlib, $new_rlib)"

cat >zero-growth.yaml <<'YAML'
version: 1
growth:
  regions: { FLASH: 0, RAM: 0 }
  archives: { "*": 0 }
  total: 0
YAML

# --- Two checkouts of the same source: nothing added, removed, grown or shrunk. -----------------
for by in archive object symbol; do
  run 0 "$EXE" diff "$ONE" "$TWO" --by $by --format json
  has_text "$TMP/out" '"items": []'
done
run 0 "$EXE" snapshot "$ONE" "${SCRIPT[@]}" -o one.json
run 0 "$EXE" check "$TWO" "${SCRIPT[@]}" --budget zero-growth.yaml --baseline one.json
has_text "$TMP/out" "FLASH"
lacks_text "$TMP/out" "grew"

# --- minilog with a feature: a new crate hash, and minilog's growth. ----------------------------
run 0 "$EXE" diff "$ONE" "$FEAT" --by archive --format json
has_text "$TMP/out" '"id": "libminilog.rlib"'
lacks_text "$TMP/out" '"change": "added"'
lacks_text "$TMP/out" '"change": "removed"'
run 0 "$EXE" diff "$ONE" "$FEAT" --by archive
grep -E "^ +\+[0-9]+ .*libminilog-[0-9a-f]+\.rlib$" "$TMP/out" >/dev/null ||
  fail "minilog's growth is not one row: $(cat "$TMP/out")"
has_text "$TMP/out" "Archives grown"
lacks_text "$TMP/out" "Archives added"
lacks_text "$TMP/out" "Archives removed"
run 0 "$EXE" diff "$ONE" "$FEAT" --by object
lacks_text "$TMP/out" "Objects added"
lacks_text "$TMP/out" "Objects removed"
# The growth budget names the crate that grew and fails the build (exit 1, over budget).
run 1 "$EXE" check "$FEAT" "${SCRIPT[@]}" --budget zero-growth.yaml --baseline one.json
grep -E "^zero-growth.yaml:[0-9]+:[0-9]+: error: archive 'libminilog-[0-9a-f]+\.rlib' \(budget '\*'\) grew by [0-9]+ bytes" \
  "$TMP/out" >/dev/null || fail "no growth error for minilog: $(head -5 "$TMP/out")"
lacks_text "$TMP/out" "archive 'libcore.rlib' (budget"
# The linker script's INCLUDEs are found through -L, as by the linker; without it, the message says so.
run 2 "$EXE" report "$ONE" --linker-script one/src/fw/rt/link.x
has_text "$TMP/err" "cannot find INCLUDE file 'memory.x'"
has_text "$TMP/err" "give the linker's search folders with -L DIR"

# --- A link that overflows FLASH, run through `sizebudget link` as cargo's linker: the breakdown
# of lld's map follows lld's error, regions from the link's own -T script and -L folders. ---------
mkdir -p small/src
cp -R "$SRC/tests/rust/firmware" small/src/fw
sed -i 's/LENGTH = 64K/LENGTH = 2K/' small/src/fw/memory.x
printf '#!/bin/sh\nexec "%s" link --target app -- ld.lld "$@"\n' "$EXE" >small/linker
chmod +x small/linker
run 101 env LINKER="$TMP/small/linker" \
  "$SRC/tests/rust/build-firmware" "$SYSROOT" small/src/fw
cat "$TMP/err" >>"$TMP/out"
grep -E "error: section '[^']+' will not fit in region 'FLASH'" "$TMP/out" >/dev/null || fail "no lld overflow error"
has_text "$TMP/out" "sizebudget: app: region FLASH overflowed; what the linker placed (app.map):"
grep -E "^ +FLASH: +[0-9]+ B +2 KB +[0-9.]+%$" "$TMP/out" >/dev/null || fail "no FLASH row of 2 KB"
grep -E "^ *libcore.rlib\(core\.[^)]*\.rcgu\.o\) +[0-9.]+ (B|KiB)" "$TMP/out" >/dev/null || fail "no object rows"
has_text "$TMP/out" "sizebudget: app: the link failed: region FLASH overflowed"

# --- Crates as a level, and budgets on crates and on core::fmt, on the committed fixtures. -------
FMT=$SRC/tests/fixtures/rust-panic-fmt/rust-panic-fmt.map
LTO=$SRC/tests/fixtures/rust-lto/rust-lto.map
MEM=(--linker-script "$SRC/tests/rust/firmware/memory.x")
run 0 "$EXE" report "$LTO" "${MEM[@]}" --by crate
grep -E "^core +[0-9.]+ KiB +[0-9.]+ KiB +-$" "$TMP/out" >/dev/null || fail "no core row under LTO: $(cat "$TMP/out")"
has_text "$TMP/out" "minilog"
lacks_text "$TMP/out" "(no crate)"
run 0 "$EXE" report "$FMT" "${MEM[@]}" --format json
python3 - "$TMP/out" "$SRC/budgets/report.schema.json" <<'PY' || fail "JSON crates"
import json, sys
report = json.load(open(sys.argv[1]))
try:
    import jsonschema
    jsonschema.validate(report, json.load(open(sys.argv[2])))
except ImportError:
    pass
crates = {c["name"]: c["size"] for c in report["crates"]}
assert crates["core"] > 1000 and crates["app"] > 0, crates
assert sum(crates.values()) == report["allocated"], (sum(crates.values()), report["allocated"])
assert all("$" not in s["demangled"] and "::h" not in s["demangled"] for s in report["symbols"])
PY
cat >fmt-budget.yaml <<'YAML'
version: 1
crates:
  core: { max: 16K }
  "mini*": { max: 1K }
components:
  core-fmt:
    symbols: ["core::fmt::*", "<* as core::fmt::*>::*"]
    max: 1K
  logging:
    crates: [minilog]
YAML
run 1 "$EXE" check "$FMT" "${MEM[@]}" --budget fmt-budget.yaml
grep -E "^fmt-budget.yaml:6:3: error: component 'core-fmt' exceeds its budget by [0-9.]+ (B|KiB)" "$TMP/out" >/dev/null ||
  fail "core::fmt component not over budget: $(head -3 "$TMP/out")"
has_text "$TMP/out" "core::fmt::Formatter::pad_integral"
lacks_text "$TMP/out" "crate 'core' exceeds"
sed -i 's/core: { max: 16K }/core: { max: 1K }/' fmt-budget.yaml
run 1 "$EXE" check "$FMT" "${MEM[@]}" --budget fmt-budget.yaml
has_text "$TMP/out" "fmt-budget.yaml:3:3: error: crate 'core' exceeds its budget by"
# A symbol budget on the readable name matches, and the verdict names it without its hash.
printf 'version: 1\nsymbols:\n  "core::fmt::Formatter::pad_integral": 0\n' >symbol-budget.yaml
run 1 "$EXE" check "$FMT" "${MEM[@]}" --budget symbol-budget.yaml
grep -E "^symbol-budget.yaml:3:3: error: symbol 'core::fmt::Formatter::pad_integral' must not be linked \(max 0\), but is: [0-9]+ B" \
  "$TMP/out" >/dev/null || fail "readable symbol budget: $(head -3 "$TMP/out")"
run 0 "$EXE" snapshot "$FMT" "${MEM[@]}" -o fmt.json
grep -q '"name":"core::fmt::Formatter::pad_integral"' fmt.json || fail "snapshot names are not readable"
if grep -qE '\$LT\$|::h[0-9a-f]{16}|\.llvm\.' fmt.json; then fail "snapshot keeps mangling: $(grep -m1 -E '\$LT\$|::h[0-9a-f]{16}' fmt.json)"; fi
# diff between two profiles, by crate: the same crates, core smaller with opt-level z than 3.
run 0 "$EXE" diff "$SRC/tests/fixtures/rust-opt3/rust-opt3.map" "$FMT" --by crate --format json
python3 - "$TMP/out" <<'PY' || fail "diff by crate"
import json, sys
d = json.load(open(sys.argv[1]))
changes = {i["name"]: i["change"] for i in d["items"]}
assert "added" not in changes.values() and "removed" not in changes.values(), changes
PY

# --- The recipe for a link that overflowed: link against a relaxed memory.x, then check the map
# against the real one: ld's wording, exit 1. -------------------------------------------------
printf 'MEMORY\n{\n  FLASH : ORIGIN = 0x08000000, LENGTH = 2K\n  RAM : ORIGIN = 0x20000000, LENGTH = 20K\n}\n' >real-memory.x
printf 'version: 1\n' >none.yaml
run 1 "$EXE" check "$ONE" --linker-script real-memory.x --budget none.yaml
grep -E "^one/src/fw/app.map: error: region 'FLASH' overflowed by [0-9]+ bytes \([0-9]+ B used, region 2048 B\)$" \
  "$TMP/out" >/dev/null || fail "no overflow in ld's words: $(head -3 "$TMP/out")"

# --- why the panic handler's formatting is linked (a Rust panic handler that formats) ----------
EV=evidence/src/fw
run 0 "$EXE" why "$EV/app.map" '*PanicInfo as core::fmt::Display>::fmt' --why-extract "$EV/why.txt"
has_text "$TMP/out" "symbol <core::panic::panic_info::PanicInfo as core::fmt::Display>::fmt (libcore.rlib(core.rcgu.o))"
# The app's codegen unit holding the panic handler references the formatting directly.
grep -qE "^   references <core::panic::panic_info::PanicInfo as core::fmt::Display>::fmt in libcore.rlib\(core.rcgu.o\)  \[cross reference table\]$" "$TMP/out" ||
  fail "no chain from the panic handler to PanicInfo's Display"
grep -qE "^[0-9]\. .*/deps/app-[0-9a-f]+\.app\.[0-9a-f]+-cgu\.[0-9]+\.rcgu\.o \(linked directly\)$" "$TMP/out" ||
  fail "the chains do not start at the app's codegen units"
run 0 "$EXE" report "$EV/app.map" --why-extract "$EV/why.txt" "${SCRIPT[@]}"
has_line "$TMP/out" "  rust-panic-fmt: the Rust panic handler formats its message (core::fmt for PanicInfo)"
has_text "$TMP/out" "    linked because: "
finish
