#!/usr/bin/env bash
# The action's first step: which release archive this runner needs, and where it comes from.
#
# In (environment): INPUT_VERSION (empty: the action's own release), INPUT_TARGET (empty: from
# RUNNER_OS and RUNNER_ARCH), INPUT_DOWNLOAD_URL (empty: this action repository's GitHub
# releases), ACTION_REF, ACTION_REPOSITORY, ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP.
# Out (GITHUB_OUTPUT): version, target, archive, url, cache-dir, cache-key.
set -euo pipefail

fail() {
  echo "::error title=scopeform::$1"
  exit 1
}

version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  # The action's own release: its tag when used as owner/scopeform@v1.2.3, otherwise the
  # version in the Cargo.toml of the commit the action runs from (@v1, @main, @sha).
  if [[ ${ACTION_REF:-} =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    version=$ACTION_REF
  else
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
  fi
fi
version=${version#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || fail "not a scopeform version: '$version'"

target=${INPUT_TARGET:-}
if [ -z "$target" ]; then
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    # Windows on Arm runs the x86_64 build under emulation.
    Windows/X64 | Windows/ARM64) target=x86_64-pc-windows-msvc ;;
    *) fail "no scopeform release for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}: set build-from-source: true" ;;
  esac
fi
[[ $target =~ ^[0-9A-Za-z_.-]+$ ]] || fail "not a target triple: '$target'"
case "$target" in
  *windows*) archive="scopeform-$target.zip" ;;
  *) archive="scopeform-$target.tar.gz" ;;
esac

base=${INPUT_DOWNLOAD_URL:-}
[ -n "$base" ] || base="https://github.com/${ACTION_REPOSITORY:-scopeform/scopeform}/releases/download"
base=${base%/}
url="$base/v$version/$archive"

# The cache holds the archive only; it is checked against the release's checksum on every run.
# The key names the URL, so archives from different servers never meet.
url_hash=$(printf '%s' "$url" | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16)
{
  echo "version=$version"
  echo "target=$target"
  echo "archive=$archive"
  echo "url=$url"
  echo "cache-dir=$RUNNER_TEMP/scopeform-archive"
  echo "cache-key=scopeform-$version-$target-$url_hash"
} >> "$GITHUB_OUTPUT"
