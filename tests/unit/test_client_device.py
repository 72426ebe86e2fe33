"""device.json: read once, refreshed by what this client writes (enrolment, first login)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.api_client import ApiClient
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.device import DeviceStore, Enrolment
from desktop.services.outbox import Outbox
from desktop.services.paths import Paths
from desktop.services.trust import TrustStore
from tests.support.clock import FakeClock
from tests.support.fake_backend import FakeBackend, MemoryKeyring

SERVER = "http://127.0.0.1:8765"


def enrolment(kid: str) -> Enrolment:
    return Enrolment(kid=kid, label="Guichet 1", enrolled_at="2026-06-12T09:00:00Z")


def test_the_record_is_read_once_and_refreshed_by_an_enrolment(tmp_path: Path) -> None:
    path = tmp_path / "device.json"
    store = DeviceStore(path)
    assert store.load() is None
    first = store.add(SERVER, None, enrolment("kid-a"))
    path.write_text("not a record", encoding="utf-8")  # not read again
    assert store.load() == first
    second = store.add(SERVER, None, enrolment("kid-b"))
    assert store.load() == second
    assert [e.kid for e in second.enrolments] == ["kid-a", "kid-b"]
    assert DeviceStore(path).load() == second  # and on disk


def test_lookups_and_connection_checks_do_not_read_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, clock, backend = Paths.for_user(tmp_path).ensure(), FakeClock(), FakeBackend()
    counter = Counter(
        vault=Vault(MemoryKeyring()), outbox=Outbox(paths.outbox_file, clock),
        trust=TrustStore(paths.trust_file, clock), devices=DeviceStore(paths.device_file),
        api_factory=lambda server: ApiClient(server, transport=backend.transport()),
        clock=clock, redact=lambda *values: None,
    )  # fmt: skip
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    counter.login("123456", "s3cret")
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.name == "device.json":
            reads.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    for _ in range(3):
        counter.lookup("7k3-qz9")
        assert counter.check_online()
    assert reads == []
    counter.close()
