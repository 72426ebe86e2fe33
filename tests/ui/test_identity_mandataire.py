"""Issue 13 item 7: beside the mandant, the counter names the MANDATAIRE and says the
scope in plain French with its polling day (the wire's `election_date`, the last one)."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from desktop.services.ports import DisplayedRequest, LookupResult, LookupSource
from desktop.ui import formatting
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.identity_panel import IdentityPanel
from desktop.ui.tasks import TaskRunner
from procuration.models import Scope
from tests.support.fake_counter import (
    PROXY_HOLDER,
    RESILIATION,
    FakeCounterService,
    qr_payload,
)

from .helpers import look_up

JWS = "MPR1:eyJhbGciOiJFZDI1NTE5In0.eyJyZWYiOiI3SzNRWjkifQ.abc-DEF_ghi"


@pytest.fixture
def counter(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, counter_options: CounterOptions
) -> CounterView:
    view = CounterView(service, runner, counter_options)
    qtbot.addWidget(view)
    view.show()
    return view


def test_an_online_lookup_names_the_mandataire_and_both_rounds(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    values = counter.identity.values
    assert values["mandataire"].isVisible()
    assert values["mandataire"].text() == (
        "MARTIN Louise, né(e) le 04/07/1988 (37 ans)\ninscrit(e) à Lyon 3e Arrondissement (69383)"
    )
    assert values["mandataire"].property("unknown") is False
    assert values["scope"].text() == (
        "Partielle 2026 (démonstration) — les deux tours (2d tour le 21/06/2026)"
    )


def test_a_proxy_read_offline_says_the_mandataire_is_not_available(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.online = False
    look_up(qtbot, counter, JWS)
    mandataire = counter.identity.values["mandataire"]
    assert mandataire.isVisible()
    assert mandataire.text() == "non disponible hors ligne"
    assert mandataire.property("unknown") is True


def test_a_signed_qr_code_that_carries_the_mandataire_shows_it_offline(qtbot: QtBot) -> None:
    panel = IdentityPanel(lambda: date(2026, 6, 12))
    qtbot.addWidget(panel)
    panel.show()
    payload = qr_payload().model_copy(update={"mandataire": PROXY_HOLDER})
    panel.show_lookup(LookupResult(DisplayedRequest.from_qr(payload), LookupSource.SIGNED_QR))
    assert panel.values["mandataire"].text().startswith("MARTIN Louise, né(e) le 04/07/1988")
    assert panel.values["mandataire"].property("unknown") is False


def test_a_resiliation_names_its_mandataire_once_in_its_own_panel(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, RESILIATION)
    assert counter.resiliation.values["mandataire"].isVisible()
    assert not counter.identity.values["mandataire"].isVisible()
    look_up(qtbot, counter, "7K3QZ9")  # the next proxy shows its mandataire again
    assert counter.identity.values["mandataire"].isVisible()


@pytest.mark.parametrize(
    ("scope", "text"),
    [
        (
            Scope(
                kind="election",
                election="Présidentielle 2027",
                rounds="first",
                election_date="2027-04-11",
            ),
            "Présidentielle 2027 — 1er tour, le 11/04/2027",
        ),
        (
            Scope(
                kind="election",
                election="Présidentielle 2027",
                rounds="second",
                election_date="2027-04-25",
            ),
            "Présidentielle 2027 — 2d tour, le 25/04/2027",
        ),
        (
            Scope(kind="period", start="2026-06-12", end="2027-05-31"),
            "Du 12/06/2026 au 31/05/2027",
        ),
    ],
)
def test_each_scope_reads_in_plain_french_with_its_polling_day(
    scope: Scope, text: str, qtbot: QtBot
) -> None:
    assert formatting.scope_text(scope) == text
