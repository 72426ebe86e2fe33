"""`guichet --self-check`: can this PC run the counter client?

IT runs it after an install, and the packaging tests run it on the frozen bundle. Each check
exercises the real thing the client needs at run time (a plugin is loaded, a QR code is
decoded, a TLS handshake is made), prints one row of a table, and the process exits nonzero
when any row fails. Nothing here writes a secret or talks to any server but the configured
one.

The frozen bundle must never fall back on a library of the PC: a check that passes on the
build machine because a system copy exists would hide a broken installer. So, when frozen,
the ZBar library is loaded from the bundle's own folder and missing bundle files are named.
"""

from __future__ import annotations

import ctypes
import os
import socket
import ssl
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:  # imported when the checks run: `--self-check` starts before the rest
    from desktop.services.settings import Settings

BUNDLE_MANIFEST = "guichet-bundle-manifest.txt"
_QR_TEXT = "GUICHET-SELF-CHECK"
_NETWORK_TIMEOUT_SECONDS = 10.0


class Status(StrEnum):
    OK = "OK"
    FAILED = "ÉCHEC"
    SKIPPED = "IGNORÉ"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str


@dataclass(frozen=True)
class SelfCheckOptions:
    """What the checks need from the client's settings."""

    server_url: str | None = None
    ca_file: Path | None = None
    data_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SelfCheckOptions:
        # The directory the client writes (`--data-dir D` keeps its files in `D/data`).
        return cls(
            server_url=settings.server or None,
            ca_file=settings.ca_file,
            data_dir=settings.paths().data_dir,
        )


class CheckFailedError(Exception):
    """Raised by a check with the sentence that goes into the table."""


class CheckSkippedError(Exception):
    """Raised by a check that does not apply here, with the reason."""


def bundle_dir() -> Path | None:
    """The frozen bundle's library folder, or None when running from sources."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))


# --- Qt -----------------------------------------------------------------------------------


def _ensure_gui_application() -> Any:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        platform = os.environ.get("QT_QPA_PLATFORM") or (
            "xcb" if _display_reachable() else "offscreen"
        )
        _require_platform_plugin(platform)
        # Qt aborts the process when the platform cannot start: only start one that loaded.
        app = QGuiApplication(["guichet-self-check", "-platform", platform])
    return app


def _platform_plugin_path(platform: str) -> Path:
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = {"win32": f"q{platform}.dll", "darwin": f"libq{platform}.dylib"}
    return plugins / names.get(sys.platform, f"libq{platform}.so")


def _require_platform_plugin(platform: str) -> str:
    from PySide6.QtCore import QPluginLoader

    path = _platform_plugin_path(platform)
    if not path.exists():
        raise CheckFailedError(f"greffon absent : {path}")
    loader = QPluginLoader(str(path))
    if not loader.load():
        raise CheckFailedError(loader.errorString())
    return path.name


def _display_reachable() -> bool:
    display = os.environ.get("DISPLAY", "")
    if sys.platform != "linux" or not display:
        return False
    number = display.rsplit(":", 1)[-1].split(".")[0]
    if display.startswith(":") and number.isdigit():
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(f"/tmp/.X11-unix/X{number}")  # noqa: S108 (X11's fixed socket path)
        except OSError:
            return False
        finally:
            sock.close()
    return True


def check_qt_offscreen() -> str:
    return _require_platform_plugin("offscreen") + " chargé"


def check_qt_display() -> str:
    if sys.platform != "linux":
        raise CheckSkippedError("hors Linux : greffon natif chargé par Qt")
    if not os.environ.get("DISPLAY"):
        raise CheckSkippedError("DISPLAY non défini")
    loaded = _require_platform_plugin("xcb")
    if not _display_reachable():
        raise CheckFailedError(
            f"{loaded} chargé mais l'écran {os.environ['DISPLAY']} ne répond pas"
        )
    return f"{loaded} chargé, écran {os.environ['DISPLAY']}"


def check_qt_application() -> str:
    app = _ensure_gui_application()
    return f"plate-forme « {app.platformName()} »"


def _round_trip(image: Any, fmt: bytes) -> bool:
    """Writes then reads `image` through Qt's plugin for `fmt`, in memory."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not QImageWriter(buffer, QByteArray(fmt)).write(image):
        return False
    buffer.close()
    return _read(data, fmt)


