"""The pipeline reads hard webcam frames (bench/scan_frames.py, fixed seeds), and reads the
blurred ones that raw zxing-cpp misses by undoing the blur first."""

from __future__ import annotations

from typing import Any

import pytest
import zxingcpp

from bench import scan_frames
from desktop.services.scanner import deblur
from desktop.services.scanner.decode import DEBLUR, QrDecoder

SEED = 2026


@pytest.fixture(scope="module")
def decoder() -> QrDecoder:
    return QrDecoder()


def raw_zxing_reads(frame: Any) -> bool:
    return any(bytes(r.bytes) == frame.payload for r in zxingcpp.read_barcodes(frame.image))


@pytest.mark.parametrize(
    ("kind", "number"),
    [("defocus", 1), ("defocus", 5), ("defocus", 8), ("motion", 1), ("motion", 5), ("motion", 9)],
)
def test_a_blurred_code_raw_zxing_misses_is_read_after_deblurring(
    decoder: QrDecoder, kind: str, number: int
) -> None:
    frame = scan_frames.hard_frame(kind, SEED, number)
    assert not raw_zxing_reads(frame)  # the frame is hard: the plain reader gives up

    found = decoder.decode(frame.image)

    assert [(p.data, p.method) for p in found] == [(frame.payload, DEBLUR)]


@pytest.mark.parametrize(
    "kind", ["underexposed", "glare", "dark_mode", "jpeg55", "rotated", "perspective"]
)
def test_reads_the_other_hard_kinds(decoder: QrDecoder, kind: str) -> None:
    # Raw zxing-cpp reads these too at the generator's severities: this guards the options
    # they need (try_invert for dark mode, the binarizer for the dim and the washed out).
    for number in range(3):
        frame = scan_frames.hard_frame(kind, SEED, number)

        found = decoder.decode(frame.image)

        assert [p.data for p in found] == [frame.payload], (kind, number)


@pytest.mark.parametrize("number", range(4))
def test_the_motion_blur_direction_and_length_are_estimated(number: int) -> None:
    frame = scan_frames.hard_frame("motion", SEED, number)
    square = _aiming_square(frame.image)

    direction, ratio = deblur.blur_direction(square)
    length = deblur.motion_length(square, direction)

    assert ratio < deblur.MOTION_ANISOTROPY
    # Close enough for the filters tried: 3-degree steps, the length and 1 px either side.
    assert _angle_between(direction, frame.hold.motion_deg) < 8
    assert abs(length - frame.hold.motion_px) < 1.5


@pytest.mark.parametrize("number", range(4))
def test_the_defocus_is_told_from_motion_and_its_diameter_estimated(number: int) -> None:
    frame = scan_frames.hard_frame("defocus", SEED, number)
    square = _aiming_square(frame.image)

    _, ratio = deblur.blur_direction(square)

    assert ratio >= deblur.MOTION_ANISOTROPY
    assert abs(deblur.defocus_diameter(square) - frame.hold.defocus_px) < 1.5


def _aiming_square(image: Any) -> Any:
    grey = image[..., 0]  # the generator's frames are grey in three channels
    height, width = grey.shape
    top, left = (height - 640) // 2, (width - 640) // 2
    return grey[top : top + 640, left : left + 640].copy()


def _angle_between(first: float, second: float) -> float:
    difference = abs(first - second) % 180
    return min(difference, 180 - difference)
