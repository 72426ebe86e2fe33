"""A database owner rewriting the journal: every checkpoint counts, a chain without one
fails, the server refuses to re-sign a tampered chain, and a witness file kept outside the
database catches a rollback that also deleted the checkpoints (docs/security.md)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from backend_helpers import STATION, Client, World, enrol, login
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend import witness
from backend.cli import main
from backend.context import Backend
from backend.services import journal
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.verify import verify_all
from procuration.journal import seal

_SQLITE_GUARDS = [
    "DROP TRIGGER IF EXISTS journal_no_update",
    "DROP TRIGGER IF EXISTS journal_no_delete",
    "DROP TRIGGER IF EXISTS checkpoints_no_update",
    "DROP TRIGGER IF EXISTS checkpoints_no_delete",
]
_POSTGRES_GUARDS = [
    "DROP TRIGGER IF EXISTS journal_no_update_delete ON journal",
    "DROP TRIGGER IF EXISTS checkpoints_no_update_delete ON checkpoints",
]


def _as_owner(backend: Backend, *statements: str) -> None:
    """What only the schema owner can do: drop the insert-only guards, then tamper."""
    guards = _POSTGRES_GUARDS if backend.engine.dialect.name == "postgresql" else _SQLITE_GUARDS
    with backend.engine.begin() as connection:
        for statement in [*guards, *statements]:
            connection.execute(text(statement))


def _grow_and_sign(world: World, backend: Backend, devices: int) -> int:
    """`devices` more entries in the station's chain, then a checkpoint; the chain's size."""
    for _ in range(devices):
        enrol(world, "OPJ001")
    journal.sign_grown(backend)
    with transaction(backend.sessions) as session:
        return journal_store.head(session, STATION)[0]


def _forge(backend: Backend, seq: int) -> None:
    """Rewrites entry `seq` of the station's chain and reseals every entry after it, so
    that the chain alone verifies again: what a careful owner would do."""
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, STATION)
        forged = journal_store.entries(session, STATION, seq, size)
    prev = forged[0]["prev_hash"]
    statements = []
    for original in forged:
        actor = "X" if original["seq"] == seq else original["actor"]
        entry = seal({**original, "actor": actor, "prev_hash": prev})
        prev = entry["hash"]
        statements.append(
            f"UPDATE journal SET actor = '{actor}', prev_hash = '{entry['prev_hash']}', "
            f"hash = '{prev}' WHERE chain = '{STATION}' AND seq = {entry['seq']}"
        )
    _as_owner(backend, *statements)


def test_checkpoints_are_insert_only(world: World, backend: Backend) -> None:
    journal.sign_grown(backend)
    for statement in ("UPDATE checkpoints SET size = 1", "DELETE FROM checkpoints"):
        with pytest.raises(DBAPIError), backend.engine.begin() as connection:
            connection.execute(text(statement))


def test_deleting_the_newer_checkpoints_does_not_hide_a_truncation(
    world: World, backend: Backend
) -> None:
    first = _grow_and_sign(world, backend, 1)
    second = _grow_and_sign(world, backend, 3)
    _as_owner(
        backend,
        f"DELETE FROM checkpoints WHERE chain = '{STATION}' AND size > {first}",
        f"DELETE FROM journal WHERE chain = '{STATION}' AND seq > {first}",
    )
    assert second > first
    assert verify_all(backend)[STATION].startswith("FAILED: rolled back")


def test_a_rewrite_below_an_older_checkpoint_fails_verification(
    world: World, backend: Backend
) -> None:
    first = _grow_and_sign(world, backend, 1)
    second = _grow_and_sign(world, backend, 2)
    _as_owner(backend, f"DELETE FROM checkpoints WHERE size = {second}")
    _forge(backend, first)
    assert verify_all(backend)[STATION].startswith("FAILED: rewritten at entry")


def test_a_chain_without_any_checkpoint_fails_naming_it(
    world: World, backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    size = _grow_and_sign(world, backend, 1)
    witness.local_path(backend).unlink()  # the data directory's owner too (SQLite)
    _as_owner(backend, "DELETE FROM checkpoints")
    _forge(backend, size)
    assert verify_all(backend)[STATION].startswith("FAILED: ")
    _as_owner(backend, f"DELETE FROM journal WHERE chain = '{STATION}' AND seq >= {size}")
    argv = [
        "--data-dir",
        str(backend.settings.data_dir),
        "--db",
        backend.engine.url.render_as_string(hide_password=False),
    ]
    assert main(["journal", "verify", *argv]) == 1
    expected = f"{STATION}: FAILED: {size - 1} entries and no checkpoint (run `journal checkpoint`)"
    assert expected in capsys.readouterr().out.splitlines()


def test_the_server_refuses_to_sign_a_chain_that_does_not_extend_its_checkpoint(
    world: World, backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    first = _grow_and_sign(world, backend, 2)
    _as_owner(backend, f"DELETE FROM journal WHERE chain = '{STATION}' AND seq = {first}")
    enrol(world, "OPJ001")
    enrol(world, "OPJ001")  # regrown past the signed size, with another past
    enrol(world, "APJ002")  # another station's chain grew too
    with caplog.at_level(logging.ERROR):
        assert journal.sign_grown(backend) == 1  # the other station's only
    assert "no longer extends its checkpoint" in caplog.text
    with transaction(backend.sessions) as session:
        assert journal_store.last_checkpoint_size(session, STATION) == first


def test_the_server_witness_refuses_once_every_checkpoint_is_gone(
    world: World, backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    size = _grow_and_sign(world, backend, 1)
    _as_owner(backend, "DELETE FROM checkpoints")
    _forge(backend, size - 1)
    with caplog.at_level(logging.ERROR):
        assert journal.sign_grown(backend) == 2  # the two untouched chains
    assert f"chain {STATION} no longer extends" in caplog.text
    with transaction(backend.sessions) as session:
        assert journal_store.latest_checkpoint(session, STATION) is None


def test_a_witness_file_catches_a_rollback_that_deleted_everything_else(
    world: World, backend: Backend, tmp_path: Path
) -> None:
    _grow_and_sign(world, backend, 2)
    exported = tmp_path / "witness.json"
    argv = [
        "--data-dir",
        str(backend.settings.data_dir),
        "--db",
        backend.engine.url.render_as_string(hide_password=False),
    ]
    assert main(["journal", "witness", "export", str(exported), *argv]) == 0
    assert main(["journal", "witness", "verify", str(exported), *argv]) == 0
    witness.local_path(backend).unlink()
    _as_owner(
        backend,
        "DELETE FROM checkpoints",
        f"DELETE FROM journal WHERE chain = '{STATION}' AND seq > 2",
    )
    journal.sign_grown(backend)  # the server, with nothing left to compare, signs again
    assert verify_all(backend)[STATION].startswith("ok")
    assert main(["journal", "witness", "verify", str(exported), *argv]) == 1
    assert witness.check(backend, exported)[STATION].startswith("FAILED: rolled back to 2")


def test_asked_over_http_the_refusal_is_a_conflict(
    client: Client, world: World, backend: Backend
) -> None:
    supervisor = login(client, world, "SUP003")
    assert client.post("/v1/journal/checkpoint", headers=supervisor).status_code == 200
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, STATION)
    _forge(backend, size - 1)
    answer = client.post("/v1/journal/checkpoint", headers=supervisor)
    assert answer.status_code == 409
    assert answer.json()["type"] == "urn:mpr:error:conflict"


def test_a_supervisor_still_downloads_the_last_good_checkpoint(
    client: Client, world: World, backend: Backend
) -> None:
    supervisor = login(client, world, "SUP003")
    signed = client.post("/v1/journal/checkpoint", headers=supervisor).json()["checkpoint"]
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, STATION)
    _forge(backend, size - 1)
    enrol(world, "OPJ001")  # the chain grew: the download tries to sign, and is refused
    answer = client.get("/v1/journal/checkpoint", headers=supervisor)
    assert answer.status_code == 200 and answer.json()["checkpoint"] == signed
