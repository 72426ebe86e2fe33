"""Renders the counter client's main screens with fake services into docs/screenshots/.

Run under a display server, from the repository root:
`xvfb-run -a .venv/bin/python -m scripts.render_screens`
(`scripts/screenshots.sh` does it). The fake service is the UI tests' one. The window is
rendered at 1280x800 into docs/screenshots/ and again at 1024x768 (a small counter screen)
into docs/screenshots/1024x768/, to catch truncated text and crowded layouts.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop.services.errors import NotEnrolledError, OfflineError, ServerError
from desktop.services.offline import OfflineLoginError
from desktop.services.ports import DeliveryState, SubmitOutcome
from desktop.ui.counter_view import CounterOptions
from desktop.ui.enrolment import EnrolmentWizard
from desktop.ui.main_window import MainWindow, WindowOptions, ask_close_with_pending
from desktop.ui.refusal_dialog import Refusal, RefusalDialog
from desktop.ui.refused_view import RefusedDialog
from desktop.ui.style import apply_style
from desktop.ui.tasks import TaskRunner
from procuration.models import RefusalReason
from tests.support.fake_counter import PASSWORD, RESILIATION, FakeCounterService

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {(1280, 800): OUT, (1024, 768): OUT / "1024x768"}
_target = [OUT]  # where `save` writes: the folder of the size being rendered


def settle(ms: int = 150) -> None:
    QThreadPool.globalInstance().waitForDone(5000)
    for _ in range(5):
        QCoreApplication.processEvents()
        QTest.qWait(ms // 5)


def save(widget: QWidget, name: str) -> None:
    widget.activateWindow()  # focus frames are drawn only in the active window
    settle()
    path = _target[0] / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def new_window(
    service: FakeCounterService, runner: TaskRunner, size: tuple[int, int]
) -> MainWindow:
    options = WindowOptions(
        demo=True,
        counter=CounterOptions(
            today=lambda: date(2026, 6, 12),
            pick_reason=lambda _p: Refusal(RefusalReason.OTHER, "Pièce illisible"),
        ),
        prefill_matricule="123456",
        poll_interval_ms=3_600_000,
        confirm_close=lambda _parent, _pending: True,  # the question is rendered on its own
    )
    window = MainWindow(service, runner, options)
    window.resize(*size)
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


def shift_scenes(
    service: FakeCounterService, window: MainWindow
) -> list[tuple[str, Callable[[], None]]]:
    """What issue 13 added: the missing check named, the identity hidden after a minute
    undecided, the last banner gone as the next reference is typed."""

    def missing_check() -> None:
        service.online = True
        window.status_area.set_online(True)
        look_up(window, "7K3QZ9")
        window.counter.checks.name_matches.setChecked(True)
        window.counter.checks.photo_matches.setChecked(True)
        window.counter.checks.photo_matches.setFocus()
        QTest.keyClick(window.counter.checks.photo_matches, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)  # fmt: skip
        settle()

    def identity_hidden() -> None:
        look_up(window, "7K3QZ9")
        window.counter.undecided_watch.idle_timed_out.emit()  # a minute without a decision
        settle()

    def next_reference_typed() -> None:
        look_up(window, "EXP1RD")
        window.counter.field.setFocus()
        QTest.keyClicks(window.counter.field, "4K2")
        settle()

    return [
        ("counter-missing-check", missing_check),
        ("counter-identity-hidden", identity_hidden),
        ("counter-next-reference", next_reference_typed),
    ]


def scenes(service: FakeCounterService, window: MainWindow) -> list[tuple[str, Callable[[], None]]]:
    def identity() -> None:
        look_up(window, "7K3QZ9")
        window.counter.checks.name_matches.setChecked(True)
        window.counter.checks.birth_date_matches.setChecked(True)
        window.counter.checks.photo_matches.setFocus()

    def resiliation() -> None:
        look_up(window, RESILIATION)
        window.counter.checks.name_matches.setChecked(True)

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

    def validated_elsewhere() -> None:
        # Valider pressed, but a colleague's validation reached the server first.
        service.online = True
        window.status_area.set_online(True)
        service.deliver = DeliveryState.FAILED
        service.failure_context = {
            "officer_name": "Capitaine Hélène Da Costa",
            "station": "CSP Lyon 7e",
            "at": "2026-06-12T07:58:00Z",
        }
        look_up(window, "7K3QZ9")
        tick_and_validate(window)
        service.deliver = DeliveryState.TRANSMITTED

    def offline_qr() -> None:
        service.online = False
        window.status_area.set_online(False)
        look_up(window, "MPR1:eyJhbGciOiJFZERTQSJ9.e30.c2ln")

    def invalid_input() -> None:
        window.counter.clear()
        window.counter.field.setFocus()
        QTest.keyClicks(window.counter.field, "7KU3")
        settle()

    return [
        ("counter-identity", identity),
        ("counter-resiliation", resiliation),
        ("counter-transmitted", transmitted),
        ("counter-pending", pending),
        ("counter-already-validated", already_validated),
        ("counter-validated-elsewhere", validated_elsewhere),
        ("counter-offline-qr", offline_qr),
        *shift_scenes(service, window),
        ("counter-invalid-reference", invalid_input),
        ("lock", window.lock),
    ]


def refused_scene(service: FakeCounterService, window: MainWindow) -> None:
    """Decisions the server refused for good, as the officer sees them listed."""
    window.lock_screen.unlocked.emit()  # after the lock scene: back at the counter
    window.counter.clear()
    service.online = True
    service.to_flush = [
        SubmitOutcome(
            "0b7c1f1e-8a55-4f57-9d33-4a5c0e7f2a11", "4K2YKS", DeliveryState.FAILED, 0,
            "already-validated", {"officer_name": "Brigadier Paul Roux",
            "station": "CSP Lyon 7e", "at": "2026-06-11T14:05:00Z"},
        ),
        SubmitOutcome(
            "1c8d2f2e-9b66-4a68-8e44-5b6d1f8a3b22", "TS7N99", DeliveryState.FAILED, 0,
            "not-habilitated",
        ),
    ]  # fmt: skip
    window.poll()
    settle(500)
    save(window, "counter-refused-banner")
    window.show_refused()
    settle()
    dialog = window.findChild(RefusedDialog)
    if dialog is not None:
        save(dialog, "outbox-refused")
        dialog.close()


def refusal_dialog_scene(window: MainWindow) -> None:
    """The refusal dialog with "Autre motif" picked by its digit and a few words typed."""
    dialog = RefusalDialog(window)
    dialog.show()
    settle()
    QTest.keyClick(dialog, Qt.Key.Key_4)
    QTest.keyClicks(dialog.note, "Photo trop ancienne")
    save(dialog, "refusal-dialog")
    dialog.reject()


def close_question_scene(window: MainWindow) -> None:
    """What closing the window asks while decisions wait in the outbox."""

    def grab_and_answer() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            save(box, "close-pending")
            box.close()

    QTimer.singleShot(300, grab_and_answer)
    ask_close_with_pending(window, 2)


def camera_scene(service: FakeCounterService, window: MainWindow, frame: Path) -> None:
    """The counter with the webcam preview running (a still frame played as a camera):
    the code is read, the identity shown from it."""
    from desktop.services.scanner import CameraInfo, FileSource
    from desktop.ui.scanner_setup import ScannerBridge
    from desktop.ui.scanner_widget import ScannerWidget

    window.counter.clear()
    service.online = True
    window.status_area.set_online(True)
    camera = CameraInfo(spec=str(frame), label="Webcam du guichet (démonstration)")
    scanner = ScannerWidget(
        lambda _spec: FileSource(frame, fps=30, loop=True), lambda: [camera], beep=lambda: None
    )
    ScannerBridge(window.counter, scanner, QSettings(str(frame.with_suffix(".ini")),
                                                     QSettings.Format.IniFormat))  # fmt: skip
    window.counter.set_scanner_widget(scanner)
    scanner.start()
    deadline = time.monotonic() + 10
    while not window.counter.identity.is_showing() and time.monotonic() < deadline:
        settle(100)
    settle(300)
    save(window, "counter-camera")
    scanner.stop()


def camera_frame(directory: Path) -> Path:
    """A 1280x720 webcam-like frame: a phone showing a request's QR code."""
    import cv2
    import numpy as np

    from tests.support import scanner_images as images

    rng = np.random.default_rng(7)
    payload = images.request_payload(rng)
    scene = images.Scene(module_px=4.5, angle_deg=6.0, tilt=0.08, noise_sigma=3.0)
    path = directory / "camera.png"
    cv2.imwrite(str(path), images.compose(payload, scene, rng))
    return path


