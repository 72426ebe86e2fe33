"""The decoding pipeline reads what a counter webcam sees, and never crashes on a frame."""

from __future__ import annotations

import logging
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np
import pytest

from desktop.services.scanner.decode import PYZBAR, SMALL_CODE, ZXING, QrDecoder, load_pyzbar
from tests.support.scanner_images import (
    Scene,
    compose,
    empty_frame,
    render_code,
    request_payload,
    with_scene,
)

BASE = Scene(module_px=4.5, angle_deg=8)


@pytest.fixture(scope="module")
def decoder() -> QrDecoder:
    return QrDecoder()


@pytest.fixture(scope="module")
def payload() -> bytes:
    return request_payload(np.random.default_rng(7))


def frame_of(payload: bytes, scene: Scene, size: tuple[int, int] = (1280, 720)) -> Any:
    return compose(payload, scene, np.random.default_rng(1), size)


@pytest.mark.parametrize(
    "scene",
    [
        pytest.param(BASE, id="phone"),
        pytest.param(with_scene(BASE, phone=False), id="printed page"),
        pytest.param(with_scene(BASE, angle_deg=35), id="rotated"),
        pytest.param(with_scene(BASE, tilt=0.3), id="perspective"),
        pytest.param(with_scene(BASE, blur_sigma=1.2), id="blurred"),
        pytest.param(with_scene(BASE, brightness=0.35), id="dark room"),
        pytest.param(with_scene(BASE, dark_mode=True), id="inverted dark mode"),
        pytest.param(with_scene(BASE, module_px=2.6), id="small modules"),
        pytest.param(with_scene(BASE, noise_sigma=10), id="noise"),
        pytest.param(with_scene(BASE, jpeg_quality=40), id="jpeg artefacts"),
        pytest.param(with_scene(BASE, glare=0.8), id="glare"),
        pytest.param(
            Scene(4, -20, 0.2, dark_mode=True, brightness=0.5, blur_sigma=0.8, noise_sigma=5,
                  glare=0.5, jpeg_quality=70),
            id="everything at once",
        ),
    ],
)  # fmt: skip
def test_reads_the_request_code_held_up_to_the_webcam(
    decoder: QrDecoder, payload: bytes, scene: Scene
) -> None:
    found = decoder.decode(frame_of(payload, scene))

    assert [p.data for p in found] == [payload]
    assert found[0].text == payload.decode("ascii")


def test_a_code_held_too_far_and_blurred_is_read_by_enlarging_the_aiming_area(
    decoder: QrDecoder, payload: bytes
) -> None:
    frame = frame_of(payload, with_scene(BASE, module_px=2.6, blur_sigma=1.2))

    assert QrDecoder(passes=[ZXING]).decode(frame) == []
    assert [(p.data, p.method) for p in decoder.decode(frame)] == [(payload, SMALL_CODE)]


def test_corners_locate_the_code_in_the_frame(decoder: QrDecoder, payload: bytes) -> None:
    scene = with_scene(BASE, angle_deg=0, center=(0.3, 0.5))

    (found,) = decoder.decode(frame_of(payload, scene))

    xs = [x for x, _ in found.corners]
    assert len(found.corners) == 4
    assert 0.3 * 1280 - 300 < min(xs) < 0.3 * 1280 < max(xs) < 0.3 * 1280 + 300


def test_binary_payload_comes_back_byte_for_byte_without_text(decoder: QrDecoder) -> None:
    binary = bytes(range(256))

    (found,) = decoder.decode(frame_of(binary, BASE))

    assert found.data == binary
    assert found.text is None


def test_huge_payload_is_read_from_a_full_hd_frame(decoder: QrDecoder) -> None:
    huge = np.random.default_rng(3).integers(0, 256, 2000, dtype=np.uint8).tobytes()

    found = decoder.decode(frame_of(huge, Scene(module_px=3.5), size=(1920, 1080)))

    assert [p.data for p in found] == [huge]


