"""The signing keys' validity is stored, not read from the file's modification time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from backend.config import Settings
from backend.keys import KeyFileError, load_keys, validity_path


def test_touching_or_restoring_a_key_file_keeps_its_validity(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = load_keys(settings).journal
    key_file = tmp_path / "keys" / "journal.pem"
    os.utime(key_file, (0, 0))  # a restore from backup, a copy without -p, a touch
    again = load_keys(settings).journal
    assert (again.valid_from, again.valid_until) == (first.valid_from, first.valid_until)
    assert (again.valid_until - again.valid_from).days == 730


def test_a_key_swapped_under_a_validity_record_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    load_keys(settings)
    keys = tmp_path / "keys"
    shutil.copy2(keys / "issuer.pem", keys / "journal.pem")  # mode 0600 kept
    with pytest.raises(KeyFileError, match="another key"):
        load_keys(settings)
    assert validity_path(keys / "journal.pem").exists()
