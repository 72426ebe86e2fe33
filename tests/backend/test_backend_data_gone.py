"""Personal data really gone (DOMAIN.md "Lifetime"): after the purge, no file of the backend
or of a counter PC holds the mandant's name or birth date, the journal never held the
commune's free text, requests stuck half-way are purged by the same clock, and every file
that holds personal data is owner-only."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import (
    MANDANT,
    MANDATAIRE,
    Client,
    FakeClock,
    Person,
    World,
    create_request,
    login,
    payload,
    post_validation,
    request_body,
    sign,
)
from sqlalchemy import text

from backend import cli, context
from backend.cli import main
from backend.context import Backend
from backend.mailer import FileMailer, notice
from backend.services import commune, lifecycle, register
from desktop.services.errors import ServerError
from desktop.services.outbox import Outbox, OutboxState, Signed
from procuration import timeutil
from procuration.canonical import b64url_decode
from tests.support.clock import FakeClock as PcClock

# Not on the roll (the commune corrects the verdict), accents to catch an encoding slip.
PURGED = Person("BÉRANGER-NDOYE", "Maëlys Anaïs", "1991-07-22")
EMAIL = "maelys.beranger@example.fr"


def _files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from (path for path in root.rglob("*") if path.is_file())


def _needles(person: Person) -> list[bytes]:
    words = [person.birth_name, *person.first_names.split(), person.birth_date, EMAIL]
    return [word.encode("utf-8") for word in words]


def _found(roots: Sequence[Path], needles: list[bytes]) -> dict[str, list[str]]:
    """Which needle sits in which file (bytes as stored: UTF-8 text, ISO birth date)."""
    found: dict[str, list[str]] = {}
    for path in _files(*roots):
        data = path.read_bytes()
        for needle in needles:
            if needle in data:
                found.setdefault(path.name, []).append(needle.decode())
    return found


class _Sender:
    """The client's outbox delivering to the in-process backend."""

    def __init__(self, client: Client, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    def submit(self, validation_id: str, token: str, *, timeout: float | None) -> dict[str, Any]:
        answer = post_validation(self.client, self.headers, token, validation_id)
        assert answer.status_code == 201, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def submit_batch(
        self, tokens: Sequence[str], *, timeout: float | None
    ) -> list[dict[str, Any] | ServerError]:
        raise AssertionError("one validation at a time here")


def _create_with_the_cli(
    backend: Backend, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> str:
    body = {**request_body(PURGED, MANDATAIRE), "email": EMAIL}
    source = tmp_path / "request.json"
    source.write_text(json.dumps(body), "utf-8")
    where = ["--data-dir", str(backend.settings.data_dir), "--db", backend.settings.db_url]
    # The command runs on the test's clock, like the backend it shares the database with.
    monkeypatch.setattr(
        cli, "open_backend", lambda settings: context.open_backend(settings, backend.now)
    )
    assert main(["request", "create", "--json", str(source), *where]) == 0
    source.unlink()
    reference: str = capsys.readouterr().out.strip()
    return reference


def test_after_the_purge_no_file_anywhere_holds_the_mandant(
    client: Client,
    world: World,
    backend: Backend,
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The CLI writes the mail and the QR image too.
    reference = _create_with_the_cli(backend, tmp_path, capsys, monkeypatch)
    # The counter PC: its outbox signs, keeps and delivers the validation.
    pc_clock = PcClock(clock())
    outbox = Outbox(tmp_path / "pc" / "data" / "outbox.sqlite3", pc_clock)
    token = sign(world, payload(world, reference, identity_digest=PURGED.digest()))
    validation_id = json.loads(b64url_decode(token.split(".")[1]))["validation_id"]
    outbox.add(
        world.kid("OPJ001"),
        lambda _seq: Signed(
            validation_id, reference, "validated", "OPJ001", timeutil.to_wire(clock()), token
        ),
    )
    delivered = outbox.deliver(_Sender(client, login(client, world)))
    assert [item.state for item in delivered] == [OutboxState.ACKNOWLEDGED]
    for path in _files(tmp_path / "pc"):  # outbox, -wal, -shm
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    register.run_checks(backend)  # not on the roll: invalid; the commune corrects it
    mairie = commune.officer_named(backend, "COM004")
    commune.correct(backend, mairie, reference, commune.Correction.ROLL_OUT_OF_DATE)
    roots = [tmp_path]  # the database with -wal/-shm, the data dir (mails, QR), the PC's
    needles = _needles(PURGED)
    pc_dir = tmp_path / "pc"
    assert _found([pc_dir], [token.encode()])  # the signed body, with the identity digest
    before = {word for words in _found(roots, needles).values() for word in words}
    # The search must see every form the data is stored in (on PostgreSQL the database is
    # the server's, not a file here: the mails hold the address).
    expected = needles if db_url.startswith("sqlite") else [EMAIL.encode()]
    assert before == {needle.decode() for needle in expected}
    outbox.close()

    clock.advance(days=366 + 365 + 10)  # validity ends 2027-05-31, kept a year past it
    pc_clock.advance(timedelta(days=8).total_seconds())
    assert lifecycle.run_all(backend) == (0, 1)
    Outbox(tmp_path / "pc" / "data" / "outbox.sqlite3", pc_clock).close()  # a restart

    assert _found(roots, needles) == {}
    assert _found([pc_dir], [token.encode()]) == {}
    assert not (backend.settings.data_dir / "qr" / f"{reference}.png").exists()


def _journal_text(backend: Backend) -> str:
    with backend.engine.connect() as connection:
        rows = connection.execute(text("SELECT kind, detail_json FROM journal")).all()
    return repr(rows)


def test_the_communes_free_text_stays_out_of_the_journal_and_is_purged(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    assert (
        post_validation(client, headers, sign(world, payload(world, reference))).status_code == 201
    )
    register.run_checks(backend)
    typed = "Mme DUPONT-MOREAU a quitté la commune le 2 mai"
    mairie = login(client, world, "COM004")
    answer = client.post(
        f"/v1/proxies/{reference}/decision",
        json={"decision": "refused", "reason": typed},
        headers=mairie,
    )
    assert answer.json()["status"] == "refused_by_commune"
    (listed,) = client.get("/v1/communes/75056/proxies", headers=mairie).json()
    assert listed["reason"] == typed  # the commune reads back what it typed
    journal = _journal_text(backend)
    assert "commune.refused" in journal
    assert "DUPONT" not in journal and "quitté" not in journal
    clock.advance(days=366 + 365 + 10)
    assert lifecycle.purge(backend) == 1
    with backend.engine.connect() as connection:
        rows = repr(connection.execute(text("SELECT * FROM requests")).all())
    assert "quitté" not in rows and MANDANT.birth_name not in rows


def test_a_request_stuck_in_transmitted_is_purged_by_the_same_clock(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    post_validation(client, headers, sign(world, payload(world, reference)))
    # The register checks never ran (a crash, a stopped duty): the proxy stays transmitted.
    clock.advance(days=366 + 365 + 10)
    assert lifecycle.run_all(backend) == (0, 1)
    with backend.engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, birth_name, purged_at FROM requests WHERE reference = :r"),
            {"r": reference},
        ).one()
    assert row.status == "transmitted" and row.birth_name is None and row.purged_at


def test_the_wal_is_empty_after_a_purge(
    client: Client, world: World, backend: Backend, clock: FakeClock, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("a SQLite file's WAL")
    create_request(backend, PURGED, MANDATAIRE)
    database = Path(db_url.split("///", 1)[1])
    wal = Path(f"{database}-wal")
    assert PURGED.birth_name.encode() in wal.read_bytes()
    clock.advance(days=62)
    assert lifecycle.expire(backend) == 1
    assert wal.stat().st_size == 0
    assert PURGED.birth_name.encode() not in database.read_bytes()


def test_database_mail_and_qr_files_are_owner_only(
    world: World, backend: Backend, db_url: str
) -> None:
    reference = create_request(backend)
    data_dir = backend.settings.data_dir
    paths = list(_files(data_dir))
    if db_url.startswith("sqlite"):
        database = Path(db_url.split("///", 1)[1])
        paths += [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    assert any(path.suffix == ".eml" for path in paths)
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in [data_dir, *(path for path in data_dir.rglob("*") if path.is_dir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert not [path for path in paths if reference in path.name]


def test_mail_names_hide_the_reference_and_every_worker_finds_them(tmp_path: Path) -> None:
    folder = tmp_path / "outbox-mail"
    workers = [FileMailer(folder), FileMailer(folder)]  # two `serve` processes
    for number, worker in enumerate(workers):
        worker.send(notice("a@example.fr", "b@example.fr", "Procuration", "texte"), "7K3QZ9")
        worker.send(notice("a@example.fr", "b@example.fr", f"Autre {number}", "x"), "AB12CD")
    assert not [path for path in folder.iterdir() if "7K3QZ9" in path.name]
    assert len(workers[0].files_for("7K3QZ9")) == len(workers[1].files_for("7K3QZ9")) == 2
    assert FileMailer(folder).forget("7K3QZ9") == 2
    assert len(workers[1].files_for("AB12CD")) == 2
