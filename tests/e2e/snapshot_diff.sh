#!/usr/bin/env bash
# End-to-end: `sizebudget snapshot` and `sizebudget diff` on the fixture maps.
# usage: snapshot_diff.sh SIZEBUDGET SOURCE_DIR
set -u
sb=$1
fx=$2/tests/fixtures
lld_script=$fx/src/cm4/cm4-nano-lld.ld
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

map() { echo "$fx/$1/$1.map"; }

# --- snapshot is deterministic: twice, and from a copy of the map elsewhere -------------------
"$sb" snapshot "$(map cm4-nano)" -o "$tmp/a.json" || fail "snapshot exit $?"
"$sb" snapshot "$(map cm4-nano)" -o "$tmp/b.json" || fail "snapshot exit $?"
mkdir -p "$tmp/elsewhere"
cp "$(map cm4-nano)" "$tmp/elsewhere/"
"$sb" snapshot "$tmp/elsewhere/cm4-nano.map" -o "$tmp/c.json" || fail "snapshot exit $?"
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "snapshot not byte-identical across runs"
cmp -s "$tmp/a.json" "$tmp/c.json" || fail "snapshot depends on the map's directory"
grep -q "$tmp" "$tmp/c.json" && fail "snapshot contains the temporary path"
head -3 "$tmp/a.json" | grep -q '"schema": "sizebudget-snapshot/2"' || fail "snapshot lacks its schema"
ls -A "$tmp" | grep -vqxE 'a.json|b.json|c.json|elsewhere' && fail "snapshot left temporary files: $(ls -A "$tmp")"
"$sb" snapshot "$(map cm4-nano-lld)" --linker-script "$lld_script" -o "$tmp/lld.json" || fail "lld snapshot"
"$sb" snapshot "$(map cm4-nano)" 2>/dev/null && fail "snapshot without -o must fail"

# --- diff: map vs map and snapshot vs map give the same deltas --------------------------------
strip_labels() { grep -vE '^  "(old|new)": "'; }
for other in overflow cxx-exceptions; do
    "$sb" diff "$(map cm4-nano)" "$(map $other)" --by symbol --format json | strip_labels >"$tmp/mm.json" ||
        fail "diff map map ($other)"
    "$sb" diff "$tmp/a.json" "$(map $other)" --by symbol --format json | strip_labels >"$tmp/sm.json" ||
        fail "diff snapshot map ($other)"
    cmp -s "$tmp/mm.json" "$tmp/sm.json" || fail "map vs map and snapshot vs map differ ($other)"
    for by in region section archive object; do
        a=$("$sb" diff "$(map cm4-nano)" "$(map $other)" --by $by | tail -n +2)
        b=$("$sb" diff "$tmp/a.json" "$(map $other)" --by $by | tail -n +2)
        [ "$a" = "$b" ] || fail "text diff --by $by differs between map and snapshot ($other)"
    done
done
"$sb" diff "$tmp/a.json" "$tmp/lld.json" --format json | strip_labels >"$tmp/ss.json" || fail "diff snapshots"
"$sb" diff "$(map cm4-nano)" "$(map cm4-nano-lld)" --linker-script "$lld_script" --format json |
    strip_labels >"$tmp/mm2.json" || fail "diff gnu vs lld"
cmp -s "$tmp/ss.json" "$tmp/mm2.json" || fail "snapshot vs snapshot differs from map vs map (lld)"

# --- region deltas equal the differences of the linker's own figures (expected.txt) -----------
region_used() { awk '$1 == "region" { print $2, $5 }' "$fx/$1/expected.txt"; }
check_regions() {  # OLD NEW [extra args]
    local old=$1 new=$2
    shift 2
    local got want
    got=$("$sb" diff "$(map $old)" "$(map $new)" --by region "$@" |
        awk '/^Region /{on=1; next} /^\(allocated\)/{on=0} on { print $1, $4 }')
    want=$(awk 'NR == FNR { old[$1] = $2; next } { d = $2 - old[$1]; printf "%s %s\n", $1, (d > 0 ? "+" d : d) }' \
        <(region_used $old) <(region_used $new))
    [ "$got" = "$want" ] || fail "region deltas $old -> $new: got [$got] want [$want]"
}
check_regions cm4-nano overflow
check_regions overflow cm4-nano
check_regions cm4-nano cxx-exceptions
check_regions cm4-nano lto
check_regions cm4-nano at-expr
check_regions cm4-nano cm4-nano-lld --linker-script "$lld_script"
"$sb" diff "$(map cm4-nano)" "$(map overflow)" | grep -qE '^FLASH +5860 +9508 +\+3648 +\+62\.25%' ||
    fail "signed delta with percent missing"

