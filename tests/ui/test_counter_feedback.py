"""Issue 13, item 4: what the counter says between two people and before a decision."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.services.errors import ServerError
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.tasks import TaskRunner
from tests.support.fake_counter import FakeCounterService

from .helpers import look_up, tick_all


@pytest.fixture
def counter(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, counter_options: CounterOptions
) -> CounterView:
    view = CounterView(service, runner, counter_options)
    qtbot.addWidget(view)
    view.show()
    return view


def test_typing_the_next_reference_clears_the_last_banner(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, "EXP1RD")
    assert counter.banner.isVisible()
    QTest.keyClicks(counter.field, "7")
    assert not counter.banner.isVisible()


def test_typing_the_next_reference_clears_the_last_persons_result(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.validate_button.click()
    assert counter.banner.title == "Transmise"
    QTest.keyClicks(counter.field, "A")
    assert not counter.banner.isVisible()
    assert not counter.has_personal_data()
    assert counter.field.text() == "A"


def test_already_validated_names_the_reference_with_who_where_when(
    qtbot: QtBot, counter: CounterView
) -> None:
    look_up(qtbot, counter, "DNE000")
    assert counter.banner.title == "Déjà validée : DNE000"
    assert "Brigadier Paul Roux (CSP Lyon 7e) le 11/06/2026" in counter.banner.text


def test_already_validated_by_the_server_names_the_typed_reference(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    service.fail_next["lookup"] = ServerError(
        "already-validated",
        409,
        context={"officer_name": "Brigadier Paul Roux", "station": "CSP Lyon 7e",
                 "validated_at": "2026-06-11T14:05:00Z"},
    )  # fmt: skip
    look_up(qtbot, counter, "7k3qz9")
    assert counter.banner.title == "Déjà validée : 7K3QZ9"
    assert "CSP Lyon 7e" in counter.banner.text


def test_ctrl_enter_with_a_box_unticked_says_which(
    qtbot: QtBot, counter: CounterView, service: FakeCounterService
) -> None:
    look_up(qtbot, counter, "7K3QZ9")
    counter.checks.name_matches.setChecked(True)
    counter.checks.photo_matches.setChecked(True)
    QTest.keyClick(
        counter.checks.photo_matches, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert "validate" not in service.calls
    missing = counter.checks.missing
    assert missing.isVisible()
    assert missing.text() == (
        "Cochez « Date de naissance concorde » avant de valider, ou refusez (Ctrl+R)."
    )
    counter.checks.name_matches.setChecked(False)  # the sentence follows the boxes
    assert missing.text() == (
        "Cochez « Nom et prénoms concordent » et « Date de naissance concorde » avant de "
        "valider, ou refusez (Ctrl+R)."
    )
    tick_all(counter)
    assert not missing.isVisible()
