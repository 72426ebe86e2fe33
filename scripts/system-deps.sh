#!/usr/bin/env bash
# The Debian/Ubuntu packages the project needs at run and test time (installed when
# missing, see apt-ensure.sh).
set -euo pipefail

packages=(
  libzbar0            # pyzbar loads it through ctypes
  xvfb xauth          # screenshots and GUI runs on a machine without a display
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libglib2.0-0
  fonts-dejavu-core
)
# The portals' DSFR files and axe-core come from the npm registry (scripts/web-assets.sh).
# A Node.js that brings its own npm (e.g. NodeSource's) conflicts with Debian's npm package:
# Debian's are installed only when no npm is found.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${1:-}" = "--with-test-tools" ]; then
  packages+=(postgresql poppler-utils shellcheck)
  packages+=(chromium)  # the portals' browser tests (tests/browser), driven by Playwright
fi

exec bash "$(dirname "$0")/apt-ensure.sh" "${packages[@]}"