def offline_and_shared_pc_scenes(size: tuple[int, int]) -> None:
    """Issue 13: a colleague told to enrol, the shared-PC enrolment, an offline unlock
    refused, the counter in an offline session with a typed reference refused, and a
    login during the outage (the counter marked "Session hors ligne")."""
    service, runner = FakeCounterService(), TaskRunner()
    window = new_window(service, runner, size)
    window.login_view.matricule.setText("654321")
    service.fail_next["login"] = NotEnrolledError("no key", code="not-enrolled-officer")
    logged_in(window)
    save(window, "login-not-enrolled-for-you")
    wizard = EnrolmentWizard(
        service, runner, "https://guichet.interieur.example", "/etc/guichet/ca.pem", window,
        owner="654321", known_server=True,
    )  # fmt: skip
    wizard.resize(760, 520)
    wizard.show()
    save(wizard, "enrolment-shared-pc")
    wizard.close()
    window.login_view.matricule.setText("123456")
    logged_in(window)
    service.online, service.offline = False, True
    window.status_area.set_online(False)
    window.lock()
    service.fail_next["unlock"] = OfflineLoginError("over", code="offline-expired")
    window.lock_screen.password.setText("x")
    window.lock_screen.unlock_button.click()
    settle()
    save(window, "lock-offline-refused")
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.unlock_button.click()
    settle()
    service.fail_next["lookup"] = OfflineError("typed", code="offline-session")
    look_up(window, "7K3QZ9")
    save(window, "counter-offline-session")
    window.logout()  # logged out during the outage, then in again with the local verifier
    settle()
    window.login_view.matricule.setText("123456")
    logged_in(window)
    save(window, "login-offline")
    window.close()
    runner.wait_for_done()


def render(size: tuple[int, int], frame: Path) -> None:
    _target[0] = SIZES[size]
    _target[0].mkdir(parents=True, exist_ok=True)
    service = FakeCounterService()
    runner = TaskRunner()
    wizard = EnrolmentWizard(service, runner, "https://guichet.interieur.example", "")
    wizard.resize(760, 520)
    wizard.show()
    save(wizard, "enrolment")
    wizard.close()
    window = new_window(service, runner, size)
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
    refused_scene(service, window)
    refusal_dialog_scene(window)
    close_question_scene(window)
    camera_scene(service, window, frame)
    from scripts.render_receipt_help_day import item7_scenes  # the receipt, F1, day search

    item7_scenes(service, window, _target[0], save)
    window.close()
    runner.wait_for_done()
    offline_and_shared_pc_scenes(size)


def main() -> int:
    app = QApplication(sys.argv)
    apply_style(app)
    with tempfile.TemporaryDirectory() as directory:
        frame = camera_frame(Path(directory))
        for size in SIZES:
            render(size, frame)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
