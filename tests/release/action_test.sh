#!/usr/bin/env bash
# The GitHub Action's steps (action/*.sh, as action.yml runs them) against a release served
# from loopback, with the runner's environment faked:
#
#   tests/release/action_test.sh DIST_DIR TARGET
#
# DIST_DIR holds scopeform-TARGET.tar.gz and its .sha256, as the release tool built them for
# this machine's TARGET. Checks: the archive's binary is installed and on PATH; a tampered
# archive, downloaded or cached, is refused and never installed; the plan step passes on exit
# status 0 and 2 and fails on a usage error (64) with a comment that says so; a long plan is cut
# under the comment limit; the comment is updated in place. Prints "N passed, N failed".
set -euo pipefail

dist=$(cd "$1" && pwd)
target=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
archive="scopeform-$target.tar.gz"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)
if [ ! -f "$dist/$archive" ] || [ ! -f "$dist/$archive.sha256" ]; then
  echo "no $archive (and .sha256) in $dist" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $name"
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
  fi
}
# `not CMD`: CMD fails. `logged LOG CMD`: CMD's output to LOG (printed when CMD fails).
not() { ! "$@"; }
logged() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 || { local status=$?; sed 's/^/    | /' "$log"; return "$status"; }
}
quiet() { "$@" > /dev/null 2>&1; }

# The release server: vVERSION/ holds the real archive; v9.9.9/ the real checksum beside an
# archive with one byte appended (what a compromised mirror or a broken download gives).
srv="$work/srv"
mkdir -p "$srv/v$version" "$srv/v9.9.9"
cp "$dist/$archive" "$dist/$archive.sha256" "$srv/v$version/"
cp "$dist/$archive" "$dist/$archive.sha256" "$srv/v9.9.9/"
printf 'x' >> "$srv/v9.9.9/$archive"
# Port 0: the system picks a free port; the server prints it and stops by itself after 10 min.
python3 - "$srv" > "$work/port" 2> "$work/server.log" << 'EOF' &
import functools, http.server, sys, threading
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
threading.Timer(600, server.shutdown).start()
server.serve_forever()
EOF
server_pid=$!
for _ in $(seq 50); do
  [ -s "$work/port" ] && break
  sleep 0.1
done
base_url="http://127.0.0.1:$(cat "$work/port")"

# A fresh runner: its temp dir, the files GitHub reads outputs from, and a PATH without
# scopeform. Sets RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY.
new_runner() {
  local runner="$work/runner-$1"
  mkdir -p "$runner/temp"
  : > "$runner/output"
  : > "$runner/path"
  : > "$runner/summary"
  export RUNNER_TEMP="$runner/temp" GITHUB_OUTPUT="$runner/output" GITHUB_PATH="$runner/path"
  export GITHUB_STEP_SUMMARY="$runner/summary"
  comment="$RUNNER_TEMP/scopeform-comment.md"
}
export RUNNER_OS=Linux RUNNER_ARCH=X64 ACTION_PATH="$repo" ACTION_REPOSITORY=scopeform/scopeform
export ACTION_REF=main GITHUB_REPOSITORY=scopeform/scopeform GITHUB_RUN_ID=1
output() { sed -n "s/^$1=//p" "$GITHUB_OUTPUT" | tail -n 1; }

# The steps as action.yml runs them: resolve, then install with resolve's outputs.
resolve() {
  INPUT_VERSION=$1 INPUT_TARGET=$2 INPUT_DOWNLOAD_URL=$base_url bash "$repo/action/resolve.sh"
}
install() {
  URL=$(output url) ARCHIVE=$(output archive) CACHE_DIR=$(output cache-dir) \
    bash "$repo/action/install.sh"
}

# --- resolve: the runner's own target and the action's own release by default ------------
new_runner defaults
INPUT_VERSION='' INPUT_TARGET='' INPUT_DOWNLOAD_URL='' bash "$repo/action/resolve.sh" > /dev/null
check "the default version is the action's Cargo.toml version" test "$(output version)" = "$version"
check "Linux X64 gets the static musl build" \
  test "$(output url)" = "https://github.com/scopeform/scopeform/releases/download/v$version/scopeform-x86_64-unknown-linux-musl.tar.gz"
RUNNER_OS=Windows RUNNER_ARCH=X64 INPUT_VERSION=v1.2.3 INPUT_TARGET='' INPUT_DOWNLOAD_URL='' \
  bash "$repo/action/resolve.sh" > /dev/null
check "Windows gets the zip, and v1.2.3 means 1.2.3" \
  test "$(output archive)@$(output version)" = "scopeform-x86_64-pc-windows-msvc.zip@1.2.3"
RUNNER_OS=FreeBSD check "an unknown runner is refused" not quiet resolve "" ""
check "a version that is not one is refused" not quiet resolve '1.0; rm -rf /' ""

# --- install: the release's binary, checked ---------------------------------------------
new_runner good
resolve "$version" "$target" > /dev/null
check "install succeeds" logged "$work/install.log" install
bin_dir=$(head -n 1 "$GITHUB_PATH")
mkdir -p "$work/expected"
tar -xzf "$dist/$archive" -C "$work/expected"
expected_bin=$(find "$work/expected" -type f -name scopeform | head -n 1)
check "the installed binary is the archive's" cmp -s "$bin_dir/scopeform" "$expected_bin"
check "the install log names the version" grep -q "^scopeform $version (" "$work/install.log"
check "the archive is kept for the cache" test -s "$(output cache-dir)/$archive"
check "a cached archive is used and checked again" logged "$work/cached.log" install
check "... (it says so)" grep -q 'Using the cached' "$work/cached.log"

