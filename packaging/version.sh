#!/usr/bin/env bash
# The package version: pyproject's version + the commit (date and hash), so that two builds
# of one commit carry one version and later commits sort after earlier ones.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="$(python3 -c 'import sys,tomllib;print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$root/pyproject.toml")"
if git -C "$root" rev-parse --verify -q HEAD >/dev/null; then
  stamp="$(TZ=UTC git -C "$root" log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd)"
  echo "$base+git$stamp.$(git -C "$root" rev-parse --short=8 HEAD)"
else
  echo "$base"
fi
