"""QR decoding pipeline: zxing-cpp first, then cheaper-than-failing second chances.

Passes run in order until one reads something; every pass after the first exists because
`bench/scan_corpus.py` or `bench/scan_hard.py` showed it reads codes the previous ones miss
(figures and the reasons in docs/scanning.md); the order puts the cheap and the often
useful first, since a frame nothing reads pays for every pass. Payloads are personal
data: nothing here logs their content.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray

from desktop.services.scanner import deblur

logger = logging.getLogger(__name__)

Point = tuple[float, float]
GrayImage = NDArray[np.uint8]

ZXING = "zxing"
PYZBAR = "pyzbar"
SMALL_CODE = "small_code"
CURVED = "curved"
DEBLUR = "deblur"
ALL_PASSES = (ZXING, DEBLUR, PYZBAR, SMALL_CODE, CURVED)

# Small-code pass: the central square (where the aiming frame is) is enlarged 2x, so that a
# code held too far away gets the ~3 px per module zxing needs; 640 px keeps the enlarged
# image at 1280 x 1280, i.e. about the cost of one full 720p zxing call.
SMALL_CODE_CROP_PX = 640
SMALL_CODE_SCALE = 2.0
# Curved pass: zxing often locates only part of a bent symbol (a quarter, on cloth); look
# around it by one symbol size on each side.
CURVED_MARGIN = 1.0
# Deblur pass: the central 800 x 720 of the frame. Wider than the aiming square because a
# code held off-centre was cut by it (+3 of 90 blurred frames at the same CPU cost; 960
# read no more).
DEBLUR_REGION_PX = (800, 720)
SMALL_CODE_BINARIZERS = (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram)
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


@dataclass(frozen=True)
class DecodedPayload:
    """One QR code read in a frame.

    `data` is the symbol's byte content; `text` its text when the code declares or plainly
    holds text (None for binary content); `corners` are four (x, y) points in the frame,
    clockwise from the code's top-left; `method` names the pass that read it.
    """

    data: bytes
    text: str | None
    corners: tuple[Point, ...]
    method: str


def load_pyzbar(importer: Callable[[str], ModuleType] = importlib.import_module) -> Any | None:
    """The pyzbar module, or None when it or the ZBar library (libzbar0) is missing."""
    try:
        return importer("pyzbar.pyzbar")
    except (ImportError, OSError) as error:
        # pyzbar raises ImportError when libzbar is absent, OSError when it cannot load it.
        logger.warning(
            "pyzbar unavailable (%s): decoding with zxing-cpp only", type(error).__name__
        )
        return None


def to_gray(frame: NDArray[Any]) -> GrayImage:
    """8-bit grey view of a BGR, BGRA or grey frame (all decoders work on luminance)."""
    if frame.dtype != np.uint8:
        raise ValueError(f"expected an 8-bit image, got {frame.dtype}")
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return _uint8(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    if frame.ndim == 3 and frame.shape[2] == 4:
        return _uint8(cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY))
    raise ValueError(f"expected a BGR or grey image, got shape {frame.shape}")


class QrDecoder:
    """Reads QR codes in a frame; not thread-safe (one instance per decoding thread)."""

    def __init__(
        self,
        passes: Sequence[str] = ALL_PASSES,
        pyzbar_loader: Callable[[], Any | None] = load_pyzbar,
    ) -> None:
        unknown = set(passes) - set(ALL_PASSES)
        if unknown:
            raise ValueError(f"unknown decoding passes: {sorted(unknown)}")
        self._passes = tuple(passes)
        self._pyzbar = pyzbar_loader() if PYZBAR in self._passes else None
        self._cv_detector = cv2.QRCodeDetector()
        self._located: list[tuple[int, int, int, int]] = []

    @property
    def passes(self) -> tuple[str, ...]:
        return self._passes

    @property
    def has_pyzbar(self) -> bool:
        return self._pyzbar is not None

    def decode(self, frame: NDArray[Any]) -> list[DecodedPayload]:
        """All distinct codes read in `frame` (BGR or grey), by the first pass that reads any."""
        if frame.size == 0:
            return []
        gray = to_gray(frame)
        self._located = []
        runners: dict[str, Callable[[GrayImage], list[DecodedPayload]]] = {
            ZXING: self._read_zxing,
            PYZBAR: self._read_pyzbar,
            SMALL_CODE: self._read_small_code,
            CURVED: self._read_curved,
            DEBLUR: self._read_deblurred,
        }
        for name in self._passes:
            try:
                found = runners[name](gray)
            except Exception as error:  # a decoder bug must cost one frame, never the scanner
                logger.warning("decoding pass %s failed: %s", name, type(error).__name__)
                continue
            if found:
                return _distinct(found)
        return []

    def _read_zxing(self, gray: GrayImage) -> list[DecodedPayload]:
        # return_errors: a symbol found but not decoded tells the curved pass where to look.
        # No downscaled retries: they read nothing more on any of the three benchmark sets
        # and cost ~2 ms on each 720p frame (docs/scanning.md).
        results = _zxing(gray, return_errors=CURVED in self._passes, try_downscale=False)
        payloads = []
        for result in results:
            if result.valid:
                payloads.append(_from_zxing(result, ZXING))
            else:
                self._located.append(_bounding_box(_zxing_corners(result)))
        return payloads

    def _read_pyzbar(self, gray: GrayImage) -> list[DecodedPayload]:
        if self._pyzbar is None:
            return []
        symbols = [self._pyzbar.ZBarSymbol.QRCODE]
        return [_from_pyzbar(found) for found in self._pyzbar.decode(gray, symbols=symbols)]

    def _read_small_code(self, gray: GrayImage) -> list[DecodedPayload]:
        left, top, crop = _aiming_square(gray)
        enlarged = _uint8(
            cv2.resize(
                crop, None, fx=SMALL_CODE_SCALE, fy=SMALL_CODE_SCALE, interpolation=cv2.INTER_CUBIC
            )
        )
        # Both binarizers: the default local-average one reads the blurred small codes of
        # webcam frames, the global-histogram one the low-contrast printed ones (benchmark).
        for binarizer in SMALL_CODE_BINARIZERS:
            results = [r for r in _zxing(enlarged, binarizer=binarizer) if r.valid]
            if results:
                scale = 1 / SMALL_CODE_SCALE
                return [_shifted(_from_zxing(r, SMALL_CODE), left, top, scale) for r in results]
        return []

    def _read_deblurred(self, gray: GrayImage) -> list[DecodedPayload]:
        """zxing on the central region after blind deconvolution (defocus or motion blur).

        Always the centre, where the code is held: the symbol zxing locates in a blurred
        frame is often a fragment or a false sighting (the centre read 26/30 blurred
        frames, the located region grown by 25 % 21/30).
        """
        left, top, region = _central(gray, *DEBLUR_REGION_PX)
        for restored in deblur.deconvolved(region):
            # No downscaled retry: the restored modules are as large as the frame's.
            results = [r for r in _zxing(restored, try_downscale=False) if r.valid]
            if results:
                return [_shifted(_from_zxing(r, DEBLUR), left, top, 1.0) for r in results]
        return []

    def _read_curved(self, gray: GrayImage) -> list[DecodedPayload]:
        """OpenCV's curved-surface decoder, only where zxing saw a symbol it could not read.

        Gated on zxing's sighting because OpenCV's detector costs ~45 ms on a 720p frame.
        """
        payloads = []
        for box in self._located[:1]:
            left, top, region = _around(gray, box, CURVED_MARGIN)
            sharpened = cv2.addWeighted(region, 1.5, cv2.GaussianBlur(region, (0, 0), 3), -0.5, 0)
            found, points = self._cv_detector.detect(sharpened)
            if not found or points is None:
                continue
            try:
                text, _ = self._cv_detector.decodeCurved(sharpened, points)
            except UnicodeDecodeError:
                # OpenCV's Python binding decodes the payload as UTF-8 and raises on binary
                # content (opencv/opencv#23728, opencv/opencv-python#1044): no bytes to keep.
                logger.info("curved pass skipped a non-UTF-8 payload")
                continue
            if text:
                corners = tuple((float(x) + left, float(y) + top) for x, y in points[0])
                payloads.append(DecodedPayload(text.encode("utf-8"), text, corners, CURVED))
        return payloads


def _uint8(image: NDArray[Any]) -> GrayImage:
    """OpenCV's results typed as 8-bit images (they are: every input here is 8-bit)."""
    return np.asarray(image, dtype=np.uint8)


