"""Frame sources: a webcam through OpenCV, or files (image, folder, video) for tests and demos.

A source is plain and blocking: `read()` waits for the next frame. Threads, frame
dropping and time-outs live in `worker.ScanLoop`, so a source never needs to be clever.
"""

from __future__ import annotations

import enum
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

Image = NDArray[np.uint8]

PREFERRED_SIZE = (1280, 720)
DEFAULT_FILE_FPS = 30.0
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm"})
PROBED_CAMERA_INDICES = range(4)  # where /sys cannot tell us (Windows, macOS)


class CaptureFailure(enum.Enum):
    """Why frames stopped coming; the UI turns each into one sentence saying what to do."""

    NO_CAMERA = "no_camera"
    CAMERA_BUSY = "camera_busy"
    CAMERA_LOST = "camera_lost"
    NOT_RESPONDING = "not_responding"
    FILE_MISSING = "file_missing"
    FILE_UNREADABLE = "file_unreadable"


class CaptureError(Exception):
    def __init__(self, reason: CaptureFailure, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class CameraInfo:
    """A choice for the camera picker: `spec` goes to `open_source`, `label` to the user."""

    spec: str
    label: str


class FrameSource(Protocol):
    """Where frames come from. Not thread-safe: one thread opens, reads and closes."""

    @property
    def description(self) -> str: ...

    def open(self) -> None:
        """Start delivering frames; raises CaptureError."""

    def read(self) -> Image | None:
        """The next BGR frame, blocking until it exists; None once a file source has ended.

        Raises CaptureError when the source fails (camera unplugged...).
        """

    def close(self) -> None:
        """Release the device or file; safe to call twice or without `open`."""


def camera_backend(platform: str = sys.platform) -> int:
    """The OpenCV capture API to use on this platform."""
    if platform == "win32":
        # Media Foundation (OpenCV's default) can take several seconds to open a webcam;
        # DirectShow opens at once and honours MJPG (opencv/opencv#17687).
        return int(cv2.CAP_DSHOW)
    if platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    if platform == "darwin":
        return int(cv2.CAP_AVFOUNDATION)
    return int(cv2.CAP_ANY)


class CameraSource:
    """A webcam, asked for MJPG at 1280x720 (uncompressed 720p does not fit USB 2 at 30 fps)."""

    def __init__(
        self,
        index: int,
        backend: int | None = None,
        capture_factory: Callable[[int, int], Any] = cv2.VideoCapture,
        size: tuple[int, int] = PREFERRED_SIZE,
    ) -> None:
        self._index = index
        self._backend = camera_backend() if backend is None else backend
        self._capture_factory = capture_factory
        self._size = size
        self._capture: Any = None

    @property
    def description(self) -> str:
        return f"camera {self._index}"

    def open(self) -> None:
        capture = self._capture_factory(self._index, self._backend)
        if not capture.isOpened():
            capture.release()
            known = any(camera.spec == str(self._index) for camera in list_cameras())
            reason = CaptureFailure.CAMERA_BUSY if known else CaptureFailure.NO_CAMERA
            raise CaptureError(reason, self.description)
        self._configure(capture)
        self._capture = capture

    def _configure(self, capture: Any) -> None:
        # Order matters on DirectShow: the pixel format must be set before the size.
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1])
        # Fewer queued frames in the driver: less latency when decoding falls behind.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        logger.info(
            "camera %d opened at %dx%d",
            self._index,
            int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )

    def read(self) -> Image | None:
        if self._capture is None:
            raise CaptureError(CaptureFailure.CAMERA_LOST, "read before open")
        ok, frame = self._capture.read()
        if not ok or frame is None:
            raise CaptureError(CaptureFailure.CAMERA_LOST, self.description)
        image: Image = frame
        return image

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FileSource:
    """Frames from an image (a still camera), a folder of images (in name order) or a video.

    With `fps` set, frames are paced like a live camera; with None they come as fast as
    they are read (benchmarks, tests). With `loop`, the sequence restarts at its end.
    """

    def __init__(
        self,
        path: Path,
        fps: float | None = None,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._path = path
        self._fps = fps
        self._loop = loop
        self._clock = clock
        self._sleep = sleep
        self._frames: Iterator[Image] | None = None
        self._video: Any = None
        self._started_at = 0.0
        self._delivered = 0

    @property
    def description(self) -> str:
        return f"file {self._path.name}"

    def open(self) -> None:
        if not self._path.exists():
            raise CaptureError(CaptureFailure.FILE_MISSING, self._path.name)
        if self._path.is_dir():
            images = sorted(p for p in self._path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                raise CaptureError(CaptureFailure.FILE_UNREADABLE, "no image in folder")
            self._frames = self._iterate_images(images)
        elif self._path.suffix.lower() in IMAGE_SUFFIXES:
            self._frames = self._iterate_images([self._path])
        else:
            self._open_video()
            self._frames = self._iterate_video()
        self._started_at = self._clock()
        self._delivered = 0

    def _open_video(self) -> None:
        video = cv2.VideoCapture(str(self._path))
        if not video.isOpened():
            video.release()
            raise CaptureError(CaptureFailure.FILE_UNREADABLE, self._path.name)
        self._video = video

    def _iterate_images(self, paths: list[Path]) -> Iterator[Image]:
        while True:
            for path in paths:
                image = cv2.imread(str(path), cv2.IMREAD_COLOR)
                if image is None:
                    raise CaptureError(CaptureFailure.FILE_UNREADABLE, path.name)
                yield np.asarray(image, dtype=np.uint8)
            if not self._loop:
                return

    def _iterate_video(self) -> Iterator[Image]:
        while True:
            ok, frame = self._video.read()
            if ok and frame is not None:
                yield frame
                continue
            if not self._loop or self._delivered == 0:
                return
            self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)

    def read(self) -> Image | None:
        if self._frames is None:
            raise CaptureError(CaptureFailure.FILE_UNREADABLE, "read before open")
        frame = next(self._frames, None)
        if frame is None:
            return None
        if self._fps:
            # Pace against the start time, not the previous frame, so delays do not add up.
            due = self._started_at + self._delivered / self._fps
            self._sleep(max(0.0, due - self._clock()))
        self._delivered += 1
        return frame

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None
        self._frames = None


def open_source(spec: str | int | None) -> FrameSource:
    """The source for `guichet --camera SPEC`: a camera index ("0", default) or a file path.

    Files are paced at 30 fps and loop, so that a demo behaves like a camera.
    """
    if spec is None or spec == "":
        return CameraSource(0)
    if isinstance(spec, int) or spec.isdigit():
        return CameraSource(int(spec))
    return FileSource(Path(spec), fps=DEFAULT_FILE_FPS, loop=True)


def list_cameras(
    sysfs: Path = Path("/sys/class/video4linux"),
    capture_factory: Callable[[int, int], Any] = cv2.VideoCapture,
) -> list[CameraInfo]:
    """Cameras the picker can offer. May take a second on Windows: call off the GUI thread."""
    if sys.platform.startswith("linux"):
        return _linux_cameras(sysfs)
    return _probed_cameras(capture_factory)


def _linux_cameras(sysfs: Path) -> list[CameraInfo]:
    """Capture nodes from sysfs, without opening any device (opening can take seconds)."""
    cameras: list[CameraInfo] = []
    if not sysfs.is_dir():
        return cameras
    for node in sorted(sysfs.glob("video*"), key=lambda p: int(p.name[5:] or 0)):
        # Each webcam exposes several nodes; "index" 0 is the one that streams images.
        index_file = node / "index"
        if index_file.exists() and index_file.read_text().strip() != "0":
            continue
        name_file = node / "name"
        label = name_file.read_text().strip() if name_file.exists() else node.name
        cameras.append(CameraInfo(spec=node.name[5:], label=label))
    return cameras


def _probed_cameras(capture_factory: Callable[[int, int], Any]) -> list[CameraInfo]:
    cameras = []
    for index in PROBED_CAMERA_INDICES:
        capture = capture_factory(index, camera_backend())
        try:
            if capture.isOpened():
                cameras.append(CameraInfo(spec=str(index), label=f"Caméra {index + 1}"))
        finally:
            capture.release()
    return cameras
