"""What the frozen bundle needs from the system, and what it carries (SBOM, licences).

    python3 packaging/bundle_inventory.py depends BUNDLE_DIR
        -> the Debian `Depends:` line for the shared libraries the bundle still loads
           from the system (its ELF files' NEEDED entries that are not bundled).
    python3 packaging/bundle_inventory.py sbom BUNDLE_DIR SOURCES_JSON PY_SBOM VENV_PY OUT_DIR
        -> OUT_DIR/guichet.cdx.json (CycloneDX: the Python packages of the runtime closure
           from cyclonedx-py, plus every system library PyInstaller copied in, traced to its
           Debian package with dpkg -S) and OUT_DIR/licences.tsv.

Standard library only: runs with the system python3 as well as in the build venv.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

APP = "guichet-maprocuration"
RUNTIME_ROOTS = [
    "pydantic", "cryptography", "rfc8785", "PySide6-Essentials", "PySide6-Addons", "httpx",
    "keyring", "opencv-python-headless", "zxing-cpp", "pyzbar", "platformdirs", "numpy",
]  # fmt: skip


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_and_glibc(files: list[Path]) -> tuple[set[str], tuple[int, ...]]:
    needed: set[str] = set()
    glibc: tuple[int, ...] = (2, 17)
    for batch in range(0, len(files), 200):
        chunk = [str(f) for f in files[batch : batch + 200]]
        needed |= set(re.findall(r"^\s+NEEDED\s+(\S+)", run("objdump", "-p", *chunk), re.M))
        for version in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", run("objdump", "-T", *chunk)):
            glibc = max(glibc, tuple(int(p) for p in version.split(".")))
    return needed, glibc


def ldconfig_paths() -> dict[str, str]:
    paths: dict[str, str] = {}
    for line in run("/sbin/ldconfig", "-p").splitlines():
        match = re.match(r"\s+(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("x86-64" in match[2] or "AArch64" in match[2] or "64bit" in match[2]):
            paths.setdefault(match[1], match[3])
    return paths


def _aliases(path: str) -> list[str]:
    """The path, its target, and their merged-/usr twins (dpkg knows only one of them)."""
    candidates = {path, str(Path(path).resolve())}
    for candidate in list(candidates):
        if candidate.startswith("/usr/lib/"):
            candidates.add(candidate.removeprefix("/usr"))
        elif candidate.startswith("/lib/"):
            candidates.add("/usr" + candidate)
    return sorted(candidates)


def debian_packages(paths: list[str]) -> dict[str, tuple[str, str]]:
    """{path: (package, version)} for the paths some installed package owns; one dpkg call."""
    queries = sorted({alias for path in paths for alias in _aliases(path)})
    owners: dict[str, str] = {}
    if queries:
        # dpkg -S exits 1 when any path is unowned; the owned ones are still printed.
        result = subprocess.run(  # noqa: S603
            ["dpkg", "-S", *queries],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        for line in result.stdout.splitlines():
            package, _, owned = line.partition(": ")
            owners[owned.strip()] = package.split(",")[0].split(":")[0].strip()
    versions: dict[str, str] = {}
    found: dict[str, tuple[str, str]] = {}
    for path in paths:
        package = next((owners[a] for a in _aliases(path) if a in owners), None)
        if package is None:
            continue
        if package not in versions:
            versions[package] = run("dpkg-query", "-W", "-f=${Version}", package).strip()
        found[path] = (package, versions[package])
    return found


def depends(bundle: Path) -> str:
    files = elf_files(bundle)
    bundled = {p.name for p in bundle.rglob("*")}
    needed, glibc = needed_and_glibc(files)
    system = ldconfig_paths()
    packages: set[str] = set()
    unresolved = []
    wanted = {soname: system.get(soname) for soname in sorted(needed - bundled)}
    owners = debian_packages([path for path in wanted.values() if path])
    for soname, path in wanted.items():
        owner = owners.get(path) if path else None
        if owner is None:
            unresolved.append(soname)
        else:
            packages.add(owner[0])
    if unresolved:
        # Only optional Qt plugins (e.g. other platforms) may need libraries absent here.
        print("not on this system (optional plugins): " + ", ".join(unresolved), file=sys.stderr)
    packages.discard("libc6")
    return ", ".join([f"libc6 (>= {'.'.join(map(str, glibc))})", *sorted(packages)])


def runtime_closure(venv_python: str) -> set[str]:
    code = (
        "import json,re,sys\nfrom importlib import metadata as m\n"
        "seen=set();todo=[n.lower() for n in sys.argv[1:]]\n"
        "norm=lambda n:re.sub(r'[-_.]+','-',n).lower()\n"
        "while todo:\n n=norm(todo.pop())\n if n in seen: continue\n"
        " try: d=m.distribution(n)\n except m.PackageNotFoundError: continue\n seen.add(n)\n"
        " for r in d.requires or []:\n"
        "  name,_,marker=r.partition(';')\n"
        "  if 'extra' in marker: continue\n"
        "  from packaging.markers import Marker\n"
        "  if marker.strip() and not Marker(marker).evaluate(): continue\n"
        "  todo.append(re.split(r'[\\s<>=!~\\[(]',name.strip())[0])\n"
        "print(json.dumps(sorted(seen)))\n"
    )
    return set(json.loads(run(venv_python, "-c", code, *RUNTIME_ROOTS)))


def deb_licence(package: str) -> str:
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    if not copyright_file.exists():
        return "see Debian package"
    text = copyright_file.read_text(errors="replace")
    licences = re.findall(r"^License:\s*(\S.*)$", text, re.M)
    if licences:
        return " AND ".join(dict.fromkeys(lic.strip() for lic in licences))
    # Not machine-readable (DEP-5): name the licence family the text states.
    for phrase, name in (
        ("Lesser General Public", "LGPL"),
        ("Library General Public", "LGPL"),
        ("GNU General Public", "GPL"),
        ("Permission is hereby granted", "MIT-style"),
        ("Redistribution and use in source and binary", "BSD-style"),
    ):
        if phrase in text:
            return f"{name} (see copyright file)"
    return "see copyright file"


def system_components(sources: list[dict[str, str]]) -> list[dict[str, object]]:
    by_package: dict[tuple[str, str], list[str]] = {}
    system = [e for e in sources if e["source"].startswith(("/usr/", "/lib"))]
    owners = debian_packages([e["source"] for e in system])
    for entry in system:
        owner = owners.get(entry["source"])
        key = owner if owner else ("unknown", "")
        by_package.setdefault(key, []).append(entry["bundled_as"])
    components: list[dict[str, object]] = []
    for (package, version), files in sorted(by_package.items()):
        components.append(
            {
                "type": "library",
                "bom-ref": f"deb:{package}@{version}",
                "name": package,
                "version": version,
                "purl": f"pkg:deb/debian/{package}@{version}?arch=amd64",
                # Debian's copyright names are not all SPDX ids: give them as names.
                "licenses": [{"license": {"name": deb_licence(package)}}],
                "properties": [{"name": "guichet:bundled-file", "value": f} for f in files],
            }
        )
    return components


def python_licence(component: dict[str, object]) -> str:
    names = []
    for item in component.get("licenses", []) or []:  # type: ignore[attr-defined]
        lic = item.get("license", {})
        names.append(item.get("expression") or lic.get("id") or lic.get("name") or "?")
    return " / ".join(names) or "?"


def sbom(bundle: Path, sources_json: Path, python_sbom: Path, venv_python: str, out: Path) -> None:
    document = json.loads(python_sbom.read_text())
    closure = runtime_closure(venv_python)
    normal = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    python_components = [c for c in document["components"] if normal(c["name"]) in closure]
    sources = json.loads(sources_json.read_text())
    system = system_components(sources)
    document["components"] = python_components + system
    document["dependencies"] = [
        d
        for d in document.get("dependencies", [])
        if d["ref"] in {c["bom-ref"] for c in python_components}
    ]
    document["metadata"]["component"] = {
        "type": "application",
        "bom-ref": APP,
        "name": APP,
        "version": (bundle / "_internal" / "guichet-version.txt").read_text().strip()
        if (bundle / "_internal" / "guichet-version.txt").exists()
        else "0",
    }
    document.pop("serialNumber", None)  # a random UUID would make the file differ per build
    metadata = document["metadata"]
    metadata.pop("timestamp", None)
    out.mkdir(parents=True, exist_ok=True)
    (out / "guichet.cdx.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    rows = ["kind\tname\tversion\tlicence"]
    rows += [
        f"python\t{c['name']}\t{c.get('version', '')}\t{python_licence(c)}"
        for c in python_components
    ]
    rows += [f"debian\t{c['name']}\t{c['version']}\t{deb_licence(str(c['name']))}" for c in system]
    (out / "licences.tsv").write_text("\n".join(rows) + "\n")


def main(argv: list[str]) -> int:
    if argv[:1] == ["depends"] and len(argv) == 2:
        print(depends(Path(argv[1])))
        return 0
    if argv[:1] == ["sbom"] and len(argv) == 6:
        sbom(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4], Path(argv[5]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
