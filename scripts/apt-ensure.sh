#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages given as arguments, those that are missing only.
# As root it runs apt-get; otherwise it prints the exact command and fails, so that `make`
# never half-installs behind the user's back.
set -euo pipefail

missing=()
for p in "$@"; do
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
