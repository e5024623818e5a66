#!/usr/bin/env bash
# examples/ci/: the GitHub Actions workflow and the GitLab CI job are valid YAML with the steps
# that matter, and the size step they both run (examples/ci/size-report.sh, with the exact
# command line of each file) works on real maps: overflow as the base, cm4-nano as the PR.
#   ci_examples.sh SIZEBUDGET SOURCE_DIR      (exit 77: python3 with PyYAML is missing)
set -uo pipefail
EXE=$1
SRC=$2
source "$SRC/tests/e2e/check_lib.sh"

PY=/usr/bin/python3
if ! [[ -x $PY ]] || ! "$PY" -c 'import yaml' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 with PyYAML (python3-yaml) is missing" >&2
  exit 77
fi
GH=$SRC/examples/ci/github-actions.yml
GL=$SRC/examples/ci/gitlab-ci.yml
NANO=$SRC/tests/fixtures/cm4-nano/cm4-nano.map
OVER=$SRC/tests/fixtures/overflow/overflow.map
skip_unless "$GH" "$GL" "$NANO" "$OVER"

# Structure. Prints the size step's command of each file into $TMP/gh.sh and $TMP/gl.sh.
"$PY" - "$GH" "$GL" "$TMP" <<'PY' || fail "examples/ci YAML structure"
import sys, yaml
gh_path, gl_path, tmp = sys.argv[1:4]
errors = []
def need(cond, what):
    if not cond:
        errors.append(what)

gh = yaml.safe_load(open(gh_path))
need(isinstance(gh, dict), "github: not a mapping")
# PyYAML reads the key `on` as True.
need("pull_request" in (gh.get("on") or gh.get(True) or {}), "github: not run on pull_request")
need(gh.get("permissions", {}).get("pull-requests") == "write", "github: no pull-requests: write")
steps = gh["jobs"]["size"]["steps"]
runs = [s.get("run", "") for s in steps]
size = [s for s in steps if "size-report.sh" in s.get("run", "")]
need(len(size) == 1, "github: one step runs size-report.sh")
need(any("HEAD^1" in r and "git worktree add" in r for r in runs), "github: builds the base in a worktree")
need(any("GITHUB_STEP_SUMMARY" in r and "comment.md" in r for r in runs), "github: job summary step")
comment = [r for r in runs if "gh api" in r]
need(comment and "<!-- sizebudget-diff -->" in comment[0] and "PATCH" in comment[0] and "POST" in comment[0],
     "github: PR comment found by the marker and updated in place")
need(any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps), "github: uploads the report")
need(any("steps.size.outcome" in str(s.get("if", "")) and "exit 1" in s.get("run", "") for s in steps),
     "github: fails the job when over budget")
if size:
    open(tmp + "/gh.sh", "w").write(size[0]["run"])

gl = yaml.safe_load(open(gl_path))
job = gl["firmware-size"]
need("merge_request_event" in str(job.get("rules")), "gitlab: runs for merge requests")
script = job["script"]
need(any("CI_MERGE_REQUEST_DIFF_BASE_SHA" in l and "git worktree add" in l for l in script),
     "gitlab: builds the merge base in a worktree")
glsize = [l for l in script if "size-report.sh" in l]
need(len(glsize) == 1, "gitlab: one line runs size-report.sh")
note = [l for l in script if "merge_requests/$CI_MERGE_REQUEST_IID/notes" in l]
need(note and "SIZEBUDGET_GITLAB_TOKEN" in note[0] and "<!-- sizebudget-diff -->" in note[0]
     and "PUT" in note[0] and "CI_JOB_TOKEN" not in note[0], "gitlab: MR note with the project access token")
need(job["artifacts"]["when"] == "always" and "size-report/" in job["artifacts"]["paths"], "gitlab: artifacts")
need(job["artifacts"]["reports"]["junit"] == "size-report/check.xml", "gitlab: junit report")
need(script[-1] == 'exit "$status"', "gitlab: fails the job with the check's status")
need("status=0" in script, "gitlab: status=0 before the size step")
if glsize:
    # The job's own lines: status=0, the size step (|| status=$?), the final exit "$status".
    open(tmp + "/gl.sh", "w").write("status=0\n" + glsize[0] + "\n" + script[-1] + "\n")
