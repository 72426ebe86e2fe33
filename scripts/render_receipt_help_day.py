"""Issue 13 item 7 screens for `render_screens`: the voter's receipt (the PDF page as a PNG),
the F1 help, and "Ma journée" filtered by a reference typed with look-alikes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from desktop.services.ports import DayItem, DeliveryState
from desktop.ui.day_view import DayDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.receipt import Receipt, write_receipt_pdf
from tests.support.fake_counter import OFFICER, FakeCounterService

RECEIPT = Receipt(
    reference="7K3QZ9",
    at=datetime(2026, 6, 12, 12, 5, tzinfo=UTC),
    station=OFFICER.station or "",
    officer_grade=OFFICER.grade,
    officer_name=OFFICER.name,
    state=DeliveryState.TRANSMITTED,
)


def _pdf_page_png(pdf: Path, png: Path) -> None:
    """pdftoppm (poppler) when installed: the page as a printer would get it; else QtPdf."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        stem = str(png.with_suffix(""))
        command = [pdftoppm, "-png", "-r", "110", "-singlefile", str(pdf), stem]
        subprocess.run(command, check=True)  # noqa: S603 (fixed arguments, our own files)
        return
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(pdf))
    size = document.pagePointSize(0).toSize() * 110 / 72
    document.render(0, QSize(size)).save(str(png))


def receipt_scene(out: Path) -> None:
    with tempfile.TemporaryDirectory() as directory:
        pdf = Path(directory) / "recepisse.pdf"
        write_receipt_pdf(pdf, RECEIPT)
        _pdf_page_png(pdf, out / "receipt.png")
    print(f"wrote {out.name}/receipt.png")


def help_scene(window: MainWindow, save: Callable[[QWidget, str], None]) -> None:
    dialog = window.show_help()
    save(dialog, "help-f1")
    dialog.reject()


def day_search_scene(
    service: FakeCounterService, window: MainWindow, save: Callable[[QWidget, str], None]
) -> None:
    start = datetime(2026, 6, 12, 7, 40, tzinfo=UTC)
    references = ("7K3QZ9", "10X2Y3", "A1B2C3", "10XF4R", "ZZ9F00", "M4R7E2", "10XQ8P")
    states = (DeliveryState.TRANSMITTED, DeliveryState.PENDING, DeliveryState.TRANSMITTED,
              DeliveryState.TRANSMITTED, DeliveryState.FAILED, DeliveryState.TRANSMITTED,
              DeliveryState.PENDING)  # fmt: skip
    decisions = ["refused" if n == 2 else "validated" for n in range(len(references))]
    service.day = [
        DayItem(ref, start + timedelta(minutes=17 * n), decisions[n], states[n])
        for n, ref in enumerate(references)
    ]
    window.show_day()
    deadline = time.monotonic() + 10  # the day loads on a worker thread
    while not window.findChildren(DayDialog) and time.monotonic() < deadline:
        QTest.qWait(50)
    dialog = window.findChildren(DayDialog)[-1]
    dialog.search.setFocus()
    QTest.keyClicks(dialog.search, "iox")  # look-alikes: shown corrected as 10X
    save(dialog, "day-search")
    dialog.close()


def item7_scenes(
    service: FakeCounterService, window: MainWindow, out: Path,
    save: Callable[[QWidget, str], None],
) -> None:  # fmt: skip
    receipt_scene(out)
    help_scene(window, save)
    day_search_scene(service, window, save)


__all__ = ["item7_scenes"]
