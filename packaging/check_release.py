"""Checks that every index listed in a repository's (signed) Release has the stated SHA256.

apt does the same before it trusts a Packages file; this lets IT check a mirror offline.
"""

import hashlib
import sys
from pathlib import Path


def main(dist: Path) -> int:
    release = (dist / "Release").read_text()
    if (dist / "InRelease").exists() and release not in (dist / "InRelease").read_text():
        print("Release and InRelease disagree")
        return 1
    in_sha256 = False
    bad = 0
    for line in release.splitlines():
        if not line.startswith(" "):
            in_sha256 = line.startswith("SHA256:")
            continue
        if in_sha256:
            digest, size, name = line.split()
            path = dist / name
            if path.exists() and (
                path.stat().st_size != int(size)
                or hashlib.sha256(path.read_bytes()).hexdigest() != digest
            ):
                print(f"{name}: hash mismatch")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
