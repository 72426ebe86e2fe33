"""The outbox: ordering, backoff, Retry-After, definitive failures, and surviving kills."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from desktop.services.errors import NetworkError, ServerError
from desktop.services.outbox import Outbox, OutboxState, Signed
from tests.support.clock import START, FakeClock


def signer(reference: str = "7K3QZ9") -> Any:
    def sign(seq: int) -> Signed:
        vid = str(uuid.uuid4())
        return Signed(vid, reference, "validated", "123456", "2026-06-12T09:00:00Z", f"{vid}.{seq}")

    return sign


class ScriptedSender:
    """Answers from a script: a dict (acknowledged) or an error per call; records sends."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.sent: list[str] = []

    def _next(self, token: str) -> Any:
        self.sent.append(token)
        answer = self.answers.pop(0) if self.answers else {"status": "transmitted"}
        if isinstance(answer, Exception):
            raise answer
        return answer

    def submit(self, validation_id: str, token: str, *, timeout: float | None) -> dict[str, Any]:
        assert token.startswith(validation_id)
        return dict(self._next(token))

    def submit_batch(
        self, tokens: Sequence[str], *, timeout: float | None
    ) -> list[dict[str, Any] | ServerError]:
        return [self._next(t) for t in tokens]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> Outbox:
    return Outbox(tmp_path / "outbox.sqlite3", clock, draw=lambda: 1.0)


def test_device_seq_is_per_key_and_increasing(outbox: Outbox) -> None:
    seqs = [outbox.add("kid-a", signer()).device_seq for _ in range(3)]
    assert seqs == [1, 2, 3]
    assert outbox.add("kid-b", signer()).device_seq == 1


def test_a_signing_failure_stores_nothing_and_spends_no_number(outbox: Outbox) -> None:
    def broken(seq: int) -> Signed:
        raise RuntimeError("vault locked")

    with pytest.raises(RuntimeError):
        outbox.add("kid-a", broken)
    assert outbox.pending_count() == 0
    assert outbox.add("kid-a", signer()).device_seq == 1


def test_acknowledged_keeps_the_servers_response(outbox: Outbox) -> None:
    item = outbox.add("kid", signer())
    stored = {"validation_id": item.validation_id, "status": "transmitted"}
    changed = outbox.deliver(ScriptedSender(stored))
    assert [c.state for c in changed] == [OutboxState.ACKNOWLEDGED]
    assert outbox.get(item.validation_id).response == stored


def test_definitive_4xx_is_never_resent(outbox: Outbox, clock: FakeClock) -> None:
    item = outbox.add("kid", signer())
    sender = ScriptedSender(ServerError("expired", 410))
    outbox.deliver(sender)
    assert outbox.get(item.validation_id).state is OutboxState.FAILED
    clock.advance(10_000)
    outbox.deliver(sender, force=True)
    assert len(sender.sent) == 1


def test_a_refusal_stays_listed_across_a_restart_until_acknowledged(
    tmp_path: Path, outbox: Outbox, clock: FakeClock
) -> None:
    refused = outbox.add("kid", signer("7K3QZ9"))
    outbox.add("kid", signer("AB12CD"))
    clock.advance(60)
    outbox.deliver(ScriptedSender(ServerError("already-validated", 409), {"status": "ok"}))
    outbox.close()
    reopened = Outbox(tmp_path / "outbox.sqlite3", clock)
    [unseen] = reopened.unseen_refusals()
    assert unseen.item.validation_id == refused.validation_id
    assert unseen.item.error_code == "already-validated"
    assert unseen.refused_at == "2026-06-12T09:01:00Z"  # when it reached this PC
    reopened.mark_refusals_seen([refused.validation_id])
    reopened.close()
    assert Outbox(tmp_path / "outbox.sqlite3", clock).unseen_refusals() == []


