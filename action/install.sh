#!/usr/bin/env bash
# The action's install step: download (or take from the cache) the release archive, check it
# against the release's SHA-256 checksum, unpack the binary and put it on PATH. A mismatch fails
# the step before anything from the archive runs.
#
# In (environment): URL, ARCHIVE, CACHE_DIR (from resolve.sh), RUNNER_TEMP, GITHUB_PATH.
set -euo pipefail

fail() {
  echo "::error title=scopeform::$1"
  exit 1
}

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

download() {
  curl --fail --silent --show-error --location --retry 3 --proto '=https,http' --output "$2" "$1"
}

mkdir -p "$CACHE_DIR"
archive_path="$CACHE_DIR/$ARCHIVE"
if [ -s "$archive_path" ]; then
  echo "Using the cached $ARCHIVE"
else
  echo "Downloading $URL"
  download "$URL" "$archive_path.part" || fail "could not download $URL"
  mv "$archive_path.part" "$archive_path"
fi

sums="$RUNNER_TEMP/scopeform-$ARCHIVE.sha256"
download "$URL.sha256" "$sums" || fail "could not download the checksum $URL.sha256"
expected=$(tr -d '\r' < "$sums" | awk 'NR == 1 { print tolower($1) }')
actual=$(sha256 "$archive_path")
if [ "${#expected}" -ne 64 ] || [ "$expected" != "$actual" ]; then
  # Never keep (nor cache) an archive that does not match.
  rm -f "$archive_path"
  fail "checksum mismatch for $ARCHIVE: expected ${expected:-nothing}, got $actual"
fi
echo "Checksum OK: $actual  $ARCHIVE"

unpacked="$RUNNER_TEMP/scopeform-unpacked"
bin="$RUNNER_TEMP/scopeform-bin"
rm -rf "$unpacked" "$bin"
mkdir -p "$unpacked" "$bin"
case "$ARCHIVE" in
  *.zip)
    if command -v unzip > /dev/null; then
      unzip -q "$archive_path" -d "$unpacked"
    else
      pwsh -NoProfile -Command "Expand-Archive -LiteralPath '$archive_path' -DestinationPath '$unpacked'"
    fi
    exe=scopeform.exe
    ;;
  *)
    tar -xzf "$archive_path" -C "$unpacked"
    exe=scopeform
    ;;
esac
found=$(find "$unpacked" -type f -name "$exe" | head -n 1)
[ -n "$found" ] || fail "$ARCHIVE holds no $exe"
mv "$found" "$bin/$exe"
chmod +x "$bin/$exe"
echo "$bin" >> "$GITHUB_PATH"
"$bin/$exe" --version
