"""Prints where the frozen bundle's size goes (largest top-level parts) and its totals.

python -m bench.package_size [build/packaging/dist/guichet]
"""

from __future__ import annotations

import sys
from pathlib import Path


def size(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else "build/packaging/dist/guichet")
    internal = bundle / "_internal"
    if not internal.is_dir():
        print(f"no bundle at {bundle}: run packaging/build-bundle.sh", file=sys.stderr)
        return 1
    parts = sorted(((size(p), p.name) for p in internal.iterdir()), reverse=True)
    total = size(bundle)
    files = sum(1 for f in bundle.rglob("*") if f.is_file())
    print(f"bundle {bundle}: {total / 2**20:.0f} MiB in {files} files")
    for part_size, name in parts[:15]:
        print(f"  {part_size / 2**20:7.1f} MiB  {part_size / total:5.1%}  {name}")
    debs = sorted(bundle.parent.parent.glob("artefacts/*.deb"))
    for deb in debs:
        print(f"deb {deb.name}: {deb.stat().st_size / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
