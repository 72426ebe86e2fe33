"""The webcam scanner in the counter: built here, embedded in the counter's slot.

A read goes through the same path as typed text (`CounterView.submit_text`): a bare
reference is looked up online, an `MPR1:` payload is verified and shown, online or not.
While the counter is deciding (a lookup runs or an identity awaits Valider/Refuser) the
scanner is held: another code only raises a notice, the identity shown stays.
The camera chosen in the picker is remembered (QSettings); `--camera PATH` (a file, a
folder of images or a video) comes first in the picker, for demos and tests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QSettings, Slot

from desktop.services.scanner.capture import CameraInfo, list_cameras, open_source
from desktop.ui.counter_view import CounterView
from desktop.ui.scanner_widget import ScannerWidget

logger = logging.getLogger(__name__)
CAMERA_KEY = "scanner/camera"


def cameras_with(extra: str | None) -> Sequence[CameraInfo]:
    """The cameras of this PC, after the `--camera` source when one is given."""
    found = list(list_cameras())
    if extra and all(camera.spec != extra for camera in found):
        found.insert(0, CameraInfo(spec=extra, label=extra))
    return found


class ScannerBridge(QObject):
    """Connects a scanner widget to a counter view and remembers the camera; lives as
    long as the scanner widget (its parent)."""

    def __init__(self, counter: CounterView, scanner: ScannerWidget, settings: QSettings) -> None:
        super().__init__(scanner)
        self._counter = counter
        self._scanner = scanner
        self._settings = settings
        self._scanned = b""  # the code behind the counter's current lookup, if scanned
        scanner.payload_read.connect(self._on_scanner_payload_read)
        counter.cleared.connect(self._on_counter_cleared)
        counter.lookup_finished.connect(self._on_counter_lookup_finished)
        counter.submit_finished.connect(self._on_counter_submit_finished)
        scanner.camera_picker.currentIndexChanged.connect(self._on_camera_changed)

    def restore_camera(self, preferred: str | None) -> None:
        spec = preferred or self._settings.value(CAMERA_KEY, "", type=str)
        index = self._scanner.camera_picker.findData(spec) if spec else -1
        if index >= 0:
            self._scanner.camera_picker.setCurrentIndex(index)

    @Slot(bytes)
    def _on_scanner_payload_read(self, payload: bytes) -> None:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            logger.info("scanned a code that is not text")
            self._counter.show_scan_problem()
            return
        self._counter.submit_text(text.strip())
        if self._counter.is_deciding():
            self._scanned = payload
            self._scanner.hold(payload)

    @Slot()
    def _on_counter_cleared(self) -> None:
        self._scanned = b""
        self._scanner.release()

    @Slot()
    def _on_counter_lookup_finished(self) -> None:
        # A typed lookup holds the scanner too (no code of its own to ignore); a lookup
        # that shows nothing to decide (unknown, expired, already validated) releases it.
        if self._counter.is_deciding():
            self._scanner.hold(self._scanned)
        else:
            self._scanner.release()

    @Slot(object)
    def _on_counter_submit_finished(self, _outcome: object) -> None:
        self._scanner.release()

    @Slot(int)
    def _on_camera_changed(self, _index: int) -> None:
        spec = self._scanner.camera_picker.currentData()
        if spec:
            self._settings.setValue(CAMERA_KEY, str(spec))


def attach_scanner(counter: CounterView, camera: str | None) -> ScannerWidget:
    """Builds the scanner widget, embeds it in `counter` and wires it; returns it."""
    scanner = ScannerWidget(open_source, lambda: cameras_with(camera))
    bridge = ScannerBridge(counter, scanner, QSettings())
    bridge.restore_camera(camera)
    counter.set_scanner_widget(scanner)
    return scanner
