"""`guichet --self-check --data-dir D` inspects the folder `guichet --data-dir D` writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.selfcheck import SelfCheckOptions, check_data_dir
from desktop.services.device import DeviceStore, Enrolment
from desktop.services.settings import load_settings


@pytest.mark.skipif(os.name != "posix", reason="owner-only folders are checked on POSIX")
def test_self_check_passes_on_the_folder_the_client_ran_in(tmp_path: Path) -> None:
    base = tmp_path / "D"
    client = load_settings(["--data-dir", str(base)], {})
    paths = client.paths().ensure()  # what the client does at start
    enrolment = Enrolment(kid="k", label="Guichet 1", enrolled_at="2026-06-12T09:00:00Z")
    DeviceStore(paths.device_file).add("http://127.0.0.1:8000", None, enrolment)

    detail = check_data_dir(SelfCheckOptions.from_settings(client))

    assert detail.startswith(f"{paths.device_file.parent} (")
    assert "propriétaire seul" in detail