def _zxing(image: GrayImage, **options: Any) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(
        image,
        formats=_QR_ONLY,
        # Plain: the text as encoded, without HRI's "<SOH>"-style renderings of control bytes.
        text_mode=zxingcpp.TextMode.Plain,
        **options,
    )


def _zxing_corners(result: zxingcpp.Barcode) -> tuple[Point, ...]:
    position = result.position
    points = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return tuple((float(p.x), float(p.y)) for p in points)


def _from_zxing(result: zxingcpp.Barcode, method: str) -> DecodedPayload:
    data = bytes(result.bytes)
    is_text = result.content_type in (zxingcpp.ContentType.Text, zxingcpp.ContentType.Mixed)
    text = str(result.text) if is_text else None
    return DecodedPayload(data, text, _zxing_corners(result), method)


def _from_pyzbar(found: Any) -> DecodedPayload:
    # ZBar hands over its own text conversion (UTF-8), not the raw symbol bytes; pyzbar
    # cannot ask for binary mode (NaturalHistoryMuseum/pyzbar#82 is unmerged).
    data = bytes(found.data)
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    corners = tuple((float(point.x), float(point.y)) for point in found.polygon)
    return DecodedPayload(data, text, corners, PYZBAR)


def _shifted(payload: DecodedPayload, left: int, top: int, scale: float) -> DecodedPayload:
    corners = tuple((x * scale + left, y * scale + top) for x, y in payload.corners)
    return DecodedPayload(payload.data, payload.text, corners, payload.method)


