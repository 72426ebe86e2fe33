"""The portals' one symmetric secret: it seals the session cookies and derives the commune
agents' TOTP secrets. Generated on first use into data_dir/keys/web.key (0600), like the
signing keys (backend/keys.py), so every worker process of a data directory shares it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet

from backend.config import Settings


def _key_path(settings: Settings) -> Path:
    return settings.data_dir / "keys" / "web.key"


def web_key(settings: Settings) -> bytes:
    """The Fernet key (urlsafe base64 of 32 random bytes), created once."""
    path = _key_path(settings)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:  # O_EXCL: two workers starting at once keep the first one's key
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
                handle.flush()
                os.fsync(handle.fileno())
    return path.read_bytes().strip()


def totp_secret(settings: Settings, matricule: str) -> str:
    """The base32 TOTP secret of a commune agent: derived (HMAC-SHA256) from the web key and
    the account, so no table holds it; the administrator hands it over as a QR code."""
    mac = hmac.new(web_key(settings), b"totp:" + matricule.encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:20]).decode("ascii")
