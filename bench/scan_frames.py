"""Seeded generator of hard webcam frames (1280x720) holding a real request QR code.

Each frame shows the backend's request code (`MPR1:` + a JWS signed by a seeded Ed25519
issuer key, encoded as `backend/mailer.py` does: zxing-cpp's writer, error correction M)
held up at a counter, with the nuisances every cheap webcam adds (a little optical blur,
sensor noise, MJPG compression, a slight angle) and ONE hard condition, its kind:

    defocus      out-of-focus disk blur, 5-9 px across
    motion       linear motion blur, 5-9 px long, any direction
    underexposed exposure at a third (every value divided by 3, then sensor noise)
    glare        a saturating reflection spot over part of the code
    dark_mode    a phone in dark mode: light modules on a dark screen
    jpeg55       JPEG quality 55 (instead of the webcam's usual 85-90)
    rotated      in-plane rotation of 20-35 degrees either way
    perspective  the code tilted away from the camera: one edge 25-40 % shorter

A stream is the same code held for one second in front of a 30 fps camera: 30 frames of
one kind whose blur, hand position, noise and compression differ frame to frame.

Self-contained (no import from tests/): `bench/scan_hard.py` measures with it and
`tests/unit/test_scanner_hard_frames.py` loads it by path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import cv2
import numpy as np
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from numpy.typing import NDArray

from procuration import qr, timeutil
from procuration import reference as reference_codec
from procuration.models import RequestQrPayload

Image = NDArray[np.uint8]

FRAME_SIZE = (1280, 720)  # width, height
FPS = 30
STREAM_FRAMES = 30  # one second at 30 fps
KINDS = (
    "defocus",
    "motion",
    "underexposed",
    "glare",
    "dark_mode",
    "jpeg55",
    "rotated",
    "perspective",
)
_CARRIER_MODULE_PX = 8  # the code is drawn at this scale, then warped into the frame
_QUIET_MODULES = 4
_NAMES = ("DUPONT", "MARTIN-LEROY", "NGUYEN", "BERNARD", "DE LA FONTAINE", "OLIVEIRA")
_FIRST_NAMES = ("Marie", "Jean Pierre", "Aïcha", "Louis Marie Henri", "Chloé", "Karim")


@dataclass(frozen=True)
class Hold:
    """How the code appears in one frame."""

    kind: str
    module_px: float  # one module, in frame pixels
    angle_deg: float  # in-plane rotation
    tilt: float  # one edge this much shorter (perspective), around `tilt_axis_deg`
    tilt_axis_deg: float
    center: tuple[float, float]  # in pixels
    phone: bool  # a phone screen in a dark body, or a printed page
    dark_mode: bool
    exposure: float  # 1 = well exposed
    defocus_px: float  # disk diameter; 0 = none
    motion_px: float  # motion length; 0 = none
    motion_deg: float
    optics_sigma: float  # the webcam's own slight blur
    glare: float  # 0 = none; 1 = saturates the spot's centre
    glare_at: tuple[float, float]  # spot centre relative to the code centre, in code sides
    noise_sigma: float
    jpeg_quality: int


def request_code(rng: np.random.Generator) -> bytes:
    """A request QR payload as the backend issues it, signed by a seeded issuer key."""
    key = Ed25519PrivateKey.from_private_bytes(rng.bytes(32))
    issued = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=int(rng.integers(1e5)))
    payload = RequestQrPayload(
        reference="".join(rng.choice(list(reference_codec.ALPHABET), reference_codec.LENGTH)),
        birth_name=str(rng.choice(_NAMES)),
        first_names=str(rng.choice(_FIRST_NAMES)),
        birth_date=(date(1930, 1, 1) + timedelta(days=int(rng.integers(27_000)))).isoformat(),
        commune=f"{rng.integers(1000, 95999):05d}",
        iat=timeutil.to_wire(issued),
        exp=timeutil.to_wire(issued + timedelta(days=7)),
    )
    return qr.encode_request(payload, key).encode("ascii")


def code_image(payload: bytes) -> Image:
    """Black-on-white modules with the quiet zone, `_CARRIER_MODULE_PX` pixels a module."""
    text = payload.decode("ascii")
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.asarray(code.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)
    modules = cv2.copyMakeBorder(modules, *(4 * [_QUIET_MODULES]), cv2.BORDER_CONSTANT, value=255)
    return np.kron(modules, np.ones((_CARRIER_MODULE_PX,) * 2, dtype=np.uint8))


def random_hold(kind: str, rng: np.random.Generator) -> Hold:
    """A webcam-like hold-up with one hard condition of `kind`."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    width, height = FRAME_SIZE
    base = Hold(
        kind=kind,
        module_px=float(rng.uniform(3.5, 5.5)),
        angle_deg=float(rng.uniform(-10, 10)),
        tilt=float(rng.uniform(0, 0.1)),
        tilt_axis_deg=float(rng.uniform(0, 360)),
        center=(float(rng.uniform(0.4, 0.6) * width), float(rng.uniform(0.45, 0.55) * height)),
        phone=bool(rng.random() < 0.7),
        dark_mode=False,
        exposure=float(rng.uniform(0.8, 1.0)),
        defocus_px=0.0,
        motion_px=0.0,
        motion_deg=0.0,
        optics_sigma=float(rng.uniform(0.4, 0.8)),
        glare=0.0,
        glare_at=(0.0, 0.0),
        noise_sigma=float(rng.uniform(2, 5)),
        jpeg_quality=int(rng.integers(85, 91)),
    )
    return _harden(base, kind, rng)


