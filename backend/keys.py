"""The backend's signing keys: issuer (request QR codes) and journal (checkpoints).

Generated on first start into data_dir/keys (directory 0700, files 0600), or loaded from
configured paths. A key loaded with looser permissions is refused: anyone who can read it
can forge QR codes or checkpoints.

A key's validity is stored beside it (`<key>.validity.json`: kid, valid_from, valid_until),
written when the key is made or first loaded. It used to be derived from the file's
modification time, which a copy, a restore from backup or a `touch` silently moved.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.config import Settings
from backend.errors import AppError
from procuration import keys as core_keys
from procuration import timeutil
from procuration.wire import ProblemCode

KEY_VALIDITY = timedelta(days=2 * 365)


class KeyFileError(AppError):
    """A key file the backend cannot read or write: an operator's problem, raised at start
    (a client that meets it anyway gets the generic `internal` problem)."""

    code, status, title = ProblemCode.INTERNAL, 500, "Signing key unusable"


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    kid: str
    valid_from: datetime
    valid_until: datetime


@dataclass(frozen=True)
class KeyRing:
    issuer: SigningKey
    journal: SigningKey


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    _write_private(path, core_keys.private_key_to_pem(core_keys.generate_private_key()))


def _write_private(path: Path, content: bytes) -> None:
    """Owner-only; O_EXCL: two processes starting at once must not overwrite each other's
    file (the loser reads the winner's)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _load(path: Path) -> SigningKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    try:
        private = core_keys.private_key_from_pem(path.read_bytes())
    except ValueError as exc:
        raise KeyFileError(f"{path} is not an Ed25519 private key") from exc
    kid = core_keys.kid_of(private)
    valid_from, valid_until = _validity(validity_path(path), kid)
    return SigningKey(private, kid, valid_from, valid_until)


def validity_path(key_path: Path) -> Path:
    return key_path.with_name(f"{key_path.name}.validity.json")


def _validity(path: Path, kid: str) -> tuple[datetime, datetime]:
    """The stored validity of key `kid`; recorded now (from today) when there is none."""
    if not path.exists():
        born = timeutil.now()
        record = {
            "kid": kid,
            "valid_from": timeutil.to_wire(born),
            "valid_until": timeutil.to_wire(born + KEY_VALIDITY),
        }
        try:
            _write_private(path, json.dumps(record, indent=1).encode())
        except OSError as exc:
            raise KeyFileError(f"cannot record the key's validity in {path}: {exc}") from exc
    try:
        record = json.loads(path.read_text("utf-8"))
        stored_kid = record["kid"]
        valid = timeutil.from_wire(record["valid_from"]), timeutil.from_wire(record["valid_until"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"{path} is not a key validity record") from exc
    if stored_kid != kid:
        raise KeyFileError(f"{path} records the validity of another key ({stored_kid})")
    return valid


def _key(configured: Path | None, default: Path) -> SigningKey:
    if configured is not None:
        if not configured.is_file():
            raise KeyFileError(f"configured key not found: {configured}")
        return _load(configured)
    if not default.exists():
        _write_new_key(default)
    return _load(default)


def load_keys(settings: Settings) -> KeyRing:
    directory = settings.data_dir / "keys"
    return KeyRing(
        issuer=_key(settings.issuer_key_path, directory / "issuer.pem"),
        journal=_key(settings.journal_key_path, directory / "journal.pem"),
    )