def _read(data: Any, fmt: bytes) -> bool:
    # QImageReader with an explicit format: QImage.fromData(data, format) rejects its own
    # documented `bytes` format argument in PySide6 6.12.
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageReader

    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return not QImageReader(buffer, QByteArray(fmt)).read().isNull()


def check_image_formats() -> str:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QImageReader

    _ensure_gui_application()
    supported = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "jpeg", "svg"} - supported
    if missing:
        raise CheckFailedError("formats absents : " + ", ".join(sorted(missing)))
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for fmt in (b"PNG", b"JPEG"):
        if not _round_trip(image, fmt):
            raise CheckFailedError(f"{fmt.decode()} : écriture ou relecture impossible")
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
        b'<rect width="4" height="4"/></svg>'
    )
    if not _read(QByteArray(svg), b"svg"):
        raise CheckFailedError("SVG : rendu impossible")
    return "PNG, JPEG, SVG lus et écrits"


def check_signal_references() -> str:
    """PySide6 6.12.0 drops a reference to True on every emit and the process then aborts
    after a few hundred signals (docs/decisions.md): refuse such a binding."""
    import sys

    from PySide6 import __version__
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    probe.fired.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.fired.emit()
    if sys.getrefcount(True) < before:
        raise CheckFailedError(f"PySide6 {__version__} perd des références : version exclue")
    return f"PySide6 {__version__} sans fuite de références"


# --- Camera and codes ---------------------------------------------------------------------

_CAMERA_BACKENDS = {"linux": {"V4L2"}, "win32": {"MSMF", "DSHOW"}, "darwin": {"AVFOUNDATION"}}


def check_opencv() -> str:
    import cv2

    names = {cv2.videoio_registry.getBackendName(b) for b in cv2.videoio_registry.getBackends()}
    wanted = _CAMERA_BACKENDS.get(sys.platform, set())
    listing = ", ".join(sorted(names))
    if wanted and not names & wanted:
        raise CheckFailedError(f"aucun accès caméra ({'/'.join(sorted(wanted))}) : {listing}")
    return f"OpenCV {cv2.__version__} : {listing}"


def _generated_qr() -> Any:
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(_QR_TEXT, zxingcpp.BarcodeFormat.QRCode)
    return np.ascontiguousarray(np.array(barcode.to_image(scale=4)), dtype=np.uint8)


def check_zxing() -> str:
    import zxingcpp

    results = zxingcpp.read_barcodes(_generated_qr())
    if not results or results[0].text != _QR_TEXT:
        raise CheckFailedError("le QR généré n'est pas relu")
    return f"zxing-cpp {getattr(zxingcpp, '__version__', '')} : QR généré et relu".replace(
        "  ", " "
    )


def _load_bundled_zbar() -> str:
    """Makes pyzbar use the bundle's libzbar, never a copy of the PC; returns its path."""
    from pyzbar import zbar_library

    folder = bundle_dir()
    if folder is None:
        return "bibliothèque du système"
    name = {"win32": "libzbar-64.dll", "darwin": "libzbar.0.dylib"}.get(
        sys.platform, "libzbar.so.0"
    )
    path = folder / name
    if sys.platform == "win32":
        return str(path)  # the wheel ships the DLL; pyzbar finds it beside itself
    if not path.exists():
        raise CheckFailedError(f"{name} absent du paquet ({folder})")
    try:
        library = ctypes.cdll.LoadLibrary(str(path))
    except OSError as error:
        raise CheckFailedError(f"{name} : {error}") from error
    zbar_library.load = lambda: (library, [])
    return str(path)


