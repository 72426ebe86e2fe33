"""Where the client keeps its files: one place, relocated as a whole by `--data-dir`.

Without `--data-dir` the OS conventions apply (platformdirs); with it, everything (config,
data, cache, logs, the demo vault) lives below that directory, which is what the tests and
the demo rely on. Directories are created owner-only: the outbox holds signed validations
and the log holds references, neither of which other users of a shared PC should read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.services.errors import StorageError

APP_NAME = "guichet-maprocuration"
_DIR_MODE = 0o700
_FILE_MODE = 0o600


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @classmethod
    def for_user(cls, base: Path | None = None) -> Paths:
        """The OS locations, or everything below `base` when given."""
        if base is not None:
            base = base.expanduser().resolve()
            return cls(base / "config", base / "data", base / "cache", base / "log")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def device_file(self) -> Path:
        return self.data_dir / "device.json"

    @property
    def outbox_file(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def trust_file(self) -> Path:
        # In data, not cache: offline QR checks depend on it, and an OS cache cleaner must
        # not silently switch the counter to "no offline checks".
        return self.data_dir / "trust.json"

    @property
    def demo_vault_file(self) -> Path:
        return self.data_dir / "demo-vault.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "guichet.log"

    def ensure(self) -> Paths:
        """Creates every directory, owner-only; StorageError when that is impossible."""
        for directory in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            make_private_dir(directory)
        return self


def make_private_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        if os.name == "posix":
            directory.chmod(_DIR_MODE)
    except OSError as exc:
        raise StorageError(f"cannot create {directory}: {exc.strerror}") from exc


def write_private_file(path: Path, data: bytes) -> None:
    """Atomic, durable, owner-only write: a crash leaves the old file or the new one."""
    make_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise StorageError(f"cannot write {path.name}: {exc.strerror}") from exc
