#!/usr/bin/env bash
# The action's plan step: `scopeform plan --detailed-exitcode` on the pull request, the plan in
# the job summary, and the pull-request comment's body in $RUNNER_TEMP/scopeform-comment.md.
# Exit status 0 (no changes) and 2 (changes) are plans; any other (1 error, 64 usage error,
# a crash) fails this step, and the comment says the plan failed.
#
# With INPUT_WORKSPACE, every registry of that workspace file is planned into one report, so
# the pull request has one comment for all of them.
#
# In (environment): INPUT_PATH, INPUT_WORKSPACE, INPUT_STATE, INPUT_BASE, INPUT_EXTRA_ARGS, PLANNED_COMMIT,
# RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_SERVER_URL, GITHUB_REPOSITORY,
# GITHUB_RUN_ID. Out: exitcode (GITHUB_OUTPUT).
set -uo pipefail

# GitHub refuses comments over 65536 characters; the body stays well under that in bytes.
limit=${SCOPEFORM_COMMENT_LIMIT:-60000}
plan="$RUNNER_TEMP/scopeform-plan.md"
comment="$RUNNER_TEMP/scopeform-comment.md"
run_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"
commit=${PLANNED_COMMIT:-}
commit=${commit:0:12}

# Paths and extra arguments are split on whitespace, never globbed.
read -r -a paths <<< "${INPUT_PATH:-.}"
read -r -a extra <<< "${INPUT_EXTRA_ARGS:-}"
# ${a[@]+"${a[@]}"}: an empty array under set -u on the bash 3.2 of macOS.
if [ -n "${INPUT_WORKSPACE:-}" ]; then
  args=(plan --workspace "$INPUT_WORKSPACE")
else
  args=(plan ${paths[@]+"${paths[@]}"})
fi
[ -n "${INPUT_STATE:-}" ] && args+=(--state "$INPUT_STATE")
[ -n "${INPUT_BASE:-}" ] && args+=(--base "$INPUT_BASE")
args+=(${extra[@]+"${extra[@]}"} --format markdown --detailed-exitcode)

echo "scopeform ${args[*]}"
scopeform "${args[@]}" > "$plan"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"

{
  echo '<!-- scopeform-plan -->'
  case "$code" in
    0 | 2)
      echo "<sub>Planned commit \`$commit\` · [run]($run_url)</sub>"
      echo
      # Cut before a <details> block or a heading, where every fence and block is closed, so
      # a long plan still renders; the job summary keeps all of it.
      awk -v limit="$limit" -v run_url="$run_url" '
        { size += length($0) + 1 }
        /^<details>/ || /^#/ { safe = NR - 1 }
        size > limit { cut = 1; exit }
        { line[NR] = $0; last = NR }
        END {
          n = cut ? (safe > 0 ? safe : last) : last
          for (i = 1; i <= n; i++) print line[i]
          if (cut) {
            print ""
            print "**The plan is too long for a comment: the rest is in the [job summary](" run_url ").**"
          }
        }' "$plan"
      ;;
    *)
      echo '## :x: scopeform plan failed'
      echo
      echo "\`scopeform plan\` exited with status $code on commit \`$commit\`: nothing was planned."
      echo "See the [job log]($run_url)."
      ;;
  esac
} > "$comment"

if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
  cat "$plan" >> "$GITHUB_STEP_SUMMARY"
  exit 0
fi
cat "$comment" >> "$GITHUB_STEP_SUMMARY"
echo "::error title=scopeform::scopeform plan failed with exit status $code"
exit 1
