#!/usr/bin/env bash
# The budgets shipped in budgets/ (and the e2e budgets) are valid for the JSON Schema and for the
# real loader alike, and a set of invalid budgets is rejected by both, so the schema that editors
# use and the tool cannot drift apart.
#   budget_examples.sh SIZEBUDGET SOURCE_DIR
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

FIX=$SRC/tests/fixtures
skip_unless "$FIX/cm4-nano/cm4-nano.map" "$FIX/cm4-nano-lld/cm4-nano-lld.map"
# Debian's python with python3-jsonschema and python3-yaml (a pyenv python3 on PATH may lack them).
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "SKIP: $PY lacks jsonschema or yaml (apt-get install python3-jsonschema python3-yaml)" >&2
  exit 77
fi

# Budgets that must be rejected: by the schema and by the loader (exit 2).
mkdir -p "$TMP/invalid"
i=0
while IFS= read -r budget; do
  i=$((i + 1))
  printf '%b' "$budget" >"$TMP/invalid/$i.yaml"
done <<'EOF'
version: 2\nregions:\n  FLASH: 96K\n
version: 1\nregoins:\n  FLASH: 96K\n
version: 1\narchives:\n  libc.a: { maxx: 12K }\n
version: 1\narchives:\n  libc.a: { max: 10% }\n
version: 1\narchives:\n  libc.a: { warn: 10K }\n
version: 1\narchives:\n  libc.a: { max: 12Q }\n
version: 1\narchives:\n  libc.a: { max: -1K }\n
version: 1\narchives:\n  libc.a: { max: 1.5 }\n
version: 1\nregions:\n  FLASH: { max: 110% }\n
version: 1\nregions:\n  FLASH: { max: 10K, warn: 120% }\n
version: 1\nregions:\n  CCM: { origin: 0x10000000 }\n
version: 1\ncomponents:\n  c: { max: 1K }\n
version: 1\ncomponents:\n  c: { objects: [a], warn: 90% }\n
version: 1\ncomponents:\n  c: { objects: [a], max: { FLASH: 10% } }\n
regions:\n  FLASH: 96K\n
version: 1\ngrowth:\n  region: { FLASH: 512 }\n
version: 1\ngrowth:\n  regions: { FLASH: { max: 512 } }\n
version: 1\ngrowth:\n  total: lots\n
EOF

$PY - "$SRC/budgets/budget.schema.json" "$SRC"/budgets/*.yaml "$SRC"/tests/e2e/budgets/*.yaml -- "$TMP"/invalid/*.yaml <<'PY' || fail "schema check"
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
args = sys.argv[2:]
split = args.index("--")
bad = 0
for path in args[:split]:
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(open(path)))]
    if errors:
        print(f"{path}: rejected by the schema: {errors[:3]}", file=sys.stderr)
        bad += 1
for path in args[split + 1:]:
    if validator.is_valid(yaml.safe_load(open(path))):
        print(f"{path}: accepted by the schema but invalid:\n{open(path).read()}", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY

for f in "$TMP"/invalid/*.yaml; do
  run 2 "$EXE" check "$FIX/cm4-nano/cm4-nano.map" --budget "$f"
  grep -q "^sizebudget: error: $f:[0-9]*:[0-9]*: " "$TMP/err" || fail "loader message for $(cat "$f")"
done

# Every shipped example carries the modeline and works with the real loader and checker.
for f in "$SRC"/budgets/*.yaml; do
  head -1 "$f" | grep -q '^# yaml-language-server: \$schema=\./budget\.schema\.json$' || fail "$f: no schema modeline"
done
# The issue's example, as written: loads, checks, only warnings for what this firmware lacks.
run 0 "$EXE" check "$FIX/cm4-nano/cm4-nano.map" --budget "$SRC/budgets/example.yaml"
has_line "$TMP/out" "$SRC/budgets/example.yaml:12:3: warning: archives entry 'libmbedtls*.a' matches no archive in the map"
has_line "$TMP/out" "          CCMRAM:          0 GB        64 KB      0.00%      32 KiB      32 KiB  ok"
lacks_text "$TMP/out" "error:"
run 0 "$EXE" check "$FIX/cm4-nano/cm4-nano.map" --budget "$SRC/budgets/cm4-nano.yaml"
has_line "$TMP/out" "PASSED: all 19 budget checks within budget"
run 0 "$EXE" check "$FIX/cm4-nano-lld/cm4-nano-lld.map" --budget "$SRC/budgets/lld-declared-regions.yaml"
has_line "$TMP/out" "PASSED: all 12 budget checks within budget"
finish
