"""Renders the counter client's main screens with fake services into docs/screenshots/.

Run under a display server: `xvfb-run -a .venv/bin/python scripts/render_screens.py`
(`scripts/screenshots.sh` does it). The fake service is the UI tests' one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QThreadPool  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.services.errors import ServerError  # noqa: E402
from desktop.services.ports import DeliveryState  # noqa: E402
from desktop.ui.counter_view import CounterOptions  # noqa: E402
from desktop.ui.enrolment import EnrolmentWizard  # noqa: E402
from desktop.ui.main_window import MainWindow, WindowOptions  # noqa: E402
from desktop.ui.style import apply_style  # noqa: E402
from desktop.ui.tasks import TaskRunner  # noqa: E402
from procuration.models import RefusalReason  # noqa: E402
from tests.ui.fakes import PASSWORD, FakeCounterService  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)


def settle(ms: int = 150) -> None:
    QThreadPool.globalInstance().waitForDone(5000)
    for _ in range(5):
        QCoreApplication.processEvents()
        QTest.qWait(ms // 5)


def save(widget: QWidget, name: str) -> None:
    widget.activateWindow()  # focus frames are drawn only in the active window
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def new_window(service: FakeCounterService, runner: TaskRunner) -> MainWindow:
    options = WindowOptions(
        demo=True,
        counter=CounterOptions(
            today=lambda: date(2026, 6, 12), pick_reason=lambda _p: RefusalReason.OTHER
        ),
        prefill_matricule="123456",
        poll_interval_ms=3_600_000,
    )
    window = MainWindow(service, runner, options)
    window.resize(*SIZE)
    window.show()
    return window


def logged_in(window: MainWindow) -> None:
    window.login_view.password.setText(PASSWORD)
    window.login_view.submit_button.click()
    settle()


def look_up(window: MainWindow, text: str) -> None:
    window.counter.field.setText(text)
    window.counter.submit_text(text)
    settle()


def tick_and_validate(window: MainWindow) -> None:
    for box in window.counter.checks.checkboxes():
        box.setChecked(True)
    window.counter.checks.validate_button.click()
    settle()


def scenes(service: FakeCounterService, window: MainWindow) -> list[tuple[str, Callable[[], None]]]:
    def identity() -> None:
        look_up(window, "7K3QZ9")
        window.counter.checks.name_matches.setChecked(True)
        window.counter.checks.birth_date_matches.setChecked(True)
        window.counter.checks.photo_matches.setFocus()

    def transmitted() -> None:
        look_up(window, "7K3QZ9")
        tick_and_validate(window)

    def pending() -> None:
        service.deliver = DeliveryState.PENDING
        service.pending = 2
        service.online = True
        look_up(window, "7K3QZ9")
        tick_and_validate(window)
        service.online = False
        window.status_area.set_online(False)

    def already_validated() -> None:
        service.online = True
        window.status_area.set_online(True)
        service.fail_next["lookup"] = ServerError(
            "already-validated",
            409,
            context={
                "officer_name": "Brigadier Paul Roux",
                "station": "CSP Lyon 7e",
                "at": "2026-06-11T14:05:00Z",
            },
        )
        look_up(window, "DNE000")

    def invalid_input() -> None:
        window.counter.clear()
        window.counter.field.setFocus()
        QTest.keyClicks(window.counter.field, "7KU3")
        settle()

    return [
        ("counter-identity", identity),
        ("counter-transmitted", transmitted),
        ("counter-pending", pending),
        ("counter-already-validated", already_validated),
        ("counter-invalid-reference", invalid_input),
        ("lock", window.lock),
    ]


def main() -> int:
    app = QApplication(sys.argv)
    apply_style(app)
    OUT.mkdir(parents=True, exist_ok=True)
    service = FakeCounterService()
    runner = TaskRunner()
    wizard = EnrolmentWizard(service, runner, "https://guichet.interieur.example", "")
    wizard.resize(760, 520)
    wizard.show()
    save(wizard, "enrolment")
    wizard.close()
    window = new_window(service, runner)
    service.fail_next["login"] = ServerError("not-habilitated", 403)
    window.login_view.password.setText("x")
    window.login_view.submit_button.click()
    settle()
    save(window, "login-refused")
    window.login_view.reset()
    save(window, "login")
    logged_in(window)
    for name, scene in scenes(service, window):
        scene()
        save(window, name)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
