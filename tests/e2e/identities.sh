#!/usr/bin/env bash
# Baselines and diffs that survive another machine, toolchain install or crate hash: the same
# map under a rewritten toolchain prefix, a Rust map whose crate hashes changed, and a snapshot
# of the older schema all diff and growth-check as unchanged.
#   identities.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

NANO=$SRC/tests/fixtures/cm4-nano/cm4-nano.map
skip_unless "$NANO"
cd "$TMP" || exit 1

cat >zero-growth.yaml <<'YAML'
version: 1
growth:
  regions: { FLASH: 0, RAM: 0 }
  archives: { "*": 0 }
  total: 0
YAML

# unchanged OLD NEW [options]: no item of any level added, removed, grown or shrunk.
unchanged() {
  local old=$1 new=$2
  shift 2
  for by in archive object symbol; do
    run 0 "$EXE" diff "$old" "$new" --by $by --format json "$@"
    has_text "$TMP/out" '"items": []'
    run 0 "$EXE" diff "$old" "$new" --by $by "$@"
    lacks_text "$TMP/out" "added"
    lacks_text "$TMP/out" "removed"
  done
}

# --- The toolchain installed elsewhere: every libc, libgcc and crt path differs. ------------------
sed -e 's|/usr/lib/gcc/arm-none-eabi/12.2.1/|/opt/arm-gnu-toolchain-12.2.rel1/lib/gcc/arm-none-eabi/12.2.1/|g' \
    -e 's|lib/libdrivers.a|/home/ci/work/build/lib/libdrivers.a|g' "$NANO" >moved.map
grep -q "/opt/arm-gnu-toolchain-12.2.rel1/.*libgcc.a(" moved.map || fail "the prefix was not rewritten"
run 0 "$EXE" snapshot "$NANO" -o base.json
unchanged base.json moved.map
unchanged "$NANO" moved.map
run 0 "$EXE" check moved.map --budget zero-growth.yaml --baseline base.json
has_text "$TMP/out" "PASSED"
# The snapshot stores identities free of the prefix; paths only for information.
has_text base.json '{"id":"libgcc.a","name":"libgcc.a","path":"/usr/lib/gcc/'
has_text base.json '"id":"libc_nano.a(lib_a-memcpy.o)"'

# A real change still shows: the overflowing build grew.
OVER=$SRC/tests/fixtures/overflow/overflow.map
if [[ -f $OVER ]]; then
  run 1 "$EXE" check "$OVER" --budget zero-growth.yaml --baseline base.json
  has_text "$TMP/out" "grew by"
fi

# --- Reports meant to be shared name no machine folder: contributors and diff rows. --------------
sed -e 's| obj/cm4/main.o| /home/ci/work/build/obj/cm4/main.o|g' moved.map >moved-home.map
grep -q "/home/ci/work/build/obj/cm4/main.o" moved-home.map || fail "main.o was not moved"
cat >tight.yaml <<'YAML'
version: 1
sections:
  .text: { max: 1K }
symbols:
  main: { max: 1 }
YAML
for format in text markdown junit github; do
  run 1 "$EXE" check moved-home.map --budget tight.yaml --format $format
  has_text "$TMP/out" "libgcc.a(_udivmoddi4.o)"
  has_text "$TMP/out" "main.o"
  lacks_text "$TMP/out" "/home/"
  lacks_text "$TMP/out" "/opt/"
done
OVER_MOVED=$TMP/over-moved.map
if [[ -f $OVER ]]; then
  sed -e 's|/usr/lib/gcc/arm-none-eabi/12.2.1/|/opt/arm-gnu-toolchain-12.2.rel1/lib/gcc/arm-none-eabi/12.2.1/|g' \
      -e 's| obj/\([a-z0-9]*\)/main.o| /home/ci/work/build/obj/\1/main.o|g' "$OVER" >"$OVER_MOVED"
  for format in text markdown; do
    run 0 "$EXE" diff moved-home.map "$OVER_MOVED" --by symbol --format $format
    has_text "$TMP/out" "main.o"
    lacks_text "$TMP/out" "/home/"
    lacks_text "$TMP/out" "/opt/"
  done
  # Region length changes are shown.
  run 0 "$EXE" diff "$OVER" "$NANO" --by region
  has_text "$TMP/out" "(length was 8192)"
fi

# --- Schema 1 snapshots (no ids) still load, with identities computed as for a map. -------------
sed -e 's|"schema": "sizebudget-snapshot/2"|"schema": "sizebudget-snapshot/1"|' -e 's|{"id":"[^"]*",|{|' \
  base.json >v1.json
grep -q '"id"' v1.json && fail "v1.json still has ids"
unchanged v1.json moved.map
unchanged v1.json base.json
# A schema this version does not know is refused, naming it.
sed 's|"schema": "sizebudget-snapshot/2"|"schema": "sizebudget-snapshot/9"|' base.json >v9.json
run 2 "$EXE" diff v9.json base.json
has_text "$TMP/err" 'unsupported snapshot schema "sizebudget-snapshot/9"'

# --- Rust: new crate hashes (a feature enabled in a dependency) and another checkout. -----------
RUST=$SRC/../shared/corpus/maps/lld/bern-rtos-stm32f4-rust.map
if [[ -f $RUST ]]; then
  printf 'MEMORY {\n  FLASH : ORIGIN = 0x08000000, LENGTH = 512K\n  RAM : ORIGIN = 0x20000000, LENGTH = 128K\n}\n' >memory.x
  # A path dependency's symbol hashes change with its checkout's path: rewrite those too.
  sed -e 's|rtt_target-06a565574f7cf3fb|rtt_target-0123456789abcdef|g' \
      -e 's|/home/[^ ]*/target/|/builds/other-checkout/target/|g' \
      -e 's|\(rtt_target::[A-Za-z_:]*\)::h[0-9a-f]\{16\}|\1::hfedcba9876543210|g' "$RUST" >rehashed.map
  grep -q "::hfedcba9876543210" rehashed.map || fail "no symbol hash was rewritten"
  grep -q "librtt_target-0123456789abcdef.rlib" rehashed.map || fail "the crate hash was not rewritten"
  unchanged "$RUST" rehashed.map --linker-script memory.x
  run 0 "$EXE" diff "$RUST" rehashed.map --by archive --format json --threshold 0 --linker-script memory.x
  has_text "$TMP/out" '"items": []'
fi

finish
