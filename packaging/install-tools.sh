#!/usr/bin/env bash
# Installs the Debian packages the packaging build needs (Debian 12 or newer), when missing.
# As root it runs apt-get; otherwise it prints the exact command and fails (apt-ensure.sh).
# Python build tools (PyInstaller, CycloneDX) are NOT installed here: they come from the
# hash-pinned lock file into packaging/.build-venv (see packaging/build-venv.sh).
set -euo pipefail

packages=(
  dpkg-dev            # dpkg-deb, dpkg-shlibdeps, dpkg-architecture
  binutils            # objdump, used by PyInstaller and by our library scan
  zstd xz-utils       # .deb compression (zstd in CI, xz for releases)
  gnupg gpgv          # signing keys, SHA256SUMS, apt repository signatures
  debsigs debsig-verify
  reprepro            # the signed internal apt repository
  apt-utils           # apt-ftparchive (not strictly needed; handy for IT)
  wixl msitools       # MSI from the WiX definition, and msiinfo to inspect it
  osslsigncode        # Authenticode signing of the MSI
  openssl             # test code-signing certificate
  libzbar0            # bundled into the app (pyzbar loads it with ctypes)
  appstream           # appstreamcli validate for the metainfo file
  desktop-file-utils  # desktop-file-validate
  xvfb xauth          # self-check under a real X server
  shellcheck          # lint of these scripts
  patchelf            # rpath inspection/fixes of bundled libraries
  dbus gnome-keyring  # a real Secret Service vault for the installed self-check in tests
)

exec bash "$(dirname "$0")/../scripts/apt-ensure.sh" "${packages[@]}"
