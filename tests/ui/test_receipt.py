"""Issue 13 item 7: the voter's receipt after a validation — a PDF, the print dialog, one key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.ports import DeliveryState
from desktop.ui.counter_view import CounterOptions
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.receipt import Receipt, write_receipt_pdf
from desktop.ui.tasks import TaskRunner
from tests.support.clock import FakeClock
from tests.support.fake_counter import FakeCounterService
from tests.ui.helpers import log_in, look_up, tick_all

# 12:05 UTC on a summer day is 14:05 in Paris (UTC+2): the receipt must say 14:05.
DECIDED_AT = datetime(2026, 6, 12, 12, 5, tzinfo=UTC)


def pdf_text(path: Path) -> str:
    """The PDF's words, one space apart (the extractor renders some spaces as tabs)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


class PrintDialogs:
    """Stands for the print dialog: keeps the PDF's text and the printer it was offered."""

    def __init__(self) -> None:
        self.answer = False
        self.to_file: Path | None = None  # "print to file" chosen in the dialog
        self.texts: list[str] = []
        self.printers: list[QPrinter] = []

    def __call__(self, _parent: QWidget, printer: QPrinter, pdf: Path) -> bool:
        self.texts.append(pdf_text(pdf))
        self.printers.append(printer)
        if self.to_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.to_file))
        return self.answer


@pytest.fixture
def dialogs() -> PrintDialogs:
    return PrintDialogs()


@pytest.fixture
def receipt_window(
    qtbot: QtBot,
    service: FakeCounterService,
    runner: TaskRunner,
    clock: FakeClock,
    counter_options: CounterOptions,
    dialogs: PrintDialogs,
) -> Iterator[MainWindow]:
    options = WindowOptions(
        clock=clock,
        counter=counter_options,
        prefill_matricule="123456",
        confirm_close=lambda _parent, _pending: True,
        now=lambda: DECIDED_AT,
        ask_print=dialogs,
    )
    main = MainWindow(service, runner, options)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def validate(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window)
    look_up(qtbot, window.counter, "7K3QZ9")
    tick_all(window.counter)
    with qtbot.waitSignal(window.counter.submit_finished):
        window.counter.checks.validate_button.click()


def press_ctrl_p(window: MainWindow) -> None:
    QTest.keyClick(window.counter.field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_p_after_a_validation_offers_the_receipt_to_print(
    qtbot: QtBot, receipt_window: MainWindow, dialogs: PrintDialogs
) -> None:
    validate(qtbot, receipt_window)
    press_ctrl_p(receipt_window)
    assert len(dialogs.texts) == 1
    text = dialogs.texts[0]
    assert "Récépissé" in text
    assert "7K3QZ9" in text
    assert "12/06/2026" in text and "14:05" in text  # Europe/Paris, not UTC
    assert "CSP Lyon 3e" in text
    assert "Brigadier-chef Claire Martin" in text
    assert "transmise à la mairie" in text
    # Nothing of the voter's identity: a receipt may be lost.
    for personal in ("DUPONT", "LEFÈVRE", "Marie", "1961", "12/03", "Villeurbanne"):
        assert personal not in text
    assert dialogs.printers[0].pageLayout().pageSize().name() == "A5"


def test_the_banner_button_prints_the_receipt_of_a_validation_waiting_to_be_sent(
    qtbot: QtBot, receipt_window: MainWindow, service: FakeCounterService, dialogs: PrintDialogs
) -> None:
    service.deliver = DeliveryState.PENDING
    validate(qtbot, receipt_window)
    button = receipt_window.counter.banner.action_button
    assert button.isVisible() and "Récépissé" in button.text()
    button.click()
    assert "sera transmise à la mairie" in dialogs.texts[0]
    assert "dès le retour de la connexion" in dialogs.texts[0]


def test_no_receipt_for_a_refusal_nor_once_the_screen_is_cleared(
    qtbot: QtBot, receipt_window: MainWindow, dialogs: PrintDialogs
) -> None:
    log_in(qtbot, receipt_window)
    look_up(qtbot, receipt_window.counter, "7K3QZ9")
    with qtbot.waitSignal(receipt_window.counter.submit_finished):
        receipt_window.counter.checks.refuse_button.click()
    assert not receipt_window.counter.banner.action_button.isVisible()
    press_ctrl_p(receipt_window)
    assert dialogs.texts == []
    look_up(qtbot, receipt_window.counter, "7K3QZ9")
    tick_all(receipt_window.counter)
    with qtbot.waitSignal(receipt_window.counter.submit_finished):
        receipt_window.counter.checks.validate_button.click()
    QTest.keyClick(receipt_window.counter.field, Qt.Key.Key_Escape)
    press_ctrl_p(receipt_window)
    assert dialogs.texts == []


def test_the_receipt_pdf_reads_in_french(tmp_path: Path, qapp: object) -> None:
    path = tmp_path / "r.pdf"
    receipt = Receipt(
        reference="7K3QZ9",
        at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC),  # winter: UTC+1
        station="Brigade de Brignais",
        officer_grade="Gendarme",
        officer_name="Paul Roux",
        state=DeliveryState.TRANSMITTED,
    )
    write_receipt_pdf(path, receipt)
    assert len(PdfReader(path).pages) == 1
    text = pdf_text(path)
    assert "02/12/2026" in text and "10:30" in text
    assert "Brigade de Brignais" in text and "Gendarme Paul Roux" in text


def test_printing_to_a_file_the_officer_chose_saves_the_receipt(
    qtbot: QtBot, receipt_window: MainWindow, dialogs: PrintDialogs, tmp_path: Path
) -> None:
    """The print dialog's "print to file": the receipt lands where the officer chose."""
    chosen = tmp_path / "pour-le-mandant.pdf"
    dialogs.to_file, dialogs.answer = chosen, True
    validate(qtbot, receipt_window)
    press_ctrl_p(receipt_window)
    assert "7K3QZ9" in pdf_text(chosen) and "Brigadier-chef Claire Martin" in pdf_text(chosen)
