#!/usr/bin/env bash
# Creates (or refreshes) packaging/.build-venv from the hash-pinned lock, separate from the
# project's .venv: every wheel that ends up in the bundle, and every build tool, is checked
# against a sha256 in packaging/requirements-build.lock (pip --require-hashes).
# Prints the venv's path on stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${BUILD_VENV:-$here/.build-venv}"
lock="$here/requirements-build.lock"
python="${PYTHON:-python3}"
stamp="$venv/.lock-sha256"
want="$(sha256sum "$lock" | cut -d' ' -f1)"

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # --isolated: ignore the machine's pip configuration (extra indexes, find-links), so the
  # only source is PyPI and the only trust is the lock's hashes.
  "$venv/bin/python" -m pip install --isolated --quiet --disable-pip-version-check \
    --cert "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" \
    --require-hashes --no-deps --only-binary :all: -r "$lock" >&2
  "$venv/bin/python" -m pip check >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
