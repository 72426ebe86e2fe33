"""Frame sources and the scanning loop: newest frame only, plain errors, never a hang."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from desktop.services.scanner import (
    CameraSource,
    CaptureError,
    CaptureFailure,
    FileSource,
    Frame,
    QrDecoder,
    ScanLoop,
    list_cameras,
    open_source,
)
from desktop.services.scanner.decode import ZXING, DecodedPayload
from desktop.services.scanner.worker import Deduplicator
from tests.support.clock import FakeClock
from tests.support.scanner_images import Scene, compose, empty_frame, request_payload, write_video

SIZE = (640, 360)
CODE_FROM = 5


@pytest.fixture(scope="module")
def payload() -> bytes:
    return request_payload(np.random.default_rng(11))


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory, payload: bytes) -> Path:
    """Ten frames of an empty room; the code appears from frame CODE_FROM on."""
    rng = np.random.default_rng(2)
    scene = Scene(module_px=3.2)
    frames = [empty_frame(rng, SIZE) for _ in range(CODE_FROM)]
    frames += [compose(payload, scene, rng, SIZE) for _ in range(10 - CODE_FROM)]
    return write_video(tmp_path_factory.mktemp("video") / "counter.avi", frames)


def read_all(source: FileSource) -> list[Any]:
    source.open()
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    source.close()
    return frames


def test_video_source_plays_every_frame_and_the_code_is_found_where_it_appears(
    video: Path, payload: bytes
) -> None:
    frames = read_all(FileSource(video))
    decoder = QrDecoder(passes=[ZXING])

    readable = [n for n, frame in enumerate(frames) if decoder.decode(frame)]

    assert len(frames) == 10
    assert readable[0] == CODE_FROM
    assert decoder.decode(frames[-1])[0].data == payload


def test_folder_source_plays_images_in_name_order(tmp_path: Path) -> None:
    for name, level in [("b.png", 200), ("a.png", 100), ("notes.txt", 0)]:
        if name.endswith(".png"):
            cv2.imwrite(str(tmp_path / name), np.full((8, 8, 3), level, np.uint8))
        else:
            (tmp_path / name).write_text("ignored")

    frames = read_all(FileSource(tmp_path))

    assert [int(f[0, 0, 0]) for f in frames] == [100, 200]


def test_looping_image_source_behaves_like_a_still_camera(tmp_path: Path) -> None:
    path = tmp_path / "code.png"
    cv2.imwrite(str(path), np.zeros((8, 8, 3), np.uint8))
    source = FileSource(path, loop=True)
    source.open()

    frames = [source.read() for _ in range(5)]

    assert all(frame is not None and frame.shape == (8, 8, 3) for frame in frames)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.png", CaptureFailure.FILE_MISSING),
        ("empty-folder", CaptureFailure.FILE_UNREADABLE),
        ("not-a-video.avi", CaptureFailure.FILE_UNREADABLE),
    ],
)
def test_unusable_files_fail_with_a_reason(
    tmp_path: Path, name: str, reason: CaptureFailure
) -> None:
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "not-a-video.avi").write_bytes(b"garbage")

    with pytest.raises(CaptureError) as raised:
        FileSource(tmp_path / name).open()

    assert raised.value.reason is reason


def test_open_source_reads_the_command_line_spec(tmp_path: Path) -> None:
    assert isinstance(open_source(None), CameraSource)
    assert open_source("1").description == "camera 1"
    assert isinstance(open_source(str(tmp_path / "demo.avi")), FileSource)


class FakeCapture:
    """Stands for cv2.VideoCapture: opens or not, delivers `frames` then fails."""

    def __init__(self, opened: bool, frames: int = 0) -> None:
        self.opened = opened
        self.frames = frames
        self.settings: dict[int, float] = {}
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        self.settings[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.settings.get(prop, 0.0)

    def read(self) -> tuple[bool, Any]:
        if self.frames <= 0:
            return False, None
        self.frames -= 1
        return True, np.zeros((720, 1280, 3), np.uint8)

    def release(self) -> None:
        self.released = True


def test_camera_is_asked_for_mjpg_720p_and_reports_unplugging() -> None:
    capture = FakeCapture(opened=True, frames=1)
    camera = CameraSource(0, backend=0, capture_factory=lambda index, api: capture)
    camera.open()

    first = camera.read()
    with pytest.raises(CaptureError) as raised:
        camera.read()
    camera.close()

    assert first is not None
    assert capture.settings[cv2.CAP_PROP_FOURCC] == cv2.VideoWriter.fourcc(*"MJPG")
    assert (
        capture.settings[cv2.CAP_PROP_FRAME_WIDTH],
        capture.settings[cv2.CAP_PROP_FRAME_HEIGHT],
    ) == (1280, 720)
    assert raised.value.reason is CaptureFailure.CAMERA_LOST
    assert capture.released


def test_absent_camera_is_reported_as_such() -> None:
    camera = CameraSource(
        7, backend=0, capture_factory=lambda index, api: FakeCapture(opened=False)
    )

    with pytest.raises(CaptureError) as raised:
        camera.open()

    assert raised.value.reason in (CaptureFailure.NO_CAMERA, CaptureFailure.CAMERA_BUSY)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux sysfs")
def test_linux_cameras_are_listed_by_name_without_metadata_nodes(tmp_path: Path) -> None:
    for node, index, name in [
        ("video0", "0", "HD Webcam"),
        ("video1", "1", "HD Webcam"),
        ("video2", "0", "USB Cam"),
    ]:
        (tmp_path / node).mkdir()
        (tmp_path / node / "index").write_text(index + "\n")
        (tmp_path / node / "name").write_text(name + "\n")

    cameras = list_cameras(sysfs=tmp_path)

    assert [(c.spec, c.label) for c in cameras] == [("0", "HD Webcam"), ("2", "USB Cam")]


# The loop


class Recorder:
    def __init__(self) -> None:
        self.payloads: list[tuple[DecodedPayload, Frame]] = []
        self.errors: list[CaptureError] = []
        self.ended = threading.Event()
        self.failed = threading.Event()
        self.read = threading.Event()

    def on_payload(self, payload: DecodedPayload, frame: Frame) -> None:
        self.payloads.append((payload, frame))
        self.read.set()

    def on_error(self, error: CaptureError) -> None:
        self.errors.append(error)
        self.failed.set()

    def loop(self, source_factory: Any, **options: Any) -> ScanLoop:
        return ScanLoop(
            source_factory,
            options.pop("decoder", None) or QrDecoder(passes=[ZXING]),
            on_payload=self.on_payload,
            on_error=self.on_error,
            on_ended=self.ended.set,
            **options,
        )


def test_loop_reads_the_code_from_a_paced_video_once(
    video: Path, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    loop = recorder.loop(lambda: FileSource(video, fps=30))

    loop.start()
    assert recorder.ended.wait(10)
    loop.stop()

    assert [p.data for p, _ in recorder.payloads] == [payload]
    assert recorder.payloads[0][1].number >= CODE_FROM
    assert payload.decode()[:20] not in caplog.text  # personal data never reaches the log


class BlockingSource:
    """A camera whose driver hangs: `read` blocks until released."""

    description = "stuck camera"

    def __init__(self, frames_before_hang: int = 0) -> None:
        self.remaining = frames_before_hang
        self.release = threading.Event()
        self.hung = threading.Event()
        self.closed = threading.Event()

    def open(self) -> None:
        pass

    def read(self) -> Any:
        if self.remaining > 0:
            self.remaining -= 1
            return np.zeros((90, 160, 3), np.uint8)
        self.hung.set()
        self.release.wait(10)
        return None

    def close(self) -> None:
        self.closed.set()


@pytest.mark.parametrize("frames_before_hang", [0, 3], ids=["never starts", "stops mid-way"])
def test_a_hanging_camera_is_reported_not_waited_for(frames_before_hang: int) -> None:
    clock = FakeClock()
    recorder = Recorder()
    source = BlockingSource(frames_before_hang)
    loop = recorder.loop(lambda: source, clock=clock, stall_seconds=5, open_seconds=10)
    loop.start()
    assert source.hung.wait(5)  # every frame it had is delivered before time moves on

    clock.advance(11)
    assert recorder.failed.wait(5)
    loop.stop(timeout=0.5)
    source.release.set()

    assert [e.reason for e in recorder.errors] == [CaptureFailure.NOT_RESPONDING]
    assert not loop.running
    assert source.closed.wait(5)  # the abandoned thread still releases the device


def test_camera_failure_is_reported_once_and_can_be_retried() -> None:
    recorder = Recorder()
    attempts: list[int] = []

    def absent_camera() -> Any:
        attempts.append(1)
        raise CaptureError(CaptureFailure.NO_CAMERA)

    loop = recorder.loop(absent_camera)
    loop.start()
    assert recorder.failed.wait(5)
    recorder.failed.clear()
    loop.start()
    assert recorder.failed.wait(5)
    loop.stop()

    assert [e.reason for e in recorder.errors] == [CaptureFailure.NO_CAMERA] * 2
    assert len(attempts) == 2


class SlowDecoder:
    """Decodes nothing, slowly: records which frames it was given."""

    def __init__(self) -> None:
        self.gate = threading.Semaphore(0)
        self.seen: list[int] = []

    def decode(self, frame: Any) -> list[DecodedPayload]:
        self.seen.append(int(frame[0, 0, 0]))
        self.gate.acquire(timeout=5)
        return []


class CountingSource:
    """Frames numbered in their first pixel, as fast as asked."""

    description = "counter"

    def __init__(self) -> None:
        self.count = 0

    def open(self) -> None:
        pass

    def read(self) -> Any:
        self.count += 1
        return np.full((4, 4, 3), self.count, np.uint32)

    def close(self) -> None:
        pass


def test_a_busy_decoder_gets_the_newest_frame_and_skips_the_stale_ones() -> None:
    decoder = SlowDecoder()
    source = CountingSource()
    loop = ScanLoop(lambda: source, decoder)
    loop.start()
    while not decoder.seen:
        threading.Event().wait(0.01)
    while source.count < 100 and loop.running:  # frames pile up while the decoder is busy
        threading.Event().wait(0.01)
    decoder.gate.release()
    while len(decoder.seen) < 2:
        threading.Event().wait(0.01)
    loop.stop()
    decoder.gate.release()

    assert decoder.seen[1] - decoder.seen[0] > 1
    assert loop.frames_decoded < loop.frames_captured


def test_same_payload_is_ignored_while_in_view_and_reported_again_after_the_window() -> None:
    clock = FakeClock()
    dedupe = Deduplicator(window=3.0, clock=clock)

    first = dedupe.is_new(b"K7M2QX")
    clock.advance(2)
    held = dedupe.is_new(b"K7M2QX")
    other = dedupe.is_new(b"OTHER1")
    clock.advance(2.5)  # K7M2QX was last seen 2.5 s ago: still the same presentation
    still_held = dedupe.is_new(b"K7M2QX")
    clock.advance(3.5)
    shown_again = dedupe.is_new(b"K7M2QX")

    assert (first, held, other, still_held, shown_again) == (True, False, True, False, True)
