"""Webcam-like QR code images generated for the scanner tests and benchmarks.

Nothing here reads a file: every image is drawn from a payload with segno, then degraded
the way a cheap webcam sees a phone or a printed page (angle, blur, dark mode, glare...).
The benchmarks (`bench/scan_corpus.py --synthetic`, `bench/scan_latency.py`) and the
screenshots import it too, so it must stay importable without pytest.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
import segno
from numpy.typing import NDArray

Image = NDArray[np.uint8]

FRAME_SIZE = (1280, 720)  # width, height of a typical webcam frame
QUIET_ZONE_MODULES = 4
CARRIER_MODULE_PX = 8  # resolution the code is drawn at before being warped into the frame


def request_payload(rng: np.random.Generator) -> bytes:
    """A realistic `MPR1:` + JWS payload (random signature, made-up identity)."""

    def b64(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    header = {"alg": "EdDSA", "typ": "mpr-request", "kid": "issuer-2025-01"}
    claims = {
        "ctx": "maprocuration/request/v1",
        "reference": "".join(rng.choice(list("ABCDEFGHJKMNPQRSTUVWXYZ23456789"), 6)),
        "birth_name": "DUPONT-LAMBERT",
        "first_names": "Marie Claire",
        "birth_date": "1984-03-21",
        "commune": "75056",
        "iat": 1760000000,
        "exp": 1760600000,
    }
    signature = rng.integers(0, 256, 64, dtype=np.uint8).tobytes()
    return b"MPR1:" + b".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(signature)]
    )


def code_modules(payload: bytes, error: str = "m") -> NDArray[np.bool_]:
    """Dark-module matrix of the QR code for `payload`, quiet zone included."""
    code = segno.make(payload, error=error, micro=False, boost_error=False)
    rows = list(code.matrix_iter(scale=1, border=QUIET_ZONE_MODULES))
    return np.array(rows, dtype=bool)


def render_code(payload: bytes, module_px: int = 4, error: str = "m") -> Image:
    """Flat black-on-white grey image of the code, `module_px` pixels per module."""
    modules = code_modules(payload, error)
    image = np.where(modules, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


@dataclass(frozen=True)
class Scene:
    """How the code is held up in front of the camera."""

    module_px: float = 5.0  # size of one module in the frame, in pixels
    angle_deg: float = 0.0  # in-plane rotation
    tilt: float = 0.0  # 0 = facing the camera; 0.3 = one edge 30 % shorter (perspective)
    center: tuple[float, float] = (0.5, 0.5)  # position in the frame, as fractions
    phone: bool = True  # phone screen in a dark body, or a sheet of paper
    dark_mode: bool = False  # light modules on a dark screen (inverted code)
    brightness: float = 1.0  # < 1 = dim room
    blur_sigma: float = 0.0
    glare: float = 0.0  # 0..1, strength of a bright reflection across the code
    noise_sigma: float = 0.0
    jpeg_quality: int = 0  # 0 = no JPEG round trip (MJPG webcams compress every frame)


def _background(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """A blurry, uneven room: gradient plus large soft blobs, never QR-like."""
    width, height = size
    grey = rng.integers(50, 190, (9, 16, 1))
    tint = rng.integers(-25, 25, (9, 16, 3))
    small = np.clip(grey + tint, 0, 255).astype(np.uint8)
    room = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    gradient = np.linspace(0.7, 1.1, width, dtype=np.float32)[None, :, None]
    return np.clip(room.astype(np.float32) * gradient, 0, 255).astype(np.uint8)


def _place(
    scene: Scene, carrier_corners: NDArray[np.float32], size: tuple[int, int]
) -> NDArray[np.float32]:
    """Frame positions of the carrier corners (given relative to the code centre)."""
    points = carrier_corners * np.float32(scene.module_px / CARRIER_MODULE_PX)
    # Tilt around the vertical axis: the right edge is further away, hence shorter.
    left, right = points[:, 0].min(), points[:, 0].max()
    shrink = 1 - scene.tilt * (points[:, 0] - left) / (right - left)
    points = np.stack([points[:, 0], points[:, 1] * shrink], axis=1)
    angle = np.deg2rad(scene.angle_deg)
    rotation = np.array(
        [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32
    )
    center = np.array([scene.center[0] * size[0], scene.center[1] * size[1]], np.float32)
    placed: NDArray[np.float32] = (points @ rotation.T + center).astype(np.float32)
    return placed


def _carrier(scene: Scene, payload: bytes) -> tuple[Image, tuple[float, float]]:
    """The code on its support (phone or paper) as a BGR image, and the code centre in it."""
    code = render_code(payload, module_px=CARRIER_MODULE_PX)
    if scene.dark_mode:
        code = 255 - code
    pad = code.shape[0] // 12
    if scene.phone:
        screen = 40 if scene.dark_mode else 235
        top, bottom, side = pad * 2, pad * 5, pad * 2
        body = cv2.copyMakeBorder(code, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=screen)
        body = cv2.copyMakeBorder(body, pad, pad * 4, pad, pad, cv2.BORDER_CONSTANT, value=15)
    else:
        top, bottom, side = pad * 3, pad * 3, pad * 2
        body = cv2.copyMakeBorder(code, top, bottom, side, side, cv2.BORDER_CONSTANT, value=245)
    center = (side + code.shape[1] / 2, top + code.shape[0] / 2)
    return cv2.cvtColor(body, cv2.COLOR_GRAY2BGR), center


def _glare(frame: Image, corners: NDArray[np.float32], strength: float) -> Image:
    """A soft elliptical reflection over part of the code, saturating the sensor."""
    height, width = frame.shape[:2]
    center = corners.mean(axis=0) + (corners[1] - corners[0]) * 0.2
    spread = float(np.linalg.norm(corners[1] - corners[0])) * 0.35
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = ((xs - center[0]) / spread) ** 2 + ((ys - center[1]) / (spread * 0.6)) ** 2
    light = strength * 255 * np.exp(-distance)
    return np.clip(frame.astype(np.float32) + light[..., None], 0, 255).astype(np.uint8)


def compose(
    payload: bytes, scene: Scene, rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE
) -> Image:
    """A BGR webcam frame of `size` (width, height) showing `payload` as described."""
    frame = _background(rng, size)
    carrier, (center_x, center_y) = _carrier(scene, payload)
    height, width = carrier.shape[:2]
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    corners = _place(scene, source - np.float32([center_x, center_y]), size)
    matrix = cv2.getPerspectiveTransform(source, corners)
    warped = cv2.warpPerspective(carrier, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, size)
    frame = np.where(mask[..., None] > 127, warped, frame)
    return _degrade(frame, scene, corners, rng)


def _degrade(
    frame: Image, scene: Scene, corners: NDArray[np.float32], rng: np.random.Generator
) -> Image:
    if scene.glare > 0:
        frame = _glare(frame, corners, scene.glare)
    if scene.blur_sigma > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), scene.blur_sigma)
    result = frame.astype(np.float32) * scene.brightness
    if scene.noise_sigma > 0:
        result += rng.normal(0, scene.noise_sigma, frame.shape).astype(np.float32)
    frame = np.clip(result, 0, 255).astype(np.uint8)
    if scene.jpeg_quality:
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, scene.jpeg_quality])
        assert ok
        frame = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    return frame


def random_scene(rng: np.random.Generator) -> Scene:
    """A varied but readable-by-a-person hold-up, as seen at a counter."""
    return Scene(
        module_px=float(rng.uniform(2.5, 5.0)),
        angle_deg=float(rng.uniform(-40, 40)),
        tilt=float(rng.uniform(0, 0.3)),
        center=(float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.45, 0.55))),
        phone=bool(rng.random() < 0.7),
        dark_mode=bool(rng.random() < 0.3),
        brightness=float(rng.choice([1.0, 1.0, 0.6, 0.35])),
        blur_sigma=float(rng.choice([0.0, 0.0, 0.8, 1.4])),
        glare=float(rng.choice([0.0, 0.0, 0.0, 0.6, 0.9])),
        noise_sigma=float(rng.choice([0.0, 3.0, 8.0])),
        jpeg_quality=int(rng.choice([0, 85, 60])),
    )


def synthetic_corpus(count: int, seed: int = 20250) -> list[tuple[Image, bytes, Scene]]:
    """`count` webcam frames with their expected payload, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    corpus = []
    for _ in range(count):
        payload = request_payload(rng)
        scene = random_scene(rng)
        corpus.append((compose(payload, scene, rng), payload, scene))
    return corpus


def write_video(path: Path, frames: list[Image], fps: float = 30.0, fourcc: str = "MJPG") -> Path:
    """Write `frames` (same size, BGR) to a video file readable by cv2.VideoCapture."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), fps, (width, height))
    assert writer.isOpened(), "no video encoder available"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def empty_frame(rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE) -> Image:
    """A frame with nobody holding anything up."""
    return _background(rng, size)


def with_scene(scene: Scene, **changes: object) -> Scene:
    return replace(scene, **changes)  # type: ignore[arg-type]
