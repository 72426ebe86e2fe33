"""Blind Wiener deconvolution for out-of-focus and shaken QR codes.

A webcam at counter distance often sees the code blurred over 1 to 2 modules: out of focus
(a disk-shaped point-spread function) or shaken (a line). zxing's binarizer cannot separate
modules any more; undoing the blur first lets it. The blur is not known, so it is guessed:

- its family from the gradients: motion blur removes the gradients along its direction
  (their energy in that direction falls to ~0.3-0.5 of the other), defocus removes them
  evenly (ratio ~0.9-1); the direction of least gradient energy is the motion direction
  (within ~3 degrees on bench/scan_frames.py frames);
- its size from the first zero of its transfer function (a dip in the power spectrum);
- then a Wiener filter for that size, and for 1 px less and more if zxing still fails.

Figures (gain, cost) in docs/scanning.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

GrayImage = NDArray[np.uint8]
Kernel = NDArray[np.float32]

ESTIMATE_PX = 640  # side of the square the blur is estimated on
# Below this ratio of least to most gradient energy the blur is taken as motion blur.
MOTION_ANISOTROPY = 0.6
# Blur sizes looked for (pixels), and the step between the sizes tried around the estimate.
BLUR_RANGE_PX = (4.5, 10.5)
SIZE_STEP_PX = 1.0
JINC_FIRST_ZERO = 1.22  # first zero of a disk's transfer function, times its diameter
_TREND_BINS = 9  # a dip is measured against the power averaged over this many bins
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
    # The drawn line is _SUPERSAMPLING thick with round caps: shorten it by that much so
    # that the kernel spans `length` pixels in all.
    reach = max(0.0, (length - 1) * _SUPERSAMPLING / 2)
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
        length = motion_length(gray, angle)
        return [(LINE, size, angle) for size in _around_estimate(length)]
    diameter = defocus_diameter(gray)
    return [(DISK, size, 0.0) for size in _around_estimate(diameter)]


def _around_estimate(size: float) -> list[float]:
    """The estimate first, then its neighbours: a kernel 1 px off often fails to restore."""
    rounded = round(size * 2) / 2  # half-pixel steps: cached filters are reused
    return [rounded, rounded - SIZE_STEP_PX, rounded + SIZE_STEP_PX]


def motion_length(gray: GrayImage, direction: float) -> float:
    """Length of a motion blur along `direction`, from the first zero of its spectrum.

    A line of L pixels multiplies the spectrum along its direction by a sinc whose first
    zero is at frequency 1/L: it shows as a dip in the mean power of the rows once the
    image is turned so that the motion is horizontal.
    """
    height, width = gray.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), direction, 1.0)
    turned = cv2.warpAffine(gray.astype(np.float32), turn, (width, height))
    centre = turned[height // 4 : 3 * height // 4, width // 4 : 3 * width // 4]
    rows = centre - centre.mean(axis=1, keepdims=True)
    power = np.abs(np.fft.rfft(rows * np.hanning(rows.shape[1]), axis=1)) ** 2
    samples = int(rows.shape[1])
    return samples / _first_dip(np.log(power.mean(axis=0) + 1e-6), samples, 1.0)


def defocus_diameter(gray: GrayImage) -> float:
    """Diameter of a defocus disk, from the first zero of its spectrum (at 1.22 / D)."""
    height, width = gray.shape
    centre = gray[height // 4 : 3 * height // 4, width // 4 : 3 * width // 4].astype(np.float32)
    window = np.outer(np.hanning(centre.shape[0]), np.hanning(centre.shape[1]))
    power = np.abs(np.fft.fftshift(np.fft.fft2((centre - centre.mean()) * window))) ** 2
    ys, xs = np.indices(power.shape)
    radius = np.hypot(ys - power.shape[0] // 2, xs - power.shape[1] // 2).astype(np.int64)
    radial = np.bincount(radius.ravel(), power.ravel()) / np.bincount(radius.ravel())
    samples = int(centre.shape[0])
    return JINC_FIRST_ZERO * samples / _first_dip(np.log(radial + 1e-6), samples, JINC_FIRST_ZERO)


def _first_dip(profile: NDArray[Any], samples: int, zero: float) -> int:
    """The frequency (in bins) of the deepest dip below the local trend, for blurs of
    `BLUR_RANGE_PX`; `zero` is the first zero of the kernel's transfer times its size."""
    low = int(zero * samples / BLUR_RANGE_PX[1])
    high = int(zero * samples / BLUR_RANGE_PX[0])
    trend = np.convolve(profile, np.ones(_TREND_BINS) / _TREND_BINS, mode="same")
    return low + int(np.argmin((profile - trend)[low : high + 1]))


def deconvolved(gray: GrayImage) -> Iterator[GrayImage]:
    """`gray` Wiener-deconvolved by each candidate kernel in turn (computed lazily).

    The blur is estimated on the central square of `gray` (at most ESTIMATE_PX): the
    spectral estimates need a square, and the code is held in the middle.
    """
    height, width = gray.shape
    side = min(height, width, ESTIMATE_PX)
    top, left = (height - side) // 2, (width - side) // 2
    kernels = candidate_kernels(np.ascontiguousarray(gray[top : top + side, left : left + side]))
    # OpenCV's packed real spectra (CCS): ~7x faster than complex ones at 640 x 640.
    spectrum = cv2.dft(gray.astype(np.float32))
    for shape, size, angle in kernels:
        restorer = _wiener_filter(gray.shape, shape, size, angle)
        restored = cv2.mulSpectrums(spectrum, restorer, 0)
        image = cv2.idft(restored, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
        yield np.asarray(np.clip(image, 0, 255), dtype=np.uint8)


@functools.lru_cache(maxsize=12)  # ~2.3 MB each for the 800 x 720 region
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
