"""The webcam scanner in the counter: built here, embedded in the counter's slot.

A read goes through the same path as typed text (`CounterView.submit_text`): a bare
reference is looked up online, an `MPR1:` payload is verified and shown, online or not.
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
        scanner.payload_read.connect(self._on_scanner_payload_read)
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
