"""Settings precedence, one --data-dir for every path, owner-only directories, safe logs."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from desktop.services.errors import ConfigurationError
from desktop.services.logging_setup import PersonalDataFilter, setup_logging
from desktop.services.paths import Paths
from desktop.services.settings import load_demo, load_settings


def test_command_line_beats_environment_beats_file(tmp_path: Path) -> None:
    paths = Paths.for_user(tmp_path).ensure()
    paths.settings_file.write_text(
        'server = "https://file.example"\ncamera = "1"\nlock_after_s = 120\n'
    )
    environ = {"MPR_DATA_DIR": str(tmp_path), "MPR_SERVER": "https://env.example",
               "MPR_CAMERA": "2"}  # fmt: skip
    settings = load_settings(["--camera", "/dev/video3", "-platform", "offscreen"], environ)
    assert settings.server == "https://env.example"
    assert settings.camera == "/dev/video3"
    assert settings.lock_after_s == 120
    assert settings.paths() == paths


def test_demo_from_the_environment_or_the_command_line(tmp_path: Path) -> None:
    base = {"MPR_DATA_DIR": str(tmp_path)}
    assert not load_settings([], base).demo
    assert load_settings([], {**base, "MPR_DEMO": "1"}).demo
    assert load_settings(["--demo"], base).demo


def test_a_bad_value_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="lock_after_s"):
        load_settings([], {"MPR_DATA_DIR": str(tmp_path), "MPR_LOCK_AFTER_S": "soon"})


def test_outbox_keep_days_defaults_to_a_week(tmp_path: Path) -> None:
    base = {"MPR_DATA_DIR": str(tmp_path)}
    assert load_settings([], base).outbox_keep_days == 7
    assert load_settings([], {**base, "MPR_OUTBOX_KEEP_DAYS": "3"}).outbox_keep_days == 3
    with pytest.raises(ConfigurationError, match="outbox_keep_days"):
        load_settings([], {**base, "MPR_OUTBOX_KEEP_DAYS": "0"})


def test_data_dir_relocates_everything_owner_only(tmp_path: Path) -> None:
    paths = Paths.for_user(tmp_path / "d").ensure()
    for directory in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
        assert directory.is_relative_to(tmp_path / "d")
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def test_logs_never_hold_tokens_dates_or_displayed_names() -> None:
    redactor = PersonalDataFilter()
    redactor.forget_later("DUPONT", "Marie Élise")
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1,
        "lookup 7K3QZ9 for %s %s born 1980-02-29, Bearer abc.def-123 MPR1:%s", (
            "DUPONT", "Marie Élise", "eyJhbGciOi.eyJjdHgiOiJt.c2lnbmF0dXJl"),
        None,
    )  # fmt: skip
    redactor.filter(record)
    text = record.getMessage()
    assert "7K3QZ9" in text
    for secret in ("DUPONT", "Marie", "1980-02-29", "abc.def", "eyJ"):
        assert secret not in text


def test_the_log_file_is_owner_only_and_redacted(tmp_path: Path) -> None:
    paths = Paths.for_user(tmp_path)
    handler = setup_logging(paths)
    try:
        try:
            raise ValueError("server said token=abcdef123456")
        except ValueError:
            logging.getLogger("test").exception("failed on 2026-01-02")
        handler.flush()
        text = paths.log_file.read_text()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert stat.S_IMODE(paths.log_file.stat().st_mode) == 0o600
    assert "abcdef123456" not in text and "2026-01-02" not in text
    assert "ValueError" in text


def _demo_json(path: Path) -> Path:
    path.write_text(
        '{"server_url": "http://127.0.0.1:8765", "enrolment_code": "ABCD-EFGH",'
        ' "references": ["7K3QZ9"], "officers": ['
        '{"matricule": "100003", "password": "p1", "role": "supervisor", "name": "A"},'
        '{"matricule": "100001", "password": "p2", "role": "opj", "name": "B",'
        ' "station": "PN-75-001"}]}',
        encoding="utf-8",
    )
    return path


def test_a_demo_file_switches_the_demo_on_and_names_the_server(tmp_path: Path) -> None:
    demo = _demo_json(tmp_path / "demo.json")
    settings = load_settings(["--demo", str(demo)], {"MPR_DATA_DIR": str(tmp_path)})
    assert settings.demo
    assert settings.demo_file == demo
    assert settings.server == "http://127.0.0.1:8765"
    given = load_settings(
        ["--demo", str(demo), "--server", "http://127.0.0.1:9000"], {"MPR_DATA_DIR": str(tmp_path)}
    )
    assert given.server == "http://127.0.0.1:9000"


def test_the_demo_prefills_a_validating_officer_never_a_password(tmp_path: Path) -> None:
    config = load_demo(_demo_json(tmp_path / "demo.json"))
    officer = config.counter_officer()
    assert officer is not None
    assert officer.matricule == "100001"  # the supervisor listed first cannot validate
    assert config.enrolment_code == "ABCD-EFGH"


def test_demo_codes_per_officer_fall_back_to_the_first_officers_code(tmp_path: Path) -> None:
    older = load_demo(_demo_json(tmp_path / "demo.json"))
    assert older.codes_by_matricule() == {"100003": "ABCD-EFGH"}  # the first officer only
    path = tmp_path / "newer.json"
    document = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    document["enrolment_codes"] = {"100003": "ABCD-EFGH", "100001": "1234-5678"}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_demo(path).codes_by_matricule() == {"100003": "ABCD-EFGH", "100001": "1234-5678"}


def test_a_missing_or_broken_demo_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="unreadable"):
        load_settings(["--demo", str(tmp_path / "nope.json")], {"MPR_DATA_DIR": str(tmp_path)})
    (tmp_path / "bad.json").write_text('{"officers": []}', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="enrolment_code"):
        load_demo(tmp_path / "bad.json")


def test_demo_mode_refuses_a_remote_server(tmp_path: Path) -> None:
    """The demo keeps its keys in a file: never next to a real server."""
    with pytest.raises(ConfigurationError):
        load_settings(
            [
                "--demo",
                "--server",
                "https://guichet.interieur.example",
                "--data-dir",
                str(tmp_path),
            ],
            environ={},
        )


def test_an_unattended_counter_locks_after_two_minutes_by_default(tmp_path: Path) -> None:
    settings = load_settings(["--data-dir", str(tmp_path)], environ={})
    assert settings.lock_after_s == 120
    longer = load_settings(["--data-dir", str(tmp_path)], environ={"MPR_LOCK_AFTER_S": "300"})
    assert longer.lock_after_s == 300
