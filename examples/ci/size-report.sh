#!/usr/bin/env bash
# The size part of a firmware CI job (github-actions.yml and gitlab-ci.yml run it as it is):
# snapshots the merge request's map and the base commit's map, diffs them to Markdown for the
# PR/MR comment, and checks the budget.
#
#   size-report.sh --map NEW.map [--base-map BASE.map] [--budget FILE] [--out DIR]
#                  [-- extra map options: --elf FILE, --linker-script FILE]
#
# Writes into DIR (default size-report):
#   new.json, base.json   snapshots (base.json only when the base map exists)
#   diff.md               `sizebudget diff base.json new.json --format markdown`; its first line
#                         is `<!-- sizebudget-diff -->`, by which the CI finds its comment again
#   check.md, check.xml   `sizebudget check` as Markdown and JUnit (with --budget)
#   report.html, diff.html, check.html
#                         the same as pages with a treemap, to open from the CI artifact
#                         (diff.html with a base map, check.html with --budget)
#   comment.md            what to publish: diff.md, then check.md, then where the pages are
# Exit status: that of `sizebudget check` (0 within budget, 1 over budget, 2 input error), so
# the job fails when over budget, after everything was written for the publishing steps.
# `sizebudget` is taken from PATH, or from $SIZEBUDGET.
set -euo pipefail

sizebudget=${SIZEBUDGET:-sizebudget}
map= base_map= budget= out=size-report
read_opts=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --map) map=$2; shift 2 ;;
    --base-map) base_map=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; read_opts=("$@"); break ;;
    *) echo "size-report.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n $map ]] || { echo "size-report.sh: --map is required" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out"/{new.json,base.json,diff.md,check.md,check.xml,comment.md,report.html,diff.html,check.html}

# The pages are a view for people; a sizebudget built without d3-hierarchy cannot draw them,
# which must not fail the job.
html() {
  "$@" || echo "size-report.sh: no HTML page from: ${*:2} (exit status $?)" >&2
}

"$sizebudget" snapshot "$map" "${read_opts[@]}" -o "$out/new.json"
html "$sizebudget" report "$map" "${read_opts[@]}" --format html -o "$out/report.html"
if [[ -n $base_map && -f $base_map ]]; then
  # (--elf/--linker-script belong to the new link; the base map is read on its own.)
  "$sizebudget" snapshot "$base_map" -o "$out/base.json"
  "$sizebudget" diff "$out/base.json" "$out/new.json" --format markdown >"$out/diff.md"
  html "$sizebudget" diff "$out/base.json" "$out/new.json" --format html -o "$out/diff.html"
  if [[ $(head -n1 "$out/diff.md") != "<!-- sizebudget-diff -->" ]]; then
    echo "size-report.sh: the diff does not start with <!-- sizebudget-diff -->" >&2
    exit 2
  fi
else
  # The base commit did not build this firmware (a new target, or its build failed): say so, in
  # a comment that CI still finds by its first line.
  printf '<!-- sizebudget-diff -->\n## Size\n\nNo map of the base commit (%s): nothing to compare with.\n' \
    "${base_map:-not given}" >"$out/diff.md"
fi
cp "$out/diff.md" "$out/comment.md"

status=0
if [[ -n $budget ]]; then
  "$sizebudget" check "$map" --budget "$budget" "${read_opts[@]}" --format junit -o "$out/check.xml" || true
  # (exit 1, over budget, still writes the page)
  "$sizebudget" check "$map" --budget "$budget" "${read_opts[@]}" --format html -o "$out/check.html" || true
  "$sizebudget" check "$map" --budget "$budget" "${read_opts[@]}" --format markdown -o "$out/check.md" \
    || status=$?
  if [[ -f $out/check.md ]]; then
    printf '\n' >>"$out/comment.md"
    cat "$out/check.md" >>"$out/comment.md"
  fi
fi
pages=
for page in report.html diff.html check.html; do
  [[ -f $out/$page ]] && pages+="${pages:+ }$page"
done
if [[ -n $pages ]]; then
  printf '\n<sub>Treemaps of this build: %s in the `size-report` artifact.</sub>\n' "$pages" >>"$out/comment.md"
fi
exit "$status"