def check_pyzbar() -> str:
    where = _load_bundled_zbar()
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError) as error:
        raise CheckFailedError(f"libzbar introuvable : {error}") from error
    image = _generated_qr()
    height, width = image.shape
    decoded = pyzbar.decode((image.tobytes(), width, height))
    if not decoded or decoded[0].data.decode() != _QR_TEXT:
        raise CheckFailedError("le QR généré n'est pas relu par ZBar")
    return f"QR relu par ZBar ({where})"


# --- Keyring ------------------------------------------------------------------------------


def check_keyring() -> str:
    """Inspects the chosen backend; never stores, reads or deletes a secret."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    backends = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
    usable = [
        b
        for b in backends
        if not isinstance(b, fail.Keyring)
        and type(b).__module__ != "keyring.backends.null"
        and float(getattr(b, "priority", 0)) > 0
    ]
    if not usable:
        names = ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in backends)
        raise CheckFailedError(f"aucun coffre utilisable (trouvé : {names or 'aucun'})")
    chosen = usable[0]
    return f"{type(chosen).__module__}.{type(chosen).__name__} (priorité {chosen.priority})"


# --- Server -------------------------------------------------------------------------------


def _server_context(options: SelfCheckOptions) -> ssl.SSLContext:
    if options.ca_file is None:
        return ssl.create_default_context()
    if not options.ca_file.is_file():
        raise CheckFailedError(f"fichier d'autorité absent : {options.ca_file}")
    return ssl.create_default_context(cafile=str(options.ca_file))


def _require_server(options: SelfCheckOptions) -> tuple[str, int]:
    if not options.server_url:
        raise CheckSkippedError("non configuré")
    parts = urlsplit(options.server_url)
    if parts.scheme != "https" or not parts.hostname:
        raise CheckFailedError(f"adresse non HTTPS : {options.server_url}")
    return parts.hostname, parts.port or 443


def check_tls(options: SelfCheckOptions) -> str:
    host, port = _require_server(options)
    context = _server_context(options)
    try:
        with (
            socket.create_connection((host, port), timeout=_NETWORK_TIMEOUT_SECONDS) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            subject = dict(item[0] for item in tls.getpeercert().get("subject", ()))  # type: ignore[union-attr, misc]
            return f"{tls.version()}, certificat « {subject.get('commonName', host)} » vérifié"
    except (OSError, ssl.SSLError) as error:
        raise CheckFailedError(f"{host}:{port} : {error}") from error


def check_health(options: SelfCheckOptions) -> str:
    _require_server(options)
    import httpx

    from procuration.wire import Health

    url = str(options.server_url).rstrip("/") + "/health"
    try:
        response = httpx.get(url, verify=_server_context(options), timeout=_NETWORK_TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise CheckFailedError(f"{url} : {error}") from error
    if response.status_code != 200:
        raise CheckFailedError(f"{url} : HTTP {response.status_code}")
    try:
        Health.model_validate_json(response.content)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise CheckFailedError(f"{url} : réponse inattendue (autre serveur ?)") from error
    return f"{url} : HTTP 200"


# --- Local files --------------------------------------------------------------------------


def client_data_dir(data_dir: Path | None) -> Path:
    """The folder the client keeps its records in (device.json, outbox, trust list), as the
    client itself computes it from `--data-dir`: below it (`D/data`), or the OS's."""
    from desktop.services.paths import Paths

    return Paths.for_user(data_dir).data_dir


def check_data_dir(options: SelfCheckOptions) -> str:
    path = options.data_dir if options.data_dir is not None else client_data_dir(None)
    created = not path.exists()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if os.name == "posix":
        if info.st_uid != os.getuid():
            raise CheckFailedError(f"{path} appartient à l'uid {info.st_uid}, pas {os.getuid()}")
        if info.st_mode & 0o077:
            mode = stat.filemode(info.st_mode)
            raise CheckFailedError(f"{path} ouvert aux autres ({mode}) : chmod 700")
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".self-check-"):
            pass
    except OSError as error:
        raise CheckFailedError(f"{path} non inscriptible : {error}") from error
    return f"{path} ({'créé, ' if created else ''}propriétaire seul, inscriptible)"