# --- threshold and ordering --------------------------------------------------------------------
out=$("$sb" diff "$(map cm4-nano)" "$(map overflow)" --by symbol --threshold 100)
echo "$out" | grep -q 'below the 100-byte threshold hidden' || fail "--threshold hides nothing"
echo "$out" | awk '/^ +[-+][0-9]+ /{ v = $1; sub(/^[-+]/, "", v); if (v + 0 < 100) bad = 1 } END { exit bad }' ||
    fail "--threshold shows rows under the threshold"
echo "$out" | awk '/^Symbols /{ prev = -1; next } /^ +[-+][0-9]+ /{ v = $1; sub(/^[-+]/, "", v); v += 0;
    if (prev >= 0 && v > prev) bad = 1; prev = v } END { exit bad }' || fail "rows not sorted by absolute change"

# --- markdown: marker, matching columns, size limit ---------------------------------------------
for by in region section archive object symbol; do
    "$sb" diff "$(map cm4-nano)" "$(map cxx-exceptions)" --by $by --format markdown >"$tmp/d.md" ||
        fail "markdown --by $by"
    [ "$(head -1 "$tmp/d.md")" = "<!-- sizebudget-diff -->" ] || fail "markdown first line (--by $by)"
    awk '
        function cells(s,   n, i) { n = 0; for (i = 1; i <= length(s); i++)
            if (substr(s, i, 1) == "|" && (i == 1 || substr(s, i - 1, 1) != "\\")) n++; return n - 1 }
        /^\|/ { c = cells($0); if (!in_table) { want = c; in_table = 1; tables++ } else if (c != want) { print "bad row: " $0; bad = 1 } next }
        { in_table = 0 }
        END { exit bad || tables == 0 }' "$tmp/d.md" || fail "markdown table columns (--by $by)"
    [ "$(wc -c <"$tmp/d.md")" -lt 65536 ] || fail "markdown over 65536 characters"
done
grep -q '<details>' "$tmp/d.md" || fail "markdown lists not folded"

# --- bad snapshots: exit 2 with a clear message ------------------------------------------------
printf '{\n  "schema": "sizebudget-snapshot/1",\n  "regions": [\n' >"$tmp/bad.json"
"$sb" diff "$tmp/bad.json" "$(map cm4-nano)" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "bad JSON: exit $rc, want 2"
grep -q "^sizebudget: error: $tmp/bad.json:4:1: not valid JSON" "$tmp/err" || fail "bad JSON message: $(cat "$tmp/err")"
echo '{"schema": "sizebudget-snapshot/9"}' >"$tmp/v9.json"
"$sb" diff "$(map cm4-nano)" "$tmp/v9.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "unknown schema: exit $rc, want 2"
grep -q 'unsupported snapshot schema "sizebudget-snapshot/9"' "$tmp/err" || fail "schema message: $(cat "$tmp/err")"
sed 's/"used":5860/"used":"5860"/' "$tmp/a.json" >"$tmp/typed.json"
"$sb" diff "$tmp/typed.json" "$(map cm4-nano)" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "mistyped field: exit $rc, want 2"
grep -q 'invalid snapshot: regions\[0\].used: expected a non-negative integer' "$tmp/err" ||
    fail "mistyped field message: $(cat "$tmp/err")"
"$sb" diff "$(map cm4-nano)" "$(map overflow)" --format yaml >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad --format must exit 2"

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "snapshot_diff: all passed"
