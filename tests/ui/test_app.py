"""The composition root: what `desktop.app` builds from the settings."""

from __future__ import annotations

from pathlib import Path

from desktop import app
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.demo_counter import DemoCounter
from desktop.services.settings import DemoConfig, Settings
from tests.support.fake_backend import MemoryKeyring

DEMO = DemoConfig(
    server_url="http://127.0.0.1:8765",
    officers=[],
    enrolment_code="ABCD-EF01",
    enrolment_codes={"100002": "CODE-0002"},
)


def test_only_demo_mode_enrols_officers_at_login(tmp_path: Path) -> None:
    vault = Vault(MemoryKeyring())
    demo = app._counter(Settings(data_dir=tmp_path / "demo", demo=True), vault, DEMO)
    real = app._counter(Settings(data_dir=tmp_path / "real"), vault, DEMO)
    try:
        assert isinstance(demo, DemoCounter)
        # The real login (`Counter.login`) never spends an enrolment code, whatever the
        # configuration holds: the demo's enrolment is not in its class.
        assert type(real) is Counter
    finally:
        demo.close()
        real.close()
