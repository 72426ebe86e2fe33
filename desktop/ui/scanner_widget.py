"""Camera preview with an aiming frame; emits the payload of each QR code read.

After a read the counter holds the scanner (`hold`) until the officer decides, clears
(Échap) or restarts the camera (F2): meanwhile the code being handled is ignored and any
other code only raises a notice (`other_code_read`), never replaces the identity shown.

The scanning itself is `desktop.services.scanner.ScanLoop`, on its own threads. Its
callbacks only store data and emit the private `_..._arrived` signals; Qt queues those to
this widget's thread, so widgets are only ever touched from the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.scanner import (
    CameraInfo,
    CaptureError,
    DecodedPayload,
    Frame,
    FrameSource,
    QrDecoder,
    ScanLoop,
)
from desktop.services.scanner.worker import DEFAULT_DEDUPE_SECONDS, FrameDecoder
from desktop.ui.scanner_messages import failure_message
from desktop.ui.style import set_property

# A signed request code is about 85 modules wide plus a 4-module quiet zone each side
# (version 17, level M, for a ~470-character MPR1 payload); 4 px per module is what
# zxing-cpp reads reliably through webcam blur (bench/scan_corpus.py --synthetic).
AIMING_MODULES = 93
AIMING_PX_PER_MODULE = 4
FLASH_MS = 400


def aiming_side(frame_height: int) -> int:
    """Side of the aiming square, in frame pixels: >= 4 px per module when the code fills it."""
    wanted = AIMING_MODULES * AIMING_PX_PER_MODULE
    return min(max(wanted, int(frame_height * 0.6)), int(frame_height * 0.9))


class PreviewView(QWidget):
    """Paints the newest frame scaled to fit, the aiming square, and a green flash on a read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._pixels: NDArray[np.uint8] | None = None  # keeps the QImage's memory alive
        self._message = ""
        self.flashing = False
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    def show_frame(self, pixels: NDArray[np.uint8]) -> None:
        pixels = np.ascontiguousarray(pixels)
        height, width = pixels.shape[:2]
        if pixels.ndim == 2:
            image_format = QImage.Format.Format_Grayscale8
        else:
            image_format = QImage.Format.Format_BGR888
        self._pixels = pixels
        self._image = QImage(pixels.data, width, height, pixels.strides[0], image_format)
        self._message = ""
        self.update()

    def show_message(self, message: str) -> None:
        self._message = message
        self._image = None
        self._pixels = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 20))
        if self._image is not None:
            target = self._fitted(self._image.width(), self._image.height())
            painter.drawImage(QRectF(target), self._image)
            self._paint_aim(painter, target)
        elif self._message:
            painter.setPen(QColor(230, 230, 230))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(16, 16, -16, -16), flags, self._message)
        if self.flashing:
            painter.setPen(QPen(QColor(40, 200, 80), 10))
            painter.drawRect(self.rect().adjusted(5, 5, -5, -5))
        painter.end()

    def _fitted(self, width: int, height: int) -> QRect:
        scale = min(self.width() / width, self.height() / height)
        shown_w, shown_h = int(width * scale), int(height * scale)
        return QRect(
            (self.width() - shown_w) // 2, (self.height() - shown_h) // 2, shown_w, shown_h
        )

    def _paint_aim(self, painter: QPainter, target: QRect) -> None:
        assert self._image is not None
        side = aiming_side(self._image.height()) * target.height() / self._image.height()
        left = target.center().x() - side / 2
        top = target.center().y() - side / 2
        arm = side / 5
        painter.setPen(QPen(QColor(255, 255, 255, 220), 3))
        for x, y, dx, dy in (
            (left, top, 1, 1),
            (left + side, top, -1, 1),
            (left, top + side, 1, -1),
            (left + side, top + side, -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * arm))


