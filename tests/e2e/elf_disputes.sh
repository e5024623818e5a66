#!/usr/bin/env bash
# An --elf image that disagrees with the map (another link's, or one whose section flags were
# stripped) is named in every output format, and `check` refuses to judge (exit 2) unless told
# to trust the ELF: a budget judged on disputed figures passes or fails by accident.
#   elf_disputes.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

FIX=$SRC/tests/fixtures
NANO=$FIX/cm4-nano/cm4-nano.map
skip_unless "$NANO"
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 77; }
cd "$TMP" || exit 1
BUDGET=$SRC/budgets/cm4-nano.yaml

# The ELF of the same link agrees: nothing disputed, the check judges.
run 0 "$EXE" check "$NANO" --budget "$BUDGET" --elf "$FIX/cm4-nano/cm4-nano.elf"
lacks_text "$TMP/out" "same link"

# Another link's ELF: sections of other sizes. One error line, exit 2, unless --trust-elf.
run 2 "$EXE" check "$NANO" --budget "$BUDGET" --elf "$FIX/overflow/overflow.elf"
is_empty "$TMP/out"
has_line "$TMP/err" "sizebudget: error: $FIX/overflow/overflow.elf: disagrees with $NANO (section '.text' is 5324 bytes in the map, 4068 in the ELF, and 13 more): is it from the same link? --trust-elf judges by the ELF where the two differ"
run 0 "$EXE" check "$NANO" --budget "$BUDGET" --elf "$FIX/overflow/overflow.elf" --trust-elf
has_text "$TMP/out" "section '.text' is 5324 bytes in the map but 4068 bytes in the ELF"

# The same link's ELF with every section flag cleared: RAM would drop from ld's 3432 bytes to 200.
python3 - "$FIX/cm4-nano/cm4-nano.elf" noflags.elf <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
shoff, = struct.unpack_from("<I", b, 0x20)
shentsize, shnum = struct.unpack_from("<HH", b, 0x2e)
for i in range(shnum):
    struct.pack_into("<I", b, shoff + i * shentsize + 8, 0)
open(sys.argv[2], "wb").write(b)
PY
said="the ELF noflags.elf changes region 'RAM' from 3432 bytes (the map's figure) to 200"
run 2 "$EXE" check "$NANO" --budget "$BUDGET" --elf noflags.elf
has_text "$TMP/err" "region 'FLASH' holds 5860 bytes by the map, 5648 by the ELF, and 1 more"
for f in markdown junit json github; do
  # Trusted, the ELF decides: no section is allocated, every budget entry is unmatched (exit 1).
  run 1 "$EXE" check "$NANO" --budget "$BUDGET" --elf noflags.elf --trust-elf --format $f
  has_text "$TMP/out" "from 3432 bytes (the map"  # XML spells the quotes otherwise
done
run 0 "$EXE" report "$NANO" --elf noflags.elf
has_text "$TMP/out" "$said"
run 0 "$EXE" report "$NANO" --elf noflags.elf --format json
has_text "$TMP/out" "$said"
# A CSV table has no place for them: stderr.
run 0 "$EXE" report "$NANO" --elf noflags.elf --format csv
has_line "$TMP/err" "sizebudget: warning: $NANO: $said: are map and ELF from the same link? (check refuses to judge unless --trust-elf)"
# Snapshots keep them (a baseline stays marked); diffs of either say them on stderr.
run 0 "$EXE" snapshot "$NANO" --elf noflags.elf -o disputed.json
has_text "$TMP/err" "$said"
has_text disputed.json "\"warnings\": [\"the ELF noflags.elf changes region 'FLASH'"
run 0 "$EXE" diff disputed.json "$NANO"
has_text "$TMP/err" "sizebudget: warning: disputed.json: $said"

finish
