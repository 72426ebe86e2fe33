#!/usr/bin/env bash
# Freezes the client into a one-folder bundle: $OUT/dist/guichet/ (default OUT=build/packaging).
# Reproducible inputs: the hash-pinned build venv, PYTHONHASHSEED=0, SOURCE_DATE_EPOCH from
# the last commit, a fresh work folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
venv="$(bash "$root/packaging/build-venv.sh")"

export PYTHONHASHSEED=0
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH
export PYTHONDONTWRITEBYTECODE=1

# Build from a snapshot of the sources, not the live tree: what was frozen can be rebuilt
# (repro-check.sh reuses it with SOURCE_SNAPSHOT) even while the tree keeps changing.
src="${SOURCE_SNAPSHOT:-$out/src}"
if [ -z "${SOURCE_SNAPSHOT:-}" ]; then
  rm -rf "$src"
  mkdir -p "$src"
  parts=(pyproject.toml procuration desktop packaging)
  if [ -d "$root/resources" ]; then parts+=(resources); fi
  tar -C "$root" --exclude=__pycache__ --exclude=.build-venv --exclude='*.pyc' \
    -cf - "${parts[@]}" | tar -C "$src" -xf -
fi

rm -rf "$out/work" "$out/dist"
start=$(date +%s)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$out/dist" --workpath "$out/work" "$src/packaging/guichet.spec"
echo "bundle: $out/dist/guichet ($(du -sm "$out/dist/guichet" | cut -f1) MiB," \
  "$(find "$out/dist/guichet" -type f | wc -l) files, $(($(date +%s) - start)) s)"
bash "$root/packaging/version.sh" > "$out/dist/guichet/_internal/guichet-version.txt"
