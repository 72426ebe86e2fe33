#!/usr/bin/env bash
# The backend's wheel (the project's distribution: procuration + backend, installed with
# the `backend` extra on the server), built with the pinned tools of the build venv from a
# copy of the work tree, so the shared tree gets no build/ or egg-info churn.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
venv="$(bash "$root/packaging/build-venv.sh")"
src="$out/backend-src"
rm -rf "$src"
mkdir -p "$src" "$out/artefacts"
tar -C "$root" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist \
  --exclude=./packaging/.build-venv --exclude='*.egg-info' --exclude=__pycache__ \
  --exclude=./var -cf - . | tar -C "$src" -xf -
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}" \
  "$venv/bin/python" -m build --wheel --no-isolation --outdir "$out/artefacts" "$src" >/dev/null
cp "$root/packaging/backend/guichet-backend.service" "$out/artefacts/"
rm -rf "$src"
ls "$out/artefacts"/*.whl
