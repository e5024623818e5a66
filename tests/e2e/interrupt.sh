#!/usr/bin/env bash
# Ctrl-C never leaves a partial file: `report -o`, `snapshot -o` and `check --update-baseline`
# on a map large enough (40 MB, 4 under ASan; from bench/generate_map) to be still running when SIGINT
# arrives. Each command is interrupted at several delays (while it reads the map) and, by
# watching the directory, while its temporary file is being written. Every run must end either
# killed by SIGINT (exit status 130) with no output file (for --update-baseline: the baseline
# byte-identical to before; or, when the signal came after the rename, the complete output), or
# completed (exit 0) with the complete output; never with a
# partial output or a stray temporary (`.NAME.sizebudget-PID.XXXXXX`, src/report/output_file.cpp).
#   interrupt.sh SIZEBUDGET SOURCE_DIR GENERATE_MAP      (exit 77: no GENERATE_MAP)
set -uo pipefail
EXE=$1
SRC=$2
GEN=${3:-}
source "$SRC/tests/e2e/check_lib.sh"
if [[ -z $GEN || ! -x $GEN ]]; then
  echo "SKIP: no map generator (bench/generate_map; SIZEBUDGET_BUILD_BENCH=OFF?)" >&2
  exit 77
fi
# Job control: without it bash starts background jobs with SIGINT ignored.
set -m

# Under AddressSanitizer every run is about ten times slower: a tenth of the map keeps the runs
# as long as in a release build, and the test well inside its timeout.
big_mb=40 small_mb=30
if grep -qa __asan_init "$EXE"; then big_mb=4 small_mb=3; fi
big=$TMP/big.map
"$GEN" distinct $big_mb "$big" >/dev/null || { echo "FAIL: generate_map failed" >&2; exit 1; }
printf 'version: 1\ngrowth:\n  total: 100%%\n' >"$TMP/growth.yaml"
"$GEN" distinct $small_mb "$TMP/small.map" >/dev/null || fail "generate_map failed"
"$EXE" snapshot "$TMP/small.map" -o "$TMP/base.orig" || fail "snapshot of the baseline map"
rm -f "$TMP/small.map"

work=$TMP/w
# The command of each kind, run in $work; `out` is the file it writes.
cmd_for() {
  case $1 in
    report) echo "$EXE report $big --format json -o out.json" ;;
    snapshot) echo "$EXE snapshot $big -o out.json" ;;
    check) echo "$EXE check $big --budget $TMP/growth.yaml --baseline base.json --update-baseline" ;;
  esac
}
out_for() { if [[ $1 == check ]]; then echo base.json; else echo out.json; fi; }
prepare() {
  rm -rf "$work"; mkdir -p "$work"
  [[ $1 == check ]] && cp "$TMP/base.orig" "$work/base.json"
}

# The complete outputs, and how long each command takes.
declare -A expected duration
for kind in report snapshot check; do
  prepare $kind
  start=$(date +%s%N)
  (cd "$work" && $(cmd_for $kind) >/dev/null 2>&1) || fail "$kind did not run to completion"
  duration[$kind]=$(( ($(date +%s%N) - start) / 1000000 ))
  mv "$work/$(out_for $kind)" "$TMP/expected.$kind"
  echo "$kind: $(stat -c %s "$TMP/expected.$kind") bytes in ${duration[$kind]} ms"
done
cmp -s "$TMP/expected.check" "$TMP/base.orig" && fail "the baseline update would not change the baseline"

