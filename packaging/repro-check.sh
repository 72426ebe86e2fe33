#!/usr/bin/env bash
# Reproducibility: rebuilds the bundle and the unsigned .deb from the same commit into a
# fresh folder and compares the .deb's sha256 with a reference (REFERENCE_DEB, an unsigned
# .deb; by default a first rebuild, i.e. two builds). On a difference, names the files of
# data.tar that differ (and runs diffoscope on the first one when installed).
# Signed .debs always differ (the signature carries its creation time): compare unsigned.
# SOURCE_SNAPSHOT=DIR rebuilds from the reference build's source snapshot (OUT/src), so a
# tree that changed since is not mistaken for non-determinism.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${REPRO_OUT:-$root/build/packaging-repro}"

build_once() {  # build_once DIR -> prints the unsigned .deb
  rm -rf "$1"
  OUT="$1" bash "$root/packaging/build-bundle.sh" >&2
  OUT="$1" bash "$root/packaging/sbom.sh" >/dev/null
  OUT="$1" bash "$root/packaging/build-deb.sh"
}

reference="${REFERENCE_DEB:-$(build_once "$base/a")}"
candidate="$(build_once "$base/b")"
ref_hash="$(sha256sum < "$reference" | cut -d' ' -f1)"
new_hash="$(sha256sum < "$candidate" | cut -d' ' -f1)"
echo "reference $ref_hash  $reference"
echo "rebuild   $new_hash  $candidate"
if [ "$ref_hash" = "$new_hash" ]; then
  echo "REPRODUCIBLE: identical .deb"
  exit 0
fi
echo "NOT REPRODUCIBLE: differing members/files:"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for side in ref new; do
  deb="$reference"; [ "$side" = new ] && deb="$candidate"
  mkdir -p "$tmp/$side"
  dpkg-deb -x "$deb" "$tmp/$side/data"
  dpkg-deb -e "$deb" "$tmp/$side/control"
  (cd "$tmp/$side" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) > "$tmp/$side.sums"
done
diff "$tmp/ref.sums" "$tmp/new.sums" | grep '^[<>]' | awk '{print $1, $3}' | sort -k2 -u | head -40
first="$(diff "$tmp/ref.sums" "$tmp/new.sums" | awk '/^</{print $3; exit}')"
if [ -n "$first" ] && command -v diffoscope >/dev/null; then
  diffoscope "$tmp/ref/$first" "$tmp/new/$first" | head -60 || true
fi
exit 1