def test_grey_and_flat_images_are_accepted(decoder: QrDecoder, payload: bytes) -> None:
    flat = render_code(payload, module_px=3)

    assert [p.data for p in decoder.decode(flat)] == [payload]


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param(np.zeros((0, 0, 3), np.uint8), id="empty"),
        pytest.param(np.zeros((720, 1280, 3), np.uint8), id="black"),
        pytest.param(np.full((720, 1280), 255, np.uint8), id="white"),
        pytest.param(np.random.default_rng(0).integers(0, 256, (720, 1280), np.uint8), id="noise"),
        pytest.param(empty_frame(np.random.default_rng(0)), id="room"),
    ],
)
def test_frames_without_a_code_give_nothing(decoder: QrDecoder, frame: Any) -> None:
    assert decoder.decode(frame) == []


def test_a_torn_code_gives_nothing_rather_than_an_error(decoder: QrDecoder, payload: bytes) -> None:
    frame = frame_of(payload, BASE)
    frame[300:420, :] = 128  # a band across the whole code: beyond error correction

    assert decoder.decode(frame) == []


def test_an_image_that_is_not_8_bit_is_refused_clearly(decoder: QrDecoder) -> None:
    with pytest.raises(ValueError, match="8-bit"):
        decoder.decode(np.zeros((10, 10), np.float32))


class FakePyzbar:
    """Stands for pyzbar.pyzbar: answers `answer` and records what it was asked."""

    ZBarSymbol = SimpleNamespace(QRCODE="QRCODE")

    def __init__(self, answer: list[Any] | Exception) -> None:
        self.answer = answer
        self.calls = 0

    def decode(self, image: Any, symbols: list[str]) -> list[Any]:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def zbar_result(data: bytes) -> Any:
    corner = SimpleNamespace(x=1, y=2)
    return SimpleNamespace(data=data, polygon=[corner] * 4)


def test_pyzbar_gives_a_second_opinion_when_zxing_reads_nothing() -> None:
    pyzbar = FakePyzbar([zbar_result(b"ABC123")])
    decoder = QrDecoder(passes=[ZXING, PYZBAR], pyzbar_loader=lambda: pyzbar)

    found = decoder.decode(np.full((200, 200), 255, np.uint8))

    assert [(p.data, p.text, p.method) for p in found] == [(b"ABC123", "ABC123", PYZBAR)]


def test_pyzbar_is_not_asked_when_zxing_has_read(payload: bytes) -> None:
    pyzbar = FakePyzbar([zbar_result(b"other")])
    decoder = QrDecoder(pyzbar_loader=lambda: pyzbar)

    found = decoder.decode(frame_of(payload, BASE))

    assert [p.data for p in found] == [payload]
    assert pyzbar.calls == 0


def test_a_failing_pass_costs_the_pass_not_the_frame(
    payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    decoder = QrDecoder(pyzbar_loader=lambda: FakePyzbar(RuntimeError("zbar crashed")))
    frame = frame_of(payload, with_scene(BASE, module_px=2.6, blur_sigma=1.2))

    found = decoder.decode(frame)

    assert [p.data for p in found] == [payload]
    assert "pyzbar failed" in caplog.text


@pytest.mark.parametrize("failure", [ImportError("no zbar"), OSError("libzbar.so.0")])
def test_missing_zbar_library_leaves_zxing_working(
    payload: bytes, failure: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    def importer(name: str) -> ModuleType:
        raise failure

    with caplog.at_level(logging.WARNING):
        decoder = QrDecoder(pyzbar_loader=lambda: load_pyzbar(importer))

    assert not decoder.has_pyzbar
    assert "pyzbar unavailable" in caplog.text
    assert [p.data for p in decoder.decode(frame_of(payload, BASE))] == [payload]


def test_the_real_pyzbar_loads_here() -> None:
    # libzbar0 is a declared system dependency: its absence on a dev machine is a setup bug.
    assert QrDecoder().has_pyzbar


def test_unknown_pass_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        QrDecoder(passes=["zxing", "magic"])
