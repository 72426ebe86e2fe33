#!/usr/bin/env bash
# Wraps the frozen bundle into a .deb: /opt/guichet, /usr/bin/guichet, desktop entry, icon,
# AppStream metadata, Depends: computed from the bundle's ELF files.
#   DEB_COMPRESSION=zstd (CI, default) | xz (releases)     VERSION=… (default: from git)
# Output: $OUT/artefacts/guichet-maprocuration_<version>_<arch>.deb (unsigned; sign.sh signs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
bundle="$out/dist/guichet"
compression="${DEB_COMPRESSION:-zstd}"
app_id=fr.interieur.guichet-maprocuration
package=guichet-maprocuration

[ -x "$bundle/guichet" ] || { echo "no bundle at $bundle: run packaging/build-bundle.sh" >&2; exit 1; }
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
version="${VERSION:-$(bash "$root/packaging/version.sh")}"
arch="$(dpkg --print-architecture)"
case "$compression" in
  zstd) level=3 ;;   # fast for CI
  xz) level=6 ;;     # smaller for releases
  *) echo "DEB_COMPRESSION must be zstd or xz" >&2; exit 2 ;;
esac

staging="$out/deb-root"
rm -rf "$staging"
mkdir -p "$staging/DEBIAN" "$staging/opt" "$staging/usr/bin" \
  "$staging/usr/share/applications" "$staging/usr/share/metainfo" \
  "$staging/usr/share/icons/hicolor/scalable/apps" "$staging/usr/share/doc/$package"
cp -a "$bundle" "$staging/opt/guichet"
install -m 0755 "$root/packaging/linux/guichet.launcher" "$staging/usr/bin/guichet"
install -m 0644 "$root/packaging/linux/$app_id.desktop" "$staging/usr/share/applications/"
install -m 0644 "$root/packaging/linux/$app_id.metainfo.xml" "$staging/usr/share/metainfo/"
install -m 0644 "$root/packaging/linux/$app_id.svg" "$staging/usr/share/icons/hicolor/scalable/apps/"
install -m 0644 "$root/packaging/LICENSES.md" "$staging/usr/share/doc/$package/LICENSES.md"
install -m 0644 "$root/packaging/linux/copyright" "$staging/usr/share/doc/$package/copyright"
for f in guichet.cdx.json licences.tsv; do
  if [ -f "$out/artefacts/$f" ]; then install -m 0644 "$out/artefacts/$f" "$staging/usr/share/doc/$package/"; fi
done

depends="$(python3 "$root/packaging/bundle_inventory.py" depends "$bundle")"
installed_size="$(du -sk --exclude=DEBIAN "$staging" | cut -f1)"
cat > "$staging/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: Guichet Maprocuration <exploitation@guichet.invalid>
Installed-Size: $installed_size
Depends: $depends
Section: misc
Priority: optional
Description: counter client for voting proxies (Guichet Maprocuration)
 Qt desktop client used by habilitated officers at police and gendarmerie
 stations to look up, check and validate voting proxies, online or from
 signed QR codes. Self-contained: a frozen Python/Qt bundle under /opt/guichet.
 .
 Removing the package leaves each user's data (~/.local/share/$package)
 and secrets (the desktop keyring) untouched.
CONTROL
# No maintainer scripts: nothing to migrate, and removal must never touch user data.

# Normalised modes and times: the same commit gives the same archive.
chmod -R u+rwX,go+rX,go-w "$staging"
(cd "$staging" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z \
  | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$staging/DEBIAN/control" "$staging/DEBIAN/md5sums"
find "$staging" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out/artefacts"
deb="$out/artefacts/${package}_${version}_${arch}.deb"
rm -f "$out/artefacts/${package}_"*.deb
dpkg-deb --root-owner-group -Z"$compression" -z"$level" --build "$staging" "$deb" >/dev/null
rm -rf "$staging"
echo "$deb"
