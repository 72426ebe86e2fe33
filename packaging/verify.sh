#!/usr/bin/env bash
# Verifies every signature and hash of a build, trusting only the given public material:
#   packaging/verify.sh [ARTEFACTS_DIR] [REPO_DIR] [KEYS_DIR]   (defaults under build/packaging)
# Checks: SHA256SUMS.asc (gpgv) and every hash in SHA256SUMS; each .deb with debsig-verify
# under our policy; the repository's InRelease and Release.gpg (gpgv) and that its package
# indexes match Release; each .msi with osslsigncode against the test CA (or MSI_CA_FILE).
# Prints one line per check and exits nonzero if any failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
artefacts="${1:-$out/artefacts}"
repo="${2:-$out/repo}"
keys="${3:-$out/keys}"
keyring="$keys/guichet-archive-keyring.gpg"
failures=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

check() {  # check "what" command...
  local what="$1"; shift
  if "$@" >"$tmp/log" 2>&1; then
    echo "OK     $what"
  else
    echo "FAILED $what"; sed 's/^/       /' "$tmp/log" | tail -5
    failures=$((failures + 1))
  fi
}

check "SHA256SUMS signature" gpgv --keyring "$keyring" "$artefacts/SHA256SUMS.asc" "$artefacts/SHA256SUMS"
sums_check() { (cd "$1" && sha256sum --strict -c SHA256SUMS); }
check "SHA256SUMS hashes" sums_check "$artefacts"

# debsig-verify reads its policy and keyring from a root we build here, not from /etc.
keyid="$(cat "$keys/KEYID")"
mkdir -p "$tmp/debsig/etc/debsig/policies/$keyid" "$tmp/debsig/usr/share/debsig/keyrings/$keyid"
cp "$keys/guichet.pol" "$tmp/debsig/etc/debsig/policies/$keyid/guichet.pol"
cp "$keyring" "$tmp/debsig/usr/share/debsig/keyrings/$keyid/debsig.gpg"
shopt -s nullglob
for deb in "$artefacts"/*.deb "$repo"/pool/*/*/*/*.deb; do
  check "debsig-verify $(basename "$deb")" debsig-verify --root "$tmp/debsig" "$deb"
done

if [ -d "$repo/dists" ]; then
  for dist in "$repo"/dists/*; do
    name="repository $(basename "$dist")"
    check "$name InRelease" gpgv --keyring "$keyring" "$dist/InRelease"
    check "$name Release.gpg" gpgv --keyring "$keyring" "$dist/Release.gpg" "$dist/Release"
    check "$name indexes match Release" python3 "$root/packaging/check_release.py" "$dist"
  done
fi

for msi in "$artefacts"/*.msi; do
  check "Authenticode $(basename "$msi")" osslsigncode verify \
    -CAfile "${MSI_CA_FILE:-$keys/msi-test-ca.pem}" -in "$msi"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"; exit 1
fi
echo "all signatures and hashes verified"
