"""The counter: reference field, identity, ID check, result banner, clearing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.services.errors import ServerError
from desktop.services.ports import DeliveryState
from desktop.ui.banner import BannerKind
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.tasks import TaskRunner
from procuration.timeutil import PARIS
from tests.support.clock import FakeClock
from tests.support.fake_counter import FakeCounterService

from .helpers import look_up, tick_all

JWS = "MPR1:eyJhbGciOiJFZDI1NTE5In0.eyJyZWYiOiI3SzNRWjkifQ.abc-DEF_ghi"


@pytest.fixture
def counter(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, counter_options: CounterOptions
) -> CounterView:
    view = CounterView(service, runner, counter_options)
    qtbot.addWidget(view)
    view.show()
    return view


def test_field_normalizes_as_you_type(qtbot: QtBot, counter: CounterView) -> None:
    QTest.keyClicks(counter.field, "7k3-qz 9")
    assert counter.field.text() == "7K3QZ9"
    assert "Entrée pour rechercher" in counter.hint.text()
    counter.field.clear()
    QTest.keyClicks(counter.field, "oil")
    assert counter.field.text() == "011"
    assert "3 caractère(s) sur 6" in counter.hint.text()


def test_field_says_when_it_cannot_be_a_reference(qtbot: QtBot, counter: CounterView) -> None:
    QTest.keyClicks(counter.field, "7KU")
    assert "« U »" in counter.hint.text()
    assert counter.hint.property("invalid") is True
    counter.field.clear()
    QTest.keyClicks(counter.field, "7K3QZ9A")
    assert "Trop long" in counter.hint.text()


def test_enter_on_an_incomplete_reference_does_not_call_the_service(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    QTest.keyClicks(counter.field, "7K3")
    QTest.keyClick(counter.field, Qt.Key.Key_Return)
    assert "6 caractères" in counter.hint.text()
    assert "lookup" not in service.calls


def test_a_scanner_typing_a_whole_payload_works_in_the_field(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.online = False
    QTest.keyClicks(counter.field, JWS)
    assert counter.field.text() == JWS  # kept as typed, not truncated nor upper-cased
    with qtbot.waitSignal(counter.lookup_finished):
        QTest.keyClick(counter.field, Qt.Key.Key_Return)
    assert counter.identity.is_showing()
    assert "code QR signé" in counter.identity._source.text()


def test_offline_signed_qr_shows_what_it_carries_and_says_what_it_does_not(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.online = False
    look_up(qtbot, counter, JWS)
    values = counter.identity.values
    assert values["birth_name"].text() == "DUPONT"
    assert values["first_names"].text() == "Marie Joséphine"
    assert values["birth_date"].text() == "12/03/1961 (65 ans)"
    unknown = counter.identity.unknown_text()
    assert unknown == "inconnu (hors ligne)"
    for name in ("usage_name", "birth_place", "scope", "status"):
        assert values[name].text() == unknown, name
    assert "69383" in values["commune"].text()
    assert "inconnu" in values["commune"].text()
    assert all("None" not in value.text() for value in values.values())
    # The QR code vouches for the identity: the officer may decide, the server settles
    # the request's state when the decision reaches it.
    assert counter.checks.refuse_button.isEnabled()
    tick_all(counter)
    assert counter.checks.validate_button.isEnabled()


def test_online_lookup_after_an_offline_one_shows_every_field_again(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.online = False
    look_up(qtbot, counter, JWS)
    service.online = True
    look_up(qtbot, counter, "7K3QZ9")
    values = counter.identity.values
    assert values["birth_place"].text() == "Villeurbanne (69)"
    assert values["status"].text() == "À valider"
    assert values["status"].property("unknown") is False


def test_lookup_shows_the_identity_not_selectable(qtbot: QtBot, counter: CounterView) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    values = counter.identity.values
    assert values["birth_name"].text() == "DUPONT"
    assert values["usage_name"].text() == "LEFÈVRE"
    assert values["first_names"].text() == "Marie Joséphine"
    assert values["birth_date"].text() == "12/03/1961 (65 ans)"
    assert values["birth_place"].text() == "Villeurbanne (69)"
    assert values["commune"].text() == "Lyon 3e Arrondissement (69383)"
    assert "les deux tours" in values["scope"].text()
    assert values["status"].text() == "À valider"
    selectable = (
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    for label in counter.identity.findChildren(QLabel):
        assert not (label.textInteractionFlags() & selectable)
    for value in values.values():
        assert value.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert counter.field.text() == ""


def test_validate_is_enabled_only_when_all_three_checks_are_ticked(
    qtbot: QtBot, counter: CounterView
) -> None:
    assert not counter.checks.refuse_button.isEnabled()
    look_up(qtbot, counter, "7K3QZ9")
    boxes = counter.checks.checkboxes()
    assert counter.checks.refuse_button.isEnabled()
    for index, box in enumerate(boxes):
        assert not counter.checks.validate_button.isEnabled()
        box.setChecked(True)
        assert counter.checks.validate_button.isEnabled() == (index == 2)
    boxes[1].setChecked(False)
    assert not counter.checks.validate_button.isEnabled()


@pytest.mark.parametrize(
    ("state", "kind", "title"),
    [
        (DeliveryState.TRANSMITTED, BannerKind.TRANSMITTED, "Transmise"),
        (DeliveryState.PENDING, BannerKind.PENDING, "En attente d'envoi (1)"),
        (DeliveryState.FAILED, BannerKind.FAILED, "7K3QZ9 non transmise : Déjà validée"),
    ],
)
def test_result_banner_says_what_happened(
    qtbot: QtBot,
    counter: CounterView,
    service: FakeCounterService,
    state: DeliveryState,
    kind: BannerKind,
    title: str,
) -> None:
    service.deliver = state
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    assert counter.banner.kind is kind
    assert counter.banner.title == title
    assert counter.field.hasFocus()
    assert not counter.checks.validate_button.isEnabled()


def test_validated_elsewhere_at_once_says_who_where_and_when(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.deliver = DeliveryState.FAILED
    service.failure_context = {
        "officer_name": "Capitaine Hélène Da Costa",
        "station": "PN-69-003",
        "validated_at": "2026-06-12T08:05:00Z",
    }
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    when = datetime(2026, 6, 12, 8, 5, tzinfo=UTC).astimezone(PARIS)  # whatever the PC's zone
    assert counter.banner.title == "7K3QZ9 non transmise : Déjà validée"
    assert counter.identity.values["status"].text() == "Non transmise : Déjà validée"
    assert counter.banner.text == (
        f"Cette procuration a déjà été validée par Capitaine Hélène Da Costa (PN-69-003) "
        f"le 12/06/2026 à {when:%H:%M} : il n'y a rien à refaire."
    )


def test_validated_elsewhere_without_details_keeps_the_short_sentence(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.deliver = DeliveryState.FAILED
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    assert counter.banner.text == (
        "Cette procuration a déjà été validée à un autre guichet : il n'y a rien à refaire."
    )


def test_refuse_asks_for_a_reason_and_sends_it(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.refuse_button.click()
    assert service.last_refusal[1].value == "identity-mismatch"
    assert counter.banner.title == "Refus transmis"
    assert counter.identity.values["status"].text() == "Refus transmis"


@pytest.mark.parametrize(
    ("text", "title", "phrase"),
    [
        ("EXP1RD", "Demande expirée : EXP1RD", "a expiré"),
        ("DNE000", "Déjà validée : DNE000", "Brigadier Paul Roux (CSP Lyon 7e) le 11/06/2026"),
        ("ZZZZZZ", "Référence inconnue", "Aucune demande"),
    ],
)
def test_distinct_messages_for_lookups_that_cannot_be_validated(
    qtbot: QtBot, counter: CounterView, text: str, title: str, phrase: str
) -> None:
    look_up(qtbot, counter, text)
    assert counter.banner.title == title
    assert phrase in counter.banner.text
    assert not counter.identity.is_showing()
    assert not counter.checks.refuse_button.isEnabled()


def test_not_habilitated_is_its_own_message(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    service.fail_next["validate"] = ServerError("not-habilitated", 403)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    assert counter.banner.title == "Validation impossible : non habilité"
    assert "habilitation" in counter.banner.text


def test_offline_typed_reference_is_said_plainly(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.online = False
    look_up(qtbot, counter, "7K3QZ9")
    assert counter.banner.title == "Hors ligne"
    assert "Scannez le code QR" in counter.banner.text


def test_panel_clears_itself_after_the_result(
    qtbot: QtBot, counter: CounterView, clock: FakeClock
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    clock.advance(29)
    counter.clear_countdown.check()
    assert counter.identity.is_showing()
    with qtbot.waitSignal(counter.cleared):
        clock.advance(1)
        counter.clear_countdown.check()
    assert not counter.identity.is_showing()
    assert not counter.banner.isVisible()
    assert counter.field.hasFocus()


def test_escape_clears_the_screen(qtbot: QtBot, counter: CounterView) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    with qtbot.waitSignal(counter.cleared):
        QTest.keyClick(counter.checks.document, Qt.Key.Key_Escape)
    assert not counter.has_personal_data()


def test_search_is_disabled_while_a_lookup_runs(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.gate = threading.Event()
    QTest.keyClicks(counter.field, "7K3QZ9")
    QTest.keyClick(counter.field, Qt.Key.Key_Return)
    assert not counter.search_button.isEnabled()
    assert counter.field.isReadOnly()
    with qtbot.waitSignal(counter.lookup_finished):
        service.gate.set()
    assert counter.search_button.isEnabled()


def test_scanner_widget_replaces_the_placeholder(qtbot: QtBot, counter: CounterView) -> None:
    scanner = QLabel("caméra")
    counter.set_scanner_widget(scanner)
    assert scanner.parent() is counter.scanner_slot
