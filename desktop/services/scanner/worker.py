"""The scanning loop: a capture thread and a decode thread joined by a one-frame slot.

The capture thread reads as fast as the source delivers and overwrites the slot, so the
decode thread always takes the newest frame and frames that arrive while it is busy are
dropped: decoding never lags behind the preview, and never works on a stale frame.

Callbacks run on these worker threads: a GUI must hand them over to its own thread
(the Qt widget does it with queued signals) and never touch widgets from them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from desktop.services.scanner.capture import CaptureError, CaptureFailure, FrameSource
from desktop.services.scanner.decode import DecodedPayload, QrDecoder

logger = logging.getLogger(__name__)

DEFAULT_DEDUPE_SECONDS = 3.0
# A webcam that delivers nothing for this long is reported instead of waited for forever.
DEFAULT_STALL_SECONDS = 5.0
# Opening is allowed longer: some Windows drivers take seconds to start streaming.
DEFAULT_OPEN_SECONDS = 10.0
_WATCHDOG_PERIOD = 0.1


@dataclass(frozen=True)
class Frame:
    image: NDArray[np.uint8]
    number: int  # 0 for the first frame after start()
    captured_at: float  # the loop's clock when the source returned it


class FrameDecoder(Protocol):
    def decode(self, frame: NDArray[np.uint8]) -> list[DecodedPayload]: ...


class Deduplicator:
    """Reports a payload once while it stays in view, again after `window` seconds without it.

    The window counts from the last sighting: a code held still for a minute is one read.
    """

    def __init__(self, window: float, clock: Callable[[], float]) -> None:
        self._window = window
        self._clock = clock
        self._last_seen: dict[bytes, float] = {}

    def is_new(self, data: bytes) -> bool:
        now = self._clock()
        last = self._last_seen.get(data)
        self._last_seen = {
            key: seen for key, seen in self._last_seen.items() if now - seen < self._window
        }
        self._last_seen[data] = now
        return last is None or now - last >= self._window

    def forget(self) -> None:
        self._last_seen.clear()


class ScanLoop:
    """Captures frames from a source and decodes the newest one, on two daemon threads."""

    def __init__(
        self,
        source_factory: Callable[[], FrameSource],
        decoder: FrameDecoder | None = None,
        *,
        on_frame: Callable[[Frame], None] | None = None,
        on_payload: Callable[[DecodedPayload, Frame], None] | None = None,
        on_error: Callable[[CaptureError], None] | None = None,
        on_ended: Callable[[], None] | None = None,
        dedupe_seconds: float = DEFAULT_DEDUPE_SECONDS,
        stall_seconds: float = DEFAULT_STALL_SECONDS,
        open_seconds: float = DEFAULT_OPEN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source_factory = source_factory
        self._decoder = decoder if decoder is not None else QrDecoder()
        self._on_frame = on_frame
        self._on_payload = on_payload
        self._on_error = on_error
        self._on_ended = on_ended
        self._stall_seconds = stall_seconds
        self._open_seconds = open_seconds
        self._clock = clock
        self._dedupe = Deduplicator(dedupe_seconds, clock)
        self._condition = threading.Condition()
        self._latest: Frame | None = None
        self._exhausted = False  # the source has no more frames (files)
        self._generation = 0
        self._running = False
        self._started_at = 0.0
        self._last_frame_at: float | None = None
        self._threads: list[threading.Thread] = []
        self.frames_captured = 0
        self.frames_decoded = 0

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Open the source and scan; a no-op when already running. Failures go to on_error."""
        with self._condition:
            if self._running:
                return
            self._generation += 1
            self._running = True
            self._latest = None
            self._exhausted = False
            self._started_at = self._clock()
            self._last_frame_at = None
            self.frames_captured = self.frames_decoded = 0
            generation = self._generation
        self._dedupe.forget()  # a deliberate restart may re-read the same code
        self._threads = [
            threading.Thread(target=self._capture, args=(generation,), daemon=True, name="capture"),
            threading.Thread(target=self._decode, args=(generation,), daemon=True, name="decode"),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop scanning; returns within about `timeout` even if the driver hangs."""
        self._end(self._generation)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread is not threading.current_thread():
                # A thread stuck in a driver call is abandoned: daemon, and its generation
                # is stale, so it reports nothing and closes its source when it wakes up.
                thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []

    def forget(self) -> None:
        """Let the next sighting of any payload be reported, even within the dedupe window."""
        self._dedupe.forget()

    def _end(self, generation: int) -> bool:
        with self._condition:
            if generation != self._generation or not self._running:
                return False
            self._running = False
            self._generation += 1
            self._condition.notify_all()
            return True

    def _is_current(self, generation: int) -> bool:
        return self._running and generation == self._generation

    def _fail(self, generation: int, error: CaptureError) -> None:
        if self._end(generation):
            logger.warning("scanning stopped: %s", error.reason.value)
            if self._on_error is not None:
                self._on_error(error)

    def _capture(self, generation: int) -> None:
        source: FrameSource | None = None
        try:
            source = self._source_factory()
            source.open()
            self._pump(source, generation)
        except CaptureError as error:
            self._fail(generation, error)
        except Exception as error:  # a driver surprise must end in a message, not a silent stop
            logger.exception("capture failed")
            self._fail(generation, CaptureError(CaptureFailure.CAMERA_LOST, type(error).__name__))
        finally:
            if source is not None:
                source.close()

    def _pump(self, source: FrameSource, generation: int) -> None:
        number = 0
        while self._is_current(generation):
            image = source.read()
            if image is None:
                with self._condition:
                    self._exhausted = True
                    self._condition.notify_all()
                return
            frame = Frame(image, number, self._clock())
            number += 1
            with self._condition:
                if not self._is_current(generation):
                    return
                self._latest = frame
                self._last_frame_at = frame.captured_at
                self.frames_captured += 1
                self._condition.notify_all()
            if self._on_frame is not None:
                self._on_frame(frame)

    def _decode(self, generation: int) -> None:
        while True:
            frame = self._next_frame(generation)
            if frame is None:
                return
            payloads = self._decoder.decode(frame.image)
            self.frames_decoded += 1
            for payload in payloads:
                if self._dedupe.is_new(payload.data) and self._is_current(generation):
                    logger.info(
                        "QR code read (%d bytes, %s pass)", len(payload.data), payload.method
                    )
                    if self._on_payload is not None:
                        self._on_payload(payload, frame)

    def _next_frame(self, generation: int) -> Frame | None:
        """The newest frame not yet decoded, waiting for it; None once the loop has ended."""
        with self._condition:
            while True:
                if not self._is_current(generation):
                    return None
                if self._latest is not None:
                    frame, self._latest = self._latest, None
                    return frame
                if self._exhausted:
                    break
                if self._is_stalled():
                    break
                self._condition.wait(_WATCHDOG_PERIOD)
        if self._exhausted:
            # Only now that its last frame is decoded: a file ending on the code still reads.
            if self._end(generation) and self._on_ended is not None:
                self._on_ended()
            return None
        self._fail(generation, CaptureError(CaptureFailure.NOT_RESPONDING, "no frame"))
        return None

    def _is_stalled(self) -> bool:
        """True when the source has delivered nothing for too long."""
        if not self._running:
            return False
        now = self._clock()
        if self._last_frame_at is None:
            waited, limit = now - self._started_at, self._open_seconds
        else:
            waited, limit = now - self._last_frame_at, self._stall_seconds
        return waited > limit
