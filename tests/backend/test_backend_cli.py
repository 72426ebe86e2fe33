"""`guichet-backend`: each command's happy path and one error (one line on stderr, exit 1)."""

from __future__ import annotations

import io
import json
import re
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from backend_helpers import request_body
from sqlalchemy import text

from backend.cli import main
from backend.config import Settings
from backend.context import open_backend
from backend.mailer import FileMailer
from backend.services import auth
from backend.services.checks import PARIS
from backend.services.schemas import RequestCreate
from procuration import keys

CLI = str(Path(sys.executable).parent / "guichet-backend")


class Run:
    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir, self.capsys = data_dir, capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        status = main([*argv, "--data-dir", str(self.data_dir)])
        out, err = self.capsys.readouterr()
        return status, out, err

    def fails(self, *argv: str, message: str) -> None:
        status, out, err = self(*argv)
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith("guichet-backend: ") and message in err


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    runner = Run(tmp_path / "data", capsys)
    assert runner("station", "add", "--code", "PN-75-001", "--name", "Paris 1er")[0] == 0
    assert runner("commune", "add", "--insee", "75056", "--name", "Paris")[0] == 0
    assert runner("commune", "add", "--insee", "92050", "--name", "Nanterre")[0] == 0
    return runner


def _add_opj(run: Run, monkeypatch: pytest.MonkeyPatch, matricule: str = "OPJ001") -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret password\n"))
    status, out, _ = run(
        "officer", "add", "--matricule", matricule, "--name", "Claire Lefèvre",
        "--grade", "Capitaine", "--role", "opj", "--station", "PN-75-001", "--password-stdin",
    )  # fmt: skip
    assert (status, out) == (0, f"{matricule}\n")


def test_station_and_commune(run: Run) -> None:
    assert run("station", "add", "--code", "GN-33-063", "--name", "Bordeaux")[1] == "GN-33-063\n"
    run.fails("commune", "add", "--insee", "7505", "--name", "Paris", message="INSEE")


