"""Issue 13 against the real backend: killed in the middle of a shift, the officer logs
out, logs in again offline, validates a signed QR code; back, one online login sends it.
The second test walks the same outage at the counter window (idle lock, offline unlock)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.services.counter import Counter
from desktop.services.errors import OfflineError
from desktop.services.offline import OfflineLoginError
from desktop.services.ports import DeliveryState, LookupSource
from desktop.ui.banner import BannerKind
from desktop.ui.counter_view import CounterOptions
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.refusal_dialog import Refusal
from desktop.ui.tasks import TaskRunner
from procuration.models import RefusalReason
from tests.ui.helpers import log_in

from .conftest import CounterFactory, World
from .harness import PASSWORD, BackendServer, qr_text_of, validate
from .test_e2e_counter import commune_proxy, flush_until_delivered, station_journal


def test_backend_killed_logout_login_offline_then_delivered_after_the_next_online_login(
    world: World, backend: BackendServer, officer_at_counter: Callable[[str], Counter]
) -> None:
    counter = officer_at_counter("OPJ001")
    reference = world.reference()
    scanned = qr_text_of(world.data_dir, reference)
    backend.stop()
    counter.logout()  # the session token is gone: only the offline login is left

    with pytest.raises(OfflineLoginError):
        counter.login("OPJ001", "not the password")
    counter.login("OPJ001", PASSWORD)
    assert counter.offline_session()
    with pytest.raises(OfflineError):
        counter.lookup(world.reference())
    lookup, outcome = validate(counter, scanned)
    assert lookup.source is LookupSource.SIGNED_QR
    assert outcome.state is DeliveryState.PENDING

    backend.start()
    counter.login("OPJ001", PASSWORD)
    assert not counter.offline_session()
    deadline = 30
    while counter.pending_count() and deadline:
        counter.flush_outbox()
        deadline -= 1
    assert counter.pending_count() == 0
    assert [(i.reference, i.state) for i in counter.today()] == [
        (reference, DeliveryState.TRANSMITTED)
    ]


def test_a_shift_through_an_outage_at_the_window_loses_nothing_and_locks_nobody_out(
    qtbot: QtBot, world: World, backend: BackendServer, new_counter: CounterFactory
) -> None:
    """Issue 13, at the counter window: one proxy validated online; the backend stops;
    the idle lock comes and the officer unlocks offline; a signed QR code is validated and
    waits; logged out and in again offline; the backend restarts on the same data dir and
    port; after a lock/unlock online the waiting validation is delivered exactly once."""
    counter = new_counter("shift")
    counter.enroll(backend.url, None, world.code("OPJ001"), "Guichet partagé")
    runner = TaskRunner()
    window = MainWindow(counter, runner, _shift_options())
    qtbot.addWidget(window)
    window.show()
    online_ref, offline_ref = world.reference(), world.reference()
    scanned = qr_text_of(world.data_dir, offline_ref)

    log_in(qtbot, window, PASSWORD)
    _validate_at_the_window(qtbot, window, online_ref)
    assert _banner(window) is BannerKind.TRANSMITTED

    backend.stop()
    window.idle.idle_timed_out.emit()  # what the inactivity timer does after idle_lock
    assert window.is_locked()
    _unlock(qtbot, window)
    assert window.offline_session()
    assert window.status_area.offline_session.text().startswith("Session hors ligne")

    _validate_at_the_window(qtbot, window, scanned)
    assert _banner(window) is BannerKind.PENDING
    assert counter.pending_count() == 1

    with qtbot.waitSignal(window.logged_out, timeout=5000):
        window.logout()
    log_in(qtbot, window, PASSWORD)  # the local verifier: no server to ask
    assert window.offline_session() and counter.pending_count() == 1

    backend.start()
    window.lock()  # what the "réseau revenu" notice asks (Ctrl+L), then unlock online
    _unlock(qtbot, window)
    assert not window.offline_session()
    delivered = flush_until_delivered(counter)
    assert [o.state for o in delivered] == [DeliveryState.TRANSMITTED]
    assert counter.flush_outbox() == [] and counter.pending_count() == 0
    validated = [
        e["reference"]
        for e in station_journal(world)
        if e["kind"] == "validation.validated" and e["reference"] in (online_ref, offline_ref)
    ]
    assert sorted(validated) == sorted([online_ref, offline_ref])  # each exactly once
    assert commune_proxy(world, offline_ref)["status"] == "established"
    window.close()
    runner.wait_for_done()


def _shift_options() -> WindowOptions:
    return WindowOptions(
        idle_lock=120,
        prefill_matricule="OPJ001",
        confirm_close=lambda _parent, _pending: True,
        poll_interval_ms=3_600_000,  # the test flushes itself, as the poll would
        counter=CounterOptions(
            pick_reason=lambda _parent: Refusal(RefusalReason.IDENTITY_MISMATCH)
        ),
    )


def _validate_at_the_window(qtbot: QtBot, window: MainWindow, text: str) -> None:
    counter = window.counter
    with qtbot.waitSignal(counter.lookup_finished, timeout=10_000):
        counter.submit_text(text)
    assert counter.identity.is_showing(), counter.banner.text
    for box in counter.checks.checkboxes():
        box.setChecked(True)
    with qtbot.waitSignal(counter.submit_finished, timeout=10_000):
        counter.checks.validate_button.click()


def _banner(window: MainWindow) -> BannerKind | None:
    return window.counter.banner.kind


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.lock_screen.unlocked, timeout=10_000):
        window.lock_screen.password.setText(PASSWORD)
        QTest.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
