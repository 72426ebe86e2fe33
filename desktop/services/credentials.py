"""Secrets of the counter PC in the OS vault (keyring): the device's private key, the
officer's session token and their offline login verifier. Never anywhere else.

Fail closed: when keyring has no usable backend (the `fail` or `null` backend, a chainer
with nothing to chain, a vault that errors or does not keep what it was given), the client
refuses to enrol or log in (`VaultUnavailableError`) instead of falling back to a file.

The one exception is the demonstration (`settings.demo`): a bare server or an Xvfb session
has no OS vault, and the demo must still run. `DemoFileVault` keeps the demo's secrets in a
JSON file inside the demo data directory, owner-only. That is acceptable because the only
key it ever holds is enrolled to a demo backend with invented data (an enrolment code of a
real backend is single-use and handed out by IT, never given with demo settings), the mode
is switched on only by explicit demo configuration and is announced in the window title,
and deleting the demo directory removes every trace of it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import keyring
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backend import KeyringBackend
from keyring.backends import chainer
from keyring.compat import properties
from keyring.errors import KeyringError, PasswordDeleteError

from desktop.services.errors import NotEnrolledError, VaultUnavailableError
from desktop.services.paths import write_private_file
from procuration.canonical import b64url, b64url_decode
from procuration.keys import kid_of, private_key_from_raw, private_key_to_raw

log = logging.getLogger(__name__)

SERVICE = "guichet-maprocuration"


# The OS vaults, by (module, class) of keyring's own backends: Secret Service (GNOME Keyring,
# KeePassXC...) directly or through libsecret, the macOS Keychain, the Windows Credential
# Locker. An allowlist, not a blocklist: a backend configured by name (keyrings.alt's
# PlaintextKeyring, an "encrypted" file whose password sits beside it) would otherwise write
# the device's private key in clear on the disk of a PC that may be stolen.
OS_VAULTS = frozenset(
    {
        ("keyring.backends.SecretService", "Keyring"),
        ("keyring.backends.libsecret", "Keyring"),
        ("keyring.backends.macOS", "Keyring"),
        ("keyring.backends.Windows", "WinVaultKeyring"),
    }
)


def is_usable(backend: KeyringBackend) -> bool:
    """True only for an OS vault (exactly one of OS_VAULTS: a subclass may store anywhere),
    the demo vault, or a chainer all of whose backends are usable (a chainer writes to the
    first one that accepts, which could be the plaintext one)."""
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return bool(chained) and all(is_usable(b) for b in chained)
    kind = type(backend)
    return kind is DemoFileVault or (kind.__module__, kind.__qualname__) in OS_VAULTS


class Vault:
    """The device key and session token, stored under names derived from the key id."""

    def __init__(self, backend: KeyringBackend, *, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service
        self.is_demo = isinstance(backend, DemoFileVault)

    @classmethod
    def open(cls, *, demo: bool, demo_file: Path) -> Vault:
        """The OS vault; the demo file vault only when the demo configuration asks for it."""
        if demo:
            log.warning("demonstration mode: secrets kept in the demo data directory")
            return cls(DemoFileVault(demo_file))
        return cls(keyring.get_keyring())

    def check(self) -> None:
        if not is_usable(self._backend):
            raise VaultUnavailableError(f"no usable keyring backend ({self._backend.name})")

    # -- device key -----------------------------------------------------------------------

    def store_device_key(self, key: Ed25519PrivateKey) -> str:
        kid = kid_of(key)
        self._put(f"device-key/{kid}", b64url(private_key_to_raw(key)))
        return kid

    def load_device_key(self, kid: str) -> Ed25519PrivateKey:
        raw = self._get(f"device-key/{kid}")
        if raw is None:
            raise NotEnrolledError("the device key is not in the vault")
        key = private_key_from_raw(b64url_decode(raw))
        if kid_of(key) != kid:
            raise NotEnrolledError("the vault holds another key under this id")
        return key

    def has_device_key(self, kid: str) -> bool:
        try:
            return self._get(f"device-key/{kid}") is not None
        except VaultUnavailableError:
            return False

    def delete_device_key(self, kid: str) -> None:
        self._delete(f"device-key/{kid}")

    # -- session token --------------------------------------------------------------------

    def store_session(self, kid: str, token: str) -> None:
        self._put(f"session/{kid}", token)

    def load_session(self, kid: str) -> str | None:
        return self._get(f"session/{kid}")

    def clear_session(self, kid: str) -> None:
        self._delete(f"session/{kid}")

    # -- offline login verifier (desktop.services.offline) ----------------------------

    def store_offline_profile(self, matricule: str, profile_json: str) -> None:
        self._put(f"offline/{matricule}", profile_json)

    def load_offline_profile(self, matricule: str) -> str | None:
        return self._get(f"offline/{matricule}")

    def clear_offline_profile(self, matricule: str) -> None:
        self._delete(f"offline/{matricule}")

    # -- plumbing -------------------------------------------------------------------------

    def _put(self, name: str, secret: str) -> None:
        self.check()
        try:
            self._backend.set_password(self._service, name, secret)
            kept = self._backend.get_password(self._service, name)
        except (KeyringError, OSError) as exc:
            raise VaultUnavailableError(f"vault refused to store: {type(exc).__name__}") from exc
        # A vault that accepts and forgets (a chainer skipping read-only backends) would
        # lose the device key: read it back before anyone relies on it.
        if kept != secret:
            raise VaultUnavailableError("the vault did not keep the secret")

    def _get(self, name: str) -> str | None:
        self.check()
        try:
            return self._backend.get_password(self._service, name)
        except (KeyringError, OSError) as exc:
            raise VaultUnavailableError(f"vault refused to read: {type(exc).__name__}") from exc

    def _delete(self, name: str) -> None:
        try:
            self._backend.delete_password(self._service, name)
        except PasswordDeleteError:
            pass  # already gone: what was asked
        except (KeyringError, OSError) as exc:
            raise VaultUnavailableError(f"vault refused to delete: {type(exc).__name__}") from exc


class DemoFileVault(KeyringBackend):
    """Demo-only keyring backend: a JSON file, owner-only, in the demo data directory.

    Never discovered by keyring itself (its priority raises), so it can only be used by
    `Vault.open(demo=True)`.
    """

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        raise RuntimeError("the demo vault is never chosen automatically")

    def __init__(self, path: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it untyped
        self._path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise KeyringError("unreadable demo vault") from exc
        return {str(k): str(v) for k, v in data.items()}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}/{username}"] = password
        write_private_file(self._path, json.dumps(data, indent=1).encode("utf-8"))

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("not found")
        write_private_file(self._path, json.dumps(data, indent=1).encode("utf-8"))
