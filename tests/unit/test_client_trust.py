"""The cached trust list: used offline for 48 hours, refused after."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.errors import TrustListError
from desktop.services.trust import TrustStore
from procuration.keys import generate_private_key, kid_of
from procuration.wire import TrustedKey, TrustList
from tests.support.clock import START, FakeClock
from tests.support.fake_backend import trust_list

KEY = generate_private_key()
VALID = {"valid_from": "2026-01-01T00:00:00Z", "valid_until": "2028-01-01T00:00:00Z"}
FETCHED = {"fetched_at": "2026-06-12T09:00:00Z"}


def body(**bounds: str) -> TrustList:
    return trust_list(KEY, **bounds)


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
        forged = TrustedKey(kid="forged", jwk={"kty": "OKP"}, **VALID)
        store.refresh(lambda: TrustList(issuer_keys=[forged], journal_keys=[], **FETCHED))
    assert list(TrustStore(tmp_path / "trust.json", FakeClock(START)).issuer_keys()) == [
        kid_of(KEY)
    ]
