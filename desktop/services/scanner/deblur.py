"""Blind Wiener deconvolution for out-of-focus and shaken QR codes.

A webcam at counter distance often sees the code blurred over 1 to 2 modules: out of focus
(a disk-shaped point-spread function) or shaken (a line). zxing's binarizer cannot separate
modules any more; undoing the blur first lets it. The blur is not known, so it is guessed:

- its family from the gradients: motion blur removes the gradients along its direction
  (their energy in that direction falls to ~0.3-0.5 of the other), defocus removes them
  evenly (ratio ~0.9-1); the direction of least gradient energy is the motion direction
  (within ~3 degrees on bench/scan_frames.py frames);
- its size by trying a few candidates, each a Wiener filter (a mis-sized one still often
  restores enough for the error correction).

Figures (gain, cost) in docs/scanning.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import cv2
import numpy as np
from numpy.typing import NDArray

GrayImage = NDArray[np.uint8]
Kernel = NDArray[np.float32]

# Below this ratio of least to most gradient energy the blur is taken as motion blur.
MOTION_ANISOTROPY = 0.6
DEFOCUS_DIAMETERS_PX = (5.5, 7.0, 8.5)
MOTION_LENGTHS_PX = (6.0, 8.0)
# Noise-to-signal power of the Wiener filter: lower restores more and amplifies noise more.
WIENER_NSR = 0.005
ANGLE_STEP_DEG = 3.0
DISK, LINE = "disk", "line"
_SUPERSAMPLING = 8  # kernels are drawn 8x larger then reduced: sub-pixel sizes and angles


def disk_kernel(diameter: float) -> Kernel:
    """Normalised disk point-spread function (defocus) of `diameter` pixels."""
    size = int(np.ceil(diameter)) | 1
    fine = np.zeros((size * _SUPERSAMPLING, size * _SUPERSAMPLING), np.float32)
    centre = size * _SUPERSAMPLING // 2
    cv2.circle(fine, (centre, centre), round(diameter * _SUPERSAMPLING / 2), 1.0, -1)
    return _normalised(fine, size)


def line_kernel(length: float, degrees: float) -> Kernel:
    """Normalised linear motion point-spread function, `length` pixels along `degrees`."""
    size = int(np.ceil(length)) | 1
    fine = np.zeros((size * _SUPERSAMPLING, size * _SUPERSAMPLING), np.float32)
    centre = size * _SUPERSAMPLING / 2
    reach = length * _SUPERSAMPLING / 2
    dx, dy = np.cos(np.deg2rad(degrees)) * reach, np.sin(np.deg2rad(degrees)) * reach
    start = (round(centre - dx), round(centre - dy))
    end = (round(centre + dx), round(centre + dy))
    cv2.line(fine, start, end, 1.0, _SUPERSAMPLING)
    return _normalised(fine, size)


def _normalised(fine: NDArray[np.float32], size: int) -> Kernel:
    kernel = cv2.resize(fine, (size, size), interpolation=cv2.INTER_AREA)
    return np.asarray(kernel / kernel.sum(), np.float32)


def blur_direction(gray: GrayImage) -> tuple[float, float]:
    """(direction of least gradient energy in degrees, least/most energy ratio)."""
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    xx, yy, xy = float((gx * gx).mean()), float((gy * gy).mean()), float((gx * gy).mean())
    half_trace = (xx + yy) / 2
    spread = float(np.hypot((xx - yy) / 2, xy))
    most, least = half_trace + spread, half_trace - spread
    strongest = 0.5 * np.degrees(np.arctan2(2 * xy, xx - yy))
    return float((strongest + 90) % 180), least / most if most > 0 else 1.0


def candidate_kernels(gray: GrayImage) -> list[tuple[str, float, float]]:
    """The point-spread functions worth trying on `gray`, as (shape, size, angle)."""
    direction, ratio = blur_direction(gray)
    if ratio < MOTION_ANISOTROPY:
        # Rounded so that a code held still reuses the cached filters from frame to frame.
        angle = float(round(direction / ANGLE_STEP_DEG) * ANGLE_STEP_DEG % 180)
        return [(LINE, length, angle) for length in MOTION_LENGTHS_PX]
    return [(DISK, diameter, 0.0) for diameter in DEFOCUS_DIAMETERS_PX]


def deconvolved(gray: GrayImage) -> Iterator[GrayImage]:
    """`gray` Wiener-deconvolved by each candidate kernel in turn (computed lazily)."""
    # OpenCV's packed real spectra (CCS): ~7x faster than complex ones at 640 x 640.
    spectrum = cv2.dft(gray.astype(np.float32))
    for shape, size, angle in candidate_kernels(gray):
        restorer = _wiener_filter(gray.shape, shape, size, angle)
        restored = cv2.mulSpectrums(spectrum, restorer, 0)
        image = cv2.idft(restored, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
        yield np.asarray(np.clip(image, 0, 255), dtype=np.uint8)


@functools.lru_cache(maxsize=12)  # ~3 MB each for the 640 x 640 aiming square
def _wiener_filter(
    image_shape: tuple[int, ...], shape: str, size: float, angle: float
) -> NDArray[np.float32]:
    """conj(H) / (|H|^2 + NSR) for the kernel, as an OpenCV packed real spectrum."""
    kernel = disk_kernel(size) if shape == DISK else line_kernel(size, angle)
    height, width = image_shape[:2]
    padded = np.zeros((height, width), np.float32)
    rows, columns = kernel.shape
    padded[:rows, :columns] = kernel
    # Centred on the origin so that the restored image is not shifted.
    padded = np.roll(padded, (-(rows // 2), -(columns // 2)), axis=(0, 1))
    transfer = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT)
    power = transfer[..., 0] ** 2 + transfer[..., 1] ** 2 + WIENER_NSR
    transfer[..., 1] *= -1  # conjugate
    restorer = transfer / power[..., None]
    # The filter of a real kernel is Hermitian: its inverse is real, whose forward real
    # transform is the filter in the packed layout that mulSpectrums takes.
    spatial = cv2.idft(restorer, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    return np.asarray(cv2.dft(spatial), np.float32)