def test_officer_add_and_habilitate(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_opj(run, monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\n"))
    run.fails(
        "officer", "add", "--matricule", "OPJ001", "--name", "N", "--grade", "G", "--role",
        "opj", "--password-stdin", message="already exists",
    )  # fmt: skip
    habilitate = ["officer", "habilitate", "--from", "2026-01-01", "--until", "2026-12-31"]
    assert run(*habilitate, "--matricule", "OPJ001", "--judge", "TJ 17")[0] == 0
    run.fails(*habilitate, "--matricule", "NOBODY", "--judge", "TJ", message="unknown officer")


def test_enrolment_code_prints_only_the_code(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_opj(run, monkeypatch)
    status, out, err = run("enrolment-code", "--matricule", "OPJ001")
    assert status == 0 and err == ""
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}\n", out)
    run.fails("enrolment-code", "--matricule", "NOBODY", message="unknown officer")


def test_request_create_writes_qr_and_mail(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "request.json"
    today = datetime.now(PARIS).date()  # the CLI runs on the real clock
    source.write_text(json.dumps(request_body(today=today)), "utf-8")
    status, out, _ = run("request", "create", "--json", str(source))
    reference = out.strip()
    assert status == 0 and re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{6}", reference)
    qr_image = run.data_dir / "qr" / f"{reference}.png"
    assert qr_image.read_bytes().startswith(b"\x89PNG")
    mails = FileMailer(run.data_dir / "outbox-mail").files_for(reference)
    assert mails and reference not in "".join(path.name for path in mails)
    # Owner-only: the QR image and the mail carry the mandant's name.
    for path in (qr_image, *mails, run.data_dir / "guichet.sqlite3"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (run.data_dir, qr_image.parent, mails[0].parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_request_create_help_shows_a_valid_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["request", "create", "--help"])
    help_text = capsys.readouterr().out
    assert '{"kind": "period", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}' in help_text
    assert '{"kind": "election", "election": ID, "rounds": [1, 2]}' in help_text
    # The example, copied as printed, is a request the backend accepts as to its form.
    example = help_text[help_text.index("  {") : help_text.index("}}") + 2]
    body = RequestCreate.model_validate_json(example)
    assert body.mandataire.commune_insee == "92050" and body.scope.kind == "election"


def test_request_create_names_each_wrong_field(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = request_body(today=datetime.now(PARIS).date())
    body["email"] = "not mail"
    body["scope"] = {"kind": "period", "start": body["scope"]["start"]}
    body["mandataire"]["commune_insee"] = "7"
    del body["sex"]
    source = tmp_path / "request.json"
    source.write_text(json.dumps(body), "utf-8")
    status, out, err = run("request", "create", "--json", str(source))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "guichet-backend: invalid request JSON (see --help):",
        "sex: missing (required)",
        "email: not an e-mail address",
        "scope.end: missing (required)",
        "mandataire.commune_insee: not an INSEE code (5 digits, or 2A/2B and 3 digits, e.g. 75056)",
    ]
    # A rule the service checks after the form (a period ending before it starts) names
    # its field too.
    body = request_body(today=datetime.now(PARIS).date())
    body["scope"]["end"] = body["scope"]["start"]
    body["scope"]["start"] = "2099-01-01"
    source.write_text(json.dumps(body), "utf-8")
    status, _, err = run("request", "create", "--json", str(source))
    assert status == 1 and err.splitlines()[1].startswith("scope.")


def test_roll_import(run: Run, tmp_path: Path) -> None:
    roll = tmp_path / "roll.csv"
    roll.write_text(
        "\ufeffinsee;birth_name;first_names;birth_date\n75056;DUPONT;Élodie;1984-03-09\n", "utf-8"
    )
    assert run("commune", "roll-import", "--csv", str(roll))[1] == "1\n"
    roll.write_text("insee;birth_name\n75056;DUPONT\n", "utf-8")
    run.fails("commune", "roll-import", "--csv", str(roll), message="lacks the columns")


def test_journal_verify_checkpoint_and_a_tampered_entry(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_opj(run, monkeypatch, "OPJ001")
    _add_opj(run, monkeypatch, "OPJ002")
    assert run("journal", "checkpoint")[1] == "1 checkpoints signed\n"
    status, out, _ = run("journal", "verify")
    assert status == 0
    assert out == "PN-75-001: ok: 2 entries, 1 checkpoints verified, the latest at 2\n"
    backend = open_backend(Settings(data_dir=run.data_dir))
    try:
        with backend.engine.begin() as connection:  # what only the schema owner could do
            connection.execute(text("DROP TRIGGER journal_no_update"))
            connection.execute(text("UPDATE journal SET actor = 'x' WHERE seq = 2"))
    finally:
        backend.close()
    status, out, _ = run("journal", "verify")
    assert status == 1 and out == "PN-75-001: FAILED: edited at entry 2\n"


def test_purge_and_a_bad_database_url(run: Run) -> None:
    assert run("purge") == (0, "expired 0, purged 0\n", "")
    run.fails("purge", "--db", "mysql://nowhere", message="database URL")


def test_device_revoke(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_opj(run, monkeypatch)
    backend = open_backend(Settings(data_dir=run.data_dir))
    try:
        code = auth.issue_enrolment_code(backend, "OPJ001")
        kid = auth.enroll(backend, code, keys.public_jwk(keys.generate_private_key()), "PC")
    finally:
        backend.close()
    # `--kid=` form: a base64url kid may start with "-", which argparse takes for an option.
    assert run("device", "revoke", f"--kid={kid}")[0] == 0
    run.fails("device", "revoke", "--kid", "nope", message="unknown device")


def test_tls_test_ca(run: Run, tmp_path: Path) -> None:
    status, out, _ = run("tls-test-ca", "--out", str(tmp_path / "tls"))
    assert status == 0
    assert all(Path(path).exists() for path in json.loads(out).values())


def test_serve_refuses_clear_text_off_loopback_before_logging(tmp_path: Path) -> None:
    data_dir = tmp_path / "never"
    answer = subprocess.run(
        [CLI, "serve", "--host", "0.0.0.0", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert answer.returncode == 1 and answer.stdout == ""
    assert answer.stderr == (
        "guichet-backend: refusing to listen on 0.0.0.0 without TLS (--tls-cert/--tls-key)\n"
    )
    assert not data_dir.exists()  # nothing opened, nothing created


def test_commune_side_from_the_command_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("mairie password\n"))
    assert run(
        "officer", "add", "--matricule", "M75056", "--name", "Mairie de Paris", "--grade",
        "Agent", "--role", "commune", "--commune", "75056", "--password-stdin",
    )[0] == 0  # fmt: skip
    status, out, _ = run("commune", "proxies", "--insee", "75056", "--as", "M75056")
    assert status == 0
    assert out == "reference;status;reason;station;validated_at;decided_at\n"
    run.fails("commune", "proxies", "--insee", "92050", "--as", "M75056", message="its own proxies")
    run.fails(
        "commune", "decide", "--reference", "7K3QZ9", "--decision", "accepted",
        "--as", "M75056", message="no proxy",
    )  # fmt: skip


def test_election_add_names_each_wrong_option(run: Run) -> None:
    status, out, err = run(
        "election", "add", "--id", "Présidentielle 2027", "--label", "P", "--round1", "2027-02-30",
    )  # fmt: skip
    assert status == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "guichet-backend: invalid election:"
    assert lines[1] == "id: lower-case letters, digits and - only, e.g. presidentielle-2027"
    assert lines[2].startswith("rounds.0.polling_day: ") and len(lines) == 3