# interrupt KIND WHEN: WHEN is a delay in seconds, or `temp` (as soon as the temporary exists).
# Sets result to interrupted (before the output was in place), interrupted-in-temp (the same,
# while the temporary existed), interrupted-after-rename (the complete output was in place when
# the signal came) or completed.
interrupt() {
  local kind=$1 when=$2 sig=${3:-INT} out pid rc saw_temp=no
  out=$(out_for $kind)
  prepare $kind
  (cd "$work" && exec $(cmd_for $kind) >/dev/null 2>"$TMP/stderr") &
  pid=$!
  if grep -q '^SigIgn:' "/proc/$pid/status" 2>/dev/null; then
    local ign
    ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$pid/status")
    (( 0x$ign & 2 )) && fail "the command runs with SIGINT ignored: the test cannot interrupt it"
  fi
  if [[ $when == temp ]]; then
    while kill -0 $pid 2>/dev/null; do
      if compgen -G "$work/.$out.sizebudget-*" >/dev/null; then saw_temp=yes; break; fi
      sleep 0.002
    done
  else
    sleep "$when"
  fi
  kill -$sig $pid 2>/dev/null
  { wait $pid; } 2>/dev/null
  rc=$?
  # Whatever happened, no temporary may be left.
  local stray
  stray=$(cd "$work" && compgen -G ".$out.*")
  [[ -z $stray ]] && stray=$(cd "$work" && ls -A | grep -vxF "$out" || true)
  [[ -z $stray ]] || fail "$kind interrupted at $when left: $stray"
  case $rc in
    $((128 + $(kill -l $sig))))
      result=interrupted
      [[ $saw_temp == yes ]] && result=interrupted-in-temp
      # The rename is the commit point: a signal after it finds the complete file in place.
      if [[ $kind == check ]]; then
        if cmp -s "$work/base.json" "$TMP/expected.$kind"; then
          result=interrupted-after-rename
        else
          cmp -s "$work/base.json" "$TMP/base.orig" || fail "$kind interrupted at $when changed the baseline"
        fi
      elif [[ -e $work/$out ]]; then
        result=interrupted-after-rename
        cmp -s "$work/$out" "$TMP/expected.$kind" \
          || fail "$kind interrupted at $when left a partial $out ($(stat -c %s "$work/$out") bytes)"
      fi
      ;;
    0)
      result=completed
      cmp -s "$work/$out" "$TMP/expected.$kind" || fail "$kind completed at $when with a wrong $out"
      ;;
    *)
      result="exit $rc"
      fail "$kind signalled at $when: exit status $rc: $(head -3 "$TMP/stderr")"
      ;;
  esac
  echo "  $kind at $when ($sig): $result"
}

for kind in report snapshot check; do
  n_int=0 n_temp=0
  ms=${duration[$kind]}
  # While reading the map, then ever closer to the end (the write phase), as fractions of the
  # uninterrupted run, then while the temporary exists.
  delays=(0.05 0.1 0.2 0.3 0.5)
  for pct in 50 70 80 85 90 95 100; do
    delays+=("$(printf '%d.%03d' $((ms * pct / 100 / 1000)) $((ms * pct / 100 % 1000)))")
  done
  for when in "${delays[@]}" temp temp temp temp temp; do
    interrupt $kind "$when"
    [[ $result == interrupted || $result == interrupted-in-temp ]] && n_int=$((n_int + 1))
    [[ $result == interrupted-in-temp ]] && n_temp=$((n_temp + 1))
  done
  # At least one run must really have been interrupted mid-run; retry short delays if the
  # machine was so fast that none was.
  tries=0
  while (( n_int == 0 && tries < 10 )); do
    interrupt $kind 0.01
    [[ $result == interrupted ]] && n_int=$((n_int + 1))
    tries=$((tries + 1))
  done
  (( n_int > 0 )) || fail "$kind: no run was interrupted before it completed"
  echo "$kind: $n_int runs interrupted, $n_temp of them while the temporary existed"
  (( n_temp > 0 )) || echo "$kind: note: no signal landed while the temporary existed"
done

# Every catchable signal that ends the process removes the temporary (no core files here).
ulimit -c 0
for sig in QUIT TERM HUP USR1 USR2 PIPE ALRM XCPU XFSZ VTALRM PROF; do
  interrupt snapshot temp $sig
done

# A temporary left by a killed run (SIGKILL cannot be caught) is removed by the next write.
prepare snapshot
dead=99999
while kill -0 $dead 2>/dev/null; do dead=$((dead - 1)); done
touch "$work/.out.json.sizebudget-$dead.AbCdEf" "$work/.out.json.sizebudget-$$.AbCdEf"
(cd "$work" && $(cmd_for snapshot) >/dev/null 2>&1) || fail "snapshot failed"
[[ -e $work/.out.json.sizebudget-$dead.AbCdEf ]] && fail "a dead run's temporary was left"
[[ -e $work/.out.json.sizebudget-$$.AbCdEf ]] || fail "a live process's temporary was removed"
finish
