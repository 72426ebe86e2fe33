#!/usr/bin/env bash
# The portals' front-end assets (backend/web): the State design system (@gouvfr/dsfr) from
# the npm registry at the version package-lock.json pins, copied into the backend package so
# that the wheel ships it; axe-core stays in node_modules for the browser tests.
# DSFR_ACCEPT_LICENSE=1: running this accepts the DSFR's terms of use (see docs/decisions.md).
set -euo pipefail
cd "$(dirname "$0")/.."
target=backend/web/static/dsfr
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  DSFR_ACCEPT_LICENSE=1 npm ci --no-audit --no-fund --loglevel=error
fi
dist=node_modules/@gouvfr/dsfr/dist
rm -rf "$target"
mkdir -p "$target/utility"
cp "$dist"/dsfr.min.css "$dist"/dsfr.module.min.js "$dist"/dsfr.nomodule.min.js "$target/"
cp -r "$dist"/fonts "$dist"/icons "$dist"/favicon "$target/"
cp "$dist"/utility/utility.min.css "$target/utility/"
cp node_modules/@gouvfr/dsfr/LICENSE.md "$target/LICENSE.md"
