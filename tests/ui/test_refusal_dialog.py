"""Issue 13, item 6: the refusal dialog, by keyboard, and "Autre motif" in a few words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.ui.counter_view import CounterView
from desktop.ui.refusal_dialog import Refusal, RefusalDialog
from desktop.ui.tasks import TaskRunner
from procuration.models import RefusalReason
from tests.support.clock import FakeClock
from tests.support.fake_counter import FakeCounterService

from .helpers import look_up


@pytest.fixture
def dialog(qtbot: QtBot) -> RefusalDialog:
    shown = RefusalDialog()
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitExposed(shown)
    return shown


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (Qt.Key.Key_1, RefusalReason.IDENTITY_MISMATCH),
        (Qt.Key.Key_2, RefusalReason.DOCUMENT_UNACCEPTABLE),
        (Qt.Key.Key_3, RefusalReason.NOT_THE_MANDANT),
    ],
)
def test_a_digit_picks_the_reason_and_enter_refuses(
    qtbot: QtBot, dialog: RefusalDialog, key: Qt.Key, reason: RefusalReason
) -> None:
    QTest.keyClick(dialog.focusWidget() or dialog, key)
    assert dialog.reason() is reason
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.refusal() == Refusal(reason)


def test_enter_on_cancel_cancels(qtbot: QtBot, dialog: RefusalDialog) -> None:
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_1)
    dialog.cancel_button.setFocus()
    with qtbot.waitSignal(dialog.rejected):
        QTest.keyClick(dialog.cancel_button, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected.value


def test_other_needs_a_few_words_which_the_digits_do_not_disturb(
    qtbot: QtBot, dialog: RefusalDialog
) -> None:
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_4)
    assert dialog.reason() is RefusalReason.OTHER
    assert dialog.note.hasFocus()
    QTest.keyClick(dialog.note, Qt.Key.Key_Return)  # nothing typed: not refused yet
    assert dialog.isVisible()
    assert not dialog._confirm.isEnabled()
    assert dialog.note_hint.property("invalid") is True
    QTest.keyClicks(dialog.note, "Photo de 2010")
    assert dialog.reason() is RefusalReason.OTHER  # "2" went into the text
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.refusal() == Refusal(RefusalReason.OTHER, "Photo de 2010")


def test_the_note_is_only_for_other(qtbot: QtBot, dialog: RefusalDialog) -> None:
    assert not dialog.note.isEnabled()
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_4)
    QTest.keyClicks(dialog.note, "texte")
    dialog.choices[RefusalReason.IDENTITY_MISMATCH].setChecked(True)
    assert not dialog.note.isEnabled()
    assert dialog.refusal() == Refusal(RefusalReason.IDENTITY_MISMATCH)


def test_the_note_reaches_the_service_beside_the_reason(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, clock: FakeClock
) -> None:
    from desktop.ui.counter_view import CounterOptions

    options = CounterOptions(
        clock=clock, pick_reason=lambda _p: Refusal(RefusalReason.OTHER, "Pièce abîmée")
    )
    counter = CounterView(service, runner, options)
    qtbot.addWidget(counter)
    look_up(qtbot, counter, "7K3QZ9")
    with qtbot.waitSignal(counter.submit_finished):
        counter.checks.refuse_button.click()
    assert service.last_refusal[1] is RefusalReason.OTHER
    assert service.last_note == "Pièce abîmée"
