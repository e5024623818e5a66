#!/usr/bin/env bash
# Assembles the seed corpora of the fuzz targets from the repository's fixtures:
#   fuzz/seed.sh OUTDIR   -> OUTDIR/<target>/ for each target
# GNU ld maps seed gnu_ld_map_fuzz, lld maps seed lld_map_fuzz (both get every map: the format
# detection of the other parser is worth exercising), linker scripts seed linker_script_fuzz,
# budgets/*.yaml (and examples' budgets) seed budget_fuzz. Regression inputs are seeds too (the
# snapshots of cm4-nano and rust-panic-fmt in fuzz/regressions/snapshot_fuzz seed snapshot_fuzz).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: fuzz/seed.sh OUTDIR}"
targets=(gnu_ld_map_fuzz lld_map_fuzz linker_script_fuzz budget_fuzz demangle_fuzz snapshot_fuzz)
for t in "${targets[@]}"; do mkdir -p "$out/$t"; done

copy() {  # copy TARGET FILE: under a name unique per source path
  local name
  name="$(echo "${2#"$src"/}" | tr '/' '_')"
  cp -f "$2" "$out/$1/$name"
}

shopt -s nullglob globstar
for f in "$src"/tests/fixtures/*/*.map; do
  copy gnu_ld_map_fuzz "$f"
  copy lld_map_fuzz "$f"
done
for f in "$src"/tests/fixtures/src/**/*.ld; do copy linker_script_fuzz "$f"; done
for f in "$src"/budgets/*.yaml "$src"/budgets/*.yml "$src"/examples/**/*.yaml "$src"/examples/**/*.yml; do
  copy budget_fuzz "$f"
done
# Mangled names: C++, legacy and v0 Rust, and one whose back-references double at each step.
printf '%s' '_ZN4core3fmt5write17h0123456789abcdefE' >"$out/demangle_fuzz/rust-legacy"
printf '%s' '_RNvCs1234_7mycrate3foo' >"$out/demangle_fuzz/rust-v0"
printf '%s' '_ZNSt6vectorIiSaIiEE9push_backERKi' >"$out/demangle_fuzz/cxx"
printf '%s' '_Z1fIJPFvvEEEvDpT_S1_S1_S1_S1_S1_S1_S1_S1_S1_S1_' >"$out/demangle_fuzz/backrefs"
for t in "${targets[@]}"; do
  for f in "$src"/fuzz/regressions/"$t"/*; do copy "$t" "$f"; done
  # libFuzzer needs at least one input; an empty one will do.
  if [ -z "$(ls -A "$out/$t")" ]; then : > "$out/$t/empty"; fi
  echo "seed: $out/$t: $(ls "$out/$t" | wc -l) input(s)"
done
