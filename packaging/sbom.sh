#!/usr/bin/env bash
# SBOM (CycloneDX JSON) and licence inventory of the frozen bundle, into $OUT/artefacts:
# guichet.cdx.json and licences.tsv. Python packages come from cyclonedx-py (build venv,
# restricted to the client's runtime closure); system libraries PyInstaller copied in are
# traced to their Debian package and version with dpkg -S.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
venv="$(bash "$root/packaging/build-venv.sh")"
mkdir -p "$out/artefacts"
"$venv/bin/cyclonedx-py" environment --of JSON --sv 1.6 --output-reproducible \
  -o "$out/python-env.cdx.json" "$venv/bin/python"
python3 "$root/packaging/bundle_inventory.py" sbom "$out/dist/guichet" \
  "$out/dist/guichet-bundle-sources.json" "$out/python-env.cdx.json" "$venv/bin/python" \
  "$out/artefacts"
echo "$out/artefacts/guichet.cdx.json"