def test_an_outbox_from_before_the_refusal_list_gains_it(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "outbox.sqlite3"
    old = Outbox(path, clock)
    item = old.add("kid", signer())
    old.deliver(ScriptedSender(ServerError("expired", 410)))
    old.close()
    with sqlite3.connect(path) as db:  # as the previous version left it
        db.execute("DROP TABLE outbox_local")
    [unseen] = Outbox(path, clock).unseen_refusals()
    assert unseen.item.validation_id == item.validation_id
    assert unseen.refused_at == item.created_at  # the best time it knows


def test_an_other_reason_note_stays_on_this_pc_and_out_of_the_token(outbox: Outbox) -> None:
    def sign(seq: int) -> Signed:
        vid = str(uuid.uuid4())
        return Signed(vid, "7K3QZ9", "refused", "123456", "2026-06-12T09:00:00Z",
                      f"{vid}.{seq}", note="Pièce photocopiée")  # fmt: skip

    item = outbox.add("kid", sign)
    assert outbox.note(item.validation_id) == "Pièce photocopiée"
    assert "photocopi" not in item.token


def test_transient_failure_backs_off_exponentially(outbox: Outbox, clock: FakeClock) -> None:
    outbox.add("kid", signer())
    sender = ScriptedSender(NetworkError(), NetworkError(), NetworkError())
    outbox.deliver(sender)  # attempt 1 fails: next in 2 s
    clock.advance(1)
    outbox.deliver(sender)
    assert len(sender.sent) == 1
    clock.advance(1)
    outbox.deliver(sender)  # attempt 2 fails: next in 4 s
    assert len(sender.sent) == 2
    clock.advance(3)
    outbox.deliver(sender)
    assert len(sender.sent) == 2
    clock.advance(1)
    outbox.deliver(sender)
    assert len(sender.sent) == 3


def test_retry_after_is_honoured_even_when_forced(outbox: Outbox, clock: FakeClock) -> None:
    item = outbox.add("kid", signer())
    sender = ScriptedSender(ServerError("rate-limited", 429, retry_after=120))
    outbox.deliver(sender)
    assert outbox.get(item.validation_id).state is OutboxState.PENDING
    clock.advance(119)
    outbox.deliver(sender, force=True)
    assert len(sender.sent) == 1
    clock.advance(1)
    outbox.deliver(sender, force=True)
    assert outbox.get(item.validation_id).state is OutboxState.ACKNOWLEDGED


def test_in_flight_conflict_is_retried_not_failed(outbox: Outbox, clock: FakeClock) -> None:
    item = outbox.add("kid", signer())
    outbox.deliver(ScriptedSender(ServerError("in-flight", 409)))
    assert outbox.get(item.validation_id).state is OutboxState.PENDING


def test_the_oldest_pending_validation_blocks_the_newer_ones(outbox: Outbox) -> None:
    first = outbox.add("kid", signer())
    second = outbox.add("kid", signer())
    sender = ScriptedSender(NetworkError())
    outbox.deliver(sender)
    # The server rejects a device_seq below one it accepted: the second must wait.
    assert sender.sent == [first.token]
    assert outbox.get(second.validation_id).state is OutboxState.PENDING


def test_force_ignores_backoff(outbox: Outbox, clock: FakeClock) -> None:
    item = outbox.add("kid", signer())
    outbox.deliver(ScriptedSender(NetworkError()))
    outbox.deliver(ScriptedSender(), force=True)
    assert outbox.get(item.validation_id).state is OutboxState.ACKNOWLEDGED


# -- killed at random points ---------------------------------------------------------------


class DiskServer:
    """A fake server whose memory survives the client's death: its own SQLite file.

    Idempotent on validation_id, strict on device_seq, like the backend; every request it
    receives is recorded, every effect too, so that "exactly once" can be counted.
    """

    def __init__(self, path: Path, rng: random.Random | None = None) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS effects (validation_id TEXT, seq INTEGER);"
            "CREATE TABLE IF NOT EXISTS received (validation_id TEXT);"
        )
        self.rng = rng

    def _accept(self, token: str) -> dict[str, Any] | ServerError:
        vid, seq_text = token.split(".")
        seq = int(seq_text)
        if self.rng is not None and self.rng.random() < 0.2:
            return ServerError("server", 503, retry_after=1)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO received VALUES (?)", (vid,))
        done = self.db.execute("SELECT 1 FROM effects WHERE validation_id = ?", (vid,)).fetchone()
        last = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM effects").fetchone()[0]
        if done is None and seq <= last:
            self.db.execute("COMMIT")
            return ServerError("replay", 409)
        if done is None:
            self.db.execute("INSERT INTO effects VALUES (?, ?)", (vid, seq))
        self.db.execute("COMMIT")
        return {"validation_id": vid, "status": "transmitted"}

    def submit(self, validation_id: str, token: str, *, timeout: float | None) -> dict[str, Any]:
        result = self._accept(token)
        if isinstance(result, ServerError):
            raise result
        return result

    def submit_batch(
        self, tokens: Sequence[str], *, timeout: float | None
    ) -> list[dict[str, Any] | ServerError]:
        # The batch contract the client relies on: processing stops at the first item that
        # fails for a reason other than a definitive 4xx, the rest answer 425 (not processed),
        # otherwise a later device_seq would be accepted before an earlier one.
        results: list[dict[str, Any] | ServerError] = []
        for token in tokens:
            if results and isinstance(results[-1], ServerError) and not results[-1].definitive:
                results.append(ServerError("not-processed", 425))
            else:
                results.append(self._accept(token))
        return results