class ScannerWidget(QWidget):
    """Live QR scanning: camera picker, preview, start/stop (F2), flash and beep on a read.

    `source_factory(spec)` opens what the picker lists (`open_source` in the app, a file
    source in tests and demos); `camera_lister()` fills the picker.
    """

    payload_read = Signal(bytes)
    other_code_read = Signal(bytes)  # a different code while held: not applied
    camera_failed = Signal(str)
    running_changed = Signal(bool)

    _frame_arrived = Signal()
    _payload_arrived = Signal(bytes)
    _error_arrived = Signal(object)
    _source_ended = Signal()

    def __init__(
        self,
        source_factory: Callable[[str], FrameSource],
        camera_lister: Callable[[], Sequence[CameraInfo]],
        *,
        decoder_factory: Callable[[], FrameDecoder] = QrDecoder,
        dedupe_seconds: float = DEFAULT_DEDUPE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        beep: Callable[[], None] = QApplication.beep,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source_factory = source_factory
        self._camera_lister = camera_lister
        self._decoder_factory = decoder_factory
        self._dedupe_seconds = dedupe_seconds
        self._clock = clock
        self._beep = beep
        self._loop: ScanLoop | None = None
        self._pending_lock = threading.Lock()
        self._pending_frame: Frame | None = None
        self._held: bytes | None = None  # the code being handled, while held
        self._build()
        self._connect()
        self.refresh_cameras()

    def _build(self) -> None:
        self.camera_picker = QComboBox(self)
        self.camera_picker.setAccessibleName(self.tr("Caméra"))
        self.retry_button = QPushButton(self.tr("Réessayer"), self)
        self.retry_button.hide()
        self.preview = PreviewView(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setProperty("role", "hint")  # red when a read is not taken in
        self.toggle_action = QAction(self.tr("Caméra (F2)"), self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.toggle_action)
        # The same action as F2, for the mouse: start/stop must be visible, not only known.
        self.toggle_button = QToolButton(self)
        self.toggle_button.setDefaultAction(self.toggle_action)
        self.toggle_button.setAccessibleName(self.tr("Démarrer ou arrêter la caméra"))
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        top = QHBoxLayout()
        top.addWidget(self.camera_picker, 1)
        top.addWidget(self.toggle_button)
        top.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status_label)
        self.preview.show_message(self.tr("Caméra arrêtée : appuyez sur F2 pour scanner."))

    def _connect(self) -> None:
        self.toggle_action.triggered.connect(self._on_toggle_action_triggered)
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.camera_picker.activated.connect(self._on_camera_picker_activated)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)
        self._frame_arrived.connect(self._on_frame_arrived, Qt.ConnectionType.QueuedConnection)
        self._payload_arrived.connect(self._on_payload_arrived, Qt.ConnectionType.QueuedConnection)
        self._error_arrived.connect(self._on_error_arrived, Qt.ConnectionType.QueuedConnection)
        self._source_ended.connect(self._on_source_ended, Qt.ConnectionType.QueuedConnection)

    # Commands

    def is_running(self) -> bool:
        return self._loop is not None and self._loop.running

    def refresh_cameras(self) -> None:
        current = self.camera_picker.currentData()
        self.camera_picker.clear()
        for camera in self._camera_lister():
            self.camera_picker.addItem(camera.label, camera.spec)
        if self.camera_picker.count() == 0:
            # Still let the user try the default camera: some drivers are not listed.
            self.camera_picker.addItem(self.tr("Caméra par défaut"), "0")
        index = self.camera_picker.findData(current)
        self.camera_picker.setCurrentIndex(max(index, 0))

    def is_held(self) -> bool:
        return self._held is not None

    def hold(self, payload: bytes = b"") -> None:
        """An identity awaits a decision: ignore `payload` (the code it came from) and
        report any other code with `other_code_read` instead of `payload_read`."""
        self._held = payload
        if self.is_running():
            self._show_status(self.tr("Code lu : décidez, ou Échap, avant le code suivant."))

    def release(self) -> None:
        """The officer has decided or cleared: the next code is read normally."""
        if self._held is None:
            return
        self._held = None
        if self.is_running():
            self._show_status(self.tr("Présentez le QR code dans le cadre."))

    def _show_status(self, text: str, warning: bool = False) -> None:
        self.status_label.setText(text)
        set_property(self.status_label, "invalid", warning)

    def start(self) -> None:
        if self.is_running():
            return
        self._held = None  # F2: the officer asks for a new read
        spec = str(self.camera_picker.currentData())
        self._loop = ScanLoop(
            lambda: self._source_factory(spec),
            self._decoder_factory(),
            on_frame=self._store_frame,
            on_payload=self._forward_payload,
            on_error=self._error_arrived.emit,
            on_ended=self._source_ended.emit,
            dedupe_seconds=self._dedupe_seconds,
            clock=self._clock,
        )
        self.retry_button.hide()
        self._show_status(self.tr("Présentez le QR code dans le cadre."))
        self.preview.show_message(self.tr("Ouverture de la caméra…"))
        self._loop.start()
        self._set_running(True)

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()
        with self._pending_lock:
            self._pending_frame = None
        self.preview.show_message(self.tr("Caméra arrêtée : appuyez sur F2 pour scanner."))
        self._show_status("")
        self._set_running(False)

    def toggle(self) -> None:
        if self.is_running():
            self.stop()
        else:
            self.start()

    def _set_running(self, running: bool) -> None:
        self.toggle_action.setChecked(running)
        self.running_changed.emit(running)

    # Worker-thread callbacks: store and signal, nothing else.

    def _store_frame(self, frame: Frame) -> None:
        with self._pending_lock:
            already_signalled = self._pending_frame is not None
            self._pending_frame = frame
        if not already_signalled:
            # One queued signal per painted frame: a slow GUI skips frames instead of
            # piling them up in its event queue.
            self._frame_arrived.emit()

    def _forward_payload(self, payload: DecodedPayload, frame: Frame) -> None:
        self._payload_arrived.emit(payload.data)

    # Slots (GUI thread)

    @Slot()
    def _on_frame_arrived(self) -> None:
        with self._pending_lock:
            frame, self._pending_frame = self._pending_frame, None
        if frame is not None and self.is_running():
            self.preview.show_frame(frame.image)

    @Slot(bytes)
    def _on_payload_arrived(self, data: bytes) -> None:
        if not self.is_running():
            return  # read just before a stop: the officer has moved on
        if self._held is not None:
            self._on_read_while_held(data)
            return
        self.preview.flashing = True
        self.preview.update()
        self._flash_timer.start()
        self._beep()
        self.payload_read.emit(data)

    def _on_read_while_held(self, data: bytes) -> None:
        if data == self._held:
            return  # the code being handled, seen again
        # No flash, no beep: nothing was taken in.
        self._show_status(
            self.tr(
                "Un autre code a été lu : terminez d'abord la procuration en cours "
                "(Échap pour l'abandonner)."
            ),
            warning=True,
        )
        self.other_code_read.emit(data)

    @Slot(object)
    def _on_error_arrived(self, error: CaptureError) -> None:
        message = failure_message(error.reason)
        self.stop()
        self.preview.show_message(message)
        self.status_label.setText(message)
        self.retry_button.show()
        self.camera_failed.emit(message)

    @Slot()
    def _on_source_ended(self) -> None:
        self.stop()
        self.status_label.setText(self.tr("Lecture terminée : appuyez sur F2 pour recommencer."))

    @Slot()
    def _on_flash_timer_timeout(self) -> None:
        self.preview.flashing = False
        self.preview.update()

    @Slot(bool)
    def _on_toggle_action_triggered(self, checked: bool) -> None:
        if checked:
            self.start()
        else:
            self.stop()

    @Slot()
    def _on_retry_button_clicked(self) -> None:
        self.refresh_cameras()
        self.start()

    @Slot(int)
    def _on_camera_picker_activated(self, index: int) -> None:
        if self.is_running():
            self.stop()
            self.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.stop()
        super().closeEvent(event)