def check_bundle_files() -> str:
    """Names any file the installer put in the bundle that is gone since."""
    folder = bundle_dir()
    if folder is None:
        raise CheckSkippedError("exécution depuis les sources")
    manifest = folder / BUNDLE_MANIFEST
    if not manifest.is_file():
        raise CheckFailedError(f"inventaire absent : {manifest}")
    expected = [line for line in manifest.read_text().splitlines() if line]
    missing = [name for name in expected if not (folder / name).exists()]
    if missing:
        raise CheckFailedError("fichiers manquants : " + ", ".join(missing[:5]))
    return f"{len(expected)} bibliothèques présentes"


# --- Running and reporting ----------------------------------------------------------------


def _checks(options: SelfCheckOptions) -> list[tuple[str, Callable[[], str]]]:
    return [
        ("Fichiers du paquet", check_bundle_files),
        ("Qt : greffon offscreen", check_qt_offscreen),
        ("Qt : greffon xcb (écran)", check_qt_display),
        ("Qt : application", check_qt_application),
        ("Qt : formats d'image", check_image_formats),
        ("Qt : liaison PySide6", check_signal_references),
        ("OpenCV : caméra", check_opencv),
        ("zxing-cpp", check_zxing),
        ("pyzbar + ZBar", check_pyzbar),
        ("Coffre de secrets", check_keyring),
        ("Serveur : TLS", lambda: check_tls(options)),
        ("Serveur : /health", lambda: check_health(options)),
        ("Dossier de données", lambda: check_data_dir(options)),
    ]


def _run_one(name: str, check: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, Status.OK, check())
    except CheckSkippedError as reason:
        return CheckResult(name, Status.SKIPPED, str(reason))
    except CheckFailedError as error:
        return CheckResult(name, Status.FAILED, str(error))
    except Exception as error:  # any failure of a check is a row, never a crash
        return CheckResult(name, Status.FAILED, f"{type(error).__name__} : {error}")


def format_table(results: Sequence[CheckResult]) -> str:
    rows = [
        ("Vérification", "Résultat", "Détail"),
        *((r.name, r.status, r.detail) for r in results),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in rows]
    lines.insert(1, "-" * widths[0] + "  " + "-" * widths[1] + "  " + "-" * 6)
    return "\n".join(lines)


def run_self_check(settings: Settings, out: TextIO | None = None) -> int:
    """Runs every check, prints the table; returns 0 when none failed, 1 otherwise."""
    stream = out if out is not None else sys.stdout
    options = SelfCheckOptions.from_settings(settings)
    results = [_run_one(name, check) for name, check in _checks(options)]
    failed = [r.name for r in results if r.status is Status.FAILED]
    print(format_table(results), file=stream)
    summary = f"{len(failed)} échec(s) : " + ", ".join(failed) if failed else "tout est en ordre"
    print(f"\nAuto-vérification : {summary}", file=stream, flush=True)
    return 1 if failed else 0


def _settings(argv: Sequence[str]) -> Settings:
    """The client's own settings (file, environment, command line)."""
    from desktop.services.settings import load_settings

    return load_settings([a for a in argv if a != "--self-check"])


def main(argv: Sequence[str] | None = None) -> int:
    """`guichet --self-check` before the GUI starts, or `python -m desktop.selfcheck`."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = _settings(arguments)
    except Exception as error:  # an unreadable settings file is itself a finding
        print(f"guichet : réglages illisibles : {error}", file=sys.stderr)
        return 2
    return run_self_check(settings)


if __name__ == "__main__":
    sys.exit(main())