def _bounding_box(corners: Sequence[Point]) -> tuple[int, int, int, int]:
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))


def _around(
    gray: GrayImage, box: tuple[int, int, int, int], margin: float
) -> tuple[int, int, GrayImage]:
    """The region around `box` grown by `margin` times its size on each side, and its origin."""
    left, top, right, bottom = box
    grow = int(max(right - left, bottom - top) * margin)
    height, width = gray.shape
    x0, y0 = max(0, left - grow), max(0, top - grow)
    x1, y1 = min(width, right + grow), min(height, bottom + grow)
    return x0, y0, gray[y0:y1, x0:x1]


def _aiming_square(gray: GrayImage) -> tuple[int, int, GrayImage]:
    """The central square where the aiming frame is, and its origin."""
    return _central(gray, SMALL_CODE_CROP_PX, SMALL_CODE_CROP_PX)


def _central(gray: GrayImage, width: int, height: int) -> tuple[int, int, GrayImage]:
    """The central `width` x `height` of the frame (or less, if smaller), and its origin."""
    frame_height, frame_width = gray.shape
    width, height = min(width, frame_width), min(height, frame_height)
    top, left = (frame_height - height) // 2, (frame_width - width) // 2
    return left, top, gray[top : top + height, left : left + width]


def _distinct(payloads: list[DecodedPayload]) -> list[DecodedPayload]:
    seen: set[bytes] = set()
    unique = []
    for payload in payloads:
        if payload.data not in seen:
            seen.add(payload.data)
            unique.append(payload)
    return unique
