"""Shared by every test directory."""

from __future__ import annotations

import pytest

from desktop.services import credentials
from tests.support.fake_backend import MemoryKeyring


@pytest.fixture(autouse=True)
def _memory_keyring_stands_for_an_os_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client refuses any vault but the OS's (desktop.services.credentials.OS_VAULTS);
    the tests' in-memory fake plays the OS vault."""
    kind = (MemoryKeyring.__module__, MemoryKeyring.__qualname__)
    monkeypatch.setattr(credentials, "OS_VAULTS", credentials.OS_VAULTS | {kind})
