#!/usr/bin/env bash
# The release checks, run by .ci/run and by CI's release-checks job:
#   1. the published crate packages (`cargo package`, no verify: that is a full second build);
#   2. dist's release plan is valid and the checked-in release workflow is what dist generates;
#   3. dist builds this machine's release archive, and the GitHub Action's steps install it
#      from a loopback server, refuse a tampered one and fail a failed plan (action_test.sh);
#   4. actionlint and shellcheck pass on the workflows, the examples and the action's scripts.
# Each step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/../.."

step() {
  echo
  echo "== $*"
  step_start=$(date +%s)
}
took() { echo "   ($(($(date +%s) - step_start)) s)"; }

step "tools"
eval "$(bash tests/release/tools.sh)"
took

step "cargo package (scopeform; acr-emulator is not published)"
# Its warnings that tests and benches stay out of the package are expected (Cargo.toml include).
log=$(mktemp)
cargo package --package scopeform --locked --no-verify > "$log" 2>&1 || { cat "$log"; exit 1; }
grep -v '^warning: ignoring' "$log" || true
rm -f "$log"
test -f "target/package/scopeform-$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1).crate"
took

step "dist plan"
"$DIST" plan --output-format=human
took

step "dist build (this machine's archive) and the action against it"
host=$(rustc -vV | sed -n 's/^host: //p')
"$DIST" build --artifacts=local --target "$host" --output-format=human
archive="target/distrib/scopeform-$host.tar.gz"
echo "$archive holds:"
tar -tzf "$archive" | sed 's/^/   /'
bash tests/release/action_test.sh target/distrib "$host"
took

step "actionlint and shellcheck"
bash tests/release/lint_pipelines.sh "$ACTIONLINT"
took
