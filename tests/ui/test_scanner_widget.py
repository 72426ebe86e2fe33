"""The scanner widget: preview from a file source, one signal per code shown, plain failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import segno
from pytestqt.qtbot import QtBot

from desktop.services.scanner import (
    CameraInfo,
    CaptureError,
    CaptureFailure,
    FileSource,
    FrameSource,
)
from desktop.ui.scanner_widget import ScannerWidget, aiming_side

PAYLOAD = b"MPR1:K7M2QX"


OTHER = b"MPR1:8M4RT2"
NOTICE = (
    "Un autre code a été lu : terminez d'abord la procuration en cours (Échap pour l'abandonner)."
)


def write_code(path: Path, payload: bytes) -> Path:
    """A printed code on a grey 640x360 frame, as a still image file."""
    code = segno.make(payload, error="m")
    modules = np.array(list(code.matrix_iter(scale=1, border=4)), dtype=bool)
    image = np.kron(np.where(modules, 0, 255).astype(np.uint8), np.ones((6, 6), np.uint8))
    frame = np.full((360, 640), 128, np.uint8)
    top, left = (360 - image.shape[0]) // 2, (640 - image.shape[1]) // 2
    frame[top : top + image.shape[0], left : left + image.shape[1]] = image
    cv2.imwrite(str(path), frame)
    return path


@pytest.fixture
def code_image(tmp_path: Path) -> Path:
    return write_code(tmp_path / "code.png", PAYLOAD)


@pytest.fixture
def two_codes(tmp_path: Path) -> Path:
    """A camera that sees one code, then another, again and again (a folder, in name order)."""
    folder = tmp_path / "two"
    folder.mkdir()
    write_code(folder / "1.png", PAYLOAD)
    write_code(folder / "2.png", OTHER)
    return folder


class Beeper:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def make_widget(qtbot: QtBot, source_factory: Any, beep: Beeper | None = None) -> ScannerWidget:
    widget = ScannerWidget(
        source_factory,
        lambda: [CameraInfo("demo", "Démonstration")],
        clock=lambda: 0.0,  # time stands still: every repeat falls inside the dedupe window
        beep=beep or Beeper(),
    )
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_code_in_front_of_the_camera_is_read_once_with_flash_and_beep(
    qtbot: QtBot, code_image: Path
) -> None:
    beep = Beeper()
    widget = make_widget(qtbot, lambda spec: FileSource(code_image, fps=30, loop=True), beep)
    reads: list[bytes] = []
    widget.payload_read.connect(reads.append)

    with qtbot.waitSignal(widget.payload_read, timeout=5000) as read:
        widget.start()
    assert read.args == [PAYLOAD]
    assert widget.preview.flashing
    assert beep.count == 1
    qtbot.waitUntil(lambda: widget.preview.has_frame)
    loop = widget._loop
    assert loop is not None
    qtbot.waitUntil(lambda: loop.frames_decoded >= 10)  # the same code, seen again and again
    widget.stop()

    assert reads == [PAYLOAD]
    qtbot.waitUntil(lambda: not widget.preview.flashing)


def test_f2_action_starts_and_stops_the_camera(qtbot: QtBot, code_image: Path) -> None:
    widget = make_widget(qtbot, lambda spec: FileSource(code_image, fps=30, loop=True))

    assert widget.toggle_action.shortcut().toString() == "F2"
    assert widget.toggle_action.text() == "Caméra (F2)"
    with qtbot.waitSignal(widget.running_changed) as started:
        widget.toggle_action.trigger()
    with qtbot.waitSignal(widget.running_changed) as stopped:
        widget.toggle_action.trigger()

    assert (started.args, stopped.args) == ([True], [False])
    assert not widget.is_running()


def test_a_visible_button_starts_and_stops_the_camera_too(qtbot: QtBot, code_image: Path) -> None:
    widget = make_widget(qtbot, lambda spec: FileSource(code_image, fps=30, loop=True))
    assert widget.toggle_button.isVisible()
    assert widget.toggle_button.text() == "Caméra (F2)"
    with qtbot.waitSignal(widget.running_changed) as started:
        widget.toggle_button.click()
    assert started.args == [True]
    assert widget.toggle_button.isChecked()
    with qtbot.waitSignal(widget.running_changed) as stopped:
        widget.toggle_button.click()
    assert stopped.args == [False]
    assert not widget.toggle_button.isChecked()


class AbsentCamera:
    description = "absent"

    def open(self) -> None:
        raise CaptureError(CaptureFailure.NO_CAMERA)

    def read(self) -> Any:
        raise AssertionError("never opened")

    def close(self) -> None:
        pass


def test_camera_failure_says_what_to_do_and_retry_works(qtbot: QtBot, code_image: Path) -> None:
    sources: list[FrameSource] = [AbsentCamera(), FileSource(code_image, fps=30, loop=True)]
    widget = make_widget(qtbot, lambda spec: sources.pop(0))

    with qtbot.waitSignal(widget.camera_failed) as failed:
        widget.start()

    message = failed.args[0]
    assert message == "Aucune caméra détectée : branchez une webcam puis cliquez sur Réessayer."
    assert widget.status_label.text() == message
    assert widget.retry_button.isVisibleTo(widget)
    assert not widget.is_running()
    with qtbot.waitSignal(widget.payload_read, timeout=5000):
        widget.retry_button.click()
    assert not widget.retry_button.isVisibleTo(widget)
    widget.stop()


def test_picker_lists_the_cameras_offered(qtbot: QtBot) -> None:
    widget = ScannerWidget(
        lambda spec: AbsentCamera(),
        lambda: [CameraInfo("0", "HD Webcam"), CameraInfo("2", "USB Cam")],
    )
    qtbot.addWidget(widget)

    labels = [widget.camera_picker.itemText(i) for i in range(widget.camera_picker.count())]

    assert labels == ["HD Webcam", "USB Cam"]


def test_aiming_frame_gives_a_request_code_four_pixels_per_module() -> None:
    for height in (480, 720, 1080):
        assert aiming_side(height) >= 93 * 4 or aiming_side(height) == int(height * 0.9)
        assert aiming_side(height) <= height


def test_a_held_scanner_ignores_its_code_and_only_notices_another(
    qtbot: QtBot, two_codes: Path
) -> None:
    beep = Beeper()
    widget = make_widget(qtbot, lambda spec: FileSource(two_codes, fps=30, loop=True), beep)
    reads: list[bytes] = []
    widget.payload_read.connect(reads.append)
    widget.payload_read.connect(widget.hold)  # as the counter does while it decides

    with qtbot.waitSignal(widget.other_code_read, timeout=5000) as other:
        widget.start()

    assert other.args == [OTHER]
    assert reads == [PAYLOAD]  # the second code did not replace the first
    assert beep.count == 1  # nothing was taken in: no beep
    assert widget.status_label.text() == NOTICE
    assert widget.status_label.property("invalid") is True
    widget.release()
    assert widget.status_label.text() == "Présentez le QR code dans le cadre."
    widget.stop()


def test_f2_again_is_a_fresh_read(qtbot: QtBot, code_image: Path) -> None:
    widget = make_widget(qtbot, lambda spec: FileSource(code_image, fps=30, loop=True))
    reads: list[bytes] = []
    widget.payload_read.connect(reads.append)
    widget.payload_read.connect(widget.hold)
    with qtbot.waitSignal(widget.payload_read, timeout=5000):
        widget.toggle_action.trigger()
    assert widget.is_held()
    widget.toggle_action.trigger()  # F2: stop
    with qtbot.waitSignal(widget.payload_read, timeout=5000):
        widget.toggle_action.trigger()  # F2 again: the same code is read anew
    assert reads == [PAYLOAD, PAYLOAD]
    widget.stop()
