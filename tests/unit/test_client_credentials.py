"""The vault fails closed: no usable OS vault, no secrets kept anywhere."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, Windows, chainer, fail, libsecret, macOS, null

from desktop.services.credentials import Vault, is_usable
from desktop.services.errors import NotEnrolledError, VaultUnavailableError
from procuration.keys import generate_private_key, kid_of
from tests.support.fake_backend import MemoryKeyring


class ForgetfulKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        pass  # accepts and forgets, like a chainer over read-only backends


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), ForgetfulKeyring()])
def test_no_usable_vault_refuses_to_store_the_device_key(backend: object) -> None:
    with pytest.raises(VaultUnavailableError):
        Vault(backend).store_device_key(generate_private_key())  # type: ignore[arg-type]


def test_a_chainer_with_nothing_to_chain_is_not_a_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not is_usable(chainer.ChainerBackend())


def test_device_key_and_session_round_trip() -> None:
    vault = Vault(MemoryKeyring())
    key = generate_private_key()
    kid = vault.store_device_key(key)
    assert kid_of(vault.load_device_key(kid)) == kid
    vault.store_session(kid, "token")
    assert vault.load_session(kid) == "token"
    vault.clear_session(kid)
    assert vault.load_session(kid) is None


def test_a_missing_key_means_not_enrolled() -> None:
    with pytest.raises(NotEnrolledError):
        Vault(MemoryKeyring()).load_device_key("nope")


def test_demo_vault_only_with_demo_settings_and_owner_only(tmp_path: Path) -> None:
    demo_file = tmp_path / "data" / "demo-vault.json"
    vault = Vault.open(demo=True, demo_file=demo_file)
    assert vault.is_demo
    kid = vault.store_device_key(generate_private_key())
    assert vault.has_device_key(kid)
    assert stat.S_IMODE(demo_file.stat().st_mode) == 0o600
    assert not Vault.open(demo=False, demo_file=demo_file).is_demo


class PlaintextFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's PlaintextKeyring: a backend a user can configure by name
    (PYTHON_KEYRING_BACKEND, keyringrc.cfg) that keeps secrets in a file in clear."""

    __module__ = "keyrings.alt.file"
    __qualname__ = "PlaintextKeyring"


def _os_vault(kind: type[KeyringBackend]) -> KeyringBackend:
    """An instance of a real OS vault class without its platform (never called here)."""
    return object.__new__(kind)


def test_a_configured_plaintext_backend_never_receives_the_device_key() -> None:
    backend = PlaintextFileKeyring()
    with pytest.raises(VaultUnavailableError):
        Vault(backend).store_device_key(generate_private_key())
    assert backend.secrets == {}


@pytest.mark.parametrize(
    "kind",
    [SecretService.Keyring, libsecret.Keyring, macOS.Keyring, Windows.WinVaultKeyring],
)
def test_the_os_vaults_are_usable(kind: type[KeyringBackend]) -> None:
    assert is_usable(_os_vault(kind))


def test_a_subclass_of_an_os_vault_is_not_one() -> None:
    class Lookalike(SecretService.Keyring):
        pass

    assert not is_usable(_os_vault(Lookalike))


def test_a_chainer_is_usable_only_when_every_backend_it_chains_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret_service = _os_vault(SecretService.Keyring)
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [secret_service])
    assert is_usable(chainer.ChainerBackend())
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", [PlaintextFileKeyring(), secret_service]
    )
    assert not is_usable(chainer.ChainerBackend())