for e in errors:
    print("FAIL:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

# The size step as each file runs it, in a checkout laid out like the CI job's: .sizebudget/
# (sizebudget's sources), build/ (the PR) and base/build/ (the base commit).
bindir=$(cd "$(dirname "$EXE")" && pwd)
ws=$TMP/ws
# run_step NAME BUDGET_MAX: runs $TMP/NAME.sh in a fresh workspace; sets step_rc.
run_step() {
  rm -rf "$ws"
  mkdir -p "$ws/.sizebudget/examples" "$ws/build" "$ws/base/build"
  ln -s "$SRC/examples/ci" "$ws/.sizebudget/examples/ci"
  cp "$NANO" "$ws/build/fw.map"
  cp "$OVER" "$ws/base/build/fw.map"
  printf 'version: 1\nregions:\n  FLASH: { max: %s }\n' "$2" >"$ws/fw.yaml"
  step_rc=0
  (cd "$ws" && PATH="$bindir:$PATH" FIRMWARE=fw BUDGET=fw.yaml bash -e "$TMP/$1.sh") \
    >"$TMP/step.out" 2>&1 || step_rc=$?
}
for name in gh gl; do
  [[ -f $TMP/$name.sh ]] || continue
  run_step $name 16K
  [[ $step_rc -eq 0 ]] || { fail "$name: the size step failed within budget ($step_rc)"; cat "$TMP/step.out" >&2; }
  out=$ws/size-report
  for f in new.json base.json diff.md check.md check.xml comment.md report.html diff.html check.html; do
    [[ -s $out/$f ]] || fail "$name: size-report/$f was not written"
  done
  for f in report diff check; do
    grep -q '^<!DOCTYPE html>' "$out/$f.html" && grep -q "\"page\":\"$f\"" "$out/$f.html" ||
      fail "$name: size-report/$f.html is not the $f page"
  done
  has_text "$out/comment.md" "Treemaps of this build: report.html diff.html check.html"
  [[ $(head -n1 "$out/diff.md") == "<!-- sizebudget-diff -->" ]] || fail "$name: diff.md's first line"
  [[ $(head -n1 "$out/comment.md") == "<!-- sizebudget-diff -->" ]] || fail "$name: comment.md's first line"
  # The diff is that of the two maps: FLASH shrank from 9508 B to 5860 B, RAM grew.
  (cd "$ws" && "$EXE" diff "$OVER" "$NANO" --format markdown) | tail -n +5 >"$TMP/expected.md"
  tail -n +5 "$out/diff.md" | cmp -s - "$TMP/expected.md" || fail "$name: diff.md is not sizebudget diff of the maps"
  has_line "$out/diff.md" '| `FLASH` (length 8192 → 262144) | 9508 | 5860 | -3648 | -38.37% | ▼ |'
  has_text "$out/comment.md" "Size budget: all 1 budget check within budget"
  has_text "$out/check.xml" "<testsuite"

  # Over budget: the step fails (exit 1), after writing everything the publishing steps need.
  run_step $name 4K
  [[ $step_rc -eq 1 ]] || fail "$name: the size step over budget exited $step_rc, expected 1"
  has_text "$ws/size-report/comment.md" "<!-- sizebudget-diff -->"
  has_text "$ws/size-report/comment.md" "Size budget: 1 budget check: 1 error"
  has_text "$ws/size-report/check.xml" "<failure"
  grep -q '"failed":true' "$ws/size-report/check.html" || fail "$name: check.html over budget is not the failing page"

  # No base map (the base commit did not build): still a comment, with the marker, no diff.
  run_step $name 16K
  rm -rf "$ws/size-report" "$ws/base"
  step_rc=0
  (cd "$ws" && PATH="$bindir:$PATH" FIRMWARE=fw BUDGET=fw.yaml bash -e "$TMP/$name.sh") \
    >"$TMP/step.out" 2>&1 || step_rc=$?
  [[ $step_rc -eq 0 ]] || fail "$name: the size step without a base map exited $step_rc"
  [[ $(head -n1 "$ws/size-report/comment.md") == "<!-- sizebudget-diff -->" ]] \
    || fail "$name: comment.md without a base map lacks the marker"
  has_text "$ws/size-report/comment.md" "No map of the base commit"
  [[ ! -e $ws/size-report/base.json ]] || fail "$name: base.json without a base map"
done
[[ -f $TMP/gh.sh && -f $TMP/gl.sh ]] || fail "the size steps were not found"
finish
