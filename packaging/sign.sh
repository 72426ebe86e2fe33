#!/usr/bin/env bash
# Signs the Linux artefacts in $OUT/artefacts with one OpenPGP key:
#   - the .deb inside (debsigs, origin signature), checked by debsig-verify + our policy;
#   - the internal apt repository $OUT/repo (reprepro: InRelease and Release.gpg);
#   - SHA256SUMS over every artefact (detached, armoured: SHA256SUMS.asc).
# The key: SIGNING_KEY=/path/to/secret-key.asc (release: exported from the offline/HSM
# machine, see README), optional SIGNING_KEY_PASSPHRASE_FILE; without SIGNING_KEY a
# throw-away test key is generated in a private GNUPGHOME under $OUT (never for releases).
# Public material for verifiers goes to $OUT/keys/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
artefacts="$out/artefacts"
keys="$out/keys"
export GNUPGHOME="$out/gnupg"

rm -rf "$GNUPGHOME"
mkdir -p "$keys"
rm -f "$keys"/{KEYID,FINGERPRINT,guichet-archive-keyring.gpg,guichet-signing-key.asc,guichet.pol}
mkdir -m 0700 "$GNUPGHOME"
gpg_batch=(gpg --batch --quiet --pinentry-mode loopback)
if [ -n "${SIGNING_KEY_PASSPHRASE_FILE:-}" ]; then
  gpg_batch+=(--passphrase-file "$SIGNING_KEY_PASSPHRASE_FILE")
else
  gpg_batch+=(--passphrase "")
fi
if [ -n "${SIGNING_KEY:-}" ]; then
  "${gpg_batch[@]}" --import "$SIGNING_KEY"
else
  echo "SIGNING_KEY not given: generating a throw-away TEST key (not for release)" >&2
  "${gpg_batch[@]}" --quick-generate-key \
    "Guichet Maprocuration TEST packaging key <test-packaging@guichet.invalid>" ed25519 sign 1d
fi
keyid="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1=="sec"{print $5; exit}')"
fingerprint="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1=="fpr"{print $10; exit}')"
echo "$keyid" > "$keys/KEYID"
echo "$fingerprint" > "$keys/FINGERPRINT"
gpg --batch --export "$keyid" > "$keys/guichet-archive-keyring.gpg"
gpg --batch --armor --export "$keyid" > "$keys/guichet-signing-key.asc"
sed "s/@KEYID@/$keyid/g" "$root/packaging/linux/debsig-policy.pol.in" > "$keys/guichet.pol"
if [ -n "${SIGNING_KEY_PASSPHRASE_FILE:-}" ]; then
  # gpg-agent caches the passphrase for debsigs and reprepro, which cannot pass it.
  echo "allow-preset-passphrase" >> "$GNUPGHOME/gpg-agent.conf"
  gpgconf --reload gpg-agent
  for grip in $(gpg --batch --with-colons --with-keygrip --list-secret-keys | awk -F: '$1=="grp"{print $10}'); do
    /usr/lib/gnupg/gpg-preset-passphrase --preset "$grip" < "$SIGNING_KEY_PASSPHRASE_FILE"
  done
fi

# 1. the .deb, signed inside (an ar member _gpgorigin that dpkg ignores and debsig-verify checks)
shopt -s nullglob
debs=("$artefacts"/*.deb)
[ ${#debs[@]} -gt 0 ] || { echo "no .deb in $artefacts" >&2; exit 1; }
sign_deb() {
  local deb="$1" work
  if ar t "$deb" | grep -qx '_gpgorigin'; then ar d "$deb" _gpgorigin; fi
  if ar t "$deb" | grep -qE '^(control|data)\.tar\.zst$'; then
    # debsigs 0.1.26 (Debian 12) only knows .gz/.xz members and would sign debian-binary
    # alone: make the same origin signature it makes (detached OpenPGP signature over
    # debian-binary + control.tar.* + data.tar.*, stored as the ar member _gpgorigin).
    # debsig-verify 0.28 checks zstd packages correctly.
    work="$(mktemp -d)"
    (cd "$work" && ar x "$deb" && cat debian-binary control.tar.zst data.tar.zst \
      | "${gpg_batch[@]}" --openpgp --local-user "$keyid" --detach-sign > _gpgorigin \
      && ar q "$deb" _gpgorigin)
    rm -rf "$work"
  else
    debsigs --sign=origin -k "$keyid" "$deb"
  fi
}
for deb in "${debs[@]}"; do sign_deb "$deb"; done

# 2. the apt repository
repo="$out/repo"
rm -rf "$repo"
mkdir -p "$repo/conf"
cat > "$repo/conf/distributions" <<DIST
Origin: Guichet Maprocuration
Label: Guichet Maprocuration
Codename: stable
Architectures: $(dpkg --print-architecture)
Components: main
Description: Guichet Maprocuration internal repository
SignWith: $keyid
DIST
printf 'verbose\nbasedir %s\n' "$repo" > "$repo/conf/options"
for deb in "${debs[@]}"; do reprepro -b "$repo" --silent includedeb stable "$deb"; done
cp "$keys/guichet-archive-keyring.gpg" "$repo/guichet-archive-keyring.gpg"

# 3. SHA256SUMS over every artefact, signed
cp "$keys/guichet-signing-key.asc" "$artefacts/"
(cd "$artefacts" && rm -f SHA256SUMS SHA256SUMS.asc \
  && find . -maxdepth 1 -type f ! -name 'SHA256SUMS*' -printf '%P\n' | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
"${gpg_batch[@]}" --armor --local-user "$keyid" --detach-sign \
  --output "$artefacts/SHA256SUMS.asc" "$artefacts/SHA256SUMS"
gpgconf --kill gpg-agent
echo "signed with $fingerprint"
