"""The installer as IT gets it: build, sign, publish, apt install, self-check, tamper.

One build is shared by the whole module (session fixture, about 3-5 minutes on 2 cores);
then the client is installed on this machine from the signed apt repository, exactly as a
station PC would get it: into /opt/guichet and /usr, purged at the end. So the module runs
only when asked, by `make test-package` (GUICHET_PACKAGING_TESTS=1), which CI runs
(.ci/run); `make test` skips it in one line. Needs root and Debian's apt; the packaging
tools are installed by packaging/install-tools.sh. It replaces and then purges an
installed guichet-maprocuration: do not run it on a station PC.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
PACKAGE = "guichet-maprocuration"
INSTALLED_LIB_DIR = Path("/opt/guichet/_internal")

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1500)]


def _skip_reason() -> str | None:
    if os.environ.get("GUICHET_PACKAGING_TESTS") != "1":
        return "installs the client on this machine: run by `make test-package` (CI does)"
    if not shutil.which("apt-get") or not shutil.which("dpkg"):
        return "packaging tests need a Debian system (apt-get, dpkg)"
    if os.geteuid() != 0:
        return "packaging tests install the .deb with apt: run them as root (CI does)"
    return None


if (_reason := _skip_reason()) is not None:
    pytest.skip(_reason, allow_module_level=True)


@dataclass(frozen=True)
class Build:
    out: Path

    @property
    def artefacts(self) -> Path:
        return self.out / "artefacts"

    @property
    def repo(self) -> Path:
        return self.out / "repo"

    @property
    def keys(self) -> Path:
        return self.out / "keys"

    def one(self, pattern: str) -> Path:
        (found,) = self.artefacts.glob(pattern)
        return found


def run(
    *command: str | Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in command],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{command} exited {result.returncode}\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def ar_member(archive: Path, member: str) -> str:
    content = subprocess.run(["ar", "p", archive, member], capture_output=True, check=True)
    return hashlib.sha256(content.stdout).hexdigest()


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture(scope="session")
def build() -> Build:
    # Under the git-ignored build/, not pytest's temporary folders, which another pytest
    # run on the same machine may prune while this ~1 GB build is in use.
    out = ROOT / "build" / "packaging-test"
    shutil.rmtree(out, ignore_errors=True)
    run("bash", PACKAGING / "package.sh", env={"OUT": str(out), "DEB_COMPRESSION": "zstd"})
    return Build(out)


@pytest.fixture(scope="session")
def installed(build: Build) -> Iterator[Build]:
    run("bash", PACKAGING / "apt-install.sh", env={"OUT": str(build.out)})
    yield build
    run("dpkg", "--purge", PACKAGE, check=False)


def self_check(
    tmp_path: Path, *, xvfb: bool = False, guichet: str = "/usr/bin/guichet"
) -> subprocess.CompletedProcess[str]:
    env = {"GUICHET": guichet}
    command: list[str | Path] = ["bash", PACKAGING / "selfcheck-installed.sh"]
    command += ["--data-dir", str(tmp_path / "data")]
    if xvfb:
        command = ["xvfb-run", "-a", *command]
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}
    }
    return subprocess.run(
        [str(c) for c in command],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_every_signature_and_hash_verifies(build: Build) -> None:
    result = run("bash", PACKAGING / "verify.sh", build.artefacts, build.repo, build.keys)
    assert "all signatures and hashes verified" in result.stdout
    passed = [line for line in result.stdout.splitlines() if line.startswith("OK ")]
    for check in (
        "SHA256SUMS signature",
        "debsig-verify",
        "InRelease",
        "Release.gpg",
        "Authenticode",
    ):
        assert any(check in line for line in passed), check


def test_the_deb_declares_what_it_installs_and_needs(build: Build) -> None:
    deb = build.one("*.deb")
    fields = run("dpkg-deb", "--field", deb, "Depends").stdout
    assert "libc6 (>=" in fields and "libxcb1" in fields
    assert "libzbar0" not in fields  # bundled, not taken from the PC
    listing = run("dpkg-deb", "--contents", deb).stdout
    for path in (
        "./opt/guichet/guichet",
        "./opt/guichet/_internal/libzbar.so.0",
        "./usr/bin/guichet",
        "./usr/share/applications/fr.interieur.guichet-maprocuration.desktop",
        "./usr/share/metainfo/fr.interieur.guichet-maprocuration.metainfo.xml",
        "./usr/share/icons/hicolor/scalable/apps/fr.interieur.guichet-maprocuration.svg",
    ):
        assert path in listing
    assert " root/root " in listing and "opencv_python_headless" in listing
    assert "opencv_python-" not in listing  # never the GUI wheel with its own Qt


def test_sbom_lists_python_packages_and_copied_system_libraries(build: Build) -> None:
    sbom = (build.artefacts / "guichet.cdx.json").read_text()
    for purl in ("pkg:pypi/pyside6-essentials@", "pkg:pypi/pyzbar@", "pkg:deb/debian/libzbar0@"):
        assert purl in sbom
    assert "pkg:pypi/pyinstaller" not in sbom  # build tools are not shipped
    licences = (build.artefacts / "licences.tsv").read_text()
    assert "debian\tlibzbar0\t" in licences and "LGPL" in licences


def test_installed_client_passes_its_self_check_offscreen(installed: Build, tmp_path: Path) -> None:
    result = self_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tout est en ordre" in result.stdout
    assert "Qt : application          OK        plate-forme « offscreen »" in result.stdout


def test_installed_client_passes_its_self_check_under_xvfb(
    installed: Build, tmp_path: Path
) -> None:
    result = self_check(tmp_path, xvfb=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "libqxcb.so chargé" in result.stdout


def test_self_check_names_a_removed_bundled_library(installed: Build, tmp_path: Path) -> None:
    victim = INSTALLED_LIB_DIR / "libzbar.so.0"
    real = victim.resolve()
    kept = tmp_path / real.name
    shutil.move(real, kept)
    try:
        result = self_check(tmp_path)
    finally:
        shutil.move(kept, real)
    assert result.returncode != 0
    assert "ÉCHEC" in result.stdout and real.name in result.stdout
    assert self_check(tmp_path).returncode == 0  # restored


def test_removing_the_package_leaves_user_data(installed: Build, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert self_check(tmp_path).returncode == 0
    marker = data / "outbox.sqlite3"
    marker.write_text("queued validations")
    run("apt-get", "remove", "-y", PACKAGE, env={"DEBIAN_FRONTEND": "noninteractive"})
    try:
        assert not Path("/usr/bin/guichet").exists()
        assert marker.read_text() == "queued validations"
    finally:
        run("bash", PACKAGING / "apt-install.sh", env={"OUT": str(installed.out)})


def test_a_flipped_byte_in_the_deb_fails_debsig_verify(build: Build, tmp_path: Path) -> None:
    tampered = tmp_path / build.one("*.deb").name
    shutil.copy(build.one("*.deb"), tampered)
    flip_byte(tampered, tampered.stat().st_size // 2)
    result = run(
        "bash", PACKAGING / "verify.sh", tmp_path, tmp_path / "none", build.keys, check=False
    )
    assert result.returncode != 0
    assert f"FAILED debsig-verify {tampered.name}" in result.stdout


def test_a_flipped_byte_in_the_msi_fails_authenticode(build: Build, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.msi"
    shutil.copy(build.one("*.msi"), tampered)
    flip_byte(tampered, tampered.stat().st_size // 3)
    result = run(
        "osslsigncode", "verify", "-CAfile", build.keys / "msi-test-ca.pem", "-in", tampered,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0


def test_apt_refuses_a_repository_with_a_tampered_inrelease(build: Build, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(build.repo, repo)
    in_release = repo / "dists" / "stable" / "InRelease"
    text = in_release.read_bytes()
    flip_byte(in_release, text.index(b"SHA256:") + 20)  # inside the signed text
    assert run("gpgv", "--keyring", build.keys / "guichet-archive-keyring.gpg", in_release,
               check=False).returncode != 0  # fmt: skip
    result = run(
        "bash", PACKAGING / "apt-install.sh", f"file:{repo}",
        build.keys / "guichet-archive-keyring.gpg",
        env={"APT_STATE": str(tmp_path / "apt"), "PACKAGE": PACKAGE},
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "signature" in (result.stdout + result.stderr).lower()


def test_two_builds_of_one_commit_give_the_same_deb(build: Build, tmp_path: Path) -> None:
    reference = build.out / "unsigned.deb"
    result = run(
        "bash", PACKAGING / "repro-check.sh",
        env={
            "REFERENCE_DEB": str(reference),
            "REPRO_OUT": str(build.out.parent / "packaging-repro"),
            "SOURCE_SNAPSHOT": str(build.out / "src"),
        },
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_signature_is_the_only_difference_from_the_unsigned_deb(build: Build) -> None:
    published, unsigned = build.one("*.deb"), build.out / "unsigned.deb"
    assert run("ar", "t", published).stdout.split() == [
        *run("ar", "t", unsigned).stdout.split(),
        "_gpgorigin",
    ]
    for member in run("ar", "t", unsigned).stdout.split():
        assert ar_member(published, member) == ar_member(unsigned, member), member
