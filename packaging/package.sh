#!/usr/bin/env bash
# `make package`: every Linux artefact, signed, in $OUT (default build/packaging):
#   artefacts/  .deb (signed inside), .msi (stand-in payload, Authenticode), backend wheel,
#               SBOM + licence inventory, public signing key, SHA256SUMS(.asc)
#   repo/       signed apt repository (InRelease, Release.gpg)
#   keys/       public key, debsig policy, MSI test CA (never any secret of a release key)
# SIGNING_KEY=/path/key.asc signs with a real key; otherwise a throw-away test key is made.
# DEB_COMPRESSION=xz for releases (default zstd).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
export OUT="${OUT:-$root/build/packaging}"
start=$(date +%s)
step() { echo "== $* ($(($(date +%s) - start)) s)"; }

step "tools";          bash "$here/install-tools.sh"
step "build venv";     bash "$here/build-venv.sh" >/dev/null
step "bundle";         bash "$here/build-bundle.sh"
step "SBOM";           bash "$here/sbom.sh" >/dev/null
step "deb";            deb="$(bash "$here/build-deb.sh")"; echo "$deb"
cp "$deb" "$OUT/unsigned.deb"  # reference for packaging/repro-check.sh (signatures differ per run)
step "msi";            bash "$here/build-msi.sh"
step "backend wheel";  bash "$here/build-backend.sh"
step "sign";           bash "$here/sign.sh"
step "done: $OUT/artefacts"
ls -l "$OUT/artefacts"