def _harden(hold: Hold, kind: str, rng: np.random.Generator) -> Hold:
    sign = float(rng.choice([-1.0, 1.0]))
    changes: dict[str, object] = {
        "defocus": {"defocus_px": float(rng.uniform(5, 9)), "optics_sigma": 0.0},
        "motion": {"motion_px": float(rng.uniform(5, 9)), "motion_deg": float(rng.uniform(0, 180))},
        "underexposed": {"exposure": 1 / 3},
        "glare": {
            "glare": float(rng.uniform(1.2, 1.6)),
            "glare_at": (float(rng.uniform(-0.25, 0.25)), float(rng.uniform(-0.25, 0.25))),
        },
        "dark_mode": {"dark_mode": True, "phone": True},
        "jpeg55": {"jpeg_quality": 55},
        "rotated": {"angle_deg": sign * float(rng.uniform(20, 35))},
        "perspective": {"tilt": float(rng.uniform(0.25, 0.4))},
    }[kind]
    return replace(hold, **changes)  # type: ignore[arg-type]


def jittered(hold: Hold, rng: np.random.Generator) -> Hold:
    """The same hold one frame later: the hand moves, focus and motion blur change."""
    x, y = hold.center
    changes: dict[str, object] = {
        "center": (x + float(rng.normal(0, 3)), y + float(rng.normal(0, 3))),
        "angle_deg": hold.angle_deg + float(rng.normal(0, 0.5)),
        "noise_sigma": float(rng.uniform(2, 5)),
        "optics_sigma": float(rng.uniform(0.4, 0.8)) if hold.optics_sigma else 0.0,
    }
    if hold.kind == "defocus":
        changes["defocus_px"] = float(rng.uniform(5, 9))
    if hold.kind == "motion":
        changes["motion_px"] = float(rng.uniform(5, 9))
        changes["motion_deg"] = hold.motion_deg + float(rng.normal(0, 15))
    if hold.kind != "jpeg55":
        changes["jpeg_quality"] = int(rng.integers(85, 91))
    return replace(hold, **changes)  # type: ignore[arg-type]


def compose(
    payload: bytes, hold: Hold, rng: np.random.Generator, code: Image | None = None
) -> Image:
    """The BGR frame showing `payload` held as `hold`; `code` caches `code_image(payload)`."""
    code = code_image(payload) if code is None else code
    carrier, code_center, code_side = _carrier(code, hold)
    frame = _room(rng)
    corners = _corners(carrier.shape, code_center, hold)
    matrix = cv2.getPerspectiveTransform(_rectangle(carrier.shape), corners)
    warped = cv2.warpPerspective(carrier, matrix, FRAME_SIZE, flags=cv2.INTER_AREA)
    inside = cv2.warpPerspective(np.full(carrier.shape, 255, np.uint8), matrix, FRAME_SIZE)
    frame = np.where(inside > 127, warped, frame).astype(np.float32)
    if hold.glare:
        frame += _glare_spot(hold, code_side)
    return _camera(frame, hold, rng)


def _carrier(code: Image, hold: Hold) -> tuple[Image, tuple[float, float], float]:
    """The code on its support (grey), the code centre in it, and the code's side in px."""
    if hold.dark_mode:
        code = np.where(code > 127, 30, 200).astype(np.uint8)  # light modules, dark screen
    pad = code.shape[0] // 12
    if hold.phone:
        screen = 30 if hold.dark_mode else 235
        support = cv2.copyMakeBorder(code, *(4 * [pad]), cv2.BORDER_CONSTANT, value=screen)
        support = cv2.copyMakeBorder(support, pad, 4 * pad, pad, pad, cv2.BORDER_CONSTANT, value=15)
        top, left = 2 * pad, 2 * pad
    else:
        support = cv2.copyMakeBorder(code, *(4 * [3 * pad]), cv2.BORDER_CONSTANT, value=245)
        top, left = 3 * pad, 3 * pad
    side = code.shape[0]
    scale = hold.module_px / _CARRIER_MODULE_PX
    return support, (left + side / 2, top + side / 2), side * scale


def _rectangle(shape: tuple[int, ...]) -> NDArray[np.float32]:
    height, width = shape[:2]
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)