class Killed(BaseException):
    """An injected crash: BaseException, so that no `except Exception` can swallow it."""


def _client_run(directory: Path, seed: int, kill_at: int, *, real_kill: bool) -> None:
    """The sending process: adds and delivers until killed at profile event `kill_at`.

    A real kill is `os._exit` in a forked child (like kill -9: no cleanup, no commit); an
    injected one raises `Killed` there and then drops the connections, so that whatever
    was not committed is lost the same way, many times faster.
    """
    rng = random.Random(seed)
    clock = FakeClock(START)
    outbox = Outbox(directory / "client.sqlite3", clock, draw=rng.random)
    server = DiskServer(directory / "server.sqlite3", rng)
    events = 0

    def profiler(frame: FrameType, event: str, arg: object) -> None:
        nonlocal events
        events += 1
        if events >= kill_at:
            sys.setprofile(None)
            if real_kill:
                os._exit(0)
            raise Killed

    try:
        sys.setprofile(profiler)
        for _ in range(rng.randint(1, 3)):
            outbox.add("kid", signer())
            outbox.deliver(server, force=rng.random() < 0.5)
            clock.advance(rng.uniform(0, 3))
    except Killed:
        pass
    finally:
        sys.setprofile(None)
        server.db.close()  # an open transaction is rolled back, as a kill would leave it
        outbox._db.close()


