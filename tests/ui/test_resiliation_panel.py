"""A résiliation at the counter cannot be taken for a proxy: the word RÉSILIATION, its own
colour and icon, and the proxy it ends (mandataire, scope), gone with the rest on clearing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.services.ports import DisplayedRequest, LookupResult, LookupSource
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.resiliation_panel import ResiliationPanel
from desktop.ui.tasks import TaskRunner
from procuration.models import RequestStatus
from tests.support.fake_counter import (
    CANCELLED,
    RESILIATION,
    FakeCounterService,
    resiliation_qr_payload,
    resiliation_response,
)

from .helpers import look_up, tick_all


@pytest.fixture
def counter(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, counter_options: CounterOptions
) -> CounterView:
    view = CounterView(service, runner, counter_options)
    qtbot.addWidget(view)
    view.resize(1024, 768)
    view.show()
    return view


def _texts(panel: ResiliationPanel) -> str:
    return " | ".join(label.text() for label in panel.findChildren(QLabel) if label.isVisible())


def test_a_resiliation_says_so_and_names_the_proxy_it_ends(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, RESILIATION)
    panel = counter.resiliation
    assert panel.isVisible()
    assert panel.word.text() == "RÉSILIATION"
    shown = _texts(panel)
    assert f"{CANCELLED} — Établie" in shown
    assert "N'DIAYE Jean-Baptiste" in shown
    assert "30/11/1979 (46 ans)" in shown
    assert "Nanterre (92050)" in shown
    assert "Du 12/06/2026 au 31/05/2027" in shown
    assert "résilie la procuration" in panel.explanation.text()
    # The mandant is still compared with the ID document, as for a validation.
    assert counter.identity.is_showing()
    assert counter.checks.validate_button.isVisible()


def test_a_proxy_never_shows_the_resiliation_panel(qtbot: QtBot, counter: CounterView) -> None:
    look_up(qtbot, counter, RESILIATION)
    look_up(qtbot, counter, "7K3QZ9")
    assert not counter.resiliation.isVisible()
    assert counter.identity.is_showing()


def test_clearing_removes_the_mandataire_from_the_screen(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, RESILIATION)
    counter.clear()
    assert not counter.resiliation.isVisible()
    assert all(not value.text() for value in counter.resiliation.values.values())
    assert not counter.has_personal_data()


def test_validating_a_resiliation_goes_through_the_service(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    look_up(qtbot, counter, RESILIATION)
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished, timeout=3000):
        counter.checks.validate_button.click()
    assert service.calls.count("validate") == 1


def test_a_resiliation_read_offline_says_what_it_cannot_know(qtbot: QtBot) -> None:
    panel = ResiliationPanel(lambda: date(2026, 6, 12))
    qtbot.addWidget(panel)
    shown = DisplayedRequest.from_qr(resiliation_qr_payload())
    panel.show_lookup(LookupResult(shown, LookupSource.SIGNED_QR))
    assert panel.values["proxy"].text() == CANCELLED  # its state is not in the QR code
    assert panel.values["mandataire"].text() == "N'DIAYE Jean-Baptiste"
    assert panel.values["scope"].text() == "Du 12/06/2026 au 31/05/2027"


def test_a_resiliation_of_a_proxy_no_longer_in_force_says_it_cannot_be_validated(
    qtbot: QtBot,
) -> None:
    panel = ResiliationPanel(lambda: date(2026, 6, 12))
    qtbot.addWidget(panel)
    shown = resiliation_response()
    assert shown.cancels is not None
    gone = shown.cancels.model_copy(update={"status": RequestStatus.CANCELLED})
    panel.show_lookup(LookupResult(shown.model_copy(update={"cancels": gone}), LookupSource.ONLINE))
    assert "n'est plus en vigueur" in panel.explanation.text()
    assert panel.values["proxy"].text() == f"{CANCELLED} — Résiliée"