def _corners(
    shape: tuple[int, ...], code_center: tuple[float, float], hold: Hold
) -> NDArray[np.float32]:
    """Frame positions of the support's corners: scaled, tilted, rotated, then placed."""
    points = (_rectangle(shape) - np.float32(code_center)) * np.float32(
        hold.module_px / _CARRIER_MODULE_PX
    )
    axis = np.deg2rad(hold.tilt_axis_deg)
    direction = np.array([np.cos(axis), np.sin(axis)], np.float32)
    along = points @ direction
    span = float(along.max() - along.min())
    # The far side of the tilt axis is further away: shrink it towards the centre.
    shrink = 1 - hold.tilt * (along - along.min()) / span
    points = points * shrink[:, None]
    angle = np.deg2rad(hold.angle_deg)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = points @ rotation.T.astype(np.float32) + np.float32(hold.center)
    return placed.astype(np.float32)


def _room(rng: np.random.Generator) -> Image:
    """A blurry, uneven background (never QR-like)."""
    width, height = FRAME_SIZE
    small = rng.integers(50, 190, (9, 16)).astype(np.uint8)
    return np.asarray(cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC), np.uint8)


def _glare_spot(hold: Hold, code_side: float) -> NDArray[np.float32]:
    width, height = FRAME_SIZE
    cx = hold.center[0] + hold.glare_at[0] * code_side
    cy = hold.center[1] + hold.glare_at[1] * code_side
    spread = 0.25 * code_side
    ys, xs = np.ogrid[0:height, 0:width]
    distance = ((xs - cx) / spread) ** 2 + ((ys - cy) / (spread * 0.7)) ** 2
    return np.asarray(hold.glare * 255 * np.exp(-distance), np.float32)


def _camera(frame: NDArray[np.float32], hold: Hold, rng: np.random.Generator) -> Image:
    """Optics (blur), exposure, sensor noise, then MJPG compression; returns BGR."""
    frame = np.minimum(frame, 255)  # the scene saturates the sensor, not the maths
    if hold.optics_sigma:
        frame = cv2.GaussianBlur(frame, (0, 0), hold.optics_sigma)
    if hold.defocus_px:
        frame = cv2.filter2D(frame, -1, _disk(hold.defocus_px))
    if hold.motion_px:
        frame = cv2.filter2D(frame, -1, _line(hold.motion_px, hold.motion_deg))
    frame = frame * np.float32(hold.exposure)
    frame += rng.normal(0, hold.noise_sigma, frame.shape).astype(np.float32)
    grey = np.clip(frame, 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, hold.jpeg_quality])
    assert ok
    decoded = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    return np.asarray(cv2.cvtColor(decoded, cv2.COLOR_GRAY2BGR), np.uint8)


def _disk(diameter: float) -> NDArray[np.float32]:
    """Normalised disk point-spread function (defocus), anti-aliased by supersampling."""
    size = int(np.ceil(diameter)) | 1
    fine = 8
    big = np.zeros((size * fine, size * fine), np.float32)
    centre = size * fine / 2
    cv2.circle(big, (int(centre), int(centre)), int(diameter * fine / 2), 1.0, -1)
    kernel = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    return np.asarray(kernel / kernel.sum(), np.float32)


def _line(length: float, degrees: float) -> NDArray[np.float32]:
    """Normalised linear motion point-spread function, anti-aliased by supersampling."""
    size = int(np.ceil(length)) | 1
    fine = 8
    big = np.zeros((size * fine, size * fine), np.float32)
    centre = size * fine / 2
    reach = (length - 1) * fine / 2  # the line is `fine` thick: it spans `length` px in all
    dx = np.cos(np.deg2rad(degrees)) * reach
    dy = np.sin(np.deg2rad(degrees)) * reach
    start = (int(centre - dx), int(centre - dy))
    end = (int(centre + dx), int(centre + dy))
    cv2.line(big, start, end, 1.0, fine)
    kernel = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    return np.asarray(kernel / kernel.sum(), np.float32)


@dataclass(frozen=True)
class HardFrame:
    image: Image
    payload: bytes
    hold: Hold


def hard_frame(kind: str, seed: int, number: int) -> HardFrame:
    """Frame `number` of `kind`, reproducible from `seed` alone (no other frame drawn)."""
    rng = np.random.default_rng([seed, KINDS.index(kind), number])
    payload = request_code(rng)
    hold = random_hold(kind, rng)
    return HardFrame(compose(payload, hold, rng), payload, hold)


def hard_frames(count_per_kind: int, seed: int, kinds: tuple[str, ...] = KINDS) -> list[HardFrame]:
    """`count_per_kind` frames of each kind, reproducible from `seed`."""
    return [hard_frame(kind, seed, number) for kind in kinds for number in range(count_per_kind)]


class Stream:
    """One code held for `STREAM_FRAMES` frames; frames are drawn on demand (most are
    dropped by a decoder slower than the camera, and drawing one costs ~20 ms)."""

    def __init__(self, kind: str, seed: int, number: int) -> None:
        rng = np.random.default_rng([seed, KINDS.index(kind), number, STREAM_FRAMES])
        self.kind = kind
        self.payload = request_code(rng)
        self._code = code_image(self.payload)
        self._hold = random_hold(kind, rng)
        self._seed = (seed, KINDS.index(kind), number)

    def frame(self, number: int) -> Image:
        rng = np.random.default_rng([*self._seed, 1000 + number])
        return compose(self.payload, jittered(self._hold, rng), rng, self._code)
