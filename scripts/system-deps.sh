#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the project needs at run and test time, when missing.
# As root it runs apt-get; otherwise it prints the exact command and fails, so that `make`
# never half-installs behind the user's back.
set -euo pipefail

packages=(
  libzbar0            # pyzbar loads it through ctypes
  xvfb xauth          # screenshots and GUI runs on a machine without a display
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libglib2.0-0
  fonts-dejavu-core
)
if [ "${1:-}" = "--with-test-tools" ]; then
  packages+=(postgresql poppler-utils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing system packages. Run, then retry:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
