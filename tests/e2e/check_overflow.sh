#!/usr/bin/env bash
# A link that overflowed its region fails `check` even when the budget is larger than the region.
set -u
tool=$1 src=$2
budget=$(mktemp --suffix=.yaml)
trap 'rm -f "$budget"' EXIT
printf 'version: 1\nregions:\n  FLASH: { max: 16K }\n  RAM: { max: 4K }\n' > "$budget"
out=$("$tool" check "$src/tests/fixtures/overflow/overflow.map" --budget "$budget" 2>&1)
rc=$?
[[ $rc -eq 1 ]] || { echo "expected exit 1, got $rc"; echo "$out"; exit 1; }
grep -q "error: region 'FLASH' overflowed its budget by 1316 bytes (9508 B used, budget 8192 B)" <<<"$out" \
  || { echo "missing the overflow line:"; echo "$out"; exit 1; }
# Within the same generous budget the fitting firmware passes.
"$tool" check "$src/tests/fixtures/cm4-nano/cm4-nano.map" --budget "$budget" >/dev/null \
  || { echo "cm4-nano should pass a 16K/4K budget"; exit 1; }
echo "check_overflow: ok"
