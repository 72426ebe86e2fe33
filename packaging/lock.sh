#!/usr/bin/env bash
# Regenerates packaging/requirements-build.lock from requirements-build.in, with the sha256
# of every file PyPI serves for each pinned version (so the same lock installs on Linux and
# Windows). Needs PyPI; the build itself only needs the lock.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --isolated uv
# --universal: one lock for every platform (Windows needs pywin32-ctypes for keyring, Linux
# needs SecretStorage/jeepney); markers keep each platform to its own.
"$tmp/venv/bin/uv" pip compile --quiet --universal --generate-hashes \
  --python-version 3.11 --index-url https://pypi.org/simple \
  --custom-compile-command "bash packaging/lock.sh" \
  --output-file "$here/requirements-build.lock" "$here/requirements-build.in"