# --- a tampered archive is refused --------------------------------------------------------
new_runner tampered
resolve 9.9.9 "$target" > /dev/null
check "a tampered download fails the step" not quiet logged "$work/tampered.log" install
check "the failure says checksum mismatch" grep -q "checksum mismatch" "$work/tampered.log"
check "nothing is put on PATH" test ! -s "$GITHUB_PATH"
check "the tampered archive is not kept for the cache" test ! -e "$(output cache-dir)/$archive"

new_runner poisoned-cache
resolve "$version" "$target" > /dev/null
mkdir -p "$(output cache-dir)"
cp "$srv/v9.9.9/$archive" "$(output cache-dir)/$archive"
check "a tampered cached archive fails the step" not quiet logged "$work/poisoned.log" install
check "... and is not installed" test ! -s "$GITHUB_PATH"

# --- plan ---------------------------------------------------------------------------------
export PATH="$bin_dir:$PATH"
plan() {
  INPUT_PATH="$repo/examples/quickstart" INPUT_STATE="$repo/examples/quickstart/live.json" \
    INPUT_BASE='' PLANNED_COMMIT=0123456789abcdef0123 bash "$repo/action/plan.sh"
}

new_runner plan
check "a plan with changes passes the step" logged "$work/plan.log" plan
check "... with exit code 2 as output" test "$(output exitcode)" = 2
check "the comment starts with the marker" test "$(head -n 1 "$comment")" = '<!-- scopeform-plan -->'
check "the comment names the planned commit" grep -qF "Planned commit \`0123456789ab\`" "$comment"
check "the comment holds the plan" grep -qF "scopeform plan for \`myregistry\`" "$comment"
check "the job summary holds the plan" grep -qF "scopeform plan for \`myregistry\`" "$GITHUB_STEP_SUMMARY"

new_runner usage-error
INPUT_EXTRA_ARGS=--detailed-exitcod check "a usage error (misspelt extra-args flag) fails the step" not quiet plan
check "... with exit code 64 as output" test "$(output exitcode)" = 64
check "the comment says the plan failed" grep -q 'scopeform plan failed' "$comment"
check "... and with which status" grep -q 'exited with status 64' "$comment"

new_runner error
check "an error (a missing snapshot) fails the step" not quiet env INPUT_STATE=/nonexistent.json \
  INPUT_PATH="$repo/examples/quickstart" PLANNED_COMMIT=x bash "$repo/action/plan.sh"
check "... with exit code 1 as output" test "$(output exitcode)" = 1

new_runner long
SCOPEFORM_COMMENT_LIMIT=600 check "a plan too long for the limit passes" quiet plan
check "its comment is cut under the limit" test "$(wc -c < "$comment")" -lt 1000
check "... and says where the rest is" grep -q 'too long for a comment' "$comment"
check "... while the summary holds all of it" grep -q 'to rotate' "$GITHUB_STEP_SUMMARY"

# A workspace: two registries planned against a snapshot each, in one comment.
mkdir -p "$work/ws/quickstart" "$work/ws/states"
cp "$repo"/examples/quickstart/*.yaml "$work/ws/quickstart/"
cp "$repo/examples/quickstart/live.json" "$work/ws/states/dev.json"
cp "$repo/examples/quickstart/live.json" "$work/ws/states/prod.json"
printf 'registries:\n  dev: [quickstart/]\n  prod: [quickstart/]\n' > "$work/ws/scopeform.workspace.yaml"
new_runner workspace
check "a workspace plan with changes passes the step" logged "$work/workspace.log" env \
  INPUT_WORKSPACE="$work/ws/scopeform.workspace.yaml" INPUT_STATE="$work/ws/states" \
  INPUT_PATH=ignored PLANNED_COMMIT=0123456789abcdef0123 bash "$repo/action/plan.sh"
check "... with exit code 2 as output" test "$(output exitcode)" = 2
check "one comment holds every registry's plan" test "$(grep -cF "scopeform plan for \`myregistry\`" "$comment")" = 2
check "... under one summary of the workspace" grep -qF '## scopeform plan: 2 registries of workspace' "$comment"
check "... and one marker" test "$(grep -c 'scopeform-plan -->' "$comment")" = 1

# --- comment: updated in place --------------------------------------------------------------
# A fake gh: lists the comments in $FAKE_COMMENTS, records the other calls and their body.
mkdir -p "$work/fakebin"
cat > "$work/fakebin/gh" << 'EOF'
#!/usr/bin/env bash
if [[ " $* " == *" --paginate "* ]]; then
  cat "$FAKE_COMMENTS"
  exit 0
fi
echo "$*" >> "$FAKE_CALLS"
for arg in "$@"; do
  case "$arg" in body=@*) cat "${arg#body=@}" > "$FAKE_CALLS.body" ;; esac
done
EOF
chmod +x "$work/fakebin/gh"
comment_step() {
  PATH="$work/fakebin:$PATH" GH_TOKEN=fake-gh-token-for-tests REPO=o/r PR=7 \
    FAKE_COMMENTS="$work/comments" FAKE_CALLS="$work/calls" bash "$repo/action/comment.sh"
}
echo 4242 > "$work/comments"
: > "$work/calls"
check "an earlier comment is updated" quiet comment_step
check "... with PATCH on that comment" grep -q 'api --method PATCH repos/o/r/issues/comments/4242' "$work/calls"
check "... to this run's body" cmp -s "$work/calls.body" "$comment"
: > "$work/comments"
: > "$work/calls"
check "without one, a comment is posted" quiet comment_step
check "... with POST on the pull request" grep -q 'api --method POST repos/o/r/issues/7/comments' "$work/calls"

echo "action: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
