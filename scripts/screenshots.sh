#!/usr/bin/env bash
# `make screenshots`: renders the client's main screens with fake services under Xvfb
# into docs/screenshots/ (no backend needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENV_BIN:-.venv/bin}  # another virtualenv: VENV_BIN=/path/to/venv/bin
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "xvfb-run est introuvable : installez le paquet xvfb (make test-tools)." >&2
  exit 1
fi
export QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1440x900x24" "$bin/python" -m scripts.render_screens
if [ -f scripts/render_supervisor.py ]; then
  xvfb-run -a -s "-screen 0 1440x900x24" "$bin/python" -m scripts.render_supervisor
fi
