"""The cached trust list: used offline for 48 hours, refused after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.services.errors import TrustListError
from desktop.services.trust import TrustStore
from procuration.keys import generate_private_key, kid_of, public_jwk
from tests.support.clock import START, FakeClock

KEY = generate_private_key()


def body(**extra: Any) -> dict[str, Any]:
    return {"issuer_keys": [{"kid": kid_of(KEY), **public_jwk(KEY), **extra}]}


def test_fresh_list_survives_a_restart_until_48_hours(tmp_path: Path) -> None:
    clock = FakeClock(START)
    TrustStore(tmp_path / "trust.json", clock).refresh(body)
    clock.advance(47 * 3600)
    restarted = TrustStore(tmp_path / "trust.json", clock)
    assert list(restarted.issuer_keys()) == [kid_of(KEY)]
    clock.advance(2 * 3600)
    with pytest.raises(TrustListError) as caught:
        restarted.issuer_keys()
    assert caught.value.code == "trust-stale"


def test_no_list_yet(tmp_path: Path) -> None:
    with pytest.raises(TrustListError) as caught:
        TrustStore(tmp_path / "trust.json", FakeClock(START)).issuer_keys()
    assert caught.value.code == "trust-missing"


def test_expired_keys_are_not_trusted(tmp_path: Path) -> None:
    store = TrustStore(tmp_path / "trust.json", FakeClock(START))
    store.refresh(lambda: body(valid_until="2026-01-01T00:00:00Z"))
    assert store.issuer_keys() == {}


def test_a_malformed_answer_keeps_the_previous_list(tmp_path: Path) -> None:
    store = TrustStore(tmp_path / "trust.json", FakeClock(START))
    store.refresh(body)
    with pytest.raises(TrustListError):
        store.refresh(lambda: {"issuer_keys": [{"kid": "forged", "kty": "OKP"}]})
    assert list(TrustStore(tmp_path / "trust.json", FakeClock(START)).issuer_keys()) == [
        kid_of(KEY)
    ]