def _recover_and_check(directory: Path) -> int:
    """Restart: deliver everything, then every stored validation is on the server once."""
    clock = FakeClock(START)
    outbox = Outbox(directory / "client.sqlite3", clock)
    server = DiskServer(directory / "server.sqlite3")
    while outbox.pending_count():
        clock.advance(600)
        outbox.deliver(server, force=True)
    items = outbox.all_items()
    outbox.close()
    assert all(i.state is OutboxState.ACKNOWLEDGED for i in items), "a validation failed"
    effects = server.db.execute(
        "SELECT validation_id, COUNT(*) FROM effects GROUP BY validation_id"
    ).fetchall()
    assert sorted(effects) == sorted((i.validation_id, 1) for i in items)
    assert [i.device_seq for i in items] == list(range(1, len(items) + 1))
    server.db.close()
    return len(items)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killed_1000_times_every_validation_is_delivered_exactly_once(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # A process kill loses no page cache, so fsync buys nothing here and costs most of
    # the time: run on a RAM file system when there is one (power loss is another test).
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        tmp_path = Path(tempfile.mkdtemp(prefix="outbox-kill-", dir=shm))
        request.addfinalizer(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    rng = random.Random(20260612)
    delivered = received = 0
    for run in range(1000):
        # A new PC every 20 runs: each one restarts 20 times over its own leftovers, and
        # the files stay small enough for the whole test to take seconds.
        directory = tmp_path / f"pc{run // 20}"
        directory.mkdir(exist_ok=True)
        seed, kill_at = rng.getrandbits(32), rng.randint(1, 2500)
        if run % 5 == 0:  # one run in five is a real process kill
            pid = os.fork()
            if pid == 0:  # pragma: no cover (child)
                try:
                    _client_run(directory, seed, kill_at, real_kill=True)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
        else:
            _client_run(directory, seed, kill_at, real_kill=False)
        try:
            count = _recover_and_check(directory)
        except AssertionError as exc:
            raise AssertionError(f"run {run} (seed {seed}, kill at {kill_at}): {exc}") from exc
        if run % 20 == 19:
            delivered += count
            received += (
                DiskServer(directory / "server.sqlite3")
                .db.execute("SELECT COUNT(*) FROM received")
                .fetchone()[0]
            )
    assert delivered > 500 and received > delivered  # resends happened, effects did not


def _file_bytes(path: Path) -> bytes:
    return b"".join(
        candidate.read_bytes()
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if candidate.exists()
    )


def _signed_now(clock: FakeClock) -> Any:
    def sign(seq: int) -> Signed:
        vid = str(uuid.uuid4())
        at = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        return Signed(vid, "R3C3NT", "validated", "123456", at, f"{vid}.{seq}")

    return sign


def test_answered_validations_are_forgotten_after_keep_days(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path, clock, keep_days=7)
    acknowledged = outbox.add("kid", signer())
    outbox.deliver(ScriptedSender())
    failed = outbox.add("kid", signer())
    outbox.deliver(ScriptedSender(ServerError("expired", 410)))
    clock.advance(7 * 86400)
    waiting = outbox.add("kid", _signed_now(clock))
    outbox.deliver(ScriptedSender(NetworkError()))
    assert outbox.forget_delivered() == 0  # not older than 7 days yet
    clock.advance(3600)  # deliveries forget at most once an hour
    recent = outbox.add("kid", _signed_now(clock))
    outbox.deliver(ScriptedSender(), force=True)  # delivers the waiting one and the recent one
    # Delivery forgets too: the two answered for good over a week ago are gone, with their
    # signed body; the one that waited in the queue stays, answered only now.
    assert {item.validation_id for item in outbox.all_items()} == {
        waiting.validation_id,
        recent.validation_id,
    }
    assert Path(f"{path}-wal").stat().st_size == 0  # checkpointed while still open
    stored = _file_bytes(path)
    assert acknowledged.token.encode() not in stored and failed.token.encode() not in stored
    outbox.close()


def test_a_pending_validation_is_never_forgotten(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path, clock, keep_days=1)
    item = outbox.add("kid", signer())
    outbox.deliver(ScriptedSender(NetworkError()))
    outbox.close()
    clock.advance(30 * 86400)
    reopened = Outbox(path, clock, keep_days=1)  # opening forgets what is due
    assert reopened.get(item.validation_id).state is OutboxState.PENDING
    reopened.close()


def test_an_other_reason_note_is_forgotten_with_its_decision(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path, clock, keep_days=7)

    def sign(seq: int) -> Signed:
        vid = str(uuid.uuid4())
        at = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        return Signed(vid, "7K3QZ9", "refused", "123456", at, f"{vid}.{seq}",
                      note="Pièce photocopiée")  # fmt: skip

    item = outbox.add("kid", sign)
    outbox.deliver(ScriptedSender())
    clock.advance(8 * 86400)
    assert outbox.forget_delivered() == 1
    assert outbox.note(item.validation_id) is None
    outbox.close()
    assert b"photocopi" not in _file_bytes(path)
