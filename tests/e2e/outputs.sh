#!/usr/bin/env bash
# Outputs never destroy what they point at: devices and FIFOs are written through or refused,
# never replaced; an input is never overwritten; a symlinked baseline's target is replaced, with
# its mode; a read-only file and a baseline that is no snapshot are refused; every failed write
# exits 2. Device files are stand-ins made here (mknod, as root), never the machine's /dev.
#   outputs.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

NANO=$SRC/tests/fixtures/cm4-nano/cm4-nano.map
BUDGET=$SRC/budgets/cm4-nano.yaml
skip_unless "$NANO" "$BUDGET"
cd "$TMP" || exit 1
cp "$NANO" m.map
"$EXE" report m.map >expected.txt || fail "report failed"

# Character devices: written through (a null device swallows it, a full one is an error).
if [[ $(id -u) -eq 0 ]] && mknod null c 1 3 2>/dev/null && mknod full c 1 7 2>/dev/null; then
  for cmd in "report m.map" "snapshot m.map" "check m.map --budget $BUDGET" "diff m.map m.map"; do
    run 0 $EXE $cmd -o null
    [[ -c null ]] || fail "$cmd -o null replaced the device"
    run 2 $EXE $cmd -o full
    [[ -c full ]] || fail "$cmd -o full replaced the device"
    has_line "$TMP/err" "sizebudget: error: full: cannot write: No space left on device"
  done
  # Standard output on a full device: exit 2, not 0.
  "$EXE" report m.map >full 2>err.txt; rc=$?
  [[ $rc -eq 2 ]] || fail "report >full: exit status $rc"
  grep -qxF "sizebudget: error: standard output: cannot write: No space left on device" err.txt \
    || fail "report >full: $(cat err.txt)"
  # Standard error on a full device: still exit 2, never an abort.
  "$EXE" report missing.map 2>full; rc=$?
  [[ $rc -eq 2 ]] || fail "an error with stderr on a full device: exit status $rc"
else
  echo "note: not root or no mknod: the device stand-in cases are skipped"
fi

# Standard output named as a file is standard output.
"$EXE" report m.map -o /proc/self/fd/1 >via-fd.txt || fail "-o /proc/self/fd/1 failed"
cmp -s via-fd.txt expected.txt || fail "-o /proc/self/fd/1 did not print the report"
# A closed standard output is an error.
"$EXE" report m.map >&- 2>err.txt; rc=$?
[[ $rc -eq 2 ]] || fail "report with stdout closed: exit status $rc"

# A FIFO nobody reads is refused at once; one that is read gets the report.
mkfifo fifo
timeout 10 "$EXE" report m.map -o fifo 2>err.txt; rc=$?
[[ $rc -eq 2 ]] || fail "-o FIFO without a reader: exit status $rc"
grep -qF "fifo: is a FIFO nobody reads" err.txt || fail "-o FIFO: $(cat err.txt)"
cat fifo >from-fifo.txt &
reader=$!
sleep 0.2
timeout 10 "$EXE" report m.map -o fifo || fail "-o FIFO with a reader failed"
wait $reader
cmp -s from-fifo.txt expected.txt || fail "the FIFO's reader did not get the report"
[[ -p fifo ]] || fail "the FIFO was replaced"

# A directory is refused.
mkdir dir
run 2 "$EXE" report m.map -o dir
has_text "$TMP/err" "dir: is a directory"

# An output that is one of the inputs is refused, the input unchanged.
cp m.map m.orig
run 2 "$EXE" report m.map -o m.map
has_text "$TMP/err" "m.map: is also an input of this command (m.map): refusing to overwrite it"
run 2 "$EXE" snapshot m.map -o m.map
cp "$BUDGET" b.yaml
run 2 "$EXE" check m.map --budget b.yaml -o b.yaml
cmp -s b.yaml "$BUDGET" || fail "check -o BUDGET changed the budget"
"$EXE" snapshot m.map -o base.json || fail "snapshot failed"
cp base.json base.orig
run 2 "$EXE" check m.map --budget b.yaml --baseline base.json -o base.json
cmp -s base.json base.orig || fail "check -o BASELINE changed the baseline"
ln -s m.map alias.map
run 2 "$EXE" report alias.map -o m.map
cmp -s m.map m.orig || fail "an input reached through a link was overwritten"

# --update-baseline: a map given as the baseline is kept; a symlinked baseline's target is
# replaced (the link stays), keeping its mode; a read-only baseline is refused.
run 2 "$EXE" check m.map --budget b.yaml --baseline m.map --update-baseline
has_text "$TMP/err" "m.map: is not a snapshot (a linker map?): --update-baseline rewrites only snapshots"
cmp -s m.map m.orig || fail "--update-baseline replaced a map"
printf '{"schema":"sizebudget-snapshot/1","allocated":0,"regions":[],"sections":[],"archives":[],"objects":[],"symbols":[]}\n' >target.json
chmod 640 target.json
ln -s target.json linked.json
run 0 "$EXE" check m.map --budget b.yaml --baseline linked.json --update-baseline
[[ -L linked.json ]] || fail "the baseline's symlink was replaced by a file"
cmp -s target.json base.orig || fail "the symlink's target was not updated"
[[ $(stat -c %a target.json) == 640 ]] || fail "the baseline lost its mode: $(stat -c %a target.json)"
cp base.orig ro.json
chmod 444 ro.json
run 2 "$EXE" check m.map --budget b.yaml --baseline ro.json --update-baseline
has_text "$TMP/err" "ro.json: is read-only: refusing to replace it"

# New files follow the umask.
(umask 027 && "$EXE" report m.map -o new.txt) || fail "report -o new.txt failed"
[[ $(stat -c %a new.txt) == 640 ]] || fail "a new output ignores the umask: $(stat -c %a new.txt)"

finish
