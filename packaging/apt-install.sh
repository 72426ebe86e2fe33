#!/usr/bin/env bash
# Installs (or upgrades) guichet-maprocuration from a signed apt repository, trusting only
# that repository's key (signed-by), without touching the machine's other sources:
#   packaging/apt-install.sh [REPO_URI] [KEYRING]      (as root)
# Defaults: the repository and key of the last local build (file:build/packaging/repo).
# IT deploys the same two lines permanently, see README ("Linux: deploy").
# APT_STATE=DIR keeps apt's lists/cache for this source under DIR (default: a temp dir).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
repo="${1:-file:$out/repo}"
keyring="$(realpath "${2:-$out/keys/guichet-archive-keyring.gpg}")"
package="${PACKAGE:-guichet-maprocuration}"
state="${APT_STATE:-$(mktemp -d)}"
mkdir -p "$state/sources.list.d" "$state/lists/partial" "$state/archives/partial" "$state/cache"
cat > "$state/sources.list.d/guichet.sources" <<SOURCES
Types: deb
URIs: $repo
Suites: stable
Components: main
Signed-By: $keyring
SOURCES
# Only this source; lists, package caches and downloaded .debs kept apart from the
# system's (only the install itself changes the machine). apt still verifies InRelease
# against Signed-By and each .deb against the signed indexes.
apt_options=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$state/sources.list.d"
  -o "Dir::State::Lists=$state/lists"
  -o "Dir::Cache=$state/cache"
  -o "Dir::Cache::Archives=$state/archives"
  -o "APT::Sandbox::User=root"
)
export DEBIAN_FRONTEND=noninteractive
apt-get "${apt_options[@]}" -o APT::Update::Error-Mode=any update
apt-get "${apt_options[@]}" install -y --no-install-recommends --reinstall "$package"
